"""Starting a port-forward from a key: `shift+f` on a pod or a container, then the ports dialog.

Key decisions: views only ask (`PortForwardRequested`); this piece, owned by the workspace,
reads the pod in a guarded worker (its phase and its containers' declared ports), refuses what
kubectl refuses (a pod that is not Running, in kubectl's words), asks for the ports
(`PortForwardDialog`) and hands the forward to the app's registry (`ui/port_forwards.py`), which
keeps it running in the background. `--readonly` refuses with the reason: RBAC grants a
port-forward as `create pods/portforward`, like exec.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message
from textual.widget import Widget

from kubetui.errors import KubetuiError
from kubetui.model.forward_ports import PortError, resolve
from kubetui.ui.messages import ActionPerformed
from kubetui.ui.workers import run_guarded

if TYPE_CHECKING:
    from kubetui.model.kubectl_grammar import PortMapping

# The kubectl grammar (its PortMapping, the read-only line) and the dialog are loaded by the first
# `shift+f`, not with the app.

__all__ = ["ForwardActions", "PortForwardRequested"]


class PortForwardRequested(Message):
    """A view asks to forward a port of pod ``name`` (of ``container`` when one is chosen)."""

    def __init__(self, namespace: str, name: str, container: str = "") -> None:
        super().__init__()
        self.namespace, self.name, self.container = namespace, name, container


class ForwardActions(Widget):
    """Not drawn: the workspace hands it each `PortForwardRequested`."""

    DEFAULT_CSS = "ForwardActions { display: none; }"

    def request(self, namespace: str, name: str, container: str = "") -> None:
        if self.app.readonly:
            from kubetui.model.kubectl_grammar import PORT_FORWARD_READONLY

            self.app.notify(PORT_FORWARD_READONLY, title="Read-only", severity="warning", markup=False)
            return
        run_guarded(self, partial(self._read_pod, namespace, name, container), group="port-forward", exclusive=False)

    def start(self, namespace: str, pod: dict, container: str, mapping: PortMapping) -> None:
        """Forward now (the ports resolved against `pod`); the `:port-forward` line comes here too."""
        try:
            port = resolve([mapping], pod)[0]
        except PortError as problem:
            self.app.report_error(KubetuiError(f"error: {problem}", "Port-forward"))
            return
        name = pod["metadata"]["name"]
        from kubetui.model import kubectl_equivalent as kubectl  # with the grammar: off the start path
        self.app.post_message(ActionPerformed(kubectl.port_forward(namespace, name, port.local, port.remote)))
        self.app.port_forwards.start(self.app, namespace, name, container, port, self.app.now())

    # -- the steps -------------------------------------------------------------------------------
    def _read_pod(self, namespace: str, name: str, container: str) -> None:
        """Worker thread: the pod now; the dialog back on the UI loop."""
        from kubetui.kube.exec_stream import read_pod
        from kubetui.ui.screens.port_forward_dialog import PortForwardDialog, declared_ports

        pod = read_pod(self.app.connection.api_client, namespace, name)
        phase = (pod.get("status") or {}).get("phase", "")
        if phase != "Running":
            raise KubetuiError(f"error: unable to forward port because pod is not running. Current status={phase}",
                               "Port-forward")
        dialog = PortForwardDialog(name, namespace, self.app.connection.context, declared_ports(pod, container),
                                   container)
        self.app.call_from_thread(self.app.push_screen, dialog, partial(self._chosen, namespace, pod, container))

    def _chosen(self, namespace: str, pod: dict, container: str, mapping: PortMapping | None) -> None:
        if mapping is not None:
            self.start(namespace, pod, container, mapping)
