"""Why a pod fails, in one line: the container its STATUS names, its last exit, the waiting
message when it explains, and the log line that says why (the last one reading like an error)."""

from __future__ import annotations

import pytest

from kubetui.model.failure import Failure, failure_text, pod_failure, telling_line
from tests.support.pods import pod_manifest


def status(name, state, *, last=None, restarts=0, ready=False):
    cs = {"name": name, "state": state, "restartCount": restarts, "ready": ready}
    if last is not None:
        cs["lastState"] = {"terminated": last}
    return cs


def pod(containers=(), init=(), **pod_status):
    return pod_manifest(
        status={"containerStatuses": list(containers), "initContainerStatuses": list(init), **pod_status})


CRASH = {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 40s restarting failed container=web"}}
RUNNING = {"running": {"startedAt": "2026-11-26T12:00:00Z"}}

CASES = {
    "crash loop: the last termination, the previous instance's log": (
        pod([status("web", RUNNING, ready=True),
             status("nginx-2", CRASH, last={"exitCode": 1, "reason": "Error"}, restarts=4)]),
        "CrashLoopBackOff",
        Failure("nginx-2", "CrashLoopBackOff", "", False, 1, "Error", 4, "previous"),
    ),
    "image pull: the kubelet's message, no log": (
        pod([status("web", {"waiting": {"reason": "ImagePullBackOff",
                                        "message": 'Back-off pulling image "nginx:nope":\n  not found'}})]),
        "ImagePullBackOff",
        Failure("web", "ImagePullBackOff", 'Back-off pulling image "nginx:nope": not found'),
    ),
    "a missing config map": (
        pod([status("app", {"waiting": {"reason": "CreateContainerConfigError",
                                        "message": 'configmap "settings" not found'}})]),
        "CreateContainerConfigError",
        Failure("app", "CreateContainerConfigError", 'configmap "settings" not found'),
    ),
    "an init container that ended in error: its current log": (
        pod([status("app", {"waiting": {"reason": "PodInitializing"}})],
            init=[status("migrate", {"terminated": {"exitCode": 2, "reason": "Error"}})]),
        "Init:Error",
        Failure("migrate", "Error", "", True, 2, "Error", 0, "current"),
    ),
    "OOMKilled now": (
        pod([status("java", {"terminated": {"exitCode": 137, "reason": "OOMKilled"}})]),
        "OOMKilled",
        Failure("java", "OOMKilled", "", False, 137, "OOMKilled", 0, "current"),
    ),
    "the container STATUS names is preferred": (
        pod([status("a", {"waiting": {"reason": "ImagePullBackOff"}}),
             status("b", CRASH, last={"exitCode": 3, "reason": "Error"}, restarts=1)]),
        "CrashLoopBackOff",
        Failure("b", "CrashLoopBackOff", "", False, 3, "Error", 1, "previous"),
    ),
    "evicted: the pod's own reason and message": (
        pod([], phase="Failed", reason="Evicted", message="The node was low on resource: memory."),
        "Evicted",
        Failure("", "Evicted", "The node was low on resource: memory."),
    ),
    "running: nothing fails": (pod([status("web", RUNNING, ready=True)]), "Running", None),
    "completed with 0: nothing fails": (pod([status("job", {"terminated": {"exitCode": 0, "reason": "Completed"}})]),
                                        "Completed", None),
    "creating: not a failure": (pod([status("web", {"waiting": {"reason": "ContainerCreating"}})]),
                                "ContainerCreating", None),
}


@pytest.mark.parametrize("name", list(CASES))
def test_pod_failure(name):
    given, status_text, expected = CASES[name]
    assert pod_failure(given, status_text) == expected


NGINX_LOG = """\
2026/12/02 07:07:49 [emerg] 1#1: bind() to 0.0.0.0:80 failed (98: Address already in use)
nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)
2026/12/02 07:07:49 [emerg] 1#1: still could not bind()
nginx: [emerg] still could not bind()
"""


@pytest.mark.parametrize(("log", "line"), [
    (NGINX_LOG, "nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)"),
    ("app: starting\napp: cannot connect to database at db:5432\n", "app: cannot connect to database at db:5432"),
    ("listening on :8080\nshutting down\n", "shutting down"),  # nothing reads like an error: the last line
    ("Traceback (most recent call last):\n  File \"x.py\"\nValueError: bad port\n\n", "ValueError: bad port"),
    ("", ""),
])
def test_telling_line(log, line):
    assert telling_line(log) == line


def test_failure_text_reads_as_one_line():
    crash = Failure("nginx-2", "CrashLoopBackOff", "", False, 1, "Error", 4, "previous")
    assert failure_text(crash, "nginx: [emerg] bind() failed\n") == (
        "nginx-2: CrashLoopBackOff · last exit 1 (Error) · log: nginx: [emerg] bind() failed")
    init = Failure("migrate", "Error", "", True, 2, "Error", 0, "current")
    assert failure_text(init, log_note="its log cannot be read: forbidden") == (
        "init container migrate: Error · exit 2 · its log cannot be read: forbidden")
    assert failure_text(Failure("", "Evicted", "low on memory")) == "pod: Evicted · low on memory"
