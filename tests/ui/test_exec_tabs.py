"""Exec sessions as tabs: open, type, resize, exit, fall back, several at once — on the local cluster."""

from __future__ import annotations

import asyncio

import pytest
from exec_harness import HarnessApp, exec_tabs, terminal_lines, terminal_text

from kubetui.ui.screens.container_picker import ContainerPicker
from kubetui.ui.screens.exec_command import CommandResultScreen, ExecCommandDialog
from tests.kube.exec_support import running_pod
from tests.support.waiting import until

SIZE = (120, 36)


def run(app, scenario, size=SIZE):
    async def main():
        async with app.run_test(size=size) as pilot:
            await scenario(pilot)
            for tab in exec_tabs(app):
                tab.close_session()

    asyncio.run(main())


async def type_line(pilot, text: str) -> None:
    await pilot.press(*[("space" if c == " " else c) for c in text], "enter")


async def open_shell(pilot, app, title: str):
    """Press s; wait for the new tab (labelled `title`) and its prompt."""
    before = set(exec_tabs(app))
    await pilot.press("s")
    tab = (await until(lambda: [t for t in exec_tabs(app) if t not in before], message="a new tab"))[0]
    tabs = app.screen.sessions
    await until(lambda: str(tabs.get_tab(tabs.active).label) == title, message=f"tab {title} active")
    await until(lambda: terminal_text(tab).rstrip().endswith(("#", "$")), message="a prompt")
    return tab


@pytest.fixture
def web(exec_core, exec_ns):
    return running_pod(exec_core, exec_ns, "web", [("nginx", "nginx:1.25")])


def test_shell_opens_in_a_tab_and_typed_commands_answer(exec_api, exec_ns, web):
    app = HarnessApp(exec_api, f"{exec_ns}/web")

    async def scenario(pilot):
        tab = await open_shell(pilot, app, "web/nginx")
        assert app.focused is tab.view
        assert app.screen.sessions.active != "dashboard"
        await type_line(pilot, "pwd")
        await until(lambda: "root@web:/# pwd" in terminal_lines(tab) and "/" in terminal_lines(tab),
                    message="pwd's answer")
        assert "/bin/bash" in tab.status_text

    run(app, scenario)


def test_stty_size_is_the_widget_size_and_follows_a_resize(exec_api, exec_ns, web):
    app = HarnessApp(exec_api, f"{exec_ns}/web")

    async def scenario(pilot):
        tab = await open_shell(pilot, app, "web/nginx")
        cols, rows = tab.view.size.width, tab.view.size.height
        await type_line(pilot, "stty size")
        await until(lambda: f"{rows} {cols}" in terminal_lines(tab), message=f"stty size {rows} {cols}")
        await pilot.resize_terminal(100, 30)
        await until(lambda: tab.view.size.width == 100, message="the widget resized")
        cols, rows = tab.view.size.width, tab.view.size.height
        await type_line(pilot, "stty size")
        await until(lambda: f"{rows} {cols}" in terminal_lines(tab), message=f"stty size {rows} {cols}")

    run(app, scenario)


def test_exit_code_is_shown_then_enter_closes_and_r_reconnects(exec_api, exec_ns, web):
    app = HarnessApp(exec_api, f"{exec_ns}/web")

    async def scenario(pilot):
        tab = await open_shell(pilot, app, "web/nginx")
        await type_line(pilot, "exit 3")
        await until(lambda: "exited with code 3 — Enter closes, r reconnects" in terminal_text(tab),
                    message="the exit line")
        assert "exited with code 3" in tab.status_text
        await pilot.press("r")
        await until(lambda: tab.session is not None and terminal_text(tab).rstrip().endswith("root@web:/#"),
                    message="a new prompt")
        await type_line(pilot, "exit 4")
        await until(lambda: "exited with code 4" in terminal_text(tab), message="the second exit")
        await pilot.press("enter")
        await until(lambda: not exec_tabs(app), message="the tab closed")
        assert app.screen.sessions.active == "dashboard"

    run(app, scenario)


def test_missing_bash_falls_back_to_sh_and_says_so(exec_api, exec_core, exec_ns):
    running_pod(exec_core, exec_ns, "tiny", [("box", "alpine:3.19")])
    app = HarnessApp(exec_api, f"{exec_ns}/tiny")

    async def scenario(pilot):
        tab = await open_shell(pilot, app, "tiny/box")
        await until(lambda: "/bin/sh" in tab.status_text, message="sh in the status line")
        assert "/bin/bash is not in this container; running /bin/sh" in terminal_text(tab)

    run(app, scenario)


def test_two_sessions_and_switching_between_them_and_the_dashboard(exec_api, exec_ns, web):
    app = HarnessApp(exec_api, f"{exec_ns}/web")

    async def scenario(pilot):
        first = await open_shell(pilot, app, "web/nginx")
        await pilot.press("ctrl+right_square_bracket")  # out of the terminal, to the tab bar
        await pilot.press("left_square_bracket")  # previous tab: the dashboard
        await until(lambda: app.screen.sessions.active == "dashboard", message="the dashboard")
        second = await open_shell(pilot, app, "web/nginx (2)")
        await type_line(pilot, "echo second-$((1+1))")
        await until(lambda: "second-2" in terminal_lines(second), message="output in the second tab")
        assert "second-2" not in terminal_text(first)
        await pilot.press("ctrl+right_square_bracket", "right_square_bracket")  # wraps to the dashboard
        await until(lambda: app.screen.sessions.active == "dashboard", message="the dashboard again")
        await pilot.press("right_square_bracket")
        await until(lambda: app.focused is first.view, message="the first terminal focused")
        await type_line(pilot, "echo first-$((2+3))")
        await until(lambda: "first-5" in terminal_lines(first), message="output in the first tab")
        assert first.session is not None and second.session is not None  # both still running

    run(app, scenario)


def test_picker_preselects_the_default_container(exec_api, exec_core, exec_ns):
    running_pod(exec_core, exec_ns, "duo", [("redis-container", "redis:7"), ("nginx-container", "nginx:1.25")],
                annotations={"kubectl.kubernetes.io/default-container": "nginx-container"})
    app = HarnessApp(exec_api, f"{exec_ns}/duo")

    async def scenario(pilot):
        await pilot.press("s")
        picker = await until(lambda: isinstance(app.screen, ContainerPicker) and app.screen, message="the picker")
        options = picker.query_one("OptionList")
        assert options.get_option_at_index(options.highlighted).id == "nginx-container"
        await pilot.press("up", "s")
        tab = (await until(lambda: exec_tabs(app), message="a tab"))[0]
        assert tab.target.container == "redis-container"

    run(app, scenario)


def test_readonly_refuses_with_the_reason(exec_api, exec_ns, web):
    app = HarnessApp(exec_api, f"{exec_ns}/web", readonly=True)

    async def scenario(pilot):
        await pilot.press("s")
        await until(lambda: any("--readonly" in str(n.message) for n in app._notifications), message="a notice")
        assert not exec_tabs(app)

    run(app, scenario)


def test_top_uses_the_alternate_screen_and_restores_the_shell(exec_api, exec_core, exec_ns):
    running_pod(exec_core, exec_ns, "tiny", [("box", "alpine:3.19")])  # nginx images have no top
    app = HarnessApp(exec_api, f"{exec_ns}/tiny")

    async def scenario(pilot):
        tab = await open_shell(pilot, app, "tiny/box")
        await type_line(pilot, "echo before-top")
        await until(lambda: "before-top" in terminal_lines(tab), message="the marker")
        await type_line(pilot, "top")
        await until(lambda: tab.buffer.modes.alternate and any("PID" in line for line in terminal_lines(tab)),
                    message="top on the alternate screen")
        assert "before-top" not in terminal_text(tab)
        await pilot.press("q")
        await until(lambda: not tab.buffer.modes.alternate, message="back on the main screen")
        lines = terminal_lines(tab)
        assert "before-top" in lines
        assert not any("PID" in line for line in lines)

    run(app, scenario)


def test_one_shot_command_shows_output_and_exit_code(exec_api, exec_ns, web):
    app = HarnessApp(exec_api, f"{exec_ns}/web")

    async def scenario(pilot):
        await pilot.press("e")
        dialog = await until(lambda: isinstance(app.screen, ExecCommandDialog) and app.screen, message="dialog")
        dialog.query_one("Input").value = "-- /bin/sh -c 'ls /; exit 2'"
        dialog.query_one("Checkbox").value = False
        await pilot.press("enter")
        result = await until(lambda: isinstance(app.screen, CommandResultScreen) and app.screen, message="result")
        await until(lambda: result.result is not None, message="the command's end")
        status = str(result.query_one("#result-status").render())
        assert "exited with code 2" in status
        assert "etc" in str(result.query_one("#result-output").render())
        assert not exec_tabs(app)

    run(app, scenario)


def test_custom_command_with_a_tty_runs_in_a_tab(exec_api, exec_ns, web):
    app = HarnessApp(exec_api, f"{exec_ns}/web")

    async def scenario(pilot):
        await pilot.press("e")
        dialog = await until(lambda: isinstance(app.screen, ExecCommandDialog) and app.screen, message="dialog")
        dialog.query_one("Input").value = "-- /bin/sh"
        await pilot.press("enter")
        tab = (await until(lambda: exec_tabs(app), message="a tab"))[0]
        assert tab.target.command == ("/bin/sh",)
        await until(lambda: "/bin/sh" in tab.status_text, message="the command in the status line")
        await type_line(pilot, "echo $((6*7))")
        await until(lambda: "42" in terminal_lines(tab), message="its answer")

    run(app, scenario)


def test_enter_lists_the_containers_even_of_a_one_container_pod(exec_api, exec_ns, web):
    app = HarnessApp(exec_api, f"{exec_ns}/web")

    async def scenario(pilot):
        await pilot.press("enter")
        picker = await until(lambda: isinstance(app.screen, ContainerPicker) and app.screen, message="the picker")
        assert [c.name for c in picker.choices] == ["nginx"]
        assert picker.choices[0].state == "running" and picker.choices[0].image == "nginx:1.25"
        await pilot.press("escape")
        await until(lambda: not isinstance(app.screen, ContainerPicker), message="the picker closed")
        assert not exec_tabs(app)

    run(app, scenario)


def test_f_right_after_ctrl_bracket_asks_for_full_terminal_mode(exec_api, exec_ns, web):
    app = HarnessApp(exec_api, f"{exec_ns}/web")

    async def scenario(pilot):
        tab = await open_shell(pilot, app, "web/nginx")
        await pilot.press("ctrl+right_square_bracket", "f")  # in one go, as a fast hand types them
        # headless there is no real terminal to hand over: the one error route says so
        await until(lambda: any(n.title == "Full terminal" and "needs a real terminal" in n.message
                                for n in app._notifications), message="the full-terminal notice")
        assert tab.session is not None and "f" not in terminal_lines(tab)[0].split("#")[-1]

    run(app, scenario)
