"""From a line typed on `:` to what it does in the app: parse, then hand the request on.

Key decisions: the line is parsed in a thread worker, since the grammar resolves types with the
server's discovery (cached per connection; a type the cache lacks is looked up once more, as
kubectl does); a line kubetui will not run goes back to the command line with kubectl's words
under it. A request then goes to the handler of its kind (`reading`, `opening`, `changing`),
each doing what kubectl does with the pieces the keys use: the views, the session tabs, the
apply dock, the confirmations. The namespace of a command is kubectl's: `-n`, else the
context's (which `config set-context --current --namespace` changes); `-A` is every namespace.
A `--context` other than the current one is refused by name rather than run elsewhere.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable

from kubetui.model import kubectl_grammar as grammar
from kubetui.model.kubectl_grammar import GrammarError, ResourceTable, parse_command_line
from kubetui.ui.command_line import changing, config, files, forwarding, opening, reading
from kubetui.ui.workers import run_guarded

__all__ = ["CommandRunner"]

_UNKNOWN_TYPE = "doesn't have a resource type"
# Each request's handler: (runner, request, the line as typed) -> None.
HANDLERS: dict[type, Callable[[Any, Any, str], None]] = {
    grammar.ViewRequest: reading.view, grammar.GetRequest: reading.get, grammar.DescribeRequest: reading.describe,
    grammar.ApiResourcesRequest: reading.api_resources, grammar.ExplainRequest: reading.explain,
    grammar.VersionRequest: reading.version, grammar.ClusterInfoRequest: reading.cluster_info,
    grammar.LogsRequest: opening.logs, grammar.ExecRequest: opening.exec_,
    grammar.ApplyRequest: files.apply, grammar.DeleteRequest: changing.delete, grammar.ScaleRequest: changing.scale,
    grammar.RolloutRequest: changing.rollout, grammar.LabelRequest: changing.metadata,
    grammar.AnnotateRequest: changing.metadata, grammar.CreateNamespaceRequest: changing.create_namespace,
    grammar.EditRequest: changing.edit, grammar.UseContextRequest: config.use_context,
    grammar.SetContextNamespaceRequest: config.set_context_namespace,
    grammar.PortForwardRequest: forwarding.port_forward,
}


class CommandRunner:
    """Owned by the workspace: `submit(line)` runs a command line."""

    def __init__(self, screen: Any) -> None:
        self.screen = screen

    @property
    def app(self):
        return self.screen.app

    # -- parsing -------------------------------------------------------------------------------------
    def submit(self, line: str) -> None:
        from kubetui.ui.views import LOCAL_VIEWS

        word = line.strip().lstrip(":").strip()
        if word in LOCAL_VIEWS:  # `pf`: kubetui's own view, no API type to look up
            self.screen.close_command_line()
            self.screen.run_worker(forwarding.show_local_view(self.screen, word), group="command-view")
            return
        api_client, readonly = self.app.connection.api_client, self.app.readonly
        run_guarded(self.screen, partial(self._parse, line, api_client, readonly), group="command-parse",
                    exclusive=False, failed=lambda _node, _error, shown: self.refuse(line, shown))

    def load_types(self) -> None:
        """Read the server's types for completion (at the first `:`, and after a context switch)."""
        api_client = self.app.connection.api_client

        def load() -> None:
            from kubetui.kube.view_kinds import resources

            table = ResourceTable(resources(api_client))
            self.app.call_from_thread(self._types_loaded, table)

        run_guarded(self.screen, load, group="command-types")

    def _types_loaded(self, table: ResourceTable) -> None:
        self.screen.completions.table = table

    def _parse(self, line: str, api_client: Any, readonly: bool) -> None:
        """Worker thread: the request, or the line back with the reason."""
        from kubetui.kube.view_kinds import resources

        table = ResourceTable(resources(api_client))
        try:
            try:
                request = parse_command_line(line, table, readonly=readonly)
            except GrammarError as exc:
                if _UNKNOWN_TYPE not in str(exc) and "unknown command" not in str(exc):
                    raise
                table = ResourceTable(resources(api_client, fresh=True))  # a new CRD, say
                request = parse_command_line(line, table, readonly=readonly)
        except GrammarError as exc:
            self.app.call_from_thread(self.refuse, line, str(exc))
            return
        self.app.call_from_thread(self._types_loaded, table)
        self.app.call_from_thread(self.run, request, line)

    # -- running ---------------------------------------------------------------------------------------
    def run(self, request: grammar.Request, line: str) -> None:
        if request.context and request.context != self.app.connection.context and not isinstance(
                request, (grammar.UseContextRequest, grammar.SetContextNamespaceRequest)):
            self.refuse(line, f'"--context {request.context}" is not the current context: switch first '
                              f"(config use-context {request.context}), kubetui works in one context at a time")
            return
        handler = HANDLERS.get(type(request))
        if handler is None:
            self.refuse(line, f'"{request.command}" is not supported inside kubetui')
            return
        self.screen.close_command_line()
        handler(self, request, line)

    # -- what the handlers share -----------------------------------------------------------------------
    def namespace(self, request: grammar.Request) -> str:
        """kubectl's namespace for a command: `-n`, else the context's."""
        return request.namespace or self.app.connection.namespace

    def refuse(self, line: str, problem: str) -> None:
        """Not run: the line again, kubectl's words under it, and on the status line."""
        self.screen.command_line.refuse(line, problem)
        self.app.status_changed.publish((problem, "error"))

    def in_thread(self, work: Callable[[], Any], then: Callable[[Any], Any] | None = None, *,
                  group: str = "command") -> None:
        """``work()`` in a guarded thread worker, ``then(result)`` back on the UI loop (awaited
        there if it is a coroutine function)."""

        def run() -> None:
            result = work()
            if then is not None:
                self.app.call_from_thread(then, result)

        run_guarded(self.screen, run, group=group, exclusive=False)

    def scoped(self, namespace: str):
        from kubetui.kube.printed import Scoped

        conn = self.app.connection
        return Scoped(conn.api_client, conn.server, namespace)

    def result(self, line: str, run: Callable[[Any], Any], namespace: str, *, follow: bool = False) -> None:
        """A result tab showing what ``run(scoped_connection)`` printed."""
        scoped = self.scoped(namespace)
        self.screen.sessions.kind("result").open(line.strip(), lambda: run(scoped), follow=follow)

    def report(self, lines: list[str], *, title: str = "", severity: str = "") -> None:
        """kubectl's lines for what was done, on the status line (and as a notice); an error
        line among them makes it an error."""
        text = "\n".join(line for line in lines if line)
        if not text:
            return
        failed = any(line.startswith(("error:", "Error from server")) for line in lines)
        severity = severity or ("error" if failed else "information")
        self.app.notify(text, title=title or ("Failed" if failed else "Done"), severity=severity, markup=False,
                        timeout=8 if severity == "error" else 5)
