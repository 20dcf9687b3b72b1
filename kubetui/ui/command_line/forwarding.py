"""The `:` line's port-forwards: `port-forward POD|TYPE/NAME [LOCAL:]REMOTE...` and the `pf` view.

Key decisions: the pod and its ports are found as kubectl finds them (kube/forward_targets.py),
in a thread worker, errors in kubectl's words; each port becomes one forward of the app's
registry, running in the background (so each can be stopped alone in `:pf`), listening on
localhost. Another `--address` is refused by name rather than ignored. `pf` (k9s's word, also
`port-forwards`) is a view of kubetui's own state, not an API type: it opens without asking the
server.
"""

from __future__ import annotations

from typing import Any

from kubetui.model.kubectl_grammar import PortForwardRequest

__all__ = ["port_forward", "show_local_view"]


def port_forward(runner: Any, request: PortForwardRequest, line: str) -> None:
    if any(address != "localhost" for address in request.addresses):
        runner.refuse(line, "--address: kubetui's port-forwards listen on localhost (127.0.0.1 and ::1) only")
        return
    app = runner.app
    conn = app.connection
    namespace = runner.namespace(request)
    argument = f"{request.target.resource.resource_text}/{request.target.name}"

    def find():
        from kubetui.kube.forward_targets import find_target

        return find_target(conn.api_client, conn.server, namespace, argument, request.ports)

    def then(target) -> None:
        for port in target.ports:
            app.port_forwards.start(app, namespace, target.pod_name, "", port, app.now())

    runner.in_thread(find, then, group="command-port-forward")


async def show_local_view(screen: Any, word: str) -> None:
    """`:pf`: the view (kept from an earlier visit, or new) as the root shown."""
    from kubetui.ui.views import LOCAL_VIEWS, VIEWS

    key = LOCAL_VIEWS[word]
    stack = screen.stack
    view = None if stack.root(key) is not None else VIEWS[key](namespace=None, now=screen.app.now)
    await stack.show_root(key, word, view)
    screen.sessions.show_views()
