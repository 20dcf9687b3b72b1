"""`kubetui get`: kubectl's output. Pods are computed client-side from one plain-JSON list; any
other kind, several kinds or named objects go through `get_resources` (server-printed Tables).

Key decisions: one request without pagination, parsed by orjson with the GC off for this
short-lived process (a 10,000-pod list is ~1.5 million objects), rows from `kubetui.model`;
errors are worded as kubectl words them and go to stderr with exit code 1, never a traceback.
`-w` prints the table, then one line per watch event aligned as kubectl aligns them, and
resumes from the last resourceVersion when the server ends the watch.
"""

from __future__ import annotations

import argparse
import gc
import sys
from datetime import datetime, timezone
from typing import Any, TextIO

from kubetui.commands.server_warnings import print_server_warnings

POD_RESOURCE_NAMES = ("pods", "pod", "po")
OUTPUT_FORMATS = ("wide", "name", "json", "yaml")


def add_get_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("resources", nargs="+", metavar="TYPE[,TYPE...] [NAME...] | TYPE/NAME...",
                        help="what to print, as kubectl takes it: pods, deploy,rs, deployments.apps x y, "
                             "rs/x, any type the server serves (short names and CRDs too)")
    parser.add_argument("-o", "--output", metavar="FORMAT", choices=OUTPUT_FORMATS, default=None,
                        help="output format: wide, name, json or yaml (default: the table)")
    parser.add_argument("-l", "--selector", metavar="SELECTOR", default=None,
                        help="label selector, e.g. app=web,tier!=db")
    parser.add_argument("--field-selector", metavar="SELECTOR", default=None,
                        help="field selector, e.g. status.phase=Running")
    parser.add_argument("-w", "--watch", action="store_true",
                        help="after listing, print a line for every change until interrupted")


def run_get(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    gc_was_enabled = gc.isenabled()
    gc.disable()  # ~1.5 million objects for 10,000 pods: the cyclic GC would only slow us down
    try:
        return _run_get(args, out or sys.stdout, err or sys.stderr)
    finally:
        if gc_was_enabled:
            gc.freeze()  # what we allocated holds no cycles; spare the collector a walk over it
            gc.enable()


def _run_get(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    pods_only = len(args.resources) == 1 and args.resources[0] in POD_RESOURCE_NAMES
    if args.watch and not pods_only:
        print("error: kubetui get -w watches pods only (kubetui get pods -w)", file=err)
        return 1
    conn = _connect(args)
    print_server_warnings(conn, err)
    if not pods_only:
        from kubetui.commands.get_resources import run_get_resources

        try:
            return run_get_resources(args, conn, out, err)
        except BrokenPipeError:  # `kubetui get deploy -A | head`: stop quietly, like kubectl
            _silence(out)
            return 0
        finally:
            conn.close()
    return _run_get_pods(args, conn, out, err)


def _connect(args: argparse.Namespace) -> Any:
    """A `direct_client` connection where the kubeconfig allows (it spares importing the
    kubernetes package, ~0.3 s), else the official client's; `-w` keeps the official one."""
    if args.watch:
        from kubetui.kube.contexts import connect
    else:
        from kubetui.kube.direct_client import connect
    return connect(args.kubeconfig, args.context, args.namespace)


def _run_get_pods(args: argparse.Namespace, conn: Any, out: TextIO, err: TextIO) -> int:
    from kubetui.kube.kubectl_errors import kubectl_error_text
    from kubetui.kube.listing import list_pods

    namespace = None if args.all_namespaces else conn.namespace
    try:
        try:
            pods, resource_version = list_pods(conn.api_client, namespace, label_selector=args.selector,
                                               field_selector=args.field_selector)
        except Exception as exc:  # ApiException, urllib3 errors, a body that is not a list
            print(kubectl_error_text(exc, conn.server, label_selector=args.selector,
                                     field_selector=args.field_selector), file=err)
            return 1
        from kubetui.kube.pod_output import WatchTable

        table = WatchTable()
        _print_list(pods, namespace, args, table, out, err)
        if args.watch:
            listed = bool(pods)
            pods.clear()  # a long watch need not hold on to the first list
            return _watch(conn, namespace, resource_version, listed, args, table, out, err)
        return 0
    except BrokenPipeError:  # `kubetui get pods | head`: stop quietly, like kubectl
        _silence(out)
        return 0
    finally:
        conn.close()


def _print_list(pods: list[dict], namespace: str | None, args: argparse.Namespace, table: Any,
                out: TextIO, err: TextIO) -> None:
    from kubetui.kube import pod_output

    output = args.output
    if output in ("json", "yaml"):
        if not args.watch:
            out.write(pod_output.object_text(pod_output.pod_list_document(pods), output))
        else:
            for index, pod in enumerate(pods):
                _write_object(pod, output, out, first=index == 0)
        out.flush()
        return
    if output == "name":  # like kubectl: no "No resources found" for -o name
        out.write(pod_output.name_lines(pods))
    elif not pods:
        if not args.watch:  # kubectl -w says nothing about an empty start
            print(pod_output.no_resources_message(namespace), file=err, flush=True)
        return
    elif args.watch:
        out.write(table.lines(_header_and_rows(pods, namespace, args)))
    else:
        now = datetime.now(timezone.utc)
        out.write(pod_output.table_text(pods, now, wide=output == "wide", all_namespaces=namespace is None))
    out.flush()


def _header_and_rows(pods: list[dict], namespace: str | None, args: argparse.Namespace,
                     with_header: bool = True) -> list[list[str]]:
    from kubetui.kube import pod_output

    wide, all_namespaces = args.output == "wide", namespace is None
    rows = pod_output.table_rows(pods, datetime.now(timezone.utc), wide=wide, all_namespaces=all_namespaces)
    if with_header:
        rows.insert(0, pod_output.headers(wide=wide, all_namespaces=all_namespaces))
    return rows


def _write_object(pod: dict, output: str, out: TextIO, first: bool) -> None:
    """One object of a `-w -o json|yaml` stream; kubectl puts `---` between YAML documents."""
    from kubetui.kube import pod_output

    text = pod_output.object_text(pod_output.printable(pod), output)
    out.write(text if output == "json" or first else "---\n" + text)


def _watch(conn: Any, namespace: str | None, resource_version: str, listed: bool,
           args: argparse.Namespace, table: Any, out: TextIO, err: TextIO) -> int:
    from kubetui.kube.kubectl_errors import kubectl_error_text
    from kubetui.kube.watching import watch_events
    from urllib3.exceptions import ReadTimeoutError

    gc.freeze()  # a watch runs for long: let the collector work again, on new objects only
    gc.enable()
    header_printed = listed
    while True:
        try:
            for event_type, pod in watch_events(conn.api_client, namespace, resource_version,
                                                label_selector=args.selector,
                                                field_selector=args.field_selector):
                resource_version = (pod.get("metadata") or {}).get("resourceVersion") or resource_version
                if event_type == "BOOKMARK":
                    continue
                if args.output in ("json", "yaml"):
                    _write_object(pod, args.output, out, first=not header_printed)
                    header_printed = True
                elif args.output == "name":
                    out.write(f"pod/{(pod.get('metadata') or {}).get('name', '')}\n")
                else:
                    out.write(table.lines(_header_and_rows([pod], namespace, args,
                                                           with_header=not header_printed)))
                    header_printed = True
                out.flush()
        except ReadTimeoutError:
            continue  # a long silence: resume from the last resourceVersion
        except Exception as exc:  # WatchExpired (410) included: kubectl stops there too
            print(kubectl_error_text(exc, conn.server, label_selector=args.selector,
                                     field_selector=args.field_selector), file=err)
            return 1


def _silence(out: TextIO) -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
    except (OSError, ValueError, AttributeError):
        pass
