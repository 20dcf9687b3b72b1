"""End to end in a real terminal: the resource views of `kubetui demo`, driven by keys, read off the screen.

`:deploy` (typed in one burst, as a fast typist sends it), Enter down the ownership to the pods
of sample-deployment's ReplicaSet, `ctrl+d` and `y` on one of them (the ReplicaSet replaces it),
Esc back up the breadcrumb; and scale and rollout restart on the deployments view. Every wait
polls the captured screen until a deadline (tmux_terminal.Terminal).
"""

from __future__ import annotations

import re

from tests.e2e.tmux_terminal import Terminal, needs_tmux, row

pytestmark = needs_tmux

CONTEXT = "kubetui-local"  # the context `kubetui demo` writes
DEPLOYMENT = "sample-deployment"



def breadcrumb(screen: str) -> str:
    """The header's second line: connection state, breadcrumb, counts."""
    lines = screen.splitlines()
    return lines[1] if len(lines) > 1 else ""


def names_with_prefix(screen: str, prefix: str) -> list[str]:
    """The first column of the table lines whose name is ``prefix`` followed by one more segment."""
    pattern = re.compile(rf"^({re.escape(prefix)}-[a-z0-9]+)\s")
    return [match.group(1) for line in screen.splitlines() if (match := pattern.match(line))]


def dialog_text(screen: str) -> str:
    """The words inside the bordered dialog boxes on screen, joined into one line."""
    inside = [part.strip() for line in screen.splitlines() for part in re.findall(r"│([^│]*)│", line)]
    return " ".join(part for part in inside if part)


def open_deployments(demo: Terminal) -> str:
    demo.wait_for(lambda s: "● live" in s and row(s, "sample-2pod") is not None, timeout=60,
                  what="the pods of the demo, live")
    demo.type(":deploy")  # in one burst: the letters after `:` must reach the command line
    demo.keys("Enter")
    return demo.wait_for(lambda s: "Deployments" in s and re.search(r"\bdeploy\s+deployments 1\b", breadcrumb(s))
                         and row(s, DEPLOYMENT) is not None, what="the deployments view with sample-deployment")


def test_deploy_enter_enter_then_delete_a_pod_and_its_replicaset_replaces_it(demo):
    screen = open_deployments(demo)
    assert "READY" in screen and "UP-TO-DATE" in screen and "AVAILABLE" in screen  # kubectl's columns

    demo.keys("Enter")
    screen = demo.wait_for(lambda s: f"deploy › {DEPLOYMENT} › rs" in breadcrumb(s)
                           and names_with_prefix(s, DEPLOYMENT), what="the ReplicaSets of sample-deployment")
    [replicaset] = names_with_prefix(screen, DEPLOYMENT)
    assert "DESIRED" in screen and "CURRENT" in screen

    demo.keys("Enter")

    def pods_running(s: str) -> bool:
        pods = names_with_prefix(s, replicaset)
        return (f"rs › {replicaset} › pods" in breadcrumb(s) and len(pods) == 3
                and all("1/1" in row(s, pod) and "Running" in row(s, pod) for pod in pods))

    screen = demo.wait_for(pods_running, timeout=60, what=f"the three pods of {replicaset}, running")
    pods = names_with_prefix(screen, replicaset)
    assert row(screen, "sample-2pod") is None, "only the ReplicaSet's pods are listed"

    demo.keys("C-d")
    screen = demo.wait_for(lambda s: "Delete pod" in dialog_text(s), what="the delete confirmation")
    question = re.search(r"Delete pod (\S+) in namespace (\S+) on context (\S+)\?", dialog_text(screen))
    assert question, dialog_text(screen)
    victim, namespace, context = question.groups()
    assert victim in pods and namespace == "default" and context == CONTEXT

    demo.keys("y")

    def replaced(s: str) -> bool:
        now = names_with_prefix(s, replicaset)
        return victim not in now and len(now) == 3 and len(set(now) - set(pods)) == 1

    screen = demo.wait_for(replaced, what=f"{victim} gone and a new pod of {replicaset} in its place")
    assert f'pod "{victim}" deleted' in screen  # the status line, in kubectl's words
    assert "Delete pod" not in dialog_text(screen)

    demo.keys("Escape")
    demo.wait_for(lambda s: breadcrumb(s).split("  ")[1:2] == [f"deploy › {DEPLOYMENT} › rs"]
                  and names_with_prefix(s, DEPLOYMENT) == [replicaset], what="back on the ReplicaSets")
    demo.keys("Escape")
    demo.wait_for(lambda s: re.search(r"\bdeploy\s+deployments 1\b", breadcrumb(s)) and row(s, DEPLOYMENT)
                  and "›" not in breadcrumb(s), what="back on the deployments")

    demo.keys("q")
    demo.wait_for(lambda s: "kubetui-exited-0" in s, timeout=20, what="a clean exit")


def test_scale_to_five_then_rollout_restart_on_the_deployments_view(demo):
    open_deployments(demo)
    demo.wait_for(lambda s: (line := row(s, DEPLOYMENT)) is not None and line.split()[1] == "3/3", timeout=60,
                  what="sample-deployment 3/3")

    demo.keys("s")
    demo.wait_for(lambda s: "Scale deployment.apps/sample-deployment" in dialog_text(s)
                  and "Current count: 3 replicas" in dialog_text(s), what="the scale dialog with the current count")
    demo.type("5")  # the current count is selected: typing replaces it
    demo.keys("Enter")
    demo.wait_for(lambda s: "deployment.apps/sample-deployment scaled" in s, what="kubectl's line for a scale")
    demo.wait_for(lambda s: (line := row(s, DEPLOYMENT)) is not None and line.split()[1:4] == ["5/5", "5", "5"],
                  timeout=60, what="READY 5/5 on sample-deployment")

    demo.keys("r")
    demo.wait_for(lambda s: "deployment.apps/sample-deployment restarted" in s, what="kubectl's line for a restart")
    demo.keys("Enter")  # the restart rolled out a new ReplicaSet, which takes over the five pods

    def rolled(s: str) -> bool:
        counts = {name: row(s, name).split()[1:4] for name in names_with_prefix(s, DEPLOYMENT)}
        return (f"deploy › {DEPLOYMENT} › rs" in breadcrumb(s) and len(counts) == 2
                and sorted(counts.values()) == [["0", "0", "0"], ["5", "5", "5"]])

    demo.wait_for(rolled, timeout=60, what="the old ReplicaSet at 0 and a new one at 5/5/5")
