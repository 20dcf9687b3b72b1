"""find over the in-memory tree: `-name`, `-iname`, `-type`, `-maxdepth`, `-mindepth`, `-print`.

Tests combine with an implicit AND, symlinks are not followed (GNU's default `-P`), and an
unknown predicate is refused with GNU's wording.
"""

from __future__ import annotations

import fnmatch
import posixpath

from kubetui.localcluster.sandbox.system import Invocation, program
from kubetui.localcluster.sandbox.vfs import DIR, LINK, FsError, Node

_TYPES = {"f": "-", "d": DIR, "l": LINK}
_WITH_VALUE = {"-name", "-iname", "-type", "-maxdepth", "-mindepth"}


def _parse(inv: Invocation, args: list[str]) -> tuple[list[str], list[tuple[str, str]]] | None:
    paths = []
    while args and not args[0].startswith("-") and args[0] not in ("!", "("):
        paths.append(args.pop(0))
    tests = []
    while args:
        predicate = args.pop(0)
        if predicate == "-print":
            continue
        if predicate not in _WITH_VALUE:
            inv.err(f"find: unknown predicate `{predicate}'\n")
            return None
        if not args:
            inv.err(f"find: missing argument to `{predicate}'\n")
            return None
        tests.append((predicate, args.pop(0)))
    return paths or ["."], tests


def _matches(name: str, node: Node, tests: list[tuple[str, str]]) -> bool:
    for predicate, value in tests:
        if predicate == "-name" and not fnmatch.fnmatchcase(name, value):
            return False
        if predicate == "-iname" and not fnmatch.fnmatchcase(name.lower(), value.lower()):
            return False
        if predicate == "-type" and node.kind != _TYPES.get(value):
            return False
    return True


@program("find")
def find(inv: Invocation) -> int:
    parsed = _parse(inv, list(inv.argv[1:]))
    if parsed is None:
        return 1
    paths, tests = parsed
    limits = dict(tests)
    try:
        max_depth = int(limits.get("-maxdepth", 10**6))
        min_depth = int(limits.get("-mindepth", 0))
    except ValueError:
        return inv.fail("Expected a positive decimal integer argument to -maxdepth")
    status = 0
    for start in paths:
        try:
            root = inv.fs.lookup(start, inv.cwd, follow=False)
        except FsError as error:
            inv.err(f"find: '{start}': {error.reason}\n")
            status = 1
            continue
        stack = [(start, root, 0)]
        while stack:
            path, node, depth = stack.pop()
            name = posixpath.basename(path.rstrip("/")) or path
            if depth >= min_depth and _matches(name, node, tests):
                inv.out(path + "\n")
            if node.kind == DIR and depth < max_depth:
                for child in sorted(node.children, reverse=True):
                    joined = path + child if path.endswith("/") else f"{path}/{child}"
                    stack.append((joined, node.children[child], depth + 1))
    return status
