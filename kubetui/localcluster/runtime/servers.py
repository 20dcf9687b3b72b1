"""Long-running server programs of the known images, by program name: what they print, bind
and do on SIGTERM (web servers in servers_web.py, data stores in servers_data.py, the kind
node's control plane in servers_control_plane.py).

Key decisions: the texts are the programs' own, versions taken from the image's ENV, so a port
clash shows in `kubectl logs --previous` exactly as on a real node. A program is known by its
basename; anything else is not a server here and is planned by the caller.
"""

from __future__ import annotations

from typing import Callable

from kubetui.localcluster.runtime.server_context import ServerContext
from kubetui.localcluster.runtime.servers_control_plane import CONTROL_PLANE_SERVERS
from kubetui.localcluster.runtime.servers_data import DATA_SERVERS
from kubetui.localcluster.runtime.servers_web import WEB_SERVERS
from kubetui.localcluster.sandbox.run_plan import RunPlan

SERVERS: dict[str, Callable[[ServerContext, bool], RunPlan]] = {
    **WEB_SERVERS, **DATA_SERVERS, **CONTROL_PLANE_SERVERS}


def server_plan(program: str, ctx: ServerContext, *, via_entrypoint: bool) -> RunPlan | None:
    """The plan of a known server program (basename), or None when it is not one."""
    builder = SERVERS.get(program)
    return builder(ctx, via_entrypoint) if builder else None
