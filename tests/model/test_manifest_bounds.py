"""Hostile manifests read safely: alias bombs, aliases inside their own anchor, deep nesting,
unknown tags and values their tag cannot read are each one line at their line, found before any
value is built. Pure: no server, no client. The pytest timeouts are the bound on time (a bomb
expanded would take minutes and gigabytes)."""

from __future__ import annotations

import pytest

from kubetui.model import parse_manifests, parse_sources
from tests.hostile_manifests import BOMB_LINE, alias_bomb


def only_problem(text, source="x.yaml"):
    parsed = parse_manifests(text, source)
    assert len(parsed.problems) == 1, [p.text() for p in parsed.problems]
    problem = parsed.problems[0]
    assert "\n" not in problem.text()
    return problem


def cm(data: str, name: str = "settings") -> str:
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n{data}"


@pytest.mark.timeout(20)
@pytest.mark.parametrize("levels, nodes", [(7, "6,053,461"), (9, "490,329,074")])
def test_alias_bombs_are_refused_at_the_line_where_they_explode(levels, nodes):
    problem = only_problem(alias_bomb(levels), "bomb.yaml")
    assert problem.text() == (
        f"bomb.yaml, document 1, line {BOMB_LINE}, column 7: YAML aliases expand this document to {nodes} nodes "
        "from " + str(30 + 2 * (levels - 5)) + " written, more than the limit of 10,000: refused before expanding")


@pytest.mark.timeout(20)
def test_a_bomb_in_one_document_names_it_and_the_others_still_read():
    parsed = parse_sources([("a.yaml", cm("  k: v\n", "first")),
                            ("b.yaml", cm("  k: v\n", "second") + "---\n" + alias_bomb(30))])
    assert [m.name for m in parsed.valid()] == ["first", "second"]
    [problem] = parsed.problems
    assert problem.where() == f"b.yaml, document 2, line {7 + BOMB_LINE}, column 7"  # after 7 lines of b.yaml
    assert "nodes from 80 written, more than the limit of 10,000" in problem.message
    assert "about 10^28 nodes" in problem.message  # 9**30 is not spelled out


@pytest.mark.timeout(20)
def test_merge_keys_are_counted_like_any_alias():
    lines = ["  m0: &m0 {a: x, b: y}"] + [
        f"  m{i}: &m{i} {{<<: [" + ", ".join([f"*m{i - 1}"] * 9) + "]}" for i in range(1, 12)]
    problem = only_problem(cm("\n".join(lines) + "\n"))
    assert (problem.line, problem.column) == (10, 16)  # the merged list of level 5
    assert "more than the limit of 10,000: refused before expanding" in problem.message


def test_aliases_within_the_limit_read_expanded():
    labels = "  labels: &labels {app: web, tier: front}\n"
    text = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n" + labels + "spec:\n  containers:\n"
            "  - name: a\n    image: b\n    env: &env [{name: A, value: '1'}]\n  - name: c\n    image: d\n"
            "    env: *env\n")
    parsed = parse_manifests(text)
    assert parsed.ok
    containers = parsed.manifests[0].body["spec"]["containers"]
    assert containers[0]["env"] == containers[1]["env"] == [{"name": "A", "value": "1"}]


def test_the_limit_grows_with_what_is_written():
    # 3,000 keys aliasing one small list: 21,000 nodes expanded, past the 10,000 floor but within
    # 10 times the ~6,000 nodes written: heavy but honest reuse reads.
    data = "  base: &base [a, b, c, d, e]\n" + "".join(f"  k{i}: *base\n" for i in range(3000))
    text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Thing\n  metadata: {name: t}\n" \
           "  spec:\n" + data.replace("\n  ", "\n    ").replace("  base", "    base", 1)
    parsed = parse_manifests(text)
    assert parsed.ok, [p.text() for p in parsed.problems]
    assert parsed.manifests[0].body["spec"]["k2999"] == ["a", "b", "c", "d", "e"]


@pytest.mark.parametrize("text, line, column", [
    (cm("  loop: &loop [a, *loop]\n"), 6, 9),
    (cm("  loop: &loop {a: b, again: *loop}\n"), 6, 9),
])
def test_an_alias_inside_its_own_anchor_is_refused(text, line, column):
    problem = only_problem(text)
    assert (problem.line, problem.column, problem.message) == (
        line, column, "a YAML alias refers to a node that contains it: the document would be infinite")


@pytest.mark.parametrize("text, message", [
    (cm("  deep: " + "[" * 300 + "]" * 300 + "\n"), "the document nests more than 200 levels deep (aliases expanded)"),
    ("[" * 100_000 + "]" * 100_000, "the document nests more than 200 levels deep"),
    ('{"a": ' + "[" * 300 + "]" * 300 + "}", "the document nests more than 200 levels deep"),
])
def test_nesting_deeper_than_any_object_is_refused(text, message):
    assert only_problem(text).message == message


@pytest.mark.parametrize("value, shown, column", [
    ("!Ref web", "!Ref", 8),
    ("!!python/object/apply:os.system ['touch /tmp/owned']", "!!python/object/apply:os.system", 8),
    ("!!python/name:os.system", "!!python/name:os.system", 8),
    ("!!set {a, b}", "!!set", 8),
    ("!!omap [a: 1]", "!!omap", 8),
    ("!<tag:example.com,2024:thing> x", "tag:example.com,2024:thing", 8),
    ("\n    !GetAtt {a: b}", "!GetAtt", 5),
])
def test_unknown_tags_are_an_error_at_their_line(value, shown, column):
    problem = only_problem(cm(f"  key: {value}\n"), "sample.yaml")
    line = 6 + value.startswith("\n")
    assert problem.text() == f"sample.yaml, document 1, line {line}, column {column}: unknown tag {shown}"


@pytest.mark.parametrize("value, message", [
    ("!!int abc", "cannot read 'abc' as !!int"),
    ("!!float many", "cannot read 'many' as !!float"),
    ("!!bool maybe", "cannot read 'maybe' as !!bool"),
    ("1" * 5000, "cannot read '" + "1" * 60 + "...' as !!int"),
    ("!!str {a: 1}", "expected a scalar node, but found mapping"),
])
def test_values_their_tag_cannot_read_are_an_error_at_their_line(value, message):
    problem = only_problem(cm(f"  key: {value}\n"))
    assert (problem.line, problem.column, problem.message) == (6, 8, message)


def test_standard_tags_read_as_kubernetes_reads_them():
    parsed = parse_manifests(cm("  a: !!str 1\n  b: !!timestamp 2024-01-01\n  c: =\n  d: !!binary aGk=\n"
                                "  e: !!int '3'\n  f: !!null ''\n"))
    assert parsed.ok, [p.text() for p in parsed.problems]
    assert parsed.manifests[0].body["data"] == {"a": "1", "b": "2024-01-01", "c": "=", "d": "aGk=", "e": 3, "f": None}


@pytest.mark.parametrize("text, line, message", [
    (cm("  a: b\n  c: \x07\n"), 7,
     "YAML syntax error: unacceptable character #x0007: control characters are not allowed"),
    (cm("  a: b\n  c: \ud800\n"), 7, "YAML syntax error: invalid character '\\ud800' (an unpaired surrogate)"),
    ('{"n": ' + "1" * 5000 + "}", 1, "JSON error: a number of more than 4300 digits"),
])
def test_characters_and_numbers_no_parser_takes_are_one_line(text, line, message):
    problem = only_problem(text)
    assert (problem.line, problem.message) == (line, message)
