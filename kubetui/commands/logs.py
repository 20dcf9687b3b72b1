"""`kubetui logs`: what `kubectl logs` prints, for every flag, errors included.

Key decisions: kubectl's order of checks is kept (flag values, arguments, `--since-time`, the
object, then the option checks, then the containers), because which error a person sees
first is part of the output. Bodies are copied to stdout as raw bytes, unsplit, unless a
prefix or several followed streams need whole lines (kubectl's `prefixingWriter`, its
line-atomic pipe). Where kubectl's order is random (its requests live in a Go map), kubetui
reads pods in the server's order and containers in kubectl's pick order.
"""

from __future__ import annotations

import argparse
import sys
import threading
from typing import Any, BinaryIO, TextIO

USAGE = "logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]"
USAGE_ERROR = (f"error: expected '{USAGE}'.\nPOD or TYPE/NAME is a required argument for the logs command\n"
               "See 'kubetui logs -h' for help and examples")
SELECTOR_TAIL = 10


class _Failed(Exception):
    """Stop with `text` on stderr and exit code 1."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def add_logs_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="POD | TYPE/NAME [CONTAINER]",
                        help="the pod, or TYPE/NAME (deploy/x, rs/x, svc/x, job/x ...), and a container")
    parser.add_argument("-c", "--container", default=None, help="print the logs of this container")
    parser.add_argument("-f", "--follow", action="store_true", help="stream the logs")
    parser.add_argument("-p", "--previous", action="store_true", help="the previous instance of the container")
    parser.add_argument("--timestamps", action="store_true", help="include timestamps on each line")
    parser.add_argument("--tail", default=None, metavar="N",
                        help="lines of recent log to show (default -1: all; 10 with a selector)")
    parser.add_argument("--since", default=None, metavar="DURATION", help="only logs newer than 5s, 2m, 3h ...")
    parser.add_argument("--since-time", default="", metavar="RFC3339", help="only logs after this time")
    parser.add_argument("--limit-bytes", default=None, metavar="N", help="maximum bytes of logs to return")
    parser.add_argument("--all-containers", action="store_true", help="all containers' logs in the pod(s)")
    parser.add_argument("--all-pods", action="store_true", help="logs of all pods of TYPE/NAME (sets --prefix)")
    parser.add_argument("--prefix", action="store_true", help="prefix each line with [pod/NAME/CONTAINER]")
    parser.add_argument("-l", "--selector", default="", help="label selector, e.g. app=web")
    parser.add_argument("--max-log-requests", default=None, metavar="N",
                        help="maximum number of concurrent logs to follow with a selector (default 5)")
    parser.add_argument("--ignore-errors", action="store_true", help="print errors of followed logs and go on")
    parser.add_argument("--pod-running-timeout", default=None, metavar="DURATION",
                        help="how long to wait for a pod of TYPE/NAME to appear (default 20s)")


def run_logs(args: argparse.Namespace, out: BinaryIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout.buffer
    err = err or sys.stderr
    try:
        return _run(args, out, err)
    except _Failed as failure:
        out.flush()
        print(failure.text, file=err, flush=True)
        return 1
    except BrokenPipeError:  # `kubetui logs ... | head`: stop quietly, like kubectl
        _silence(out)
        return 0


def _flag(name: str, text: str | None, parse, default):
    if text is None:
        return default
    try:
        return parse(text)
    except ValueError as problem:
        raise _Failed(f'error: invalid argument "{text}" for "--{name}" flag: {problem}\n'
                      "See 'kubetui logs --help' for usage.") from None


def _run(args: argparse.Namespace, out: BinaryIO, err: TextIO) -> int:
    from kubetui.model.kubectl_grammar.go_values import parse_duration, parse_int, parse_rfc3339, round_seconds

    if getattr(args, "all_namespaces", False):
        raise _Failed("error: unknown shorthand flag: 'A' in -A\nSee 'kubetui logs --help' for usage.")
    tail = _flag("tail", args.tail, parse_int, -1)
    since = _flag("since", args.since, parse_duration, 0.0)
    limit_bytes = _flag("limit-bytes", args.limit_bytes, parse_int, 0)
    max_requests = _flag("max-log-requests", args.max_log_requests, parse_int, 5)
    pod_timeout = _flag("pod-running-timeout", args.pod_running_timeout, parse_duration, 20.0)
    names, container = list(args.names), args.container
    if not names and not args.selector or len(names) > 2:
        raise _Failed(USAGE_ERROR)
    if len(names) == 1 and args.selector:
        raise _Failed("error: only a selector (-l) or a POD name is allowed\n"
                      "See 'kubetui logs -h' for help and examples")
    if len(names) == 2:
        container = names[1]
    if pod_timeout <= 0:
        raise _Failed("error: --pod-running-timeout must be higher than zero")
    since_time = ""
    if args.since_time:
        try:
            since_time = parse_rfc3339(args.since_time).strftime("%Y-%m-%dT%H:%M:%SZ")
        except ValueError as problem:
            raise _Failed(f"error: {problem}") from None

    from kubetui.kube.contexts import connect

    conn = connect(args.kubeconfig, args.context, args.namespace)
    try:
        target = _fetch(conn, names[0] if names else None, args.selector, err)
        since_seconds = round_seconds(since) if since else None
        if args.since_time and since:
            raise _Failed("error: at most one of `sinceTime` or `sinceSeconds` may be specified")
        if args.all_containers and container:
            raise _Failed(f"error: --all-containers=true should not be specified with container name {container}")
        if args.container is not None and len(names) == 2:
            raise _Failed("error: only one of -c or an inline [CONTAINER] arg is allowed")
        if limit_bytes < 0:
            raise _Failed("error: --limit-bytes must be greater than 0")
        if since_seconds is not None and since_seconds < 0:
            raise _Failed("error: --since must be greater than 0")
        if args.selector and tail == -1 and args.tail is None:
            tail_lines: int | None = SELECTOR_TAIL
        else:
            tail_lines = tail if tail != -1 else None
        if tail_lines is not None and tail_lines < -1:
            raise _Failed("error: --tail must be greater than or equal to -1")

        from kubetui.kube.logs import LogOptions

        options = LogOptions(follow=args.follow, previous=args.previous, timestamps=args.timestamps,
                             tail_lines=tail_lines, since_seconds=since_seconds, since_time=since_time or None,
                             limit_bytes=limit_bytes or None)
        requests = _requests(conn, target, container, args, pod_timeout, out, err)
        prefix = args.prefix or args.all_pods
        if args.follow and len(requests) > 1:
            if len(requests) > max_requests:
                raise _Failed(f"error: you are attempting to follow {len(requests)} log streams, but maximum "
                              f"allowed concurrency is {max_requests}, use --max-log-requests to increase the limit")
            return _parallel(conn, requests, options, prefix, args.ignore_errors, out)
        return _sequential(conn, requests, options, prefix, args.ignore_errors, out)
    finally:
        conn.close()


def _fetch(conn: Any, argument: str | None, selector: str, err: TextIO) -> Any:
    """kubectl's builder: the object named, or the pods a selector matches."""
    from kubetui.kube.log_objects import UnknownResourceType, find_object

    try:
        if argument is not None:
            return find_object(conn.api_client, conn.namespace, argument)
        from kubetui.kube.listing import list_pods

        pods, _ = list_pods(conn.api_client, conn.namespace, label_selector=selector)
    except UnknownResourceType as problem:
        raise _Failed(f"error: {problem}") from None
    except Exception as exc:
        if getattr(exc, "status", None) == 404 and argument is not None:
            from kubetui.errors import status_message

            message = (status_message(getattr(exc, "body", None))[1]
                       or "the server could not find the requested resource")
            raise _Failed(f'error: error from server (NotFound): {message} in namespace "{conn.namespace}"') from None
        raise _Failed(_error_text(exc, conn.server)) from None
    if not pods:
        print(f"No resources found in {conn.namespace} namespace.", file=err, flush=True)
    return pods


def _requests(conn: Any, target: Any, container: str | None, args: argparse.Namespace, pod_timeout: float,
              out: BinaryIO, err: TextIO) -> list[tuple[str, str]]:
    """kubectl's LogsForObject: (pod, container) pairs; its notices go to stderr as it prints them."""
    from kubetui.kube.log_objects import NotLoggable, WaitedTooLong, pods_of
    from kubetui.model.log_sources import pick_containers

    if isinstance(target, list):
        pods = target
    elif target.is_pod:
        pods = [target.obj]
    else:
        try:
            pods = pods_of(conn.api_client, conn.namespace, target.pod_selector(), wait_seconds=pod_timeout)
        except (NotLoggable, WaitedTooLong, ValueError) as problem:
            raise _Failed(f"error: {problem}") from None
        except Exception as exc:
            raise _Failed(_error_text(exc, conn.server)) from None
        if not args.all_pods:
            if len(pods) > 1:
                _notice(f"Found {len(pods)} pods, using pod/{pods[0]['metadata']['name']}", out, err)
            pods = pods[:1]
    requests = []
    for pod in pods:
        try:
            pick = pick_containers(pod, container, args.all_containers, quiet=args.all_pods)
        except ValueError as problem:
            raise _Failed(f"error: {problem}") from None
        if pick.notice:
            _notice(pick.notice, out, err)
        requests += [(pod["metadata"]["name"], name) for name in pick.names]
    return requests


def _notice(text: str, out: BinaryIO, err: TextIO) -> None:
    out.flush()
    print(text, file=err, flush=True)


def _sequential(conn: Any, requests: list[tuple[str, str]], options: Any, prefix: bool, ignore_errors: bool,
                out: BinaryIO) -> int:
    from kubetui.kube.logs import iter_chunks, open_log
    from kubetui.model.log_lines import prefix_for

    for pod, container in requests:
        try:
            chunks = iter_chunks(open_log(conn.api_client, conn.namespace, pod, options.for_container(container)))
            if prefix:
                _copy_lines(chunks, prefix_for(pod, container), out, None)
            else:
                for chunk in chunks:
                    out.write(chunk)
                    out.flush()
        except BrokenPipeError:
            raise
        except Exception as exc:
            if not ignore_errors:
                raise _Failed(_error_text(exc, conn.server)) from None
            out.write(f"error: {_error_text(exc, conn.server, bare=True)}\n".encode())
    out.flush()
    return 0


def _parallel(conn: Any, requests: list[tuple[str, str]], options: Any, prefix: bool, ignore_errors: bool,
              out: BinaryIO) -> int:
    """kubectl's parallelConsumeRequest: one reader per stream, whole lines into one pipe; the
    first error ends everything unless errors are ignored."""
    from kubetui.kube.logs import iter_chunks, open_log
    from kubetui.model.log_lines import prefix_for

    lock = threading.Lock()
    failures: list[str] = []
    done, closed = threading.Event(), threading.Event()
    left = [len(requests)]

    def follow(pod: str, container: str) -> None:
        try:
            chunks = iter_chunks(open_log(conn.api_client, conn.namespace, pod, options.for_container(container)))
            _copy_lines(chunks, prefix_for(pod, container) if prefix else b"", out, lock)
        except BrokenPipeError:  # the reader of our output left (`| head`): stop, quietly
            closed.set()
            done.set()
        except Exception as exc:
            with lock:
                if ignore_errors:
                    out.write(f"error: {_error_text(exc, conn.server, bare=True)}\n".encode())
                    out.flush()
                else:
                    failures.append(_error_text(exc, conn.server))
                    done.set()
        finally:
            with lock:
                left[0] -= 1
                if left[0] == 0:
                    done.set()

    for pod, container in requests:
        threading.Thread(target=follow, args=(pod, container), daemon=True).start()
    while not done.wait(0.5):
        pass
    if closed.is_set():
        raise BrokenPipeError()
    if failures:
        raise _Failed(failures[0])
    return 0


def _copy_lines(chunks: Any, prefix: bytes, out: BinaryIO, lock: threading.Lock | None) -> None:
    """Whole lines, each after `prefix` (kubectl's ReadBytes('\\n') loop and prefixingWriter)."""
    from kubetui.model.log_lines import LineSplitter

    splitter = LineSplitter(max_line=1 << 62)  # kubectl copies lines of any length
    for chunk in chunks:
        lines = splitter.feed(chunk)
        if lines:
            _write(b"".join(prefix + line + b"\n" for line in lines), out, lock)
    rest = splitter.finish()
    if rest:
        _write(prefix + rest[0], out, lock)


def _write(data: bytes, out: BinaryIO, lock: threading.Lock | None) -> None:
    if lock is None:
        out.write(data)
        out.flush()
        return
    with lock:
        out.write(data)
        out.flush()


def _error_text(exc: BaseException, server: str, bare: bool = False) -> str:
    """What kubectl's CheckErr prints for a failed request (`bare`: the error's own text)."""
    from kubetui.errors import status_message
    from kubetui.kube.kubectl_errors import kubectl_error_text

    status = getattr(exc, "status", None)
    if not isinstance(status, int) or not status:
        return kubectl_error_text(exc, server)
    reason, message = status_message(getattr(exc, "body", None))
    if bare and message:
        return message
    if reason == "Invalid":
        return _invalid_text(getattr(exc, "body", None)) or f"Error from server ({reason}): {message}"
    if reason == "Unauthorized":
        return f"error: You must be logged in to the server ({message})"
    if message:
        return f"Error from server ({reason}): {message}" if reason else f"Error from server: {message}"
    return kubectl_error_text(exc, server)


def _invalid_text(body: Any) -> str | None:
    """kubectl's text for a 422: `The KIND "NAME" is invalid: field: message`."""
    import json

    try:
        details = json.loads(body).get("details") or {}
    except (TypeError, ValueError, AttributeError):
        return None
    head = f'The {details.get("kind", "")} "{details.get("name", "")}" is invalid'
    causes = [f"{c.get('field', '')}: {c.get('message', '')}" for c in details.get("causes") or []]
    if not causes:
        return head
    if len(causes) == 1:
        return f"{head}: {causes[0]}"
    return f"{head}: \n" + "\n".join(f"* {cause}" for cause in causes)


def _silence(out: BinaryIO) -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
    except (OSError, ValueError, AttributeError):
        pass
