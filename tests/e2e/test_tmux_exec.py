"""End to end in a real terminal: `kubetui demo` under tmux, a shell in sample-pod, `pwd`, exit.

Runs in the private-tmux-server `Terminal` of tmux_terminal.py. Every wait polls the captured
screen until a deadline; nothing sleeps to synchronise.
"""

from __future__ import annotations

from tests.e2e.tmux_terminal import needs_tmux, row

pytestmark = needs_tmux

PROMPT = "root@sample-pod:/#"



def test_shell_in_sample_pod_answers_pwd_and_exits_with_its_code(demo):
    demo.wait_for(lambda s: (line := row(s, "sample-pod")) is not None and "Running" in line,
                  timeout=60, what="sample-pod Running")
    demo.type("/sample-pod ")  # only sample-pod's row matches; Enter keeps the filter and the cursor on it
    demo.keys("Enter")
    # the table has the keys again (its "s Shell" is in the key bar) once Enter closed the filter line
    demo.wait_for(lambda s: row(s, "sample-pod") and not row(s, "sample-2pod") and " s Shell " in s,
                  what="only sample-pod, the table focused")

    demo.keys("s")
    screen = demo.wait_for(lambda s: PROMPT in s, timeout=30, what="the shell prompt in a tab")
    assert "sample-pod/" in screen  # the tab is titled pod/container

    demo.type("pwd")
    demo.keys("Enter")
    screen = demo.wait_for(lambda s: f"{PROMPT} pwd" in s and s.count(PROMPT) >= 2, what="pwd's answer")
    lines = screen.splitlines()
    asked = next(i for i, line in enumerate(lines) if f"{PROMPT} pwd" in line)
    assert lines[asked + 1].strip().endswith("/")

    demo.type("exit 3")
    demo.keys("Enter")
    demo.wait_for(lambda s: "exited with code 3 — Enter closes, r reconnects" in s, what="the exit code")
    demo.keys("Enter")  # closes the tab: the dashboard is back
    demo.wait_for(lambda s: PROMPT not in s and row(s, "sample-pod"), what="the dashboard again")

    demo.keys("q")
    demo.wait_for(lambda s: "kubetui-exited-0" in s, timeout=20, what="a clean exit")


def test_full_terminal_mode_bridges_the_real_terminal_and_comes_back(demo):
    demo.wait_for(lambda s: (line := row(s, "sample-pod")) is not None and "Running" in line,
                  timeout=60, what="sample-pod Running")
    demo.type("/sample-pod ")
    demo.keys("Enter")
    # the table has the keys again (its "s Shell" is in the key bar) once Enter closed the filter line
    demo.wait_for(lambda s: row(s, "sample-pod") and not row(s, "sample-2pod") and " s Shell " in s,
                  what="only sample-pod, the table focused")
    demo.keys("s")
    demo.wait_for(lambda s: PROMPT in s, timeout=30, what="the shell prompt in a tab")

    demo.keys("C-]")  # to the tab bar
    demo.keys("f")  # full-terminal mode: kubetui suspends itself
    demo.wait_for(lambda s: "full-terminal mode: ctrl+] returns to kubetui" in s, what="the bridge banner")
    demo.type("echo bridged-$((20+22))")
    demo.keys("Enter")
    demo.wait_for(lambda s: "bridged-42" in s and "● live" not in s, what="the command answered in the real terminal")

    demo.keys("C-]")  # back to kubetui, the session goes on in its tab
    demo.wait_for(lambda s: "● live" in s and "back from full-terminal mode" in s, what="kubetui again")
    demo.type("echo still-$((1+1))")
    demo.keys("Enter")
    demo.wait_for(lambda s: "still-2" in s, what="the same session, in its tab")

    demo.keys("C-]", "q")
    demo.wait_for(lambda s: "kubetui-exited-0" in s, timeout=20, what="a clean exit")
