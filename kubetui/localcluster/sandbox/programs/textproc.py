"""Text filters: grep (basic and extended regular expressions), head, tail, wc, sort, uniq,
tr, cut. POSIX regular expressions are translated to Python's `re` (BRE's `\\(`, `\\{`,
`\\|` and the `[[:digit:]]` classes), which covers what people pipe `ls`, `ps` or `ss` into."""

from __future__ import annotations

import math
import re

from kubetui.localcluster.sandbox.programs.fileutils import read_operand
from kubetui.localcluster.sandbox.programs.options import flags, getopts, obsolete_count, value
from kubetui.localcluster.sandbox.streams import InStream, PipeOut
from kubetui.localcluster.sandbox.system import Invocation, program

_CLASSES = {"alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z",
            "lower": "a-z", "space": r" \t\n\r\f\v", "blank": r" \t", "xdigit": "0-9A-Fa-f",
            "punct": r"!-/:-@\[-`{-~", "word": r"\w"}


def posix_to_python(pattern: str, extended: bool) -> str:
    out, i, n = [], 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "[":
            end = i + 1
            if end < n and pattern[end] == "^":
                end += 1
            if end < n and pattern[end] == "]":
                end += 1
            while end < n and pattern[end] != "]":
                end = pattern.index(":]", end) + 2 if pattern.startswith("[:", end) else end + 1
            body = pattern[i + 1:end]
            body = re.sub(r"\[:(\w+):\]", lambda m: _CLASSES.get(m.group(1), ""), body)
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end + 1
        elif c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if not extended and nxt in "(){}|+?":
                out.append(nxt)
            elif nxt in "<>":
                out.append(r"\b")
            else:
                out.append("\\" + nxt)
            i += 2
        elif not extended and c in "(){}|+?":
            out.append("\\" + c)
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


@program("grep", "egrep", "fgrep")
def grep(inv: Invocation) -> int:
    opts, args = getopts(inv, inv.argv[1:], "ivcEFnlLqoe:hHwxrRs",
                         ("ignore-case", "invert-match", "count", "extended-regexp",
                          "fixed-strings", "line-number", "quiet", "silent", "only-matching",
                          "regexp=", "color=", "colour=", "color", "word-regexp"), status=2)
    given = flags(opts)
    patterns = [v for k, v in opts if k in ("-e", "--regexp")]
    if not patterns:
        if not args:
            inv.err("Usage: grep [OPTION]... PATTERNS [FILE]...\n"
                    "Try 'grep --help' for more information.\n")
            return 2
        patterns = [args.pop(0)]
    extended = inv.name == "egrep" or bool(given & {"-E", "--extended-regexp"})
    fixed = inv.name == "fgrep" or bool(given & {"-F", "--fixed-strings"})
    sources = []
    for pattern in (p for text in patterns for p in text.split("\n")):
        source = re.escape(pattern) if fixed else posix_to_python(pattern, extended)
        if given & {"-w", "--word-regexp"}:
            source = rf"(?<!\w)(?:{source})(?!\w)"
        if "-x" in given:
            source = rf"^(?:{source})$"
        sources.append(source)
    try:
        regex = re.compile("|".join(f"(?:{s})" for s in sources),
                           re.IGNORECASE if given & {"-i", "--ignore-case"} else 0)
    except re.error:
        inv.err("grep: Unmatched ( or \\(\n")
        return 2
    invert = bool(given & {"-v", "--invert-match"})
    quiet = bool(given & {"-q", "--quiet", "--silent"})
    files = args or ["-"]
    show_names = ("-H" in given or len(files) > 1) and "-h" not in given
    matched_any, status = False, 0
    for path in files:
        if path != "-" and inv.fs.exists(path, inv.cwd) and inv.fs.lookup(path, inv.cwd).is_dir:
            if "-s" not in given:
                inv.err(f"grep: {path}: Is a directory\n")
            status = 2
            continue
        text = read_operand(inv, path)
        if text is None:
            status = 2
            continue
        label = "(standard input)" if path == "-" else path
        count = 0
        for number, line in enumerate(text.splitlines(), start=1):
            found = regex.search(line)
            if bool(found) == invert:
                continue
            count += 1
            matched_any = True
            if quiet:
                return 0
            if given & {"-c", "--count", "-l", "-L"}:
                continue
            prefix = (f"{label}:" if show_names else "") + (
                f"{number}:" if given & {"-n", "--line-number"} else "")
            if given & {"-o", "--only-matching"} and not invert:
                for match in regex.finditer(line):
                    if match.group(0):
                        inv.out(f"{prefix}{match.group(0)}\n")
            else:
                inv.out(f"{prefix}{line}\n")
        if given & {"-c", "--count"}:
            inv.out(f"{label}:{count}\n" if show_names else f"{count}\n")
        elif "-l" in given and count:
            inv.out(f"{label}\n")
    if status == 2 and not matched_any:
        return 2
    return 0 if matched_any else 1


def _lines_arg(inv: Invocation, text: str | None, default: int = 10) -> int:
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        inv.err(f"{inv.name}: invalid number of lines: '{text}'\n")
        raise


def _headed(inv: Invocation, paths: list[str], render) -> int:
    status = 0
    for index, path in enumerate(paths or ["-"]):
        text = read_operand(inv, path)
        if text is None:
            status = 1
            continue
        if len(paths) > 1:
            inv.out(("\n" if index else "") + f"==> {'standard input' if path == '-' else path}"
                    " <==\n")
        inv.out(render(text))
    return status


@program("head")
def head(inv: Invocation) -> int:
    opts, paths = getopts(inv, obsolete_count(inv.argv[1:]), "n:c:qv", ("lines=", "bytes="))
    count_bytes = value(opts, "-c", "--bytes")
    try:
        lines = _lines_arg(inv, value(opts, "-n", "--lines"))
    except ValueError:
        return 1

    def render(text: str) -> str:
        if count_bytes is not None:
            return text[: int(count_bytes)]
        parts = text.splitlines(keepends=True)
        return "".join(parts[:lines] if lines >= 0 else parts[:lines])
    return _headed(inv, paths, render)


@program("tail")
def tail(inv: Invocation) -> int:
    opts, paths = getopts(inv, obsolete_count(inv.argv[1:]), "n:c:fFqv",
                          ("lines=", "bytes=", "follow"))
    raw = value(opts, "-n", "--lines")
    from_start = bool(raw and raw.startswith("+"))
    try:
        lines = _lines_arg(inv, raw.lstrip("+") if raw else None)
    except ValueError:
        return 1

    def render(text: str) -> str:
        parts = text.splitlines(keepends=True)
        if from_start:
            return "".join(parts[max(lines - 1, 0):])
        return "".join(parts[-lines:]) if lines else ""
    follow = flags(opts) & {"-f", "-F", "--follow"}
    if follow and len(paths) == 1:
        feed = inv.system.host.follow(inv.fs.absolute(paths[0], inv.cwd), lines, from_start)
        if feed is not None:
            return _follow(inv, feed)
    status = _headed(inv, paths, render)
    if follow and paths:
        missing = all(not inv.fs.exists(p, inv.cwd) for p in paths)
        if status and missing and "-F" not in follow:
            inv.err("tail: no files remaining\n")
            return 1
        inv.system.host.sleep(math.inf, inv.pid)  # nothing else appends: wait, like tail -f
    return status


def _follow(inv: Invocation, feed: InStream) -> int:
    """Pass on what other containers append to the file, as it comes; into a pipe, the next
    stage reads it as it comes (stages run one after the other)."""
    if isinstance(inv.io.stdout, PipeOut):
        inv.io.stdout.continue_with(feed)
        return 0
    while True:  # the feed blocks the run for good once nothing new will come
        inv.out(feed.readline())


@program("wc")
def wc(inv: Invocation) -> int:
    opts, paths = getopts(inv, inv.argv[1:], "lwcmL", ("lines", "words", "bytes", "chars"))
    given = flags(opts)
    wanted = [k for k, names in (("l", {"-l", "--lines"}), ("w", {"-w", "--words"}),
                                 ("c", {"-c", "--bytes", "-m", "--chars"})) if given & names]
    wanted = wanted or ["l", "w", "c"]
    rows, status, total = [], 0, {"l": 0, "w": 0, "c": 0}
    for path in paths or ["-"]:
        text = read_operand(inv, path)
        if text is None:
            status = 1
            continue
        counts = {"l": text.count("\n"), "w": len(text.split()),
                  "c": len(text.encode("utf-8", "surrogateescape"))}
        for key in total:
            total[key] += counts[key]
        rows.append((counts, "" if path == "-" else path))
    if len(rows) > 1:
        rows.append((total, "total"))
    uses_stdin = not paths or "-" in paths
    width = 1 if (len(wanted) == 1 and len(rows) == 1) else (
        7 if uses_stdin else max(len(str(total["c"])), 1))
    for counts, label in rows:
        numbers = " ".join(f"{counts[k]:>{width}}" for k in wanted)
        inv.out(f"{numbers} {label}\n" if label else f"{numbers}\n")
    return status


@program("sort")
def sort(inv: Invocation) -> int:
    opts, paths = getopts(inv, inv.argv[1:], "rnuk:t:f", ("reverse", "numeric-sort", "unique"))
    given = flags(opts)
    lines: list[str] = []
    for path in paths or ["-"]:
        text = read_operand(inv, path)
        if text is None:
            return 2
        lines += text.splitlines()
    key_field, separator = value(opts, "-k"), value(opts, "-t")

    def key(line: str):
        part = line
        if key_field:
            index = int(key_field.split(",")[0].split(".")[0]) - 1
            fields = line.split(separator) if separator else line.split()
            part = fields[index] if index < len(fields) else ""
        if given & {"-n", "--numeric-sort"}:
            match = re.match(r"\s*-?\d+(\.\d+)?", part)
            return (float(match.group(0)) if match else 0.0, part)
        return part.lower() if "-f" in given else part
    lines.sort(key=key, reverse=bool(given & {"-r", "--reverse"}))
    if given & {"-u", "--unique"}:
        lines = list(dict.fromkeys(lines))
    inv.out("".join(line + "\n" for line in lines))
    return 0


@program("uniq")
def uniq(inv: Invocation) -> int:
    opts, paths = getopts(inv, inv.argv[1:], "cdui", ("count", "repeated", "unique"))
    given = flags(opts)
    text = read_operand(inv, paths[0] if paths else "-")
    if text is None:
        return 1
    groups: list[list] = []
    for line in text.splitlines():
        if groups and groups[-1][0] == line:
            groups[-1][1] += 1
        else:
            groups.append([line, 1])
    for line, count in groups:
        if ("-d" in given and count < 2) or ("-u" in given and count > 1):
            continue
        inv.out(f"{count:7d} {line}\n" if given & {"-c", "--count"} else f"{line}\n")
    return 0


def _tr_set(spec: str) -> str:
    spec = re.sub(r"\[:(\w+):\]", lambda m: {"lower": "a-z", "upper": "A-Z", "digit": "0-9",
                                             "space": " \t\n", "alpha": "a-zA-Z"}.get(
                                                 m.group(1), ""), spec)
    spec = spec.replace("\\n", "\n").replace("\\t", "\t")
    out, i = [], 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.extend(chr(c) for c in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            out.append(spec[i])
            i += 1
    return "".join(out)


@program("tr")
def tr(inv: Invocation) -> int:
    opts, sets = getopts(inv, inv.argv[1:], "dsc")
    given = flags(opts)
    if not sets:
        return inv.fail("missing operand")
    text = inv.io.stdin.read()
    first = _tr_set(sets[0])
    if "-d" in given:
        inv.out("".join(ch for ch in text if ch not in first))
        return 0
    if len(sets) > 1:
        second = _tr_set(sets[1])
        second = second + second[-1:] * max(0, len(first) - len(second))
        text = text.translate(str.maketrans(first, second[:len(first)]))
    if "-s" in given:
        squeeze = _tr_set(sets[-1])
        text = re.sub("([" + re.escape(squeeze) + "])\\1+", r"\1", text)
    inv.out(text)
    return 0


def _ranges(spec: str) -> list[tuple[int, int]]:
    out = []
    for part in spec.split(","):
        start, dash, end = part.partition("-")
        low = int(start) if start else 1
        high = int(end) if end else (10**9 if dash else low)
        out.append((low, high))
    return out


@program("cut")
def cut(inv: Invocation) -> int:
    opts, paths = getopts(inv, inv.argv[1:], "d:f:c:s", ("delimiter=", "fields="))
    delimiter = value(opts, "-d", "--delimiter", default="\t")
    fields, chars = value(opts, "-f", "--fields"), value(opts, "-c")
    if not fields and not chars:
        return inv.fail("you must specify a list of bytes, characters, or fields")
    ranges = _ranges(fields or chars)
    for path in paths or ["-"]:
        text = read_operand(inv, path)
        if text is None:
            return 1
        for line in text.splitlines():
            items = list(line) if chars else line.split(delimiter)
            if fields and len(items) == 1:
                inv.out(line + "\n")
                continue
            kept = [item for index, item in enumerate(items, start=1)
                    if any(low <= index <= high for low, high in ranges)]
            inv.out(("" if chars else delimiter).join(kept) + "\n")
    return 0
