"""Exec tabs opened and closed again and again: does kubetui give the memory back?

Runs `kubetui cluster --pods N --churn R` in its own process, then the real app (pods screen)
under Pilot: each cycle opens a shell tab, runs a command that fills some scrollback, and
closes the tab. Prints the resident memory and Python's traced memory every --every cycles,
the growth per cycle after a warm-up, and the full collections (count, longest pause) that
closing tabs cost. Asserts nothing.

    .venv/bin/python bench/bench_exec_tabs.py [--cycles 100] [--pods 1000] [--churn 10]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import bench_cluster  # bench/ is on sys.path when a script here runs

ROOT = Path(__file__).resolve().parents[1]
SIZE = (160, 45)
COMMAND = "ls -la /usr/bin /usr/lib /etc; echo cycle-done"
WARM_UP = 10
TARGET: tuple[str, str, str] = ("default", "bench-tabs", "shell")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class FullCollections:
    """gc callback: how many generation-2 passes, and the longest."""

    def __init__(self) -> None:
        self.pauses_ms: list[float] = []
        self._started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses_ms.append((time.perf_counter() - self._started) * 1000)

    def summary(self) -> str:
        if not self.pauses_ms:
            return "none"
        ordered = sorted(self.pauses_ms)
        return (f"{len(ordered)}, median {statistics.median(ordered):.1f} ms, "
                f"p90 {ordered[int(0.9 * (len(ordered) - 1))]:.1f} ms, longest {ordered[-1]:.1f} ms")


def running_pod(kubeconfig: Path) -> None:
    from kubernetes import client, config

    api = config.new_client_from_config(config_file=str(kubeconfig))
    core = client.CoreV1Api(api)
    core.create_namespaced_pod("default", {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "bench-tabs"},
                                           "spec": {"containers": [{"name": "shell", "image": "nginx:1.25"}]}})
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            statuses = core.read_namespaced_pod("bench-tabs", "default").status.container_statuses or []
            if statuses and statuses[0].state.running:
                return
            time.sleep(0.2)
    finally:
        api.close()
    raise SystemExit("the bench pod did not start")


async def until(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        await asyncio.sleep(0.02)


def screen_text(tab) -> str:
    return "\n".join(tab.buffer.display())


async def one_tab(screen) -> None:
    """Open a shell tab, fill some scrollback, close it (its last reference goes with this frame)."""
    tab = screen.open_exec_tab(*TARGET)
    await until(lambda: screen_text(tab).rstrip().endswith(("#", "$")))
    tab.session.send(COMMAND.encode() + b"\r")
    await until(lambda: "\ncycle-done\n" in "\n".join(tab.buffer.history() + tab.buffer.display()) + "\n"
                and screen_text(tab).rstrip().endswith(("#", "$")))
    screen.close_exec_tab(tab)


def measure(kubeconfig: Path, cycles: int, every: int) -> tuple[list, FullCollections]:
    from kubetui.kube.contexts import connect
    from kubetui.ui.app import KubetuiApp
    from kubetui.ui.screens.pods import PodsScreen
    from kubetui.ui.widgets.exec_tab import ExecTab

    conn = connect(str(kubeconfig), None, None)
    rows: list = []
    collections = FullCollections()

    async def main() -> None:
        app = KubetuiApp(conn, all_namespaces=True)
        async with app.run_test(size=SIZE) as pilot:
            screen = next(s for s in app.screen_stack if isinstance(s, PodsScreen))
            await until(lambda: len(screen.table) > 0)
            tracemalloc.start()
            for cycle in range(1, cycles + 1):
                if cycle == WARM_UP + 1:
                    gc.callbacks.append(collections)
                await one_tab(screen)
                await until(lambda: not list(screen.query(ExecTab)))
                if cycle % every == 0 or cycle == WARM_UP:
                    await pilot.pause(1.0)  # the last tab's hang-up and reclaim
                    rows.append((cycle, rss_mb(), tracemalloc.get_traced_memory()[0] / 2 ** 20))
                    print(f"  cycle {cycle:4d}   RSS {rows[-1][1]:7.1f} MB   traced {rows[-1][2]:7.1f} MB", flush=True)
            tracemalloc.stop()

    try:
        asyncio.run(main())
    finally:
        if collections in gc.callbacks:
            gc.callbacks.remove(collections)
        conn.close()
    return rows, collections


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=100)
    parser.add_argument("--every", type=int, default=10, help="print figures every N cycles")
    parser.add_argument("--pods", type=int, default=1000, help="synthetic pods on the dashboard")
    parser.add_argument("--churn", type=float, default=10.0, help="pod status changes per second meanwhile")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kubetui-bench-tabs-") as tmp:
        kubeconfig = Path(tmp) / "kubeconfig"
        process = bench_cluster.start_cluster(kubeconfig, "--pods", str(args.pods), "--churn", str(args.churn))
        try:
            running_pod(kubeconfig)
            print(f"== {args.cycles} exec tabs opened, filled (`{COMMAND}`) and closed; "
                  f"{args.pods} pods churning {args.churn:g}/s ==")
            rows, collections = measure(kubeconfig, args.cycles, args.every)
        finally:
            bench_cluster.stop_cluster(process)
    start = next(row for row in rows if row[0] == WARM_UP)
    end = rows[-1]
    span = max(1, end[0] - start[0])
    print(f"after cycle {start[0]} (warm-up) to cycle {end[0]}:")
    print(f"  RSS    {start[1]:7.1f} → {end[1]:7.1f} MB   {1024 * (end[1] - start[1]) / span:8.1f} KB per cycle")
    print(f"  traced {start[2]:7.1f} → {end[2]:7.1f} MB   {1024 * (end[2] - start[2]) / span:8.1f} KB per cycle")
    print(f"  full collections {collections.summary()}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
