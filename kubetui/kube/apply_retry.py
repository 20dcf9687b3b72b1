"""Retrying the requests of an apply through transient answers, within bounds.

Transient: 429, 500 (but not a handler's own error, see `_handler_error`), 502, 503, 504, and a
connection reset or dropped before the answer. Each is
retried with exponential backoff (jittered) or, when the server sent `Retry-After`, after exactly
that long; at most `attempts` tries and `budget` seconds per request, and the last answer is
what gets reported, in the server's words.

Key decisions:
* A request that is not safe to send twice (a create, which would make a second object for a
  generateName) is resent only after an answer that says it was not processed (429, 503);
  server-side apply, GET, DELETE and a PUT with a resourceVersion are safe to resend.
* One give-up trips a breaker for the whole pass: later requests get a single try, so a server
  that fails everything costs one request's retry budget, not a thousand.
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504})
NOT_PROCESSED_STATUS = frozenset({429, 503})  # the server says it did nothing: any request may be resent


@dataclass
class Attempt:
    """What a retried request came to: its value or its last error, and how many tries it took."""

    value: Any = None
    error: BaseException | None = None
    attempts: int = 1


def transient(error: BaseException, *, resend_safe: bool = True) -> bool:
    """Worth another try: a transient status, or (for requests safe to resend) a dropped connection."""
    status = getattr(error, "status", None)
    if isinstance(status, int) and status:
        if status == 500 and _handler_error(error):
            return False
        return status in (TRANSIENT_STATUS if resend_safe else NOT_PROCESSED_STATUS)
    return resend_safe and dropped(error)


def dropped(error: BaseException) -> bool:
    """The connection broke after the request may have gone out (not: it could not be opened)."""
    if isinstance(error, ConnectionRefusedError):
        return False
    if isinstance(error, ConnectionError):  # what `kube.transport` raises
        return True
    # The official client's pool raises its own; looked up only once something has loaded them,
    # so `kubetui apply` on a `kube.transport.Transport` does not import them for this.
    for module, name in (("urllib3.exceptions", "ProtocolError"), ("http.client", "HTTPException")):
        loaded = sys.modules.get(module)
        if loaded is not None and isinstance(error, getattr(loaded, name)):
            return True
    return False


def _handler_error(error: BaseException) -> bool:
    """A 500 whose Status has a message but no reason: a handler's own verdict passed through
    (server-side apply's "failed to create typed patch object"), the same however often it is
    asked. Passing trouble comes as InternalError, or as no Status at all (a proxy's page)."""
    try:
        status = json.loads(getattr(error, "body", None) or "")
    except (TypeError, ValueError):
        return False
    return isinstance(status, dict) and bool(status.get("message")) and not status.get("reason")


def maybe_landed(error: BaseException) -> bool:
    """A failure that does not say whether the server carried the write out."""
    status = getattr(error, "status", None)
    if isinstance(status, int) and status:
        return status in TRANSIENT_STATUS - NOT_PROCESSED_STATUS and not _handler_error(error)
    return dropped(error)


def retry_after(error: BaseException) -> float | None:
    """Seconds from the answer's `Retry-After` header (delta-seconds form), if any."""
    headers = getattr(error, "headers", None)
    value = headers.get("Retry-After") if headers is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except (TypeError, ValueError):  # an HTTP date: rare from an API server; back off instead
        return None


@dataclass
class RetryPolicy:
    attempts: int = 5            # tries per request, the first included
    first_delay: float = 0.2     # seconds before the second try; doubles after each
    max_delay: float = 3.0       # cap of the backoff between two tries
    budget: float = 30.0         # seconds from the first try after which no new try starts
    _tripped: threading.Event = field(default_factory=threading.Event, repr=False)

    def fresh(self) -> RetryPolicy:
        """The same policy with its breaker reset (a new pass)."""
        return RetryPolicy(self.attempts, self.first_delay, self.max_delay, self.budget)

    @property
    def tripped(self) -> bool:
        return self._tripped.is_set()

    def delay(self, error: BaseException, tries: int) -> float:
        """Seconds to wait after `tries` failed tries ending in `error`: Retry-After, else backoff."""
        asked = retry_after(error)
        if asked is not None:
            return asked
        backoff = min(self.max_delay, self.first_delay * 2 ** (tries - 1))
        return backoff * random.uniform(0.5, 1.0)

    def run(self, send: Callable[[], Any], *, resend_safe: bool = True) -> Attempt:
        """`send()` until it returns, fails for good, or the bounds are reached."""
        started = time.monotonic()
        tries = 0
        while True:
            tries += 1
            try:
                return Attempt(send(), None, tries)
            except Exception as error:  # the caller turns the last one into an Outcome
                if not transient(error, resend_safe=resend_safe) or tries >= self.attempts or self.tripped:
                    if transient(error, resend_safe=resend_safe) and tries > 1:
                        self._tripped.set()
                    return Attempt(None, error, tries)
                wait = self.delay(error, tries)
                if time.monotonic() - started + wait > self.budget:
                    self._tripped.set()
                    return Attempt(None, error, tries)
                time.sleep(wait)
