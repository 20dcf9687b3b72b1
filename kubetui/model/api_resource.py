"""One resource type of the API as discovery describes it, and the names kubectl prints it by.

Key decision: plain data with the few derived spellings kubectl uses: `deployment.apps/x` for
what it did (`scaled`, `restarted`), `deployment.apps "x"` for a deletion, `pods`/
`deployments.apps` for RBAC-style messages.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ApiResource", "RESTARTABLE", "SCALABLE", "UNDOABLE"]

# (group, kind) that kubectl scales (a scale subresource), restarts (`rollout restart`) and that
# kubetui rolls back (`rollout undo` of Deployments; StatefulSets and DaemonSets use
# ControllerRevisions, not done here).
SCALABLE = frozenset({("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"),
                      ("", "ReplicationController")})
RESTARTABLE = frozenset({("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet")})
UNDOABLE = frozenset({("apps", "Deployment")})


@dataclass(frozen=True)
class ApiResource:
    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool
    singular: str = ""
    short_names: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ()

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def kind_text(self) -> str:
        """`pod`, `deployment.apps`: the type as kubectl prints it before `/name` or ` "name"`."""
        lower = self.kind.lower()
        return f"{lower}.{self.group}" if self.group else lower

    @property
    def resource_text(self) -> str:
        """`pods`, `deployments.apps`: the plural with its group, as `:` commands take it."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    def can(self, verb: str) -> bool:
        """Whether discovery lists ``verb`` (an empty verb list, not yet discovered, allows all)."""
        return not self.verbs or verb in self.verbs
