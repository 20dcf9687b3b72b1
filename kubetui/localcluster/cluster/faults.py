"""Fault injection for benchmarks and resilience tests, switchable at start and at run time.

Key decisions:
* One `FaultInjector` per cluster holds the live `FaultSettings` and applies them in an aiohttp
  middleware placed after authentication (a 401 stays a 401) and before the API handlers, so
  every API request sees the same knobs. `/debug/*` is exempt: the switch must keep working
  while the API is failing.
* Faults look like what real infrastructure produces: error bodies are real `Status` objects
  (429 with `Retry-After: 1` as kube-apiserver's max-in-flight filter sends), a 410 is the ERROR
  event kube-apiserver sends for an expired resourceVersion, dropped watches end the chunked
  stream cleanly (as the apiserver's watch timeout does), and a stalled watch sends nothing at
  all, not even headers, for N seconds.
* Injected error choices come from a seeded `random.Random`, so a run can be replayed.
* Errors can be aimed: at real writes only (so a client's dry run passes and its apply fails),
  at dry runs or reads, at requests whose `METHOD /path` matches a pattern, and capped at N
  injected errors (counted from the last change), so a test can say "the next 3 requests fail"
  or "every write of configmap x fails" without depending on chance. Code 0 in `error_codes`
  resets the connection without an answer, as a crashing proxy does.
* The switch is `POST /debug/faults` (partial JSON update, admin bearer token only) and
  `GET /debug/faults`, which also reports counters so tests can check a knob took effect
  without timing anything.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import hmac
import logging
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import web

from kubetui.localcluster.apimachinery.errors import ApiError

log = logging.getLogger(__name__)

DEBUG_PREFIX = "/debug/"
FAULTS_PATH = "/debug/faults"
_EXEMPT_PATHS = ("/healthz", "/livez", "/readyz")
_ERRORS: dict[int, tuple[str, str]] = {
    429: ("TooManyRequests", "Too many requests, please try again later."),
    500: ("InternalError", "Internal error occurred: injected fault"),
    502: ("InternalError", "Internal error occurred: injected fault (bad gateway)"),
    503: ("ServiceUnavailable", "the server is currently unable to handle the request"),
    504: ("Timeout", "the server was unable to return a response in the time allotted, "
                     "but may still be processing the request"),
}


RESET = 0  # in error_codes: close the connection without answering
ERROR_REQUESTS = ("all", "writes", "dry_runs", "reads")
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class FaultSettingsError(ValueError):
    """A fault setting that makes no sense; the message says which and why."""


@dataclass(frozen=True)
class FaultSettings:
    drop_watches_every: float = 0.0   # seconds between closing every open watch; 0 = never
    watch_410: bool = False           # answer every watch with an ERROR 410 Expired event
    error_rate: float = 0.0           # fraction of API requests failed with one of error_codes
    error_codes: tuple[int, ...] = (500, 503, 429)  # 0: reset the connection instead
    error_requests: str = "all"       # which requests may fail: all, writes (not dry runs), dry_runs, reads
    error_match: str = ""             # a regex searched in "METHOD /path"; only matching requests may fail
    error_limit: int = 0              # fail at most this many requests after the last change; 0 = no limit
    retry_after: int = 1              # seconds in the Retry-After of injected 429s; 0 = no header
    latency_ms: int = 0               # added before every API request is handled
    stall_watch_seconds: float = 0.0  # a new watch gets no bytes at all for this long

    @classmethod
    def from_options(cls, options: Any) -> FaultSettings:
        """The settings named like fields of `options` (ClusterOptions), checked; raises
        FaultSettingsError with a clear message for a bad value."""
        names = [f.name for f in dataclasses.fields(cls)]
        return cls().changed({name: getattr(options, name) for name in names
                              if hasattr(options, name)})

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["error_codes"] = list(self.error_codes)
        return data

    def changed(self, changes: dict[str, Any]) -> FaultSettings:
        """A copy with `changes` applied and checked; raises FaultSettingsError."""
        if not isinstance(changes, dict):
            raise FaultSettingsError("faults must be a JSON object")
        known = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise FaultSettingsError(
                f"unknown fault setting(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        values = {name: _checked(name, value) for name, value in changes.items()}
        return dataclasses.replace(self, **values)


def _number(name: str, value: Any, *, upper: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FaultSettingsError(f"{name} must be a number, got {value!r}")
    if value < 0 or (upper is not None and value > upper):
        bound = f"between 0 and {upper:g}" if upper is not None else "0 or more"
        raise FaultSettingsError(f"{name} must be {bound}, got {value!r}")
    return float(value)


def _checked(name: str, value: Any) -> Any:
    if name == "watch_410":
        if not isinstance(value, bool):
            raise FaultSettingsError(f"watch_410 must be true or false, got {value!r}")
        return value
    if name == "error_rate":
        return _number(name, value, upper=1.0)
    if name in ("latency_ms", "error_limit", "retry_after"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise FaultSettingsError(f"{name} must be a whole number 0 or more, got {value!r}")
        return value
    if name == "error_codes":
        codes = [value] if isinstance(value, int) and not isinstance(value, bool) else value
        if (not isinstance(codes, (list, tuple)) or not codes
                or any(isinstance(c, bool) or not isinstance(c, int) or not (400 <= c <= 599 or c == RESET)
                       for c in codes)):
            raise FaultSettingsError(
                f"error_codes must be a non-empty list of HTTP error codes (or 0: reset), got {value!r}")
        return tuple(codes)
    if name == "error_requests":
        if value not in ERROR_REQUESTS:
            raise FaultSettingsError(f"error_requests must be one of {', '.join(ERROR_REQUESTS)}, got {value!r}")
        return value
    if name == "error_match":
        if not isinstance(value, str):
            raise FaultSettingsError(f"error_match must be a regular expression, got {value!r}")
        try:
            re.compile(value)
        except re.error as error:
            raise FaultSettingsError(f"error_match is not a regular expression: {error}") from None
        return value
    return _number(name, value)


def parse_fault_option(text: str) -> dict[str, Any]:
    """`name=value` from a command line (`error_rate=0.1`, `error_codes=500,429`,
    `watch_410=true`) as a one-entry dict for `FaultSettings.changed`."""
    name, sep, raw = text.partition("=")
    name, raw = name.strip().replace("-", "_"), raw.strip()
    if not sep or not name:
        raise FaultSettingsError(f"expected name=value, got {text!r}")
    if name == "error_codes":
        try:
            return {name: [int(part) for part in raw.split(",") if part.strip()]}
        except ValueError:
            raise FaultSettingsError(f"error_codes must be numbers, got {raw!r}") from None
    if name in ("error_requests", "error_match"):
        return {name: raw}
    if raw.lower() in ("true", "false"):
        return {name: raw.lower() == "true"}
    try:
        return {name: int(raw)}
    except ValueError:
        pass
    try:
        return {name: float(raw)}
    except ValueError:
        raise FaultSettingsError(f"{name} needs a number or true/false, got {raw!r}") from None


@dataclass
class FaultStats:
    delayed_requests: int = 0
    failed_requests: int = 0
    expired_watches: int = 0
    stalled_watches: int = 0
    watch_drops: int = 0          # times every open watch was closed
    dropped_watches: int = 0      # watch connections closed by those drops


@dataclass
class FaultInjector:
    """Live settings plus what applies them; use it only on the server's loop thread."""

    settings: FaultSettings = field(default_factory=FaultSettings)
    close_watches: Callable[[str], int] | None = None  # closes every open watch, returns count
    admin_token: str = ""
    seed: int | None = None
    current_resource_version: Callable[[], int] | None = None
    stats: FaultStats = field(default_factory=FaultStats)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._injected = 0  # errors injected since the settings last changed (error_limit)
        self._changed: asyncio.Event | None = None
        self._dropper: asyncio.Task | None = None

    # ------------------------------------------------------------- control
    def update(self, changes: dict[str, Any] | None = None, *, reset: bool = False,
               **more: Any) -> FaultSettings:
        base = FaultSettings() if reset else self.settings
        self.settings = base.changed({**(changes or {}), **more})
        self._injected = 0
        if self._changed is not None:
            self._changed.set()
        log.info("faults now %s", self.settings.to_json())
        return self.settings

    def report(self) -> dict[str, Any]:
        return {"faults": self.settings.to_json(), "stats": dataclasses.asdict(self.stats)}

    def start(self) -> None:
        """Start the watch dropper; call on the loop."""
        self._changed = asyncio.Event()
        self._dropper = asyncio.get_running_loop().create_task(self._drop_watches_forever())

    async def stop(self) -> None:
        if self._dropper is not None:
            self._dropper.cancel()
            try:
                await self._dropper
            except asyncio.CancelledError:
                pass
            self._dropper = None

    async def _drop_watches_forever(self) -> None:
        assert self._changed is not None
        while True:
            self._changed.clear()
            interval = self.settings.drop_watches_every
            try:
                # A settings change restarts the period, so a new interval applies at once.
                await asyncio.wait_for(self._changed.wait(), interval if interval > 0 else None)
                continue
            except asyncio.TimeoutError:
                pass
            if self.close_watches is not None:
                closed = self.close_watches("fault injection: drop_watches_every")
                self.stats.watch_drops += 1
                self.stats.dropped_watches += closed or 0

    # ---------------------------------------------------------- middleware
    @web.middleware
    async def middleware(self, request: web.Request, handler):
        path = request.path
        if path.startswith(DEBUG_PREFIX) or path in _EXEMPT_PATHS:
            return await handler(request)
        settings = self.settings
        if settings.latency_ms > 0:
            self.stats.delayed_requests += 1
            await asyncio.sleep(settings.latency_ms / 1000)
        if settings.error_rate > 0 and self._may_fail(request, settings) \
                and self._rng.random() < settings.error_rate:
            self.stats.failed_requests += 1
            self._injected += 1
            code = self._rng.choice(settings.error_codes)
            if code == RESET:
                return _reset(request)
            return injected_error(code, settings.retry_after)
        if (settings.watch_410 or settings.stall_watch_seconds > 0) and is_watch(request):
            if settings.watch_410:
                self.stats.expired_watches += 1
                return await self._expired_watch(request)
            if settings.stall_watch_seconds > 0:
                self.stats.stalled_watches += 1
                await asyncio.sleep(settings.stall_watch_seconds)
        return await handler(request)

    def _may_fail(self, request: web.Request, settings: FaultSettings) -> bool:
        if settings.error_limit and self._injected >= settings.error_limit:
            return False
        if settings.error_requests != "all":
            dry_run = bool(request.query.get("dryRun"))
            kind = ("dry_runs" if dry_run else "writes") if request.method in _WRITE_METHODS else "reads"
            if kind != settings.error_requests:
                return False
        return not settings.error_match or _pattern(settings.error_match).search(
            f"{request.method} {request.path}") is not None

    async def _expired_watch(self, request: web.Request) -> web.StreamResponse:
        requested = request.query.get("resourceVersion") or "0"
        current = self.current_resource_version() if self.current_resource_version else 0
        # As if the watch window had moved past the requested version: "1 (101)".
        oldest = max(current, int(requested) + 1) if requested.isdigit() else current
        error = ApiError(410, "Expired", f"too old resource version: {requested} ({oldest})")
        response = web.StreamResponse(status=200, headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        await response.write(orjson.dumps({"type": "ERROR", "object": error.status()}) + b"\n")
        await response.write_eof()
        return response

    # ------------------------------------------------------- debug endpoint
    async def handle_debug_faults(self, request: web.Request) -> web.Response:
        denied = self._check_admin(request)
        if denied is not None:
            return denied
        if request.method == "GET":
            return _json(200, self.report())
        if request.method != "POST":
            return _status(ApiError(405, "MethodNotAllowed",
                                    "use GET to read the faults or POST to change them"))
        try:
            body = orjson.loads(await request.read() or b"{}")
        except orjson.JSONDecodeError as error:
            return _status(ApiError(400, "BadRequest", f"the body must be JSON: {error}"))
        if not isinstance(body, dict):
            return _status(ApiError(400, "BadRequest", "the body must be a JSON object"))
        reset = body.pop("reset", False)
        try:
            self.update(body, reset=bool(reset))
        except FaultSettingsError as error:
            return _status(ApiError(400, "BadRequest", str(error)))
        return _json(200, self.report())

    def _check_admin(self, request: web.Request) -> web.Response | None:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return _status(ApiError(401, "Unauthorized", "Unauthorized"))
        if not self.admin_token or not hmac.compare_digest(token.strip(), self.admin_token):
            return _status(ApiError(403, "Forbidden",
                                    "forbidden: only the cluster admin may change faults"))
        return None


def is_watch(request: web.Request) -> bool:
    if request.query.get("watch", "").lower() in ("true", "1"):
        return True
    return "/watch/" in request.path  # the deprecated /api/v1/watch/... form


@functools.lru_cache(maxsize=8)
def _pattern(text: str) -> re.Pattern:
    return re.compile(text)


def injected_error(code: int, retry_after: int = 1) -> web.Response:
    reason, message = _ERRORS.get(code, ("InternalError", f"injected fault: HTTP {code}"))
    details = {"retryAfterSeconds": retry_after} if code == 429 and retry_after else None
    if code == 500:
        details = {"causes": [{"message": "injected fault"}]}
    response = _status(ApiError(code, reason, message, details))
    if code == 429 and retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _reset(request: web.Request) -> web.Response:
    """Drop the connection without a byte of answer (the client sees a reset). The response
    returned is never written: aiohttp takes the closed transport for a client that left."""
    if request.transport is not None:
        request.transport.abort()
    return web.Response(status=500)


def _status(error: ApiError) -> web.Response:
    return _json(error.code, error.status())


def _json(code: int, body: dict) -> web.Response:
    return web.Response(status=code, body=orjson.dumps(body), content_type="application/json")


def set_faults(cluster, *, reset: bool = False, **faults: Any) -> dict[str, Any]:
    """Change a running LocalCluster's faults from any thread (tests, bench); returns the report."""
    injector: FaultInjector = cluster.faults

    def apply() -> dict[str, Any]:
        injector.update(faults, reset=reset)
        return injector.report()

    return cluster.call(apply)


def get_faults(cluster) -> dict[str, Any]:
    return cluster.call(cluster.faults.report)
