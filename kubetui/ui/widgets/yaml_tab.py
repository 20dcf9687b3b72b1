"""`YamlTab`: an object as `kubectl get -o yaml` prints it, live, with its keys: managed fields,
save, edit.

Key decisions: managedFields are hidden by default, as kubectl hides them; `m` shows them (the
object last read is printed again, with no request). `ctrl+s` writes the text shown to a new file in the
manifests directory (never over an existing one) and says where. `E` asks the workspace to put
the object in the apply dock's editor without what the server writes, ready for a dry run: the
manifest is made from the last object read, in a worker, by the callable the session kind
handed in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from textual.binding import Binding
from textual.message import Message

from kubetui.ui.widgets.inspect_tab import InspectTab, Page
from kubetui.ui.workers import run_guarded

__all__ = ["YamlTab"]


class YamlTab(InspectTab):
    BINDINGS = [
        Binding("m", "toggle_managed", "Managed fields"),
        Binding("ctrl+s", "save", "Save to a file"),
        Binding("E,shift+e", "edit", "Edit in the apply panel"),
    ]

    class EditRequested(Message):
        """Put ``text`` (a manifest) in the apply dock's editor, to be saved as ``file_name``."""

        def __init__(self, text: str, file_name: str) -> None:
            super().__init__()
            self.text, self.file_name = text, file_name

    def __init__(self, subject: str, follow: Callable[..., Any], page: Callable[[dict, bool], Page],
                 manifest: Callable[[dict], str], *, file_stem: str, directory: Path, **options) -> None:
        super().__init__(subject, "yaml", follow, _the_object, lambda obj, _now: page(obj, self.managed_fields),
                         **options)
        self.manifest = manifest
        self.file_stem = file_stem  # "pod-web": the file is pod-web.yaml (or pod-web-1.yaml, ...)
        self.directory = directory
        self.managed_fields = False

    def extra_status(self) -> str:
        return " · managed fields shown (m hides)" if self.managed_fields else " · m shows managed fields"

    def action_toggle_managed(self) -> None:
        self.managed_fields = not self.managed_fields
        self._update_status()
        self.relayout()

    def action_save(self) -> None:
        if self.page is None:
            self.notify("nothing read yet to save", title="Not saved", severity="warning")
            return
        target = _free_path(self.directory, self.file_stem)
        try:
            target.write_text(self.page.text, encoding="utf-8")
        except OSError as exc:
            self.notify(f"cannot save {target}: {exc.strerror or exc}", title="Not saved", severity="error")
            return
        self.notify(f"saved {target}", title="Saved")

    def action_edit(self) -> None:
        if self.page is None or not isinstance(self.page.data, dict):
            self.notify("nothing read yet to edit", title="Edit", severity="warning")
            return
        obj, name = self.page.data, f"{self.file_stem}.yaml"
        run_guarded(self, lambda: self.post_message(self.EditRequested(self.manifest(obj), name)), group="yaml-edit")


def _the_object(followed: Any) -> dict:
    """What a YAML page is made of: the object as its watch read it (no other request)."""
    return followed.obj


def _free_path(directory: Path, stem: str) -> Path:
    candidate, number = directory / f"{stem}.yaml", 1
    while candidate.exists():
        candidate, number = directory / f"{stem}-{number}.yaml", number + 1
    return candidate
