"""Thread workers whose failures always reach the app's one error route.

Key decision: every component runs its blocking calls through `guarded` (a method decorator) or
`run_guarded` (a callable); an exception raised inside goes to `app.report_error` on the UI
loop, and then to the component's `failed` callback with the words the user was shown, so the
component can leave its busy state. Nothing is left "busy" and nothing exits the app: the
worker ends in the ERROR state (`exit_on_error=False`), so a handler of its SUCCESS never runs
for a failed call. A worker that was cancelled (superseded) fails silently: its result was no
longer wanted.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from textual import work
from textual.worker import NoActiveWorker, Worker, get_current_worker

from kubetui.ui.textual_leaks import forget_thread_worker

Failed = Callable[[Any, BaseException, str], None]  # (node, error, what the user was shown)


def guarded(*, group: str, failed: Failed | None = None, exclusive: bool = True):
    """`@work(thread=True)` for a method of a widget or screen, failures routed (see module doc)."""

    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def run(node, *args, **kwargs):
            return _call(node, failed, method, node, *args, **kwargs)

        return work(run, thread=True, exclusive=exclusive, group=group, exit_on_error=False)

    return decorate


def run_guarded(node, function: Callable[[], Any], *, group: str, failed: Failed | None = None,
                exclusive: bool = True) -> Worker:
    """Run ``function()`` in a thread worker of ``node``, failures routed (see module doc)."""
    return node.run_worker(functools.partial(_call, node, failed, function), thread=True, group=group,
                           exclusive=exclusive, exit_on_error=False)


def _call(node, failed: Failed | None, function: Callable, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except Exception as error:
        if not _cancelled():
            try:
                node.app.call_from_thread(_fail, node, failed, error)
            except RuntimeError:  # the app is shutting down: nobody is left to tell
                pass
        raise  # the worker ends in ERROR, reported already; exit_on_error=False keeps the app
    finally:
        forget_thread_worker()  # the idle thread must not keep the worker, and its widget, alive


def _cancelled() -> bool:
    try:
        return get_current_worker().is_cancelled
    except NoActiveWorker:
        return False


def _fail(node, failed: Failed | None, error: BaseException) -> None:
    shown = node.app.report_error(error)
    if failed is not None and node.is_attached:
        failed(node, error, shown)
