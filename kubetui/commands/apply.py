"""`kubetui apply -f PATH`: kubectl apply's lines, by server-side apply, all-or-nothing by default.

Key decisions: every file is read and checked locally first (syntax, kinds, names, duplicates);
in all-or-nothing mode any problem, local or from the server's dry run, means nothing is
applied, and every problem is listed; an object failing after the dry run passed means what was
applied is rolled back, and whatever could not be is named (`Applier`, `ApplyReport.summary`).
One line per object: results on stdout in kubectl's words (`pod/sample-pod created`), failures
on stderr (`Error from server (Invalid): error when applying "x.yaml": ...`). Exit code 1 if
anything failed. `--readonly` allows only `--dry-run=server`. Where the kubeconfig allows, the
requests go out without the official client (`direct_client`): its import alone costs more than
applying a few objects.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from kubetui.commands.stdin_text import read_stdin
from kubetui.errors import KubetuiError

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


def add_apply_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-f", "--filename", action="append", metavar="PATH", required=True,
                        help="a manifest file, a directory of them, or - for stdin (repeatable)")
    parser.add_argument("-R", "--recursive", action="store_true",
                        help="read directories given with -f recursively")
    parser.add_argument("--dry-run", choices=("none", "server"), default="none",
                        help="server: ask the server what would happen (dryRun=All), change nothing")
    parser.add_argument("--force-conflicts", action="store_true",
                        help="take over fields other field managers own (server-side apply conflicts)")
    parser.add_argument("--no-all-or-nothing", dest="all_or_nothing", action="store_false",
                        help="apply every object that passes, even if others fail")


def read_sources(paths: list[str], recursive: bool, stdin: TextIO | None = None) -> list[tuple[str, str]]:
    """(source, text) for every -f, directories expanded as kubectl expands them."""
    sources: list[tuple[str, str]] = []
    for raw in paths:
        if raw == "-":
            sources.append(("STDIN", read_stdin(stdin if stdin is not None else sys.stdin)))
            continue
        path = Path(raw)
        if path.is_dir():
            pattern = "**/*" if recursive else "*"
            files = sorted(p for p in path.glob(pattern) if p.suffix in MANIFEST_SUFFIXES and p.is_file())
            if not files:
                raise KubetuiError(f'error reading [{raw}]: recognized file extensions are [.json .yaml .yml]',
                                   "No manifests")
            sources.extend((str(p), _read(p)) for p in files)
        elif path.exists():
            sources.append((raw, _read(path)))
        else:
            raise KubetuiError(f'the path "{raw}" does not exist', "No such file")
    return sources


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:  # listed a moment ago, gone now
        raise KubetuiError(f'the path "{path}" does not exist (it vanished while being read)', "No such file") \
            from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KubetuiError(f"cannot read {path}: {exc}", "Unreadable file") from None


def run_apply(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None,
              stdin: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    dry_run = args.dry_run == "server"
    if args.readonly and not dry_run:
        raise KubetuiError("apply is disabled by --readonly (--dry-run=server is allowed: it changes nothing)",
                           "Read-only")
    from kubetui.model import parse_sources

    sources = read_sources(args.filename, args.recursive, stdin)
    from kubetui.kube.direct_client import connect

    conn = connect(args.kubeconfig, args.context, args.namespace)
    try:
        manifests = parse_sources(sources, default_namespace=conn.namespace)
        return _apply_set(manifests, conn, args, dry_run, out, err)
    finally:
        conn.close()


def _apply_set(manifests, conn, args: argparse.Namespace, dry_run: bool, out: TextIO, err: TextIO) -> int:
    from kubetui.kube.applying import Applier

    for problem in manifests.problems:
        print(f"error: {problem.text()}", file=err)
    if not manifests.manifests and not manifests.problems:
        print("error: no objects passed to apply", file=err)
        return 1
    if manifests.problems and args.all_or_nothing:
        bad = {p.key for p in manifests.problems}
        for manifest in manifests.manifests:
            if manifest.key not in bad:
                print(f"{manifest.kind.lower()}/{manifest.name} not applied", file=out)
        total = len(manifests.manifests) + len(bad - {m.key for m in manifests.manifests})
        print(f"error: {len(bad)} of {total} objects failed the local checks; "
              "nothing was sent (all-or-nothing; --no-all-or-nothing applies the others)", file=err)
        return 1
    if not manifests.valid():
        return 1
    applier = Applier(conn.api_client, conn.namespace, server=conn.server)
    try:
        report = applier.apply(manifests.valid(), force=args.force_conflicts, all_or_nothing=args.all_or_nothing,
                               dry_run=dry_run)
    finally:
        applier.close()
    for outcome in report.outcomes:
        if outcome.ok:
            print(outcome.line(), file=out)
        else:
            print(outcome.line(), file=err)
            if outcome.conflicts:
                print(CONFLICT_HINT, file=err)
    for outcome in report.not_rolled_back:
        print(outcome.rollback_line(), file=err)
    summary = report.summary()
    if summary:
        print(f"error: {summary}", file=err)
    return 1 if report.failed or manifests.problems else 0


CONFLICT_HINT = ("Please review the fields above--they currently have other managers. "
                 "Re-run with --force-conflicts to take them over, or leave them out of the manifest.")
