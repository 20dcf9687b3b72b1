"""End to end in a real terminal: the study notes' kubectl commands typed, as printed, into
`kubetui demo`'s `:` line, one after another.

`kubetui demo` is started in an empty directory, so `apply -f sample-pod.yaml` reads the sample
shipped with kubetui (the apply panel's "Samples"), as a learner who has not copied the notes'
files would get it. Reuses the private-tmux-server `Terminal` of test_tmux_pods; every wait
polls the captured screen until a deadline.
"""

from __future__ import annotations

import sys

import pytest

from tests.e2e.tmux_terminal import Terminal, needs_tmux, row

pytestmark = needs_tmux

PROMPT = "root@sample-pod:/#"
EXITED = "exited with code 0 — Enter closes"


@pytest.fixture
def demo(tmp_path):
    (tmp_path / "work").mkdir()
    terminal = Terminal(f"cd {tmp_path / 'work'} && XDG_STATE_HOME={tmp_path / 'state'} "
                        f"XDG_CACHE_HOME={tmp_path / 'cache'} {sys.executable} -m kubetui demo; "
                        "echo kubetui-exited-$?; sleep 600")
    yield terminal
    terminal.close()


def on_the_line(screen: str, line: str) -> bool:
    """Whether the command line (its input box, `▊ ... ▎`) ends with ``line``'s last words."""
    return any(row.lstrip().startswith("▊") and line[-36:] in row for row in screen.splitlines())


def command(terminal: Terminal, line: str) -> None:
    terminal.type(":" + line)
    terminal.wait_for(lambda s: on_the_line(s, line), what=f"the command line showing {line!r}")
    terminal.keys("Enter")
    terminal.wait_for(lambda s: not on_the_line(s, line), what=f"the command line closed after {line!r}")


def close_finished_tab(terminal: Terminal) -> None:
    terminal.keys("Enter")  # an ended exec tab closes on Enter: the views are back
    terminal.wait_for(lambda s: EXITED not in s and row(s, "sample-2pod"), what="the views again")


def test_the_notes_commands_typed_on_the_command_line(demo, tmp_path):
    demo.wait_for(lambda s: (line := row(s, "sample-pod")) is not None and "Running" in line,
                  timeout=60, what="sample-pod Running")

    command(demo, "kubectl apply -f sample-pod.yaml")
    demo.wait_for(lambda s: "Samples/sample-pod.yaml" in s and "Plan (dry run, nothing changed)" in s,
                  timeout=30, what="the apply panel's plan for sample-pod.yaml")
    demo.keys("F3")  # apply, as the panel's plan offers
    demo.wait_for(lambda s: "Applied 1 object" in s and "pod/sample-pod configured" in s, what="sample-pod applied")

    command(demo, "kubectl get pods")
    screen = demo.wait_for(lambda s: "STATUS" in s and row(s, "sample-2pod") and row(s, "sample-pod"),
                           what="the pods view")
    assert "namespace default" in screen

    command(demo, "kubectl exec -it sample-pod -- /bin/ls --all --classify")
    screen = demo.wait_for(lambda s: EXITED in s, timeout=30, what="ls in sample-pod")
    assert "./" in screen and "../" in screen and "bin/" in screen and "etc/" in screen
    close_finished_tab(demo)

    command(demo, "kubectl exec -it sample-2pod -c nginx-container -- /bin/ls")
    screen = demo.wait_for(lambda s: EXITED in s, timeout=30, what="ls in sample-2pod's nginx-container")
    assert "sample-2pod/nginx-container" in screen and "bin" in screen and "./" not in screen
    close_finished_tab(demo)

    command(demo, 'kubectl exec -it sample-pod -- /bin/bash -c "ls --all --classify | grep lib"')
    screen = demo.wait_for(lambda s: EXITED in s, timeout=30, what="the grep pipeline in sample-pod")
    left = [line[:80].strip() for line in screen.splitlines()]  # the apply panel is open on the right
    listed = [line for line in left if line.startswith("lib")]
    assert "lib/" in listed and "lib64/" in listed
    assert "bin/" not in left
    close_finished_tab(demo)

    command(demo, "kubectl exec -it sample-pod -- /bin/bash")
    demo.wait_for(lambda s: PROMPT in s, timeout=30, what="bash's prompt in sample-pod")
    demo.type("pwd")
    demo.keys("Enter")
    screen = demo.wait_for(lambda s: f"{PROMPT} pwd" in s and s.count(PROMPT) >= 2, what="pwd's answer")
    lines = [line[:80] for line in screen.splitlines()]
    asked = next(i for i, line in enumerate(lines) if f"{PROMPT} pwd" in line)
    assert lines[asked + 1].strip() == "/"
    demo.type("exit")
    demo.keys("Enter")
    demo.wait_for(lambda s: EXITED in s, what="bash ended")
    close_finished_tab(demo)

    history = (tmp_path / "state" / "kubetui" / "command_history").read_text().splitlines()
    assert history == ["kubectl apply -f sample-pod.yaml", "kubectl get pods",
                       "kubectl exec -it sample-pod -- /bin/ls --all --classify",
                       "kubectl exec -it sample-2pod -c nginx-container -- /bin/ls",
                       'kubectl exec -it sample-pod -- /bin/bash -c "ls --all --classify | grep lib"',
                       "kubectl exec -it sample-pod -- /bin/bash"]
    demo.keys("q")
    demo.wait_for(lambda s: "kubetui-exited-0" in s, timeout=20, what="a clean exit")
