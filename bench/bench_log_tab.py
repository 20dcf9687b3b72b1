"""A log tab following a container that prints as fast as the server serves it, beside kubectl.

Runs `kubetui cluster --log-rate R --pods N --churn C` in its own process (as a user's cluster
would be) and creates sample-chatty, a shell loop that never sleeps (at the default R of
10,000,000 lines/s the server, not the container, sets the pace). Then, per round:
* kubectl: `kubectl logs -f sample-chatty --limit-bytes=B > /dev/null`, lines/s from its wall
  time less its start-up (bench_logs.py's method), on the same pod;
* kubetui, log tab shown: the app (headless, 160x45) opens a log tab on the pod, as `l` does;
  lines/s that reach the tab's ring over --seconds (what the tab can show; it draws them at
  most 30 times a second: frames/s is printed too);
* kubetui, pod table shown meanwhile: the same tab keeps following behind the views tab while
  `j`/`k` are pressed on the pod table (key → paint of the moved cursor row, as bench_tui.py
  and bench_exec.py measure it), and lines/s during that time;
* memory: the process's resident memory before the tab opened, and after --lines lines went
  through the tab (the ring keeps the newest 100,000).
Prints medians (min-max) and the load average; asserts nothing.

    .venv/bin/python bench/bench_log_tab.py [--runs 3] [--seconds 5] [--rate 10000000] [--keys 100]
                                            [--pods 200] [--churn 20] [--lines 10000000]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import bench_cluster  # bench/ is on sys.path when a script here runs
import bench_logs
from bench_exec import GcPauses, percentile, rss_mb, send_key
from paint_probe import record_cursor_paints

ROOT = Path(__file__).resolve().parents[1]
POD = bench_logs.POD
GOALS = {"ratio": 0.5, "key_p95_ms": 50.0}
SIZE = (160, 45)


# ----------------------------------------------------------------------------- kubetui
async def _open_tab(screen):
    from kubetui.ui.widgets.log_tab import LogTab

    before = set(screen.query(LogTab))
    screen.sessions.kinds["logs"].request(("default", POD), "pod")
    while not (tabs := [tab for tab in screen.query(LogTab) if tab not in before]):
        await asyncio.sleep(0.01)
    tab = tabs[0]
    while tab.view.ring.appended == 0:
        await asyncio.sleep(0.01)
    return tab


async def _shown(tab, seconds: float) -> dict:
    """The tab in front: lines/s into its ring, frames laid out per second."""
    start, lines0, frames0 = time.perf_counter(), tab.view.ring.appended, tab.view.redraws
    await asyncio.sleep(seconds)
    elapsed = time.perf_counter() - start
    return {"lines_per_s": (tab.view.ring.appended - lines0) / elapsed,
            "frames_per_s": (tab.view.redraws - frames0) / elapsed}


async def _keys(app, screen, tab, presses: int) -> dict:
    """The pod table in front, the tab following behind it: key → paint, and lines/s meanwhile."""
    from kubetui.ui.widgets.pod_table import PodTableView

    screen.sessions.show_views()
    view = screen.query_one(PodTableView)
    view.focus()
    await asyncio.sleep(0.2)
    painted = record_cursor_paints(view)
    latencies: list[float] = []
    start, lines0 = time.perf_counter(), tab.view.ring.appended
    try:
        down = True
        for _ in range(presses):
            index, last = view.table.cursor_index, view.table.visible_count - 1
            down = (down or index <= 0) and index < last  # wander down and up, turning at the ends
            key = "j" if down else "k"
            before_key = view.table.cursor_key
            painted["first"].clear()
            pressed = time.perf_counter()
            send_key(app, key, key)
            give_up = pressed + 5
            while view.table.cursor_key == before_key and time.perf_counter() < give_up:
                await asyncio.sleep(0)
            wanted = view.table.cursor_key
            while wanted not in painted["first"] and time.perf_counter() < give_up:
                await asyncio.sleep(0)
            latencies.append((painted["first"].get(wanted, (give_up, 0.0))[0] - pressed) * 1000)
            await asyncio.sleep(0.02)  # a person's pace
    finally:
        view.render_line = painted["original"]
    elapsed = time.perf_counter() - start
    return {"latencies": latencies, "lines_per_s": (tab.view.ring.appended - lines0) / elapsed}


def kubetui_figures(kubeconfig: Path, runs: int, seconds: float, presses: int, lines: int) -> dict:
    from kubetui.kube.contexts import connect
    from kubetui.ui.app import KubetuiApp
    from kubetui.ui.workspace import WorkspaceScreen

    conn = connect(str(kubeconfig), None, "default")
    figures: dict = {"shown": [], "frames": [], "behind": [], "keys": [], "gc": GcPauses()}
    gc.callbacks.append(figures["gc"])

    async def main() -> None:
        app = KubetuiApp(conn, all_namespaces=True)
        async with app.run_test(size=SIZE) as pilot:
            screen = next(s for s in app.screen_stack if isinstance(s, WorkspaceScreen))
            while len(screen.view.table) == 0:
                await asyncio.sleep(0.05)
            await pilot.pause(0.5)
            figures["rss_before_mb"] = rss_mb()
            for _ in range(runs):
                tab = await _open_tab(screen)
                shown = await _shown(tab, seconds)
                figures["shown"].append(shown["lines_per_s"])
                figures["frames"].append(shown["frames_per_s"])
                behind = await _keys(app, screen, tab, presses)
                figures["behind"].append(behind["lines_per_s"])
                figures["keys"].extend(behind["latencies"])
                screen.sessions.close_session(tab)
                await pilot.pause(0.5)
            figures["rss_tabs_closed_mb"] = rss_mb()
            tab = await _open_tab(screen)  # memory: one tab, many lines; a fifth of them, then all
            started = time.perf_counter()
            for wanted, key in ((lines // 5, "rss_fifth_mb"), (lines, "rss_after_mb")):
                while tab.view.ring.appended < wanted and time.perf_counter() - started < 600:
                    await asyncio.sleep(0.1)
                figures[key] = rss_mb()
            figures["memory_lines"] = tab.view.ring.appended
            figures["memory_seconds"] = time.perf_counter() - started
            figures["ring_lines"], figures["ring_bytes"] = len(tab.view.ring), tab.view.ring.bytes
            screen.sessions.close_session(tab)

    try:
        asyncio.run(main())
    finally:
        gc.callbacks.remove(figures["gc"])
    conn.close()
    return figures


# ----------------------------------------------------------------------------- report
def spread(values: list[float]) -> str:
    return f"{statistics.median(values):>12,.0f}  ({min(values):,.0f}-{max(values):,.0f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=10_000_000.0, help="the cluster's --log-rate")
    parser.add_argument("--keys", type=int, default=100, help="key presses on the pod table per round")
    parser.add_argument("--pods", type=int, default=200, help="synthetic pods on the pod table")
    parser.add_argument("--churn", type=float, default=20.0, help="pod status changes per second meanwhile")
    parser.add_argument("--lines", type=int, default=10_000_000, help="lines through the tab for the memory figure")
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-log-tab-") as tmp:
        workdir = Path(tmp)
        kubeconfig = workdir / "kubeconfig"
        cluster = bench_cluster.start_cluster(kubeconfig, "--log-rate", str(args.rate), "--pods", str(args.pods),
                                              "--churn", str(args.churn))
        try:
            bench_logs.create_chatty(kubeconfig, workdir)
            kubectl = []
            for run in range(args.runs):
                expected = statistics.median(kubectl or [500_000.0])
                kubectl.append(bench_logs.kubectl_devnull_rate(kubeconfig, args.seconds, False, workdir, expected))
                print(f"run {run + 1} kubectl {kubectl[-1]:>12,.0f} lines/s", flush=True)
            ours = kubetui_figures(kubeconfig, args.runs, args.seconds, args.keys, args.lines)
        finally:
            bench_cluster.stop_cluster(cluster)
    load_after = os.getloadavg()
    keys = ours["keys"]
    ratio = statistics.median(ours["shown"]) / statistics.median(kubectl)
    print(f"\n== a log tab following {POD} at --log-rate {args.rate:,.0f}; {args.pods} pods churning "
          f"{args.churn:g}/s; {args.seconds:g} s per round, median (min-max) of {args.runs} ==")
    print(f"kubectl logs -f > /dev/null             {spread(kubectl)} lines/s")
    print(f"kubetui log tab shown                   {spread(ours['shown'])} lines/s   "
          f"({statistics.median(ours['frames']):.0f} frames/s)")
    print(f"kubetui log tab behind the pod table    {spread(ours['behind'])} lines/s")
    print(f"ratio kubetui (shown) / kubectl         {ratio:12.2f}   goal ≥ {GOALS['ratio']}: "
          f"{'met' if ratio >= GOALS['ratio'] else 'NOT met'}")
    print(f"pod table key → paint meanwhile         p50 {statistics.median(keys):5.1f} ms   "
          f"p95 {percentile(keys, 0.95):5.1f} ms   max {max(keys):5.1f} ms   "
          f"goal p95 ≤ {GOALS['key_p95_ms']:g} ms   ({len(keys)} presses)")
    print(f"memory (resident)                       {ours['rss_before_mb']:.0f} MB before the first tab, "
          f"{ours['rss_tabs_closed_mb']:.0f} MB after {args.runs} tabs opened and closed; one tab: "
          f"{ours['rss_fifth_mb']:.0f} MB after {args.lines // 5:,} lines, {ours['rss_after_mb']:.0f} MB after "
          f"{ours['memory_lines']:,} ({ours['memory_seconds']:.0f} s), its ring holding {ours['ring_lines']:,} "
          f"lines ({ours['ring_bytes'] / 1e6:.1f} MB of text)")
    print(f"full GC passes while measuring          {ours['gc'].count}, longest {ours['gc'].longest_ms:.1f} ms")
    print(f"load average (1, 5, 15 min)             before {load_before[0]:.1f} {load_before[1]:.1f} "
          f"{load_before[2]:.1f}, after {load_after[0]:.1f} {load_after[1]:.1f} {load_after[2]:.1f}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
