"""File programs working on the in-memory tree: cat, mkdir, touch, rm, rmdir, cp, mv, chmod,
ln, readlink, tee. Messages follow GNU coreutils (`cat: /x: No such file or directory`,
`mkdir: cannot create directory '/x/y': No such file or directory`) or busybox."""

from __future__ import annotations

import copy
import posixpath
import re

from kubetui.localcluster.sandbox.programs.options import flags, getopts
from kubetui.localcluster.sandbox.streams import FileOut, decode
from kubetui.localcluster.sandbox.system import Invocation, program
from kubetui.localcluster.sandbox.vfs import NOENT, FsError


def read_operand(inv: Invocation, path: str) -> str | None:
    """Text of a file operand ("-" is stdin); prints the error and returns None."""
    if path == "-":
        return inv.io.stdin.read()
    try:
        return decode(inv.fs.read(path, inv.cwd))
    except FsError as error:
        inv.err(f"{inv.name}: {path}: {error.reason}\n")
        return None


@program("cat")
def cat(inv: Invocation) -> int:
    opts, paths = getopts(inv, inv.argv[1:], "nAbesTuv", ("number", "show-all"))
    number = "-n" in flags(opts) or "--number" in flags(opts)
    status, line_no = 0, 0
    for path in paths or ["-"]:
        if path == "-" and not number:
            while True:  # stream the terminal line by line, as cat does
                line = inv.io.stdin.readline()
                if not line:
                    break
                inv.out(line)
            continue
        text = read_operand(inv, path)
        if text is None:
            status = 1
            continue
        if number:
            lines = text.splitlines(keepends=True)
            for line in lines:
                line_no += 1
                inv.out(f"{line_no:6d}\t{line}")
        else:
            inv.out(text)
    return status


@program("tee")
def tee(inv: Invocation) -> int:
    opts, paths = getopts(inv, inv.argv[1:], "ai", ("append",))
    append = bool(flags(opts) & {"-a", "--append"})
    outs, status = [], 0
    for path in paths:
        try:
            outs.append(FileOut(inv.fs, path, inv.cwd, append))
        except FsError as error:
            inv.err(f"tee: {path}: {error.reason}\n")
            status = 1
    while True:
        line = inv.io.stdin.readline()
        if not line:
            return status
        inv.out(line)
        for out in outs:
            out.write(line)


def _cannot(inv: Invocation, verb: str, path: str, reason: str) -> None:
    if inv.busybox:
        inv.err(f"{inv.name}: can't {verb} '{path}': {reason}\n")
    else:
        inv.err(f"{inv.name}: cannot {verb} '{path}': {reason}\n")


@program("mkdir")
def mkdir(inv: Invocation) -> int:
    opts, paths = getopts(inv, inv.argv[1:], "pvm:", ("parents", "verbose", "mode="))
    parents = bool(flags(opts) & {"-p", "--parents"})
    if not paths:
        return inv.fail("missing operand")
    status = 0
    for path in paths:
        try:
            if parents and inv.fs.exists(path, inv.cwd):
                continue
            inv.fs.mkdir(path, inv.cwd, parents=parents)
            if flags(opts) & {"-v", "--verbose"}:
                inv.out(f"mkdir: created directory '{path}'\n")
        except FsError as error:
            _cannot(inv, "create directory", path, error.reason)
            status = 1
    return status


@program("touch")
def touch(inv: Invocation) -> int:
    _, paths = getopts(inv, inv.argv[1:], "acmd:t:r:", ("no-create",))
    if not paths:
        return inv.fail("missing file operand")
    status = 0
    for path in paths:
        try:
            inv.fs.touch(path, inv.cwd)
        except FsError as error:
            _cannot(inv, "touch", path, error.reason)
            status = 1
    return status


@program("rm")
def rm(inv: Invocation) -> int:
    opts, paths = getopts(inv, inv.argv[1:], "rRfiv", ("recursive", "force", "verbose"))
    given = flags(opts)
    recursive = bool(given & {"-r", "-R", "--recursive"})
    force = bool(given & {"-f", "--force"})
    if not paths and not force:
        return inv.fail("missing operand")
    status = 0
    for path in paths:
        if inv.fs.absolute(path, inv.cwd) == "/":
            inv.err("rm: it is dangerous to operate recursively on '/'\n"
                    "rm: use --no-preserve-root to override this failsafe\n")
            status = 1
            continue
        try:
            inv.fs.remove(path, inv.cwd, recursive=recursive)
        except FsError as error:
            if force and error.reason == NOENT:
                continue
            _cannot(inv, "remove", path, error.reason)
            status = 1
    return status


@program("rmdir")
def rmdir(inv: Invocation) -> int:
    _, paths = getopts(inv, inv.argv[1:], "pv", ("parents",))
    status = 0
    for path in paths:
        try:
            if not inv.fs.lookup(path, inv.cwd, follow=False).is_dir:
                raise FsError("Not a directory", path)
            inv.fs.remove(path, inv.cwd, directory_ok=True)
        except FsError as error:
            inv.err(f"rmdir: failed to remove '{path}': {error.reason}\n")
            status = 1
    return status


def _destination(inv: Invocation, source: str, target: str) -> str:
    if inv.fs.exists(target, inv.cwd) and inv.fs.lookup(target, inv.cwd).is_dir:
        return posixpath.join(inv.fs.absolute(target, inv.cwd), posixpath.basename(source))
    return inv.fs.absolute(target, inv.cwd)


@program("cp", "mv")
def copy_or_move(inv: Invocation) -> int:
    opts, paths = getopts(inv, inv.argv[1:], "rRafpvni", ("recursive", "force"))
    recursive = inv.name == "mv" or bool(flags(opts) & {"-r", "-R", "-a", "--recursive"})
    if len(paths) < 2:
        return inv.fail(f"missing destination file operand after '{paths[0]}'" if paths
                        else "missing file operand")
    *sources, target = paths
    status = 0
    for source in sources:
        try:
            node = inv.fs.lookup(source, inv.cwd)
            if node.is_dir and not recursive:
                inv.err(f"cp: -r not specified; omitting directory '{source}'\n")
                status = 1
                continue
            destination = _destination(inv, source, target)
            parent = posixpath.dirname(destination)
            if not inv.fs.exists(parent) or not inv.fs.lookup(parent).is_dir:
                raise FsError(NOENT, target)
            if inv.fs.lookup(parent).read_only:
                raise FsError("Read-only file system", target)
            inv.fs.link_into(destination, copy.deepcopy(node))
            if inv.name == "mv":
                inv.fs.remove(source, inv.cwd, recursive=True)
        except FsError as error:
            verb = "stat" if error.path == source else (
                "create regular file" if inv.name == "cp" else "move")
            _cannot(inv, verb, error.path or source, error.reason)
            status = 1
    return status


def _apply_mode(mode: int, spec: str) -> int:
    if re.fullmatch(r"[0-7]{1,4}", spec):
        return int(spec, 8)
    for clause in spec.split(","):
        match = re.fullmatch(r"([ugoa]*)([-+=])([rwxXst]*)", clause)
        if not match:
            raise ValueError(spec)
        who, op, perms = match.groups()
        who = who or "a"
        bits = 0
        for person in ("u", "g", "o"):
            if who == "a" or person in who:
                shift = {"u": 6, "g": 3, "o": 0}[person]
                for perm, value in (("r", 4), ("w", 2), ("x", 1), ("X", 1)):
                    if perm in perms:
                        bits |= value << shift
        if op == "+":
            mode |= bits
        elif op == "-":
            mode &= ~bits
        else:
            mode = (mode & ~0o777) | bits
    return mode


@program("chmod")
def chmod(inv: Invocation) -> int:
    args = [a for a in inv.argv[1:] if a not in ("-R", "-v", "-f")]
    if len(args) < 2:
        return inv.fail("missing operand")
    spec, paths = args[0], args[1:]
    status = 0
    for path in paths:
        try:
            node = inv.fs.lookup(path, inv.cwd)
            if node.read_only:
                raise FsError("Read-only file system", path)
            node.mode = _apply_mode(node.mode, spec)
        except ValueError:
            return inv.fail(f"invalid mode: '{spec}'")
        except FsError as error:
            inv.err(f"chmod: cannot access '{path}': {error.reason}\n")
            status = 1
    return status


@program("ln")
def ln(inv: Invocation) -> int:
    opts, paths = getopts(inv, inv.argv[1:], "sfnv", ("symbolic", "force"))
    if len(paths) != 2:
        return inv.fail("missing file operand")
    target, link = paths
    link = _destination(inv, target, link)
    if not flags(opts) & {"-s", "--symbolic"}:
        try:
            node = inv.fs.lookup(target, inv.cwd)
        except FsError as error:
            inv.err(f"ln: failed to access '{target}': {error.reason}\n")
            return 1
        if node.is_dir:
            inv.err(f"ln: {target}: hard link not allowed for directory\n")
            return 1
        inv.fs.link_into(link, node)
        return 0
    if inv.fs.exists(link, follow=False) and not flags(opts) & {"-f", "--force"}:
        inv.err(f"ln: failed to create symbolic link '{link}': File exists\n")
        return 1
    if not inv.fs.exists(posixpath.dirname(link)):
        inv.err(f"ln: failed to create symbolic link '{paths[1]}': {NOENT}\n")
        return 1
    inv.fs.add_link(link, target)
    return 0


@program("readlink")
def readlink(inv: Invocation) -> int:
    opts, paths = getopts(inv, inv.argv[1:], "femn", ("canonicalize",))
    canonical = bool(flags(opts) & {"-f", "-e", "-m", "--canonicalize"})
    status = 0
    for path in paths:
        try:
            if canonical:
                inv.out(inv.fs.realpath(path, inv.cwd) + "\n")
                continue
            node = inv.fs.lookup(path, inv.cwd, follow=False)
            if node.kind != "l":
                status = 1
                continue
            inv.out(node.target + "\n")
        except FsError:
            status = 1
    return status
