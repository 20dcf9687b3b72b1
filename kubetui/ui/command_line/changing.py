"""The `:` line's commands that change objects: delete, scale, rollout, label, annotate, create
namespace and edit (`files` has apply -f, `config` the kubeconfig commands).

Key decisions: each goes through the piece the keys use, so it looks and behaves the same:
`edit` puts the object's manifest in the apply panel's editor, `delete` asks the delete
confirmation first (the panel's own for `-f`), the rest run at once as kubectl runs them and
report kubectl's lines (`deployment.apps/web scaled`); an error stops there, as kubectl stops.
Selectors (`-l`, `--all`) are listed first, then each object is acted on in turn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from kubetui.errors import KubetuiError
from kubetui.model.kubectl_grammar import (
    CreateNamespaceRequest, DeleteRequest, EditRequest, RolloutRequest, ScaleRequest, Target,
)
from kubetui.ui.command_line.files import open_in_panel, read_files

__all__ = ["create_namespace", "delete", "edit", "metadata", "rollout", "scale"]


# ------------------------------------------------------------------------------------ delete
def _selected(runner: Any, request: Any, namespace: str | None) -> Callable[[], list[Target]]:
    """The objects a request names, or (`-l`, `--all`) the ones listed now."""

    def work() -> list[Target]:
        named = [t for t in request.targets if t.name is not None]
        if named:
            return named
        from kubetui.kube.describing import list_objects

        found = []
        for target in request.targets:
            scope = namespace if target.resource.namespaced else None
            for item in list_objects(runner.app.connection.api_client, target.resource, scope,
                                     label_selector=request.selector):
                found.append(Target(target.resource, (item.get("metadata") or {}).get("name", "")))
        return found

    return work


def delete(runner: Any, request: DeleteRequest, line: str) -> None:
    if request.filenames:
        base = Path(runner.app.manifests_dir)

        async def confirm(files) -> None:
            (await open_in_panel(runner, files, request.namespace)).action_delete()

        runner.in_thread(lambda: read_files(request.filenames, request.recursive, base), confirm)
        return
    if request.all_namespaces:
        runner.refuse(line, '"delete -A" is not supported inside kubetui: delete in one namespace at a time (-n NS)')
        return
    namespace = runner.namespace(request)
    api_client, context = runner.app.connection.api_client, runner.app.connection.context

    def confirm(targets: list[Target]) -> None:
        if not targets:
            runner.report(["No resources found"], title="delete", severity="warning")
            return
        from kubetui.ui.screens.confirm_delete import ConfirmDelete

        lines = [f'{t.resource.kind_text}/{t.name}' + (f"  (namespace {namespace})" if t.resource.namespaced else "")
                 for t in targets]

        def answered(yes: bool | None) -> None:
            if yes:
                runner.in_thread(lambda: _delete_all(api_client, targets, namespace, request), runner.report)
            else:
                runner.report(["Delete cancelled: nothing was sent"], title="delete")

        runner.app.push_screen(ConfirmDelete(lines, context), answered)

    runner.in_thread(_selected(runner, request, namespace), confirm)


def _delete_all(api_client: Any, targets: list[Target], namespace: str, request: DeleteRequest) -> list[str]:
    from kubetui.kube.deleting import deleted_message, delete_object

    lines = []
    kill = request.force and request.grace_period == 0
    for target in targets:
        scope = namespace if target.resource.namespaced else None
        if request.dry_run == "client":
            lines.append(deleted_message(target.resource, scope, target.name or "", dry_run="client"))
            continue
        try:
            lines.append(delete_object(api_client, target.resource, scope, target.name or "", kill=kill,
                                       grace_period=None if kill else request.grace_period,
                                       dry_run=request.dry_run == "server"))
        except KubetuiError as problem:
            if request.ignore_not_found and "(NotFound)" in problem.message:
                continue
            lines.append(problem.message)
    return lines


# ------------------------------------------------------------------------------ scale, rollout
def _each(runner: Any, request: Any, act: Callable[[Any, Target, str | None], str]) -> None:
    """``act(api_client, target, namespace)`` for every object, kubectl's lines reported; an error
    stops there, as kubectl stops."""
    namespace = runner.namespace(request)
    api_client = runner.app.connection.api_client
    select = _selected(runner, request, namespace)

    def work() -> list[str]:
        lines = []
        for target in select():
            try:
                lines.append(act(api_client, target, namespace if target.resource.namespaced else None))
            except KubetuiError as problem:
                lines.append(problem.message)
                break
        return lines

    runner.in_thread(work, runner.report)


def scale(runner: Any, request: ScaleRequest, line: str) -> None:
    from kubetui.model.action_kinds import applies

    def act(api_client: Any, target: Target, namespace: str | None) -> str:
        from kubetui.kube.scaling import current_replicas, scale

        if not applies("scale", target.resource):
            raise KubetuiError(f'error: no scaler has been implemented for {{"{target.resource.group}" '
                               f'"{target.resource.kind}"}}', "Scale")
        if request.current_replicas is not None:
            now = current_replicas(api_client, target.resource, namespace, target.name or "")
            if now != request.current_replicas:
                raise KubetuiError(f"error: Expected replicas to be {request.current_replicas}, was {now}", "Scale")
        if request.dry_run == "client":
            return f"{target.resource.kind_text}/{target.name} scaled (dry run)"
        return scale(api_client, target.resource, namespace, target.name or "", request.replicas,
                     dry_run=request.dry_run == "server")

    _each(runner, request, act)


def rollout(runner: Any, request: RolloutRequest, line: str) -> None:
    named = [t for t in request.targets if t.name is not None]
    if request.action in ("status", "history"):
        if len(named) != 1 or request.revision:
            reason = "--revision" if request.revision else "one object at a time (TYPE NAME or TYPE/NAME)"
            runner.refuse(line, f'"rollout {request.action}" takes {reason} inside kubetui'
                          if not request.revision else f'"rollout {request.action} --revision" is not supported '
                                                       "inside kubetui")
            return
        target = named[0]
        from kubetui.kube.rollout_reading import RolloutStatus, history_printed

        if request.action == "history":
            runner.result(line, lambda conn: history_printed(conn, target.resource, target.name or ""),
                          runner.namespace(request))
            return
        state: dict = {}

        def read(conn: Any) -> Any:
            status = state.setdefault("status", RolloutStatus(conn, target.resource, target.name or "",
                                                              watch=request.watch))
            return status.read()

        runner.result(line, read, runner.namespace(request), follow=True)
        return
    if request.dry_run != "none":
        runner.refuse(line, f'"rollout {request.action} --dry-run" is not supported inside kubetui')
        return

    def act(api_client: Any, target: Target, namespace: str | None) -> str:
        from kubetui.kube.rolling_out import restart, undo

        if request.action == "restart":
            return restart(api_client, target.resource, namespace, target.name or "")
        return undo(api_client, target.resource, namespace, target.name or "", request.to_revision)

    _each(runner, request, act)


# ---------------------------------------------------------------------------- label, annotate
def metadata(runner: Any, request: Any, line: str) -> None:
    field = "labels" if request.command == "label" else "annotations"
    changes = [(change.key, change.value) for change in request.changes]
    namespace = runner.namespace(request)
    api_client = runner.app.connection.api_client
    select = _selected(runner, request, namespace)

    def work() -> list[str]:
        from kubetui.kube.labeling import change_metadata

        lines: list[str] = []
        for target in select():
            scope = namespace if target.resource.namespaced else None
            try:
                lines += change_metadata(api_client, target.resource, scope, target.name or "", field, changes,
                                         overwrite=request.overwrite, dry_run=request.dry_run)
            except KubetuiError as problem:
                lines.append(problem.message)
                break
        return lines

    runner.in_thread(work, runner.report)


def create_namespace(runner: Any, request: CreateNamespaceRequest, line: str) -> None:
    api_client = runner.app.connection.api_client

    def work() -> list[str]:
        from kubetui.kube.creating import create_namespace

        try:
            return [create_namespace(api_client, request.name, dry_run=request.dry_run)]
        except KubetuiError as problem:
            return [problem.message]

    runner.in_thread(work, runner.report)


# ----------------------------------------------------------------------------------- edit
def edit(runner: Any, request: EditRequest, line: str) -> None:
    named = [t for t in request.targets if t.name is not None]
    if len(named) != 1:
        runner.refuse(line, '"edit" opens one object at a time inside kubetui: edit TYPE NAME')
        return
    target = named[0]
    conn = runner.app.connection
    namespace = runner.namespace(request) if target.resource.namespaced else None

    def read() -> str:
        from kubetui.kube.inspecting import editable_yaml, read_object

        return editable_yaml(read_object(conn.api_client, conn.server, target.resource, namespace, target.name or ""),
                             target.resource)

    async def show(text: str) -> None:
        (await runner.screen.built_dock()).edit_object(text, f"{target.resource.kind.lower()}-{target.name}.yaml")

    runner.in_thread(read, show)


