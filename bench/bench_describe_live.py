"""A live describe tab on a pod with 1,000 events: how soon a new event shows, and what a burst costs.

Starts `kubetui cluster` in a subprocess with the pod and events of bench_describe.py, runs the
app headless (Textual's `run_test`) in this process on it, puts the cursor on the pod and
presses `d`, then measures:

* open: `d` to the first text shown (the pod and its events listed by the tab's watches, laid out),
  the tab closed with `x` and opened again, `--opens` times;
* event to screen: an event posted for the pod (from another thread, through the official
  client) until the tab's text holds it, one event at a time;
* burst: events posted back to back, from the first POST until the tab shows them all, and how
  many times the tab read the object in between (the rest was coalesced);
* ages: laying the text out again from what was read (what the tab does every second while it
  is shown, so the events' ages tick).

    .venv/bin/python bench/bench_describe_live.py                 # 1,000 events, 20 singles, a burst of 200
    .venv/bin/python bench/bench_describe_live.py --events 5000 --singles 50 --burst 1000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from bench_describe import NAMESPACE, POD, make_pod_with_events, start_cluster, stop_cluster  # noqa: E402

POLL = 0.001  # the bench's look at the screen; the figures are far above it


def post_event(core, uid: str, name: str, message: str) -> None:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    core.create_namespaced_event(NAMESPACE, {
        "metadata": {"name": name},
        "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": POD, "namespace": NAMESPACE, "uid": uid},
        "reason": "Benched", "message": message, "type": "Normal", "source": {"component": "bench"},
        "firstTimestamp": now, "lastTimestamp": now, "count": 1,
    })


async def wait(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out: the tab never showed it")
        await asyncio.sleep(POLL)


async def measure(kubeconfig: Path, singles: int, burst: int, opens_wanted: int) -> dict:
    from kubernetes.client import CoreV1Api

    from kubetui.kube.contexts import connect
    from kubetui.ui.app import KubetuiApp
    from kubetui.ui.sessions import SessionsArea
    from kubetui.ui.views.pods import PodsView
    from kubetui.ui.widgets.inspect_tab import InspectTab

    conn = connect(str(kubeconfig), None, NAMESPACE)
    poster = connect(str(kubeconfig), None, NAMESPACE)  # its own connection, as another client's
    core = CoreV1Api(poster.api_client)
    uid = core.read_namespaced_pod(POD, NAMESPACE).metadata.uid
    app = KubetuiApp(conn)
    figures: dict = {}
    try:
        async with app.run_test(size=(160, 40)) as pilot:
            pods = app.screen.query_one(PodsView)
            await wait(lambda: pods.table.select(f"{NAMESPACE}/{POD}"))
            pods.view.table_changed(None)
            await pilot.pause()
            area = app.screen.query_one(SessionsArea)
            opens = []
            for _ in range(opens_wanted):
                started = time.perf_counter()
                pressed = asyncio.create_task(pilot.press("d"))  # the pilot returns once the app is idle: later
                await wait(lambda: (tab := area.active_session()) is not None and isinstance(tab, InspectTab)
                           and tab.pages)
                opens.append(time.perf_counter() - started)
                await pressed
                if len(opens) < opens_wanted:
                    await pilot.press("x")  # closed, to be opened again
                    await wait(lambda: area.active_session() is None)
            figures["open"] = opens
            tab = area.active_session()
            figures["events"] = tab.view.text.count("\n  Normal ") + tab.view.text.count("\n  Warning ")

            latencies = []
            for number in range(singles):
                message = f"single {number} posted"
                started = time.perf_counter()
                await asyncio.to_thread(post_event, core, uid, f"{POD}.single-{number}", message)
                await wait(lambda: message in tab.view.text)
                latencies.append(time.perf_counter() - started)
            figures["singles"] = latencies

            reads = tab.reads
            done = threading.Event()

            def flood() -> None:
                for number in range(burst):
                    post_event(core, uid, f"{POD}.burst-{number}", f"burst {number} posted")
                done.set()

            started = time.perf_counter()
            thread = threading.Thread(target=flood)
            thread.start()
            await wait(lambda: tab.view.text.count(" posted\n") + tab.view.text.endswith(" posted")
                       >= singles + burst, timeout=300)
            figures["burst"] = time.perf_counter() - started
            figures["burst_reads"] = tab.reads - reads
            thread.join()

            layouts = []
            for _ in range(11):
                started = time.perf_counter()
                tab.make_page(tab._material, app.now())
                layouts.append(time.perf_counter() - started)
            figures["layout"] = layouts
            figures["lines"] = len(tab.view.lines)
            await pilot.press("q")
    finally:
        conn.close()
        poster.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--singles", type=int, default=20)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--opens", type=int, default=11, help="times the tab is opened (and closed but the last)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-describe-live-") as tmp:
        workdir = Path(tmp)
        env = {**os.environ, "KUBECACHEDIR": str(workdir / "kubecache"), "XDG_CACHE_HOME": str(workdir / "cache")}
        os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]  # the app's discovery cache too
        print("starting the cluster ...", flush=True)
        proc, kubeconfig = start_cluster(workdir, env)
        try:
            print(f"creating a pod and {args.events} events ...", flush=True)
            make_pod_with_events(kubeconfig, env, args.events)
            print("measuring the live tab ...", flush=True)
            figures = asyncio.run(measure(kubeconfig, args.singles, args.burst, args.opens))
        finally:
            stop_cluster(proc)

    def ms(values: list[float]) -> str:
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return (f"median {statistics.median(values) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
                f"max {max(values) * 1000:.0f} ms")

    print()
    print(f"describe tab on pod {POD}: {figures['events']} events when opened, {figures['lines']} lines at the end")
    print(f"  open (d to the first text, {len(figures['open'])} opens)  : {ms(figures['open'])}")
    print(f"  event posted to shown ({len(figures['singles'])} singles)   : {ms(figures['singles'])}")
    print(f"  burst of {args.burst} events, first POST to all shown: {figures['burst'] * 1000:.0f} ms, "
          f"{figures['burst_reads']} reads")
    print(f"  laying the text out again (ages)     : {ms(figures['layout'])}")
    print(f"\n{os.cpu_count()} CPUs; the server runs on the same machine.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
