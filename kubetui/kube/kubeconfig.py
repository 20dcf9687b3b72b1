"""Reading kubeconfig files as kubectl does, and saying in one line what is wrong with one.

Key decisions: we parse the YAML ourselves instead of handing it to the client's loader, because
that loader answers a malformed file with messages like "list indices must be integers" (or not
at all, and a misleading 401 later). Files merge by kubectl's rules: the first file that names a
cluster, user or context wins, and so does the first current-context. Every entry remembers the
directory of its file, against which its relative paths resolve (as client-go resolves them).
Only shapes are checked here; what a chosen context needs is checked in `kube.credentials`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kubetui.errors import KubetuiError

TITLE = "Bad kubeconfig"
# libyaml's safe loader when PyYAML has it: ten times faster than the pure-Python one, same documents.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SECTIONS = (("clusters", "cluster"), ("users", "user"), ("contexts", "context"))


@dataclass(frozen=True)
class Entry:
    """One named cluster, user or context: its body and the directory its paths are relative to."""

    name: str
    body: dict
    base_dir: str
    source: str


@dataclass
class Kubeconfig:
    paths: list[str]
    clusters: dict[str, Entry] = field(default_factory=dict)
    users: dict[str, Entry] = field(default_factory=dict)
    contexts: dict[str, Entry] = field(default_factory=dict)
    current_context: str | None = None

    @property
    def label(self) -> str:
        return os.pathsep.join(self.paths)


def bad(message: str) -> KubetuiError:
    return KubetuiError(message, TITLE)


def load(paths: list[str]) -> Kubeconfig:
    """Read and merge kubeconfig files, first file first; raise KubetuiError on any bad shape."""
    merged = Kubeconfig(paths=list(paths))
    for path in paths:
        document = read_document(path)
        for section, _ in SECTIONS:
            target = getattr(merged, section)
            for entry in _entries(document, section, path):
                target.setdefault(entry.name, entry)  # the first file that names it wins
        current = document.get("current-context")
        if current is not None and not isinstance(current, str):
            raise bad(f"kubeconfig {path}: current-context must be a name, not {_kind(current)}")
        if current and merged.current_context is None:
            merged.current_context = current
    return merged


def read_document(path: str) -> dict:
    """One kubeconfig file as a mapping; every way a file can be unusable is one line."""
    target = Path(path)
    if target.is_dir():
        raise bad(f"kubeconfig {path} is a directory, not a file")
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        raise KubetuiError(f"kubeconfig {path} does not exist", "No kubeconfig") from None
    except PermissionError:
        raise bad(f"cannot read kubeconfig {path}: permission denied") from None
    except OSError as exc:
        raise bad(f"cannot read kubeconfig {path}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise bad(f"kubeconfig {path} is not a text file (byte {exc.start} is not UTF-8)") from None
    if "\x00" in text:
        raise bad(f"kubeconfig {path} is not a text file (it holds NUL bytes)")
    try:
        document = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise bad(f"kubeconfig {path} is not valid YAML: {_yaml_problem(exc)}") from None
    if document is None:
        raise bad(f"kubeconfig {path} is empty")
    if not isinstance(document, dict):
        raise bad(f"kubeconfig {path} must be a mapping with clusters, users and contexts, "
                  f"not {_kind(document)}")
    return document


def _entries(document: dict, section: str, path: str) -> list[Entry]:
    items = document.get(section)
    if items is None:
        return []
    if not isinstance(items, list):
        raise bad(f'kubeconfig {path}: "{section}" must be a list, not {_kind(items)}')
    body_key = dict(SECTIONS)[section]
    entries = []
    for index, item in enumerate(items):
        where = f"kubeconfig {path}: {section}[{index}]"
        if not isinstance(item, dict):
            raise bad(f"{where} must be a mapping with a name, not {_kind(item)}")
        name = item.get("name")
        if not isinstance(name, str) or not name:
            raise bad(f"{where} has no name")
        body = item.get(body_key)
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise bad(f'kubeconfig {path}: {body_key} "{name}" must be a mapping, not {_kind(body)}')
        entries.append(Entry(name, body, str(Path(path).resolve().parent), path))
    return entries


def _yaml_problem(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return f"{problem} (line {mark.line + 1}, column {mark.column + 1})"
    return problem


def _kind(value: object) -> str:
    """How a YAML value reads to a person: 'a list', 'a string', 'a mapping'."""
    if isinstance(value, bool):
        return "a boolean"
    return {dict: "a mapping", list: "a list", str: "a string", int: "a number",
            float: "a number"}.get(type(value), f"a {type(value).__name__}")
