"""The `:` line's commands on manifest files: `apply -f` (the apply panel on those files, with
the plan) and the reading `delete -f` shares with it.

Key decisions: the files go into the apply panel, which is what applies them (its plan, its
confirmation by F3, its all-or-nothing); the focus goes to the panel's results, where the plan
shows, so F3 applies from there and `:` opens the next command. Relative `-f` paths are read
from the manifests directory (`--manifests`, the current directory by default); a bare file
name found nowhere there but among the study notes' samples shipped with kubetui is read from
those (the panel's "Samples"), so the notes' `apply -f sample-pod.yaml` works in `kubetui
demo` wherever it was started. Files are read in a thread worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kubetui.errors import KubetuiError
from kubetui.model.kubectl_grammar import ApplyRequest

__all__ = ["apply", "open_in_panel", "read_files"]

_MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


def read_files(names: tuple[str, ...], recursive: bool, base: Path) -> list[tuple[str, str, Path | None]]:
    """(label, text, path or None for a shipped sample) of each manifest, directories expanded."""
    from importlib import resources

    from kubetui.commands.apply import read_sources

    found: list[tuple[str, str, Path | None]] = []
    for name in names:
        if name == "-":
            raise KubetuiError('error: "-f -" reads stdin, which kubetui\'s command line does not have',
                               "No stdin")
        path = Path(name).expanduser()
        path = path if path.is_absolute() else base / path
        sample = resources.files("kubetui.samples").joinpath(name)
        if not path.exists() and "/" not in name and name.endswith(_MANIFEST_SUFFIXES) and sample.is_file():
            found.append((f"Samples/{name}", sample.read_text(encoding="utf-8"), None))
            continue
        try:
            sources = read_sources([str(path)], recursive)
        except KubetuiError as problem:
            raise KubetuiError(f"error: {problem.message.replace(str(path), name)}", problem.title) from None
        found += [(source, text, Path(source)) for source, text in sources]
    return found


async def open_in_panel(runner: Any, files: list[tuple[str, str, Path | None]], namespace: str | None) -> Any:
    """The apply panel, open, with ``files`` in its editor (one file as itself, several joined)."""
    from kubetui.ui.widgets.manifest_browser import ManifestSource

    dock = await runner.screen.built_dock()
    if namespace:
        dock.views_namespace = namespace
    dock.add_class("-open")
    if len(files) == 1:
        label, _text, path = files[0]
        source = ManifestSource("sample", label.split("/", 1)[1]) if path is None else \
            ManifestSource("file", path.name, path)
        dock.load(source)
    else:
        text = "\n---\n".join(text.rstrip("\n") for _label, text, _path in files) + "\n"
        first = Path(files[0][0]).stem
        dock.load_manifest_text(text, f"{first}-and-{len(files) - 1}-more.yaml")
    # the results, where the plan shows: F3 applies from there, and `:` opens the next command
    runner.screen.set_focus(dock.results)
    return dock


def apply(runner: Any, request: ApplyRequest, line: str) -> None:
    base = Path(runner.app.manifests_dir)

    async def then(files: list[tuple[str, str, Path | None]]) -> None:
        dock = await open_in_panel(runner, files, request.namespace)
        if request.force_conflicts:
            dock.query_one("#apply-force").value = True
        if request.dry_run != "client":  # client: the panel's local check is kubectl's client dry run
            dock.action_check()

    runner.in_thread(lambda: read_files(request.filenames, request.recursive, base), then)
