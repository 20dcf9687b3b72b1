"""Pure decisions of an exec request: options, container choice, Status bodies."""

from __future__ import annotations

import json

import pytest
from multidict import MultiDict

from kubetui.localcluster.apimachinery.errors import ApiError
from kubetui.localcluster.node.exec_target import (
    choose_container,
    container_running,
    exit_status,
    parse_options,
    runtime_failure_status,
    success_status,
)

TWO = {"metadata": {"name": "sample-2pod"},
       "spec": {"nodeName": "n1", "containers": [{"name": "nginx-container"},
                                                 {"name": "redis-container"}],
                "initContainers": [{"name": "init"}]}}


def test_kubectl_query_with_terminal_drops_stderr():
    options = parse_options(MultiDict([("command", "sh"), ("command", "-c"), ("command", "ls"),
                                       ("container", "c"), ("stdin", "true"),
                                       ("stdout", "true"), ("stderr", "true"),
                                       ("tty", "true")]))
    assert options.command == ["sh", "-c", "ls"] and options.tty and not options.stderr


@pytest.mark.parametrize("query, message", [
    ([("stdout", "true")], "you must specify at least 1 command"),
    ([("command", "ls")], "you must specify at least 1 of stdin, stdout, stderr"),
])
def test_bad_queries_are_400(query, message):
    with pytest.raises(ApiError) as raised:
        parse_options(MultiDict(query))
    assert (raised.value.code, raised.value.message) == (400, message)


@pytest.mark.parametrize("requested, message", [
    ("nope", "container nope is not valid for pod sample-2pod"),
    ("", "a container name must be specified for pod sample-2pod, choose one of: "
         "[nginx-container redis-container] or one of the init containers: [init]"),
])
def test_container_choice_errors_use_the_api_servers_words(requested, message):
    with pytest.raises(ApiError) as raised:
        choose_container(TWO, requested)
    assert (raised.value.code, raised.value.reason, raised.value.message) == (
        400, "BadRequest", message)


def test_unscheduled_pod_has_no_host():
    unscheduled = {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c"}]}}
    with pytest.raises(ApiError, match="pod p does not have a host assigned"):
        choose_container(unscheduled, "")


@pytest.mark.parametrize("status, expected", [
    ({"phase": "Running", "containerStatuses": [{"name": "c", "state": {"running": {}}}]}, True),
    ({"phase": "Running", "containerStatuses": [{"name": "c", "state": {"waiting": {}}}]}, False),
    ({"phase": "Succeeded", "containerStatuses": [{"name": "c", "state": {"running": {}}}]},
     False),
    ({"phase": "Pending"}, False),
])
def test_container_running(status, expected):
    assert container_running({"status": status}, "c") is expected


def test_status_bodies_match_the_kubelets():
    assert json.dumps(success_status(), separators=(",", ":")) == \
        '{"metadata":{},"status":"Success"}'
    assert json.dumps(exit_status(["sh", "-c", "exit 3"], 3), separators=(",", ":")) == (
        '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit '
        'code: error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode",'
        '"details":{"causes":[{"reason":"ExitCode","message":"3"}]}}')
    failure = runtime_failure_status('exec: "/bin/bash": stat /bin/bash: no such file or directory')
    assert failure["message"].startswith("Internal error occurred: error executing command in "
                                         "container: failed to exec in container: failed to "
                                         "start exec \"")
    assert failure["details"]["causes"][0]["message"] == \
        failure["message"].removeprefix("Internal error occurred: ")
    assert (failure["reason"], failure["code"]) == ("InternalError", 500)
