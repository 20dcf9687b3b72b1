"""`kubetui` command line: kubectl's global flags, subcommands, exit codes.

Global flags may stand before or after the subcommand, as with kubectl. Every failure a user can
cause ends in one line on stderr and exit code 1; tracebacks never reach the terminal.
"""

from __future__ import annotations

import argparse
import sys

from kubetui.errors import KubetuiError

DESCRIPTION = """\
kubetui: a terminal dashboard for Kubernetes. See your pods live, exec into a chosen container,
apply manifests from a side panel; all through the API server, as kubectl would show them.

Try it with no cluster at all:   kubetui demo
Use your current kubeconfig:     kubetui
"""

EPILOG = """\
examples:
  kubetui demo                          start a local cluster with sample pods and open the UI
  kubetui -n kube-system                open the UI on a namespace of your current context
  kubetui --context prod -A --readonly  all namespaces of context "prod", no changes allowed
  kubetui cluster --seed                run the local cluster in the foreground for kubectl
  kubetui describe pod web -n prod      print what kubectl describe prints
  kubetui port-forward svc/web 8080:80  forward local port 8080 to the service's pod
"""


def _global_flags(suppress: bool) -> argparse.ArgumentParser:
    """kubectl's global flags; subparsers repeat them with SUPPRESS so either position works."""
    default = argparse.SUPPRESS if suppress else None
    flags = argparse.ArgumentParser(add_help=False)
    group = flags.add_argument_group("global flags (as in kubectl)")
    group.add_argument("--kubeconfig", metavar="PATH", default=default, help="kubeconfig file to use")
    group.add_argument("--context", metavar="NAME", default=default, help="kubeconfig context to use")
    group.add_argument("-n", "--namespace", metavar="NS", default=default, help="namespace to show")
    group.add_argument("-A", "--all-namespaces", action="store_true", default=argparse.SUPPRESS if suppress else False,
                       help="show all namespaces")
    group.add_argument("--readonly", action="store_true", default=argparse.SUPPRESS if suppress else False,
                       help="disable every action that changes the cluster (exec, apply, delete)")
    return flags


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kubetui",
        description=DESCRIPTION,
        epilog=EPILOG,
        parents=[_global_flags(suppress=False)],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    inherited = [_global_flags(suppress=True)]
    # where the apply panel looks for manifests, in the UI and in the demo
    parser.add_argument("--manifests", metavar="DIR", default=".",
                        help="directory the apply panel (key a) browses for .yaml/.yml/.json (default: .)")

    demo = sub.add_parser("demo", parents=inherited, help="open the UI on a built-in local cluster with sample pods",
                          description="Start kubetui's local Kubernetes API server in-process, seeded with the "
                                      "sample workloads of the study notes, and open the UI on it. Nothing from "
                                      "the samples runs on your machine: containers are simulated.")
    demo.add_argument("--time-scale", type=float, default=1.0, metavar="F",
                      help="run the simulated clock F times faster (back-offs, sleeps)")
    demo.add_argument("--manifests", metavar="DIR", default=argparse.SUPPRESS,
                      help="directory the apply panel (key a) browses for manifests (default: .)")
    demo.set_defaults(handler="demo")

    from kubetui.commands.cluster import add_cluster_arguments

    cluster = sub.add_parser("cluster", parents=inherited, help="run the local Kubernetes API server in the foreground",
                             description="Run kubetui's local Kubernetes API server (HTTPS on 127.0.0.1, bearer "
                                         "token) until Ctrl-C or SIGTERM, and write a kubeconfig for it so kubectl "
                                         "and other tools can use it.")
    add_cluster_arguments(cluster)
    cluster.set_defaults(handler="cluster")

    # `kubetui get`: kubectl's `get`; pods computed client-side
    from kubetui.commands.get import add_get_arguments

    get = sub.add_parser("get", parents=inherited, help="print resources as kubectl get does",
                         description="Print any resources exactly as `kubectl get` does (tables, -o wide|name|"
                                     "json|yaml); pods are computed client-side from their JSON (and -w "
                                     "follows them), other kinds come from the server's printed tables.")
    add_get_arguments(get)
    get.set_defaults(handler="get")

    # `kubetui describe`: kubectl's describe, computed client-side
    from kubetui.commands.describe import add_describe_arguments

    describe = sub.add_parser("describe", parents=inherited, help="print what kubectl describe prints",
                              description="Describe resources exactly as `kubectl describe` does: the object, "
                                          "its events and related objects, laid out by kubectl's rules. "
                                          "TYPE NAME_PREFIX describes every object whose name starts with it.")
    add_describe_arguments(describe)
    describe.set_defaults(handler="describe")

    # `kubetui apply`: server-side apply of manifest files, all-or-nothing
    from kubetui.commands.apply import add_apply_arguments

    apply = sub.add_parser("apply", parents=inherited, help="apply manifests as kubectl apply --server-side does",
                           description="Check manifests locally, dry-run them on the server, then apply them "
                                       "with server-side apply (field manager \"kubetui\"). All-or-nothing by "
                                       "default: if any object fails, nothing is applied.")
    add_apply_arguments(apply)
    apply.set_defaults(handler="apply")

    # `kubetui logs`: kubectl's `logs`, flag for flag
    from kubetui.commands.logs import add_logs_arguments

    logs = sub.add_parser("logs", parents=inherited, help="print container logs as kubectl logs does",
                          description="Print the logs of a container as `kubectl logs` does: -c, -f, -p, --tail, "
                                      "--since, --since-time, --timestamps, --limit-bytes, --all-containers, "
                                      "--prefix, -l, deploy/NAME and the other TYPE/NAME forms.")
    add_logs_arguments(logs)
    logs.set_defaults(handler="logs")

    # `kubetui port-forward`: kubectl's `port-forward`, through kubetui's own client
    from kubetui.commands.port_forward import add_port_forward_arguments

    forward = sub.add_parser("port-forward", parents=inherited, help="forward local ports to a pod as kubectl does",
                             description="Forward one or more local ports to a pod, as `kubectl port-forward` does: "
                                         "POD or TYPE/NAME (svc, deploy, rs ...: one of its pods), "
                                         "[LOCAL_PORT:]REMOTE_PORT..., --address. Ctrl-C stops.")
    add_port_forward_arguments(forward)
    forward.set_defaults(handler="port-forward")

    parser.set_defaults(handler="tui")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and getattr(args, "handler", "") in ("get", "describe") and not any(e.startswith("-") for e in extra):
        args.resources += extra  # `get deploy -n x web`: names after flags, as kubectl takes them
    elif extra and getattr(args, "handler", "") == "logs" and not any(e.startswith("-") for e in extra):
        args.names += extra  # `logs -n x web --tail=2 app`: the same for the pod and its container
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.handler == "cluster":
            from kubetui.commands.cluster import run_cluster

            return run_cluster(args)
        if args.handler == "demo":
            from kubetui.commands.tui import run_demo

            return run_demo(args)
        if args.handler == "apply":
            from kubetui.commands.apply import run_apply

            return run_apply(args)
        if args.handler == "logs":
            from kubetui.commands.logs import run_logs

            return run_logs(args)
        if args.handler == "port-forward":
            from kubetui.commands.port_forward import run_port_forward

            return run_port_forward(args)
        if args.handler == "describe":
            from kubetui.commands.describe import run_describe

            return run_describe(args)
        if args.handler == "get":
            from kubetui.commands.get import run_get

            return run_get(args)
        from kubetui.commands.tui import run_tui

        return run_tui(args)
    except KubetuiError as exc:
        print(f"kubetui: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug of ours: still one line; the traceback goes to a file
        print(f"kubetui: internal error ({type(exc).__name__}: {exc}); details in {_crash_log()}",
              file=sys.stderr)
        return 1


def _crash_log() -> str:
    import tempfile
    import traceback

    with tempfile.NamedTemporaryFile("w", prefix="kubetui-crash-", suffix=".log", delete=False) as log:
        traceback.print_exc(file=log)
    return log.name
