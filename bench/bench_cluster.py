"""Shared by the bench scripts: `kubetui cluster` in its own process, as a user's cluster would be."""

from __future__ import annotations

import subprocess
import sys
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
