"""End to end in a real terminal: `kubetui demo` under tmux, the apply panel driven by keys.

The demo seeds sample-2pod into `default`, so the test watches `kube-public` (empty) to see the
pod appear: `a` opens the panel, the keyboard walks to Samples/sample-2pod.yaml, F3 applies it,
the row shows up and reaches 2/2 Running; then the name is broken in the editor and the API
server's complaint shows before anything is sent. Every wait polls the screen with a deadline.
"""

from __future__ import annotations

import re

from tests.e2e.tmux_terminal import kubetui, needs_tmux, row

pytestmark = needs_tmux


def test_apply_panel_creates_the_two_container_sample(tmp_path):
    demo = kubetui("demo", "-n", "kube-public", "--manifests", tmp_path)
    try:
        demo.wait_for(lambda s: "NAME" in s and "a Apply" in s, timeout=60, what="the demo's pod table")
        demo.keys("a")
        demo.wait_for(lambda s: "Apply manifests" in s and "sample-2pod.yaml" in s, what="the panel and its samples")
        demo.keys("Home", "Down", "Down", "Enter")  # New, Samples, then the first sample: sample-2pod.yaml
        demo.wait_for(lambda s: "Samples/sample-2pod.yaml" in s and "name: sample-2pod" in s,
                      what="sample-2pod.yaml in the editor")
        demo.keys("F3")
        demo.wait_for(lambda s: "pod/sample-2pod created" in s, what="the apply result")
        demo.wait_for(lambda s: (line := row(s, "sample-2pod")) is not None and "2/2" in line and "Running" in line,
                      timeout=60, what="sample-2pod 2/2 Running in the table")

        # Choosing the file focused the editor: line 7 is "  name: sample-2pod". One key at a
        # time, each seen on the editor's border before the next, so the edit lands where meant.
        demo.wait_for(lambda s: "Ln 1, Col 1" in s, what="the cursor at the top of the editor")
        for line in range(2, 8):
            demo.keys("Down")
            demo.wait_for(lambda s, line=line: f"Ln {line}, Col 1" in s, what=f"the cursor on line {line}")
        demo.keys("End")
        demo.wait_for(lambda s: "Ln 7, Col 20" in s, what="the cursor after the name")
        demo.type("_X")
        screen = demo.wait_for(lambda s: 'Pod "sample-2pod_X" is invalid' in s, what="the local complaint")
        assert "metadata.name: Invalid value" in screen
        demo.keys("F3")
        screen = demo.wait_for(lambda s: "Not applied: nothing was sent" in s, what="nothing sent")
        assert not re.search(r"^sample-2pod_X\s", screen, re.M), "no such row in the table"

        # ctrl+c quits from anywhere; Esc (editor -> browser -> table) is covered by the Pilot
        # tests: in a terminal, Esc pressed twice under load can arrive as one alt+Esc.
        demo.keys("C-c")
        demo.wait_for(lambda s: "kubetui-exited-0" in s, timeout=20, what="a clean exit")
    finally:
        demo.close()
