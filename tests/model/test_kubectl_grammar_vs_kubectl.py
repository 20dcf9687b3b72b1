"""The grammar's errors are kubectl's: the same words run through the venv's kubectl print the same line.

Each case of the grammar's error table runs as kubectl argv against the session's local API server,
in a namespace of its own holding a pod `web` (so kubectl's checks that come after fetching the pod
are reached) and a manifest `x.yaml` in the working directory. Every case must fail in kubectl
before anything is written; the grammar's message must equal a run of consecutive lines of
kubectl's stderr.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import uuid

import pytest
import yaml

from kubetui.model.kubectl_grammar import GrammarError, ResourceTable, parse_command_line
from tests.model.grammar_tables import local_discovery
from tests.model.test_kubectl_grammar import ERRORS
from tests.support.clusters import KUBECTL

# Where kubetui says more than kubectl, or kubectl needs what the bare server cannot give.
KUBECTL_SAYS_IT_OTHERWISE = {
    "get nothing": "kubectl prints this sentence above its error line, without the 'error: ' prefix",
    "unknown command near a command": "cobra prints its suggestion on lines of its own",
    "unknown command near a type": "cobra prints its suggestion on lines of its own",
    "unknown subcommand": "kubectl rollout prints only 'unknown command \"bogus\"'",
    "bad local port": "kubectl parses ports only once the pod runs",
    "port out of range": "kubectl parses ports only once the pod runs",
    "bad address": "kubectl checks addresses only once the pod runs",
}
COMPARED = [case for case in ERRORS if case.id not in KUBECTL_SAYS_IT_OTHERWISE]


@pytest.fixture(scope="module")
def workdir(raw, kubeconfig_path, tmp_path_factory):
    """A directory with x.yaml and a kubeconfig whose context points at a fresh namespace holding pod web."""
    name = f"g-{uuid.uuid4().hex[:10]}"
    raw.json("POST", "/api/v1/namespaces", {"metadata": {"name": name}}, expect=201)
    raw.json("POST", f"/api/v1/namespaces/{name}/pods", {
        "metadata": {"name": "web"},
        "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}, {"name": "sidecar", "image": "busybox"}]},
    }, expect=201)
    directory = tmp_path_factory.mktemp("grammar")
    config = yaml.safe_load(kubeconfig_path.read_text())
    for context in config["contexts"]:
        context["context"]["namespace"] = name
    (directory / "config").write_text(yaml.safe_dump(config))
    (directory / "x.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    yield directory
    raw.request("DELETE", f"/api/v1/namespaces/{name}")


def kubectl_stderr(argv: list[str], directory) -> subprocess.CompletedProcess:
    env = {**os.environ, "KUBECONFIG": str(directory / "config"), "KUBECACHEDIR": str(directory / "cache"),
           "KUBE_EDITOR": "false", "EDITOR": "false"}
    return subprocess.run([KUBECTL, *argv], capture_output=True, text=True, env=env, cwd=directory, timeout=60)


def runs_of_lines(text: str) -> set[str]:
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    return {" ".join(lines[i:j]) for i in range(len(lines)) for j in range(i + 1, len(lines) + 1)}


@pytest.mark.parametrize(("line", "message"), COMPARED)
def test_the_grammar_says_what_kubectl_says(line, message, workdir):
    with pytest.raises(GrammarError) as caught:
        parse_command_line(line, ResourceTable.from_discovery(local_discovery()))
    ours = str(caught.value)
    assert ours == message
    result = kubectl_stderr(shlex.split(line), workdir)
    assert result.returncode != 0, result.stdout
    assert ours.rstrip() in runs_of_lines(result.stderr), result.stderr


# Lines the grammar accepts, run as they are: kubectl must accept them too (all of them only read).
ACCEPTED = [
    "get pods -n kube-system", "get -n kube-system pods", "-n kube-system get pods", "get pods -nkube-system",
    "get pods -n=kube-system", "get pods --namespace=kube-system", "get pods -A=true --watch=false",
    "get pods --all_namespaces", "get -owide pods", "get pods -o=yaml", "get pods --output json",
    "get pods -l app=web --field-selector status.phase=Pending", "get pods web", "get pod/web",
    "get pods,svc", "get pods,svc -o name", "get all", "get po", "get Pods",
    "get deploy.apps", "get deploy.ap", "get deployments.v1.apps", "get ConfigMap.v1.", "get pods. -o name",
    "describe pod web", "describe pods", "describe po/web", "get ns default -o name",
    "api-resources --namespaced=false -o wide --api-group apps --verbs list,watch --sort-by kind",
    "api-resources -o name", "version --client -o yaml", "cluster-info",
]


@pytest.mark.parametrize("line", ACCEPTED)
def test_what_the_grammar_accepts_kubectl_runs(line, workdir):
    parse_command_line(line, ResourceTable.from_discovery(local_discovery()))
    result = kubectl_stderr(shlex.split(line), workdir)
    assert result.returncode == 0, result.stderr
