"""Exec inside the real app: the pod table stays live beside sessions, keys in a terminal go to
the remote side (ctrl+c, q), tabs switch, --readonly refuses. Local cluster with kubelets."""

from __future__ import annotations

import asyncio

import pytest
from exec_harness import exec_tabs, terminal_lines, terminal_text
from pilot_helpers import pods_view, shown_names

from kubetui.kube.contexts import connect
from kubetui.ui.app import KubetuiApp
from tests.kube.exec_support import running_pod
from tests.support.pods import container, pod_manifest
from tests.support.waiting import until


@pytest.fixture
def app_on(exec_kubeconfig):
    apps = []

    def make(namespace, readonly=False):
        app = KubetuiApp(connect(str(exec_kubeconfig), None, namespace), readonly=readonly)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.connection.close()


def run(app, scenario, size=(140, 40)):
    async def main():
        async with app.run_test(size=size) as pilot:
            await scenario(pilot)
            for tab in exec_tabs(app):
                tab.close_session()

    asyncio.run(main())


async def shell_in(pilot, app, pod: str):
    pods = pods_view(app)
    await until(lambda: pod in shown_names(app), message=f"{pod} in the table")
    pods.table.select(f"{pods.namespace}/{pod}")
    before = set(exec_tabs(app))
    await pilot.press("s")
    tab = (await until(lambda: [t for t in exec_tabs(app) if t not in before], message="a new tab"))[0]
    await until(lambda: terminal_text(tab).rstrip().endswith("#"), message="a prompt")
    return tab


async def type_line(pilot, text: str) -> None:
    await pilot.press(*[("space" if c == " " else c) for c in text], "enter")


def test_dashboard_stays_live_while_a_session_runs(app_on, exec_core, exec_ns):
    running_pod(exec_core, exec_ns, "web", [("nginx", "nginx:1.25")])
    app = app_on(exec_ns)

    async def scenario(pilot):
        tab = await shell_in(pilot, app, "web")
        exec_core.create_namespaced_pod(exec_ns, pod_manifest(
            "newcomer", container("app", "nginx:1.25")))  # the table updates meanwhile
        await until(lambda: "newcomer" in pods_view(app).table.visible_keys().__str__(), message="the new row")
        await pilot.press("ctrl+right_square_bracket", "left_square_bracket")
        await until(lambda: "newcomer" in shown_names(app), message="the new pod drawn on the dashboard")
        assert tab.session is not None  # the session goes on in its tab

    run(app, scenario)


def test_ctrl_c_and_q_go_to_the_remote_shell_not_to_the_app(app_on, exec_core, exec_ns):
    running_pod(exec_core, exec_ns, "web", [("nginx", "nginx:1.25")])
    app = app_on(exec_ns)

    async def scenario(pilot):
        tab = await shell_in(pilot, app, "web")
        await type_line(pilot, "sleep 100")
        await pilot.press("ctrl+c")
        await until(lambda: terminal_text(tab).rstrip().endswith("#") and "^C" in terminal_text(tab),
                    message="sleep interrupted, a new prompt")
        await pilot.press("q")
        await until(lambda: terminal_lines(tab)[-1].endswith("# q") or any(text.endswith("# q") for text in terminal_lines(tab)),
                    message="q typed in the shell")
        assert app.is_running

    run(app, scenario)


def test_readonly_app_disables_exec_and_says_why(app_on, exec_core, exec_ns):
    running_pod(exec_core, exec_ns, "web", [("nginx", "nginx:1.25")])
    app = app_on(exec_ns, readonly=True)

    async def scenario(pilot):
        await until(lambda: "web" in shown_names(app), message="web in the table")
        await pilot.press("s")
        await until(lambda: any("--readonly" in str(n.message) for n in app._notifications), message="the reason")
        assert not exec_tabs(app)

    run(app, scenario)
