"""The apply dock: the apply panel docked beside the views, with its keys and its workers.

Key decisions: the dock is the `ApplyPanel` widget plus what answers it. The panel posts
`PlanRequested`, `ApplyRequested` and `DeleteRequested`; the dock takes them (they reach the
dock first, being its own), parses and checks the text in a worker (group "apply-parse": a large
or hostile text never holds the keys up; a newer request supersedes an older one), then calls
`kube.applying` in thread workers (group "apply") whose
failures take the app's one error route and then reset the panel, so it is never left busy.
What concerns the views goes out as messages: the pods just created or changed
(`PodsChanged`), a result chosen (`JumpRequested`), the user leaving the dock (`Left`). The
default namespace is the one the views show, handed in by the workspace. A dry run, an apply
or a delete reports its kubectl command as it starts: `-f` names the file shown when the
editor holds it unchanged, else `-` (the text on standard input).
"""

from __future__ import annotations

from pathlib import Path

from textual.message import Message
from textual.worker import get_current_worker

from kubetui.errors import KubetuiError
from kubetui.model import ManifestSet, parse_manifests
from kubetui.model import kubectl_equivalent as kubectl
from kubetui.ui.messages import ActionPerformed
from kubetui.ui.screens.confirm_delete import ConfirmDelete
from kubetui.ui.widgets.apply_panel import ApplyPanel
from kubetui.ui.widgets.apply_results import ApplyResults
from kubetui.ui.workers import guarded

class ApplyDock(ApplyPanel):
    """The apply panel and its workers."""

    class PodsChanged(Message):
        """An apply created or changed these pods (``namespace/name`` keys)."""

        def __init__(self, keys: set[str]) -> None:
            super().__init__()
            self.keys = keys

    class JumpRequested(Message):
        """The user chose a pod among the results: show it in the views."""

        def __init__(self, namespace: str, name: str) -> None:
            super().__init__()
            self.namespace, self.name = namespace, name

    class Left(Message):
        """The dock gave up the focus (closed, or Esc from the browser): the views take it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.views_namespace: str | None = None  # what the views show (None: all namespaces)
        self.last_report = None  # the last ApplyReport (tests, the screenshot script)
        self._applier = None
        self._applier_connection = None
        self._running = ""  # what the worker under way does, for its failure line

    # -- opening, closing, size ------------------------------------------------------------------
    def action_toggle(self) -> None:
        if self.is_open:
            self.remove_class("-open")
            self.post_message(self.Left())
        else:
            self.add_class("-open")
            self.screen.set_focus(self.browser)  # now, not after this message: keys typed next go there

    def edit_object(self, text: str, file_name: str) -> None:
        """Open with a live object's manifest in the editor (from a YAML tab's `E`)."""
        self.add_class("-open")
        self.load_manifest_text(text, file_name)
        self.screen.set_focus(self.editor)

    def action_resize_open(self, delta: int) -> None:
        if self.is_open:
            self.resize(delta)

    def on_apply_panel_closed(self, message: ApplyPanel.Closed) -> None:
        message.stop()
        self.post_message(self.Left())

    # -- the cluster -------------------------------------------------------------------------------
    def _default_namespace(self) -> str:
        return self.views_namespace or self.app.connection.namespace

    def _parse_then(self, message, then) -> None:
        """`then(message, parsed)` on the UI thread once the request's text is parsed in a worker."""
        self._parse_request(message, self._default_namespace(), then)

    @guarded(group="apply-parse")
    def _parse_request(self, message, namespace: str, then) -> None:
        parsed = parse_manifests(message.text, message.source, default_namespace=namespace)
        if not get_current_worker().is_cancelled:  # a newer request superseded this one
            self.app.call_from_thread(then, message, parsed)

    def _get_applier(self):
        from kubetui.kube.applying import Applier

        conn = self.app.connection
        if self._applier is None or self._applier_connection is not conn:
            self._applier = Applier(conn.api_client, conn.namespace, server=conn.server)
            self._applier_connection = conn
        self._applier.namespace = self._default_namespace()
        return self._applier

    def _manifest_file(self, message) -> str:
        """What `kubectl ... -f` would read for ``message``'s text (see the module docstring)."""
        source = self.source
        if message.source != source.label or message.text != self.saved_text:
            return "-"
        if source.kind == "sample":
            return source.name  # as the study notes name it
        if source.kind == "file" and source.path is not None:
            path = Path(source.path).resolve()
            here = Path.cwd().resolve()
            return str(path.relative_to(here) if path.is_relative_to(here) else path)
        return "-"

    def _performed(self, request) -> None:
        self.app.post_message(ActionPerformed(request))

    def _busy(self, what: str) -> None:
        self._running = what
        self.show_busy(what)

    def _failed(self, error: BaseException, shown: str) -> None:
        """A worker failed; the app has told the user; the panel says it and is ready again."""
        message = error.message if isinstance(error, KubetuiError) else shown
        self.show_outcomes(f"{self._running} failed: {message}", [])

    # -- requests from the panel -----------------------------------------------------------------
    def on_apply_panel_plan_requested(self, message: ApplyPanel.PlanRequested) -> None:
        message.stop()
        self._parse_then(message, self._plan_parsed)

    def _plan_parsed(self, message: ApplyPanel.PlanRequested, parsed: ManifestSet) -> None:
        if not parsed.valid():
            self.show_outcomes("Nothing to dry-run: fix the problems below", [], parsed.problems)
            return
        self._busy("Dry run")
        self._performed(kubectl.apply(self._manifest_file(message), self._default_namespace(),
                                      force_conflicts=message.force, dry_run=True))
        self._plan(parsed, message.force)

    @guarded(group="apply", failed=_failed)
    def _plan(self, parsed: ManifestSet, force: bool) -> None:
        outcomes = self._get_applier().plan(parsed.valid(), force=force)
        counts = {action: sum(o.action == action for o in outcomes)
                  for action in ("will be created", "will be configured", "unchanged")}
        rejected = sum(not o.ok for o in outcomes) + len(parsed.problems)
        summary = (f"Plan (dry run, nothing changed): {counts['will be created']} to create, "
                   f"{counts['will be configured']} to configure, {counts['unchanged']} unchanged, "
                   f"{rejected} rejected")
        self.app.call_from_thread(self.show_outcomes, summary, outcomes, parsed.problems)

    def on_apply_panel_apply_requested(self, message: ApplyPanel.ApplyRequested) -> None:
        message.stop()
        if self.app.readonly:
            self.notify("read-only: applying is disabled", severity="warning")
            return
        self._parse_then(message, self._apply_parsed)

    def _apply_parsed(self, message: ApplyPanel.ApplyRequested, parsed: ManifestSet) -> None:
        if parsed.problems and message.all_or_nothing or not parsed.valid():
            self.show_outcomes("Not applied: nothing was sent (all-or-nothing); fix the problems below",
                               [], parsed.problems)
            return
        self._busy("Apply")
        self._performed(kubectl.apply(self._manifest_file(message), self._default_namespace(),
                                      force_conflicts=message.force))
        self._apply(parsed, message.force, message.all_or_nothing)

    @guarded(group="apply", failed=_failed)
    def _apply(self, parsed: ManifestSet, force: bool, all_or_nothing: bool) -> None:
        report = self._get_applier().apply(parsed.valid(), force=force, all_or_nothing=all_or_nothing)
        self.app.call_from_thread(self._show_report, report, parsed)

    def _show_report(self, report, parsed: ManifestSet) -> None:
        self.last_report = report
        summary = report.panel_summary()  # the same facts as the CLI's closing line
        self.show_outcomes(summary, report.outcomes, parsed.problems)
        changed = {f"{o.namespace}/{o.name}" for o in report.outcomes
                   if o.kind == "Pod" and o.action in ("created", "configured") and not o.rolled_back}
        if changed:
            self.post_message(self.PodsChanged(changed))

    def on_apply_panel_delete_requested(self, message: ApplyPanel.DeleteRequested) -> None:
        message.stop()
        if self.app.readonly:
            self.notify("read-only: deleting is disabled", severity="warning")
            return
        self._parse_then(message, self._delete_parsed)

    def _delete_parsed(self, message: ApplyPanel.DeleteRequested, parsed: ManifestSet) -> None:
        targets = [m for m in parsed.valid() if m.name]
        if not targets:
            self.show_outcomes("Nothing to delete: no valid named objects", [], parsed.problems)
            return
        namespace = self._default_namespace()
        file = self._manifest_file(message)
        lines = [f"{m.kind.lower()}/{m.name}" + (f"  (namespace {m.namespace or namespace})") for m in targets]

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self._busy("Delete")
                self._performed(kubectl.delete_files(file, namespace))
                self._delete(targets)
            else:
                self.show_outcomes("Delete cancelled: nothing was sent", [])

        self.app.push_screen(ConfirmDelete(lines, self.app.connection.context), answered)

    @guarded(group="apply", failed=_failed)
    def _delete(self, targets) -> None:
        outcomes = self._get_applier().delete(targets)
        failed = sum(not o.ok for o in outcomes)
        summary = f"Deleted {len(outcomes) - failed} of {len(outcomes)} objects"
        self.app.call_from_thread(self.show_outcomes, summary, outcomes)

    # -- choosing a result -------------------------------------------------------------------------
    def on_apply_results_entry_chosen(self, message: ApplyResults.EntryChosen) -> None:
        entry = message.entry
        outcome = entry.outcome
        if outcome is None or (entry.line and not outcome.ok):
            return  # a line of the manifest: the panel's own handler, which runs next, takes it
        message.stop()
        if outcome.kind != "Pod" or not outcome.namespace:
            self.notify(f"{outcome.ref} is not a pod: the table shows pods", severity="information")
            return
        self.post_message(self.JumpRequested(outcome.namespace, outcome.name))
