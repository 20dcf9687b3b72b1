"""Container choices for exec, and kubectl-style command lines."""

from __future__ import annotations

import pytest

from kubetui.model.exec_choices import ContainerChoice, container_choices, parse_command, preselected
from tests.support.pods import container, pod_manifest

RUNNING = {"running": {"startedAt": "2026-01-01T00:00:00Z"}}


def pod(containers, statuses=(), init=(), init_statuses=(), annotations=None):
    return pod_manifest("p", annotations=annotations or {}, containers=[container(n, i) for n, i in containers],
                        initContainers=[dict(c) for c in init],
                        status={"containerStatuses": [{"name": n, "state": s} for n, s in statuses],
                                "initContainerStatuses": [{"name": n, "state": s} for n, s in init_statuses]})


TWO = pod([("redis-container", "redis"), ("nginx-container", "nginx")],
          [("redis-container", RUNNING), ("nginx-container", {"waiting": {"reason": "CrashLoopBackOff"}})])


def test_containers_with_image_and_state():
    assert container_choices(TWO) == [
        ContainerChoice("redis-container", "redis", "container", "running"),
        ContainerChoice("nginx-container", "nginx", "container", "waiting (CrashLoopBackOff)"),
    ]


def test_running_native_sidecars_are_offered_plain_init_containers_are_not():
    p = pod([("app", "nginx")], [("app", RUNNING)],
            init=[{"name": "proxy", "image": "envoy", "restartPolicy": "Always"}, container("setup", "busybox")],
            init_statuses=[("proxy", RUNNING), ("setup", {"terminated": {"reason": "Completed"}})])
    assert [(c.name, c.kind) for c in container_choices(p)] == [("app", "container"), ("proxy", "sidecar")]


@pytest.mark.parametrize(
    ("annotations", "expected"),
    [
        pytest.param({"kubectl.kubernetes.io/default-container": "nginx-container"}, 1, id="annotation wins"),
        pytest.param({"kubectl.kubernetes.io/default-container": "gone"}, 0, id="unknown name ignored"),
        pytest.param({}, 0, id="first running"),
    ],
)
def test_preselected(annotations, expected):
    p = dict(TWO, metadata={"name": "p", "annotations": annotations})
    assert preselected(p, container_choices(p)) == expected


@pytest.mark.parametrize(
    ("text", "argv"),
    [
        pytest.param("-- /bin/ls --all --classify", ("/bin/ls", "--all", "--classify"), id="kubectl style"),
        pytest.param("ls -l /tmp", ("ls", "-l", "/tmp"), id="without --"),
        pytest.param("-- sh -c 'echo $HOME; exit 3'", ("sh", "-c", "echo $HOME; exit 3"), id="quotes"),
    ],
)
def test_parse_command(text, argv):
    assert parse_command(text) == argv


@pytest.mark.parametrize(("text", "message"), [("--", "nothing to run"), ("", "nothing to run"),
                                               ("echo 'oops", "cannot read the command")])
def test_parse_command_errors(text, message):
    with pytest.raises(ValueError, match=message):
        parse_command(text)
