"""`kubetui get` of every kind against the venv's kubectl on the same local cluster: the same bytes.

The cluster of this module holds synthetic Deployments, ReplicaSets and pods (`--deployments`,
`--replicasets`, `--pods`) plus ConfigMaps, Services, Events and a Node made by the test. Its
clock stood three days and some hours in the past while they were made, then follows the wall
clock again: every age reads like `3d5h`, which changes once an hour, so both commands print
the same ages and their stdout, stderr and exit code are compared exactly.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson
import pytest
import yaml

from kubetui.localcluster import LocalCluster
from kubetui.localcluster.apimachinery.clock import rfc3339
from kubetui.localcluster.registry.resources import ResourceType
from tests.support.clusters import KUBECTL, start_cluster
from tests.support.pods import container, pod_manifest

KUBETUI = [sys.executable, "-m", "kubetui"]
AGO = timedelta(days=3, hours=5, minutes=30)  # half an hour from the next change of `3d5h`


class SteppedClock:
    """The server's clock: a fixed moment while the fixture builds, then the wall clock."""

    def __init__(self, moment: datetime | None) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment or datetime.now(timezone.utc)


class Side:
    """kubectl or kubetui, bound to a kubeconfig and a private cache directory."""

    def __init__(self, argv: list[str], kubeconfig: Path, env: dict[str, str]) -> None:
        self.argv, self.kubeconfig, self.env = argv, kubeconfig, env

    def run(self, *args: str, kubeconfig: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([*self.argv, "--kubeconfig", str(kubeconfig or self.kubeconfig), *args],
                              capture_output=True, text=True, env=self.env, timeout=120, stdin=subprocess.DEVNULL)


def _made_objects(start: datetime) -> list[tuple[str, dict]]:
    at = rfc3339(start + timedelta(hours=1))
    involved = {"apiVersion": "v1", "kind": "ConfigMap", "name": "web-config", "namespace": "team-00"}
    return [
        ("configmaps", {"metadata": {"name": "web-config", "namespace": "team-00", "labels": {"app": "web"}},
                        "data": {"a": "1", "b": "2"}}),
        ("configmaps", {"metadata": {"name": "empty-config", "namespace": "team-01"}}),
        ("services", {"metadata": {"name": "web", "namespace": "team-00", "labels": {"app": "web"}},
                      "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]}}),
        ("services", {"metadata": {"name": "edge", "namespace": "team-01"},
                      "spec": {"type": "NodePort", "ports": [{"port": 443, "protocol": "TCP"}]}}),
        ("events", {"metadata": {"name": "web-config.1", "namespace": "team-00"}, "involvedObject": involved,
                    "reason": "Changed", "message": "web-config changed\nsecond line", "type": "Normal",
                    "firstTimestamp": at, "lastTimestamp": at, "count": 3,
                    "source": {"component": "kubetui-test"}}),
        ("events", {"metadata": {"name": "web-config.2", "namespace": "team-00"}, "involvedObject": involved,
                    "reason": "Broken", "message": "it broke", "type": "Warning", "firstTimestamp": at,
                    "lastTimestamp": at, "count": 1, "source": {"component": "kubetui-test", "host": "node-a"}}),
        ("nodes", {"metadata": {"name": "node-a", "labels": {"kubernetes.io/os": "linux",
                                                             "node-role.kubernetes.io/worker": ""}},
                   "status": {"conditions": [{"type": "Ready", "status": "True"}],
                              "addresses": [{"type": "InternalIP", "address": "10.1.0.1"}],
                              "nodeInfo": {"kubeletVersion": "v1.37.0", "osImage": "Test OS",
                                           "kernelVersion": "6.1", "containerRuntimeVersion": "containerd://2"}}}),
        ("namespaces", {"metadata": {"name": "empty"}}),
        # Cells wider in bytes than in characters, escapes and tabs: kubectl measures its pages in
        # bytes but lays them out in characters.
        ("events", {"metadata": {"name": "odd.1", "namespace": "team-02"}, "involvedObject": involved,
                    "reason": "Unicode", "message": "h\u00e9llo \u2713 \u65e5\u672c\u8a9e", "type": "Normal",
                    "firstTimestamp": at, "lastTimestamp": at, "source": {"component": "c"}}),
        ("events", {"metadata": {"name": "odd.2", "namespace": "team-02"}, "involvedObject": involved,
                    "reason": "Escape", "message": "a \x1b[31mred\x1b[0m word\twith a tab", "type": "Normal",
                    "firstTimestamp": at, "lastTimestamp": at, "source": {"component": "c"}}),
        ("namespaces", {"metadata": {"name": "many"}}),
        ("namespaces", {"metadata": {"name": "zz-last"}}),
        # A pod listed after the 500th of `get pods -A`, wider than all before it.
        ("pods", pod_manifest("a-pod-whose-name-is-wider-than-any-synthetic-one", container("c", "nginx"),
                              namespace="zz-last")),
        *MANY_CONFIGMAPS,
    ]


# 530 ConfigMaps: kubectl reads them in pages of 500 and flushes its tabwriter every 100 rows, so
# a name wider than the first page's (the 530th) and one that is wider only after the first
# flush (the 150th) show how the widths carry over.
MANY_CONFIGMAPS = [("configmaps", {"metadata": {"name": f"cm-{index:03d}" + ("-wider" if index == 150 else "")
                                                + ("-much-wider-than-the-rest" if index == 529 else ""),
                                                "namespace": "many"}, "data": {"k": "v"} if index % 7 else {}})
                   for index in range(530)]


@pytest.fixture(scope="module")
def kinds_cluster(tmp_path_factory):
    start = datetime.now(timezone.utc) - AGO
    clock = SteppedClock(start)
    with start_cluster(tmp_path_factory.mktemp("kinds"), clock=clock, kubelet=False, pods=600, deployments=6,
                       replicasets=12, random_seed=11) as running:
        cluster = running.cluster
        clock.moment = start + timedelta(hours=2)
        for plural, body in _made_objects(start):
            cluster.call(lambda p=plural, b=body: cluster.store.create(p, b, manager="kubetui-test"))
        clock.moment = None
        yield cluster


@pytest.fixture(scope="module")
def sides(kinds_cluster, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("get-kinds")
    kubeconfig = kinds_cluster.write_kubeconfig(tmp / "config")
    env = {**os.environ, "KUBECACHEDIR": str(tmp / "kubectl-cache"), "XDG_CACHE_HOME": str(tmp / "kubetui-cache"),
           "KUBECONFIG": str(kubeconfig)}
    return Side([KUBECTL], kubeconfig, env), Side(KUBETUI, kubeconfig, env)


def first_name(cluster: LocalCluster, plural: str, namespace: str = "") -> str:
    return cluster.call(lambda: next(o["metadata"]["name"] for o in cluster.store.scan(plural)
                                     if o["metadata"].get("namespace", "") == namespace))


def same(sides, *args: str, kubeconfig: Path | None = None) -> subprocess.CompletedProcess:
    kubectl, kubetui = sides
    expected, actual = kubectl.run(*args, kubeconfig=kubeconfig), kubetui.run(*args, kubeconfig=kubeconfig)
    assert actual.stderr == expected.stderr
    assert actual.stdout == expected.stdout
    assert actual.returncode == expected.returncode
    return actual


# --------------------------------------------------------------------------- every kind
NAMESPACED = {"pods": "team-00", "events": "team-00", "configmaps": "team-00", "services": "team-00",
              "deployments": "team-00", "replicasets": "team-00"}
CLUSTER_SCOPED = ("namespaces", "nodes")
KINDS = (*CLUSTER_SCOPED, *NAMESPACED)
SELECTORS = {"namespaces": "kubetui.dev/synthetic=true", "nodes": "kubernetes.io/os=linux",
             "pods": "kubetui.dev/synthetic=true", "events": "no=such", "configmaps": "app=web",
             "services": "app=web", "deployments": "kubetui.dev/synthetic=true",
             "replicasets": "kubetui.dev/synthetic=true"}
VARIANTS = {
    "default": (), "all-namespaces": ("-A",), "wide": ("-A", "-o", "wide"), "name": ("-A", "-o", "name"),
}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("kind", KINDS)
def test_lists_print_as_kubectl_prints_them(sides, kind, variant):
    namespace = ("-n", NAMESPACED[kind]) if kind in NAMESPACED else ()
    result = same(sides, "get", kind, *namespace, *VARIANTS[variant])
    assert result.returncode == 0 and result.stdout  # every kind has objects to show


@pytest.mark.parametrize("args", [
    ("cm", "-n", "many"), ("cm", "-A"), ("pods", "-A"), ("pods", "-A", "-o", "wide"), ("rs,cm", "-A"),
    ("ev", "-n", "team-02"), ("ev", "-n", "team-02", "-o", "wide"),
], ids=" ".join)
def test_long_lists_and_odd_cells_are_laid_out_as_kubectl_lays_them_out(sides, args):
    result = same(sides, "get", *args)
    assert result.returncode == 0
    if args == ("cm", "-n", "many"):  # guards the case: the last page is laid out wider than the first
        lines = result.stdout.splitlines()
        first, last = (re.match(r"\S+ +", line).end() for line in (lines[1], lines[-1]))
        assert first < last


@pytest.mark.parametrize("kind", KINDS)
def test_label_selectors(sides, kind):
    same(sides, "get", kind, "-A", "-l", SELECTORS[kind])


@pytest.mark.parametrize("kind", KINDS)
def test_a_named_object(sides, kinds_cluster, kind):
    namespace = NAMESPACED.get(kind, "")
    name = first_name(kinds_cluster, kind, namespace)
    flags = ("-n", namespace) if namespace else ()
    result = same(sides, "get", kind, name, *flags)
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 2  # a header and its row
    same(sides, "get", kind, name, *flags, "-o", "yaml")
    same(sides, "get", f"{kind}/{name}", *flags, "-o", "name")


@pytest.mark.parametrize("kind", KINDS)
def test_a_missing_object_is_the_servers_not_found(sides, kind):
    result = same(sides, "get", kind, "no-such-object", "-n", "team-00")
    assert result.returncode == 1 and "(NotFound)" in result.stderr


@pytest.mark.parametrize("output", ["json", "yaml"])
def test_json_and_yaml_lists(sides, output):
    same(sides, "get", "deploy,rs", "-n", "team-00", "-o", output)
    same(sides, "get", "cm,svc,ev", "-A", "-o", output)


# -------------------------------------------------------------------- type names
@pytest.mark.parametrize("type_name", [
    "po", "deploy", "rs", "ns", "no", "ev", "svc", "cm", "deployments.apps", "deployment.apps", "deploy.apps",
    "deployments.v1.apps", "Deployment", "ReplicaSet.apps", "PODS", "rs.ap", "deployments.app", "pod.v1.",
])
def test_type_names_resolve_as_kubectl_resolves_them(sides, type_name):
    result = same(sides, "get", type_name, "-n", "team-00")
    assert result.returncode == 0


@pytest.mark.parametrize("type_name", ["foo", "DEPLOY", "PO", "foo.bar", "foo.v1.bar", "pods.v1", "deploy,foo", ""])
def test_unknown_types_are_kubectls_error(sides, type_name):
    result = same(sides, "get", type_name)
    assert result.returncode == 1 and result.stderr.startswith("error: the server doesn't have a resource type")


# -------------------------------------------------------------------- several at once
@pytest.mark.parametrize("args", [
    ("deploy,rs", "-n", "team-00"), ("deploy,rs,svc,cm", "-A"), ("ns,no",), ("ns,no", "-A", "-o", "wide"),
    ("all", "-n", "team-00"), ("all", "-A"), ("deploy,rs", "-n", "empty"), ("deploy,rs", "-l", "no=such"),
    ("deploy,cm", "-n", "team-00", "-o", "name"), ("svc,cm", "-n", "team-01"),
    ("ns,no", "-n", "team-00"), ("no", "node-a", "-n", "team-01"), ("ns,deploy", "-n", "team-00", "-o", "wide"),
], ids=" ".join)
def test_several_types_print_in_blocks(sides, args):
    same(sides, "get", *args)


def test_type_slash_name_and_a_mix_of_found_and_missing(sides, kinds_cluster):
    deployment = first_name(kinds_cluster, "deployments", "team-00")
    replicaset = first_name(kinds_cluster, "replicasets", "team-00")
    same(sides, "get", f"deploy/{deployment}", f"rs/{replicaset}", "cm/web-config", "-n", "team-00")
    result = same(sides, "get", "deploy,rs", deployment, "-n", "team-00")
    assert result.returncode == 1 and deployment in result.stdout  # found one printed, the other failed
    same(sides, "get", "deploy", deployment, "no-such", "-n", "team-00", "-o", "json")
    same(sides, "get", "ns", "team-00", "empty", "default")


@pytest.mark.parametrize("args", [
    ("deploy", "-n", "empty"), ("deploy", "-n", "empty", "-o", "name"), ("deploy", "-n", "empty", "-o", "json"),
    ("no", "-l", "no=such"), ("deploy", "-A", "-l", "no=such"),
], ids=" ".join)
def test_nothing_found(sides, args):
    same(sides, "get", *args)


@pytest.mark.parametrize("args", [
    ("deploy/x/y",), ("deploy/",), ("deploy", "x", "-A"), ("deploy", "x", "-l", "a=b"), ("deploy/x", "-l", "a=b"),
    ("ev", "-A", "--field-selector", "no.such=1"), ("deploy", "-n", "team-00", "-l", "app in (x"),
], ids=" ".join)
def test_bad_arguments_and_selectors(sides, args):
    result = same(sides, "get", *args)
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_a_type_and_a_type_slash_name_together_is_refused(sides):
    kubectl, kubetui = sides
    expected, actual = kubectl.run("get", "deploy/x", "rs"), kubetui.run("get", "deploy/x", "rs")
    assert actual.returncode == expected.returncode == 1
    assert actual.stderr == expected.stderr.replace("kubectl get", "kubetui get")  # each names itself


def test_field_selectors(sides):
    result = same(sides, "get", "ev", "-A", "--field-selector", "type=Warning")
    assert "Broken" in result.stdout and "Changed" not in result.stdout


def test_names_after_flags(sides, kinds_cluster):
    name = first_name(kinds_cluster, "deployments", "team-00")
    same(sides, "get", "deploy", "-n", "team-00", name)


# -------------------------------------------------------------------- discovery
def test_a_type_added_after_discovery_was_cached_is_found(sides, kinds_cluster):
    """As with a new CRD: the cached discovery misses it, so kubetui asks the server again."""
    same(sides, "get", "deploy", "-n", "team-00")  # both have cached discovery now
    widgets = ResourceType("example.com", "v1alpha1", "widgets", "widget", "Widget", namespaced=True,
                           short_names=("wd",))

    def add_widgets() -> None:
        if kinds_cluster.store.registry.get("widgets") is None:
            kinds_cluster.store.registry.register(widgets)
            clock = kinds_cluster.options.clock
            clock.moment = datetime.now(timezone.utc) - AGO  # an age that does not tick either
            try:
                kinds_cluster.store.create("widgets", {"apiVersion": "example.com/v1alpha1", "kind": "Widget",
                                                       "metadata": {"name": "gear", "namespace": "team-00"}})
            finally:
                clock.moment = None

    kinds_cluster.call(add_widgets)
    result = same(sides, "get", "wd", "-n", "team-00")
    assert "gear" in result.stdout
    same(sides, "get", "widgets.example.com/gear", "-n", "team-00", "-o", "name")


# -------------------------------------------------------------------- connections
def _kubeconfig_variant(cluster: LocalCluster, tmp_path: Path, **changes: str) -> Path:
    path = cluster.write_kubeconfig(tmp_path / "config")
    document = yaml.safe_load(path.read_text())
    for user in document["users"]:
        if "token" in changes:
            user["user"]["token"] = changes["token"]
        if "token_file" in changes:
            user["user"]["tokenFile"] = changes["token_file"]
            del user["user"]["token"]
    for entry in document["clusters"]:
        if "server" in changes:
            entry["cluster"]["server"] = changes["server"]
        if "no_ca" in changes:  # the system's CAs then, none of which signed the local cluster's certificate
            del entry["cluster"]["certificate-authority-data"]
    path.write_text(yaml.safe_dump(document))
    return path


def test_a_kubeconfig_kubetui_does_not_read_itself_goes_through_the_official_client(sides, kinds_cluster,
                                                                                      tmp_path):
    token = tmp_path / "token"
    token.write_text(kinds_cluster.token)
    config = _kubeconfig_variant(kinds_cluster, tmp_path, token_file=str(token))
    result = same(sides, "get", "deploy,svc", "-n", "team-00", kubeconfig=config)
    assert result.returncode == 0 and "deployment.apps/" in result.stdout


def test_a_rejected_token(sides, kinds_cluster, tmp_path):
    same(sides, "get", "deploy")  # discovery cached on both sides, as it is after any first use
    config = _kubeconfig_variant(kinds_cluster, tmp_path, token="wrong")
    result = same(sides, "get", "deploy", kubeconfig=config)
    assert result.stderr == "error: You must be logged in to the server (Unauthorized)\n"


def test_an_unreachable_server(sides, kinds_cluster, tmp_path):
    kubectl, kubetui = sides
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = _kubeconfig_variant(kinds_cluster, tmp_path, server=f"https://127.0.0.1:{port}")
    expected, actual = kubectl.run("get", "deploy", kubeconfig=config), kubetui.run("get", "deploy", kubeconfig=config)
    assert actual.returncode == expected.returncode == 1
    assert actual.stderr.splitlines() == [expected.stderr.splitlines()[-1]]  # kubectl adds klog lines first
    assert "was refused" in actual.stderr


@pytest.mark.parametrize("kind", ["pods", "deploy"])
def test_a_certificate_no_trusted_ca_signed(sides, kinds_cluster, tmp_path, kind):
    kubectl, kubetui = sides
    config = _kubeconfig_variant(kinds_cluster, tmp_path, no_ca="yes")
    expected, actual = kubectl.run("get", kind, kubeconfig=config), kubetui.run("get", kind, kubeconfig=config)
    assert actual.returncode == expected.returncode == 1
    assert actual.stderr.splitlines() == [expected.stderr.splitlines()[-1]]
    assert actual.stderr == ("Unable to connect to the server: tls: failed to verify certificate: "
                             "x509: certificate signed by unknown authority\n")


def test_watch_is_for_pods_only(sides):
    _, kubetui = sides
    result = kubetui.run("get", "deploy", "-w")
    assert result.returncode == 1
    assert result.stderr == "error: kubetui get -w watches pods only (kubetui get pods -w)\n"


def test_json_of_one_named_object_is_the_object_itself(sides, kinds_cluster):
    name = first_name(kinds_cluster, "replicasets", "team-00")
    result = same(sides, "get", "rs", name, "-n", "team-00", "-o", "json")
    document = orjson.loads(result.stdout)
    assert document["kind"] == "ReplicaSet" and "managedFields" not in document["metadata"]
