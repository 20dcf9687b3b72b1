"""Real kubectl against the kinds a daily user touches besides pods and workloads: discovery of
the new kinds, Secrets, ServiceAccounts and `kube-root-ca.crt`, node Leases, Endpoints and
EndpointSlices kept from Services and their ready pods."""

from __future__ import annotations

import base64
import json
import logging
import re

import pytest

from kubetui.localcluster.node.nodes import NODE_NAMES
from tests.localcluster.sim_support import TIME_SCALE, new_namespace
from tests.support.clusters import start_cluster
from tests.support.waiting import wait_for


@pytest.fixture(scope="module")
def fast_cluster(tmp_path_factory):
    """Fast simulated time, and node leases renewed twice a second instead of every 10 s."""
    with start_cluster(tmp_path_factory.mktemp("kinds"), time_scale=TIME_SCALE, heartbeat_interval=0.5) as running:
        yield running


def table(stdout: str) -> tuple[list[str], list[list[str]]]:
    """Header names and rows of a kubectl table, split at the header's column starts (so empty
    cells, such as a missing short name, stay in place)."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    starts = [m.start() for m in re.finditer(r"\S+(?: \S+)*", lines[0])]
    names = [lines[0][a:b].strip() for a, b in zip(starts, starts[1:] + [None])]
    rows = [[line[a:b].strip() for a, b in zip(starts, starts[1:] + [None])] for line in lines[1:]]
    return names, rows


def jsonpath(running, *args: str) -> str:
    *rest, path = args
    return running.kubectl("get", *rest, "-o", f"jsonpath={path}").stdout


ALL_VERBS = "create,delete,deletecollection,get,list,patch,update,watch"
NEW_KINDS = [  # name, short names, API version, kind, categories
    ["secrets", "", "v1", "Secret", ""],
    ["serviceaccounts", "sa", "v1", "ServiceAccount", ""],
    ["endpoints", "ep", "v1", "Endpoints", ""],
    ["jobs", "", "batch/v1", "Job", "all"],
    ["cronjobs", "cj", "batch/v1", "CronJob", "all"],
    ["leases", "", "coordination.k8s.io/v1", "Lease", ""],
    ["endpointslices", "", "discovery.k8s.io/v1", "EndpointSlice", ""],
]


def test_api_resources_lists_the_new_kinds(fast_cluster):
    header, rows = table(fast_cluster.kubectl("api-resources", "-o", "wide").stdout)
    assert header == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND", "VERBS", "CATEGORIES"]
    listed = {row[0]: row for row in rows}
    for name, short, version, kind, categories in NEW_KINDS:
        assert listed[name] == [name, short, version, "true", kind, ALL_VERBS, categories]


# ------------------------------------------------------------------------------ secrets
def test_a_secret_is_stored_base64_shown_as_kubectl_shows_it_and_never_logged(fast_cluster, caplog):
    caplog.set_level(logging.DEBUG)
    namespace = new_namespace(fast_cluster)
    created = fast_cluster.kubectl("-n", namespace, "create", "secret", "generic", "db",
                                   "--from-literal=password=s3cret-value", "--from-literal=user=admin")
    assert created.stdout == "secret/db created\n"
    assert jsonpath(fast_cluster, "-n", namespace, "secret", "db", "{.data.password}") == \
        base64.b64encode(b"s3cret-value").decode()
    header, rows = table(fast_cluster.kubectl("-n", namespace, "get", "secrets").stdout)
    assert header == ["NAME", "TYPE", "DATA", "AGE"] and [row[:3] for row in rows] == [["db", "Opaque", "2"]]
    described = fast_cluster.kubectl("-n", namespace, "describe", "secret", "db").stdout
    assert "Type:  Opaque\n\nData\n====\npassword:  12 bytes\nuser:      5 bytes\n" in described

    # stringData is merged into data (and dropped); bad base64 and missing TLS keys are refused
    applied = fast_cluster.kubectl("-n", namespace, "apply", "-f", "-", input=json.dumps({
        "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"},
        "data": {"user": base64.b64encode(b"admin").decode()}, "stringData": {"password": "s3cret-value-2"}}))
    assert applied.returncode == 0, applied.stderr
    data = json.loads(jsonpath(fast_cluster, "-n", namespace, "secret", "db", "{.data}"))
    assert base64.b64decode(data["password"]) == b"s3cret-value-2"
    assert jsonpath(fast_cluster, "-n", namespace, "secret", "db", "{.stringData}") == ""
    bad = fast_cluster.kubectl("-n", namespace, "apply", "-f", "-", check=False, input=json.dumps({
        "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "bad"}, "data": {"k": "not base64!"}}))
    assert bad.returncode == 1 and "illegal base64 data at input byte 3" in bad.stderr
    tls = fast_cluster.kubectl("-n", namespace, "create", "secret", "generic", "tls", "--type=kubernetes.io/tls",
                               "--from-literal=tls.crt=x", check=False)
    assert 'Secret "tls" is invalid: data[tls.key]: Required value' in tls.stderr

    # the read-only viewer may read pods but not secrets, as the `view` role
    denied = fast_cluster.kubectl("-n", namespace, "get", "secrets", context="kubetui-local-viewer", check=False)
    assert denied.returncode == 1 and denied.stderr.strip() == (
        'Error from server (Forbidden): secrets is forbidden: User "viewer" cannot list resource "secrets" '
        f'in API group "" in the namespace "{namespace}"')
    logged = caplog.text
    for secret in ("s3cret-value", base64.b64encode(b"s3cret-value").decode(), "s3cret-value-2"):
        assert secret not in logged


# ------------------------------------------------------------------------------ service accounts
def test_every_namespace_gets_a_default_account_and_the_cluster_ca(fast_cluster):
    namespace = new_namespace(fast_cluster)
    wait_for(lambda: fast_cluster.kubectl("-n", namespace, "get", "sa,cm", "-o", "name", check=False).stdout
             == "serviceaccount/default\nconfigmap/kube-root-ca.crt\n", message="default account and root CA")
    assert jsonpath(fast_cluster, "-n", namespace, "cm", "kube-root-ca.crt", "{.data.ca\\.crt}") == \
        fast_cluster.cluster.ca_pem.decode()
    header, rows = table(fast_cluster.kubectl("-n", namespace, "get", "sa").stdout)
    assert header == ["NAME", "SECRETS", "AGE"] and [row[:2] for row in rows] == [["default", "0"]]
    uid = jsonpath(fast_cluster, "-n", namespace, "sa", "default", "{.metadata.uid}")
    fast_cluster.kubectl("-n", namespace, "delete", "sa", "default")
    wait_for(lambda: jsonpath(fast_cluster, "-n", namespace, "sa", "default", "{.metadata.uid}") not in ("", uid),
             message="default account recreated")
    created = fast_cluster.kubectl("-n", namespace, "create", "serviceaccount", "robot")
    assert created.stdout == "serviceaccount/robot created\n"


# ------------------------------------------------------------------------------ leases
def test_each_node_renews_its_lease_and_describe_node_shows_it(fast_cluster):
    header, rows = table(fast_cluster.kubectl("-n", "kube-node-lease", "get", "leases").stdout)
    assert header == ["NAME", "HOLDER", "AGE"]
    assert [row[:2] for row in rows] == [[name, name] for name in NODE_NAMES]
    before = jsonpath(fast_cluster, "-n", "kube-node-lease", "lease", NODE_NAMES[0], "{.spec.renewTime}")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", before)
    wait_for(lambda: jsonpath(fast_cluster, "-n", "kube-node-lease", "lease", NODE_NAMES[0],
                              "{.spec.renewTime}") != before, message="the lease renewed")
    described = fast_cluster.kubectl("describe", "node", NODE_NAMES[0]).stdout
    assert re.search(rf"\nLease:\n  HolderIdentity:  {NODE_NAMES[0]}\n  AcquireTime:     <unset>\n"
                     r"  RenewTime:       \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}\n", described), described


# ------------------------------------------------------------------------------ endpoints
def _pod_ips(running, namespace: str) -> list[str]:
    return sorted(jsonpath(running, "-n", namespace, "pods", "-l", "app=web",
                           "{.items[*].status.podIP}").split())


def test_endpoints_and_slices_follow_the_services_ready_pods(fast_cluster):
    namespace = new_namespace(fast_cluster)
    fast_cluster.kubectl("-n", namespace, "create", "deployment", "web", "--image=nginx:1.27", "--replicas=2",
                         "--port=80")
    fast_cluster.kubectl("-n", namespace, "expose", "deployment", "web", "--port=8080", "--target-port=80")
    fast_cluster.kubectl("-n", namespace, "wait", "--for=condition=available", "deployment/web", "--timeout=60s")
    ips = wait_for(lambda: len(_pod_ips(fast_cluster, namespace)) == 2 and _pod_ips(fast_cluster, namespace))
    expected = ",".join(f"{ip}:80" for ip in ips)  # v1 Endpoints sort their addresses

    def endpoints_cell() -> str:
        got = fast_cluster.kubectl("-n", namespace, "get", "endpoints", "web")
        return table(got.stdout)[1][0][1] if got.returncode == 0 else ""

    wait_for(lambda: endpoints_cell() == expected, message=f"endpoints {expected}")
    listed = fast_cluster.kubectl("-n", namespace, "get", "endpoints")
    assert table(listed.stdout)[0] == ["NAME", "ENDPOINTS", "AGE"]
    assert listed.stderr == "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"
    header, rows = table(fast_cluster.kubectl("-n", namespace, "get", "endpointslices").stdout)
    assert header == ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"]
    assert len(rows) == 1 and rows[0][0].startswith("web-") and len(rows[0][0]) == len("web-") + 5
    assert rows[0][1:3] == ["IPv4", "80"] and sorted(rows[0][3].split(",")) == ips
    endpoint_slice = json.loads(fast_cluster.kubectl("-n", namespace, "get", "endpointslices", "-o", "json").stdout)
    labels = endpoint_slice["items"][0]["metadata"]["labels"]
    assert labels["kubernetes.io/service-name"] == "web"
    assert labels["endpointslice.kubernetes.io/managed-by"] == "endpointslice-controller.k8s.io"
    assert endpoint_slice["items"][0]["endpoints"][0]["conditions"] == {
        "ready": True, "serving": True, "terminating": False}
    described = fast_cluster.kubectl("-n", namespace, "describe", "svc", "web").stdout
    shown = re.search(r"\nEndpoints: +(\S+)\n", described)
    assert shown and sorted(shown.group(1).split(",")) == expected.split(","), described  # in the slice's order

    fast_cluster.kubectl("-n", namespace, "scale", "deployment", "web", "--replicas=0")
    wait_for(lambda: endpoints_cell() == "<none>", message="no endpoints left")
    _, rows = table(fast_cluster.kubectl("-n", namespace, "get", "endpointslices").stdout)
    assert [row[1:4] for row in rows] == [["IPv4", "<unset>", "<unset>"]]


def test_the_kubernetes_service_has_the_api_servers_endpoints(fast_cluster):
    described = fast_cluster.kubectl("describe", "svc", "kubernetes").stdout
    assert "\nEndpoints:                172.18.0.2:6443\n" in described
    _, rows = table(fast_cluster.kubectl("get", "endpointslices", "kubernetes").stdout)
    assert rows[0][:4] == ["kubernetes", "IPv4", "6443", "172.18.0.2"]
