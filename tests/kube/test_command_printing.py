"""What the `:` line's result tabs and reports say, against the venv's kubectl on the same server.

Each case parses the line with the grammar (as the command line does), runs kubetui's side
headless with the connection the app would use, runs kubectl with the same words, and compares
stdout then stderr (a terminal's order when errors come last) exactly; ages in tables read
`Ns` on both sides (the objects are seconds old). Changing commands run on twin objects, one
for kubetui and one for kubectl, and their lines are compared with the names swapped.
"""

from __future__ import annotations

import re

import pytest

from kubetui.errors import KubetuiError

from kubetui.commands.printing import describe_printed, get_printed
from kubetui.kube import server_info
from kubetui.kube.contexts import connect
from kubetui.kube.creating import create_namespace
from kubetui.kube.explaining import explain_printed
from kubetui.kube.labeling import change_metadata
from kubetui.kube.printed import Scoped
from kubetui.kube.rollout_reading import history_printed
from kubetui.kube.view_kinds import resources
from kubetui.model.kubectl_grammar import GrammarError, ResourceTable, parse_command_line

PODS = """
apiVersion: v1
kind: Pod
metadata: {name: NAME, labels: {app: web, tier: front}, annotations: {note: one}}
spec: {containers: [{name: app, image: nginx:1.16}]}
"""


@pytest.fixture(scope="module")
def conn(kubeconfig_path, tmp_path_factory):
    connection = connect(str(kubeconfig_path))
    yield connection
    connection.close()


@pytest.fixture
def run(conn, namespace, kubectl):
    """``run(line)``: (kubetui's text, kubectl's text) for one command line in ``namespace``."""
    table = ResourceTable(resources(conn.api_client))
    scoped = Scoped(conn.api_client, conn.server, namespace)

    def both(line: str, printer) -> tuple[str, str]:
        request = parse_command_line(line, table)
        ours = printer(scoped, request)
        theirs = kubectl("-n", namespace, *line.split())
        return _aged(ours.text), _aged(theirs.stdout + theirs.stderr)

    return both


def _aged(text: str) -> str:
    return re.sub(r"(?<= )\d+s(?= |$)", "Ns", text, flags=re.M)


def _make_pods(kubectl, namespace: str, *names: str) -> None:
    for name in names:
        done = kubectl("-n", namespace, "apply", "-f", "-", input=PODS.replace("NAME", name))
        assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("line", [
    "get pods -o yaml", "get pods web-1 -o json", "get pods -o name", "get pods web-1 web-2",
    "get po/web-1 po/missing", "get pods,cm", "get pods -l tier=front -o name", "get all -o name",
])
def test_get_prints_what_kubectl_prints(run, kubectl, namespace, line):
    _make_pods(kubectl, namespace, "web-1", "web-2")
    ours, theirs = run(line, get_printed)
    assert ours == theirs


@pytest.mark.parametrize("line", ["describe pods web", "describe pods -l app=web", "describe po/missing"])
def test_describe_prints_what_kubectl_prints(run, kubectl, namespace, line):
    _make_pods(kubectl, namespace, "web-1", "web-2")
    ours, theirs = run(line, lambda conn, request: describe_printed(
        conn, request, line.split()[1:] if "-l" not in line else None))
    assert ours == theirs


@pytest.mark.parametrize("line", [
    "api-resources", "api-resources -o wide", "api-resources -o name", "api-resources --namespaced=false",
    "api-resources --sort-by=kind --no-headers", "api-resources --verbs=list,watch --api-group=apps",
])
def test_api_resources_prints_what_kubectl_prints(run, line):
    ours, theirs = run(line, server_info.api_resources_printed)
    assert ours == theirs


def test_cluster_info_and_the_server_version_are_kubectls(run):
    ours, theirs = run("cluster-info", lambda conn, request: server_info.cluster_info_printed(conn))
    assert ours == theirs
    ours, theirs = run("version", server_info.version_printed)
    server_line = next(line for line in theirs.splitlines() if line.startswith("Server Version:"))
    assert server_line in ours.splitlines()
    assert ours.splitlines()[0].startswith("Client Version: kubetui ")  # kubetui is no kubectl


@pytest.mark.parametrize("line", [
    "explain pods", "explain deploy.spec.replicas", "explain rs --recursive", "explain pods.spec.containers",
    "explain deployment.spec --recursive", "explain jobs.spec", "explain svc.spec.ports.protocol",
    "explain pods.spec.nosuch", "explain pods --api-version=apps/v1",
])
def test_explain_prints_what_kubectl_prints_from_the_servers_schemas(run, line):
    ours, theirs = run(line, explain_printed)
    assert ours == theirs


def test_explain_of_an_unknown_type_is_refused_in_kubectls_words(conn, kubectl):
    with pytest.raises(GrammarError) as refused:
        parse_command_line("explain foo", ResourceTable(resources(conn.api_client)))
    assert str(refused.value) + "\n" == kubectl("explain", "foo").stderr


def test_rollout_history_without_replica_sets(run, kubectl, namespace):
    done = kubectl("-n", namespace, "create", "deployment", "web", "--image=nginx:1.16")
    assert done.returncode == 0, done.stderr
    ours, theirs = run("rollout history deploy/web", lambda conn, request: history_printed(
        conn, request.targets[0].resource, request.targets[0].name))
    assert ours == theirs


@pytest.mark.parametrize("steps", [
    [("label", "app=api", "--overwrite"), ("label", "app=api", "--overwrite")],     # labeled, then not labeled
    [("label", "app=api",)],                                                           # refused: no --overwrite
    [("label", "tier-",), ("label", "gone-",)],                                        # unlabeled; not found
    [("label", "tier-", "--overwrite")],                                               # unlabeled too
    [("label", "new=1", "--dry-run=server")],
    [("annotate", "note=two",), ("annotate", "note=two", "--overwrite"), ("annotate", "extra=x")],
    [("annotate", "note-",)],
])
def test_label_and_annotate_say_what_kubectl_says(conn, kubectl, namespace, steps):
    _make_pods(kubectl, namespace, "ours", "theirs")
    table = ResourceTable(resources(conn.api_client))
    for verb, *words in steps:
        request = parse_command_line(f"{verb} pod ours {' '.join(words)}", table)
        field = "labels" if verb == "label" else "annotations"
        try:
            ours = "\n".join(change_metadata(
                conn.api_client, request.targets[0].resource, namespace, "ours", field,
                [(c.key, c.value) for c in request.changes], overwrite=request.overwrite, dry_run=request.dry_run))
        except Exception as problem:
            ours = getattr(problem, "message", str(problem))
        theirs = kubectl("-n", namespace, verb, "pod", "theirs", *words)
        assert ours.replace("ours", "theirs") + "\n" == theirs.stdout + theirs.stderr
    got = {name: kubectl("-n", namespace, "get", "pod", name, "-o", "jsonpath={.metadata.labels} {.metadata.annotations}")
           .stdout for name in ("ours", "theirs")}
    assert got["ours"].replace('\\"ours\\"', '\\"theirs\\"') == got["theirs"]


def test_create_namespace_says_what_kubectl_says(conn, kubectl, raw, namespace):
    for dry_run, flag in (("server", ("--dry-run=server",)), ("client", ("--dry-run=client",)), ("none", ())):
        ours = create_namespace(conn.api_client, f"{namespace}-a", dry_run=dry_run)
        theirs = kubectl("create", "namespace", f"{namespace}-b", *flag).stdout
        assert ours.replace(f"{namespace}-a", f"{namespace}-b") + "\n" == theirs
    with pytest.raises(KubetuiError) as again:
        create_namespace(conn.api_client, f"{namespace}-a")
    theirs = kubectl("create", "namespace", f"{namespace}-b")
    assert again.value.message.replace(f"{namespace}-a", f"{namespace}-b") + "\n" == theirs.stderr
    for name in (f"{namespace}-a", f"{namespace}-b"):
        raw.request("DELETE", f"/api/v1/namespaces/{name}")
