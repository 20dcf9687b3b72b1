"""`kubetui cluster`: the local API server in the foreground, for kubectl and other tools.

Prints exactly one stdout line once it accepts requests (scripts wait for it):
`kubetui local cluster ready at https://127.0.0.1:PORT (kubeconfig: PATH)`.
Warnings go to stderr so that line stays alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kubetui.errors import KubetuiError

DEFAULT_KUBECONFIG = "./kubetui-local.kubeconfig"

# flag name -> ClusterOptions field; only flags the user set are passed on.
_OPTION_FLAGS = {
    "seed": "seed",
    "time_scale": "time_scale",
    "pods": "pods",
    "deployments": "deployments",
    "replicasets": "replicasets",
    "churn": "churn",
    "host_exec": "host_exec",
    "drop_watches_every": "drop_watches_every",
    "watch_410": "watch_410",
    "error_rate": "error_rate",
    "error_codes": "error_codes",
    "latency_ms": "latency_ms",
    "stall_watch_seconds": "stall_watch_seconds",
}


def add_cluster_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0, the default, picks a free one)")
    parser.add_argument("--write-kubeconfig", metavar="PATH", default=DEFAULT_KUBECONFIG,
                        help=f"where to write the kubeconfig (default {DEFAULT_KUBECONFIG}); contexts "
                             "kubetui-local (admin) and kubetui-local-viewer (read-only)")
    parser.add_argument("--seed", action="store_true", default=None,
                        help="create the sample workloads of the study notes in 'default'")
    parser.add_argument("--time-scale", type=float, default=None, metavar="F",
                        help="simulated clock runs F times faster (back-offs, sleeps); timestamps stay real")
    parser.add_argument("--pods", type=int, default=None, metavar="N", help="add N synthetic pods (benchmarks)")
    parser.add_argument("--deployments", type=int, default=None, metavar="N",
                        help="N synthetic Deployments owning the synthetic pods (needs --replicasets N or more)")
    parser.add_argument("--replicasets", type=int, default=None, metavar="N",
                        help="N synthetic ReplicaSets: one current per Deployment owns its pods, the rest are "
                             "earlier revisions scaled to zero (standalone owners without --deployments)")
    parser.add_argument("--churn", type=float, default=None, metavar="R", help="R synthetic status changes per second")
    parser.add_argument("--host-exec", action="store_true", default=None,
                        help="DANGEROUS: exec runs commands for real on this machine (for development only)")
    faults = parser.add_argument_group("fault injection (also switchable at run time: POST /debug/faults)")
    faults.add_argument("--drop-watches-every", type=float, default=None, metavar="S", help="close every watch each S s")
    faults.add_argument("--watch-410", action="store_true", default=None, help="answer watches with 410 Expired")
    faults.add_argument("--error-rate", type=float, default=None, metavar="P", help="fail fraction P of requests")
    faults.add_argument("--error-codes", type=_status_codes, default=None, metavar="CODES",
                        help="comma-separated codes for --error-rate (default 500,503,429)")
    faults.add_argument("--latency-ms", type=int, default=None, metavar="MS", help="add latency to every request")
    faults.add_argument("--stall-watch-seconds", type=float, default=None, metavar="S",
                        help="watches send nothing for S s after connecting")


def _status_codes(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(code) for code in text.split(",") if code.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of HTTP status codes: {text!r}") from None


def start_cluster(options):
    """Start a LocalCluster; bad knob values and busy ports become one clear line."""
    from kubetui.localcluster import ClusterStartError, LocalCluster

    try:
        cluster = LocalCluster(options)
        cluster.start()
    except (ClusterStartError, ValueError) as exc:
        raise KubetuiError(f"cannot start the local cluster: {exc}", "Cannot start") from None
    except OSError as exc:
        raise KubetuiError(f"cannot start the local cluster on port {options.port}: {exc.strerror or exc}",
                           "Cannot start") from None
    return cluster


def cluster_options(args: argparse.Namespace, **overrides):
    """ClusterOptions from parsed flags; a flag this build's server does not support is an error."""
    import dataclasses

    from kubetui.localcluster import ClusterOptions

    known = {f.name for f in dataclasses.fields(ClusterOptions)}
    values = {"port": getattr(args, "port", 0)}
    for flag, name in _OPTION_FLAGS.items():
        value = getattr(args, flag, None)
        if value is None:
            continue
        if name not in known:
            raise KubetuiError(f"--{flag.replace('_', '-')} is not supported by this build", "Unsupported option")
        values[name] = value
    values.update({k: v for k, v in overrides.items() if k in known})
    return ClusterOptions(**values)


def run_cluster(args: argparse.Namespace) -> int:
    import signal
    import threading

    options = cluster_options(args)
    cluster = start_cluster(options)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        path = cluster.write_kubeconfig(Path(args.write_kubeconfig))
        if getattr(options, "host_exec", False):
            print("kubetui: WARNING: --host-exec is on: exec runs commands for real on this machine",
                  file=sys.stderr, flush=True)
        print(f"kubetui local cluster ready at {cluster.url} (kubeconfig: {path})", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        cluster.stop()
    return 0
