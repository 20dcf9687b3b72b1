"""`kubetui` and `kubetui demo`: connect (or start the local cluster), check the server, open the UI."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from kubetui.errors import KubetuiError


def run_tui(args: argparse.Namespace) -> int:
    from kubetui.kube.first_list import prefetch_first_list

    # The list is on its way while the client is built, the server probed and Textual loaded;
    # if any of that fails, the list's thread (a daemon) is abandoned with the process.
    first_list = prefetch_first_list(args.kubeconfig, args.context, args.namespace, args.all_namespaces)

    from kubetui.kube.contexts import connect
    from kubetui.kube.probing import check

    conn = connect(args.kubeconfig, args.context, args.namespace)
    try:
        first_list.attach(conn, args.all_namespaces)
        check(conn)
        return _run_app(conn, args, first_list)
    finally:
        conn.close()


def run_demo(args: argparse.Namespace) -> int:
    """The embedded default: a seeded local cluster in-process, and the UI on it."""
    from kubetui.commands.cluster import cluster_options, start_cluster
    from kubetui.kube.contexts import connect

    options = cluster_options(argparse.Namespace(port=0), seed=True, time_scale=args.time_scale)
    cluster = start_cluster(options)
    try:
        with tempfile.TemporaryDirectory(prefix="kubetui-demo-") as tmp:
            kubeconfig = cluster.write_kubeconfig(Path(tmp) / "kubeconfig")
            conn = connect(str(kubeconfig), args.context, args.namespace)
            try:
                return _run_app(conn, args)
            finally:
                conn.close()
    finally:
        cluster.stop()


def _run_app(conn, args: argparse.Namespace, first_list=None) -> int:
    from kubetui.ui.app import KubetuiApp

    app = KubetuiApp(conn, readonly=args.readonly, all_namespaces=args.all_namespaces,
                     manifests_dir=_manifests_dir(args), first_list=first_list)  # what the apply panel browses
    app.run()
    if app.return_code not in (None, 0):
        raise KubetuiError("the UI stopped with an error", "Error")
    return 0


def _manifests_dir(args: argparse.Namespace) -> Path:
    """--manifests DIR, checked here so a typo is one line, not a broken panel."""
    folder = Path(getattr(args, "manifests", None) or ".").expanduser()
    if not folder.is_dir():
        raise KubetuiError(f"--manifests {folder}: not a directory", "No such directory")
    return folder.resolve()
