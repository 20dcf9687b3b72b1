"""kubectl logs' container choice and pod preference, the instance a follower reads, and the
Go time values its flags take (`--since` rounding, `--since-time`), with Go's messages (pure)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kubetui.model.kubectl_grammar.go_values import parse_rfc3339, round_seconds
from kubetui.model.log_sources import (
    pick_containers,
    readable_instance,
    sort_for_logs,
)
from tests.support.pods import container, pod_manifest


def pod(name="web", containers=("app",), inits=(), ephemeral=(), annotation=None, **status) -> dict:
    spec = {"containers": [container(c) for c in containers]}
    if inits:
        spec["initContainers"] = [container(c) for c in inits]
    if ephemeral:
        spec["ephemeralContainers"] = [container(c) for c in ephemeral]
    return pod_manifest(name, namespace="default", status=status, **spec, annotations=(
        {"kubectl.kubernetes.io/default-container": annotation} if annotation else None))


@pytest.mark.parametrize("subject, container, all_containers, names, notice", [
    pytest.param(pod(), None, False, ("app",), None, id="one-container"),
    pytest.param(pod(containers=("a", "b")), None, False, ("a",),
                 'Defaulted container "a" out of: a, b', id="first-of-two"),
    pytest.param(pod(containers=("a",), inits=("i",), ephemeral=("dbg",)), None, False, ("a",),
                 'Defaulted container "a" out of: a, dbg (ephem), i (init)', id="kinds-in-the-notice"),
    pytest.param(pod(containers=("a", "b"), annotation="b"), None, False, ("b",), None, id="annotation"),
    pytest.param(pod(containers=("a", "b"), inits=("i",), annotation="i"), None, False, ("i",), None,
                 id="annotation-names-an-init-container"),
    pytest.param(pod(containers=("a", "b"), annotation="x"), None, False, ("a",),
                 'Default container name "x" not found in pod web\nDefaulted container "a" out of: a, b',
                 id="annotation-names-nothing"),
    pytest.param(pod(containers=("a", "b")), "b", False, ("b",), None, id="named"),
    pytest.param(pod(containers=("a", "b"), inits=("i",)), None, True, ("i", "a", "b"), None, id="all"),
])
def test_containers_are_picked_as_kubectl_picks_them(subject, container, all_containers, names, notice):
    pick = pick_containers(subject, container, all_containers)
    assert (pick.names, pick.notice) == (names, notice)


def test_a_selector_read_is_quiet_and_a_wrong_name_is_kubectls_error():
    assert pick_containers(pod(containers=("a", "b")), quiet=True).notice is None
    with pytest.raises(ValueError, match=r"^container x is not valid for pod web out of: a, b, i \(init\)$"):
        pick_containers(pod(containers=("a", "b"), inits=("i",)), "x")


def status_of(state: dict, restarts: int = 0, last: dict | None = None, cid: str = "containerd://b") -> dict:
    entry = {"name": "app", "state": state, "restartCount": restarts, "lastState": last or {}}
    if "running" in state or "terminated" in state:
        entry["containerID"] = cid
    return {"containerStatuses": [entry]}


@pytest.mark.parametrize("status, expected", [
    pytest.param({}, None, id="no-status-yet"),
    pytest.param(status_of({"waiting": {"reason": "ContainerCreating"}}), None, id="creating"),
    pytest.param(status_of({"running": {}}), ("containerd://b", 1), id="running"),
    pytest.param(status_of({"running": {}}, restarts=2), ("containerd://b", 3), id="third-instance"),
    pytest.param(status_of({"terminated": {"exitCode": 1}}), ("containerd://b", 1), id="exited"),
    pytest.param(status_of({"waiting": {"reason": "CrashLoopBackOff"}}, restarts=1,
                           last={"terminated": {"containerID": "containerd://a"}}),
                 ("containerd://a", 1), id="backing-off-serves-the-last"),
])
def test_the_instance_a_follower_reads(status, expected):
    assert readable_instance(pod(**status), "app") == expected


def test_the_pod_kubectl_reads_first():
    def candidate(name, phase="Running", node="n1", ready_since=None, restarts=0, created="2026-01-01T00:00:00Z"):
        conditions = [{"type": "Ready", "status": "True", "lastTransitionTime": ready_since}] if ready_since else []
        return {"metadata": {"name": name, "creationTimestamp": created}, "spec": {"nodeName": node},
                "status": {"phase": phase, "conditions": conditions,
                           "containerStatuses": [{"restartCount": restarts}]}}
    pods = [candidate("unscheduled", phase="Pending", node=""), candidate("pending", phase="Pending"),
            candidate("not-ready"), candidate("ready-later", ready_since="2026-01-02T00:00:00Z"),
            candidate("ready-first", ready_since="2026-01-01T00:00:00Z"),
            candidate("restarted", restarts=3), candidate("older", created="2025-01-01T00:00:00Z")]
    assert [p["metadata"]["name"] for p in sort_for_logs(pods)] == [
        "ready-first", "ready-later", "restarted", "older", "not-ready", "pending", "unscheduled"]


# ------------------------------------------------------------------------- Go flag values
def test_durations_round_to_seconds_as_go_rounds():
    assert [round_seconds(s) for s in (0.499, 0.5, 1.5, -1.0, -0.4)] == [0, 1, 2, -1, 0]


@pytest.mark.parametrize("text, expected", [
    ("2026-01-01T00:00:00Z", datetime(2026, 1, 1, tzinfo=timezone.utc)),
    ("2026-01-01T01:00:00+01:00", datetime(2026, 1, 1, tzinfo=timezone.utc)),
    ("2026-01-01T00:00:00.25Z", datetime(2026, 1, 1, 0, 0, 0, 250000, tzinfo=timezone.utc)),
])
def test_rfc3339_times(text, expected):
    assert parse_rfc3339(text) == expected


@pytest.mark.parametrize("text, message", [
    ("bad", 'parsing time "bad" as "2006-01-02T15:04:05Z07:00": cannot parse "bad" as "2006"'),
    ("2026-01-01", 'parsing time "2026-01-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"'),
    ("2026-1-01T00:00:00Z", 'parsing time "2026-1-01T00:00:00Z" as "2006-01-02T15:04:05Z07:00": '
                            'cannot parse "1-01T00:00:00Z" as "01"'),
    ("2026-01-01T00:00:00", 'parsing time "2026-01-01T00:00:00" as "2006-01-02T15:04:05Z07:00": '
                            'cannot parse "" as "Z07:00"'),
    ("2026-13-01T00:00:00Z", 'parsing time "2026-13-01T00:00:00Z": month out of range'),
    ("2026-01-01T25:00:00Z", 'parsing time "2026-01-01T25:00:00Z": hour out of range'),
    ("2026-02-30T00:00:00Z", 'parsing time "2026-02-30T00:00:00Z": day out of range'),
    ("2026-01-01T00:00:00Zx", 'parsing time "2026-01-01T00:00:00Zx": extra text: "x"'),
])
def test_bad_rfc3339_times(text, message):
    with pytest.raises(ValueError) as problem:
        parse_rfc3339(text)
    assert str(problem.value) == message
