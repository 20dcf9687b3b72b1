"""End to end in a real terminal: `kubetui demo` under tmux, driven by keys, read off the screen.

The terminal is `tmux_terminal.Terminal` (a private tmux server); every wait polls the captured
screen until a deadline, nothing sleeps to synchronise.
"""

from __future__ import annotations

import re

from tests.e2e.tmux_terminal import needs_tmux, row

pytestmark = needs_tmux


def test_demo_shows_filters_and_switches_namespace(demo):
    screen = demo.wait_for(lambda s: (line := row(s, "sample-2pod")) is not None
                           and "2/2" in line and "Running" in line,
                           timeout=60, what="sample-2pod 2/2 Running")
    assert "● live" in screen
    others = [line.split()[0] for line in screen.splitlines()[3:] if line.strip().startswith("sample-")
              and "sample-2pod" not in line]
    assert others, "the demo shows more than one sample pod"

    demo.type("/2pod")  # in one burst, as a fast typist sends it: no key may get lost
    demo.keys("Enter")
    # The filter narrows as it is typed ("/2p" already leaves one row): wait for all of it.
    demo.wait_for(lambda s: "filter /2pod" in s and row(s, "sample-2pod") and not any(row(s, name) for name in others),
                  what="the whole filter typed, and only sample-2pod after it")

    demo.keys("Escape")
    demo.wait_for(lambda s: all(row(s, name) for name in others[:3]), what="all rows after Esc")

    demo.keys("n")
    demo.wait_for(lambda s: "Namespace" in s and re.search(r"\bkube-system\b", s), what="namespace picker")
    demo.keys("Home", "Enter")  # the picker opens on the current namespace; "all" is first
    screen = demo.wait_for(lambda s: "namespace all" in s and row(s, "sample-2pod") and row(s, "kube-system"),
                           what="pods of all namespaces")
    assert "NAMESPACE" in screen

    demo.keys("q")
    demo.wait_for(lambda s: "kubetui-exited-0" in s, timeout=20, what="a clean exit")
