"""Pure helpers for object metadata on writes: generated names, what changed, allocations.

Key decision: "did anything change?" ignores resourceVersion and managedFields timestamps, so a
write that changes nothing is not stored, bumps no resourceVersion and sends no watch event,
exactly like kube-apiserver's no-op update short-circuit.
"""

from __future__ import annotations

import copy
import ipaddress
import random
from typing import Any, Callable

import orjson

# k8s.io/apimachinery/pkg/util/rand: no vowels (no words), no confusable 0/1/3.
_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
_MAX_GENERATE_PREFIX = 58
SERVER_SET_METADATA = ("uid", "creationTimestamp", "deletionTimestamp",
                       "deletionGracePeriodSeconds", "generation", "selfLink")
_NOT_SPEC = frozenset({"metadata", "status", "kind", "apiVersion"})


def json_copy(value: Any) -> Any:
    """A deep copy of JSON data, ~7x faster than copy.deepcopy (a 8 KB pod: 55 µs)."""
    try:
        return orjson.loads(orjson.dumps(value))
    except TypeError:  # not plain JSON (a 65-bit int, a tuple key...): take the slow path
        return copy.deepcopy(value)


def generated_name(prefix: str, rng: random.Random, taken: Callable[[str], bool]) -> str:
    prefix = prefix[:_MAX_GENERATE_PREFIX]
    while True:
        name = prefix + "".join(rng.choice(_NAME_ALPHABET) for _ in range(5))
        if not taken(name):
            return name


def spec_changed(old: dict, new: dict) -> bool:
    """Anything outside metadata/status changed: what bumps metadata.generation."""
    keys = (old.keys() | new.keys()) - _NOT_SPEC
    return any(old.get(key) != new.get(key) for key in keys)


def _without_times(managed: Any) -> Any:
    if not isinstance(managed, list):
        return managed
    return [{k: v for k, v in entry.items() if k != "time"} if isinstance(entry, dict) else entry
            for entry in managed]


def same_content(old: dict, new: dict) -> bool:
    old_meta, new_meta = old.get("metadata") or {}, new.get("metadata") or {}
    skip = ("resourceVersion", "managedFields")
    for key in (old_meta.keys() | new_meta.keys()):
        if key not in skip and old_meta.get(key) != new_meta.get(key):
            return False
    if _without_times(old_meta.get("managedFields")) != _without_times(new_meta.get("managedFields")):
        return False
    return all(old.get(key) == new.get(key) for key in (old.keys() | new.keys()) - {"metadata"})


class ServiceAddresses:
    """ClusterIPs from 10.96.0.0/12 (10.96.0.1 is the kubernetes service) and NodePorts."""

    def __init__(self) -> None:
        self._ips: set[str] = set()
        self._ports: set[int] = set()
        self._network = ipaddress.ip_network("10.96.0.0/12")
        self._next_ip = 1
        self._next_port = 30000

    def assign(self, service: dict) -> None:
        """Fill spec.clusterIP(s) and nodePorts that the client left empty (not yet reserved)."""
        spec = service.get("spec")
        if not isinstance(spec, dict) or spec.get("type") == "ExternalName":
            return
        if not spec.get("clusterIP"):
            spec["clusterIP"] = self._free_ip()
        spec.setdefault("clusterIPs", [spec["clusterIP"]])
        if spec.get("type") in ("NodePort", "LoadBalancer"):
            taken = set(self._ports)
            for port in spec.get("ports") or []:
                if isinstance(port, dict) and not port.get("nodePort"):
                    port["nodePort"] = self._free_port(taken)
                    taken.add(port["nodePort"])

    def reserve(self, service: dict) -> None:
        spec = service.get("spec") or {}
        if spec.get("clusterIP") not in (None, "", "None"):
            self._ips.add(spec["clusterIP"])
        for port in spec.get("ports") or []:
            if isinstance(port, dict) and isinstance(port.get("nodePort"), int):
                self._ports.add(port["nodePort"])

    def release(self, service: dict) -> None:
        spec = service.get("spec") or {}
        self._ips.discard(spec.get("clusterIP"))
        for port in spec.get("ports") or []:
            if isinstance(port, dict):
                self._ports.discard(port.get("nodePort"))

    def _free_ip(self) -> str:
        while True:
            candidate = str(self._network[self._next_ip])
            self._next_ip = self._next_ip + 1 if self._next_ip + 2 < self._network.num_addresses else 1
            if candidate not in self._ips:
                return candidate

    def _free_port(self, taken: set[int]) -> int:
        while True:
            candidate = self._next_port
            self._next_port = candidate + 1 if candidate < 32767 else 30000
            if candidate not in taken:
                return candidate
