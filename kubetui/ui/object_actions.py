"""Acting on the object under the cursor: delete, kill, scale, rollout restart, rollout undo.

Key decisions: views only ask (`ResourceView.ActionRequested`); this piece, owned by the
workspace, asks the user (a confirmation naming kind, name, namespace and context for delete and
kill; a dialog with the current count for scale), reports the kubectl command as it sends the
request, calls `kube/` in a guarded thread worker and reports kubectl's line on the status line.
Errors take the app's one route, so a 403 shows the server's words. In `--readonly` the keys are hidden from the footer (`action_allowed`) and a
second, hidden binding on the same key refuses them with the reason.
"""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.widget import Widget

from kubetui.model.action_kinds import applies
from kubetui.model.resource_names import ApiResource
from kubetui.ui.messages import ActionPerformed
from kubetui.ui.screens.confirm_action import ConfirmAction
from kubetui.ui.screens.scale_dialog import ScaleDialog
from kubetui.ui.workers import run_guarded

__all__ = ["ACTION_BINDINGS", "ObjectActions", "action_allowed", "READONLY_REASON"]

READONLY_REASON = "kubetui runs with --readonly: it does not delete, kill, scale, restart or roll back anything"
_VERBS = ("delete", "kill", "scale", "restart", "undo")

# Each action key twice: the action (shown, and hidden in --readonly) and its refusal (never
# shown, only reached in --readonly, when the first one is disabled).
ACTION_BINDINGS = [
    Binding("ctrl+d", "act('delete')", "Delete"),
    Binding("ctrl+k", "act('kill')", "Kill"),
    Binding("s", "act('scale')", "Scale"),
    Binding("r", "act('restart')", "Restart"),
    Binding("u", "act('undo')", "Undo rollout"),
    *(Binding(key, f"refuse('{verb}')", f"{description} (refused: read-only)", show=False)
      for key, verb, description in (("ctrl+d", "delete", "Delete"), ("ctrl+k", "kill", "Kill"),
                                     ("s", "scale", "Scale"), ("r", "restart", "Restart"),
                                     ("u", "undo", "Undo rollout"))),
]


def action_allowed(action: str, verb: str, resource: ApiResource, readonly: bool) -> bool:
    """`check_action` for the two bindings of each verb (see ACTION_BINDINGS)."""
    if not applies(verb, resource):
        return False
    return not readonly if action == "act" else readonly


class ObjectActions(Widget):
    """Not drawn: the workspace hands it each `ActionRequested` (see the module doc)."""

    DEFAULT_CSS = "ObjectActions { display: none; }"

    def request(self, verb: str, resource: ApiResource, namespace: str | None, name: str) -> None:
        app = self.app
        if app.readonly:
            app.notify(READONLY_REASON, title="Read-only", severity="warning")
            return
        if verb not in _VERBS or not applies(verb, resource):
            app.notify(f"{verb} does not apply to {resource.resource_text}", severity="warning")
            return
        context = app.connection.context
        if verb in ("delete", "kill"):
            app.push_screen(ConfirmAction(verb, resource.kind_text, name, namespace, context),
                            partial(self._confirmed, verb, resource, namespace, name))
        elif verb == "scale":
            self._run(partial(self._ask_count, resource, namespace, name, context))
        else:
            from kubetui.model import kubectl_equivalent as kubectl  # with the grammar: off the start path
            self.app.post_message(ActionPerformed(kubectl.rollout(verb, resource, namespace, name)))
            self._run(partial(self._rollout, verb, resource, namespace, name))

    # -- the steps, each on a worker thread ----------------------------------------------------
    def _confirmed(self, verb: str, resource: ApiResource, namespace: str | None, name: str, yes: bool | None) -> None:
        if yes:
            from kubetui.model import kubectl_equivalent as kubectl  # with the grammar: off the start path
            self.app.post_message(ActionPerformed(kubectl.delete(resource, namespace, name, kill=verb == "kill")))
            self._run(partial(self._delete, resource, namespace, name, verb == "kill"))

    def _delete(self, resource, namespace, name, kill: bool) -> None:
        from kubetui.kube.deleting import delete_object

        self._report(delete_object(self.app.connection.api_client, resource, namespace, name, kill=kill))

    def _ask_count(self, resource, namespace, name, context) -> None:
        from kubetui.kube.scaling import current_replicas

        current = current_replicas(self.app.connection.api_client, resource, namespace, name)
        dialog = ScaleDialog(resource.kind_text, name, namespace, context, current)
        self.app.call_from_thread(self.app.push_screen, dialog, partial(self._count_chosen, resource, namespace, name))

    def _count_chosen(self, resource, namespace, name, count: int | None) -> None:
        if count is not None:
            from kubetui.model import kubectl_equivalent as kubectl  # with the grammar: off the start path
            self.app.post_message(ActionPerformed(kubectl.scale(resource, namespace, name, count)))
            self._run(partial(self._scale, resource, namespace, name, count))

    def _scale(self, resource, namespace, name, count: int) -> None:
        from kubetui.kube.scaling import scale

        self._report(scale(self.app.connection.api_client, resource, namespace, name, count))

    def _rollout(self, verb: str, resource, namespace, name) -> None:
        from kubetui.kube.rolling_out import restart, undo

        act = restart if verb == "restart" else undo
        self._report(act(self.app.connection.api_client, resource, namespace, name))

    def _run(self, step) -> None:
        run_guarded(self, step, group="actions", exclusive=False)

    def _report(self, line: str) -> None:
        self.app.call_from_thread(self.app.notify, line, title="Done")
