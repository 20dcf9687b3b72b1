"""Shared by the bench scripts: `kubetui cluster` in its own process, as a user's cluster would be."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start_cluster(kubeconfig: Path, *flags: str) -> subprocess.Popen:
    """Start `kubetui cluster FLAGS` writing `kubeconfig`; return once it printed its ready line."""
    command = [sys.executable, "-m", "kubetui", "cluster", *flags, "--write-kubeconfig", str(kubeconfig)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()  # the one "ready" line, or EOF if it failed
    if "ready" not in line:
        process.kill()
        raise SystemExit(f"the cluster did not start: {line}{process.stderr.read()}")
    return process


def stop_cluster(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall seconds and stdout of one command; a failure (exit code or stderr) ends the bench."""
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if result.returncode != 0 or result.stderr:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}")
    return elapsed, result.stdout
