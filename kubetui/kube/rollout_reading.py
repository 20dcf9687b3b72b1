"""`kubectl rollout status` and `kubectl rollout history` of one object, as kubectl prints them.

Key decisions: status reads the object and prints kubectl's viewer line (`model.rollout_status`)
each time it changes, until the rollout is done (or once, with `--watch=false`); the caller
reads again on its own clock and stops when told it is done. History lists the Deployment's
ReplicaSets (by its selector, then controller uid, as kubectl finds them) and prints the
REVISION / CHANGE-CAUSE table kubectl prints; other kinds keep their history in
ControllerRevisions, which kubetui does not read. Blocking: call from a worker thread.
"""

from __future__ import annotations


from kubetui.kube.printed import Printed, Scoped
from kubetui.model.resource_names import ApiResource

__all__ = ["RolloutStatus", "history_printed"]

CHANGE_CAUSE = "kubernetes.io/change-cause"


class RolloutStatus:
    """Each `read()` returns (everything printed so far, done)."""

    def __init__(self, conn: Scoped, resource: ApiResource, name: str, *, watch: bool = True) -> None:
        self.conn, self.resource, self.name, self.watch = conn, resource, name, watch
        self.lines: list[str] = []
        self.failed = ""

    def read(self) -> tuple[Printed, bool]:
        from kubetui.kube.api_requests import call
        from kubetui.kube.table_listing import resource_path
        from kubetui.model.rollout_status import rollout_status

        namespace = self.conn.namespace if self.resource.namespaced else None
        try:
            obj = call(self.conn.api_client, "GET", resource_path(self.resource, namespace, self.name))
            obj.setdefault("kind", self.resource.kind)
            obj.setdefault("apiVersion", self.resource.api_version)
            line, done = rollout_status(obj)
        except ValueError as problem:
            return self._end(f"error: {problem}")
        except Exception as exc:  # KubetuiError in the server's words
            return self._end(str(getattr(exc, "message", exc)))
        if not self.lines or self.lines[-1] != line:
            self.lines.append(line)
        done = done or not self.watch
        return Printed("".join(f"{text}\n" for text in self.lines)), done

    def _end(self, error: str) -> tuple[Printed, bool]:
        return Printed("".join(f"{text}\n" for text in self.lines), f"{error}\n", 1), True


def history_printed(conn: Scoped, resource: ApiResource, name: str) -> Printed:
    from kubetui.kube.api_requests import call
    from kubetui.kube.rolling_out import REPLICASETS, REVISION, controlled_by
    from kubetui.model.label_selectors import selector_text
    from kubetui.kube.table_listing import resource_path
    from kubetui.model.tabwriter import elastic_layout

    if (resource.group, resource.kind) != ("apps", "Deployment"):
        if (resource.group, resource.kind) in (("apps", "StatefulSet"), ("apps", "DaemonSet")):
            return Printed("", f'error: "rollout history" of {resource.resource_text} is not supported inside '
                               "kubetui (their history is in ControllerRevisions)\n", 1)
        group_kind = f"{resource.kind}.{resource.group}" if resource.group else resource.kind
        return Printed("", f'error: no history viewer has been implemented for "{group_kind}"\n', 1)
    try:
        deployment = call(conn.api_client, "GET", resource_path(resource, conn.namespace, name))
        uid = (deployment.get("metadata") or {}).get("uid")
        listed = call(conn.api_client, "GET", resource_path(REPLICASETS, conn.namespace),
                      query=[("labelSelector", selector_text((deployment.get("spec") or {}).get("selector")))])
    except Exception as exc:
        return Printed("", f"{getattr(exc, 'message', exc)}\n", 1)
    revisions: dict[int, str] = {}
    for rs in (listed or {}).get("items") or ():
        if not controlled_by(rs, uid):
            continue
        annotations = (rs.get("metadata") or {}).get("annotations") or {}
        try:
            revision = int(annotations.get(REVISION, ""))
        except ValueError:
            continue
        revisions[revision] = annotations.get(CHANGE_CAUSE) or "<none>"
    if not revisions:
        return Printed(f"{resource.kind_text}/{name} \nNo rollout history found.\n")
    table = elastic_layout([["REVISION", "CHANGE-CAUSE"]] + [[str(r), revisions[r]] for r in sorted(revisions)],
                           0, 2)
    return Printed(f"{resource.kind_text}/{name} \n{table}\n")
