"""The editor's YAML colours: what each part of a manifest is called, linear on hostile lines
(the scanner runs on the UI thread after every edit; the pytest timeout is the bound), and the
spans kept between edits equal a fresh scan of the edited text."""

from __future__ import annotations

import asyncio

import pytest
from textual import events
from textual.app import App

from kubetui.ui.widgets.manifest_editor import ManifestEditor
from kubetui.ui.widgets.yaml_highlight import highlight_lines
from tests.support.waiting import until

MANIFEST = """\
# a pod
apiVersion: v1
kind: Pod
metadata:
  name: "web"
  annotations:
    note: |
      a: not a key
      # not a comment
spec:
  replicas: 3
  containers:
  - name: nginx  # the server
    tty: true
"""


def named(text: str) -> list[tuple[int, str, str]]:
    lines = text.splitlines()
    return [(number, lines[number][start:end], name)
            for number, spans in sorted(highlight_lines(lines).items()) for start, end, name in spans]


def test_a_manifest_is_named_as_textual_names_yaml():
    spans = named(MANIFEST)
    assert (0, "# a pod", "comment") in spans
    assert (1, "apiVersion", "yaml.field") in spans and (1, "v1", "string") in spans
    assert (4, '"web"', "string") in spans
    assert (7, "a: not a key", "string") in spans and (8, "# not a comment", "string") in spans
    assert (10, "3", "number") in spans and (13, "true", "boolean") in spans
    assert (12, "-", "punctuation.delimiter") in spans and (12, "# the server", "comment") in spans


@pytest.mark.timeout(30)
@pytest.mark.parametrize("line", [
    "- " * 100_000 + "x",
    "a" + " " * 200_000 + "b",
    "-\t" * 100_000 + "k" + " " * 100_000,
    '"' + "\\\\" * 100_000,
    "k: " + '"' * 200_000,
    "x" * 100_000 + " #" * 100_000,
    "a" + " :" * 100_000,
])
def test_hostile_lines_are_scanned_in_linear_time(line):
    highlight_lines([line] * 3)


class EditorApp(App[None]):
    def compose(self):
        yield ManifestEditor("")


def spans(highlights: dict[int, list]) -> dict[int, list]:
    """The lines that have spans: a line the editor drew with none may keep an empty entry."""
    return {number: found for number, found in highlights.items() if found}


def fresh_highlights(text: str) -> dict[int, list]:
    lines = text.split("\n")
    out = {}
    for number, spans in highlight_lines(lines).items():
        line = lines[number]
        out[number] = [(len(line[:s].encode()), len(line[:e].encode()), name) for s, e, name in spans]
    return out


def test_spans_kept_between_edits_equal_a_fresh_scan():
    text = MANIFEST + "".join(f"  k{i}: välue-{i}\n" for i in range(2000))

    async def scenario():
        app = EditorApp()
        async with app.run_test() as pilot:
            editor = app.query_one(ManifestEditor)
            editor.focus()
            app.post_message(events.Paste(text))
            await until(lambda: editor.text == text, message="the pasted text in the editor")
            before = spans(editor._highlights)
            editor.go_to_line(4, 10)  # after "metadata:": its lines below become a block scalar's text
            await pilot.press("space", "|")
            assert editor.text.splitlines()[3] == "metadata: |"
            assert spans(editor._highlights) == spans(fresh_highlights(editor.text))
            assert editor._highlights[4] == [(2, 13, "string")]  # `  name: "web"` is text now
            await pilot.press("backspace", "backspace")  # and back: the lines below are keys again
            assert spans(editor._highlights) == spans(fresh_highlights(editor.text)) == before

    asyncio.run(scenario())
