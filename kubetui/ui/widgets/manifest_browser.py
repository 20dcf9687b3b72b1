"""Where manifests come from: a "New" buffer, the bundled samples, and files under a directory.

Key decisions: directories are read one level at a time when expanded (a home directory never
blocks the UI), only `.yaml`, `.yml` and `.json` files and the directories that may hold them are
shown (hidden and tool directories skipped), and choosing an entry only posts
`ManifestBrowser.SourceChosen`; the panel reads the file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from textual.message import Message
from textual.widgets import Tree

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
SKIPPED_DIRECTORIES = {"node_modules", "__pycache__", "venv", "site-packages", "dist", "build"}
MAX_ENTRIES = 500  # per directory: more would only be noise in a side panel


@dataclass(frozen=True)
class ManifestSource:
    """An entry of the browser: kind is "new", "sample", "file" or "dir"; "object" is a manifest
    read from the cluster (a YAML tab's `E`), in no file yet."""

    kind: str
    name: str
    path: Path | None = None

    @property
    def label(self) -> str:
        if self.kind == "sample":
            return f"Samples/{self.name}"
        return "New" if self.kind == "new" else str(self.path or self.name)


def _display(directory: Path) -> str:
    """The directory as a person would type it: relative to here, or with ~ for home."""
    try:
        relative = directory.resolve().relative_to(Path.cwd().resolve())
        return f"./{relative}/" if str(relative) != "." else "./"
    except ValueError:
        home = Path.home()
        try:
            return f"~/{directory.resolve().relative_to(home)}/"
        except ValueError:
            return f"{directory}/"


def sample_names() -> list[str]:
    from importlib import resources

    folder = resources.files("kubetui.samples")
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(MANIFEST_SUFFIXES))


class ManifestBrowser(Tree[ManifestSource]):
    """New · Samples · the --manifests directory."""

    DEFAULT_CSS = """
    ManifestBrowser { height: 12; border: round $panel-lighten-2; padding: 0 1; }
    ManifestBrowser:focus { border: round $accent; }
    """

    class SourceChosen(Message):
        """The user picked a manifest to show in the editor."""

        def __init__(self, source: ManifestSource) -> None:
            super().__init__()
            self.source = source

    def __init__(self, directory: Path, *, id: str | None = None) -> None:
        super().__init__("manifests", id=id)
        self.directory = directory
        self.show_root = False
        self.guide_depth = 2

    def on_mount(self) -> None:
        self.root.add_leaf("New (paste or type a manifest)", ManifestSource("new", "New"))
        samples = self.root.add("Samples", ManifestSource("dir", "Samples"), expand=True)
        for name in sample_names():
            samples.add_leaf(name, ManifestSource("sample", name))
        folder = self.root.add(_display(self.directory), ManifestSource("dir", str(self.directory), self.directory),
                               expand=False)
        folder.allow_expand = True
        self._fill(folder)
        folder.expand()
        self.root.expand()

    def _fill(self, node) -> None:
        """List one directory under `node` (once)."""
        if node.children or node.data is None or node.data.path is None:
            return
        try:
            entries = sorted(os.scandir(node.data.path), key=lambda e: (not e.is_dir(), e.name.lower()))
        except OSError as exc:
            node.add_leaf(f"(cannot read: {exc.strerror or exc})")
            return
        shown = 0
        for entry in entries:
            if shown >= MAX_ENTRIES:
                node.add_leaf("… (more entries not shown)")
                break
            if entry.name.startswith(".") or entry.name in SKIPPED_DIRECTORIES:
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                child = node.add(entry.name + "/", ManifestSource("dir", entry.name, path), expand=False)
                child.allow_expand = True
                shown += 1
            elif entry.name.endswith(MANIFEST_SUFFIXES):
                node.add_leaf(entry.name, ManifestSource("file", entry.name, path))
                shown += 1
        if not shown:
            node.add_leaf("(no .yaml, .yml or .json files)")

    def on_tree_node_expanded(self, event: Tree.NodeExpanded) -> None:
        event.stop()
        self._fill(event.node)

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        source = event.node.data
        if source is not None and source.kind in ("new", "sample", "file"):
            self.post_message(self.SourceChosen(source))

    def reload_directory(self) -> None:
        """Read the manifests directory again (after a save added a file)."""
        for node in self.root.children:
            if node.data is not None and node.data.path == self.directory:
                node.remove_children()
                self._fill(node)
                node.expand()

    def select_sample(self, name: str) -> bool:
        """Move the cursor to a sample and choose it (tests, scripts); False if there is none."""
        for node in self.root.children:
            for child in node.children:
                if child.data is not None and child.data.kind == "sample" and child.data.name == name:
                    self.move_cursor(child)
                    self.post_message(self.SourceChosen(child.data))
                    return True
        return False
