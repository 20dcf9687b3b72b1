"""The kubectl lines of actions done with keys: each case's exact words, and the grammar of the
`:` line reads every line back as the same request (kubectl itself runs them in
tests/test_kubectl_equivalent_vs_kubectl.py)."""

from __future__ import annotations

import dataclasses
from typing import Any, NamedTuple

import pytest

from kubetui.model import kubectl_equivalent as kubectl
from kubetui.model.kubectl_equivalent import POD, EventsRequest, Where, command_line
from kubetui.model.kubectl_grammar import Request, SetContextNamespaceRequest, VersionRequest, parse_command_line

from tests.model.grammar_tables import LOCAL, WITH_CRD, kind

HERE = Where("default")
DEPLOY, NODES, NAMESPACES = kind("deploy"), kind("nodes"), kind("namespaces")
CRONTAB, NEW_EVENTS = kind("crontabs", WITH_CRD), kind("events.events.k8s.io", WITH_CRD)


class Case(NamedTuple):
    id: str
    request: Request
    line: str
    where: Where = HERE


CASES = [
    # what a view lists: namespace switch, all namespaces, label filter, wide, `:deploy`
    Case("pods of another namespace", kubectl.get_list(POD, "demo"), "kubectl get pods -n demo"),
    Case("pods of the context's namespace", kubectl.get_list(POD, "default"), "kubectl get pods"),
    Case("pods of every namespace", kubectl.get_list(POD, None), "kubectl get pods -A"),
    Case("label filter, quoted for the shell, wide",
         kubectl.get_list(DEPLOY, "demo", selector="app in (web,api),tier!=db", wide=True),
         "kubectl get deployments -n demo -l 'app in (web,api),tier!=db' -o wide"),
    Case("a node's pods", kubectl.get_list(POD, None, field_selector="spec.nodeName=kind-worker"),
         "kubectl get pods -A --field-selector=spec.nodeName=kind-worker"),
    Case("a cluster-scoped type has no namespace", kubectl.get_list(NODES, "demo"), "kubectl get nodes"),
    Case("a custom resource with its group", kubectl.get_list(CRONTAB, "demo"),
         "kubectl get crontabs.stable.example.com -n demo"),
    Case("a type whose bare name is core's", kubectl.get_list(NEW_EVENTS, "demo"),
         "kubectl get events.events.k8s.io -n demo"),
    Case("another default namespace", kubectl.get_list(POD, "team-a"), "kubectl get pods", Where("team-a")),
    Case("the default namespace, named", kubectl.get_list(POD, "default"), "kubectl get pods -n default",
         Where("team-a")),
    Case("another context than kubectl's", kubectl.get_list(POD, "demo"),
         "kubectl get pods -n demo --context kind-other", Where("default", "kind-other")),
    # one object: d, y, v
    Case("yaml", kubectl.get_yaml(POD, "demo", "web"), "kubectl get pod web -n demo -o yaml"),
    Case("describe", kubectl.describe(DEPLOY, "default", "web"), "kubectl describe deployment web"),
    Case("describe a node", kubectl.describe(NODES, None, "kind-worker"), "kubectl describe node kind-worker"),
    Case("events of a pod", kubectl.events_for(POD, "demo", "web"), "kubectl events --for pod/web -n demo"),
    Case("events of a node are in any namespace", kubectl.events_for(NODES, None, "kind-worker"),
         "kubectl events --for node/kind-worker -A"),
    # actions
    Case("delete", kubectl.delete(POD, "demo", "web"), "kubectl delete pod web -n demo"),
    Case("kill", kubectl.delete(POD, "demo", "web", kill=True),
         "kubectl delete pod web -n demo --grace-period=0 --force"),
    Case("delete a namespace", kubectl.delete(NAMESPACES, None, "demo"), "kubectl delete namespace demo"),
    Case("scale", kubectl.scale(DEPLOY, "demo", "web", 5), "kubectl scale deployment/web -n demo --replicas=5"),
    Case("restart", kubectl.rollout("restart", DEPLOY, "default", "web"), "kubectl rollout restart deployment/web"),
    Case("undo", kubectl.rollout("undo", DEPLOY, "demo", "web"), "kubectl rollout undo deployment/web -n demo"),
    # sessions
    Case("shell", kubectl.exec_in("demo", "web", "nginx", ("/bin/bash",), tty=True, stdin=True),
         "kubectl exec -it web -c nginx -n demo -- /bin/bash"),
    Case("the notes' pipeline",
         kubectl.exec_in("default", "sample-pod", "nginx-container",
                         ("/bin/bash", "-c", "ls --all --classify | grep lib"), tty=True, stdin=True),
         "kubectl exec -it sample-pod -c nginx-container -- /bin/bash -c 'ls --all --classify | grep lib'"),
    Case("a command run once", kubectl.exec_in("default", "web", "nginx", ("/bin/ls", "-l"), tty=False, stdin=False),
         "kubectl exec web -c nginx -- /bin/ls -l"),
    Case("port-forward", kubectl.port_forward("demo", "web", 8080, 80), "kubectl port-forward web 8080:80 -n demo"),
    Case("port-forward, any free local port", kubectl.port_forward("default", "web", 0, 80),
         "kubectl port-forward web :80"),
    Case("port-forward, the same port", kubectl.port_forward("default", "web", 6379, 6379),
         "kubectl port-forward web 6379"),
    Case("logs", kubectl.logs_of("demo", pod="web", container="nginx", follow=True, tail=1000),
         "kubectl logs -f web -c nginx -n demo --tail=1000"),
    Case("previous logs with timestamps",
         kubectl.logs_of("default", pod="web", container="nginx", follow=True, previous=True, timestamps=True,
                         tail=1000),
         "kubectl logs -f -p web -c nginx --timestamps --tail=1000"),
    Case("every container, the last hour",
         kubectl.logs_of("default", pod="web", container="nginx", all_containers=True, follow=True,
                         since_seconds=3600),
         "kubectl logs -f web --all-containers --prefix --since=1h"),
    Case("a workload's pods", kubectl.logs_of("demo", selector="app=web", follow=True, tail=1000),
         "kubectl logs -f -l app=web -n demo --prefix --tail=1000"),
    Case("every line of a workload's pods", kubectl.logs_of("demo", selector="app=web", follow=True),
         "kubectl logs -f -l app=web -n demo --prefix --tail=-1"),
    # the apply dock
    Case("apply", kubectl.apply("sample-pod.yaml", "default"), "kubectl apply --server-side -f sample-pod.yaml"),
    Case("plan, forcing conflicts", kubectl.apply("sample-pod.yaml", "demo", force_conflicts=True, dry_run=True),
         "kubectl apply --server-side -f sample-pod.yaml -n demo --force-conflicts --dry-run=server"),
    Case("apply the editor's text", kubectl.apply("-", "default"), "kubectl apply --server-side -f -"),
    Case("delete what files name", kubectl.delete_files("my manifests/web.yaml", "default"),
         "kubectl delete -f 'my manifests/web.yaml'"),
    # pickers
    Case("context switch", kubectl.use_context("kind-kind"), "kubectl config use-context kind-kind"),
    Case("namespace of the context", SetContextNamespaceRequest(context_name=None, new_namespace="demo"),
         "kubectl config set-context --current --namespace=demo"),
]
# kubetui's `:` line does not read `kubectl events`; kubectl runs it in the test against the server.
NOT_IN_THE_GRAMMAR = (EventsRequest,)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_line_is_kubectls(case: Case) -> None:
    assert command_line(case.request, case.where) == case.line


@pytest.mark.parametrize("case", [c for c in CASES if not isinstance(c.request, NOT_IN_THE_GRAMMAR)],
                         ids=[c.id for c in CASES if not isinstance(c.request, NOT_IN_THE_GRAMMAR)])
def test_the_grammar_reads_the_line_as_the_same_request(case: Case) -> None:
    parsed = parse_command_line(case.line, WITH_CRD if "example.com" in case.line or "events." in case.line
                                else LOCAL)
    assert shape(parsed, case.where) == shape(case.request, case.where)


def test_a_view_switch_has_the_line_of_what_the_view_lists_and_other_commands_none() -> None:
    view = parse_command_line("deploy -A -l app=web", LOCAL)
    assert kubectl.has_line(view) and command_line(view) == "kubectl get deployments -A -l app=web"
    assert not kubectl.has_line(VersionRequest())
    with pytest.raises(TypeError):
        command_line(VersionRequest())


def shape(request: Request, where: Where) -> dict[str, Any]:
    """The request's fields, with the defaults kubectl fills in made explicit and each type
    reduced to its group and plural (the grammar's table knows more of it than a view does)."""
    fields = {field.name: _plain(getattr(request, field.name)) for field in dataclasses.fields(request)}
    fields["namespace"] = request.namespace or where.namespace
    fields["context"] = request.context or where.context
    return {"command": request.command, **fields}


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    if hasattr(value, "plural") and hasattr(value, "group"):
        return (value.group, value.plural)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    return value
