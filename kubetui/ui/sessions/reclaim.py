"""Giving back what a closed session tab held.

Key decision: Textual widgets hold reference cycles, so only the cyclic collector frees a closed
tab, and only once its pane is gone, its session's thread has let go of it and the screen has
been redrawn without it (the compositor's map holds what it last drew). The long-lived heap is
frozen once, before the first tab (`freeze_heap_once`), so no tab is frozen by opening another;
a tab frozen anyway (the pods view freezes after a big list) costs one full collection.
"""

from __future__ import annotations

import asyncio
import gc
import weakref
from typing import Any, Callable

from textual.widget import Widget

from kubetui.ui.textual_leaks import release_removed_widgets

HANG_UP_SECONDS = 2.0  # a closed session's thread ends within half a second; this is a bound
RECLAIM_ATTEMPTS, RECLAIM_RETRY_SECONDS = 5, 0.5

_froze_heap = False


def freeze_heap_once() -> None:
    """Take what is alive before the first tab out of the collector's walks, once.

    A flood allocates fast, and every full collection then walks everything alive (300 ms a pass
    measured in bench/bench_exec.py, freezing the keys meanwhile). A later freeze would take open
    tabs, and whatever short-lived widgets are on screen then, with it, never to be collected."""
    global _froze_heap
    if not _froze_heap:
        _froze_heap = True
        gc.freeze()


async def reclaim_after(area: Widget, removed: Any, session: Any, closed: weakref.ref,
                        removed_callback: Callable[[], None] | None = None) -> None:
    """Wait for the pane's removal (then call ``removed_callback``), the session's thread and a
    redraw; then free the tab."""
    if removed is not None:
        try:
            await removed
        finally:
            if removed_callback is not None:
                removed_callback()
    if session is not None and hasattr(session, "join"):
        await asyncio.to_thread(session.join, HANG_UP_SECONDS)
    del removed, session  # this frame must not be what keeps the tab alive
    for _ in range(RECLAIM_ATTEMPTS):
        redrawn = asyncio.Event()
        area.call_after_refresh(redrawn.set)
        await redrawn.wait()
        if reclaim_closed_tab(area, closed):
            return
        await asyncio.sleep(RECLAIM_RETRY_SECONDS)  # a message in flight still holds it


def reclaim_closed_tab(area: Widget, closed: weakref.ref) -> bool:
    """Free what a closed tab held; False while something still holds it (try again later)."""
    release_removed_widgets(area.screen)
    gc.collect()
    tab = closed()
    if tab is None:
        return True
    frozen = not any(tracked is tab for tracked in gc.get_objects())
    del tab
    if not frozen:
        return False
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return True
