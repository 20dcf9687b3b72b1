"""Shared by the bench scripts: note when the pod table paints its cursor row (key → screen latency)."""

from __future__ import annotations

import time


def record_cursor_paints(view) -> dict:
    """Wrap `view.render_line`; the returned dict holds the last painted cursor key, its wall and CPU
    time, and the unwrapped method under "original" (to put back when done)."""
    draw = view.render_line
    painted: dict = {"key": None, "at": 0.0, "cpu": 0.0, "original": draw}

    def render_line(y):
        strip = draw(y)
        index = round(view.scroll_y) + y - 1
        if y > 0 and index == view.table.cursor_index:
            painted["key"], painted["at"] = view.table.cursor_key, time.perf_counter()
            painted["cpu"] = time.thread_time()
        return strip

    view.render_line = render_line
    return painted
