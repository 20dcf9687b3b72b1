"""What the command line expects under the cursor: the kind of word, what is typed of it, where it starts.

Cases mark the cursor with `‸`; without a mark the cursor is at the end of the line.
"""

from __future__ import annotations

import pytest

from kubetui.model.kubectl_grammar import Completing, completion_context

from tests.model.grammar_tables import LOCAL, WITH_CRD, kind

CURSOR = "‸"


def complete(marked: str, table=LOCAL):
    cursor = marked.find(CURSOR)
    line = marked.replace(CURSOR, "")
    return completion_context(line, len(line) if cursor < 0 else cursor, table)


# (marked line, kind, prefix, start, extra attributes to check)
CASES = [
    pytest.param("", Completing.VERB, "", 0, {}, id="empty line: a command"),
    pytest.param("ge", Completing.VERB, "ge", 0, {}, id="half a command"),
    pytest.param("kubectl g", Completing.VERB, "g", 8, {}, id="after kubectl"),
    pytest.param("-n team-a ", Completing.VERB, "", 10, {"namespace": "team-a"}, id="after a global flag"),
    pytest.param("get ", Completing.RESOURCE_TYPE, "", 4, {}, id="get: a type"),
    pytest.param("get po", Completing.RESOURCE_TYPE, "po", 4, {}, id="half a type"),
    pytest.param("get pods,de", Completing.RESOURCE_TYPE, "de", 9, {}, id="the next type of a list"),
    pytest.param("get pods ", Completing.OBJECT_NAME, "", 9, {"resource": kind("pods")}, id="a pod name"),
    pytest.param("get pods web ", Completing.OBJECT_NAME, "", 13, {"resource": kind("pods")}, id="another name"),
    pytest.param("get svc,pods a", Completing.OBJECT_NAME, "a", 13, {"resource": kind("services")},
                 id="a name after a list: of the first type"),
    pytest.param("get deploy/ng", Completing.OBJECT_NAME, "ng", 11, {"resource": kind("deployments")},
                 id="TYPE/ then a name"),
    pytest.param("get pod/a ", Completing.RESOURCE_TYPE, "", 10, {}, id="after TYPE/NAME another type"),
    pytest.param("get foo/x", Completing.NOTHING, "foo/x", 4, {}, id="an unknown type offers nothing"),
    pytest.param("get pods 'we", Completing.OBJECT_NAME, "we", 9, {}, id="inside an open quote"),
    pytest.param("get pods -n ", Completing.NAMESPACE, "", 12, {}, id="-n then a namespace"),
    pytest.param("get pods -nkube", Completing.NAMESPACE, "kube", 11, {}, id="-nNS"),
    pytest.param("get pods --namespace=ku", Completing.NAMESPACE, "ku", 21, {}, id="--namespace=NS"),
    pytest.param("get pods -n=ku", Completing.NAMESPACE, "ku", 12, {}, id="-n=NS"),
    pytest.param("get pods -n kube-system ", Completing.OBJECT_NAME, "", 24,
                 {"namespace": "kube-system", "resource": kind("pods")}, id="names in the namespace typed"),
    pytest.param("get pods ‸ -n kube-system", Completing.OBJECT_NAME, "", 9, {"namespace": "kube-system"},
                 id="a namespace typed after the cursor counts"),
    pytest.param("get pods -A ", Completing.OBJECT_NAME, "", 12, {"all_namespaces": True}, id="-A"),
    pytest.param("get pods --context kind-b ", Completing.OBJECT_NAME, "", 26, {"context": "kind-b"},
                 id="names in the context typed"),
    pytest.param("get pods -", Completing.FLAG, "-", 9, {}, id="a flag"),
    pytest.param("get pods --wa", Completing.FLAG, "--wa", 9, {}, id="half a flag"),
    pytest.param("get pods -o ", Completing.VALUE, "", 12, {"choices": ("wide", "yaml", "json", "name")},
                 id="-o values"),
    pytest.param("get pods -oy", Completing.VALUE, "y", 11, {"flag": "output"}, id="-oVALUE"),
    pytest.param("get pods --field-selector ", Completing.NOTHING, "", 26, {"flag": "field-selector"},
                 id="free text value"),
    pytest.param("logs web -c ", Completing.CONTAINER, "", 12, {"pod": "web"}, id="logs -c: containers"),
    pytest.param("logs web ", Completing.CONTAINER, "", 9, {"pod": "web"}, id="logs POD CONTAINER"),
    pytest.param("logs -c ", Completing.CONTAINER, "", 8, {"pod": None}, id="-c before the pod"),
    pytest.param("logs ", Completing.OBJECT_NAME, "", 5, {"resource": kind("pods")}, id="logs: a pod"),
    pytest.param("logs deploy/a", Completing.OBJECT_NAME, "a", 12, {"resource": kind("deployments")},
                 id="logs TYPE/NAME"),
    pytest.param("exec -it ", Completing.OBJECT_NAME, "", 9, {"resource": kind("pods")}, id="exec: a pod"),
    pytest.param("exec -it web -c ng", Completing.CONTAINER, "ng", 16, {"pod": "web"}, id="exec -c"),
    pytest.param("exec -itc ", Completing.CONTAINER, "", 10, {}, id="exec -itc"),
    pytest.param("exec -it web -- ", Completing.NOTHING, "", 16, {}, id="the command after --"),
    pytest.param("exec -it web -- ls -", Completing.NOTHING, "-", 19, {}, id="flags after -- are the command's"),
    pytest.param('exec -it web -- sh -c "ls --al', Completing.NOTHING, "ls --al", 22, {}, id="open quote after --"),
    pytest.param("apply -f ", Completing.FILE, "", 9, {}, id="-f: a file"),
    pytest.param("apply -f ./sam", Completing.FILE, "./sam", 9, {}, id="half a path"),
    pytest.param("apply --filename=s", Completing.FILE, "s", 17, {}, id="--filename=PATH"),
    pytest.param("apply -f x --dry-run=s", Completing.VALUE, "s", 21, {"choices": ("none", "client", "server")},
                 id="--dry-run values"),
    pytest.param("delete ", Completing.RESOURCE_TYPE, "", 7, {}, id="delete: a type"),
    pytest.param("label pods web tier=", Completing.NOTHING, "tier=", 15, {}, id="a label"),
    pytest.param("explain po", Completing.RESOURCE_TYPE, "po", 8, {}, id="explain: a type"),
    pytest.param("explain pods.sp", Completing.NOTHING, "pods.sp", 8, {}, id="explain: a field path"),
    pytest.param("rollout ", Completing.SUBCOMMAND, "", 8, {"choices": ("status", "restart", "undo", "history")},
                 id="rollout: a subcommand"),
    pytest.param("rollout status deploy/", Completing.OBJECT_NAME, "", 22, {"resource": kind("deployments")},
                 id="rollout status TYPE/"),
    pytest.param("config ", Completing.SUBCOMMAND, "", 7, {"choices": ("use-context", "set-context")},
                 id="config: a subcommand"),
    pytest.param("config use-context ", Completing.CONTEXT, "", 19, {}, id="use-context: a context"),
    pytest.param("config set-context --current --namespace ", Completing.NAMESPACE, "", 41, {},
                 id="set-context --namespace"),
    pytest.param("--context k", Completing.CONTEXT, "k", 10, {}, id="--context before the command"),
    pytest.param("port-forward ", Completing.OBJECT_NAME, "", 13, {"resource": kind("pods")}, id="port-forward"),
    pytest.param("port-forward web ", Completing.NOTHING, "", 17, {}, id="ports"),
    pytest.param("deploy ", Completing.NOTHING, "", 7, {}, id="after a bare resource"),
    pytest.param("deploy -", Completing.FLAG, "-", 7, {"choices": ("--all-namespaces", "--selector", "--context",
                                                                   "--namespace", "-A", "-l", "-n")},
                 id="a bare resource's flags"),
]


@pytest.mark.parametrize(("marked", "expected_kind", "prefix", "start", "extra"), CASES)
def test_completion_context(marked, expected_kind, prefix, start, extra):
    context = complete(marked)
    assert (context.kind, context.prefix, context.start) == (expected_kind, prefix, start)
    for name, value in extra.items():
        assert getattr(context, name) == value, name


def test_commands_and_resource_types_are_offered_first():
    choices = complete("").choices
    assert {"get", "exec", "logs", "apply", "rollout", "config", "pods", "deploy", "po", "svc"} <= set(choices)
    assert "cp" not in choices


def test_type_choices_come_from_discovery_crds_included():
    assert "ct" in complete("get ", WITH_CRD).choices
    assert "ct" not in complete("get ").choices
    context = complete("get ct ", WITH_CRD)
    assert (context.kind, context.resource) == (Completing.OBJECT_NAME, kind("crontabs", WITH_CRD))


def test_flag_choices_are_the_commands_flags_kubetui_acts_on():
    choices = complete("logs web -").choices
    assert {"--container", "--follow", "--previous", "--tail", "--since", "--timestamps", "--all-containers",
            "--prefix", "--selector", "--namespace", "--context", "-c", "-f", "-p", "-l", "-n"} == set(choices)


def test_replacing_from_start_completes_the_word():
    line = "get pods -n kube-sy"
    context = complete(line)
    assert line[:context.start] + "kube-system" == "get pods -n kube-system"
