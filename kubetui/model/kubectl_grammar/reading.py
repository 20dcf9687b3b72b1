"""Requests of the commands that only read: get, describe, logs, explain, api-resources,
version, cluster-info, and a bare resource type (k9s's `:deploy`).

Each builder takes the parsed flags and positionals and checks them as the kubectl command's
Complete and Validate do, in the same order and words.
"""

from __future__ import annotations

import math

from kubetui.model.kubectl_grammar.flagset import GrammarError, Parsed
from kubetui.model.kubectl_grammar.go_values import go_list
from kubetui.model.kubectl_grammar.requests import (
    ApiResourcesRequest, ClusterInfoRequest, DescribeRequest, ExplainRequest, GetRequest, LogsRequest,
    VersionRequest, ViewRequest,
)
from kubetui.model.kubectl_grammar.resources import ResourceTable, Target, type_and_name
from kubetui.model.kubectl_grammar.selection import scope, select, text

_API_RESOURCES_HINT = 'Use "kubectl api-resources" for a complete list of supported resources.'

# kubectl get's printers, and the ones kubetui shows itself.
GET_OUTPUTS = ("custom-columns", "custom-columns-file", "go-template", "go-template-file", "json", "jsonpath",
               "jsonpath-as-json", "jsonpath-file", "kyaml", "name", "template", "templatefile", "wide", "yaml")
SHOWN_OUTPUTS = ("wide", "yaml", "json", "name")
API_RESOURCES_OUTPUTS = ("json", "kyaml", "name", "wide", "yaml")


def output_format(value: str, known: tuple[str, ...], shown: tuple[str, ...]) -> str | None:
    """`-o` checked against kubectl's printers; a printer kubetui does not draw is refused by name."""
    if not value:
        return None
    if value in shown:
        return value
    if value.partition("=")[0] in known:
        raise GrammarError(f'"-o {value.partition("=")[0]}" is not supported inside kubetui')
    raise GrammarError(f'error: unable to match a printer suitable for the output format "{value}", '
                       f"allowed formats are: {','.join(known)}")


def build_get(parsed: Parsed, table: ResourceTable) -> GetRequest:
    if not parsed.args:
        raise GrammarError(f"error: You must specify the type of resource to get. {_API_RESOURCES_HINT}")
    all_namespaces = parsed.get("all-namespaces", False)
    found = select(parsed.args, table, selector=text(parsed, "selector"),
                   field_selector=text(parsed, "field-selector"), all_namespaces=all_namespaces,
                   allow_empty_selector=True)
    return GetRequest(
        targets=found, all_namespaces=all_namespaces, selector=text(parsed, "selector"),
        field_selector=text(parsed, "field-selector"), watch=parsed.get("watch", False),
        output=output_format(parsed.get("output", ""), GET_OUTPUTS, SHOWN_OUTPUTS), **scope(parsed))


def build_describe(parsed: Parsed, table: ResourceTable) -> DescribeRequest:
    if not parsed.args:
        raise GrammarError(f"error: You must specify the type of resource to describe. {_API_RESOURCES_HINT}")
    all_namespaces = parsed.get("all-namespaces", False)
    found = select(parsed.args, table, selector=text(parsed, "selector"), all_namespaces=all_namespaces,
                   allow_empty_selector=True)
    return DescribeRequest(targets=found, all_namespaces=all_namespaces, selector=text(parsed, "selector"),
                           **scope(parsed))


LOGS_USAGE = ("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'. "
              "POD or TYPE/NAME is a required argument for the logs command")


def pod_target(arg: str, table: ResourceTable) -> Target:
    """`POD` or `TYPE/NAME`, as logs, exec and port-forward take them."""
    if "/" in arg:
        kind, name = type_and_name(arg)
        return Target(table.resolve(kind), name)
    return Target(table.resolve("pods"), arg)


def build_logs(parsed: Parsed, table: ResourceTable) -> LogsRequest:
    args, selector = parsed.args, text(parsed, "selector")
    if len(args) == 0 and not selector or len(args) > 2:
        raise GrammarError(LOGS_USAGE)
    if len(args) == 1 and selector:
        raise GrammarError("error: only a selector (-l) or a POD name is allowed")
    container = parsed.get("container", "")
    if len(args) == 2:
        container = args[1]
    all_containers = parsed.get("all-containers", False)
    if all_containers and container:
        raise GrammarError(f"error: --all-containers=true should not be specified with container name {container}")
    if parsed.has("container") and len(args) == 2:
        raise GrammarError("error: only one of -c or an inline [CONTAINER] arg is allowed")
    since = parsed.get("since", 0.0)
    if since < 0:
        raise GrammarError("error: --since must be greater than 0")
    since_seconds = math.floor(since + 0.5)  # kubectl sends whole seconds, rounded half up
    if since and not since_seconds:
        raise GrammarError(f"error: --since={parsed.raw['since']} is less than half a second, "
                           "and logs start from whole seconds")
    tail = parsed.get("tail", -1)
    if tail < -1:
        raise GrammarError("error: --tail must be greater than or equal to -1")
    if selector and not parsed.has("tail"):
        tail = 10  # kubectl's default when a selector picks the pods
    return LogsRequest(
        target=pod_target(args[0], table) if args else None, container=container or None,
        selector=selector, follow=parsed.get("follow", False), previous=parsed.get("previous", False),
        tail=None if tail == -1 else tail, since_seconds=since_seconds or None,
        timestamps=parsed.get("timestamps", False), all_containers=all_containers,
        prefix=parsed.get("prefix", False), **scope(parsed))


def build_explain(parsed: Parsed, table: ResourceTable) -> ExplainRequest:
    if not parsed.args:
        raise GrammarError(f"error: You must specify the type of resource to explain. {_API_RESOURCES_HINT}")
    if len(parsed.args) > 1:
        raise GrammarError("error: We accept only this format: explain RESOURCE")
    kind, *path = parsed.args[0].split(".")
    try:
        resource = table.resolve(kind)
    except GrammarError as exc:  # explain prints the mapper's error bare, without "error: "
        raise GrammarError(str(exc).removeprefix("error: ")) from None
    return ExplainRequest(resource=resource, field_path=tuple(path),
                          recursive=parsed.get("recursive", False), api_version=text(parsed, "api-version"),
                          **scope(parsed))


def build_api_resources(parsed: Parsed, table: ResourceTable) -> ApiResourcesRequest:
    if parsed.args:
        raise GrammarError(f"error: unexpected arguments: {go_list(parsed.args)}")
    output = output_format(parsed.get("output", ""), API_RESOURCES_OUTPUTS, ("wide", "name"))
    sort_by = parsed.get("sort-by", "")
    if sort_by not in ("", "name", "kind"):
        raise GrammarError("error: --sort-by accepts only name or kind")
    return ApiResourcesRequest(
        namespaced=parsed.get("namespaced") if parsed.has("namespaced") else None,
        api_group=text(parsed, "api-group"), verbs=tuple(parsed.get("verbs", ())),
        categories=tuple(parsed.get("categories", ())), output=output, sort_by=sort_by or None,
        no_headers=parsed.get("no-headers", False), **scope(parsed))


def build_version(parsed: Parsed, table: ResourceTable) -> VersionRequest:
    if parsed.args:
        raise GrammarError(f"error: extra arguments: {go_list(parsed.args)}")
    output = parsed.get("output", "")
    if output not in ("", "yaml", "json"):
        raise GrammarError("error: --output must be 'yaml' or 'json'")
    return VersionRequest(client_only=parsed.get("client", False), output=output or None, **scope(parsed))


def build_cluster_info(parsed: Parsed, table: ResourceTable) -> ClusterInfoRequest:
    if parsed.args[:1] == ["dump"]:
        raise GrammarError('"cluster-info dump" is not supported inside kubetui')
    return ClusterInfoRequest(**scope(parsed))  # kubectl ignores other arguments too


def build_view(parsed: Parsed, table: ResourceTable) -> ViewRequest:
    word, extra = parsed.args[0], parsed.args[1:]
    found = table.resolve_types(word)
    if len(found) > 1:
        raise GrammarError(f'error: "{word}" names several resource types; a view shows one '
                           f"(use get {word} to list them all)")
    if extra:
        raise GrammarError(f'error: "{word}" switches the view and takes no names: '
                           f"use get {word} {' '.join(extra)} or describe {word} {' '.join(extra)}")
    return ViewRequest(resource=found[0], all_namespaces=parsed.get("all-namespaces", False),
                       selector=text(parsed, "selector"), **scope(parsed))
