"""End to end in a real terminal: why is the demo's port clash failing? Read off the screen.

On `kubetui demo`, the cursor on sample-port-clash (two nginx containers both binding :80): the
line under the table names the bind error, `l` shows nginx's bind() line in a log tab, Esc comes
back, `d` shows kubectl describe's BackOff event. Every wait polls the captured screen until a
deadline (the Terminal helper of test_tmux_pods.py).
"""

from __future__ import annotations

import re


from tests.e2e.tmux_terminal import needs_tmux, row

pytestmark = needs_tmux

POD = "sample-port-clash"
BIND_ERROR = "bind() to 0.0.0.0:80 failed (98: Address already in use)"


def failing(screen: str) -> bool:
    line = row(screen, POD)
    return line is not None and "1/2" in line and ("CrashLoopBackOff" in line or "Error" in line)


def test_the_port_clash_says_why_l_shows_the_bind_error_and_d_the_backoff_event(demo):
    demo.wait_for(lambda s: "● live" in s and failing(s), timeout=60, what=f"{POD} failing, 1/2")
    demo.type("/port-clash")  # the only row left: the cursor is on it
    demo.keys("Enter")
    screen = demo.wait_for(lambda s: failing(s) and row(s, "sample-2pod") is None and BIND_ERROR in s,
                           timeout=60, what="the failure line naming the bind error")
    why = next(line for line in screen.splitlines() if BIND_ERROR in line)
    assert re.search(r"nginx-container-2: (CrashLoopBackOff|Error) · (last )?exit 1\b.* · log: nginx: \[emerg\]", why), why

    demo.keys("l")
    screen = demo.wait_for(lambda s: f"log {POD}/nginx-container-2" in s and f"[emerg] 1#1: {BIND_ERROR}" in s,
                           what="nginx's bind() line in the log tab")
    assert f"nginx: [emerg] {BIND_ERROR}" in screen

    demo.keys("Escape")  # back to the pods; the log tab stays
    demo.wait_for(lambda s: failing(s) and BIND_ERROR in s and f"[emerg] 1#1: {BIND_ERROR}" not in s,
                  what="the pods view again")

    demo.keys("d")
    demo.wait_for(lambda s: f"describe {POD}" in s and "Name:             sample-port-clash" in s,
                  what="the describe tab")
    demo.keys("G")  # the events are at the end
    screen = demo.wait_for(lambda s: re.search(r"Warning\s+BackOff\s+.*Back-off restarting failed container "
                                               r"nginx-container-2", s), timeout=60, what="the BackOff event")
    assert "Events:" in screen and re.search(r"\bkubelet\b", screen)

    demo.keys("q")
    demo.wait_for(lambda s: "kubetui-exited-0" in s, timeout=20, what="a clean exit")
