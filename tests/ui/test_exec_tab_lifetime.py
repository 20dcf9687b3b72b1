"""An exec tab's life: it says so when its pod goes away, and once closed it holds nothing.

Against the local cluster with its kubelets; the app is the exec-tabs harness under Pilot.
"""

from __future__ import annotations

import asyncio
import gc
import tracemalloc
import weakref

import pytest
from exec_harness import HarnessApp, exec_tabs, terminal_text
from pilot_helpers import sessions_area

from tests.kube.exec_support import running_pod
from tests.support.waiting import until

SIZE = (120, 36)
# After the warm-up about nine tenths of one session's memory stays, whatever the number of cycles
# (the same at 40 and at 100): the bound leaves the cycles a tenth of a session to leak, so thirty
# measured cycles catch a leak of a third of a percent of a session per cycle.
CYCLES = 40
WARM_UP = 10  # Textual's own bounded caches fill during the first cycles


def run(app, scenario):
    async def main():
        async with app.run_test(size=SIZE) as pilot:
            await scenario(pilot)
            for tab in exec_tabs(app):
                tab.close_session()

    asyncio.run(main())


async def open_shell(pilot, app):
    before = set(exec_tabs(app))
    await pilot.press("s")
    tab = (await until(lambda: [t for t in exec_tabs(app) if t not in before], message="a new tab"))[0]
    await until(lambda: terminal_text(tab).rstrip().endswith(("#", "$")), message="a prompt")
    return tab


async def hang_up(pilot, app):
    await pilot.press("ctrl+right_square_bracket", "x")
    await until(lambda: not exec_tabs(app), message="the tab closed")


def test_the_tab_says_the_pod_was_deleted_and_enter_closes_it(exec_api, exec_core, exec_ns):
    running_pod(exec_core, exec_ns, "web", [("nginx", "nginx:1.25")])
    app = HarnessApp(exec_api, f"{exec_ns}/web")

    async def scenario(pilot):
        tab = await open_shell(pilot, app)
        exec_core.delete_namespaced_pod("web", exec_ns)
        said = "pod web was deleted — Enter closes"
        await until(lambda: said in tab.status_text, timeout=60, message="the status line")
        assert said in terminal_text(tab)
        assert "r reconnects" not in tab.status_text  # there is nothing to reconnect to
        await pilot.press("enter")
        await until(lambda: not exec_tabs(app), message="the tab closed")

    run(app, scenario)


def test_closing_one_of_two_tabs_frees_it_and_the_other_goes_on(exec_api, exec_core, exec_ns):
    running_pod(exec_core, exec_ns, "web", [("nginx", "nginx:1.25")])
    app = HarnessApp(exec_api, f"{exec_ns}/web")

    async def scenario(pilot):
        first = await open_shell(pilot, app)
        kept = [weakref.ref(o) for o in (first, first.view, first.buffer, first.session)]
        del first
        await pilot.press("ctrl+right_square_bracket", "left_square_bracket")  # the dashboard
        await until(lambda: sessions_area(app).active == "dashboard", message="the dashboard")
        second = await open_shell(pilot, app)
        await pilot.press("ctrl+right_square_bracket", "left_square_bracket")  # the first tab
        await until(lambda: sessions_area(app).active_session() is not second, message="the first tab")
        await pilot.press("ctrl+right_square_bracket", "x")  # from the tab bar: hang up
        await until(lambda: exec_tabs(app) == [second], message="only the second tab left")
        await until(lambda: gc.collect() is not None and all(ref() is None for ref in kept),
                    timeout=30, message="the first tab's objects freed")
        await until(lambda: sessions_area(app).active == "dashboard", message="back on the dashboard")
        await pilot.press("right_square_bracket")
        await until(lambda: app.focused is second.view, message="the second terminal focused")
        await pilot.press(*"echo", "space", *"$((40+2))", "enter")
        await until(lambda: "42" in terminal_text(second).split(), message="the second tab answering")

    run(app, scenario)


@pytest.mark.timeout(600)  # forty real sessions, each starting a shell process
def test_many_opened_and_closed_tabs_leave_nothing_behind(exec_api, exec_core, exec_ns):
    running_pod(exec_core, exec_ns, "web", [("nginx", "nginx:1.25")])
    app = HarnessApp(exec_api, f"{exec_ns}/web")
    kept: list[weakref.ref] = []

    def traced_after_collect() -> int:
        gc.collect()
        return tracemalloc.get_traced_memory()[0]

    def all_freed() -> bool:
        gc.collect()  # what is frozen stays: a tab frozen while open would show up here
        return all(ref() is None for ref in kept)

    async def cycle(pilot, keep_open: bool = False) -> None:
        tab = await open_shell(pilot, app)
        kept.extend(weakref.ref(o) for o in (tab, tab.view, tab.buffer, tab.session))
        del tab  # only weak references from here: the test must not be what keeps it
        if not keep_open:
            await hang_up(pilot, app)

    async def scenario(pilot):
        for _ in range(WARM_UP):
            await cycle(pilot)
        await until(all_freed, message="the warm-up tabs freed")
        tracemalloc.start()
        try:
            baseline = traced_after_collect()
            await cycle(pilot, keep_open=True)  # what one open session holds, for scale
            one_session = traced_after_collect() - baseline
            await hang_up(pilot, app)
            for _ in range(CYCLES - WARM_UP - 1):
                await cycle(pilot)
            await until(all_freed, timeout=30, message="every closed tab's objects freed")
            grown = traced_after_collect() - baseline
        finally:
            tracemalloc.stop()
        # a leak of even a few percent of a session per cycle would add up past this
        assert grown < one_session, (grown, one_session)

    run(app, scenario)
