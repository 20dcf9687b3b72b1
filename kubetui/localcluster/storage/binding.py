"""Binding a pod to a node: the storage half of `pods/{name}/binding`, which the scheduler
calls in-process and the HTTP handler (apiserver/binding.py) calls for a posted Binding.

Key decision: like kube-apiserver's binding storage, a bind sets spec.nodeName and the
PodScheduled=True condition in one write that bypasses the pod update strategy, so it does not
bump metadata.generation (a spec update would) and is allowed although pod specs are otherwise
immutable. Binding an already bound or terminating pod is a 409 with the real wording. This is
a mixin of `Store`: it uses the store's `_commit`, `resource`, `get` and `clock`.
"""

from __future__ import annotations

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.apimachinery.clock import rfc3339
from kubetui.localcluster.apimachinery.objectmeta import json_copy
from kubetui.localcluster.storage.changes import MODIFIED


class Binding:
    """The bind verb of the Store (mixed in; not used on its own)."""

    def bind(self, namespace: str, name: str, node: str, annotations: dict | None = None) -> dict:
        """Bind a pending pod to a node like the binding subresource: no generation bump."""
        resource = self.resource("pods")
        live = self.get("pods", namespace, name)
        if live is None:
            raise errors.not_found("pods", name)
        bound_to = (live.get("spec") or {}).get("nodeName")
        if bound_to:
            raise errors.conflict("pods", name, f'pod {name} is already assigned to node "{bound_to}"')
        if live["metadata"].get("deletionTimestamp"):
            raise errors.conflict("pods", name, f"pod {name} is being deleted, cannot be assigned to a host")
        new = dict(live)  # spec is replaced, status copied: the stored snapshot stays untouched
        new["metadata"] = json_copy(live["metadata"])
        if annotations:
            new["metadata"].setdefault("annotations", {}).update(annotations)
        new["spec"] = dict(live.get("spec") or {}, nodeName=node)
        status = new["status"] = json_copy(live.get("status") or {})
        conditions = [c for c in status.get("conditions") or [] if c.get("type") != "PodScheduled"]
        status["conditions"] = conditions + [{
            "type": "PodScheduled", "status": "True", "lastProbeTime": None,
            "lastTransitionTime": rfc3339(self.clock())}]
        self._commit(resource, MODIFIED, new, live)
        return new
