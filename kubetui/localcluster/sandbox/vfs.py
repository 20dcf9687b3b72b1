"""An in-memory filesystem for one simulated exec session.

Everything lives in Python objects; nothing ever reaches the host's disk. Paths are POSIX,
symlinks are followed like the kernel does (with a hop limit), and errors carry the strerror
text a real program would print ("No such file or directory", "Is a directory", …) so the
commands can format messages exactly like coreutils does.
"""

from __future__ import annotations

import posixpath
import time
from dataclasses import dataclass, field
from typing import Callable

DIR, FILE, LINK = "d", "-", "l"
_MAX_LINK_HOPS = 40


class FsError(Exception):
    """A failed filesystem operation; `reason` is the C library's strerror text."""

    def __init__(self, reason: str, path: str = ""):
        super().__init__(f"{path}: {reason}" if path else reason)
        self.reason = reason
        self.path = path


NOENT = "No such file or directory"
NOTDIR = "Not a directory"
ISDIR = "Is a directory"
EXIST = "File exists"
NOTEMPTY = "Directory not empty"
ROFS = "Read-only file system"


@dataclass
class Node:
    """One inode: a directory, a regular file or a symlink."""

    kind: str
    mode: int
    mtime: float
    uid: int = 0
    gid: int = 0
    data: bytes = b""
    target: str = ""
    program: str = ""  # name of the simulated program an executable runs
    read_only: bool = False
    children: dict[str, "Node"] = field(default_factory=dict)

    @property
    def is_dir(self) -> bool:
        return self.kind == DIR

    @property
    def is_executable(self) -> bool:
        return self.kind == FILE and bool(self.mode & 0o111)

    @property
    def size(self) -> int:
        if self.kind == DIR:
            return 4096
        if self.kind == LINK:
            return len(self.target)
        return len(self.data)


class FileSystem:
    """A tree of Nodes with path resolution relative to a working directory."""

    def __init__(self, now: float | None = None):
        self.now = time.time() if now is None else now
        self.root = Node(DIR, 0o755, self.now)
        self.changes = 0  # bumped by every change made after the image was laid out
        # told of every write (absolute path, data, append): how a run's writes are recorded
        self.on_write: Callable[[str, bytes, bool], None] | None = None

    # ---- path helpers -------------------------------------------------------------
    @staticmethod
    def absolute(path: str, cwd: str = "/") -> str:
        """Lexically normalise `path` against `cwd` (no symlink resolution)."""
        normal = posixpath.normpath(posixpath.join(cwd, path) if path else cwd)
        return "/" + normal.lstrip("/")  # POSIX keeps a leading "//"; Linux does not care

    def _walk(self, path: str, cwd: str, follow_last: bool, hops: int = 0) -> tuple[Node, str]:
        """Return (node, canonical path). Raises FsError."""
        absolute = self.absolute(path, cwd)
        parts = [p for p in absolute.split("/") if p]
        node, canonical = self.root, "/"
        for index, part in enumerate(parts):
            if not node.is_dir:
                raise FsError(NOTDIR, path)
            child = node.children.get(part)
            if child is None:
                raise FsError(NOENT, path)
            is_last = index == len(parts) - 1
            if child.kind == LINK and (follow_last or not is_last):
                if hops >= _MAX_LINK_HOPS:
                    raise FsError("Too many levels of symbolic links", path)
                target_base = canonical
                child, canonical = self._walk(child.target, target_base, True, hops + 1)
                node = child
                continue
            node = child
            canonical = posixpath.join(canonical, part)
        return node, canonical

    def lookup(self, path: str, cwd: str = "/", follow: bool = True) -> Node:
        return self._walk(path, cwd, follow)[0]

    def realpath(self, path: str, cwd: str = "/") -> str:
        return self._walk(path, cwd, True)[1]

    def exists(self, path: str, cwd: str = "/", follow: bool = True) -> bool:
        try:
            self.lookup(path, cwd, follow)
        except FsError:
            return False
        return True

    def _parent(self, path: str, cwd: str) -> tuple[Node, str]:
        absolute = self.absolute(path, cwd)
        if absolute == "/":
            raise FsError(EXIST, path)
        parent_path, name = posixpath.split(absolute)
        try:
            parent = self.lookup(parent_path)
        except FsError as error:
            raise FsError(error.reason, path) from None
        if not parent.is_dir:
            raise FsError(NOTDIR, path)
        return parent, name

    # ---- reading ------------------------------------------------------------------
    def read(self, path: str, cwd: str = "/") -> bytes:
        node = self.lookup(path, cwd)
        if node.is_dir:
            raise FsError(ISDIR, path)
        return node.data

    def listdir(self, path: str, cwd: str = "/") -> list[str]:
        node = self.lookup(path, cwd)
        if not node.is_dir:
            raise FsError(NOTDIR, path)
        return sorted(node.children)

    # ---- writing (in memory only) ---------------------------------------------------
    def write(self, path: str, data: bytes, cwd: str = "/", append: bool = False) -> None:
        self._write(path, data, cwd, append)
        self.changes += 1
        if self.on_write is not None:
            self.on_write(self.absolute(path, cwd), data, append)

    def _write(self, path: str, data: bytes, cwd: str, append: bool) -> None:
        try:
            node = self.lookup(path, cwd)
        except FsError as error:
            if error.reason != NOENT:
                raise
            parent, name = self._parent(path, cwd)
            if parent.read_only:
                raise FsError(ROFS, path) from None
            parent.children[name] = Node(FILE, 0o644, time.time(), data=data)
            return
        if node.is_dir:
            raise FsError(ISDIR, path)
        if node.read_only:
            raise FsError(ROFS, path)
        node.data = node.data + data if append else data
        node.mtime = time.time()

    def mkdir(self, path: str, cwd: str = "/", parents: bool = False) -> None:
        if parents:
            absolute = self.absolute(path, cwd)
            current = ""
            for part in [p for p in absolute.split("/") if p]:
                current += "/" + part
                if not self.exists(current):
                    self.mkdir(current)
                elif not self.lookup(current).is_dir:
                    raise FsError(NOTDIR, path)
            return
        parent, name = self._parent(path, cwd)
        if name in parent.children:
            raise FsError(EXIST, path)
        if parent.read_only:
            raise FsError(ROFS, path)
        parent.children[name] = Node(DIR, 0o755, time.time())
        self.changes += 1

    def touch(self, path: str, cwd: str = "/") -> None:
        if self.exists(path, cwd):
            node = self.lookup(path, cwd)
            if node.read_only:
                raise FsError(ROFS, path)
            node.mtime = time.time()
            self.changes += 1
        else:
            self.write(path, b"", cwd)

    def remove(self, path: str, cwd: str = "/", recursive: bool = False,
               directory_ok: bool = False) -> None:
        parent, name = self._parent(path, cwd)
        node = parent.children.get(name)
        if node is None:
            raise FsError(NOENT, path)
        if parent.read_only or node.read_only:
            raise FsError(ROFS, path)
        if node.is_dir and not recursive:
            if not directory_ok:
                raise FsError(ISDIR, path)
            if node.children:
                raise FsError(NOTEMPTY, path)
        del parent.children[name]
        self.changes += 1

    def link_into(self, path: str, node: Node) -> None:
        """Place an existing node at `path` (used for copies and renames)."""
        parent, name = self._parent(path, "/")
        parent.children[name] = node
        self.changes += 1

    # ---- building the image (no read-only checks) ---------------------------------
    def add_dir(self, path: str, mode: int = 0o755, mtime: float | None = None,
                read_only: bool = False) -> Node:
        node = self.root
        for part in [p for p in path.split("/") if p]:
            child = node.children.get(part)
            if child is None or child.kind != DIR:
                child = Node(DIR, mode, self.now if mtime is None else mtime)
                node.children[part] = child
            node = child
        node.read_only = node.read_only or read_only
        return node

    def add_file(self, path: str, data: bytes | str = b"", mode: int = 0o644,
                 program: str = "", mtime: float | None = None, uid: int = 0,
                 read_only: bool = False) -> Node:
        parent_path, name = posixpath.split(path)
        parent = self.add_dir(parent_path, mtime=mtime)
        content = data.encode() if isinstance(data, str) else data
        node = Node(FILE, mode, self.now if mtime is None else mtime, uid=uid, gid=uid,
                    data=content, program=program, read_only=read_only)
        parent.children[name] = node
        return node

    def add_link(self, path: str, target: str, mtime: float | None = None) -> Node:
        parent_path, name = posixpath.split(path)
        parent = self.add_dir(parent_path, mtime=mtime)
        node = Node(LINK, 0o777, self.now if mtime is None else mtime, target=target)
        parent.children[name] = node
        return node
