"""What a kubectl command prints, as text, for the `:` line's result tabs.

Key decisions: the text comes from the same code as the headless commands (`kubetui get`,
`kubetui describe`), called with the app's connection scoped to the request's namespace, so a
result tab shows byte for byte what `kubetui get` (and kubectl) prints; stdout then stderr, as
a terminal shows them when the errors come last. The commands the CLI has no verb for
(api-resources, version, cluster-info, explain, rollout history) print through `kube/`
modules of their own (`kube.printed` has the shared types). Blocking: call from a worker thread.
"""

from __future__ import annotations

import argparse
import io
from typing import Any

from kubetui.kube.printed import Printed, Scoped

__all__ = ["Printed", "Scoped", "describe_printed", "get_printed"]


def _words(request: Any) -> list[str]:
    """The request's targets as `kubetui get` takes them (`TYPE1,TYPE2` or `TYPE/NAME...`)."""
    targets = request.targets
    if any(target.name is not None for target in targets):
        return [f"{t.resource.resource_text}/{t.name}" for t in targets]
    return [",".join(dict.fromkeys(t.resource.resource_text for t in targets))]


def get_printed(conn: Scoped, request: Any) -> Printed:
    """`kubectl get ...` for a `GetRequest` (any output but a watch)."""
    from kubetui.commands.get_resources import run_get_resources

    args = argparse.Namespace(resources=_words(request), output=request.output, selector=request.selector,
                              field_selector=request.field_selector, all_namespaces=request.all_namespaces,
                              watch=False)
    out, err = io.StringIO(), io.StringIO()
    code = run_get_resources(args, conn, out, err)
    return Printed(out.getvalue(), err.getvalue(), code)


def describe_printed(conn: Scoped, request: Any, words: list[str] | None = None) -> Printed:
    """`kubectl describe ...` for a `DescribeRequest`; ``words``: the arguments as typed, when
    they matter (`describe pod web` describes every pod whose name starts with `web`)."""
    from kubetui.commands.describe import Describer

    args = argparse.Namespace(resources=words or _words(request), selector=request.selector, show_events=None,
                              all_namespaces=request.all_namespaces)
    out, err = io.StringIO(), io.StringIO()
    code = Describer(conn, args, out, err).run()
    return Printed(out.getvalue(), err.getvalue(), code)
