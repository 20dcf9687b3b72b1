"""How much memory and CPU time one simulated exec may take from the host, enforced for real.

Key decisions:
- Memory: the container's `resources.limits.memory`, else 256 MiB. The exec process caps its
  own address space (RLIMIT_AS) at what it had mapped when it started plus that limit, so the
  host process cannot grow past it whatever the script does; an allocation beyond it raises
  MemoryError, which the shell turns into what the container's OOM killer does to the
  process that outgrew the limit: it dies of SIGKILL (status 137, and a shell that ran it
  prints `Killed`).
- CPU: a real container is only throttled, never stopped, but a runaway loop here would burn
  a host core for as long as the tab stays open. So each command gets a CPU-time budget
  (60 s unless the cluster sets another): RLIMIT_CPU's soft limit is moved to "used so far +
  budget" before every command an interactive shell runs. The kernel's SIGXCPU then stops the
  command the way `ulimit -t` does: the message is bash's for that signal (`CPU time limit
  exceeded`) and the status 152 (128 + SIGXCPU).
"""

from __future__ import annotations

import resource
import signal

from kubetui.localcluster.registry.defaults import parse_quantity

DEFAULT_MEMORY_BYTES = 256 * 1024 * 1024
DEFAULT_CPU_SECONDS = 60.0
KILLED_STATUS = 128 + signal.SIGKILL  # 137
CPU_STATUS = 128 + signal.SIGXCPU  # 152
KILLED_TEXT = "Killed"
CPU_TEXT = "CPU time limit exceeded"


class CpuTimeExceeded(BaseException):
    """SIGXCPU arrived: the command's CPU budget is spent. A BaseException, so no program's
    `except Exception` can swallow it and keep burning CPU."""


def memory_bytes(container: dict) -> int:
    """The container's memory limit in bytes, else the default."""
    raw = ((container.get("resources") or {}).get("limits") or {}).get("memory")
    amount = parse_quantity(raw)
    return int(amount) if amount and amount > 0 else DEFAULT_MEMORY_BYTES


def container_limits(container: dict, cpu_seconds: float = DEFAULT_CPU_SECONDS) -> dict:
    """The bounds written into an exec's context."""
    return {"memory_bytes": memory_bytes(container), "cpu_seconds": float(cpu_seconds)}


# ---- inside the exec process -------------------------------------------------------------
_budget = 0.0


def apply(limits: dict | None) -> None:
    """Cap this process (call once, at start): address space now, CPU per command."""
    global _budget
    limits = limits or {}
    memory = int(limits.get("memory_bytes") or DEFAULT_MEMORY_BYTES)
    _budget = float(limits.get("cpu_seconds") or DEFAULT_CPU_SECONDS)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = _mapped_bytes() + memory
    if hard == resource.RLIM_INFINITY or ceiling < hard:
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    signal.signal(signal.SIGXCPU, _on_sigxcpu)
    new_command()


def new_command() -> None:
    """A fresh CPU budget for the next command (a no-op before `apply`)."""
    if _budget <= 0:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(used + _budget) + 1  # whole seconds: the kernel counts in seconds
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _on_sigxcpu(_signum, _frame) -> None:
    raise CpuTimeExceeded()


def _mapped_bytes() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 64 * 1024 * 1024
    return pages * resource.getpagesize()
