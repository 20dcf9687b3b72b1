"""Every key of the main screen is documented: in the help screen and in the README's Keys section.

The main screen's keys are those of its pieces: the workspace, every resource view (pods, any
kind, containers) and its table, the dialogs of the views' actions (delete/kill, scale), the
sessions area, the apply dock, and the app."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kubetui.ui.app import KubetuiApp
from kubetui.ui.apply_dock import ApplyDock
from kubetui.ui.screens.confirm_action import ConfirmAction
from kubetui.ui.key_names import one_key_label
from kubetui.ui.screens.scale_dialog import ScaleDialog
from kubetui.ui.sessions import SessionsArea
from kubetui.ui.views import VIEWS
from kubetui.ui.widgets.container_table import ContainerTable
from kubetui.ui.widgets.pod_table import PodTableView
from kubetui.ui.widgets.resource_table import ResourceTableView
from kubetui.ui.workspace import WorkspaceScreen

README = Path(__file__).resolve().parents[2] / "README.md"
VIEW_TABLES = [PodTableView, ResourceTableView, ContainerTable]  # the widget that has the focus in each view
BINDING_LISTS = [WorkspaceScreen.BINDINGS, *(view.BINDINGS for view in VIEWS.values()),
                 *(table.BINDINGS for table in VIEW_TABLES), ConfirmAction.BINDINGS, ScaleDialog.BINDINGS,
                 SessionsArea.BINDINGS, ApplyDock.BINDINGS, KubetuiApp.BINDINGS]
ALL_BINDINGS = [binding for bindings in BINDING_LISTS for binding in bindings]
K9S_KEYS = ["j", "k", "down", "up", "g", "G", "pagedown", "pageup", "slash", "escape",
            "N", "A", "S", "R", "n", "0", "c", "question_mark", "q", "ctrl+c"]


def keys_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Keys")
    end = text.find("\n## ", start + 1)
    return text[start: end if end != -1 else None]


def bound_keys() -> set[str]:
    return {key for binding in ALL_BINDINGS for key in binding.key.split(",")}


def test_the_k9s_keys_are_all_bound():
    assert set(K9S_KEYS) <= bound_keys()


@pytest.mark.parametrize("key", sorted(bound_keys()))
def test_readme_documents_every_bound_key(key):
    section = keys_section()
    spellings = {key, one_key_label(key)}
    assert any(f"`{spelling}`" in section for spelling in spellings), f"{key} is not in README's Keys section"


def test_every_action_has_a_description_for_the_help():
    undescribed = [binding.action for binding in ALL_BINDINGS
                   if not binding.description or re.fullmatch(r"[a-z_]+(\(.*\))?", binding.description)]
    assert not undescribed


@pytest.mark.parametrize(("key", "label"), [("N", "shift+n"), ("shift+n", "shift+n"), ("slash", "/"), ("down", "↓"),
                                            ("G", "shift+g"), ("end", "End"), ("right_square_bracket", "]"),
                                            ("left_square_bracket", "["), ("less_than_sign", "<"),
                                            ("greater_than_sign", ">"), ("ctrl+right_square_bracket", "ctrl+]"),
                                            ("question_mark", "?"), ("escape", "Esc"), ("f2", "F2")])
def test_key_labels(key, label):
    assert one_key_label(key) == label
