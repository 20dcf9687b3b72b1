"""Shared by the apply tests: the session cluster's fault knobs, aimed at one test's namespace.

`faults(pattern, **knobs)` makes the server fail requests whose `METHOD /path` matches
`pattern` ({ns} stands for the test's namespace; error_rate 1 and 503 unless told otherwise),
so other namespaces, discovery and the knob itself are never hit; knobs reset after the test.
"""

from __future__ import annotations

import pytest

from kubetui.localcluster.cluster.faults import get_faults, set_faults


@pytest.fixture
def faults(cluster, namespace):
    def aim(pattern: str = "", **knobs):
        knobs.setdefault("error_rate", 1.0)
        knobs.setdefault("error_codes", [503])
        match = pattern.format(ns=namespace) if pattern else f" /api/v1/namespaces/{namespace}/"
        return set_faults(cluster, reset=True, error_match=match, **knobs)

    aim.injected = lambda: get_faults(cluster)["stats"]["failed_requests"]
    yield aim
    set_faults(cluster, reset=True)
