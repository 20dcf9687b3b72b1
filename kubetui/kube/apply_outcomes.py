"""What happened to one object of a manifest set, and how kubectl would say it.

An `Outcome` is a plan entry (`will be created`, `will be configured` + diff, `unchanged`) or a
result (`pod/sample-pod created`, `configured`, `unchanged`, with ` (server dry run)` for dry
runs), or a failure carrying the server's message, its field causes (placed at their line in the
manifest when the field was written there) and, for a 409 apply conflict, the fields and their
managers; after an all-or-nothing apply failed part-way, whether this object's change was rolled
back (`rollback`) or could not be (`rollback_error`, the server's words). Key decision: failures
are data, never exceptions, so a set of 100 objects reports all of its problems at once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from kubetui.errors import from_api_exception, status_message
from kubetui.kube.apply_retry import dropped, transient
from kubetui.model import Manifest

PLANNED = ("will be created", "will be configured", "unchanged")
DONE = ("created", "configured", "unchanged", "deleted")
FAILED = ("rejected", "conflict", "failed")  # failed: no verdict on the object (a transient answer)
NOT_APPLIED = "not applied"
ROLLED_BACK = ("deleted", "restored")  # values of Outcome.rollback when the undo worked

_MANAGER = re.compile(r'conflict with "((?:[^"\\]|\\.)*)"')
_UNKNOWN_FIELD = re.compile(r'unknown field "([^"]+)"')
_SCHEMA_PROBLEM = re.compile(r'(\.[^\s:]+): (field not declared in schema|expected [^\n]*)')
_LIST_KEY = re.compile(r'\[([^\]=]+)=("(?:[^"\\]|\\.)*"|[^\],]+)[^\]]*\]')


@dataclass(frozen=True)
class Cause:
    """One field the server complained about, and where it is written in the manifest."""

    field: str
    message: str
    reason: str = ""
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class Conflict:
    manager: str
    field: str


@dataclass
class Outcome:
    manifest: Manifest
    ref: str                      # kubectl's `pod/sample-pod`, `deployment.apps/web`
    action: str                   # one of PLANNED, DONE, FAILED or NOT_APPLIED
    namespace: str | None = None
    dry_run: bool = False
    message: str = ""
    title: str = ""
    causes: list[Cause] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    diff: str = ""
    obj: dict | None = field(default=None, repr=False)
    live: dict | None = field(default=None, repr=False)  # the object before: a plan's diff, a rollback
    attempts: int = 1             # tries of the request this outcome came from (transient answers)
    landed_unknown: bool = False  # failed without saying whether the write happened (5xx, lost connection)
    rollback: str = ""            # "deleted" / "restored" once undone, "failed" when that failed
    rollback_error: str = ""      # why it could not be undone, in the server's words

    @property
    def ok(self) -> bool:
        return self.action not in FAILED

    @property
    def rolled_back(self) -> bool:
        return self.rollback in ROLLED_BACK

    @property
    def name(self) -> str:
        meta = (self.obj or {}).get("metadata") or {}
        return str(meta.get("name") or self.manifest.name)

    @property
    def kind(self) -> str:
        return str((self.obj or {}).get("kind") or self.manifest.kind)

    def line(self) -> str:
        """The line kubectl would print for this object."""
        if self.action == "deleted":
            text = f'{self.ref.split("/", 1)[0]} "{self.name}" deleted'
        elif self.action in FAILED:
            text = self.error_line()
            if self.rolled_back:  # the failed answer hid a write that had landed
                text += f" (the write had reached the server: rolled back, {self.rollback})"
        elif self.rolled_back:
            text = f"{self.ref} {self.action}, then rolled back ({self.rollback})"
        else:
            text = f"{self.ref} {self.action}"
        return text + (" (server dry run)" if self.dry_run and self.action in DONE else "")

    def rollback_line(self) -> str:
        """Why this object still holds what the run applied (empty when nothing is left over)."""
        if self.rollback != "failed":
            return ""
        left = f"it stays {self.action}" if self.ok else "its write reached the server"
        return f"error: {self.ref} could not be rolled back ({left}): {self.rollback_error}"

    def error_line(self) -> str:
        """kubectl's `Error from server (Invalid): error when applying "x.yaml": ...`."""
        source = self.manifest.source or "-"
        prefix = "Error from server"
        tries = f" (after {self.attempts} attempts)" if self.attempts > 1 else ""
        if self.message.startswith(prefix):
            head, _, rest = self.message.partition(": ")
            return f'{head}: error when applying "{source}": {rest}{tries}'
        return f'error: {self.ref} from "{source}": {self.message}{tries}'


def failure(manifest: Manifest, ref: str, exc: BaseException, server: str, *, namespace: str | None = None,
            dry_run: bool = False, attempts: int = 1) -> Outcome:
    """The outcome of a request that failed: the server's words, causes and conflicts."""
    outcome = _failure(manifest, ref, exc, server, namespace, dry_run)
    outcome.attempts = attempts
    return outcome


def error_text(exc: BaseException, server: str) -> str:
    """One line for a failed request: the server's words, or what happened to the connection."""
    if dropped(exc):
        return f"the connection to {server or 'the server'} was lost before the answer: {_reason(exc)}"
    status = getattr(exc, "status", None)
    reason, message = status_message(getattr(exc, "body", None)) if status else ("", "")
    if message and not reason:  # a plain Go error upstream: kubectl prints no reason
        return f"Error from server: {message}"
    return from_api_exception(exc, server).message


def _reason(exc: BaseException) -> str:
    inner = exc.args[1] if len(exc.args) > 1 else exc
    return type(inner).__name__ if not str(inner) or str(inner) == type(inner).__name__ else str(inner)


def _failure(manifest: Manifest, ref: str, exc: BaseException, server: str, namespace: str | None,
             dry_run: bool) -> Outcome:
    text = error_text(exc, server)
    if dropped(exc):
        return Outcome(manifest, ref, "failed", namespace, dry_run, text, "Connection lost")
    status, body = getattr(exc, "status", None), getattr(exc, "body", None)
    if not (isinstance(status, int) and status):
        return Outcome(manifest, ref, "failed", namespace, dry_run, text, from_api_exception(exc, server).title)
    reason, message = status_message(body)
    title = "Error" if message and not reason else from_api_exception(exc, server).title
    causes = _causes(manifest, body, message)
    conflicts = [Conflict(_manager(c.message), c.field) for c in causes if c.reason == "FieldManagerConflict"]
    action = "conflict" if status == 409 and conflicts else "failed" if transient(exc) else "rejected"
    return Outcome(manifest, ref, action, namespace, dry_run, text, title, causes, conflicts)


def _manager(message: str) -> str:
    match = _MANAGER.search(message)
    return json.loads(f'"{match.group(1)}"') if match else message


def _causes(manifest: Manifest, body, message: str) -> list[Cause]:
    try:
        details = (json.loads(body) or {}).get("details") or {}
    except (ValueError, TypeError, AttributeError):
        details = {}
    causes = []
    for raw in details.get("causes") or []:
        if isinstance(raw, dict):
            path = str(raw.get("field") or "")
            line, column = locate(manifest, path)
            causes.append(Cause(path, str(raw.get("message") or ""), str(raw.get("reason") or ""), line, column))
    if not causes:  # decoding errors name their fields only in the message
        found = [(path, "unknown field") for path in _UNKNOWN_FIELD.findall(message)]
        found += _SCHEMA_PROBLEM.findall(message)
        for path, detail in found:
            line, column = locate(manifest, path)
            causes.append(Cause(path, detail, "", line, column))
    return causes


def locate(manifest: Manifest, path: str) -> tuple[int, int]:
    """(line, column) of a field path as the server writes it: `spec.containers[0].image`, or
    structured-merge-diff's `.spec.containers[name="nginx"].image`; (0, 0) when unknown."""
    if not path:
        return 0, 0
    plain = _by_index(manifest.body, path.lstrip("."))
    line, column = manifest.position(plain)
    return (line, column) if plain else (0, 0)


def _by_index(body: dict, path: str) -> str:
    """Rewrite list-map keys (`[name="nginx"]`) into the item's index in `body`."""
    out, node = "", body
    for token in re.findall(r"[^.\[]+|\[[^\]]*\]", path):
        if token.startswith("["):
            match = _LIST_KEY.match(token)
            if match and isinstance(node, list):
                key, raw = match.group(1), match.group(2)
                try:
                    wanted = json.loads(raw)
                except ValueError:
                    wanted = raw
                index = next((i for i, item in enumerate(node) if isinstance(item, dict) and item.get(key) == wanted),
                             None)
                if index is None:
                    return out
                out, node = f"{out}[{index}]", node[index]
            elif token[1:-1].isdigit() and isinstance(node, list) and int(token[1:-1]) < len(node):
                out, node = out + token, node[int(token[1:-1])]
            else:
                return out
        else:
            out = f"{out}.{token}" if out else token
            node = node.get(token) if isinstance(node, dict) else None
    return out
