"""Every action done with keys shows its kubectl command in the status line, and ctrl+y copies the
last one. On a seeded local cluster with its controllers and kubelets (so logs, shells and scale
work), in the context's own namespace, so the lines carry no `-n` unless the view shows another.
"""

from __future__ import annotations

import shlex
import subprocess

import pytest
from pilot_helpers import run_app, screen_text, workspace
from tests.support.waiting import until

from textual.widgets import Checkbox, Input, OptionList

from kubetui.kube.contexts import connect
from kubetui.localcluster import ClusterOptions, LocalCluster
from kubetui.ui.app import KubetuiApp
from kubetui.ui.screens.confirm_action import ConfirmAction
from kubetui.ui.screens.confirm_delete import ConfirmDelete
from kubetui.ui.screens.context_picker import ContextPicker
from kubetui.ui.screens.exec_command import CommandResultScreen, ExecCommandDialog
from kubetui.ui.screens.help import HelpScreen
from kubetui.ui.screens.namespace_picker import NamespacePicker
from kubetui.ui.screens.scale_dialog import ScaleDialog
from kubetui.ui.status_line import MIN_OLDER, StatusLine, widths
from kubetui.ui.views import EventsView, PodsView, ResourcesView
from kubetui.ui.widgets.exec_tab import ExecTab
from kubetui.ui.widgets.log_tab import LogTab
from kubetui.ui.widgets.manifest_browser import ManifestSource
from tests.support.clusters import KUBECTL


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    cluster = LocalCluster(ClusterOptions(port=0, seed=True, time_scale=20.0, bookmark_interval=0.5))
    cluster.start()
    path = cluster.write_kubeconfig(tmp_path_factory.mktemp("equivalents") / "config")
    yield cluster, path
    cluster.stop()


@pytest.fixture
def app_on(seeded, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # discovery's cache stays in the test
    apps = []

    def make(**flags):
        app = KubetuiApp(connect(str(seeded[1]), None, "default"), **flags)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.connection.close()


def shown(app):
    return workspace(app).view


def status(app) -> StatusLine:
    return workspace(app).query_one(StatusLine)


async def says(app, line: str) -> None:
    """The status line shows ``line`` as the last kubectl command, on screen."""
    await until(lambda: status(app).kubectl == line, message=f"the status line saying {line!r}")
    await until(lambda: f"≈ {line}" in status(app).render_line(0).text, message=f"{line!r} on screen")


async def on_row(pilot, app, view, name: str) -> str:
    """The cursor on the row named ``name`` (or, for `name-`, the first whose name starts so)."""
    def found():
        return next((key for key in view.table.visible_keys()
                     if (key.split("/", 1)[1].startswith(name) if name.endswith("-") else key.endswith(f"/{name}"))),
                    None)

    key = await until(found, timeout=30, message=f"{name} in the table")
    view.table.select(key)
    view.focus_content()
    return key.split("/", 1)[1]


async def back_to_views(pilot, app, view) -> None:
    await pilot.press("escape")
    await until(lambda: shown(app) is view and workspace(app).sessions.active == "dashboard",
                message="the views again")
    view.focus_content()


async def open_kind(pilot, app, text: str, kind):
    await pilot.press("colon", *text, "enter")
    return await until(lambda: isinstance(shown(app), kind) and shown(app), message=f"the {text} view")


def test_reading_keys_show_their_kubectl_and_ctrl_y_copies_the_last(app_on):
    app = app_on()

    async def scenario(pilot):
        pods = shown(app)
        await pilot.press("ctrl+y")
        await until(lambda: "no kubectl command yet" in status(app).text, message="nothing to copy yet")
        await on_row(pilot, app, pods, "sample-pod")
        await pilot.press("d")
        await says(app, "kubectl describe pod sample-pod")
        await back_to_views(pilot, app, pods)
        await pilot.press("y")
        await says(app, "kubectl get pod sample-pod -o yaml")
        await back_to_views(pilot, app, pods)
        await pilot.press("v")
        await says(app, "kubectl events --for pod/sample-pod")
        await until(lambda: isinstance(shown(app), EventsView), message="the events view")
        await pilot.press("escape")
        await until(lambda: shown(app) is pods, message="back to the pods")

        await pilot.press("slash", *"-l tier=web", "enter")
        await says(app, "kubectl get pods -l tier=web")
        await pilot.press("escape")
        await says(app, "kubectl get pods")
        await pilot.press("n")
        picker = await until(lambda: isinstance(app.screen, NamespacePicker) and app.screen, message="the picker")
        options = picker.query_one(OptionList)
        await until(lambda: options.option_count > 2, message="namespaces listed")
        options.highlighted = [options.get_option_at_index(i).id for i in range(options.option_count)].index(
            "kube-system")
        await pilot.press("enter")
        await says(app, "kubectl get pods -n kube-system")
        await pilot.press("0")
        await says(app, "kubectl get pods -A")

        await pilot.press("ctrl+y")
        await until(lambda: app.clipboard == "kubectl get pods -A", message="the line in the clipboard")
        await until(lambda: "copied: kubectl get pods -A" in screen_text(app), message="said so")

    run_app(app, scenario)


def test_logs_and_a_shell_show_theirs_and_ctrl_y_in_the_terminal_is_the_shells(app_on):
    app = app_on()

    async def scenario(pilot):
        pods = shown(app)
        await on_row(pilot, app, pods, "sample-pod")
        await pilot.press("l")
        await says(app, "kubectl logs -f sample-pod -c nginx-container --tail=1000")
        tab = await until(lambda: app.query(LogTab).first(), message="the log tab")
        await until(lambda: tab.view.has_focus, message="the log tab focused")
        await pilot.press("p")
        await says(app, "kubectl logs -f -p sample-pod -c nginx-container --tail=1000")
        await back_to_views(pilot, app, pods)

        await pilot.press("e")
        dialog = await until(lambda: isinstance(app.screen, ExecCommandDialog) and app.screen, message="the dialog")
        dialog.query_one(Checkbox).value = False  # run once, no TTY
        dialog.query_one(Input).value = "-- /bin/ls -l"
        await pilot.press("enter")
        await says(app, "kubectl exec sample-pod -c nginx-container -- /bin/ls -l")
        await until(lambda: isinstance(app.screen, CommandResultScreen), message="the result")
        await pilot.press("escape")
        await until(lambda: not isinstance(app.screen, CommandResultScreen), message="the result closed")
        pods.focus_content()

        await pilot.press("s")
        await until(lambda: status(app).kubectl.startswith("kubectl exec -it sample-pod -c nginx-container -- /bin/"),
                    timeout=30, message="the shell's line")
        shell = status(app).kubectl
        assert shell.split(" -- ")[1] in ("/bin/bash", "/bin/sh")  # the one that started
        terminal = await until(lambda: app.query(ExecTab).first().view, message="the terminal")
        await until(lambda: terminal.has_focus, message="the terminal focused")
        await pilot.press("ctrl+y")  # readline's yank: the remote shell's
        await pilot.press("ctrl+right_square_bracket", "ctrl+y")
        await until(lambda: app.clipboard == shell, message="the shell's line copied")
        for tab in app.query(ExecTab):
            tab.close_session()

    run_app(app, scenario)


def test_actions_views_and_a_context_switch_show_theirs(app_on, seeded):
    app = app_on()

    async def scenario(pilot):
        deployments = await open_kind(pilot, app, "deploy", ResourcesView)
        await says(app, "kubectl get deployments")
        await pilot.press("ctrl+w")
        await says(app, "kubectl get deployments -o wide")
        await on_row(pilot, app, deployments, "sample-deployment")
        await pilot.press("r")
        await says(app, "kubectl rollout restart deployment/sample-deployment")

        replicasets = await open_kind(pilot, app, "rs", ResourcesView)
        await says(app, "kubectl get replicasets")
        await on_row(pilot, app, replicasets, "sample-replicaset")
        await pilot.press("s")
        await until(lambda: isinstance(app.screen, ScaleDialog), message="the scale dialog")
        await pilot.press("backspace", "2", "enter")
        await says(app, "kubectl scale replicaset/sample-replicaset --replicas=2")
        await until(lambda: "replicaset.apps/sample-replicaset scaled" in status(app).text, message="done")
        again = subprocess.run([KUBECTL, "--kubeconfig", str(seeded[1]), *shlex.split(status(app).kubectl)[1:]],
                               capture_output=True, text=True, timeout=60)
        assert (again.returncode, again.stdout) == (0, "replicaset.apps/sample-replicaset scaled\n"), again.stderr

        pods = await open_kind(pilot, app, "pods", PodsView)
        await says(app, "kubectl get pods")
        victim = await on_row(pilot, app, pods, "sample-replicaset-")  # its ReplicaSet replaces it
        await pilot.press("ctrl+k")
        await until(lambda: isinstance(app.screen, ConfirmAction), message="the confirmation")
        await pilot.press("y")
        await says(app, f"kubectl delete pod {victim} --grace-period=0 --force")

        await pilot.press("c")
        picker = await until(lambda: isinstance(app.screen, ContextPicker) and app.screen, message="the picker")
        picker.query_one(OptionList).highlighted = 1
        await pilot.press("enter")
        await says(app, "kubectl config use-context kubetui-local-viewer")
        # kubectl's own current context is still the first one: later lines name this one
        await open_kind(pilot, app, "deploy", ResourcesView)
        await says(app, "kubectl get deployments --context kubetui-local-viewer")

    run_app(app, scenario)


def test_the_apply_dock_shows_the_file_or_standard_input(app_on, tmp_path, monkeypatch):
    folder = tmp_path / "manifests"
    folder.mkdir()
    (folder / "settings.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: equiv-settings\n")
    monkeypatch.chdir(folder)  # `-f` names the file as typed from here
    app = app_on(manifests_dir=folder)

    async def scenario(pilot):
        await pilot.press("a")
        dock = workspace(app).dock
        await until(lambda: dock.is_open, message="the dock open")
        dock.load(ManifestSource("file", "settings.yaml", folder / "settings.yaml"))
        await pilot.press("f2")
        await says(app, "kubectl apply --server-side -f settings.yaml --dry-run=server")
        await pilot.press("f3")
        await says(app, "kubectl apply --server-side -f settings.yaml")
        dock.editor.load_text(dock.editor.text + "data:\n  mode: edited\n")
        await pilot.press("f2")
        await says(app, "kubectl apply --server-side -f - --dry-run=server")
        dock.load(ManifestSource("file", "settings.yaml", folder / "settings.yaml"))
        await pilot.press("f8")
        await until(lambda: isinstance(app.screen, ConfirmDelete), message="the confirmation")
        await pilot.press("y")
        await says(app, "kubectl delete -f settings.yaml")

    run_app(app, scenario)


def test_readonly_refusals_show_no_command_and_help_names_ctrl_y(app_on):
    app = app_on(readonly=True)

    async def scenario(pilot):
        pods = shown(app)
        await on_row(pilot, app, pods, "sample-pod")
        await pilot.press("ctrl+d")
        await until(lambda: "--readonly" in status(app).text, message="the delete refused")
        await pilot.press("s")
        await until(lambda: "exec is disabled" in status(app).text, message="the shell refused")
        await pilot.press("ctrl+y")
        await until(lambda: "no kubectl command yet" in status(app).text, message="nothing to copy")
        assert status(app).kubectl == "" and app.clipboard == ""
        await pilot.press("question_mark")
        shown_help = await until(lambda: isinstance(app.screen, HelpScreen) and app.screen, message="help")
        assert dict(shown_help._rows)["ctrl+y"] == "Copy the last kubectl equivalent"
        await pilot.press("escape")

    run_app(app, scenario)


@pytest.mark.parametrize("message, kubectl, kubectl_newer, expected", [
    (30, 40, True, (30, 40)),   # both fit in 78 cells
    (60, 40, True, (35, 40)),   # the command newer and whole; the message gets what is left
    (40, 60, False, (40, 35)),  # the message newer and whole; the command gets what is left
    (70, 40, False, (70, 0)),   # too little left to read: left out
    (0, 90, True, (0, 78)),     # alone and too long: cut
])
def test_the_newer_part_is_shown_whole(message, kubectl, kubectl_newer, expected):
    assert widths(message, kubectl, kubectl_newer, 78) == expected
    assert min(w for w in expected if w) >= MIN_OLDER
