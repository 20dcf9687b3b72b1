"""`kubetui apply -f` against `kubectl apply --server-side -f` on the local cluster, side by side.

Starts `kubetui cluster` in a subprocess, writes one file of N documents (ConfigMaps by default,
or Pods), warms both tools once (kubectl's discovery and OpenAPI caches, kubetui's discovery
cache), then times RUNS rounds. Each round applies the file into a fresh namespace per tool
(every object created) and then once more (every object unchanged); the two tools alternate and
so does which goes first. kubetui runs its default all-or-nothing mode: a dry run of every
object, then the applies, each pass concurrent per object; kubectl applies one object after
another. Prints medians, min-max and the ratio kubetui / kubectl (goal <= 1.0), plus the cost of
starting Python and importing the official client, which kubetui pays and a Go binary does not.

    .venv/bin/python bench/bench_apply.py                    # 100 ConfigMaps, 7 rounds
    .venv/bin/python bench/bench_apply.py --kind pods --objects 100 --runs 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_get_pods import KUBECTL, KUBETUI, PYTHON, start_cluster, stop_cluster  # noqa: E402


def manifest(kind: str, count: int) -> str:
    docs = []
    for i in range(count):
        if kind == "pods":
            docs.append(f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: bench-{i:03d}\n  labels: {{app: bench}}\n"
                        "spec:\n  containers:\n  - name: nginx\n    image: nginx:1.16\n    ports:\n"
                        "    - containerPort: 80\n")
        else:
            docs.append(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bench-{i:03d}\n  labels: {{app: bench}}\n"
                        f"data:\n  index: \"{i}\"\n  greeting: hello from object {i}\n")
    return "---\n".join(docs)


def run(command: list[str], env: dict[str, str], expect: str) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if result.returncode != 0 or expect not in result.stdout:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout[-500:]}\n"
                         f"{result.stderr[-2000:]}")
    return elapsed


def new_namespace(env: dict[str, str]) -> str:
    name = f"bench-{uuid.uuid4().hex[:8]}"
    subprocess.run([KUBECTL, "create", "namespace", name], check=True, capture_output=True, env=env)
    return name


def figures(values: list[float]) -> str:
    return f"{statistics.median(values):6.3f} s  ({min(values):.3f}-{max(values):.3f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objects", type=int, default=100)
    parser.add_argument("--kind", choices=("configmaps", "pods"), default="configmaps")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kubetui-bench-apply-") as tmp:
        workdir = Path(tmp)
        proc, kubeconfig = start_cluster(0, 0.0, workdir)
        try:
            env = {**os.environ, "KUBECONFIG": str(kubeconfig), "KUBECACHEDIR": str(workdir / "kubectl-cache"),
                   "XDG_CACHE_HOME": str(workdir / "xdg-cache")}
            path = workdir / f"{args.objects}-{args.kind}.yaml"
            path.write_text(manifest(args.kind, args.objects))
            tools = {
                "kubectl": lambda ns: [KUBECTL, "apply", "--server-side", "-n", ns, "-f", str(path)],
                "kubetui": lambda ns: [*KUBETUI, "apply", "-n", ns, "-f", str(path)],
            }
            expect = {"kubectl": "serverside-applied", "kubetui": ""}
            for name, command in tools.items():  # warm-up: discovery and OpenAPI caches, page cache
                run(command(new_namespace(env)), env, expect[name])
            times: dict[tuple[str, str], list[float]] = {(t, p): [] for t in tools for p in ("create", "again")}
            for round_number in range(args.runs):
                order = list(tools) if round_number % 2 == 0 else list(tools)[::-1]
                for name in order:
                    namespace = new_namespace(env)
                    times[(name, "create")].append(run(tools[name](namespace), env,
                                                       expect[name] or " created"))
                    times[(name, "again")].append(run(tools[name](namespace), env,
                                                      expect[name] or " unchanged"))
            floor = [run([PYTHON, "-c", "import kubernetes.dynamic, yaml, orjson"], env, "") for _ in range(3)]
        finally:
            stop_cluster(proc)
    print(f"\n{args.objects} {args.kind} in one file, {args.runs} rounds, medians (min-max)")
    print(f"{'':10}{'kubectl apply --server-side':>32}{'kubetui apply':>32}{'ratio':>8}")
    for phase, label in (("create", "created"), ("again", "unchanged")):
        kubectl, kubetui = times[("kubectl", phase)], times[("kubetui", phase)]
        ratio = statistics.median(kubetui) / statistics.median(kubectl)
        print(f"{label:10}{figures(kubectl):>32}{figures(kubetui):>32}{ratio:8.2f}")
    print(f"\nPython start + importing the official client (kubetui's floor): {statistics.median(floor):.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
