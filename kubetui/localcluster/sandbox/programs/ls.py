"""ls, laid out like GNU coreutils (or busybox) would on the same terminal.

On a terminal the names go in columns ordered top to bottom, using GNU's column-fitting
algorithm (the most columns whose summed widths stay under the line length); into a pipe,
one name per line. `-l` prints the usual mode/links/owner/group/size/date columns with
widths fitted to the listing; names sort in byte order, as in a container without a locale.
"""

from __future__ import annotations

import posixpath
import time

from kubetui.localcluster.sandbox.programs.options import flags, getopts
from kubetui.localcluster.sandbox.system import Invocation, program, terminal_columns
from kubetui.localcluster.sandbox.vfs import DIR, LINK, FsError, Node

_SIX_MONTHS = 182 * 24 * 3600


def mode_string(node: Node) -> str:
    kind = {DIR: "d", LINK: "l"}.get(node.kind, "-")
    bits = ""
    for shift in (6, 3, 0):
        part = (node.mode >> shift) & 7
        bits += ("r" if part & 4 else "-") + ("w" if part & 2 else "-") + \
            ("x" if part & 1 else "-")
    if node.mode & 0o1000:
        bits = bits[:-1] + ("t" if bits[-1] == "x" else "T")
    return kind + bits


def _suffix(node: Node, classify: bool, slash: bool) -> str:
    if node.kind == DIR and (classify or slash):
        return "/"
    if not classify:
        return ""
    if node.kind == LINK:
        return "@"
    return "*" if node.is_executable else ""


def _date(mtime: float, now: float) -> str:
    moment = time.gmtime(mtime)
    if now - _SIX_MONTHS < mtime <= now + 60:
        return time.strftime("%b %e %H:%M", moment)
    return time.strftime("%b %e  %Y", moment)


def _blocks(node: Node) -> int:
    if node.kind == DIR:
        return 4
    if node.kind == LINK or not node.data:
        return 0
    return -(-len(node.data) // 4096) * 4


def _links(node: Node) -> int:
    if node.kind != DIR:
        return 1
    return 2 + sum(1 for child in node.children.values() if child.kind == DIR)


def gnu_columns(names: list[str], width: int) -> list[str]:
    """GNU ls's vertical multi-column layout (print_many_per_line, calculate_columns)."""
    count = len(names)
    if not count:
        return []
    max_cols = max(1, min(width // 3, count))
    lengths = [len(name) for name in names]
    best = 1
    for cols in range(max_cols, 0, -1):
        rows = -(-count // cols)
        widths = [0] * cols
        for index, length in enumerate(lengths):
            column = index // rows
            widths[column] = max(widths[column], length + (0 if column == cols - 1 else 2))
        if sum(widths) < width or cols == 1:
            best = cols
            break
    rows = -(-count // best)
    widths = [0] * best
    for index, length in enumerate(lengths):
        widths[index // rows] = max(widths[index // rows], length + 2)
    lines = []
    for row in range(rows):
        cells = []
        for column in range(best):
            index = column * rows + row
            if index >= count:
                break
            last = (column + 1) * rows + row >= count
            cells.append(names[index] if last else names[index].ljust(widths[column]))
        lines.append("".join(cells))
    return lines


def busybox_columns(names: list[str], width: int) -> list[str]:
    column_width = max(len(n) for n in names) + 2
    cols = max(1, width // column_width)
    rows = -(-len(names) // cols)
    lines = []
    for row in range(rows):
        cells = [names[c * rows + row] for c in range(cols) if c * rows + row < len(names)]
        lines.append("".join(n.ljust(column_width) for n in cells[:-1]) + cells[-1])
    return lines


class _Lister:
    def __init__(self, inv: Invocation, given: set[str]):
        self.inv = inv
        self.all = bool(given & {"-a", "--all"})
        self.almost_all = bool(given & {"-A", "--almost-all"})
        self.long = bool(given & {"-l", "-n", "-g", "-o"})
        self.classify = bool(given & {"-F", "--classify"})
        self.slash = "-p" in given
        self.directory = bool(given & {"-d", "--directory"})
        self.reverse = bool(given & {"-r", "--reverse"})
        self.by_time, self.by_size = "-t" in given, "-S" in given
        self.one = "-1" in given
        self.columns = "-C" in given or (inv.io.stdout.isatty() and not self.one)
        self.recursive = "-R" in given
        self.users = {0: "root", 33: "www-data", 65534: "nobody"}
        self.users.update({u: n for n, u in inv.system.image.users})

    def entries(self, path: str, node: Node) -> list[tuple[str, Node]]:
        items = []
        if self.all:
            parent = self.inv.fs.lookup(posixpath.join(path, ".."), self.inv.cwd)
            items += [(".", node), ("..", parent)]
        for name, child in node.children.items():
            if name.startswith(".") and not (self.all or self.almost_all):
                continue
            items.append((name, child))
        return self.sort(items)

    def sort(self, items: list[tuple[str, Node]]) -> list[tuple[str, Node]]:
        items = sorted(items, key=lambda item: item[0].encode())
        if self.by_time:
            items.sort(key=lambda item: -item[1].mtime)
        elif self.by_size:
            items.sort(key=lambda item: -item[1].size)
        return list(reversed(items)) if self.reverse else items

    def render(self, items: list[tuple[str, Node]], with_total: bool) -> None:
        inv = self.inv
        if self.long:
            self.render_long(items, with_total)
            return
        names = [name + _suffix(node, self.classify, self.slash) for name, node in items]
        if not names:
            return
        if self.columns:
            width = terminal_columns(inv)
            layout = busybox_columns if inv.busybox else gnu_columns
            inv.out("".join(line + "\n" for line in layout(names, width)))
        else:
            inv.out("".join(name + "\n" for name in names))

    def render_long(self, items: list[tuple[str, Node]], with_total: bool) -> None:
        inv, now = self.inv, time.time()
        if with_total:
            inv.out(f"total {sum(_blocks(node) for _, node in items)}\n")
        rows = []
        for name, node in items:
            shown = name + _suffix(node, self.classify and node.kind != LINK, self.slash)
            if node.kind == LINK:
                shown += f" -> {node.target}"
            owner = self.users.get(node.uid, str(node.uid))
            rows.append((mode_string(node), str(_links(node)), owner,
                         self.users.get(node.gid, str(node.gid)), str(node.size),
                         _date(node.mtime, now), shown))
        if inv.busybox:
            for row in rows:
                inv.out(f"{row[0]:<10} {row[1]:>4} {row[2]:<8} {row[3]:<8} {row[4]:>9} "
                        f"{row[5]} {row[6]}\n")
            return
        widths = [max(len(row[i]) for row in rows) for i in range(5)] if rows else [0] * 5
        for row in rows:
            inv.out(f"{row[0]} {row[1]:>{widths[1]}} {row[2]:<{widths[2]}} "
                    f"{row[3]:<{widths[3]}} {row[4]:>{widths[4]}} {row[5]} {row[6]}\n")


@program("ls")
def ls(inv: Invocation) -> int:
    opts, operands = getopts(inv, inv.argv[1:], "aAlFp1CdrtSRhinogsc",
                             ("all", "almost-all", "classify", "directory", "reverse",
                              "color=", "color", "human-readable", "group-directories-first"),
                             status=2)
    lister = _Lister(inv, flags(opts))
    status, files, dirs = 0, [], []
    for operand in operands or ["."]:
        try:
            node = inv.fs.lookup(operand, inv.cwd)
        except FsError as error:
            if inv.busybox:
                inv.err(f"ls: {operand}: {error.reason}\n")
            else:
                inv.err(f"ls: cannot access '{operand}': {error.reason}\n")
            status = 1 if inv.busybox else 2
            continue
        if node.kind == DIR and not lister.directory:
            dirs.append((operand, node))
        else:
            link = inv.fs.lookup(operand, inv.cwd, follow=False)
            files.append((operand, link if lister.long else node))
    if files:
        lister.render(lister.sort(files), with_total=False)
    show_headers = len(dirs) + len(files) > 1 or lister.recursive
    queue = sorted(dirs, key=lambda item: item[0].encode())
    for index, (path, node) in enumerate(queue):
        if show_headers:
            inv.out(("\n" if index or files else "") + f"{path}:\n")
        items = lister.entries(path, node)
        lister.render(items, with_total=True)
        if lister.recursive:
            children = [(posixpath.join(path, name), child) for name, child in items
                        if child.kind == DIR and name not in (".", "..")]
            queue[index + 1:index + 1] = children
    return status
