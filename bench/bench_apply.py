"""`kubetui apply -f` against kubectl's server-side apply on the local cluster, side by side.

Starts `kubetui cluster` in a subprocess, writes one file of N documents (ConfigMaps by default,
or Pods), warms both tools once (kubectl's discovery and OpenAPI caches, kubetui's discovery
cache), then times RUNS rounds of two comparisons with the same semantics on each side:

* all-or-nothing: `kubetui apply -f` (a dry run of every object, then the applies, rolled back
  if one fails) against `kubectl apply --server-side --dry-run=server -f` followed by
  `kubectl apply --server-side -f`, the same two passes;
* one pass: `kubetui apply --no-all-or-nothing -f` against `kubectl apply --server-side -f`.

Each is timed applying the file into a fresh namespace (every object created) and once more
(every object unchanged). The tools alternate within a round, and so does which goes first.
kubetui sends each pass concurrently; kubectl sends one object after another. Prints medians,
min-max, the ratio kubetui / kubectl (goal <= 1.0), the cost of starting Python and importing
what `kubetui apply` imports on a kubeconfig it serves without the official client (kubetui's
floor, which a Go binary does not pay), and the machine's load average before and after: the
server and both clients share its CPUs, so a busy machine widens the spread.

    .venv/bin/python bench/bench_apply.py                     # 1,000 ConfigMaps, 5 rounds
    .venv/bin/python bench/bench_apply.py --kind pods --objects 100 --runs 3
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_get_pods import KUBECTL, KUBETUI, PYTHON, start_cluster, stop_cluster  # noqa: E402

PHASES = (("create", "created"), ("again", "unchanged"))


def manifest(kind: str, count: int) -> str:
    docs = []
    for i in range(count):
        if kind == "pods":
            docs.append(f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: bench-{i:04d}\n  labels: {{app: bench}}\n"
                        "spec:\n  containers:\n  - name: nginx\n    image: nginx:1.16\n    ports:\n"
                        "    - containerPort: 80\n")
        else:
            docs.append(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bench-{i:04d}\n  labels: {{app: bench}}\n"
                        f"data:\n  index: \"{i}\"\n  greeting: hello from object {i}\n")
    return "---\n".join(docs)


@dataclass
class Timing:
    wall: float
    cpu: float  # the client's user + system time

    def __add__(self, other: Timing) -> Timing:
        return Timing(self.wall + other.wall, self.cpu + other.cpu)


def run(command: list[str], env: dict[str, str], expect: str, count: int) -> Timing:
    """What `command` took; it must exit 0 and print `expect` `count` times (0: any output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0 or result.stdout.count(expect) < count:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout[-500:]}\n"
                         f"{result.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(elapsed, cpu)


def new_namespace(env: dict[str, str]) -> str:
    name = f"bench-{uuid.uuid4().hex[:8]}"
    subprocess.run([KUBECTL, "create", "namespace", name], check=True, capture_output=True, env=env)
    return name


def figures(values: list[float]) -> str:
    return f"{statistics.median(values):6.3f} s  ({min(values):.3f}-{max(values):.3f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objects", type=int, default=1000)
    parser.add_argument("--kind", choices=("configmaps", "pods"), default="configmaps")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    n = args.objects
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="kubetui-bench-apply-") as tmp:
        workdir = Path(tmp)
        proc, kubeconfig = start_cluster(0, 0.0, workdir)
        try:
            env = {**os.environ, "KUBECONFIG": str(kubeconfig), "KUBECACHEDIR": str(workdir / "kubectl-cache"),
                   "XDG_CACHE_HOME": str(workdir / "xdg-cache")}
            path = str(workdir / f"{n}-{args.kind}.yaml")
            Path(path).write_text(manifest(args.kind, n))
            ssa = [KUBECTL, "apply", "--server-side", "-f", path]

            def kubectl_two_passes(ns: str, phase: str) -> Timing:
                dry = run([*ssa, "-n", ns, "--dry-run=server"], env, "serverside-applied (server dry run)", n)
                return dry + run([*ssa, "-n", ns], env, "serverside-applied", n)

            def kubectl_one_pass(ns: str, phase: str) -> Timing:
                return run([*ssa, "-n", ns], env, "serverside-applied", n)

            def kubetui(*flags: str):
                def timed(ns: str, phase: str) -> Timing:
                    return run([*KUBETUI, "apply", *flags, "-n", ns, "-f", path], env, f" {dict(PHASES)[phase]}\n", n)
                return timed

            modes = {
                "all-or-nothing": {"kubectl": kubectl_two_passes, "kubetui": kubetui()},
                "one pass": {"kubectl": kubectl_one_pass, "kubetui": kubetui("--no-all-or-nothing")},
            }
            for tools in modes.values():  # warm-up: discovery and OpenAPI caches, page cache
                for timed in tools.values():
                    timed(new_namespace(env), "create")
            times = {(mode, tool, phase): [] for mode in modes for tool in ("kubectl", "kubetui")
                     for phase, _ in PHASES}
            for round_number in range(args.runs):
                for mode, tools in modes.items():
                    order = ["kubectl", "kubetui"] if round_number % 2 == 0 else ["kubetui", "kubectl"]
                    for tool in order:
                        namespace = new_namespace(env)
                        for phase, _ in PHASES:
                            times[(mode, tool, phase)].append(tools[tool](namespace, phase))
                print(f"round {round_number + 1}/{args.runs} done", file=sys.stderr)
            imports = "import kubetui.cli, kubetui.commands.apply, kubetui.kube.applying, kubetui.kube.direct_client"
            floor = [run([PYTHON, "-c", imports], env, "", 0).wall for _ in range(3)]
        finally:
            stop_cluster(proc)
    load_after = os.getloadavg()
    print(f"\n{n} {args.kind} in one file, {args.runs} rounds, wall time medians (min-max)")
    print(f"{'':26}{'kubectl':>28}{'kubetui':>28}{'ratio':>7}{'paired':>8}"
          f"{'client CPU kubectl / kubetui':>31}")
    for mode in modes:
        for phase, label in PHASES:
            kubectl, ours = times[(mode, "kubectl", phase)], times[(mode, "kubetui", phase)]
            walls = [t.wall for t in kubectl], [t.wall for t in ours]
            ratio = statistics.median(walls[1]) / statistics.median(walls[0])
            paired = statistics.median(b / a for a, b in zip(*walls))
            cpu = f"{statistics.median(t.cpu for t in kubectl):.3f} / {statistics.median(t.cpu for t in ours):.3f} s"
            print(f"{mode + ', ' + label:26}{figures(walls[0]):>28}{figures(walls[1]):>28}{ratio:7.2f}{paired:8.2f}"
                  f"{cpu:>31}")
    print("\nratio: of the medians; paired: median of each round's kubetui / kubectl, taken back to back, "
          "so load that drifts between rounds cancels out")
    print("\nall-or-nothing: kubectl = apply --server-side --dry-run=server, then apply --server-side")
    print("one pass:       kubectl = apply --server-side;  kubetui = apply --no-all-or-nothing")
    print(f"\nPython start + kubetui apply's imports (kubetui's floor): {statistics.median(floor):.3f} s")
    print(f"load average (1 min) before {load_before[0]:.2f}, after {load_after[0]:.2f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
