"""Three places in Textual that keep removed widgets alive, and how kubetui lets them go.

Key decision: work around them where widgets come and go in numbers (closing an exec tab),
through the attributes Textual uses today, each guarded so that a Textual release which
renames them simply makes this a no-op. Drop each one once Textual fixes it.
- `StylesCache.get_inner_outer` is an `lru_cache` on a method, so it keeps up to 1024
  `StylesCache` objects, each with the rendered lines of its widget (Textualize/textual#6665).
- `query_one` results are cached per base node under a key that outlives the node, so a
  removed tab's label stays until 1024 other queries push it out.
- A thread worker runs in its executor thread's own context, where Textual sets the
  `active_worker` context variable and never unsets it: the idle thread keeps the last worker
  it ran, and so that worker's widget, until it happens to run another
  (`forget_thread_worker`, called as each of kubetui's thread workers ends).
"""

from __future__ import annotations

from textual.dom import DOMNode


def release_removed_widgets(root: DOMNode) -> None:
    """Let go of widgets that were removed below `root` (a screen), as far as Textual's
    caches are concerned; the cyclic collector frees them afterwards."""
    try:
        from textual._styles_cache import StylesCache

        StylesCache.get_inner_outer.cache_clear()
    except (ImportError, AttributeError):
        pass
    for node in (root, *root.walk_children()):
        cache = getattr(node, "_query_one_cache", None)
        if cache is not None and hasattr(cache, "clear"):
            cache.clear()


def forget_thread_worker() -> None:
    """In a thread worker's thread, as its work ends: let the thread forget the worker."""
    try:
        from textual.worker import active_worker

        active_worker.set(None)  # type: ignore[arg-type]  # nothing reads it before the next worker sets it
    except (ImportError, AttributeError):
        pass

