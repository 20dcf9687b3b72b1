"""The Deployment rollout arithmetic and naming, as pure functions (no server needed)."""

from __future__ import annotations

import pytest

from kubetui.localcluster.controllers import naming, rollout


def _rs(name: str, replicas: int, available: int = 0, created: str = "2026-01-01T00:00:00Z",
        status_replicas: int | None = None) -> dict:
    return {"metadata": {"name": name, "creationTimestamp": created},
            "spec": {"replicas": replicas},
            "status": {"replicas": replicas if status_replicas is None else status_replicas,
                       "availableReplicas": available}}


def _deployment(replicas: int, **rolling) -> dict:
    return {"spec": {"replicas": replicas,
                     "strategy": {"type": "RollingUpdate", "rollingUpdate": rolling}}}


@pytest.mark.parametrize("value,total,round_up,expected", [
    ("25%", 3, True, 1), ("25%", 3, False, 0), ("25%", 10, True, 3), ("25%", 10, False, 2),
    (2, 10, True, 2), ("3", 10, False, 3), (None, 4, True, 1), ("100%", 5, False, 5),
])
def test_scaled_value_rounds_like_intstr(value, total, round_up, expected):
    assert rollout.scaled_value(value, total, round_up=round_up, default="25%") == expected


def test_fenceposts_default_and_zero_zero():
    assert rollout.fenceposts(_deployment(3)) == (1, 0)
    assert rollout.fenceposts(_deployment(4, maxSurge=0, maxUnavailable=0)) == (0, 1)
    assert rollout.fenceposts({"spec": {"replicas": 3, "strategy": {"type": "Recreate"}}}) == (0, 0)


def test_rolling_first_step_surges_one_pod():
    plan = rollout.plan_rolling(3, 1, 0, _rs("new", 0), [_rs("old", 3, available=3)])
    assert plan == {"new": 1}


def test_rolling_scales_old_down_once_new_pods_are_available():
    plan = rollout.plan_rolling(3, 1, 0, _rs("new", 1, available=1), [_rs("old", 3, available=3)])
    assert plan == {"old": 2}


def test_rolling_keeps_old_pods_while_new_ones_are_unavailable():
    plan = rollout.plan_rolling(3, 1, 0, _rs("new", 1, available=0), [_rs("old", 3, available=3)])
    assert plan == {}


def test_rolling_removes_unhealthy_old_pods_first():
    plan = rollout.plan_rolling(4, 1, 1, _rs("new", 1, available=0),
                                [_rs("old", 4, available=2)])
    assert plan["old"] < 4


def test_rolling_scale_down_of_the_new_replicaset():
    assert rollout.plan_rolling(2, 1, 0, _rs("new", 5, available=5), []) == {"new": 2}


def test_recreate_waits_for_old_pods_before_growing_the_new_replicaset():
    plan = rollout.plan_recreate(3, _rs("new", 0), [_rs("old", 3, available=3)])
    assert plan == {"old": 0}
    gone = rollout.plan_recreate(3, _rs("new", 0), [_rs("old", 0, status_replicas=0)])
    assert gone == {"new": 3}


def test_pod_template_hash_is_stable_and_ignores_its_own_label():
    template = {"metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}
    first = naming.pod_template_hash(template)
    labelled = {"metadata": {"labels": {"app": "web", "pod-template-hash": first}},
                "spec": template["spec"]}
    assert naming.pod_template_hash(labelled) == first
    assert set(first) <= set(naming.SAFE_ALPHABET) and 8 <= len(first) <= 10
    changed = {"metadata": template["metadata"],
               "spec": {"containers": [{"name": "web", "image": "nginx:1.28"}]}}
    assert naming.pod_template_hash(changed) != first
    assert naming.pod_template_hash(template, collision_count=1) != first


def test_random_suffix_uses_the_generate_name_alphabet():
    suffix = naming.random_suffix()
    assert len(suffix) == 5 and set(suffix) <= set(naming.SAFE_ALPHABET)
