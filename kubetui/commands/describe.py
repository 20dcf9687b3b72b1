"""`kubetui describe TYPE [NAME_PREFIX...] | TYPE/NAME...`: what `kubectl describe` prints, on stdout.

Key decisions:
* Arguments and types as kubectl takes them (`model.resource_names`, the server's discovery),
  errors in kubectl's words on stderr with exit code 1; what could be described is printed
  first, as kubectl prints it.
* kubectl's builder rules: named objects are fetched one by one; with exactly two arguments
  and an object not found, kubectl's `DescribeMatchingResources` runs: every object of the
  first argument's type whose name starts with the second is described, each followed by a
  blank line (so `pod/a pod/missing` prints only the error, as kubectl does); TYPE alone
  describes all of them (`-l` selects). Several descriptions are separated by a blank line.
  Events are shown only when exactly one object was found and nothing failed, unless
  `--show-events` says otherwise (kubectl's default).
* One-shot `DirectClient` connection when the kubeconfig allows (no kubernetes import), the
  official client's otherwise, as `kubetui get` does; the describers are imported in a thread
  while the first requests are out, so their import costs no wall time.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from typing import Any, TextIO

from kubetui.commands.server_warnings import print_server_warnings

__all__ = ["add_describe_arguments", "run_describe"]

NO_TYPE = ('You must specify the type of resource to describe. Use "kubectl api-resources" for a complete '
           'list of supported resources.')


def add_describe_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("resources", nargs="*", metavar="TYPE [NAME_PREFIX...] | TYPE/NAME...",
                        help="what to describe, as kubectl takes it: pods x, deploy/web, nodes, svc,cm x")
    parser.add_argument("-l", "--selector", metavar="SELECTOR", default=None,
                        help="label selector for TYPE without names, e.g. app=web")
    parser.add_argument("--show-events", metavar="BOOL", type=_boolean, default=None, nargs="?", const=True,
                        help="print the events of each object (default: true for a single object, false for "
                             "several and for prefix matching, as kubectl)")


def _boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "1", "t", "yes"):
        return True
    if lowered in ("false", "0", "f", "no"):
        return False
    raise argparse.ArgumentTypeError(f'invalid argument "{text}" for "--show-events" flag')


def run_describe(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    if not args.resources:
        print(f"error: {NO_TYPE}", file=err)
        return 1
    conn = _connect(args)
    print_server_warnings(conn, err)
    import threading

    # While this thread waits on the server, that one imports the describers (the GIL is free).
    importer = threading.Thread(target=_import_describers, name="kubetui-describe-imports", daemon=True)
    importer.start()
    try:
        return Describer(conn, args, out, err).run()
    except BrokenPipeError:  # `kubetui describe pods | head`: stop quietly, like kubectl
        from kubetui.commands.get import _silence

        _silence(out)
        return 0
    finally:
        importer.join()  # never leave an import half done at exit
        conn.close()


def _import_describers() -> None:
    import kubetui.model.describe  # noqa: F401


def _connect(args: argparse.Namespace) -> Any:
    from kubetui.kube.direct_client import direct_connection

    conn = direct_connection(args.kubeconfig, args.context, args.namespace)
    if conn is not None:
        return conn
    from kubetui.kube.contexts import connect

    return connect(args.kubeconfig, args.context, args.namespace)


class Describer:
    def __init__(self, conn: Any, args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
        self.conn, self.args, self.out, self.err = conn, args, out, err
        self.namespace = None if args.all_namespaces else conn.namespace
        self.printed = 0
        self.errors: list[str] = []

    def run(self) -> int:
        from kubetui.kube.discovering import Discovery
        from kubetui.model.resource_names import TypeArgumentError, UnknownResourceType, parse_type_args

        discovery = Discovery(self.conn.api_client, self.conn.server)
        try:
            slashed = any("/" in argument for argument in self.args.resources)
            wanted = parse_type_args(self.args.resources, None if slashed else discovery.resources())
            if wanted.pairs and self.args.selector:
                raise TypeArgumentError("selectors and the all flag cannot be used when passing resource/name "
                                        "arguments" if wanted.tuples else
                                        "name cannot be provided when a selector is specified")
            kinds = {kind: discovery.resolve(kind) for kind in (wanted.types or [k for k, _ in wanted.pairs])}
        except (TypeArgumentError, UnknownResourceType) as exc:
            print(f"error: {exc}", file=self.err)
            return 1
        except Exception as exc:  # discovery failed
            print(self._error_text(exc, "get", listing=False), file=self.err)
            return 1
        if wanted.pairs:
            self._named(wanted, kinds)
        else:
            self._listed(wanted.types, kinds)
        self.out.flush()
        for message in self.errors:
            print(message, file=self.err)
        return 1 if self.errors else 0

    # ------------------------------------------------------------------ kubectl's builder
    def _named(self, wanted: Any, kinds: dict) -> None:
        from kubetui.kube.describing import get_object

        found: list[tuple[Any, dict]] = []
        missing: list[Exception] = []
        for kind, name in wanted.pairs:
            resource = kinds[kind]
            if resource.namespaced and self.namespace is None:
                self.errors.append("error: a resource cannot be retrieved by name across all namespaces")
                return
            try:
                found.append((resource, get_object(self.conn.api_client, resource, self.namespace, name)))
            except Exception as exc:
                exc = self._namespace_missing(resource, exc)
                missing.append(exc)
                self.errors.append(self._error_text(exc, f"get {resource.resource_text} {name}", listing=False))
        if len(self.args.resources) == 2 and any(getattr(exc, "status", None) == 404 for exc in missing):
            self._prefixed(kinds, wanted)
            return
        for resource, obj in found:  # events by default only for one object found without errors
            self._print(resource, obj, single=len(found) == 1 and not missing)

    def _prefixed(self, kinds: dict, wanted: Any) -> None:
        """`DescribeMatchingResources`: every object of the first argument's type whose name starts
        with the second argument; none: the errors of the named GETs stand."""
        from kubetui.kube.describing import get_object, list_objects

        first, prefix = self.args.resources
        resource = kinds[wanted.pairs[0][0]]
        try:
            if "/" in first:  # a TYPE/NAME: kubectl lists just that object
                items = [get_object(self.conn.api_client, resource, self.namespace, first.split("/", 1)[1])]
            else:
                items = list_objects(self.conn.api_client, resource, self.namespace)
        except Exception as exc:
            self.errors = [self._error_text(exc, f"list {resource.resource_text}", listing=True, resource=resource)]
            return
        matching = [item for item in items if str((item.get("metadata") or {}).get("name") or "").startswith(prefix)]
        if not matching:
            return  # the original errors stand
        self.errors = []
        for item in matching:
            text = self._text(resource, item, show_events=bool(self.args.show_events))
            if text is None:
                return
            self.out.write(text + "\n")

    def _namespace_missing(self, resource: Any, exc: Exception) -> Exception:
        """cli-runtime's check after a 404 in a namespace other than default: when the namespace
        itself does not exist, that is the error kubectl reports."""
        if getattr(exc, "status", None) != 404 or not resource.namespaced or self.namespace in (None, "default"):
            return exc
        from kubetui.kube.describing import get_object
        from kubetui.model.resource_names import ApiResource

        namespaces = ApiResource(group="", version="v1", plural="namespaces", singular="namespace",
                                 kind="Namespace", namespaced=False)
        try:
            get_object(self.conn.api_client, namespaces, None, self.namespace)
        except Exception as problem:
            if getattr(problem, "status", None) == 404:
                return problem
        return exc

    def _listed(self, types: list[str], kinds: dict) -> None:
        from kubetui.kube.describing import list_objects

        found: list[tuple[Any, dict]] = []
        for kind in types:
            resource = kinds[kind]
            try:
                items = list_objects(self.conn.api_client, resource, self.namespace,
                                     label_selector=self.args.selector)
            except Exception as exc:
                self.errors.append(self._error_text(exc, f"list {resource.resource_text}", listing=True,
                                                    resource=resource))
                continue
            found.extend((resource, item) for item in items)
        for resource, item in found:
            self._print(resource, item, single=len(found) == 1 and not self.errors)
        if not found and not self.errors:
            self.out.flush()
            if self.namespace is None:
                print("No resources found", file=self.err)
            else:
                print(f"No resources found in {self.namespace} namespace.", file=self.err)

    # ---------------------------------------------------------------------------- output
    def _print(self, resource: Any, obj: dict, *, single: bool) -> None:
        show = self.args.show_events if self.args.show_events is not None else single
        text = self._text(resource, obj, show_events=show)
        if text is None:
            return
        self.out.write(text if not self.printed else "\n\n" + text)
        self.printed += 1

    def _text(self, resource: Any, obj: dict, *, show_events: bool) -> str | None:
        from kubetui.kube.describing import describe_object

        try:
            return describe_object(self.conn.api_client, self.conn.server, resource, obj,
                                   show_events=show_events, now=datetime.now(timezone.utc))
        except Exception as exc:
            name = (obj.get("metadata") or {}).get("name") or ""
            message = self._error_text(exc, f"get {resource.resource_text} {name}", listing=False)
            if message not in self.errors:
                self.errors.append(message)
            return None

    def _error_text(self, exc: Exception, request: str, *, listing: bool, resource: Any = None) -> str:
        from kubetui.kube.kubectl_errors import kubectl_error_text, resource_text

        extra = {}
        if resource is not None:
            extra["resource"] = resource_text(resource.group, resource.version, resource.plural)
        return kubectl_error_text(exc, self.conn.server, label_selector=self.args.selector, request=request,
                                  listing=listing, **extra)
