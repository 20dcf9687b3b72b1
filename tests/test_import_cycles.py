"""No kubetui module imports itself back through others: the import graph has no cycle.

Every import counts, wherever it is written: at module level, inside a function, under
`if TYPE_CHECKING:`, or as `importlib.import_module("kubetui...")` with a literal name. An import
that Python can defer is still a dependency of the design, and a cycle hidden inside a function
is still a cycle. The graph is read from the source with `ast` (nothing is imported), so a new
module is checked without being listed. import-linter's layers contract in pyproject.toml keeps
the order between the local cluster's parts; this test keeps every module acyclic, inside a part
as well as across parts.
"""

from __future__ import annotations

import ast
import functools
from collections import deque
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "kubetui"


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    where: str  # "module", "function" or "TYPE_CHECKING"


def module_files() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name, for __init__)."""
    found = {}
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """The module `name` refers to: itself, or the closest enclosing module (a name imported
    from a package's __init__ is a dependency on that package)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _targets(node: ast.AST, module: str, is_package: bool) -> list[str]:
    """The dotted names an import statement (or a literal import_module call) reaches for."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            source = ".".join(base + ([node.module] if node.module else []))
        else:
            source = node.module or ""
        return [f"{source}.{alias.name}" for alias in node.names]
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        if name == "import_module" and isinstance(node.args[0].value, str):
            return [node.args[0].value]
    return []


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    found: list[Import] = []

    def visit(node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            here = "function" if where == "module" and isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) else where
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for statement in child.body:
                    visit_statement(statement, "TYPE_CHECKING")
                for statement in child.orelse:
                    visit_statement(statement, here)
                continue
            visit_statement(child, here)

    def visit_statement(node: ast.AST, where: str) -> None:
        for target in _targets(node, module, path.name == "__init__.py"):
            if target == PACKAGE or target.startswith(PACKAGE + "."):
                imported = _known(target, modules)
                if imported is not None and imported != module:
                    found.append(Import(module, imported, getattr(node, "lineno", 0), where))
        visit(node, where)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), "module")
    return found


@functools.cache
def import_graph() -> dict[str, list[Import]]:
    modules = module_files()
    return {module: imports_of(module, path, modules) for module, path in modules.items()}


def strongly_connected(graph: dict[str, list[Import]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that reach each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for edge in edges:
                target = edge.imported
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph.get(target, []))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return groups


def shortest_cycle(graph: dict[str, list[Import]], group: list[str]) -> list[Import]:
    """One cycle through the group's first module, as few imports long as possible."""
    members, start = set(group), group[0]
    came_by: dict[str, Import] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for edge in graph[node]:
            if edge.imported not in members or edge.imported in came_by:
                continue
            came_by[edge.imported] = edge
            if edge.imported == start:
                cycle, at = [], start
                while True:
                    cycle.append(came_by[at])
                    at = came_by[at].importer
                    if at == start:
                        return cycle[::-1]
            queue.append(edge.imported)
    return []


def describe(graph: dict[str, list[Import]], groups: list[list[str]]) -> str:
    lines = []
    for group in groups:
        lines.append(f"{len(group)} modules import each other: {', '.join(group)}")
        lines.append("  for example:")
        for edge in shortest_cycle(graph, group):
            lines.append(f"    {edge.importer} -> {edge.imported} (line {edge.line}, {edge.where})")
    return "\n".join(lines)


def test_the_graph_sees_every_kind_of_import():
    """The reader finds the imports it must: function-level and TYPE_CHECKING ones included."""
    graph = import_graph()
    assert len(graph) > 400
    where = {edge.where for edges in graph.values() for edge in edges}
    assert where == {"module", "function", "TYPE_CHECKING"}


def test_no_import_cycle():
    graph = import_graph()
    cycles = strongly_connected(graph)
    assert not cycles, "import cycles:\n" + describe(graph, cycles)


def test_a_cycle_is_found_and_shown():
    """The detector itself: a made-up three-module cycle is found and printed in order."""
    graph = {
        "a": [Import("a", "b", 3, "module")],
        "b": [Import("b", "c", 5, "function")],
        "c": [Import("c", "a", 7, "TYPE_CHECKING")],
        "d": [Import("d", "a", 1, "module")],
    }
    groups = strongly_connected(graph)
    assert groups == [["a", "b", "c"]]
    assert describe(graph, groups).splitlines()[2:] == [
        "    a -> b (line 3, module)",
        "    b -> c (line 5, function)",
        "    c -> a (line 7, TYPE_CHECKING)",
    ]
