"""Shared by the bench scripts: note when the pod table paints its cursor row (key → screen latency)."""

from __future__ import annotations

import time


def record_cursor_paints(view) -> dict:
    """Wrap `view.render_line`. The returned dict holds the last painted cursor key with its wall
    and CPU time, under "first" each cursor key's first paint (wall, CPU) since the caller last
    cleared it, and the unwrapped method under "original" (to put back when done).

    A key's latency ends at the first paint of the row it moved the cursor to: the same row is
    painted again whenever the watch changes it, and a later repaint is not what the user waited for.
    """
    draw = view.render_line
    painted: dict = {"key": None, "at": 0.0, "cpu": 0.0, "first": {}, "original": draw}

    def render_line(y):
        strip = draw(y)
        index = round(view.scroll_y) + y - 1
        if y > 0 and index == view.table.cursor_index:
            key, at, cpu = view.table.cursor_key, time.perf_counter(), time.thread_time()
            painted["key"], painted["at"], painted["cpu"] = key, at, cpu
            painted["first"].setdefault(key, (at, cpu))
        return strip

    view.render_line = render_line
    return painted
