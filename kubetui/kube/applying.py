"""Applying manifest sets: dry-run plans, server-side apply, all-or-nothing, and deleting them.

Key decisions:
* Kinds are resolved by `kube.discovering` (the discovery cache `kubetui get` keeps, looked up
  once more after a fresh discovery when a kind is not in it, so a CRD installed since is
  found), and requests go out through `apply_requests.Wire` (field manager `kubetui`) on one
  transport (`client_transport.transport_for`), retried through transient answers by
  `apply_retry`. On a `direct_client` connection nothing of the kubernetes package is imported.
* Everything is sent concurrently, one request per object per pass, by a small thread pool;
  kinds are resolved first, on the calling thread, each call with its own discovery state.
* All-or-nothing (the default) dry-runs every object first (`dryRun=All`), reading back the live
  object of each one that exists (one by one, or by paged lists for many objects of one
  collection: `apply_survey`), and applies only when all pass. If an object still fails
  while applying, no new apply is started and what this run wrote is rolled back to the objects
  read during the dry run (`apply_rollback`); the report names what could not be.
* created / configured / unchanged, all-or-nothing: a dry run answering 201 would create; for an
  existing object the live one is compared with the dry-run result, server noise and status
  stripped (`model.object_diff`) and our managedFields entry included. Unchanged objects are not
  sent again.
* created / configured / unchanged, one pass (`all_or_nothing=False`): one apply per object.
  201 is created; otherwise the object's resourceVersion tells: the server does not write a
  no-op apply, so an object whose resourceVersion is not above the collection's, read once
  before the pass (`limit=1`), was left unchanged. resourceVersions are opaque by contract but
  are etcd revisions on real servers and counters here; when one does not read as a number, or
  the list is refused, that group falls back to a dry run and a read before each apply.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson

from kubetui.errors import from_api_exception
from kubetui.kube.apply_outcomes import NOT_APPLIED, Outcome, failure
from kubetui.kube.apply_report import ApplyReport
from kubetui.kube.apply_requests import Wire
from kubetui.kube.apply_retry import RetryPolicy, maybe_landed
from kubetui.kube.apply_rollback import Rollback
from kubetui.kube.apply_survey import LIST_AT_LEAST, Collection, survey, version
from kubetui.kube.client_transport import transport_for
from kubetui.kube import discovering
from kubetui.kube.table_listing import resource_path
from kubetui.kube.transport import ApiError
from kubetui.model import Manifest, object_diff, same_object
from kubetui.model.resource_names import ApiResource

__all__ = ["FIELD_MANAGER", "Applier", "ApplyReport", "Target"]

FIELD_MANAGER = "kubetui"
WORKERS = 8
REQUEST_TIMEOUT = 30.0


@dataclass
class Target:
    """A manifest bound to its API resource and namespace."""

    manifest: Manifest
    resource: ApiResource
    ref: str
    namespace: str | None
    body: dict
    collection: str = ""   # the URL path of its collection

    @property
    def path(self) -> str:
        return f"{self.collection}/{quote(self.manifest.name, safe='')}"


class Applier:
    """Plans, applies and deletes manifests on one cluster, as `field_manager`."""

    def __init__(self, api_client: Any, namespace: str, *, server: str = "", cache_file: str | Path | None = None,
                 workers: int = WORKERS, field_manager: str = FIELD_MANAGER, retry: RetryPolicy | None = None) -> None:
        self.transport = transport_for(api_client)
        self.namespace = namespace or "default"
        self.server = server or self.transport.server
        self.cache_file = Path(cache_file) if cache_file else discovering.cache_file(self.server)
        self.workers = workers
        self.field_manager = field_manager
        self.retry = retry or RetryPolicy()
        self.wire = Wire(self.transport, field_manager, REQUEST_TIMEOUT)

    def close(self) -> None:
        """Close the connections kept alive between requests (a later request opens new ones)."""
        self.transport.close()

    # -- discovery -------------------------------------------------------------------------------
    def _kind_finder(self) -> Callable[[str, str], ApiResource | None]:
        """Looks kinds up for one call: its discovery may be refreshed once, for a kind not found."""
        discovery = discovering.Discovery(self.transport, self.server, cache=self.cache_file)
        found: dict[tuple[str, str], ApiResource | None] = {}

        def find(api_version: str, kind: str) -> ApiResource | None:
            if (api_version, kind) not in found:
                # Discovery's GETs go through transient answers like the rest.
                lookup = self.retry.fresh().run(lambda: discovery.for_kind(api_version, kind))
                if lookup.error is not None:  # unreachable, TLS, 401: one clear line for the whole set
                    raise from_api_exception(lookup.error, self.server) from None
                found[(api_version, kind)] = lookup.value
            return found[(api_version, kind)]

        return find

    def resolve(self, manifest: Manifest, find: Callable[[str, str], ApiResource | None] | None = None
                ) -> Target | Outcome:
        """The manifest's resource, or a failed Outcome (`no matches for kind ...`)."""
        resource = (find or self._kind_finder())(manifest.api_version, manifest.kind)
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
        return Target(manifest, resource, ref, namespace, body, resource_path(resource, namespace))

    def targets(self, manifests: Sequence[Manifest]) -> list[Target | Outcome]:
        find = self._kind_finder()
        return [self.resolve(m, find) for m in manifests]

    # -- requests --------------------------------------------------------------------------------
    def _send(self, target: Target, *, dry_run: bool, force: bool, policy: RetryPolicy) -> Outcome:
        """One apply (or create, for generateName) request, retried; failures become Outcomes."""
        manifest = target.manifest
        if manifest.name:
            attempt = policy.run(lambda: self.wire.apply(target.path, target.body, dry_run=dry_run, force=force))
        else:  # server-side apply needs a name; generateName objects are created
            attempt = policy.run(lambda: self.wire.create(target.collection, target.body, dry_run=dry_run),
                                 resend_safe=False)
        if attempt.error is not None:
            outcome = failure(manifest, target.ref, attempt.error, self.server, namespace=target.namespace,
                              dry_run=dry_run, attempts=attempt.attempts)
            outcome.landed_unknown = maybe_landed(attempt.error)
            return outcome
        status, obj = attempt.value
        action = "created" if status == 201 else "configured"
        ref = target.ref if manifest.name else target.ref.rsplit("/", 1)[0] + "/" + obj["metadata"]["name"]
        return Outcome(manifest, ref, action, target.namespace, dry_run, obj=obj, attempts=attempt.attempts)

    def _read(self, path: str) -> dict | None:
        try:
            return self.wire.get(path)
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise

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
    def _check(self, target: Target, force: bool, policy: RetryPolicy,
               known: dict[str, Collection] | None = None) -> Outcome:
        """Dry-run one object: `created` (would be), `configured` or `unchanged`, or a failure.
        An existing object's live state (what a rollback returns to) comes from the surveyed
        collection (`known`) or is read back, to tell the last two apart (see `_unchanged`)."""
        outcome = self._send(target, dry_run=True, force=force, policy=policy)
        if not outcome.ok or outcome.action == "created":
            return outcome
        items = (known or {}).get(target.collection, Collection()).items
        if items is not None and target.manifest.name in items:
            live = items[target.manifest.name]
        else:
            read = policy.run(lambda: self._read(target.path))
            if read.error is not None:
                return failure(target.manifest, target.ref, read.error, self.server, namespace=target.namespace,
                               dry_run=True, attempts=read.attempts)
            live = read.value
        outcome.live = live
        if _unchanged(live, outcome.obj, self.field_manager):
            outcome.action = "unchanged"
        return outcome

    def _surveys(self, targets: list[Target | Outcome], policy: RetryPolicy, *, full: bool) -> dict[str, Collection]:
        """The collections of the named targets (see `apply_survey`); `full` lists the items of
        those the set has enough objects in, and skips the others."""
        counts: dict[str, int] = {}
        for target in targets:
            if isinstance(target, Target) and target.manifest.name:
                counts[target.collection] = counts.get(target.collection, 0) + 1
        if full:
            counts = {path: n for path, n in counts.items() if n >= LIST_AT_LEAST}
        if not counts:
            return {}
        with ThreadPoolExecutor(max_workers=min(self.workers, len(counts))) as pool:
            found = pool.map(lambda item: survey(self.wire, policy, item[0], item[1], full=full), counts.items())
            return dict(zip(counts, found))

    def _checks(self, targets: list[Target | Outcome], force: bool) -> list[Outcome]:
        policy = self.retry.fresh()
        known = self._surveys(targets, policy, full=True)
        return self._map(lambda t: self._check(t, force, policy, known), targets)

    def plan(self, manifests: Sequence[Manifest], *, force: bool = False) -> list[Outcome]:
        """Dry-run every object: will be created / will be configured (+ diff) / unchanged / rejected."""
        return self.plan_targets(self.targets(manifests), force)

    def plan_targets(self, targets: list[Target | Outcome], force: bool) -> list[Outcome]:
        return [_as_plan(o) for o in self._checks(targets, force)]

    def apply(self, manifests: Sequence[Manifest], *, force: bool = False, all_or_nothing: bool = True,
              dry_run: bool = False) -> ApplyReport:
        """Server-side apply the set. all_or_nothing: only after every dry run passed, and rolled
        back if an object still fails; otherwise one request per object, failures reported."""
        targets = self.targets(manifests)
        if dry_run:
            return ApplyReport(self._checks(targets, force), sent=False, all_or_nothing=all_or_nothing, dry_run=True)
        if all_or_nothing:
            return self._all_or_nothing(targets, force)
        return self._one_pass(targets, force)

    def _all_or_nothing(self, targets: list[Target | Outcome], force: bool) -> ApplyReport:
        checks = self._checks(targets, force)
        if not all(o.ok for o in checks):
            return ApplyReport([o if not o.ok else _not_applied(o) for o in checks], sent=False)
        by_target = {id(t): c for t, c in zip(targets, checks)}
        policy, stop = self.retry.fresh(), threading.Event()

        def finish(target: Target) -> Outcome:
            check = by_target[id(target)]
            if check.action == "unchanged":
                check.dry_run = False
                return check
            if stop.is_set():  # one object failed for good: the rest would only be rolled back
                return Outcome(target.manifest, check.ref, NOT_APPLIED, target.namespace, live=check.live)
            result = self._send(target, dry_run=False, force=force, policy=policy)
            result.live = check.live
            if not result.ok:
                stop.set()
            elif check.action == "created":  # a retry may have found our own first try's object
                result.action = "created"
            return result

        results = self._map(finish, targets)
        if any(not o.ok for o in results):
            self._roll_back([(t, o) for t, o in zip(targets, results) if isinstance(t, Target)])
        return ApplyReport(results, sent=True)

    def _roll_back(self, pairs: list[tuple[Target, Outcome]]) -> None:
        """Undo the writes of this run (and check the failed ones that may have landed);
        namespaces and CRDs last, as deleting them takes their contents along."""
        rollback = Rollback(self.wire, self.retry.fresh(), self.server)
        todo = []
        for target, outcome in pairs:
            if outcome.ok and outcome.action in ("created", "configured"):
                todo.append((target, outcome))
            elif not outcome.ok and outcome.landed_unknown:
                if target.manifest.name:
                    todo.append((target, outcome))
                else:  # no name to look it up by
                    outcome.rollback = "failed"
                    outcome.rollback_error = (f"the answer was lost, so whether the server created an object "
                                              f"named {target.manifest.generate_name}... is unknown")
        containers = ("Namespace", "CustomResourceDefinition")
        for wave in ([p for p in todo if p[0].resource.kind not in containers],
                     [p for p in todo if p[0].resource.kind in containers]):
            outcomes = {id(t): o for t, o in wave}

            def undo(target: Target, outcomes: dict = outcomes) -> Outcome:
                outcome = outcomes[id(target)]
                rollback.undo(_written_path(target, outcome), outcome.live, outcome)
                return outcome

            self._map(undo, [t for t, _ in wave])

    def _one_pass(self, targets: list[Target | Outcome], force: bool) -> ApplyReport:
        policy = self.retry.fresh()
        known = self._surveys(targets, policy, full=False)

        def one(target: Target) -> Outcome:
            revision = known.get(target.collection, Collection()).revision
            if target.manifest.name and revision is None:  # nothing to compare with: check first
                return self._finish(target, self._check(target, force, policy), force, policy)
            result = self._send(target, dry_run=False, force=force, policy=policy)
            written = version(result.obj) if result.ok and result.action == "configured" else None
            if written is not None and revision is not None and written <= revision:
                result.action = "unchanged"  # the server did not write it: a no-op apply
            return result

        outcomes = self._map(one, targets)
        return ApplyReport(outcomes, sent=any(o.ok for o in outcomes), all_or_nothing=False)

    def _finish(self, target: Target, check: Outcome, force: bool, policy: RetryPolicy) -> Outcome:
        """The real apply after a passed check (nothing to send when it found the object unchanged)."""
        if not check.ok:
            return check
        if check.action == "unchanged":
            check.dry_run = False
            return check
        return self._send(target, dry_run=False, force=force, policy=policy)

    def delete(self, manifests: Sequence[Manifest]) -> list[Outcome]:
        """Delete the objects of a set (background propagation, like kubectl delete -f)."""
        policy = self.retry.fresh()
        return self._map(lambda t: self._delete_one(t, policy), self.targets(manifests))

    def _delete_one(self, target: Target, policy: RetryPolicy) -> Outcome:
        attempt = policy.run(lambda: self.wire.delete(target.path))
        if attempt.error is not None:
            return failure(target.manifest, target.ref, attempt.error, self.server, namespace=target.namespace,
                           attempts=attempt.attempts)
        return Outcome(target.manifest, target.ref, "deleted", target.namespace)


def _written_path(target: Target, outcome: Outcome) -> str:
    """The object's path; a generateName object's name is the one the server gave it."""
    if target.manifest.name or outcome.obj is None:
        return target.path
    return f"{target.collection}/{quote(outcome.obj['metadata']['name'], safe='')}"


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
