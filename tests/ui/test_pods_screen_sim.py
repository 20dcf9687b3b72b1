"""Pods that really start, crash and fail to pull (the simulated kubelet), coloured as they go.

The session cluster runs no kubelet, so this module starts its own, with simulated time 20x
faster so back-offs come quickly.
"""

from __future__ import annotations

from pilot_helpers import pods_view, run_app, workspace

from kubetui.kube.contexts import connect
from kubetui.ui.app import KubetuiApp
from kubetui.ui.widgets.pod_table import PodTableView
from tests.support.clusters import cluster_fixture
from tests.support.pods import container, pod_manifest, sleeper
from tests.support.waiting import until

PODS = {
    "runner": sleeper(),
    "crasher": container("app", "busybox"),  # a shell with no stdin exits 0 at once, then backs off
    "puller": container("app", "nginx:doesnotexist"),
}
EXPECTED = {  # status -> the colour that must dominate its cell
    "runner": {"Running": "green"},
    "crasher": {"CrashLoopBackOff": "red"},
    "puller": {"ErrImagePull": "red", "ImagePullBackOff": "red"},
}


sim_cluster = cluster_fixture(time_scale=20.0)


def dominant(color) -> str:
    red, green, blue = color.get_truecolor()
    return "green" if green > max(red, blue) else "red" if red > max(green, blue) else "other"


def test_status_cells_are_coloured_as_pods_start_crash_and_fail(sim_cluster, tmp_path):
    for name, app_container in PODS.items():
        sim_cluster.raw.create_pod("default", pod_manifest(name, app_container))
    conn = connect(str(sim_cluster.kubeconfig), None, "default")
    app = KubetuiApp(conn)

    async def scenario(pilot):
        screen, pods = workspace(app), pods_view(app)
        view = screen.query_one(PodTableView)

        def status_of(name):
            row = pods.table.row(f"default/{name}")
            return row.status if row else None

        for name, statuses in EXPECTED.items():
            await until(lambda: status_of(name) in statuses, timeout=60, message=f"{name} in {set(statuses)}")
        for name, statuses in EXPECTED.items():  # the cursor row keeps its cell colours too
            status = status_of(name)
            if status not in statuses:  # it moved on (e.g. a back-off ended); wait for it again
                await until(lambda: status_of(name) in statuses, timeout=60, message=f"{name} again")
                status = status_of(name)
            line = view.render_line(pods.table.index_of(f"default/{name}") + 1)
            segment = next(seg for seg in line if seg.text.strip() == status)
            assert dominant(segment.style.color) == statuses[status], (name, status, segment.style)

    try:
        run_app(app, scenario)
    finally:
        conn.close()
