"""The `:` line's reading commands: a resource type, get, describe, api-resources, explain,
version, cluster-info.

Key decisions: what the views can show live, they show: `deploy` or `get deploy -n x -l app=web`
switches the main view to that type with that namespace and label selector (`-o wide` widens
it; a field selector, or pods in wide columns, open a narrowed view above, Esc comes back).
Everything else is what kubectl prints, in a result tab: `-o yaml|json|name`, named objects,
several types, and the commands that only print. `describe` of one object opens its live
describe tab; a name that matches no object describes every object whose name starts with it,
as kubectl does, in a result tab.
"""

from __future__ import annotations

from typing import Any

from kubetui.model.kubectl_grammar import (
    ApiResourcesRequest, ClusterInfoRequest, DescribeRequest, ExplainRequest, GetRequest, VersionRequest,
    ViewRequest,
)
from kubetui.model.resource_names import ApiResource

__all__ = ["api_resources", "cluster_info", "describe", "explain", "get", "version", "view"]

_KEEP = object()  # the view keeps its namespace


def view(runner: Any, request: ViewRequest, line: str) -> None:
    """`deploy`, `pods -A`, `po -l app=web` (k9s's `:`): the view of that type, live."""
    namespace: Any = _KEEP
    if request.all_namespaces:
        namespace = None
    elif request.namespace:
        namespace = request.namespace
    resource = request.resource
    names = (resource.plural, resource.singular, *resource.short_names)
    typed = next((word for word in line.split() if word in names), "")  # the breadcrumb says what was typed
    runner.screen.run_worker(_show(runner, request.resource, typed, namespace,
                                   f"-l {request.selector}" if request.selector else None), group="command-view")


def get(runner: Any, request: GetRequest, line: str) -> None:
    namespace = runner.namespace(request)
    named = any(target.name is not None for target in request.targets)
    types = request.types
    if request.output in (None, "wide") and not named and len(types) == 1:
        shown = None if request.all_namespaces else namespace
        label_filter = f"-l {request.selector}" if request.selector else ""
        runner.screen.run_worker(_show(runner, types[0], "", shown, label_filter, wide=request.output == "wide",
                                       field_selector=request.field_selector), group="command-view")
        return
    if request.watch:
        runner.refuse(line, f'"get -w" prints changes as they come; inside kubetui the views do that: '
                            f"get {types[0].resource_text if types else 'TYPE'} without -o or names")
        return
    from kubetui.commands.printing import get_printed

    runner.result(line, lambda conn: get_printed(conn, request), namespace)


async def _show(runner: Any, resource: ApiResource, typed: str, namespace: Any, label_filter: str | None,
                *, wide: bool = False, field_selector: str | None = None) -> None:
    """The root view of ``resource`` (kept from an earlier visit, or new), then its namespace,
    label filter and width; a field selector or wide pods: a narrowed view above it."""
    from kubetui.ui.views import ResourcesView, crumb_label, view_for

    screen = runner.screen
    stack = screen.stack
    key = resource.resource_text
    start = stack.active.namespace if namespace is _KEEP else namespace
    existing = stack.root(key)
    created = view_for(resource, namespace=start if resource.namespaced else None, now=runner.app.now) \
        if existing is None else None
    root = await stack.show_root(key, crumb_label(resource, typed), created)
    screen.sessions.show_views()
    if namespace is not _KEEP and resource.namespaced and root.namespace != namespace:
        root.switch_namespace(namespace)
    if label_filter is not None and hasattr(root, "apply_filter"):
        root.apply_filter(label_filter)
    pods = resource.group == "" and resource.plural == "pods"
    if field_selector or (wide and pods):
        shown_namespace = namespace if namespace is not _KEEP else root.namespace
        narrowed = ResourcesView(resource, namespace=shown_namespace if resource.namespaced else None,
                                 now=runner.app.now, field_selector=field_selector or None)
        label = " ".join(part for part in (f"--field-selector {field_selector}" if field_selector else "",
                                           "-o wide" if wide else "") if part)
        await stack.push(narrowed, label, "")
        if wide:
            narrowed.call_after_refresh(narrowed.view.set_wide, True)
        if label_filter:
            narrowed.call_after_refresh(narrowed.apply_filter, label_filter)
    elif hasattr(root, "view") and hasattr(root.view, "set_wide"):
        root.view.set_wide(wide)
    stack.active.focus_content()
    stack.active.report_listing()  # `:deploy` is `kubectl get deployments`


def describe(runner: Any, request: DescribeRequest, line: str) -> None:
    from kubetui.commands.printing import describe_printed

    namespace = runner.namespace(request)
    targets = request.targets
    if len(targets) == 1 and targets[0].name is not None and not request.all_namespaces:
        target = targets[0]
        shown_namespace = namespace if target.resource.namespaced else None

        def exists() -> bool:
            from kubetui.kube.describing import get_object

            try:
                get_object(runner.app.connection.api_client, target.resource, shown_namespace, target.name)
            except Exception as exc:
                if getattr(exc, "status", None) == 404:
                    return False
                raise
            return True

        def then(found: bool) -> None:
            if found:
                runner.screen.sessions.request("describe", (shown_namespace, target.name), "describe",
                                               target.resource)
            else:  # kubectl's prefix match: every object whose name starts with it
                words = [target.resource.resource_text, target.name]
                runner.result(line, lambda conn: describe_printed(conn, request, words), namespace)

        runner.in_thread(exists, then)
        return
    runner.result(line, lambda conn: describe_printed(conn, request), namespace)


def api_resources(runner: Any, request: ApiResourcesRequest, line: str) -> None:
    from kubetui.kube.server_info import api_resources_printed

    runner.result(line, lambda conn: api_resources_printed(conn, request), runner.namespace(request))


def explain(runner: Any, request: ExplainRequest, line: str) -> None:
    from kubetui.kube.explaining import explain_printed

    runner.result(line, lambda conn: explain_printed(conn, request), runner.namespace(request))


def version(runner: Any, request: VersionRequest, line: str) -> None:
    from kubetui.kube.server_info import version_printed

    runner.result(line, lambda conn: version_printed(conn, request), runner.namespace(request))


def cluster_info(runner: Any, request: ClusterInfoRequest, line: str) -> None:
    from kubetui.kube.server_info import cluster_info_printed

    runner.result(line, lambda conn: cluster_info_printed(conn), runner.namespace(request))
