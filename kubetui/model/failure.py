"""Why a pod is failing, in one line: the failing container, its last exit, and what it said.

Key decisions: the container chosen is the one whose reason the pod's STATUS shows (kubectl's
column), else the first failing one (an init container first: it blocks the others); its last
termination gives the exit code and reason. The log line worth showing is the last one that
reads like an error, not simply the last line: nginx ends a port clash with "still could not
bind()", after the line that says why (`bind() to 0.0.0.0:80 failed (98: Address already in
use)`). A waiting message is shown when it explains something (an image that cannot be pulled,
a missing ConfigMap), not the kubelet's back-off timer. Pure: pod dicts and text in, text out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Failure", "failure_text", "pod_failure", "telling_line"]

# Waiting reasons that mean the container cannot run (ContainerCreating and PodInitializing do not).
_FAILING_WAITING = frozenset({
    "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "ErrImageNeverPull", "InvalidImageName",
    "CreateContainerConfigError", "CreateContainerError", "RunContainerError", "StartError",
    "PreStartHookError", "PostStartHookError", "ContainerStatusUnknown",
})
# Waiting messages that only repeat the reason with a timer: nothing to read in them.
_QUIET_MESSAGES = frozenset({"CrashLoopBackOff"})
_ERROR_WORDS = re.compile(
    r"error|fail|fatal|panic|exception|denied|refused|cannot|can't|unable|not found|no such|invalid|"
    r"killed|timed? ?out|address already in use", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_CONTROLS = {code: f"^{chr(code + 64)}" for code in range(32)} | {127: "^?"}


@dataclass(frozen=True)
class Failure:
    """What is wrong with a pod, as its container statuses tell it."""

    container: str  # "" when the pod itself failed (evicted, say)
    reason: str  # CrashLoopBackOff, ImagePullBackOff, Error, OOMKilled, Evicted, ...
    message: str = ""  # what the kubelet said, when it explains (an image pull error)
    init: bool = False
    exit_code: int | None = None  # of the last termination (or the current one)
    exit_reason: str = ""
    restarts: int = 0
    logs: str = ""  # which instance's logs say why: "previous", "current", or "" (it never ran)


def pod_failure(pod: dict, status_text: str = "") -> Failure | None:
    """The failure of ``pod`` (a v1 Pod dict), or None when nothing in it is failing.

    ``status_text`` is the pod's STATUS cell (`CrashLoopBackOff`, `Init:Error`): the container
    whose reason it names is preferred when several fail.
    """
    status = pod.get("status") or {}
    failures = [failure for init, key in ((True, "initContainerStatuses"), (False, "containerStatuses"))
                for cs in status.get(key) or () if isinstance(cs, dict)
                if (failure := _container_failure(cs, init)) is not None]
    wanted = status_text[5:] if status_text.startswith("Init:") else status_text
    for failure in failures:
        if failure.reason == wanted:
            return failure
    if failures:
        return failures[0]
    reason = status.get("reason")
    if isinstance(reason, str) and reason:
        return Failure("", reason, _one_line(status.get("message")))
    return None


def _container_failure(cs: dict, init: bool) -> Failure | None:
    state = cs.get("state") or {}
    last = (cs.get("lastState") or {}).get("terminated") or {}
    count = cs.get("restartCount")
    restarts = count if isinstance(count, int) else 0
    name = str(cs.get("name") or "")
    waiting = state.get("waiting") or {}
    terminated = state.get("terminated") or {}
    if waiting.get("reason") in _FAILING_WAITING:
        reason = waiting["reason"]
        message = "" if reason in _QUIET_MESSAGES else _one_line(waiting.get("message"))
        return Failure(name, reason, message, init, _exit_code(last), str(last.get("reason") or ""), restarts,
                       "previous" if last else "")
    if terminated and (_exit_code(terminated) or 0) != 0:
        return Failure(name, str(terminated.get("reason") or "Error"), _one_line(terminated.get("message")), init,
                       _exit_code(terminated), str(terminated.get("reason") or ""), restarts, "current")
    return None


def _exit_code(terminated: dict) -> int | None:
    code = terminated.get("exitCode")
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def _one_line(value: object) -> str:
    """Whitespace collapsed, and no control character left to reach the terminal (`^[` for ESC)."""
    if not isinstance(value, str):
        return ""
    return _SPACE.sub(" ", value).strip().translate(_CONTROLS)


def telling_line(log: str) -> str:
    """The log line that says why: the last one reading like an error, else the last one."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    for line in reversed(lines):
        if _ERROR_WORDS.search(line):
            return line
    return lines[-1] if lines else ""


def failure_text(failure: Failure, log_line: str = "", log_note: str = "") -> str:
    """One line, short enough for a terminal's width: the row beside it already says the pod and
    its restarts. `nginx-container-2: CrashLoopBackOff · last exit 1 (Error) · log: ...`."""
    who = f"init container {failure.container}" if failure.init else failure.container
    parts = [f"{who}: {failure.reason}" if who else f"pod: {failure.reason}"]
    if failure.exit_code is not None:
        last = "last exit" if failure.logs == "previous" else "exit"
        reason = f" ({failure.exit_reason})" if failure.exit_reason and failure.exit_reason != failure.reason else ""
        parts.append(f"{last} {failure.exit_code}{reason}")
    if failure.message:
        parts.append(failure.message)
    if log_line:
        parts.append(f"log: {_one_line(log_line)}")
    elif log_note:
        parts.append(log_note)
    return " · ".join(parts)
