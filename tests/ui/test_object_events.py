"""`v`: the events of the object under the cursor, as `kubectl events --for` prints them, live,
newest last, Warning rows coloured; Esc comes back."""

from __future__ import annotations

from inspect_harness import app_on, cursor_on, kubectl_on, seeded  # noqa: F401 (fixtures)
from pilot_helpers import pods_view, run_app, workspace

from kubetui.model.event_rows import EVENT_COLUMNS
from kubetui.ui.views import EventsView, PodsView, ResourcesView
from kubetui.ui.widgets.cluster_header import ClusterHeader
from tests.support.waiting import until

HEADERS = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]


def shown(app):
    return workspace(app).view


def rows(view) -> list[list[str]]:
    """The rows as drawn now, cells in column order."""
    table = view.table
    return [[table.cell(row, index, view.view.now) for index in range(len(EVENT_COLUMNS))]
            for row in (table.row(key) for key in table.visible_keys())]


def kubectl_rows(text: str) -> list[tuple[str, ...]]:
    """kubectl events' lines as (TYPE, REASON, OBJECT, MESSAGE), split at its header's columns."""
    lines = text.splitlines()
    header = lines[0]
    starts = [header.index(name) for name in HEADERS]
    return [tuple(line[start:end].strip() if end else line[start:].strip()
                  for start, end in zip(starts[1:], [*starts[2:], None])) for line in lines[1:]]


def test_v_on_a_pod_lists_its_events_as_kubectl_events_newest_last_warnings_coloured(app_on, kubectl_on):
    app = app_on()

    async def scenario(pilot):
        await until(lambda: (row := pods_view(app).table.row("default/sample-port-clash")) and row.restart_count > 1,
                    timeout=30, message="sample-port-clash in its crash loop")
        pods = pods_view(app)
        await cursor_on(pilot, app, "sample-port-clash")
        await pilot.press("v")
        view = await until(lambda: isinstance(shown(app), EventsView) and shown(app), message="the events view")
        await until(lambda: view.table.visible_count and view.table.cursor_index == view.table.visible_count - 1,
                    message="the events, the cursor on the newest")
        assert view.view.headers == HEADERS
        assert "pods › sample-port-clash › events" in workspace(app).query_one(ClusterHeader).render().plain

        # The same events as kubectl's, in its order (the newest last); the loop goes on meanwhile.
        for _ in range(10):
            expected = kubectl_rows(kubectl_on("events", "--for", "pod/sample-port-clash", "-n", "default"))
            if [tuple(cells[1:]) for cells in rows(view)] == expected:
                break
            await pilot.pause(0.5)
        assert [tuple(cells[1:]) for cells in rows(view)] == expected
        assert all(cells[3] == "Pod/sample-port-clash" for cells in rows(view))
        times = [view.table.row(key).created for key in view.table.visible_keys()]
        assert times == sorted(times)
        assert any("(x" in cells[0] and " over " in cells[0] for cells in rows(view))  # repeated: LAST (xN over FIRST)

        await pilot.press("g")  # the cursor on the oldest (a Normal one): the others are drawn in their tone
        assert rows(view)[0][1] == "Normal" and len(rows(view)) < 45  # all on screen
        warning = [i for i, cells in enumerate(rows(view)) if cells[1] == "Warning"]
        normal = [i for i, cells in enumerate(rows(view)) if cells[1] == "Normal" and i]
        colours = {i: list(view.view.render_line(i + 1))[0].style.color for i in warning + normal}
        assert warning and normal
        assert len({colours[i] for i in warning}) == 1 and len({colours[i] for i in normal}) == 1
        assert colours[warning[0]] != colours[normal[0]]

        await pilot.press("escape")
        await until(lambda: shown(app) is pods, message="back to the pods")

    run_app(app, scenario, size=(200, 50))


def test_v_on_a_deployment_lists_the_deployments_events(app_on):
    app = app_on()

    async def scenario(pilot):
        await pilot.press("colon", *"deploy", "enter")
        deployments = await until(lambda: isinstance(shown(app), ResourcesView) and shown(app),
                                  message="the deployments view")
        await until(lambda: deployments.table.select("default/sample-deployment"), message="the deployment")
        await pilot.press("v")
        view = await until(lambda: isinstance(shown(app), EventsView) and shown(app), message="the events view")
        await until(lambda: view.table.visible_count, message="its events")
        assert {cells[3] for cells in rows(view)} == {"Deployment/sample-deployment"}
        assert any(cells[2] == "ScalingReplicaSet" for cells in rows(view))
        await pilot.press("v")  # no events of events
        assert shown(app) is view
        await pilot.press("escape")
        await until(lambda: shown(app) is deployments, message="back to the deployments")
        assert not isinstance(shown(app), PodsView)

    run_app(app, scenario)
