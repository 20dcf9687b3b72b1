"""The resource views under load: `:deploy` at 1,000 Deployments, back to `:pods` at 10,000 pods.

Runs `kubetui cluster --pods N --deployments D --replicasets D --churn R` in its own process, then
for each run a fresh kubetui process (`App.run_test`, all namespaces) that:
* waits for the pods view to hold and draw all N pods (start, from the process's first line, in
  `kubetui -A`'s order: the list's worker, the connection and probe, the UI);
* types `:deploy`, and from its Enter to the Deployments view drawing its rows with all D held
  (the first switch: discovery, the Table list, the rows, the paint);
* types `:rs` the same way (the third view);
* types `:pods`, and from its Enter to the pods table's next paint (the pods view stayed live);
* weighs the process (resident memory with the three views visited).
Prints medians and the goals. `kubectl get deploy -A` is timed beside it. Nothing here asserts.

    .venv/bin/python bench/bench_views.py [--pods 10000] [--deployments 1000] [--churn 0] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_cluster  # bench/ is on sys.path when a script here runs

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
KUBECTL = str(Path(sys.executable).parent / "kubectl")
GOALS = {"deploy_ms": 300.0, "back_to_pods_ms": 150.0, "pods_start_s": 1.5, "rss_mb": 300.0}


# ----------------------------------------------------------------------------- one run (child)
def child(kubeconfig: str, pods: int, deployments: int) -> None:
    """In a fresh process: start, `:deploy`, `:rs`, `:pods`; prints the figures as JSON."""
    created = time.perf_counter()
    # As `kubetui -A` starts (commands/tui.py): the list's worker first, then the client and the UI.
    from kubetui.kube.first_list import prefetch_first_list

    first_list = prefetch_first_list(kubeconfig, None, None, all_namespaces=True)
    from kubetui.kube.contexts import connect
    from kubetui.kube.probing import check
    from kubetui.ui.app import KubetuiApp
    from kubetui.ui.views import PodsView, ResourcesView
    from kubetui.ui.widgets.pod_table import PodTableView
    from kubetui.ui.workspace import WorkspaceScreen

    # id(table widget) -> when its first row line was first drawn since the last switch, and the
    # rows its table held then: a switch ends at that paint, not at a later repaint of the same line
    painted: dict[int, list[tuple[float, int]]] = {}
    draw = PodTableView.render_line  # ResourceTableView is not a PodTableView: wrapped on its own below

    def recording(original):
        def render_line(self, y):
            strip = original(self, y)
            if y == 1 and self.table.visible_count:
                painted.setdefault(id(self), []).append((time.perf_counter(), len(self.table)))
            return strip
        return render_line

    from kubetui.ui.widgets.resource_table import ResourceTableView

    PodTableView.render_line = recording(draw)
    ResourceTableView.render_line = recording(ResourceTableView.render_line)
    conn = connect(kubeconfig, None, None)
    first_list.attach(conn, all_namespaces=True)
    check(conn)
    figures: dict[str, float] = {}

    async def switch(pilot, screen, text: str, ready) -> float:
        await pilot.press("colon", *text)
        painted.clear()
        started = time.perf_counter()
        await pilot.press("enter")
        while True:
            view = screen.view
            done = ready(view, started)
            if done:
                return (done - started) * 1000
            await asyncio.sleep(0.001)

    def rows_drawn(kind, count):
        def ready(view, started):
            if not isinstance(view, kind):
                return None
            return next((at for at, held in painted.get(id(view.view), ()) if held >= count), None)
        return ready

    async def main() -> None:
        app = KubetuiApp(conn, all_namespaces=True, first_list=first_list)
        async with app.run_test(size=(160, 45)) as pilot:
            screen = next(s for s in app.screen_stack if isinstance(s, WorkspaceScreen))
            pods_view = screen.view
            while not (drawn := rows_drawn(PodsView, pods)(pods_view, created)):
                await asyncio.sleep(0.005)
            figures["pods_start_s"] = drawn - created
            await pilot.pause(0.3)
            figures["deploy_ms"] = await switch(pilot, screen, "deploy", rows_drawn(ResourcesView, deployments))
            await pilot.pause(0.3)
            figures["rs_ms"] = await switch(pilot, screen, "rs", rows_drawn(ResourcesView, deployments))
            await pilot.pause(0.3)
            figures["back_to_pods_ms"] = await switch(pilot, screen, "pods", rows_drawn(PodsView, pods))
            await pilot.pause(0.5)  # any churn flows into all three live views meanwhile
            figures["deploy_again_ms"] = await switch(pilot, screen, "deploy", rows_drawn(ResourcesView, deployments))
            await pilot.pause(0.5)
            figures["rss_mb"] = _rss_mb()

    asyncio.run(main())
    conn.close()
    print(json.dumps(figures))


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ----------------------------------------------------------------------------- parent
def run_child(kubeconfig: Path, pods: int, deployments: int, cache: Path) -> dict:
    # Discovery's disk cache: cold on the first run. Bytecode is cached as an installed kubetui's is.
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "XDG_CACHE_HOME": str(cache)}
    command = [PYTHON, __file__, "--child", str(kubeconfig), "--pods", str(pods), "--deployments", str(deployments)]
    output = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    if output.returncode != 0:
        raise SystemExit(f"the measured run failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def kubectl_seconds(kubeconfig: Path, runs: int) -> float:
    env = {**os.environ, "KUBECACHEDIR": str(kubeconfig.parent / "kubecache")}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([KUBECTL, "--kubeconfig", str(kubeconfig), "get", "deploy", "-A"], env=env,
                       capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pods", type=int, default=10_000)
    parser.add_argument("--deployments", type=int, default=1_000)
    parser.add_argument("--churn", type=float, default=0.0,
                        help="pod status changes per second (the synthetic owners make the server slow under churn)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", metavar="KUBECONFIG", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.pods, args.deployments)
        return
    with tempfile.TemporaryDirectory(prefix="kubetui-bench-") as tmp:
        workdir = Path(tmp)
        kubeconfig = workdir / "kc"
        flags = ["--pods", str(args.pods), "--deployments", str(args.deployments),
                 "--replicasets", str(args.deployments)] + (["--churn", str(args.churn)] if args.churn else [])
        load_before = os.getloadavg()[0]
        process = bench_cluster.start_cluster(kubeconfig, *flags)
        try:
            kubectl = kubectl_seconds(kubeconfig, args.runs)
            results = [run_child(kubeconfig, args.pods, args.deployments, workdir / "cache")
                       for _ in range(args.runs)]
        finally:
            bench_cluster.stop_cluster(process)
    median = {key: statistics.median(r[key] for r in results) for key in results[0]}
    spread = {key: (min(r[key] for r in results), max(r[key] for r in results)) for key in results[0]}
    print(f"\n== {args.pods:,} pods, {args.deployments:,} Deployments and ReplicaSets, churn {args.churn:g}/s"
          f" (medians of {args.runs} runs; load average {load_before:.1f} before,"
          f" {os.getloadavg()[0]:.1f} after, {os.cpu_count()} CPUs) ==")
    print(f"kubectl get deploy -A          {kubectl * 1000:7.0f} ms")

    def line(label: str, key: str, unit: str, goal: str = "") -> None:
        low, high = spread[key]
        print(f"{label:30} {median[key]:7.0f} {unit}  (min {low:.0f}, max {high:.0f}){goal}")

    print(f"pods view start → drawn        {median['pods_start_s']:7.2f} s   (min {spread['pods_start_s'][0]:.2f},"
          f" max {spread['pods_start_s'][1]:.2f})   goal ≤ {GOALS['pods_start_s']} s")
    line(":deploy → rows drawn", "deploy_ms", "ms", f"   goal ≤ {GOALS['deploy_ms']:.0f} ms (first run: cold discovery)")
    line(":rs → rows drawn", "rs_ms", "ms")
    line(":pods → table drawn", "back_to_pods_ms", "ms", f"   goal ≤ {GOALS['back_to_pods_ms']:.0f} ms")
    line(":deploy again → drawn", "deploy_again_ms", "ms")
    line("RSS, three views visited", "rss_mb", "MB", f"   goal ≤ {GOALS['rss_mb']:.0f} MB")
    print("first run (cold discovery cache): " + ", ".join(f"{k} {v:.0f}" for k, v in results[0].items()
                                                           if k != "pods_start_s"))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
