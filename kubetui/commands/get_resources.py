"""`kubetui get TYPE[,TYPE...] [NAME...]` and `TYPE/NAME...` for any kind, as `kubectl get` prints it.

Key decisions:
* Types resolve from the server's discovery as kubectl resolves them (`model.resource_names`,
  `kube.discovering`); argument and type errors are kubectl's lines, before any other request.
* One request per list and one per named object (kubectl's "infos"), in kubectl's order. The
  table and `-o name` read the server-printed Tables; `-o json|yaml` the plain objects.
* A failed request does not stop the others: what succeeded is printed, then every failure in
  kubectl's words, one line each, on stderr, and the exit code is 1.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, TextIO

from kubetui.model.resource_names import (
    ApiResource, ResourceArgs, TypeArgumentError, UnknownResourceType, parse_type_args)

__all__ = ["run_get_resources"]


@dataclass
class Target:
    """One request: a list of `resource` (name None) or one named object."""

    resource: ApiResource
    name: str | None = None


@dataclass
class Outcome:
    target: Target
    body: dict | None = None
    error: str | None = None


def run_get_resources(args: argparse.Namespace, conn: Any, out: TextIO, err: TextIO) -> int:
    from kubetui.kube.discovering import Discovery

    namespace = None if args.all_namespaces else conn.namespace
    discovery = Discovery(conn.api_client, conn.server)
    try:
        wanted = parse_type_args(args.resources, _categories(args.resources, discovery))
        targets = _targets(wanted, discovery, args, namespace)
    except (TypeArgumentError, UnknownResourceType) as exc:
        print(f"error: {exc}", file=err)
        return 1
    except Exception as exc:  # discovery failed: ApiException, urllib3 or socket errors
        from kubetui.kube.kubectl_errors import kubectl_error_text

        print(kubectl_error_text(exc, conn.server, listing=False, request="get"), file=err)
        return 1
    outcomes = _fetch_all(conn, targets, namespace, args)
    if args.output in ("json", "yaml"):
        _print_objects(outcomes, wanted.single_item, args.output, out)
    elif args.output == "name":
        _print_names(outcomes, out)
    else:
        _print_tables(outcomes, args, conn.namespace, out, err)
    out.flush()
    errors = [outcome.error for outcome in outcomes if outcome.error]
    for message in errors:
        print(message, file=err)
    return 1 if errors else 0


def _categories(arguments: list[str], discovery: Any) -> Any:
    """The resources to expand categories (`all`) with; TYPE/NAME arguments take none, so their
    mistakes are reported before any request, as kubectl reports them."""
    return None if any("/" in argument for argument in arguments) else discovery.resources()


def _targets(wanted: ResourceArgs, discovery: Any, args: argparse.Namespace,
             namespace: str | None) -> list[Target]:
    """kubectl's builder: selector, name and namespace rules, then every type resolved in order."""
    selecting = bool(args.selector or args.field_selector)
    if wanted.pairs and selecting:
        raise TypeArgumentError("selectors and the all flag cannot be used when passing resource/name arguments"
                                if wanted.tuples else "name cannot be provided when a selector is specified")
    if not wanted.pairs:
        return [Target(discovery.resolve(kind)) for kind in wanted.types]
    resolved = {kind: discovery.resolve(kind) for kind, _ in wanted.pairs}
    targets = []
    for kind, name in wanted.pairs:
        resource = resolved[kind]
        if resource.namespaced and namespace is None:
            raise TypeArgumentError("a resource cannot be retrieved by name across all namespaces")
        targets.append(Target(resource, name))
    return targets


def _fetch_all(conn: Any, targets: list[Target], namespace: str | None, args: argparse.Namespace) -> list[Outcome]:
    """Every request in order, sent from a thread while this one loads what printing needs: the
    server takes longer to answer than those imports, so they cost no wall time."""
    import threading

    outcomes: list[Outcome] = []
    worker = threading.Thread(target=lambda: outcomes.extend(_fetch(conn, t, namespace, args) for t in targets),
                              name="kubetui-get", daemon=True)
    worker.start()
    _load_printers(args.output)
    worker.join()
    return outcomes


def _load_printers(output: str | None) -> None:
    import orjson  # noqa: F401  (the answers are parsed with it)

    if output in ("json", "yaml"):
        from kubetui.kube import go_text, pod_output  # noqa: F401
    else:
        from kubetui.model import table_text  # noqa: F401


def _fetch(conn: Any, target: Target, namespace: str | None, args: argparse.Namespace) -> Outcome:
    from kubetui.kube import table_listing

    resource, name = target.resource, target.name
    selectors = {"label_selector": args.selector, "field_selector": args.field_selector}
    try:
        if args.output in ("json", "yaml"):
            body = table_listing.get_json(conn.api_client, resource, namespace, name=name, **selectors)
        else:
            # Row metadata only when something reads it: the NAMESPACE column or -o name.
            metadata = args.output == "name" or (namespace is None and resource.namespaced)
            body = table_listing.get_table(conn.api_client, resource, namespace, name=name,
                                           with_metadata=metadata, **selectors)
        return Outcome(target, body=body)
    except Exception as exc:  # ApiException, transport errors, a body that is not JSON
        from kubetui.kube.kubectl_errors import kubectl_error_text, resource_text

        request = f"get {resource.resource_text}" + (f" {name}" if name else "")
        return Outcome(target, error=kubectl_error_text(
            exc, conn.server, label_selector=args.selector, field_selector=args.field_selector,
            resource=resource_text(resource.group, resource.version, resource.plural), request=request,
            listing=name is None))


# --------------------------------------------------------------------------------- printing
def _print_tables(outcomes: list[Outcome], args: argparse.Namespace, namespace: str, out: TextIO,
                  err: TextIO) -> None:
    from kubetui.model.table_text import Block, as_table, blocks_text

    now = datetime.now(timezone.utc)
    done = [outcome for outcome in outcomes if outcome.body is not None]
    blocks: list[Block] = []
    for outcome in done:
        resource = outcome.target.resource
        if not blocks or blocks[-1].kind_text != resource.kind_text:
            blocks.append(Block(resource.kind_text, args.all_namespaces and resource.namespaced))
        blocks[-1].add(as_table(outcome.body, now), listed=outcome.target.name is None)
    with_kind = len({outcome.target.resource.kind_text for outcome in done}) > 1
    text = blocks_text(blocks, wide=args.output == "wide", with_kind=with_kind)
    out.write(text)
    if not text and len(done) == len(outcomes):
        from kubetui.kube.pod_output import no_resources_message

        every_namespaced = not args.all_namespaces and all(o.target.resource.namespaced for o in done)
        out.flush()
        print(no_resources_message(namespace if every_namespaced else None), file=err)


def _print_names(outcomes: list[Outcome], out: TextIO) -> None:
    from kubetui.model.table_text import as_table, name_lines

    now = datetime.now(timezone.utc)
    for outcome in outcomes:
        if outcome.body is None:
            continue
        resource = outcome.target.resource
        rows = as_table(outcome.body, now).get("rows") or ()
        names = [outcome.target.name] if outcome.target.name else [
            str(((row.get("object") or {}).get("metadata") or {}).get("name") or "") for row in rows]
        out.write(name_lines(resource.kind_text, names))


def _print_objects(outcomes: list[Outcome], single_item: bool, output: str, out: TextIO) -> None:
    from kubetui.kube.pod_output import list_document, object_text, printable

    done = [outcome for outcome in outcomes if outcome.body is not None]
    if single_item and len(outcomes) == 1:
        if done:  # one object named: kubectl prints it bare (and nothing when it failed)
            out.write(object_text(printable(done[0].body), output))
        return
    items = []
    for outcome in done:
        resource, body = outcome.target.resource, outcome.body
        if outcome.target.name:
            items.append(printable(body, resource.api_version, resource.kind))
        else:
            items.extend(printable(item, resource.api_version, resource.kind) for item in body.get("items") or ())
    out.write(object_text(list_document(items), output))
