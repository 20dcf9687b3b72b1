"""Log sessions: from "the logs of this pod, container or workload" to a followed log tab.

Key decisions: the object is read fresh in a thread worker, then the tab opens and follows,
starting from the last 1,000 lines (`kubectl logs -f --tail=1000`). A pod reads its failing
container when one fails (the one the line under the pods table names: its log says why),
else kubectl's default container (the `kubectl.kubernetes.io/default-container` annotation's,
else the first); a row of the containers view, that container; a Deployment, ReplicaSet,
StatefulSet, DaemonSet or Job, every pod its selector matches, new pods joining as they come (as
stern does), each line prefixed `[pod/NAME/CONTAINER]` as `kubectl logs --prefix` writes it.
Reading logs changes nothing, so `--readonly` allows it. A failed read takes the app's one error
route.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial
from typing import Any

from kubetui.errors import KubetuiError, from_api_exception
from kubetui.model.failure import pod_failure
from kubetui.model.pod_status import pod_row
from kubetui.model.log_choices import container_names
from kubetui.model.log_sources import pick_containers
from kubetui.ui.widgets.log_tab import LogTab
from kubetui.ui.workers import run_guarded

# Under a flood (bench/bench_log_tab.py) the UI shares the interpreter lock with the readers:
# small batches keep each hand-over (and each batch the ring frees) well under a millisecond,
# and a reader stepping aside after each read gives the lock back to the UI at once; the tab
# still takes more lines a second than kubectl prints to /dev/null.
BATCH_SECONDS = 0.005
READ_PAUSE_SECONDS = 0.0005
# what a view asks for (`ResourceView.SessionRequested.action`) -> how the tab's title names it
WORKLOADS = {"deployment": "deploy", "replicaset": "rs", "statefulset": "sts", "daemonset": "ds", "job": "job"}


@dataclass(frozen=True)
class LogSource:
    title: str                    # "web/nginx", "deploy/web"
    target: Any                   # kubetui.kube.log_follow.LogTarget
    containers: tuple[str, ...]   # what the tab's container choice offers


class LogSessions:
    """The logs kind of session, working for (and through) a `SessionsArea`."""

    def __init__(self, area) -> None:
        self.area = area

    @property
    def app(self):
        return self.area.app

    def request(self, obj: tuple[str, str] | None, action: str) -> None:
        """``obj``: (namespace, name). ``action``: "pod", "container:NAME", or a workload kind
        ("deployment", "replicaset", ...; see `WORKLOADS`)."""
        if obj is None:
            self.area.notify("nothing is selected", title="Logs", severity="warning")
            return
        namespace, name = obj
        kind, _, container = action.partition(":")
        api_client = self.app.connection.api_client

        def read() -> None:
            source = read_source(api_client, namespace, kind, name, container or None)
            self.app.call_from_thread(self.open_tab, source)

        run_guarded(self.area, read, group="logs-read")

    def open_tab(self, source: LogSource, options: Any = None, *, prefix: bool | None = None) -> LogTab:
        """A new tab following ``source``, made active and focused; ``options`` (`LogOptions`) and
        ``prefix`` as `kubectl logs` flags set them (default: `-f --tail=1000`)."""
        from kubetui.kube.log_follow import DEFAULT_TAIL, LogFollow
        from kubetui.kube.logs import LogOptions

        # As an exec tab does (ui/sessions/exec.py): what is alive now lives long, so the
        # collector's full passes stop walking it (they took 150 ms under a flood; lines are
        # bytes, which it never walks). A closed tab drops its lines at once (`LogTab`).
        gc.freeze()
        tab = LogTab(source.title, source.target, options or LogOptions(follow=True, tail_lines=DEFAULT_TAIL),
                     partial(LogFollow, self.app.connection.api_client, batch_interval=BATCH_SECONDS,
                             read_pause=READ_PAUSE_SECONDS, prefix=prefix), containers=source.containers,
                     save_dir=self.app.manifests_dir, now=self.app.now)
        self.area.open_session(f"log {source.title}", tab)
        return tab


def failing_container(pod: dict) -> str | None:
    """The container whose failure the pods view explains (`model.failure`), if one fails: its
    log says why, where kubectl's default container may be the one that runs fine."""
    failure = pod_failure(pod, pod_row(pod, datetime.now(timezone.utc)).status)  # the clock moves ages only
    return failure.container if failure is not None and failure.container else None


def read_source(api_client: Any, namespace: str, kind: str, name: str, container: str | None) -> LogSource:
    """Worker thread: what a log tab of (``kind``, ``name``) reads; KubetuiError when it cannot."""
    from kubetui.kube.log_follow import LogTarget
    from kubetui.kube.log_objects import NotLoggable, UnknownResourceType, find_object

    if kind not in ("pod", "container") and kind not in WORKLOADS:
        raise KubetuiError(f"{kind} has no logs to follow", "Logs")
    try:
        workload = find_object(api_client, namespace, f"{'pod' if kind == 'container' else kind}/{name}")
        containers = container_names(workload.obj)
        if workload.is_pod:
            container = container or failing_container(workload.obj) or \
                pick_containers(workload.obj, None, quiet=True).names[0]
            return LogSource(f"{name}/{container}", LogTarget(namespace, pod=name, container=container), containers)
        target = LogTarget(namespace, selector=workload.pod_selector())
        return LogSource(f"{WORKLOADS[kind]}/{name}", target, containers)
    except (UnknownResourceType, NotLoggable, ValueError) as problem:
        raise KubetuiError(str(problem), "Logs") from None
    except Exception as exc:  # ApiException (404 when it was just deleted), transport errors
        raise from_api_exception(exc) from None
