"""`kubetui port-forward`: what `kubectl port-forward` does and prints, through kubetui's own client.

Key decisions: arguments and errors are kubectl's (the `:` line's grammar parses the ports, the
pod and its ports are found as kubectl finds them, kube/forward_targets.py); the lines go where
kubectl writes them (`Forwarding from`/`Handling connection` on stdout, errors on stderr). Ctrl-C
ends it with status 0, as kubectl; an error on a connection ends it with `error: lost
connection to pod` and status 1, as kubectl 1.37 does. `--readonly` refuses it: RBAC grants a
port-forward as `create pods/portforward`.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import TextIO

USAGE_ERROR = ("error: TYPE/NAME and list of ports are required for port-forward\n"
               "See 'kubetui port-forward -h' for help and examples")


def add_port_forward_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", nargs="?", metavar="POD | TYPE/NAME",
                        help="the pod, or svc/NAME, deploy/NAME, rs/NAME ... (one of its pods is used)")
    parser.add_argument("ports", nargs="*", metavar="[LOCAL_PORT:]REMOTE_PORT",
                        help="8080:80, 8080 (the same on both ends), :80 (any free local port), or a named port")
    parser.add_argument("--address", action="append", default=None, metavar="ADDRESSES",
                        help="addresses to listen on, comma separated (default localhost: 127.0.0.1 and ::1)")
    parser.add_argument("--pod-running-timeout", default=None, metavar="DURATION",
                        help="accepted for kubectl's sake: the pod of TYPE/NAME is awaited up to 20s")


def run_port_forward(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None,
                     stop: threading.Event | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    from kubetui.errors import KubetuiError
    from kubetui.model.kubectl_grammar import PORT_FORWARD_READONLY, GrammarError, port_mapping

    if getattr(args, "readonly", False):
        print(f"error: {PORT_FORWARD_READONLY}", file=err)
        return 1
    if not args.target or not args.ports:
        print(USAGE_ERROR, file=err)
        return 1
    addresses = tuple(part for value in (args.address or ["localhost"]) for part in value.split(",") if part)
    try:
        mappings = [port_mapping(spec) for spec in args.ports]
        _check_addresses(addresses)
    except GrammarError as problem:
        print(str(problem), file=err)
        return 1
    from kubetui.kube.direct_client import connect
    from kubetui.kube.forward_targets import find_target
    from kubetui.kube.port_forwarding import PortForward

    conn = connect(args.kubeconfig, args.context, args.namespace)
    try:
        target = find_target(conn.api_client, conn.server, conn.namespace, args.target, mappings)

        def say(line: str, error: bool) -> None:
            print(line, file=err if error else out, flush=True)

        forward = PortForward(conn.api_client, conn.namespace, target.pod_name, list(target.ports),
                              address_names=addresses, say=say, stop_on_error=True, server=conn.server)
        forward.listen()
        server = threading.Thread(target=forward.serve, name="port-forward", daemon=True)
        server.start()
        finished = stop or threading.Event()
        previous = _on_interrupt(forward) if stop is None else None
        try:
            while not forward.wait(0.5) and not finished.is_set():
                pass
        finally:
            forward.stop()
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
        server.join(timeout=5)
        if forward.failure:
            print(f"error: {forward.failure}", file=err, flush=True)
            return 1
        return 0
    except KubetuiError as problem:
        text = problem.message
        print(text if text.startswith(("error:", "Error from server")) else f"error: {text}", file=err, flush=True)
        return 1
    finally:
        conn.close()


def _check_addresses(addresses: tuple[str, ...]) -> None:
    import ipaddress

    from kubetui.model.kubectl_grammar import GrammarError

    for address in addresses:
        if address != "localhost":
            try:
                ipaddress.ip_address(address)
            except ValueError:
                raise GrammarError(f"error: {address} is not a valid IP") from None


def _on_interrupt(forward):
    """Ctrl-C stops forwarding (status 0, as kubectl); the previous handler comes back after."""
    def interrupted(_signum, _frame) -> None:
        forward.stop()

    try:
        return signal.signal(signal.SIGINT, interrupted)
    except ValueError:  # not the main thread (tests): no handler to install
        return None
