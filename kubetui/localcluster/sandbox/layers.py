"""What a container's filesystem keeps between exec sessions: its writable layer.

Every exec is its own process with a fresh in-memory tree built from the image (rootfs.py).
What a session changes is saved as a layer, the paths it added or changed and a whiteout for
each it removed, in a JSON file the exec handler names per container instance (its
containerID) and per pod for each shared writable volume. The next session, and any session
open beside it, applies those layers over its fresh tree, so `apt install` in one shell is
there in the next, and a file written in one container is seen by the others through an
emptyDir. Key decisions: a session syncs after every command and at its end, under an flock:
it takes in what other sessions saved since its last sync (except paths it changed itself),
then saves its own changes, each entry stamped with a growing serial; the last writer of a
path wins. A container restart means a new containerID and an empty layer, as a runtime gives
a new snapshot. /proc, /dev, /sys and read-only mounts are never saved.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import posixpath

from kubetui.localcluster.sandbox.vfs import DIR, FILE, LINK, FileSystem, FsError, Node

_NEVER_SAVED = ("/proc", "/dev", "/sys")


def _under(path: str, root: str) -> bool:
    return root == "/" or path == root or path.startswith(root.rstrip("/") + "/")


def _signature(node: Node) -> tuple:
    return (node.kind, node.mode, node.uid, node.gid, node.mtime, node.data, node.target,
            node.program)


def _encode(node: Node) -> dict:
    entry: dict = {"kind": node.kind, "mode": node.mode, "mtime": node.mtime, "uid": node.uid,
                   "gid": node.gid}
    if node.kind == FILE:
        entry["data"] = base64.b64encode(node.data).decode("ascii")
        if node.program:
            entry["program"] = node.program
    elif node.kind == LINK:
        entry["target"] = node.target
    return entry


class Layers:
    """The layers of one exec session: the container's own and one per shared volume."""

    def __init__(self, fs: FileSystem, context: dict) -> None:
        self.fs = fs
        self.stores: list[tuple[str, str]] = []  # (mount point, layer file), deepest first
        self.skipped: list[str] = list(_NEVER_SAVED)
        for mount in context.get("mounts", []):
            path = FileSystem.absolute(mount["path"])
            if mount.get("layer") and not mount.get("read_only") and "file" not in mount:
                self.stores.append((path, mount["layer"]))
            else:
                self.skipped.append(path)
        if context.get("layer"):
            self.stores.append(("/", context["layer"]))
        self.stores.sort(key=lambda store: -len(store[0]))
        self.seen: dict[str, int] = {}
        self.stamps: dict[str, tuple[int, int] | None] = {}  # the layer file as last read
        self.baseline: dict[str, tuple] = {}

    # ---- where a path belongs -------------------------------------------------------------
    def _store_of(self, path: str) -> tuple[str, str] | None:
        for root, layer in self.stores:
            if _under(path, root):
                if path == root and root != "/":
                    return None  # the mount point itself belongs to no layer
                deeper = [s for s in self.skipped if _under(path, s) and len(s) > len(root)]
                return None if deeper or any(path == s or _under(path, s) for s in _NEVER_SAVED) \
                    else (root, layer)
        return None

    def _snapshot(self) -> dict[str, tuple]:
        found: dict[str, tuple] = {}

        def walk(path: str, node: Node) -> None:
            for name, child in node.children.items():
                child_path = posixpath.join(path, name)
                if any(_under(child_path, s) for s in _NEVER_SAVED):
                    continue
                found[child_path] = _signature(child)
                if child.kind == DIR:
                    walk(child_path, child)
        walk("/", self.fs.root)
        return found

    # ---- syncing ---------------------------------------------------------------------------
    def load(self) -> None:
        """Once, over the freshly built tree: take in every saved layer."""
        self.baseline = self._snapshot()
        self.sync()

    def sync(self) -> None:
        """Take in what other sessions saved, then save what this one changed."""
        if not self.stores:
            return
        now = self._snapshot()
        changed = {path for path, sign in now.items() if self.baseline.get(path) != sign}
        removed = set(self.baseline) - set(now)
        for root, layer in self.stores:
            mine = {path for path in changed | removed if self._store_of(path) == (root, layer)}
            try:
                self._sync_one(root, layer, mine, removed)
            except (OSError, ValueError):
                continue  # the exec handler removed the layer (the pod is gone): keep going
        self.baseline = self._snapshot()

    def _stamp(self, layer: str) -> tuple[int, int] | None:
        try:
            status = os.stat(layer)
        except FileNotFoundError:
            return None
        return status.st_mtime_ns, status.st_size

    def _sync_one(self, root: str, layer: str, mine: set[str], removed: set[str]) -> None:
        if not mine and layer in self.stamps and self._stamp(layer) == self.stamps[layer]:
            return  # nothing to save and nobody saved since: no need to read it again
        with open(layer + ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            data = self._read(layer)
            seen = self.seen.get(layer, 0)
            for key, (serial, entry) in sorted(data["entries"].items()):
                path = posixpath.join(root, key) if root != "/" else key
                if serial > seen and path not in mine and not self._rewritten(root, path, entry):
                    self._apply(path, entry)
            if mine:
                data["serial"] += 1
                for path in sorted(mine):
                    key = path if root == "/" else posixpath.relpath(path, root)
                    entry = None if path in removed else _encode(self.fs.lookup(path, follow=False))
                    data["entries"][key] = [data["serial"], entry]
                temporary = f"{layer}.{os.getpid()}.tmp"
                with open(temporary, "w", encoding="utf-8") as handle:
                    json.dump(data, handle, separators=(",", ":"))
                os.replace(temporary, layer)
            self.seen[layer] = data["serial"]
            self.stamps[layer] = self._stamp(layer)

    def _rewritten(self, root: str, path: str, entry: dict | None) -> bool:
        """A container's program wrote this shared file after the session saved it: the
        program's newer version stands (it was laid out with the time of that write)."""
        if root == "/" or entry is None or entry.get("kind") != FILE:
            return False
        try:
            node = self.fs.lookup(path, follow=False)
        except FsError:
            return False
        return node.kind == FILE and node.mtime > entry.get("mtime", 0)

    @staticmethod
    def _read(layer: str) -> dict:
        try:
            with open(layer, encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            return {"serial": 0, "entries": {}}
        return data if isinstance(data, dict) and "entries" in data else {"serial": 0, "entries": {}}

    def _apply(self, path: str, entry: dict | None) -> None:
        fs = self.fs
        try:
            if fs.exists(path, follow=False):
                existing = fs.lookup(path, follow=False)
                if entry is None or entry["kind"] != DIR or not existing.is_dir:
                    parent = fs.lookup(posixpath.dirname(path))
                    del parent.children[posixpath.basename(path)]
            if entry is None:
                return
            if entry["kind"] == DIR:
                node = fs.add_dir(path, entry["mode"], entry["mtime"])
            elif entry["kind"] == LINK:
                node = fs.add_link(path, entry["target"], entry["mtime"])
            else:
                node = fs.add_file(path, base64.b64decode(entry["data"]), entry["mode"],
                                   entry.get("program", ""), entry["mtime"], entry["uid"])
            node.mode, node.mtime = entry["mode"], entry["mtime"]
            node.uid, node.gid = entry["uid"], entry["gid"]
        except (FsError, KeyError, ValueError):
            pass  # a path the image lays out differently: leave the image's version
