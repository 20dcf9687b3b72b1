"""Applying manifest sets: dry-run plans, server-side apply, all-or-nothing, and deleting them.

Key decisions:
* Server-side apply through the official `DynamicClient` (field manager `kubetui`) for any kind
  discovery knows; its discovery cache lives in a directory of ours (`discovery_cache_file`), not
  in the system temp dir where every user and every port would share it.
* Everything is sent concurrently, one request per object per pass, by a small thread pool;
  kinds are resolved first, on the calling thread, because the discoverer is not thread-safe.
* All-or-nothing (the default) dry-runs every object first (`dryRun=All`) and applies only when
  all pass; otherwise nothing is sent for real and every failure is reported.
* created / configured / unchanged: a dry run answering 201 would create; for an existing object
  the live one is read back and compared with the dry-run result, server noise and status
  stripped (`model.object_diff`) and our managedFields entry included. Unchanged objects are not
  sent again, so a re-apply costs a dry run and a GET per object, not two applies.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import orjson

from kubetui.errors import KubetuiError, from_api_exception
from kubetui.kube.apply_outcomes import NOT_APPLIED, Outcome, failure
from kubetui.model import Manifest, object_diff, same_object

FIELD_MANAGER = "kubetui"
WORKERS = 8
REQUEST_TIMEOUT = 30.0


def discovery_cache_file(host: str) -> Path:
    """`$XDG_CACHE_HOME/kubetui/discovery/<md5 of the server>.json` (or ~/.cache/...)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kubetui" / "discovery"
    try:
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:  # a read-only home: a private directory in the temp dir instead
        base = Path(tempfile.gettempdir()) / f"kubetui-{os.getuid()}" / "discovery"
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
    return base / (hashlib.md5(host.encode(), usedforsecurity=False).hexdigest() + ".json")


@dataclass
class Target:
    """A manifest bound to its API resource and namespace."""

    manifest: Manifest
    resource: Any          # kubernetes.dynamic.Resource
    ref: str
    namespace: str | None
    body: dict


@dataclass
class ApplyReport:
    outcomes: list[Outcome]
    sent: bool             # whether anything was sent for real (not only dry runs)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def ok(self) -> bool:
        return not self.failed


class Applier:
    """Plans, applies and deletes manifests on one cluster, as `field_manager`."""

    def __init__(self, api_client: Any, namespace: str, *, server: str = "", cache_file: str | Path | None = None,
                 workers: int = WORKERS, field_manager: str = FIELD_MANAGER) -> None:
        self.api_client = api_client
        self.namespace = namespace or "default"
        self.server = server or getattr(getattr(api_client, "configuration", None), "host", "")
        self.cache_file = Path(cache_file) if cache_file else discovery_cache_file(self.server)
        self.workers = workers
        self.field_manager = field_manager
        self._dynamic = None
        self._kinds: dict[tuple[str, str], Any] = {}

    # -- discovery -------------------------------------------------------------------------------
    @property
    def dynamic(self):
        if self._dynamic is None:
            from kubernetes.dynamic import DynamicClient

            try:
                self._dynamic = DynamicClient(self.api_client, cache_file=str(self.cache_file))
            except Exception as exc:  # unreachable, TLS, 401: one clear line for the whole set
                raise from_api_exception(exc, self.server) from None
        return self._dynamic

    def resolve(self, manifest: Manifest) -> Target | Outcome:
        """The manifest's resource, or a failed Outcome (`no matches for kind ...`)."""
        key = (manifest.api_version, manifest.kind)
        if key not in self._kinds:
            from kubernetes.dynamic.exceptions import ResourceNotFoundError, ResourceNotUniqueError

            try:
                self._kinds[key] = self.dynamic.resources.get(api_version=manifest.api_version, kind=manifest.kind)
            except (ResourceNotFoundError, ResourceNotUniqueError):
                self._kinds[key] = None
            except KubetuiError:
                raise
            except Exception as exc:  # the server went away between two kinds
                raise from_api_exception(exc, self.server) from None
        resource = self._kinds[key]
        if resource is None:
            ref = f"{manifest.kind.lower()}/{manifest.name or manifest.generate_name}"
            message = (f'resource mapping not found for name: "{manifest.name}" namespace: "{manifest.namespace}": '
                       f'no matches for kind "{manifest.kind}" in version "{manifest.api_version}"; '
                       "ensure CRDs are installed first")
            return Outcome(manifest, ref, "rejected", message=message, title="Unknown kind")
        body = orjson.loads(orjson.dumps(manifest.body))  # a private copy we may complete
        meta = body.setdefault("metadata", {})
        namespace = None
        if resource.namespaced:
            namespace = manifest.namespace or self.namespace
            meta["namespace"] = namespace
        else:
            meta.pop("namespace", None)
        group = f".{resource.group}" if resource.group else ""
        ref = f"{resource.kind.lower()}{group}/{manifest.name or manifest.generate_name}"
        return Target(manifest, resource, ref, namespace, body)

    def targets(self, manifests: Sequence[Manifest]) -> list[Target | Outcome]:
        return [self.resolve(m) for m in manifests]

    # -- requests --------------------------------------------------------------------------------
    def _send(self, target: Target, *, dry_run: bool, force: bool) -> Outcome:
        """One apply (or create, for generateName) request; failures become Outcomes."""
        resource, manifest = target.resource, target.manifest
        options = {"field_manager": self.field_manager, "serialize": False, "_request_timeout": REQUEST_TIMEOUT}
        if dry_run:
            options["dry_run"] = "All"
        try:
            if manifest.name:
                response = resource.server_side_apply(body=target.body, name=manifest.name,
                                                      namespace=target.namespace, force_conflicts=force, **options)
            else:  # server-side apply needs a name; generateName objects are created
                response = resource.create(body=target.body, namespace=target.namespace, **options)
            obj = orjson.loads(response.data)
        except Exception as exc:
            return failure(manifest, target.ref, exc, self.server, namespace=target.namespace, dry_run=dry_run)
        action = "created" if response.status == 201 else "configured"
        ref = target.ref if manifest.name else target.ref.rsplit("/", 1)[0] + "/" + obj["metadata"]["name"]
        return Outcome(manifest, ref, action, target.namespace, dry_run, obj=obj)

    def _live(self, target: Target) -> dict | None:
        from kubernetes.dynamic.exceptions import NotFoundError

        try:
            response = target.resource.get(name=target.manifest.name, namespace=target.namespace, serialize=False,
                                            _request_timeout=REQUEST_TIMEOUT)
        except NotFoundError:
            return None
        return orjson.loads(response.data)

    def _map(self, function: Callable[[Target], Outcome], targets: list[Target | Outcome]) -> list[Outcome]:
        """`function` over the resolved targets, concurrently; failed resolutions pass through."""
        live = [t for t in targets if isinstance(t, Target)]
        if len(live) <= 1:
            done = {id(t): function(t) for t in live}
        else:
            with ThreadPoolExecutor(max_workers=min(self.workers, len(live)),
                                    thread_name_prefix="kubetui-apply") as pool:
                done = dict(zip((id(t) for t in live), pool.map(function, live)))
        return [done[id(t)] if isinstance(t, Target) else t for t in targets]

    # -- what the UI and the CLI call ------------------------------------------------------------
    def _check(self, target: Target, force: bool) -> Outcome:
        """Dry-run one object: `created` (would be), `configured` or `unchanged`, or a failure.
        An existing object is read back to tell the last two apart (see `_unchanged`)."""
        outcome = self._send(target, dry_run=True, force=force)
        if not outcome.ok or outcome.action == "created":
            return outcome
        try:
            live = self._live(target)
        except Exception as exc:
            return failure(target.manifest, target.ref, exc, self.server, namespace=target.namespace, dry_run=True)
        outcome.live = live
        if _unchanged(live, outcome.obj, self.field_manager):
            outcome.action = "unchanged"
        return outcome

    def plan(self, manifests: Sequence[Manifest], *, force: bool = False) -> list[Outcome]:
        """Dry-run every object: will be created / will be configured (+ diff) / unchanged / rejected."""
        return self.plan_targets(self.targets(manifests), force)

    def plan_targets(self, targets: list[Target | Outcome], force: bool) -> list[Outcome]:
        return [_as_plan(o) for o in self._map(lambda t: self._check(t, force), targets)]

    def apply(self, manifests: Sequence[Manifest], *, force: bool = False, all_or_nothing: bool = True,
              dry_run: bool = False) -> ApplyReport:
        """Server-side apply the set; with all_or_nothing, only after every dry run passed.
        Objects the dry run found unchanged are not sent again: applying them would change nothing."""
        targets = self.targets(manifests)
        if dry_run:
            return ApplyReport(self._map(lambda t: self._check(t, force), targets), sent=False)
        if all_or_nothing:
            checks = self._map(lambda t: self._check(t, force), targets)
            if not all(o.ok for o in checks):
                return ApplyReport([o if not o.ok else _not_applied(o) for o in checks], sent=False)
            by_target = {id(t): c for t, c in zip(targets, checks)}
            results = self._map(lambda t: self._finish(t, by_target[id(t)], force), targets)
            return ApplyReport(results, sent=True)
        outcomes = self._map(lambda t: self._finish(t, self._check(t, force), force), targets)
        return ApplyReport(outcomes, sent=any(o.ok for o in outcomes))

    def _finish(self, target: Target, check: Outcome, force: bool) -> Outcome:
        """The real apply after a passed check (nothing to send when it found the object unchanged)."""
        if not check.ok:
            return check
        if check.action == "unchanged":
            check.dry_run = False
            return check
        return self._send(target, dry_run=False, force=force)

    def delete(self, manifests: Sequence[Manifest]) -> list[Outcome]:
        """Delete the objects of a set (background propagation, like kubectl delete -f)."""
        return self._map(self._delete_one, self.targets(manifests))

    def _delete_one(self, target: Target) -> Outcome:
        try:
            target.resource.delete(name=target.manifest.name, namespace=target.namespace,
                                   body={"propagationPolicy": "Background"}, serialize=False,
                                   _request_timeout=REQUEST_TIMEOUT)
        except Exception as exc:
            return failure(target.manifest, target.ref, exc, self.server, namespace=target.namespace)
        return Outcome(target.manifest, target.ref, "deleted", target.namespace)


def _not_applied(check: Outcome) -> Outcome:
    check.action, check.dry_run = NOT_APPLIED, False
    return check


def _as_plan(outcome: Outcome) -> Outcome:
    """A dry-run result worded as a plan, with the diff a person checks before applying."""
    if outcome.action == "created":
        outcome.action = "will be created"
        outcome.diff = object_diff(None, outcome.obj, outcome.ref)
    elif outcome.action == "configured":
        outcome.action = "will be configured"
        outcome.diff = object_diff(outcome.live, outcome.obj, outcome.ref)
    return outcome


def _unchanged(live: dict | None, planned: dict | None, manager: str) -> bool:
    """Applying would change nothing: the same content (server noise and status aside, which
    other writers may change meanwhile) and the same ownership for our field manager (an apply
    can change only who owns a field, and that counts as a change)."""
    return live is not None and same_object(live, planned) and _own_entry(live, manager) == _own_entry(planned, manager)


def _own_entry(obj: dict | None, manager: str) -> tuple:
    for entry in ((obj or {}).get("metadata") or {}).get("managedFields") or []:
        if entry.get("manager") == manager and entry.get("operation") == "Apply" and not entry.get("subresource"):
            return entry.get("fieldsV1"), entry.get("time")
    return None, None
