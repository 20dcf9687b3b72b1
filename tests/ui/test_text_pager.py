"""The pager of describe, YAML and result tabs: new text keeps the reader where they were."""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult

from kubetui.ui.widgets.text_pager import TextPager
from tests.support.waiting import until


class _PagerApp(App):
    def compose(self) -> ComposeResult:
        yield TextPager()


def _text(count: int) -> str:
    return "\n".join(f"line {n}" for n in range(count))


def test_at_the_end_new_lines_come_into_sight_elsewhere_the_offset_stays():
    async def main() -> None:
        app = _PagerApp()
        async with app.run_test(size=(40, 10)) as pilot:
            pager = app.query_one(TextPager)
            pager.set_text(_text(50))
            await pilot.pause()
            pager.scroll_end(animate=False)
            await until(lambda: pager.scroll_y == pager.max_scroll_y > 0, message="at the end")
            pager.set_text(_text(60))  # an event arrived: the text grew at the end
            await until(lambda: pager.scroll_y == pager.max_scroll_y == 60 - pager.size.height,
                        message="still at the end, the new lines in sight")

            pager.scroll_to(y=5, animate=False)
            await until(lambda: pager.scroll_y == 5, message="scrolled up")
            pager.set_text(_text(70))
            await pilot.pause()
            assert pager.scroll_y == 5, "reading in the middle: the offset stays"

    asyncio.run(main())
