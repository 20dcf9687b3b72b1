"""How many replicas each ReplicaSet of a Deployment should have next: pure arithmetic.

Key decision: one step of the real controller's algorithm (deployment/rolling.go, recreate.go),
computed on plain dicts and returned as a {replicaset name: new spec.replicas} plan, so the
orchestration in deployment.py stays small and the arithmetic is testable without a server.
Available counts are capped by spec.replicas because a ReplicaSet's status may lag a scale-down
this same controller just made.
"""

from __future__ import annotations

import math

DEFAULT_SURGE = "25%"
DEFAULT_UNAVAILABLE = "25%"


def desired_replicas(obj: dict) -> int:
    replicas = (obj.get("spec") or {}).get("replicas")
    return 1 if replicas is None else int(replicas)


def spec_replicas(rs: dict) -> int:
    return int((rs.get("spec") or {}).get("replicas") or 0)


def status_count(rs: dict, field: str) -> int:
    return int((rs.get("status") or {}).get(field) or 0)


def scaled_value(value: int | str | None, total: int, *, round_up: bool, default: str) -> int:
    """An IntOrString against a total: `2` → 2, `"25%"` of 3 → 1 (up) or 0 (down)."""
    if value is None:
        value = default
    if isinstance(value, int):
        return max(value, 0)
    text = str(value).strip()
    if text.endswith("%"):
        try:
            percent = float(text[:-1])
        except ValueError:
            percent = float(default[:-1])
        exact = percent * total / 100
        return max(math.ceil(exact) if round_up else math.floor(exact), 0)
    try:
        return max(int(text), 0)
    except ValueError:
        return 0


def fenceposts(deployment: dict) -> tuple[int, int]:
    """(maxSurge, maxUnavailable) in pods; both zero would deadlock, so unavailable becomes 1."""
    spec = deployment.get("spec") or {}
    strategy = spec.get("strategy") or {}
    if strategy.get("type") == "Recreate":
        return 0, 0
    rolling = strategy.get("rollingUpdate") or {}
    desired = desired_replicas(deployment)
    surge = scaled_value(rolling.get("maxSurge"), desired, round_up=True, default=DEFAULT_SURGE)
    unavailable = scaled_value(rolling.get("maxUnavailable"), desired, round_up=False,
                               default=DEFAULT_UNAVAILABLE)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, min(unavailable, desired)


def oldest_first(replica_sets: list[dict]) -> list[dict]:
    return sorted(replica_sets, key=lambda rs: (
        rs["metadata"].get("creationTimestamp") or "", rs["metadata"]["name"]))


def plan_rolling(desired: int, max_surge: int, max_unavailable: int,
                 new: dict, old: list[dict]) -> dict[str, int]:
    """One RollingUpdate step: grow the new ReplicaSet within the surge, shrink old ones while
    keeping `desired - max_unavailable` pods available. Returns only the changed counts."""
    counts = {rs["metadata"]["name"]: spec_replicas(rs) for rs in [new, *old]}
    new_name = new["metadata"]["name"]
    if counts[new_name] > desired:
        counts[new_name] = desired
    elif counts[new_name] < desired:
        room = desired + max_surge - sum(counts.values())
        if room > 0:
            counts[new_name] += min(room, desired - counts[new_name])

    def available(rs: dict) -> int:
        return min(status_count(rs, "availableReplicas"), counts[rs["metadata"]["name"]])

    live_old = [rs for rs in oldest_first(old) if counts[rs["metadata"]["name"]] > 0]
    if live_old:
        min_available = desired - max_unavailable
        new_unavailable = max(counts[new_name] - available(new), 0)
        budget = sum(counts.values()) - min_available - new_unavailable
        if budget > 0:
            _scale_down_old(counts, live_old, available, budget,
                            sum(available(rs) for rs in [new, *old]) - min_available)
    return _changes(counts, [new, *old])


def _scale_down_old(counts: dict[str, int], live_old: list[dict], available, budget: int,
                    spare: int) -> None:
    # Unhealthy old pods go first: removing them costs no availability.
    for rs in live_old:
        if budget <= 0:
            break
        name = rs["metadata"]["name"]
        step = min(counts[name] - available(rs), budget)
        if step > 0:
            counts[name] -= step
            budget -= step
    # Then healthy ones, as long as `spare` pods above the minimum stay available.
    for rs in live_old:
        if spare <= 0:
            break
        name = rs["metadata"]["name"]
        step = min(counts[name], spare)
        counts[name] -= step
        spare -= step


def plan_recreate(desired: int, new: dict, old: list[dict]) -> dict[str, int]:
    """Recreate: every old ReplicaSet to zero; the new one grows once no old pod is left."""
    counts = {rs["metadata"]["name"]: spec_replicas(rs) for rs in [new, *old]}
    for rs in old:
        counts[rs["metadata"]["name"]] = 0
    old_pods_left = any(status_count(rs, "replicas") > 0 for rs in old)
    if not old_pods_left:
        counts[new["metadata"]["name"]] = desired
    return _changes(counts, [new, *old])


def _changes(counts: dict[str, int], replica_sets: list[dict]) -> dict[str, int]:
    return {rs["metadata"]["name"]: counts[rs["metadata"]["name"]] for rs in replica_sets
            if counts[rs["metadata"]["name"]] != spec_replicas(rs)}
