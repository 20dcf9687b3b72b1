"""Where `l` works besides the pod table: a Deployment or ReplicaSet (all its pods by its selector,
new ones joining), a row of the containers view; and several log and exec tabs at once."""

from __future__ import annotations

from log_tab_support import (  # noqa: F401 (fixtures)
    log_app, log_cluster, log_ns, log_raw, log_tabs, open_logs, press_for_tab, rows, rows_say,
)
from pilot_helpers import pods_view, run_app, shown_names, workspace

from kubetui.ui.views import ContainersView, ResourcesView
from kubetui.ui.widgets.exec_tab import ExecTab
from tests.support.pods import pod_manifest, script_container
from tests.support.waiting import until

HELLO = 'echo "hello from $HOSTNAME"; sleep 3600'


def deployment(name: str, replicas: int) -> dict:
    labels = {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [script_container("app", HELLO)]}}}}


def hellos(shown: list[str]) -> set[str]:
    """Pod names that said hello, from `[pod/NAME/app] hello from NAME` lines."""
    found = set()
    for line in shown:
        if line.startswith("[pod/") and "] hello from " in line:
            prefix, _, said = line.partition("] hello from ")
            assert prefix == f"[pod/{said}/app", line
            found.add(said)
    return found


def test_l_on_a_deployment_follows_all_its_pods_and_new_ones_join(log_raw, log_ns, log_app):
    log_raw.json("POST", f"/apis/apps/v1/namespaces/{log_ns}/deployments", deployment("shop", 2), expect=201)
    app = log_app(log_ns)

    async def scenario(pilot):
        await pilot.press("colon", "d", "e", "p", "l", "o", "y", "enter")
        view = await until(lambda: isinstance(workspace(app).view, ResourcesView) and workspace(app).view,
                           message="the deployments view")
        await until(lambda: f"{log_ns}/shop" in view.table.visible_keys(), message="the deployment")
        view.table.select(f"{log_ns}/shop")
        tab = await press_for_tab(pilot, app, "l")
        area = workspace(app).sessions
        assert str(area.get_tab(area.active).label) == "log deploy/shop"
        first = await rows_say(tab, lambda shown: len(hellos(shown)) == 2, "both pods", timeout=30)
        assert "deploy/shop (app=shop)" in tab.status_text()

        log_raw.json("PATCH", f"/apis/apps/v1/namespaces/{log_ns}/deployments/shop", {"spec": {"replicas": 3}},
                     headers={"Content-Type": "application/merge-patch+json"}, expect=200)
        shown = await rows_say(tab, lambda shown: len(hellos(shown)) == 3, "the new pod joining", timeout=30)
        assert hellos(first) < hellos(shown)

    run_app(app, scenario)


def test_l_on_a_row_of_the_containers_view_follows_that_container(log_raw, log_ns, log_app):
    log_raw.create_pod(log_ns, pod_manifest("two", script_container("first", "echo from first; sleep 3600"),
                                            script_container("second", "echo from second; sleep 3600")))
    app = log_app(log_ns)

    async def scenario(pilot):
        pods = pods_view(app)
        await until(lambda: "two" in shown_names(app), message="the pod")
        pods.table.select(f"{log_ns}/two")
        await pilot.press("enter")
        containers = await until(lambda: isinstance(workspace(app).view, ContainersView) and workspace(app).view,
                                 message="the containers view")
        await until(lambda: len(containers.table.rows_shown) == 2, message="two rows")
        containers.table.move_cursor(row=1)  # second
        tab = await press_for_tab(pilot, app, "l")
        await rows_say(tab, lambda shown: [line for line in shown if line] == ["from second"], "the second container")
        assert "two/second" in tab.status_text()

        await pilot.press("escape")  # back to the view it came from, still the containers
        await until(lambda: workspace(app).sessions.active == "dashboard", message="the views tab")
        assert workspace(app).view is containers

    run_app(app, scenario)


def test_several_log_tabs_and_an_exec_tab_at_once(log_raw, log_ns, log_app):
    log_raw.create_pod(log_ns, pod_manifest("one", script_container("app", "echo I am one; sleep 3600")))
    log_raw.create_pod(log_ns, pod_manifest("two", script_container("app", "echo I am two; sleep 3600")))
    app = log_app(log_ns)

    async def scenario(pilot):
        first = await open_logs(pilot, app, "one")
        await pilot.press("escape")
        second = await open_logs(pilot, app, "two")
        await pilot.press("escape")
        again = await open_logs(pilot, app, "one")  # a second tab on the same container
        await pilot.press("escape")
        pods = pods_view(app)
        pods.table.select(f"{log_ns}/two")
        await pilot.press("s")
        shell = await until(lambda: list(app.screen.query(ExecTab)), message="an exec tab")
        await until(lambda: shell[0].session is not None, message="the shell")
        for tab, said in [(first, b"I am one"), (second, b"I am two"), (again, b"I am one")]:  # behind the shell
            await until(lambda: said in tab.view.snapshot(), message=f"{said!r} read")
        area = workspace(app).sessions
        labels = [str(area.get_tab(pane.id).label) for pane in area.query("TabPane")][1:]
        assert labels == ["log one/app", "log two/app", "log one/app (2)", "two/app"]
        assert len(log_tabs(app)) == 3

        await pilot.press("ctrl+right_square_bracket")  # out of the shell, to the tab bar
        await pilot.press("left_square_bracket")
        await until(lambda: area.active_session() is again, message="the previous tab")
        await rows_say(again, lambda shown: "I am one" in shown, "the third tab shown")
        await pilot.press("x")  # hang up that log tab: the others stay
        await until(lambda: len(log_tabs(app)) == 2, message="one log tab closed")
        assert again.follower is None

    run_app(app, scenario)
