"""Exec sessions: from "shell in this pod" to a live terminal tab, or a one-shot command's output.

Key decisions: the pod is read fresh in a thread worker (container states change), then one
container opens at once and several go through the picker (`Enter` always shows it); `e` asks
for a command, run in a tab with a TTY or once without. Sessions get the app's connection of
the moment; `--readonly` refuses with the reason, because a shell can change anything. Nothing
here blocks the UI loop, and a failed read takes the app's one error route.
"""

from __future__ import annotations

from functools import partial

from kubetui.model import kubectl_equivalent as kubectl
from kubetui.model.exec_choices import container_choices
from kubetui.ui.messages import ActionPerformed
from kubetui.ui.screens.container_picker import ContainerPick, ContainerPicker
from kubetui.ui.screens.exec_command import CommandRequest, CommandResultScreen, ExecCommandDialog
from kubetui.ui.sessions.reclaim import freeze_heap_once
from kubetui.ui.widgets.exec_tab import ExecTab
from kubetui.ui.workers import run_guarded

READONLY_MESSAGE = ("kubetui runs with --readonly: exec is disabled, because a shell can change anything in "
                    "the container. Start kubetui without --readonly to open one.")


class ExecSessions:
    """The exec kind of session, working for (and through) a `SessionsArea`."""

    def __init__(self, area) -> None:
        self.area = area

    @property
    def app(self):
        return self.area.app

    def request(self, pod: tuple[str, str] | None, action: str) -> None:
        """``action``: "shell", "command", or "containers" (the picker even for one container)."""
        if self.app.readonly:
            self.area.notify(READONLY_MESSAGE, title="Read-only", severity="warning", timeout=8)
            return
        if pod is None:
            self.area.notify("no pod is selected", title="Exec", severity="warning")
            return
        then = partial(self._pick, always=True) if action == "containers" else partial(self._pick, action=action)
        api_client = self.app.connection.api_client

        def read() -> None:
            from kubetui.kube.exec_stream import read_pod

            self.app.call_from_thread(then, read_pod(api_client, *pod))

        run_guarded(self.area, read, group="exec-read")

    def _pick(self, pod: dict, always: bool = False, action: str | None = None) -> None:
        choices = container_choices(pod)
        if not choices:
            self.area.notify("this pod has no containers to exec into", title="Exec", severity="warning")
            return
        if len(choices) == 1 and not always:
            self._picked(pod, ContainerPick(choices[0].name, action or "shell"))
            return
        self.app.push_screen(ContainerPicker(pod), partial(self._picked, pod))

    def _picked(self, pod: dict, pick: ContainerPick | None) -> None:
        if pick is None:
            return
        meta = pod.get("metadata") or {}
        namespace, name = meta.get("namespace", ""), meta.get("name", "")
        if pick.action == "command":
            self.app.push_screen(ExecCommandDialog(f"{name}/{pick.container}"),
                                 partial(self._command_chosen, namespace, name, pick.container))
        else:
            self.open_tab(namespace, name, pick.container)

    def _command_chosen(self, namespace: str, name: str, container: str, request: CommandRequest | None) -> None:
        if request is None:
            return
        if request.tty:
            self.open_tab(namespace, name, container, request.argv)
            return
        from kubetui.kube.exec_once import run_once
        from kubetui.kube.exec_stream import ExecTarget

        target = ExecTarget(namespace, name, container, request.argv, tty=False)
        api_client = self.app.connection.api_client
        title = f"{name}/{container}: {' '.join(request.argv)}"
        self.app.post_message(ActionPerformed(kubectl.exec_in(namespace, name, container, request.argv,
                                                              tty=False, stdin=False)))
        self.app.push_screen(CommandResultScreen(title, lambda cancelled: run_once(api_client, target,
                                                                                   cancelled=cancelled)))

    def open_tab(self, namespace: str, pod: str, container: str, command: tuple = (), *, tty: bool = True) -> ExecTab:
        """A new session in a new tab, made active and focused (``tty`` False: `exec -i` without `-t`)."""
        from kubetui.kube.exec_session import ExecSession
        from kubetui.kube.exec_stream import ExecTarget

        target = ExecTarget(namespace, pod, container, tuple(command), tty=tty)
        freeze_heap_once()
        tab = ExecTab(target, partial(ExecSession, self.app.connection.api_client))
        self.area.open_session(target.title, tab)
        return tab
