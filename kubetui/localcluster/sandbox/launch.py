"""Questions the exec handler asks before starting a session (pure, no I/O).

`find_executable(context, argv0)` answers what the container runtime would: whether the
program exists in the container (its image and what was installed since), so a missing `/bin/bash` fails like runc does (and clients
can fall back to /bin/sh) instead of starting a shell that prints an error.
"""

from __future__ import annotations

from kubetui.localcluster.sandbox.layers import Layers
from kubetui.localcluster.sandbox.rootfs import build_rootfs
from kubetui.localcluster.sandbox.vfs import FileSystem, FsError


def find_executable(context: dict, argv0: str, fs: FileSystem | None = None) -> str | None:
    """None when the runtime could start argv0, else the runtime's error text. What earlier
    sessions installed counts (the container's layer)."""
    if fs is None:
        fs = build_rootfs(context)
        Layers(fs, context).load()
    env = dict(context.get("env", []))
    cwd = context.get("working_dir") or "/"
    if "/" in argv0:
        try:
            node = fs.lookup(argv0, cwd)
        except FsError:
            return f'exec: "{argv0}": stat {argv0}: no such file or directory'
        if node.is_dir or not node.is_executable:
            return f'exec: "{argv0}": permission denied'
        return None
    for directory in env.get("PATH", "").split(":"):
        try:
            node = fs.lookup(f"{directory or '.'}/{argv0}", cwd)
        except FsError:
            continue
        if node.is_executable:
            return None
    return f'exec: "{argv0}": executable file not found in $PATH'
