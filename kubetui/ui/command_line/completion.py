"""Candidates for the word under the cursor of the `:` line.

Key decisions: what the word is comes from the grammar (`kubectl_grammar.completion_context`);
this module only fills in the names that live elsewhere. Object names come first from the live
views (their rows are in memory, up to date), else from the server; containers of the named pod,
namespaces and object names the views do not hold are fetched in a thread worker and kept for
a few seconds, and `on_update` is called when they arrive, so the suggestions appear without
a second Tab. Files are listed relative to the manifests directory (`-f` reads from there).
Nothing here blocks the UI loop. The grammar is loaded by the first completion (at the first
`:`), not with the app: it is a sixteenth of a second of the start.
"""

from __future__ import annotations

import os
import shlex
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from kubetui.ui.workers import run_guarded

if TYPE_CHECKING:
    from kubetui.model.kubectl_grammar import Completing, CompletionContext, ResourceTable
    from kubetui.model.resource_names import ApiResource

__all__ = ["Completion", "Completions"]

FRESH_SECONDS = 10.0
MAX_FILES = 300
_MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Completion:
    start: int                    # the typed part is line[start:cursor]
    end: int
    typed: str
    candidates: tuple[str, ...]
    kind: Completing
    pending: bool = False         # more names are being fetched

    def replacement(self, candidate: str) -> str:
        """The candidate as it goes into the line: quoted if needed, a space after a whole word
        (not after a directory, a `TYPE/` or a flag that takes its value after `=`)."""
        text = candidate if _plain(candidate) else shlex.quote(candidate)
        if candidate.endswith(("/", "=")):
            return text
        return text + " "


def _plain(text: str) -> bool:
    return all(ch.isalnum() or ch in "-_./=:,@%+" for ch in text)


class Completions:
    """Answers `complete(line, cursor)` for the workspace's command line (see the module doc)."""

    def __init__(self, screen: Any) -> None:
        self.screen = screen
        self.table: ResourceTable | None = None
        self.on_update: Callable[[], None] = lambda: None
        self._cache: dict[tuple, tuple[float, tuple[str, ...]]] = {}
        self._fetching: set[tuple] = set()
        self._lock = threading.Lock()

    @property
    def app(self):
        return self.screen.app

    def forget(self) -> None:
        """Another connection: names, types and contexts of the old one go."""
        with self._lock:
            self._cache.clear()
        self.table = None

    def complete(self, line: str, cursor: int) -> Completion:
        from kubetui.model.kubectl_grammar import Completing, ResourceTable, completion_context
        from kubetui.model.kubectl_grammar.commands import VERBS

        table = self.table or ResourceTable([])
        context = completion_context(line, cursor, table)
        names, pending = self._names(context)
        typed = context.prefix
        found = tuple(name for name in dict.fromkeys(names) if name.startswith(typed) and name != "")
        if context.kind == Completing.VERB and self.table is None:
            found = tuple(verb for verb in VERBS if verb.startswith(typed))
        return Completion(context.start, cursor, typed, found, context.kind, pending)

    # -- where names come from ---------------------------------------------------------------------
    def _names(self, context: CompletionContext) -> tuple[tuple[str, ...], bool]:
        from kubetui.model.kubectl_grammar import Completing

        kind = context.kind
        if kind in (Completing.VERB, Completing.SUBCOMMAND, Completing.RESOURCE_TYPE, Completing.FLAG,
                    Completing.VALUE):
            return context.choices, False
        if kind == Completing.CONTEXT:
            return tuple(info.name for info in self.app.connection.contexts), False
        if kind == Completing.FILE:
            return self._files(context.prefix), False
        namespace = self._namespace(context)
        if kind == Completing.NAMESPACE:
            return self._fetched(("namespaces",), self._list_namespaces)
        if kind == Completing.OBJECT_NAME and context.resource is not None:
            live = self._live_names(context.resource, None if context.all_namespaces else namespace)
            if live is not None:
                return live, False
            resource = context.resource
            scope = None if context.all_namespaces or not resource.namespaced else namespace
            return self._fetched(("names", resource.resource_text, scope),
                                 lambda api: _object_names(api, resource, scope))
        if kind == Completing.CONTAINER and context.pod:
            pod = context.pod.split("/", 1)[1] if "/" in context.pod else context.pod
            return self._fetched(("containers", namespace, pod), lambda api: _containers(api, namespace, pod))
        return (), False

    def _namespace(self, context: CompletionContext) -> str:
        return context.namespace or self.app.connection.namespace

    def _live_names(self, resource: ApiResource, namespace: str | None) -> tuple[str, ...] | None:
        """Names in a live view of ``resource`` covering ``namespace`` (None: all), if one is loaded."""
        from kubetui.ui.views.pods import PODS, PodsView

        for view in self.screen.stack.all_views():
            shown = PODS if isinstance(view, PodsView) else getattr(view, "resource", None)
            if shown is None or shown.resource_text != resource.resource_text:
                continue
            if getattr(view, "owner_uid", "") or getattr(view, "field_selector", None):
                continue  # a subset of the objects
            if view.namespace is not None and view.namespace != namespace:
                continue
            table = getattr(view, "table", None)
            if table is None or not len(table):
                continue
            keys = table.keys()
            return tuple(sorted(key.split("/", 1)[1] for key in keys
                                if namespace is None or not resource.namespaced or key.split("/", 1)[0] == namespace))
        return None

    def _fetched(self, key: tuple, fetch: Callable[[Any], list[str]]) -> tuple[tuple[str, ...], bool]:
        """Cached names, and whether a fetch is under way (started here when they are old)."""
        with self._lock:
            cached = self._cache.get(key)
            fresh = cached is not None and time.monotonic() - cached[0] < FRESH_SECONDS
            if not fresh and key not in self._fetching:
                self._fetching.add(key)
                api_client = self.app.connection.api_client
                run_guarded(self.screen, lambda: self._fetch(key, fetch, api_client), group="completion",
                            exclusive=False)
            return (cached[1] if cached else ()), not fresh

    def _fetch(self, key: tuple, fetch: Callable[[Any], list[str]], api_client: Any) -> None:
        try:
            names = tuple(fetch(api_client))
        except Exception:
            names = ()  # completion is a help: a failed list shows nothing, the command will say why
        with self._lock:
            self._fetching.discard(key)
            self._cache[key] = (time.monotonic(), names)
        self.app.call_from_thread(self.on_update)

    def _list_namespaces(self, api_client: Any) -> list[str]:
        from kubetui.kube.listing import list_namespaces

        return list_namespaces(api_client)

    def _files(self, typed: str) -> tuple[str, ...]:
        """Entries of the directory `typed` points into (relative to the manifests directory)."""
        folder_text, _, _ = typed.rpartition("/")
        base = Path(self.app.manifests_dir)
        folder = Path(os.path.expanduser(folder_text)) if folder_text else base
        if not folder.is_absolute():
            folder = base / folder
        prefix = f"{folder_text}/" if folder_text else ""
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)[:MAX_FILES]
        except OSError:
            return ()
        found = []
        for entry in entries:
            if entry.name.startswith(".") and not typed.rpartition("/")[2].startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                found.append(f"{prefix}{entry.name}/")
            elif entry.name.endswith(_MANIFEST_SUFFIXES):
                found.append(f"{prefix}{entry.name}")
        return tuple(found)


def _object_names(api_client: Any, resource: ApiResource, namespace: str | None) -> list[str]:
    from kubetui.kube.name_listing import object_names

    return object_names(api_client, resource, namespace)


def _containers(api_client: Any, namespace: str, pod: str) -> list[str]:
    from kubetui.kube.exec_stream import read_pod
    from kubetui.model.log_choices import container_names

    return list(container_names(read_pod(api_client, namespace, pod)))
