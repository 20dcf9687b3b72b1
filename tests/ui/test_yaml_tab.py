"""`y`: a tab with the object as `kubectl get -o yaml` prints it, live; `m` shows managedFields,
`ctrl+s` saves it in the manifests directory, `E` puts it in the apply dock without what the
server writes, ready for a dry run."""

from __future__ import annotations

import re

from inspect_harness import app_on, cursor_on, kubectl_on, new_tab, seeded  # noqa: F401 (fixtures)
from pilot_helpers import apply_dock, run_app, screen_text

from kubetui.ui.widgets.yaml_tab import YamlTab
from tests.support.waiting import until


def test_y_shows_the_pod_as_kubectl_get_o_yaml_and_m_shows_managed_fields(app_on, kubectl_on):
    app = app_on()

    async def scenario(pilot):
        await cursor_on(pilot, app, "sample-pod")
        tab = await new_tab(pilot, app, "y", YamlTab)
        text = tab.view.text
        assert text.startswith("apiVersion: v1\nkind: Pod\nmetadata:\n")
        assert "managedFields" not in text and "name: sample-pod" in text
        assert tab.view.spans  # coloured as YAML

        # kubectl's text of the same object (should it change, the watch brings the change)
        expected = ""

        def agrees() -> bool:
            nonlocal expected
            expected = kubectl_on("get", "pod", "sample-pod", "-n", "default", "-o", "yaml")
            return tab.view.text + "\n" == expected

        await until(agrees, message="kubectl's YAML")

        kubectl_on("label", "pod", "sample-pod", "-n", "default", "looked-at=yes")  # by watch, not by polling
        await until(lambda: '    looked-at: "yes"\n' in tab.view.text, timeout=10, message="the new label")
        await until(agrees, message="kubectl's YAML after the change")
        assert "live, updated" in tab.status_text

        await pilot.press("m")
        await until(lambda: "  managedFields:\n" in tab.view.text, message="managedFields shown")
        assert "managed fields shown" in tab.status_text
        await pilot.press("m")
        await until(lambda: "managedFields" not in tab.view.text, message="managedFields hidden again")

    run_app(app, scenario)


def test_ctrl_s_saves_the_yaml_in_the_manifests_directory_and_says_where(app_on, tmp_path):
    app = app_on(manifests_dir=tmp_path)

    async def scenario(pilot):
        await cursor_on(pilot, app, "sample-pod")
        tab = await new_tab(pilot, app, "y", YamlTab)
        await pilot.press("ctrl+s")
        saved = tmp_path / "pod-sample-pod.yaml"
        await until(lambda: f"saved {saved}" in screen_text(app), message="where it was saved")
        assert saved.read_text(encoding="utf-8") == tab.page.text
        await pilot.press("ctrl+s")  # never over an existing file
        await until(lambda: (tmp_path / "pod-sample-pod-1.yaml").exists(), message="a second file")

    run_app(app, scenario)


def test_shift_e_puts_the_object_in_the_apply_editor_without_server_fields_ready_for_a_dry_run(app_on):
    app = app_on()

    async def scenario(pilot):
        await cursor_on(pilot, app, "sample-pod")
        await new_tab(pilot, app, "y", YamlTab)
        await pilot.press("E")
        dock = apply_dock(app)
        await until(lambda: dock.is_open and "name: sample-pod" in dock.editor.text, message="the editor")
        text = dock.editor.text
        assert text.startswith("apiVersion: v1\nkind: Pod\nmetadata:\n")
        for field in ("status:", "uid:", "resourceVersion:", "managedFields", "creationTimestamp:", "generation:",
                      "selfLink:"):
            assert field not in text, field
        assert "  containers:\n" in text
        assert app.focused is dock.editor
        assert "pod-sample-pod.yaml" in screen_text(app)
        await pilot.press("f2")  # the dry run: nothing to change
        await until(lambda: "unchanged" in screen_text(app), timeout=30, message="the dry run's plan")

    run_app(app, scenario)


def test_help_lists_the_inspect_keys_on_the_pods_and_in_a_yaml_tab(app_on):
    app = app_on()

    async def scenario(pilot):
        await cursor_on(pilot, app, "sample-pod")
        await pilot.press("question_mark")
        await until(lambda: "Keys here" in screen_text(app), message="the help")
        text = screen_text(app)
        for key, words in (("d", "Describe"), ("y", "YAML"), ("v", "Events")):
            assert re.search(rf"\b{key}\s+{words}\b", text), (key, words)
        await pilot.press("escape")
        await new_tab(pilot, app, "y", YamlTab)
        await pilot.press("question_mark")
        await until(lambda: "Keys here" in screen_text(app), message="the help")
        text = screen_text(app)
        for key, words in (("m", "Managed fields"), ("ctrl\\+s", "Save to a file"),
                           ("shift\\+e", "Edit in the apply panel"), ("/", "Search"), ("n", "Next match"),
                           ("shift\\+n", "Previous match"), ("Esc", "Back to the views")):
            assert re.search(rf"{key}\s+{words}", text), (key, words)
        await pilot.press("escape")

    run_app(app, scenario)
