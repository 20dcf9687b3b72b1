"""Regenerate screenshots/*.svg from the real app on the demo cluster.

Starts the same seeded local cluster as `kubetui demo`, opens the app headless at 160x40, waits
(with a deadline) until the sample pods have settled into the states worth showing (sample-2pod
2/2 Running, a crash-looping and an image-pull failure), and saves Textual's SVG screenshot of
the pods (pods.svg); then the apply panel (apply.svg), exec sessions (exec.svg), the
deployments view (deployments.svg), the command line with its completions open
(command-line.svg) and the port clash's log and describe tabs (logs.svg, describe.svg), each by
its own module beside this one. `--only NAME` makes one of them.

    .venv/bin/python tools/make_screenshots.py [--out screenshots/pods.svg] [--timeout 90] [--only command-line]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kubetui.commands.cluster import cluster_options  # noqa: E402
from kubetui.kube.contexts import connect  # noqa: E402
from kubetui.localcluster import LocalCluster  # noqa: E402
from kubetui.ui.app import KubetuiApp  # noqa: E402
from kubetui.ui.views.pods import PodsView  # noqa: E402
from kubetui.ui.workspace import WorkspaceScreen  # noqa: E402

SIZE = (160, 40)
TALL = (160, 52)  # the describe and log tabs: a container's state and the events below it
WANTED = {"Running", "CrashLoopBackOff", "ImagePullBackOff"}


def settled(screen: PodsView) -> bool:
    """sample-2pod is 2/2 Running and the failures the samples demonstrate are visible."""
    table = screen.table
    two = table.row("default/sample-2pod")
    statuses = {table.row(key).status for key in table.visible_keys()}
    return bool(two and two.ready == "2/2" and two.status == "Running" and WANTED <= statuses)


async def capture(conn, out: Path, timeout: float) -> bool:
    app = KubetuiApp(conn)
    async with app.run_test(size=SIZE) as pilot:
        screen = next(s for s in app.screen_stack if isinstance(s, WorkspaceScreen)).query_one(PodsView)
        deadline = time.monotonic() + timeout
        while not settled(screen) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)  # poll interval; the condition or the deadline ends the wait
        ok = settled(screen)
        screen.view.tick(screen.view.now)  # AGE as of this frame
        await pilot.pause()
        app.save_screenshot(filename=out.name, path=str(out.parent))
        await pilot.press("q")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots" / "pods.svg")
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds to wait for the sample pods to settle")
    parser.add_argument("--apply-out", type=Path, default=ROOT / "screenshots" / "apply.svg",
                        help="where the apply panel's picture goes")
    parser.add_argument("--exec-out", type=Path, default=ROOT / "screenshots" / "exec.svg",
                        help="where the exec sessions' picture goes")
    parser.add_argument("--deployments-out", type=Path, default=ROOT / "screenshots" / "deployments.svg",
                        help="where the deployments view's picture goes")
    parser.add_argument("--command-line-out", type=Path, default=ROOT / "screenshots" / "command-line.svg",
                        help="where the command line's picture goes")
    parser.add_argument("--logs-out", type=Path, default=ROOT / "screenshots" / "logs.svg",
                        help="where the log tab's picture goes")
    parser.add_argument("--describe-out", type=Path, default=ROOT / "screenshots" / "describe.svg",
                        help="where the describe tab's picture goes")
    parser.add_argument("--only", choices=("pods", "apply", "exec", "deployments", "command-line", "inspect"),
                        help="make only this picture")
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    cluster = LocalCluster(cluster_options(argparse.Namespace(port=0), seed=True, time_scale=1.0))
    cluster.start()
    try:
        with tempfile.TemporaryDirectory(prefix="kubetui-shots-") as tmp:
            os.environ["XDG_STATE_HOME"] = str(Path(tmp) / "state")  # no one's command history in a picture
            conn = connect(str(cluster.write_kubeconfig(Path(tmp) / "kubeconfig")), None, "default")
            try:
                ok = True
                wanted = {args.only} if args.only else {"pods", "apply", "exec", "deployments", "command-line", "inspect"}
                if "pods" in wanted:
                    ok &= asyncio.run(capture(conn, args.out, args.timeout))
                    print(f"wrote {args.out}")
                if "apply" in wanted:  # the apply panel beside the same live table
                    from screenshot_apply import capture_apply

                    ok &= asyncio.run(capture_apply(conn, args.apply_out, SIZE, Path(tmp)))
                    print(f"wrote {args.apply_out}")
                if "exec" in wanted:  # exec sessions in tabs beside the table
                    from screenshot_exec import capture_exec

                    ok &= asyncio.run(capture_exec(conn, args.exec_out, SIZE, args.timeout))
                    print(f"wrote {args.exec_out}")
                if "deployments" in wanted:  # the deployments view, after `:deploy`
                    from screenshot_views import capture_deployments

                    ok &= asyncio.run(capture_deployments(conn, args.deployments_out, SIZE, args.timeout))
                    print(f"wrote {args.deployments_out}")
                if "command-line" in wanted:  # the `:` line with its completions open
                    from screenshot_command_line import capture_command_line

                    ok &= asyncio.run(capture_command_line(conn, args.command_line_out, SIZE, args.timeout))
                    print(f"wrote {args.command_line_out}")
                if "inspect" in wanted:  # why the port clash fails: its log tab, then its describe tab
                    from screenshot_inspect import capture_inspect

                    ok &= asyncio.run(capture_inspect(conn, args.logs_out, args.describe_out, TALL, args.timeout))
                    print(f"wrote {args.logs_out}\nwrote {args.describe_out}")
            finally:
                conn.close()
    finally:
        cluster.stop()
    if not ok:
        print("the sample pods had not all settled by the deadline")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
