"""`model.describe` against what the venv's kubectl printed for the same objects, byte for byte.

Each case in describe_cases/ was recorded by describe_cases/capture.py from the local cluster
(`kubetui cluster --seed` plus a namespace of richer objects): the object, the events and related
objects `kube.describing` fetched, kubectl's output for them, and a moment during kubectl's run
at which every age reads the same (timestamps in UTC, as the capture ran with TZ=UTC).
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kubetui.model.describe import Related, describe

CASES = Path(__file__).parent / "describe_cases"
GOLDEN = sorted(path.stem for path in CASES.glob("*.json") if path.stem != "events-order-1000")


@pytest.mark.parametrize("name", GOLDEN)
def test_the_text_is_what_kubectl_printed(name):
    case = json.loads((CASES / f"{name}.json").read_text())
    text = describe(case["group"], case["kind"], case["object"], Related(**case["related"]),
                    datetime.fromisoformat(case["now"]), timezone.utc)
    assert text.splitlines() == case["expected"].splitlines()
    assert text == case["expected"]


def test_the_cases_cover_every_kind_with_a_describer_and_the_generic_one():
    kinds = {json.loads((CASES / f"{name}.json").read_text())["kind"] for name in GOLDEN}
    assert kinds == {"Pod", "ReplicaSet", "Deployment", "Node", "Namespace", "Service", "ConfigMap", "Event"}


def test_port_clash_shows_the_crashed_container_as_kubectl_does():
    case = json.loads((CASES / "pod-port-clash.json").read_text())
    text = describe("", "Pod", case["object"], Related(**case["related"]), datetime.fromisoformat(case["now"]),
                    timezone.utc)
    block = text.split("  nginx-container-2:\n", 1)[1]
    assert "    State:          Waiting\n      Reason:       CrashLoopBackOff\n" in block
    assert "    Last State:     Terminated\n      Reason:       Error\n      Exit Code:    1\n" in block
    assert re.search(r"\n  Warning  BackOff .*kubelet .*Back-off restarting failed container nginx-container-2", text)


def test_a_thousand_events_with_equal_times_come_out_in_kubectls_order():
    """kubectl sorts events with Go's unstable sort: with six distinct times among 1,000 events
    the order of equal ones is Go's pdqsort's, which only a step-for-step port reproduces."""
    data = json.loads((CASES / "events-order-1000.json").read_text())
    events: list[dict] = [{} for _ in range(len(data["generated"]) + len(data["other"]))]
    for index, number, reason, kind, count, stamp in data["generated"]:
        at = data["stamps"][stamp]
        events[index] = {"reason": data["reasons"][reason], "type": kind, "count": count,
                         "message": f"event number {number}", "firstTimestamp": at, "lastTimestamp": at,
                         "source": {"component": "bench"}}
    for index, event in data["other"]:
        events[index] = event
    pod = {"metadata": {"name": "ev1000", "namespace": "many"}, "spec": {"containers": []}}
    text = describe("", "Pod", pod, Related(events=events), datetime(2026, 12, 2, 7, tzinfo=timezone.utc),
                    timezone.utc)
    rows = text.split("Events:\n", 1)[1].splitlines()[2:]
    keys = [(e.get("reason"), e.get("message")) for e in events]
    printed = [next(i for i, (reason, message) in enumerate(keys) if row.endswith(message) and f" {reason} " in row)
               for row in rows]
    assert printed == data["kubectl_order"]
