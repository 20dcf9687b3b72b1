"""Pure decisions for an exec request: which container, whether it can run, what it says.

The wording is the real one, from where the real cluster says it: the API server validates
the container name before upgrading (`container nope is not valid for pod sample-2pod`,
400), the kubelet refuses a container that is not running (`container not found ("x")`,
500, text), and the runtime reports a missing program after the upgrade on the status
channel, as runc/containerd phrase it. The Status bodies sent on channel 3 match the
kubelet's JSON field for field.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from kubetui.localcluster.apimachinery import errors
from kubetui.model.exec_ends import running_instance

_TRUE = {"1", "t", "T", "true", "TRUE", "True"}


@dataclass(frozen=True)
class ExecOptions:
    command: list[str]
    container: str
    stdin: bool
    stdout: bool
    stderr: bool
    tty: bool


def parse_options(query) -> ExecOptions:
    """From the query string (kubectl omits false flags; the Python client sends them)."""
    def flag(name: str) -> bool:
        return query.get(name, "") in _TRUE

    tty = flag("tty")
    command = list(query.getall("command", []))
    if not command:
        raise errors.bad_request("you must specify at least 1 command")
    options = ExecOptions(command, query.get("container", ""), flag("stdin"), flag("stdout"),
                          flag("stderr") and not tty,  # a terminal merges stderr into stdout
                          tty)
    if not (options.stdin or options.stdout or options.stderr or flag("stderr")):
        raise errors.bad_request("you must specify at least 1 of stdin, stdout, stderr")
    return options


def _names(containers: list[dict]) -> str:
    return " ".join(c.get("name", "") for c in containers)


def choose_container(pod: dict, requested: str) -> dict:
    """The container spec to exec into, or the API server's 400."""
    name = pod["metadata"]["name"]
    spec = pod.get("spec") or {}
    containers = list(spec.get("containers") or [])
    init = list(spec.get("initContainers") or [])
    ephemeral = list(spec.get("ephemeralContainers") or [])
    chosen = None
    if not requested:
        if len(containers) == 1:
            chosen = containers[0]
        elif not containers:
            raise errors.bad_request(f"a container name must be specified for pod {name}")
        else:
            message = (f"a container name must be specified for pod {name}, choose one of: "
                       f"[{_names(containers)}]")
            if init:
                message += f" or one of the init containers: [{_names(init)}]"
            raise errors.bad_request(message)
    else:
        chosen = next((c for c in containers + init + ephemeral if c.get("name") == requested),
                      None)
        if chosen is None:
            raise errors.bad_request(f"container {requested} is not valid for pod {name}")
    if not spec.get("nodeName"):
        raise errors.bad_request(f"pod {name} does not have a host assigned")
    return chosen


def container_running(pod: dict, container: str) -> bool:
    return running_instance(pod, container) is not None


def not_running_text(container: str) -> str:
    """The kubelet's answer (HTTP 500, plain text) for a container that is not running."""
    return f'container not found ("{container}")'


def success_status() -> dict:
    return {"metadata": {}, "status": "Success"}


def exit_status(command: list[str], code: int) -> dict:
    return {"metadata": {}, "status": "Failure",
            "message": f"command terminated with non-zero exit code: error executing command "
                       f"[{' '.join(command)}], exit code {code}",
            "reason": "NonZeroExitCode",
            "details": {"causes": [{"reason": "ExitCode", "message": str(code)}]}}


def runtime_failure_status(detail: str) -> dict:
    """containerd/runc refusing to start the program (e.g. no /bin/bash in alpine)."""
    exec_id = secrets.token_hex(32)
    cause = ("error executing command in container: failed to exec in container: failed to "
             f"start exec \"{exec_id}\": OCI runtime exec failed: exec failed: unable to start "
             f"container process: {detail}: unknown")
    return {"metadata": {}, "status": "Failure", "message": f"Internal error occurred: {cause}",
            "reason": "InternalError", "details": {"causes": [{"message": cause}]}, "code": 500}


def node_ip(pod: dict, node: dict | None) -> str:
    """status.hostIP, else the node's InternalIP, else the kind-like default."""
    host_ip = (pod.get("status") or {}).get("hostIP")
    if host_ip:
        return host_ip
    for address in ((node or {}).get("status") or {}).get("addresses") or []:
        if address.get("type") == "InternalIP":
            return address.get("address", "")
    return "172.18.0.2"
