"""The `:` line's kubeconfig commands: `config use-context NAME` and `config set-context
--current --namespace=NS`.

Key decision: the kubeconfig changes as kubectl changes it (`kube.kubeconfig_writing`, kubectl's
lines), and the app follows: a new context reconnects the views as the context picker does, a
new namespace of the current context becomes the default and the view moves to it.
"""

from __future__ import annotations

from typing import Any

from kubetui.model.kubectl_grammar import SetContextNamespaceRequest, UseContextRequest

__all__ = ["set_context_namespace", "use_context"]


def use_context(runner: Any, request: UseContextRequest, line: str) -> None:
    conn = runner.app.connection

    def work() -> tuple[str, Any]:
        from kubetui.kube.contexts import connect, kubeconfig_paths
        from kubetui.kube.kubeconfig_writing import use_context

        said = use_context(kubeconfig_paths(conn.kubeconfig), request.name)
        return said, connect(conn.kubeconfig, request.name, None)

    def then(done: tuple[str, Any]) -> None:
        from kubetui.ui.messages import ContextConnected

        said, connection = done
        runner.report([said])
        runner.screen.post_message(ContextConnected(connection))

    runner.in_thread(work, then)


def set_context_namespace(runner: Any, request: SetContextNamespaceRequest, line: str) -> None:
    conn = runner.app.connection

    def work() -> tuple[str, str]:
        from kubetui.kube.contexts import kubeconfig_paths
        from kubetui.kube.kubeconfig_writing import set_context_namespace

        return set_context_namespace(kubeconfig_paths(conn.kubeconfig), request.context_name, request.new_namespace)

    def then(done: tuple[str, str]) -> None:
        name, said = done
        runner.report([said])
        if name == runner.app.connection.context:  # the current context: its namespace is the default now
            runner.app.connection.namespace = request.new_namespace
            runner.screen.show_namespace(request.new_namespace)

    runner.in_thread(work, then)
