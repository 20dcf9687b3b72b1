"""Undoing what an all-or-nothing apply wrote before one of its objects failed for good.

* An object this run created is deleted: that very object (uid precondition), and one already
  gone counts as undone.
* An object this run configured is put back as the dry run read it (`before`), in two replaces.
  The first restores the content: a PUT of the old object at the resourceVersion our apply left,
  so a write by someone else since then is a conflict, never overwritten. A PUT credits its
  writer with every field it changed, so that PUT leaves ownership wrong (kubetui's apply entry
  loses the fields it owned before); the second PUT sends the old managedFields with unchanged
  content, and the server takes them as they are. A status written by a controller meanwhile
  is no reason to give up (see `_replacer`), and a PUT leaves status alone anyway. Restoring by applying our old field set
  instead would not do: it cannot give back fields another manager owned before a forced apply.
* A request whose failure leaves unknown whether it landed (a 500, 502, 504 or a lost
  connection) is checked by reading the object back, and undone if it changed.
Whatever cannot be undone is recorded on its outcome, in the server's words.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from kubetui.kube.apply_outcomes import Outcome, error_text
from kubetui.kube.apply_requests import Wire
from kubetui.kube.apply_retry import Attempt, RetryPolicy
from kubetui.kube.transport import ApiError
from kubetui.model import same_object


class Rollback:
    def __init__(self, wire: Wire, policy: RetryPolicy, server: str) -> None:
        self.wire = wire
        self.policy = policy
        self.server = server

    def undo(self, path: str, before: dict | None, outcome: Outcome) -> None:
        """Put the object at `path` back to `before` (None: it did not exist); sets outcome.rollback."""
        now = outcome.obj
        if not outcome.ok:  # did the write land despite the failed answer?
            read = self.policy.run(lambda: self._read(path))
            if read.error is not None:
                return self._failed(outcome, read, "could not read it back to check")
            now = read.value
            if not _changed(before, now):
                return
        if before is None:
            self._delete(path, now, outcome)
        elif now is None:
            outcome.rollback, outcome.rollback_error = "failed", "it no longer exists, so it cannot be restored"
        else:
            self._restore(path, before, now, outcome)

    def _read(self, path: str) -> dict | None:
        try:
            return self.wire.get(path)
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise

    def _delete(self, path: str, now: dict | None, outcome: Outcome) -> None:
        uid = ((now or {}).get("metadata") or {}).get("uid")

        def send() -> None:
            try:
                self.wire.delete(path, uid)
            except ApiError as exc:
                if exc.status != 404:  # gone already: as it was before this run
                    raise

        attempt = self.policy.run(send)
        if attempt.error is not None:
            return self._failed(outcome, attempt)
        outcome.rollback = "deleted"

    def _restore(self, path: str, before: dict, now: dict, outcome: Outcome) -> None:
        body = copy.deepcopy(before)
        body.setdefault("apiVersion", now.get("apiVersion"))
        body.setdefault("kind", now.get("kind"))
        body["metadata"]["resourceVersion"] = now["metadata"]["resourceVersion"]
        content = self.policy.run(self._replacer(path, body, lambda live: same_object(live, before),
                                                 lambda live: same_object(live, now)))
        if content.error is not None:
            return self._failed(outcome, content)
        restored = content.value
        if _ownership(restored) != _ownership(before):
            body = copy.deepcopy(restored)
            # The main resource's entries as they were; those of subresources (a controller's
            # status) as they are now. An empty entry asks the server to clear managedFields.
            body["metadata"]["managedFields"] = [e for e in _entries(before) if not e.get("subresource")] + [
                e for e in _entries(restored) if e.get("subresource")] or [{}]
            owners = self.policy.run(self._replacer(path, body, lambda live: _ownership(live) == _ownership(before),
                                                    lambda live: same_object(live, restored)))
            if owners.error is not None:
                return self._failed(outcome, owners, "its content was restored to the state before this run, "
                                                     "but not its field ownership (managedFields)")
        outcome.rollback = "restored"

    def _replacer(self, path: str, body: dict, done: Callable[[dict], bool], ours: Callable[[dict], bool]):
        """A PUT to send (again). On a 409 the object is read: `done(live)` means an earlier
        try landed after all; `ours(live)` means only what nobody wrote by hand moved its
        resourceVersion on (a controller's status, server noise), so the PUT goes once more at
        the new version. Anything else is someone's change, and is not overwritten."""

        def send() -> dict:
            try:
                return self.wire.replace(path, body)
            except ApiError as exc:
                if exc.status != 409:
                    raise
                live = self._read(path)
                if live is not None and done(live):
                    return live
                if live is None or not ours(live):
                    raise
                body["metadata"]["resourceVersion"] = live["metadata"]["resourceVersion"]
                return self.wire.replace(path, body)

        return send

    def _failed(self, outcome: Outcome, attempt: Attempt, what: str = "") -> None:
        text = error_text(attempt.error, self.server)
        if attempt.attempts > 1:
            text += f" (after {attempt.attempts} attempts)"
        outcome.rollback = "failed"
        outcome.rollback_error = f"{what}: {text}" if what else text


def _changed(before: dict | None, now: dict | None) -> bool:
    if before is None or now is None:
        return before is not now
    return now["metadata"].get("resourceVersion") != before["metadata"].get("resourceVersion")


def _entries(obj: dict) -> list[dict]:
    return copy.deepcopy((obj.get("metadata") or {}).get("managedFields") or [])


def _ownership(obj: dict) -> list:
    """Who owns what in the main resource (subresources aside), without timestamps."""
    return sorted((str(e.get("manager")), str(e.get("operation")), str(e.get("apiVersion")), repr(e.get("fieldsV1")))
                  for e in _entries(obj) if not e.get("subresource"))
