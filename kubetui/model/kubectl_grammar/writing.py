"""Requests of the commands that change objects: apply, delete, scale, rollout, label,
annotate, create namespace and edit.

Each builder checks its arguments as the kubectl command's Complete and Validate do, in the
same order and words (`--force-conflicts only works with --server-side`, `at least one label
update is required`). Files named by `-f` are kept as typed: reading them is the caller's I/O.
"""

from __future__ import annotations

from kubetui.model.api_names import is_label_value
from kubetui.model.go_quote import go_quote
from kubetui.model.kubectl_grammar.flagset import GrammarError, Parsed
from kubetui.model.kubectl_grammar.go_values import go_list
from kubetui.model.kubectl_grammar.requests import (
    AnnotateRequest, ApplyRequest, CreateNamespaceRequest, DeleteRequest, EditRequest, LabelRequest,
    MetadataChange, RolloutRequest, ScaleRequest,
)
from kubetui.model.kubectl_grammar.resources import ResourceTable
from kubetui.model.kubectl_grammar.selection import MISSING_RESOURCE, dry_run, paths, scope, select, text

def build_apply(parsed: Parsed, table: ResourceTable) -> ApplyRequest:
    if parsed.args:
        raise GrammarError(f"error: Unexpected args: {go_list(parsed.args)}")
    files = paths(parsed)
    if not files:
        raise GrammarError("error: must specify one of -f and -k")
    mode = dry_run(parsed)
    server_side = parsed.get("server-side", False)
    force_conflicts = parsed.get("force-conflicts", False)
    if force_conflicts and not server_side:
        raise GrammarError("error: --force-conflicts only works with --server-side")
    return ApplyRequest(filenames=files, recursive=parsed.get("recursive", False), dry_run=mode,
                        server_side=server_side, force_conflicts=force_conflicts, **scope(parsed))


def build_delete(parsed: Parsed, table: ResourceTable) -> DeleteRequest:
    mode = dry_run(parsed)
    grace = parsed.get("grace-period", -1)
    force = parsed.get("force", False)
    if parsed.get("now", False):
        if grace != -1:
            raise GrammarError("error: --now and --grace-period cannot be specified together")
        grace = 1
    if grace == 0 and not force:
        grace = 1  # kubectl's guard against an accidental immediate deletion
    if force and grace < 0:
        grace = 0
    select_all = parsed.get("all", False)
    selector = text(parsed, "selector")
    all_namespaces = parsed.get("all-namespaces", False)
    found = select(parsed.args, table, paths=paths(parsed), selector=selector, select_all=select_all,
                   all_namespaces=all_namespaces)
    if select_all and selector:
        raise GrammarError("error: cannot set --all and --selector at the same time")
    if grace > 0 and force:
        raise GrammarError("error: --force and --grace-period greater than 0 cannot be specified together")
    return DeleteRequest(
        targets=found, filenames=paths(parsed), recursive=parsed.get("recursive", False), selector=selector,
        all=select_all, all_namespaces=all_namespaces, dry_run=mode, grace_period=None if grace < 0 else grace, force=force,
        ignore_not_found=parsed.get("ignore-not-found", bool(select_all or selector)), **scope(parsed))


def build_scale(parsed: Parsed, table: ResourceTable) -> ScaleRequest:
    if not parsed.has("replicas"):
        raise GrammarError('error: required flag(s) "replicas" not set')
    mode = dry_run(parsed)
    select_all = parsed.get("all", False)
    found = select(parsed.args, table, paths=paths(parsed), selector=text(parsed, "selector"),
                   allow_empty_selector=select_all)
    replicas, current = parsed.get("replicas"), parsed.get("current-replicas", -1)
    if replicas < 0:
        raise GrammarError("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    if current < -1:
        raise GrammarError("error: The --current-replicas must specify an integer of -1 or greater")
    return ScaleRequest(targets=found, replicas=replicas, current_replicas=None if current == -1 else current,
                        selector=text(parsed, "selector"), all=select_all, dry_run=mode, **scope(parsed))


def build_rollout(action: str):
    def build(parsed: Parsed, table: ResourceTable) -> RolloutRequest:
        if not parsed.args and not paths(parsed):
            raise GrammarError("error: required resource not specified")
        mode = dry_run(parsed) if action == "undo" else "none"
        found = select(parsed.args, table, selector=text(parsed, "selector"), allow_empty_selector=True)
        revision = parsed.get("revision", 0)
        if revision < 0:
            raise GrammarError(f"error: revision must be a positive integer: {revision}")
        timeout = parsed.get("timeout", 0.0)
        return RolloutRequest(
            action=action, targets=found, selector=text(parsed, "selector"), revision=revision or None,
            to_revision=parsed.get("to-revision", 0) or None, watch=parsed.get("watch", True),
            timeout_seconds=timeout or None, dry_run=mode, **scope(parsed))
    return build


def _resources_and_pairs(args: list[str], kind: str) -> tuple[list[str], list[str]]:
    """kubectl's GetResourcesAndPairs: resources first, then `key=value` / `key-` changes."""
    resources: list[str] = []
    pairs: list[str] = []
    for arg in args:
        is_pair = ("=" in arg and arg[0] != "=") or (arg.endswith("-") and arg != "-")
        if is_pair:
            pairs.append(arg)
        elif pairs:
            raise GrammarError(f"error: all resources must be specified before {kind} changes: {arg}")
        else:
            resources.append(arg)
    return resources, pairs


def _label_changes(pairs: list[str]) -> tuple[MetadataChange, ...]:
    changes, removed = [], []
    for pair in pairs:
        if "=" in pair:
            parts = pair.split("=")
            if len(parts) != 2:
                raise GrammarError(f"error: invalid label spec: {pair}")
            problems = is_label_value(parts[1])
            if problems:
                raise GrammarError(f'error: invalid label value: {go_quote(pair)}: {";".join(problems)}')
            changes.append(MetadataChange(parts[0], parts[1]))
        else:
            removed.append(pair[:-1])
    if any(change.key in removed for change in changes):
        raise GrammarError("error: can not both modify and remove a label in the same command")
    return tuple(changes) + tuple(MetadataChange(key, None) for key in removed)


def _annotation_changes(pairs: list[str]) -> tuple[MetadataChange, ...]:
    changes = [MetadataChange(*pair.split("=", 1)) for pair in pairs if "=" in pair]
    removed = [pair[:-1] for pair in pairs if "=" not in pair]
    both = [key for key in removed if any(change.key == key for change in changes)]
    if both:
        raise GrammarError("error: can not both modify and remove the following annotation(s) in the same "
                           f"command: {', '.join(both)}")
    return tuple(changes) + tuple(MetadataChange(key, None) for key in removed)


def build_metadata(kind: str):
    """label or annotate: the same grammar, their own words."""
    request_type = LabelRequest if kind == "label" else AnnotateRequest

    def build(parsed: Parsed, table: ResourceTable):
        resources, pairs = _resources_and_pairs(parsed.args, kind)
        changes = _label_changes(pairs) if kind == "label" else ()
        select_all, selector = parsed.get("all", False), text(parsed, "selector")
        if select_all and selector:
            raise GrammarError("error: cannot set --all and --selector at the same time")
        if not resources and not paths(parsed):
            raise GrammarError("error: one or more resources must be specified as <resource> <name> "
                               "or <resource>/<name>")
        if not pairs:
            raise GrammarError(f"error: at least one {kind} update is required")
        if kind == "annotation":
            changes = _annotation_changes(pairs)
        mode = dry_run(parsed)
        found = select(resources, table, paths=paths(parsed), selector=selector,
                       allow_empty_selector=select_all)
        return request_type(targets=found, changes=changes, overwrite=parsed.get("overwrite", False),
                            all=select_all, selector=selector, dry_run=mode, **scope(parsed))
    return build


def build_create_namespace(parsed: Parsed, table: ResourceTable) -> CreateNamespaceRequest:
    if len(parsed.args) != 1:
        raise GrammarError(f"error: exactly one NAME is required, got {len(parsed.args)}")
    return CreateNamespaceRequest(name=parsed.args[0], dry_run=dry_run(parsed), **scope(parsed))


def build_edit(parsed: Parsed, table: ResourceTable) -> EditRequest:
    if not parsed.args:
        raise GrammarError(MISSING_RESOURCE)
    found = select(parsed.args, table, allow_empty_selector=True)
    return EditRequest(targets=found, **scope(parsed))
