"""A one-shot exec without a TTY: run a command, collect its output and exit code.

Output is capped (`OUTPUT_LIMIT`, the first bytes are kept and the rest counted), so a command
that prints gigabytes cannot fill memory; the read loop checks `cancelled` between frames and
gives up after `timeout` seconds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from kubetui.errors import KubetuiError
from kubetui.kube.exec_errors import connection_lost, exit_code_of, runtime_failure, status_from_body
from kubetui.kube.exec_stream import STATUS, STDERR, STDOUT, ExecTarget, open_stream, read_frame, readable

OUTPUT_LIMIT = 1024 * 1024


@dataclass(frozen=True)
class OneShotResult:
    output: str
    exit_code: int | None
    error: KubetuiError | None = None
    dropped_bytes: int = 0  # output past OUTPUT_LIMIT, not kept


def run_once(api_client, target: ExecTarget, *, timeout: float = 120.0,
             cancelled: Callable[[], bool] = lambda: False) -> OneShotResult:
    """Run `target.command` (blocking: call from a worker thread)."""
    ws = open_stream(api_client, target, target.command, stdin=False)
    kept = bytearray()
    dropped = 0
    deadline = time.monotonic() + timeout
    try:
        while True:
            if cancelled():
                return _result(kept, None, KubetuiError("cancelled", "Cancelled"), dropped)
            if time.monotonic() > deadline:
                return _result(kept, None, KubetuiError(f"no exit after {timeout:.0f} s", "Timeout"), dropped)
            ready, _ = readable(ws, None, 0.5)
            if not ready:
                continue
            frame = read_frame(ws)
            if frame is None:
                return _result(kept, None, connection_lost(target.where, "the server closed the stream"), dropped)
            channel, payload = frame
            if channel in (STDOUT, STDERR):
                room = OUTPUT_LIMIT - len(kept)
                kept += payload[:room]
                dropped += max(0, len(payload) - room)
            elif channel == STATUS:
                status = status_from_body(payload)
                code = exit_code_of(status)
                error = None if code is not None else runtime_failure(status, list(target.command))
                return _result(kept, code, error, dropped)
    except KubetuiError:
        raise
    except Exception as exc:  # socket errors, websocket-client exceptions
        return _result(kept, None, connection_lost(target.where, type(exc).__name__), dropped)
    finally:
        try:
            ws.close()
        except Exception:
            pass


def _result(kept: bytearray, code: int | None, error: KubetuiError | None, dropped: int) -> OneShotResult:
    return OneShotResult(bytes(kept).decode("utf-8", "replace"), code, error, dropped)
