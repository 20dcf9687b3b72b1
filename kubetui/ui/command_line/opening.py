"""The `:` line's session commands: `logs` (a log tab) and `exec` (a terminal tab, or a one-shot
result like the `e` dialog's).

Key decisions: the pod is found as kubectl finds it (`POD`, or `TYPE/NAME` whose pods are
listed and the first one taken, with kubectl's "Found 3 pods, using pod/x"), and the container
as kubectl picks it: `-c`, else the `kubectl.kubernetes.io/default-container` annotation's,
else the first, with kubectl's `Defaulted container "x" out of: ...` on the status line.
`exec -it` opens an interactive tab, `-i` alone one without a TTY (stdin only, as kubectl runs
it), and no `-i` runs the command once and shows its output and exit code. `logs` keeps every
flag: `-f` follows, otherwise the tab reads what is there and says it ended; `--tail`,
`--since`, `-p`, `--timestamps`, `--all-containers`, `--prefix`, `-c`, `-l` as kubectl reads
them. Reading happens in a thread worker; errors take the app's route in kubectl's words.
"""

from __future__ import annotations

from typing import Any

from kubetui.errors import KubetuiError
from kubetui.model.kubectl_grammar import ExecRequest, LogsRequest, Target

__all__ = ["exec_", "logs"]


def _kubectl_error(exc: Exception, server: str, request: str, title: str) -> KubetuiError:
    from kubetui.kube.kubectl_errors import kubectl_error_text

    return KubetuiError(kubectl_error_text(exc, server, request=request, listing=False), title)


def _pod_of(api_client: Any, server: str, namespace: str, target: Target, title: str) -> tuple[dict, str | None]:
    """The pod ``target`` names (the first of a workload's), and kubectl's notice about the choice."""
    from kubetui.kube.log_objects import NotLoggable, UnknownResourceType, WaitedTooLong, find_object, pods_of

    argument = f"{target.resource.resource_text}/{target.name}"
    try:
        workload = find_object(api_client, namespace, argument)
        if workload.is_pod:
            return workload.obj, None
        pods = pods_of(api_client, namespace, workload.pod_selector())
    except (UnknownResourceType, NotLoggable, WaitedTooLong, ValueError) as problem:
        raise KubetuiError(f"error: {problem}", title) from None
    except Exception as exc:  # ApiException (404), transport errors
        raise _kubectl_error(exc, server, f"get {target.resource.resource_text} {target.name}", title) from None
    notice = f"Found {len(pods)} pods, using pod/{pods[0]['metadata']['name']}" if len(pods) > 1 else None
    return pods[0], notice


# --------------------------------------------------------------------------------------- exec
def exec_(runner: Any, request: ExecRequest, line: str) -> None:
    from kubetui.model.log_sources import pick_containers

    conn = runner.app.connection
    api_client, server = conn.api_client, conn.server
    namespace = runner.namespace(request)

    def find() -> tuple[str, str, list[str]]:
        pod, notice = _pod_of(api_client, server, namespace, request.target, "Exec")
        name = pod["metadata"]["name"]
        phase = (pod.get("status") or {}).get("phase")
        if phase in ("Succeeded", "Failed"):
            raise KubetuiError(f"error: cannot exec into a container in a completed pod; current phase is {phase}",
                               "Exec")
        notices = [notice] if notice else []
        if request.container:
            spec = pod.get("spec") or {}
            names = [c.get("name") for key in ("containers", "initContainers", "ephemeralContainers")
                     for c in spec.get(key) or ()]
            if request.container not in names:
                raise KubetuiError(f"error: container {request.container} not found in pod {name}", "Exec")
            return name, request.container, notices
        try:
            pick = pick_containers(pod)
        except ValueError as problem:
            raise KubetuiError(f"error: {problem}", "Exec") from None
        return name, pick.names[0], notices + ([pick.notice] if pick.notice else [])

    def then(found: tuple[str, str, list[str]]) -> None:
        pod, container, notices = found
        if notices:
            runner.report(notices, title="kubectl", severity="warning")
        if request.stdin:
            runner.screen.sessions.kind("exec").open_tab(namespace, pod, container, request.argv, tty=request.tty)
            return
        from kubetui.kube.exec_once import run_once
        from kubetui.kube.exec_stream import ExecTarget
        from kubetui.ui.screens.exec_command import CommandResultScreen

        target = ExecTarget(namespace, pod, container, request.argv, tty=False)
        runner.app.push_screen(CommandResultScreen(f"{pod}/{container}: {' '.join(request.argv)}",
                                                   lambda cancelled: run_once(api_client, target,
                                                                              cancelled=cancelled)))

    runner.in_thread(find, then, group="command-exec")


# --------------------------------------------------------------------------------------- logs
def logs(runner: Any, request: LogsRequest, line: str) -> None:
    from kubetui.kube.log_follow import LogTarget
    from kubetui.kube.logs import LogOptions
    from kubetui.model.log_choices import container_names
    from kubetui.model.log_sources import pick_containers
    from kubetui.ui.sessions.logs import LogSource

    conn = runner.app.connection
    api_client, server = conn.api_client, conn.server
    namespace = runner.namespace(request)
    options = LogOptions(follow=request.follow, previous=request.previous, timestamps=request.timestamps,
                         tail_lines=request.tail, since_seconds=request.since_seconds)

    def find() -> tuple[LogSource, list[str]]:
        if request.target is None:  # -l SELECTOR
            target = LogTarget(namespace, selector=request.selector, container=request.container,
                               all_containers=request.all_containers)
            return LogSource(f"-l {request.selector}", target, ()), []
        pod, notice = _pod_of(api_client, server, namespace, request.target, "Logs")
        try:
            pick = pick_containers(pod, request.container, request.all_containers)
        except ValueError as problem:
            raise KubetuiError(f"error: {problem}", "Logs") from None
        name = pod["metadata"]["name"]
        container = None if request.all_containers else pick.names[0]
        target = LogTarget(namespace, pod=name, container=container, all_containers=request.all_containers)
        title = f"{name}/{container}" if container else name
        notices = [text for text in (notice, pick.notice) if text]
        return LogSource(title, target, container_names(pod)), notices

    def then(found: tuple[LogSource, list[str]]) -> None:
        source, notices = found
        if notices:
            runner.report(notices, title="kubectl", severity="warning")
        runner.screen.sessions.kind("logs").open_tab(source, options, prefix=request.prefix or None)

    runner.in_thread(find, then, group="command-logs")
