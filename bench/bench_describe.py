"""`kubetui describe` of a pod with 1,000 events, side by side with `kubectl describe`.

Starts `kubetui cluster` in a subprocess, creates a pod and 1,000 events about it (a few
distinct times, so kubectl's unstable sort has ties to settle), waits until the kubelet has
started the pod, then measures:

* open: what the TUI does when `d` is pressed on the row (a connection already open): GET the
  pod, its events, lay out the text: goal <= 200 ms (median and worst);
* render: the layout alone (`model.describe`) on the fetched objects;
* CLI: `kubetui describe pod` vs `kubectl describe pod`, wall time per command, the two
  alternating within each round (which goes first alternates too), as an installed kubetui runs
  (with its bytecode).

and checks that the CLI printed what kubectl printed (identical, or identical once the events'
Age column is masked: an age may tick between the two commands).

    .venv/bin/python bench/bench_describe.py              # 1,000 events, 7 CLI rounds, 21 opens
    .venv/bin/python bench/bench_describe.py --events 5000 --runs 11
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

VENV_BIN = Path(sys.executable).parent  # run it with the venv python
KUBECTL = str(VENV_BIN / "kubectl")
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
KUBETUI = [str(VENV_BIN / "kubetui")] if (VENV_BIN / "kubetui").exists() else [PYTHON, "-m", "kubetui"]
READY = re.compile(r"ready at (https://\S+) \(kubeconfig: (.+)\)")
NAMESPACE, POD = "bench", "events-1000"
GOAL_MS = 200.0


def start_cluster(workdir: Path, env: dict[str, str]) -> tuple[subprocess.Popen, Path]:
    kubeconfig = workdir / "kubeconfig"
    proc = subprocess.Popen([*KUBETUI, "cluster", "--write-kubeconfig", str(kubeconfig)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, stdin=subprocess.DEVNULL, env=env)
    line = proc.stdout.readline()  # the one ready line (blocks until the server listens)
    if not READY.search(line):
        proc.kill()
        raise SystemExit(f"the cluster did not start: {line!r}")
    return proc, kubeconfig


def stop_cluster(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def kubectl(kubeconfig: Path, env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = subprocess.run([KUBECTL, "--kubeconfig", str(kubeconfig), *args], input=stdin, capture_output=True,
                            text=True, env=env, timeout=300)
    if result.returncode != 0:
        raise SystemExit(f"kubectl {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


def make_pod_with_events(kubeconfig: Path, env: dict[str, str], count: int) -> None:
    kubectl(kubeconfig, env, "create", "namespace", NAMESPACE)
    kubectl(kubeconfig, env, "-n", NAMESPACE, "run", POD, "--image=nginx:1.16")
    uid = kubectl(kubeconfig, env, "-n", NAMESPACE, "get", "pod", POD, "-o", "jsonpath={.metadata.uid}")
    start = datetime.now(timezone.utc) - timedelta(hours=2)
    items = []
    for index in range(count):
        at = (start + timedelta(seconds=(0, 1, 2, 5, 60, 61)[index * 7 % 6])).strftime("%Y-%m-%dT%H:%M:%SZ")
        items.append({"apiVersion": "v1", "kind": "Event", "metadata": {"name": f"{POD}.{index:05d}"},
                      "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": POD, "namespace": NAMESPACE,
                                         "uid": uid, "fieldPath": "spec.containers{" + POD + "}"},
                      "reason": ("Pulled", "Created", "Started", "BackOff")[index % 4],
                      "type": "Warning" if index % 4 == 3 else "Normal", "message": f"event number {index}",
                      "count": (1, 1, 2, 7)[index % 4], "firstTimestamp": at, "lastTimestamp": at,
                      "source": {"component": "bench", "host": "kubetui-node-1"}})
    for first in range(0, count, 500):  # one request per 500 events
        listing = json.dumps({"apiVersion": "v1", "kind": "List", "items": items[first:first + 500]})
        kubectl(kubeconfig, env, "-n", NAMESPACE, "create", "--validate=false", "-f", "-", stdin=listing)
    deadline = time.monotonic() + 60
    while kubectl(kubeconfig, env, "-n", NAMESPACE, "get", "pod", POD, "-o",
                  "jsonpath={.status.containerStatuses[0].started}") != "true":
        if time.monotonic() > deadline:
            raise SystemExit("the pod did not start")
        time.sleep(0.2)  # polling the pod's status
    time.sleep(1.0)  # the kubelet's Started event lands just after the status


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if result.returncode != 0 or result.stderr:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}")
    return elapsed, result.stdout


def masked(text: str) -> list[str]:
    """The lines with the events table's Age cell masked (rows re-joined cell by cell)."""
    out, columns = [], None
    for line in text.splitlines():
        if re.match(r"^  Type +Reason +Age +From +Message$", line):
            columns = [m.start() for m in re.finditer(r"\S+", line)]
        elif columns and line.startswith("  "):
            cells = [line[a:b].strip() for a, b in zip(columns, columns[1:] + [len(line)])]
            cells[2] = "<age>"
            line = " | ".join(cells)
        out.append(line)
    return out


def bench_cli(kubeconfig: Path, runs: int, env: dict[str, str]) -> dict:
    args = ["--kubeconfig", str(kubeconfig), "describe", "-n", NAMESPACE, "pod", POD]
    commands = {"kubectl": [KUBECTL, *args], "kubetui": [*KUBETUI, *args]}
    for command in commands.values():
        timed(command, env)  # warm-up: discovery caches, bytecode, page cache
    times: dict[str, list[float]] = {"kubectl": [], "kubetui": []}
    identical = same_but_age = 0
    lines = 0
    for round_ in range(runs):
        order = list(commands.items())
        if round_ % 2:
            order.reverse()
        outputs = {}
        for name, command in order:
            elapsed, outputs[name] = timed(command, env)
            times[name].append(elapsed)
        identical += outputs["kubectl"] == outputs["kubetui"]
        same_but_age += masked(outputs["kubectl"]) == masked(outputs["kubetui"])
        lines = len(outputs["kubetui"].splitlines())
    return {"times": times, "identical": identical, "same_but_age": same_but_age, "lines": lines}


def bench_open(kubeconfig: Path, runs: int) -> dict:
    """In this process, as the TUI's worker does it: official client, connection already open."""
    from kubetui.kube.contexts import connect
    from kubetui.kube.describing import fetch_related, get_object
    from kubetui.model.describe import describe
    from kubetui.model.resource_names import ApiResource

    pods = ApiResource(group="", version="v1", plural="pods", singular="pod", kind="Pod", namespaced=True)
    conn = connect(str(kubeconfig), None, NAMESPACE)
    opens, renders, events = [], [], 0
    try:
        for _ in range(runs + 1):
            start = time.perf_counter()
            pod = get_object(conn.api_client, pods, NAMESPACE, POD)
            related = fetch_related(conn.api_client, conn.server, pods, pod)
            fetched = time.perf_counter()
            text = describe("", "Pod", pod, related, datetime.now(timezone.utc))
            done = time.perf_counter()
            opens.append(done - start)
            renders.append(done - fetched)
            events = len(related.events or ())
    finally:
        conn.close()
    del text
    return {"open": opens[1:], "render": renders[1:], "events": events}  # the first one warms the pool


def report(cli: dict, opened: dict) -> None:
    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:7.1f} ms (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})"

    print()
    print(f"describe pod {POD}: {opened['events']} events, {cli['lines']} lines of output")
    worst = max(opened["open"]) * 1000
    print(f"  open (GET pod + events, render), in process : {ms(opened['open'])}  goal <= {GOAL_MS:.0f} ms: "
          f"{'ok' if worst <= GOAL_MS else 'MISS'}")
    print(f"  render alone (model.describe)               : {ms(opened['render'])}")
    k, t = cli["times"]["kubectl"], cli["times"]["kubetui"]
    print(f"  kubectl describe (wall, per command)        : {ms(k)}")
    print(f"  kubetui describe (wall, per command)        : {ms(t)}   ratio {statistics.median(t) / statistics.median(k):.2f}")
    runs = len(k)
    print(f"  same output as kubectl: identical {cli['identical']}/{runs}, identical but ages "
          f"{cli['same_but_age']}/{runs}")
    print(f"\n{os.cpu_count()} CPUs; the server runs on the same machine, so all sides share it.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7, help="CLI rounds")
    parser.add_argument("--opens", type=int, default=21, help="in-process opens")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-describe-") as tmp:
        workdir = Path(tmp)
        # As an installed kubetui runs: with its bytecode (pip compiles it at install time). The
        # bytecode goes to the temporary directory, never into the source tree.
        env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
               "PYTHONPYCACHEPREFIX": str(workdir / "pycache"), "KUBECACHEDIR": str(workdir / "kubectl-cache"),
               "XDG_CACHE_HOME": str(workdir / "kubetui-cache")}
        print("starting the cluster ...", flush=True)
        proc, kubeconfig = start_cluster(workdir, env)
        try:
            print(f"creating a pod and {args.events} events ...", flush=True)
            make_pod_with_events(kubeconfig, env, args.events)
            print(f"{args.opens} opens in process ...", flush=True)
            opened = bench_open(kubeconfig, args.opens)
            print(f"{args.runs} CLI rounds ...", flush=True)
            cli = bench_cli(kubeconfig, args.runs, env)
        finally:
            stop_cluster(proc)
    report(cli, opened)
    return 0


if __name__ == "__main__":
    sys.exit(main())
