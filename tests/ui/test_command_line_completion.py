"""Completion and history on the `:` line, in the app on a seeded cluster.

Tab completes verbs, types, flags, names from the live views or from the server, containers of
the named pod, namespaces, contexts and files; the candidates show above the line as you type.
↑/↓ walk the history, ctrl+r searches it, and it is kept across runs without secrets.
"""

from __future__ import annotations

from command_line_support import app_on, hints, running, seeded, type_line  # noqa: F401
from pilot_helpers import run_app, workspace
from tests.support.waiting import until

from kubetui.ui.command_line.history_file import default_history_path


async def tab(pilot, line: str, *, wait_for: str | None = None) -> str:
    """Type ``line`` on a fresh `:` line, wait for ``wait_for`` among the candidates, press Tab;
    the line afterwards."""
    command_line = workspace(pilot.app).command_line
    if command_line.is_open:
        await pilot.press("escape")
    await type_line(pilot, line)
    if wait_for:
        await until(lambda: wait_for in hints(pilot.app), message=f"{wait_for} among the candidates")
    await pilot.press("tab")
    return command_line.input.value


def test_tab_completes_each_kind_of_word(app_on):
    app = app_on()
    (app_on.manifests / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")

    async def scenario(pilot):
        await running(pilot)
        command_line = workspace(app).command_line
        assert await tab(pilot, "ge") == "get "
        assert await tab(pilot, "kubectl get dep", wait_for="deployments") == "kubectl get deploy"
        await pilot.press("tab")  # nothing more is shared: Tab cycles through the candidates
        assert command_line.input.value == "kubectl get deployments"
        assert await tab(pilot, "get pods --all-n") == "get pods --all-namespaces "
        assert await tab(pilot, "exec -it sample-2") == "exec -it sample-2pod "  # the live pods view
        assert await tab(pilot, "exec sample-2pod -c r", wait_for="redis-container") == \
            "exec sample-2pod -c redis-container "  # the pod's containers, from the server
        assert await tab(pilot, "describe deploy sample-d", wait_for="sample-deployment") == \
            "describe deploy sample-deployment "  # no deployments view: the server's names
        assert await tab(pilot, "get pods -n kube-s", wait_for="kube-system") == "get pods -n kube-system "
        assert await tab(pilot, "config use-context kubetui-local-v") == "config use-context kubetui-local-viewer "
        assert await tab(pilot, "apply -f c") == "apply -f cm.yaml "

        await pilot.press("escape")
        await type_line(pilot, "logs sample-p")  # suggestions as you type, before any Tab
        await until(lambda: "sample-pod" in hints(app) and "sample-port-clash" in hints(app), message="the pods")
        # the first one in grey after the cursor; → takes it
        await until(lambda: command_line.input._suggestion == "logs sample-pod", message="the grey suggestion")
        await pilot.press("right")
        assert command_line.input.value == "logs sample-pod"

    run_app(app, scenario)


def test_history_walks_searches_and_outlives_the_app_without_secrets(app_on):
    first = app_on()
    lines = ["get pods sample-pod -o name", "get deploy -o name --token=s3cret", "describe pod sample-pod"]

    async def use(pilot):
        await running(pilot)
        command_line = workspace(first).command_line
        for line in lines:
            await type_line(pilot, line)
            await pilot.press("enter")
            await until(lambda: not command_line.is_open or "--token" in command_line.input.value,
                        message="run or refused")
            if command_line.is_open:
                await pilot.press("escape")
        await pilot.press("colon")
        await pilot.press("up")
        assert command_line.input.value == "describe pod sample-pod"
        await pilot.press("up")
        assert command_line.input.value == "get deploy -o name"  # the token was never kept
        await pilot.press("down", "down")
        assert command_line.input.value == ""
        await pilot.press("ctrl+r", *"sample-pod -o")
        await until(lambda: "get pods sample-pod -o name" in hints(first), message="the match")
        await pilot.press("tab")
        assert command_line.input.value == "get pods sample-pod -o name"

    run_app(first, use)
    kept = default_history_path().read_text()
    assert kept.splitlines() == ["get pods sample-pod -o name", "get deploy -o name", "describe pod sample-pod"]
    assert "s3cret" not in kept

    second = app_on()

    async def again(pilot):
        await running(pilot)
        await pilot.press("colon", "up")
        assert workspace(second).command_line.input.value == "describe pod sample-pod"

    run_app(second, again)
