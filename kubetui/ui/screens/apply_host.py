"""The apply panel's side of the pods screen: its key, its workers, and jumping to applied pods.

`ApplyPanelHost` is mixed into the pods screen (`class PodsScreen(..., ApplyPanelHost, Screen)`),
whose compose yields an `ApplyPanel` docked beside the pod table. It adds `a` (open/close the
panel), `<`/`>` (resize it), and answers the panel's requests in thread workers: the text is
parsed and checked off the UI thread first (group "apply-parse": a large or hostile text never
holds the keys up), then workers of group "apply" call `kube.applying`; results come back
through `call_from_thread`. After an apply the pod table highlights the pods that were created
or changed, and choosing a result moves the table cursor to that pod (switching namespace if it
lives elsewhere). The watch never stops meanwhile.
"""

from __future__ import annotations

import time

from textual import work
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import get_current_worker

from kubetui.errors import KubetuiError
from kubetui.model import ManifestSet, parse_manifests
from kubetui.ui.screens.confirm_delete import ConfirmDelete
from kubetui.ui.widgets.apply_panel import ApplyPanel
from kubetui.ui.widgets.apply_results import ApplyResults

JUMP_TIMEOUT = 15.0  # seconds to wait for a just-applied pod to reach the table


class ApplyPanelHost(Screen):
    BINDINGS = [
        Binding("a", "toggle_apply_panel", "Apply panel"),
        Binding("less_than_sign", "resize_apply_panel(4)", "Wider apply panel", show=False),
        Binding("greater_than_sign", "resize_apply_panel(-4)", "Narrower apply panel", show=False),
    ]

    _applier = None
    _applier_connection = None
    _pending_jump: tuple[str, float] | None = None
    last_report = None  # the last ApplyReport (tests, the screenshot script)

    # -- the panel -------------------------------------------------------------------------------
    @property
    def apply_panel(self) -> ApplyPanel:
        return self.query_one(ApplyPanel)

    def action_toggle_apply_panel(self) -> None:
        panel = self.apply_panel
        if panel.is_open:
            panel.remove_class("-open")
            self._focus_table()
        else:
            panel.add_class("-open")
            self.set_focus(panel.browser)  # now, not after this message: keys typed next go there

    def action_resize_apply_panel(self, delta: int) -> None:
        if self.apply_panel.is_open:
            self.apply_panel.resize(delta)

    def on_apply_panel_closed(self, message: ApplyPanel.Closed) -> None:
        self._focus_table()

    def _focus_table(self) -> None:
        view = getattr(self, "view", None)
        if view is not None:
            self.set_focus(view)

    def _parse_then(self, message, then) -> None:
        """`then(message, parsed)` on the UI thread once the request's text is parsed in a worker."""
        self._parse_request(message, self._default_namespace(), then)

    @work(thread=True, exclusive=True, group="apply-parse", exit_on_error=False)
    def _parse_request(self, message, namespace: str, then) -> None:
        parsed = parse_manifests(message.text, message.source, default_namespace=namespace)
        if not get_current_worker().is_cancelled:  # a newer request superseded this one
            self.app.call_from_thread(then, message, parsed)

    def _default_namespace(self) -> str:
        return getattr(self, "namespace", None) or self.app.connection.namespace

    def _get_applier(self):
        from kubetui.kube.applying import Applier

        conn = self.app.connection
        if self._applier is None or self._applier_connection is not conn:
            self._applier = Applier(conn.api_client, conn.namespace, server=conn.server)
            self._applier_connection = conn
        self._applier.namespace = self._default_namespace()
        return self._applier

    # -- requests from the panel -----------------------------------------------------------------
    def on_apply_panel_plan_requested(self, message: ApplyPanel.PlanRequested) -> None:
        self._parse_then(message, self._plan_parsed)

    def _plan_parsed(self, message: ApplyPanel.PlanRequested, parsed: ManifestSet) -> None:
        if not parsed.valid():
            self.apply_panel.show_outcomes("Nothing to dry-run: fix the problems below", [], parsed.problems)
            return
        self.apply_panel.show_busy("Dry run on the server")
        self._plan(parsed, message.force)

    @work(thread=True, exclusive=True, group="apply", exit_on_error=False)
    def _plan(self, parsed: ManifestSet, force: bool) -> None:
        try:
            outcomes = self._get_applier().plan(parsed.valid(), force=force)
        except KubetuiError as exc:
            self.app.call_from_thread(self._show_failure, "Dry run failed", exc)
            return
        counts = {action: sum(o.action == action for o in outcomes)
                  for action in ("will be created", "will be configured", "unchanged")}
        rejected = sum(not o.ok for o in outcomes) + len(parsed.problems)
        summary = (f"Plan (dry run, nothing changed): {counts['will be created']} to create, "
                   f"{counts['will be configured']} to configure, {counts['unchanged']} unchanged, "
                   f"{rejected} rejected")
        self.app.call_from_thread(self.apply_panel.show_outcomes, summary, outcomes, parsed.problems)

    def on_apply_panel_apply_requested(self, message: ApplyPanel.ApplyRequested) -> None:
        if self.app.readonly:
            self.notify("read-only: applying is disabled", severity="warning")
            return
        self._parse_then(message, self._apply_parsed)

    def _apply_parsed(self, message: ApplyPanel.ApplyRequested, parsed: ManifestSet) -> None:
        if parsed.problems and message.all_or_nothing or not parsed.valid():
            self.apply_panel.show_outcomes("Not applied: nothing was sent (all-or-nothing); fix the problems below",
                                           [], parsed.problems)
            return
        self.apply_panel.show_busy("Applying")
        self._apply(parsed, message.force, message.all_or_nothing)

    @work(thread=True, exclusive=True, group="apply", exit_on_error=False)
    def _apply(self, parsed: ManifestSet, force: bool, all_or_nothing: bool) -> None:
        try:
            report = self._get_applier().apply(parsed.valid(), force=force, all_or_nothing=all_or_nothing)
        except KubetuiError as exc:
            self.app.call_from_thread(self._show_failure, "Apply failed", exc)
            return
        self.app.call_from_thread(self._show_report, report, parsed)

    def _show_report(self, report, parsed: ManifestSet) -> None:
        self.last_report = report
        summary = report.panel_summary()  # the same facts as the CLI's closing line
        self.apply_panel.show_outcomes(summary, report.outcomes, parsed.problems)
        changed = {f"{o.namespace}/{o.name}" for o in report.outcomes
                   if o.kind == "Pod" and o.action in ("created", "configured") and not o.rolled_back}
        highlight = getattr(getattr(self, "view", None), "set_highlighted", None)
        if highlight is not None and changed:
            highlight(changed)

    def on_apply_panel_delete_requested(self, message: ApplyPanel.DeleteRequested) -> None:
        if self.app.readonly:
            self.notify("read-only: deleting is disabled", severity="warning")
            return
        self._parse_then(message, self._delete_parsed)

    def _delete_parsed(self, message: ApplyPanel.DeleteRequested, parsed: ManifestSet) -> None:
        targets = [m for m in parsed.valid() if m.name]
        if not targets:
            self.apply_panel.show_outcomes("Nothing to delete: no valid named objects", [], parsed.problems)
            return
        namespace = self._default_namespace()
        lines = [f"{m.kind.lower()}/{m.name}" + (f"  (namespace {m.namespace or namespace})") for m in targets]

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.apply_panel.show_busy("Deleting")
                self._delete(targets)
            else:
                self.apply_panel.show_outcomes("Delete cancelled: nothing was sent", [])

        self.app.push_screen(ConfirmDelete(lines, self.app.connection.context), answered)

    @work(thread=True, exclusive=True, group="apply", exit_on_error=False)
    def _delete(self, targets) -> None:
        try:
            outcomes = self._get_applier().delete(targets)
        except KubetuiError as exc:
            self.app.call_from_thread(self._show_failure, "Delete failed", exc)
            return
        failed = sum(not o.ok for o in outcomes)
        summary = f"Deleted {len(outcomes) - failed} of {len(outcomes)} objects"
        self.app.call_from_thread(self.apply_panel.show_outcomes, summary, outcomes)

    def _show_failure(self, what: str, error: KubetuiError) -> None:
        self.apply_panel.show_outcomes(f"{what}: {error.message}", [])
        self.notify(error.message, title=error.title or what, severity="error", timeout=8)

    # -- jumping to a pod ----------------------------------------------------------------------
    def on_apply_results_entry_chosen(self, message: ApplyResults.EntryChosen) -> None:
        outcome = message.entry.outcome
        if outcome is None:
            return
        if outcome.kind != "Pod" or not outcome.namespace:
            self.notify(f"{outcome.ref} is not a pod: the table shows pods", severity="information")
            return
        self.jump_to_pod(outcome.namespace, outcome.name)

    def jump_to_pod(self, namespace: str, name: str) -> None:
        """Move the table cursor to a pod, switching namespace if the table shows another one."""
        shown = getattr(self, "namespace", None)
        if shown is not None and shown != namespace and hasattr(self, "switch_namespace"):
            self.switch_namespace(namespace)
        self._pending_jump = (f"{namespace}/{name}", time.monotonic() + JUMP_TIMEOUT)
        if not self._try_jump():
            self.set_timer(0.1, self._retry_jump)

    def _retry_jump(self) -> None:
        if self._pending_jump is None or self._try_jump():
            return
        if time.monotonic() < self._pending_jump[1]:
            self.set_timer(0.1, self._retry_jump)
        else:
            self.notify(f"pod {self._pending_jump[0]} did not show up in the table", severity="warning")
            self._pending_jump = None

    def _try_jump(self) -> bool:
        key = self._pending_jump[0]
        table, view = getattr(self, "table", None), getattr(self, "view", None)
        if table is None or view is None or table.index_of(key) is None:
            return False
        self._pending_jump = None
        view.move_cursor_to(table.index_of(key))
        view.focus()
        return True
