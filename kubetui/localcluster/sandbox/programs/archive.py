"""tar on the in-memory tree: what `kubectl cp` runs in the container, both ways.

`kubectl cp pod:/path .` runs `tar cf - /path` and reads the archive from stdout;
`kubectl cp file pod:/dir` runs `tar -xmf - -C /dir` with the archive on stdin. Archives are
real ones (ustar/GNU, gzip with `z`), made and read with the standard library, so the host's
tar can read what comes out. Messages follow GNU tar (`Removing leading `/' from member
names`, `Cannot stat: No such file or directory`, `Exiting with failure status due to
previous errors`) or busybox.
"""

from __future__ import annotations

import io
import posixpath
import tarfile
import time

from kubetui.localcluster.sandbox.streams import decode, encode
from kubetui.localcluster.sandbox.system import Invocation, program
from kubetui.localcluster.sandbox.vfs import DIR, LINK, FsError, Node

_WITH_VALUE = "fCT"
_LONG = {"--create": "c", "--extract": "x", "--get": "x", "--list": "t", "--verbose": "v",
         "--gzip": "z", "--gunzip": "z", "--touch": "m", "--to-stdout": "O"}


class _Options:
    def __init__(self) -> None:
        self.flags: set[str] = set()
        self.archive = "-"
        self.directory = ""
        self.operands: list[str] = []


def _parse(args: list[str]) -> _Options:
    options = _Options()
    if args and not args[0].startswith("-"):
        args = ["-" + args[0]] + args[1:]  # the traditional bundle: `tar cf - dir`
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if arg.startswith("--"):
            name, _, value = arg.partition("=")
            if name in ("--file", "--directory"):
                if not value and index < len(args):
                    value, index = args[index], index + 1
                if name == "--file":
                    options.archive = value
                else:
                    options.directory = value
            elif name in _LONG:
                options.flags.add(_LONG[name])
            continue  # --no-same-owner, --no-same-permissions, …: nothing to do here
        if arg.startswith("-") and len(arg) > 1:
            for position, flag in enumerate(arg[1:], start=1):
                if flag in _WITH_VALUE:
                    value = arg[position + 1:]
                    if not value and index < len(args):
                        value, index = args[index], index + 1
                    if flag == "f":
                        options.archive = value
                    elif flag == "C":
                        options.directory = value
                    break
                options.flags.add(flag)
            continue
        options.operands.append(arg)
    return options


def _error(inv: Invocation, text: str) -> None:
    inv.err(f"tar: {text}\n")


def _tar_info(name: str, node: Node) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.mode = node.mode & 0o7777
    info.mtime = int(node.mtime)
    info.uid = info.gid = node.uid
    info.uname = info.gname = "root" if node.uid == 0 else str(node.uid)
    if node.kind == DIR:
        info.type = tarfile.DIRTYPE
    elif node.kind == LINK:
        info.type, info.linkname = tarfile.SYMTYPE, node.target
    else:
        info.size = len(node.data)
    return info


def _create(inv: Invocation, options: _Options) -> int:
    base = inv.fs.absolute(options.directory or ".", inv.cwd)
    if not options.operands:
        _error(inv, "Cowardly refusing to create an empty archive")
        return 2
    buffer = io.BytesIO()
    status, warned = 0, False
    mode = "w:gz" if "z" in options.flags else "w"
    with tarfile.open(fileobj=buffer, mode=mode, format=tarfile.GNU_FORMAT) as archive:
        for operand in options.operands:
            try:
                node = inv.fs.lookup(operand, base, follow=False)
            except FsError as error:
                _error(inv, f"{operand}: Cannot stat: {error.reason}")
                status = 2
                continue
            name = posixpath.normpath(operand)
            if name.startswith("/"):
                if not warned:
                    _error(inv, "removing leading '/' from member names" if inv.busybox
                           else "Removing leading `/' from member names")
                    warned = True
                name = name.lstrip("/") or "."
            for member, item in _walk(name, node):
                info = _tar_info(member + ("/" if item.kind == DIR else ""), item)
                archive.addfile(info, io.BytesIO(item.data) if info.isfile() else None)
                if "v" in options.flags:
                    listing = member + ("/" if item.kind == DIR else "")
                    (inv.err if options.archive == "-" else inv.out)(listing + "\n")
    data = buffer.getvalue()
    if options.archive == "-":
        inv.out(decode(data))
    else:
        try:
            inv.fs.write(options.archive, data, inv.cwd)
        except FsError as error:
            _error(inv, f"{options.archive}: Cannot open: {error.reason}")
            return 2
    if status:
        _error(inv, "Exiting with failure status due to previous errors")
    return status


def _walk(name: str, node: Node):
    yield name, node
    if node.kind == DIR:
        for child in sorted(node.children):
            yield from _walk(posixpath.join(name, child), node.children[child])


def _read_archive(inv: Invocation, options: _Options) -> bytes | None:
    if options.archive == "-":
        return encode(inv.io.stdin.read())
    try:
        return inv.fs.read(options.archive, inv.cwd)
    except FsError as error:
        _error(inv, f"{options.archive}: Cannot open: {error.reason}")
        return None


def _extract(inv: Invocation, options: _Options, listing: bool) -> int:
    data = _read_archive(inv, options)
    if data is None:
        _error(inv, "Error is not recoverable: exiting now")
        return 2
    if not data:
        return 0
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")
    except (tarfile.TarError, OSError, EOFError):
        _error(inv, "This does not look like a tar archive")
        _error(inv, "Exiting with failure status due to previous errors")
        return 2
    base = inv.fs.absolute(options.directory or ".", inv.cwd)
    status = 0
    with archive:
        for member in archive.getmembers():
            name = member.name.rstrip("/")
            if listing or "v" in options.flags:
                inv.out(member.name + ("/" if member.isdir() and not member.name.endswith("/") else "") + "\n")
            if listing:
                continue
            target = posixpath.join(base, name.lstrip("/"))
            try:
                _place(inv, archive, member, target, "m" in options.flags)
            except FsError as error:
                _error(inv, f"{name}: Cannot open: {error.reason}")
                status = 2
    if status:
        _error(inv, "Exiting with failure status due to previous errors")
    return status


def _place(inv: Invocation, archive: tarfile.TarFile, member: tarfile.TarInfo, target: str,
           touch: bool) -> None:
    fs = inv.fs
    parent = posixpath.dirname(target)
    if not fs.exists(parent):
        fs.mkdir(parent, parents=True)
    mtime = time.time() if touch else float(member.mtime)
    if member.isdir():
        if not fs.exists(target):
            fs.mkdir(target)
        node = fs.lookup(target)
    elif member.issym():
        if fs.exists(target, follow=False):
            fs.remove(target)
        node = fs.add_link(target, member.linkname)
    else:
        extracted = archive.extractfile(member)
        payload = extracted.read() if extracted is not None else b""
        if fs.exists(target, follow=False) and not fs.lookup(target, follow=False).is_dir:
            fs.remove(target)
        fs.write(target, payload)
        node = fs.lookup(target)
        node.mode = member.mode & 0o7777
    node.mtime = mtime


@program("tar")
def tar(inv: Invocation) -> int:
    options = _parse(inv.argv[1:])
    modes = options.flags & {"c", "x", "t"}
    if len(modes) != 1:
        if inv.busybox:
            inv.err("tar: need exactly one of 'c', 'x' or 't'\n")
            return 1
        _error(inv, "You must specify one of the '-Acdtrux', '--delete' or '--test-label' options")
        inv.err("Try 'tar --help' or 'tar --usage' for more information.\n")
        return 2
    if "c" in modes:
        if options.archive == "-" and inv.io.stdout.isatty():
            _error(inv, "Refusing to write archive contents to terminal (missing -f option?)")
            _error(inv, "Error is not recoverable: exiting now")
            return 2
        return _create(inv, options)
    return _extract(inv, options, listing="t" in modes)
