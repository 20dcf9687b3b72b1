"""What a person can exec into, and what they asked to run: pure functions on pod dicts and text.

`container_choices` lists the pod's containers, then native sidecars (init containers with
`restartPolicy: Always`) and ephemeral (debug) containers that are running, each with image
and state, as kubectl and k9s offer them; `preselected` honours the
`kubectl.kubernetes.io/default-container` annotation. `parse_command` reads a kubectl-style
command line (`-- /bin/ls --all --classify`) into argv.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container"


@dataclass(frozen=True)
class ContainerChoice:
    name: str
    image: str
    kind: str  # "container", "sidecar" or "ephemeral"
    state: str  # "running", "waiting (CrashLoopBackOff)", "terminated (Completed)", "unknown"

    @property
    def running(self) -> bool:
        return self.state == "running"


def _state(status: dict | None) -> str:
    state = (status or {}).get("state") or {}
    if "running" in state:
        return "running"
    for phase in ("waiting", "terminated"):
        if phase in state:
            reason = (state[phase] or {}).get("reason")
            return f"{phase} ({reason})" if reason else phase
    return "unknown"


def container_choices(pod: dict) -> list[ContainerChoice]:
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}

    def statuses(key: str) -> dict:
        return {s.get("name"): s for s in status.get(key) or []}

    main = statuses("containerStatuses")
    choices = [ContainerChoice(c.get("name", ""), c.get("image", ""), "container", _state(main.get(c.get("name"))))
               for c in spec.get("containers") or []]
    init = statuses("initContainerStatuses")
    for c in spec.get("initContainers") or []:
        state = _state(init.get(c.get("name")))
        if c.get("restartPolicy") == "Always" and state == "running":
            choices.append(ContainerChoice(c.get("name", ""), c.get("image", ""), "sidecar", state))
    ephemeral = statuses("ephemeralContainerStatuses")
    for c in spec.get("ephemeralContainers") or []:
        state = _state(ephemeral.get(c.get("name")))
        if state == "running":
            choices.append(ContainerChoice(c.get("name", ""), c.get("image", ""), "ephemeral", state))
    return choices


def default_container(pod: dict) -> str | None:
    """The annotation's container if the pod has it, else None."""
    name = ((pod.get("metadata") or {}).get("annotations") or {}).get(DEFAULT_CONTAINER_ANNOTATION)
    names = {c.get("name") for c in (pod.get("spec") or {}).get("containers") or []}
    return name if name in names else None


def preselected(pod: dict, choices: list[ContainerChoice]) -> int:
    """Index to highlight: the default container, else the first running one, else the first."""
    wanted = default_container(pod)
    for index, choice in enumerate(choices):
        if choice.name == wanted:
            return index
    return next((i for i, c in enumerate(choices) if c.running), 0)


def parse_command(text: str) -> tuple[str, ...]:
    """`-- /bin/ls --all --classify` (or without the `--`) -> ('/bin/ls', '--all', '--classify').

    Raises ValueError with a message meant for the user (unbalanced quotes, nothing to run).
    """
    try:
        argv = shlex.split(text)
    except ValueError as exc:
        raise ValueError(f"cannot read the command: {exc}") from None
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        raise ValueError("nothing to run: type a command, e.g. -- /bin/ls --all --classify")
    return tuple(argv)
