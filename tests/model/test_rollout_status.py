"""kubectl's rollout status words for Deployments, DaemonSets and StatefulSets (pure)."""

from __future__ import annotations

import pytest

from kubetui.model.log_choices import RANGES, ranges_for
from kubetui.model.rollout_status import rollout_status


def deployment(generation=2, observed=2, replicas=3, updated=3, total=3, available=3, conditions=()):
    return {"kind": "Deployment", "apiVersion": "apps/v1", "metadata": {"name": "web", "generation": generation},
            "spec": {"replicas": replicas},
            "status": {"observedGeneration": observed, "updatedReplicas": updated, "replicas": total,
                       "availableReplicas": available, "conditions": list(conditions)}}


@pytest.mark.parametrize("obj, said, done", [
    (deployment(observed=1), "Waiting for deployment spec update to be observed...", False),
    (deployment(updated=1), 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been '
                            "updated...", False),
    (deployment(total=5), 'Waiting for deployment "web" rollout to finish: 2 old replicas are pending '
                          "termination...", False),
    (deployment(available=2), 'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are '
                              "available...", False),
    (deployment(), 'deployment "web" successfully rolled out', True),
    ({"kind": "DaemonSet", "metadata": {"name": "d", "generation": 1},
      "status": {"observedGeneration": 1, "desiredNumberScheduled": 2, "updatedNumberScheduled": 2,
                 "numberAvailable": 1}},
     'Waiting for daemon set "d" rollout to finish: 1 of 2 updated pods are available...', False),
    ({"kind": "StatefulSet", "metadata": {"name": "s", "generation": 1}, "spec": {"replicas": 2},
      "status": {"observedGeneration": 1, "readyReplicas": 1}}, "Waiting for 1 pods to be ready...", False),
])
def test_rollout_status(obj, said, done):
    assert rollout_status(obj) == (said, done)


@pytest.mark.parametrize("obj, message", [
    (deployment(conditions=[{"type": "Progressing", "reason": "ProgressDeadlineExceeded"}]),
     'deployment "web" exceeded its progress deadline'),
    ({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "p"}}, "no status viewer has been implemented for Pod"),
    ({"kind": "DaemonSet", "metadata": {"name": "d"}, "spec": {"updateStrategy": {"type": "OnDelete"}}},
     "rollout status is only available for RollingUpdate strategy type"),
])
def test_rollout_status_errors(obj, message):
    with pytest.raises(ValueError) as raised:
        rollout_status(obj)
    assert str(raised.value) == message


def test_log_ranges_start_where_the_flags_say():
    assert ranges_for(1000, None) == (RANGES, 0)  # the `l` key's start
    assert ranges_for(None, None) == (RANGES, len(RANGES) - 1)  # every line kept
    ranges, index = ranges_for(3, 300)
    assert index == 0 and ranges[0].label == "since 5m, last 3 lines" and ranges[1:] == RANGES
