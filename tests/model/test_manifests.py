"""Local manifest checks: documents, syntax errors at their line and column, kinds, names in the
API server's words, kind: List, duplicates. Pure: no server, no client."""

from __future__ import annotations

from importlib import resources

import pytest

from kubetui.model import parse_manifests, parse_sources

SUBDOMAIN_RULE = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                  "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                  "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")


def pod(name="web", extra=""):
    return f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: a\n    image: b\n{extra}"


def only_problem(text, source="x.yaml"):
    parsed = parse_manifests(text, source)
    assert len(parsed.problems) == 1, [p.text() for p in parsed.problems]
    return parsed.problems[0]


def test_every_shipped_sample_parses_and_only_the_invalid_name_is_refused():
    folder = resources.files("kubetui.samples")
    for entry in folder.iterdir():
        if not entry.name.endswith(".yaml"):
            continue
        parsed = parse_manifests(entry.read_text(encoding="utf-8"), entry.name)
        assert parsed.manifests, entry.name
        if entry.name == "sample-invalid-name.yaml":
            assert [p.message for p in parsed.problems] == [
                f'Pod "Sample_Pod" is invalid: metadata.name: Invalid value: "Sample_Pod": {SUBDOMAIN_RULE}']
            assert (parsed.problems[0].line, parsed.problems[0].column) == (7, 3)
        else:
            assert parsed.ok, (entry.name, [p.text() for p in parsed.problems])


def test_documents_lines_and_empty_documents():
    text = "# leading comment\n---\n" + pod("a") + "---\n---\n# only a comment\n---\n" + pod("b")
    parsed = parse_manifests(text, "two.yaml")
    assert parsed.ok
    assert [(m.name, m.document, m.line) for m in parsed.manifests] == [("a", 1, 3), ("b", 2, 15)]
    assert parsed.manifests[1].position("spec.containers[0].image") == (22, 5)
    assert parsed.manifests[1].position("spec.containers[0].nosuch") == (21, 5)  # its nearest written parent


def test_separator_with_a_comment_splits_and_other_text_does_not():
    parsed = parse_manifests(pod("a") + "--- # next one\n" + pod("b"))
    assert [m.name for m in parsed.manifests] == ["a", "b"]


SYNTAX = [
    ("bad-indent", pod() + "   bad: indent\n", 9, 4, "did not find expected key"),
    ("mapping-in-scalar", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a: b\n", 4, 10,
     "mapping values are not allowed in this context"),
    ("unterminated-quote", 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "web\n', 5, 1, "found unexpected end of stream"),
    ("tab-indent", "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: web\n", 4, 1, "found character that cannot start"),
    ("duplicate-key", pod() + "    image: c\n", 9, 5, 'key "image" already set in map'),
]


@pytest.mark.parametrize("text,line,column,words", [c[1:] for c in SYNTAX], ids=[c[0] for c in SYNTAX])
def test_yaml_syntax_errors_have_line_and_column(text, line, column, words):
    problem = only_problem(text)
    assert problem.message.startswith("YAML syntax error: ")
    assert words in problem.message
    assert (problem.line, problem.column) == (line, column)
    assert problem.where() == f"x.yaml, document 1, line {line}, column {column}"


def test_a_syntax_error_in_one_document_leaves_the_others_readable():
    parsed = parse_manifests(pod("a") + "---\nkind: [\n---\n" + pod("c"))
    assert [m.name for m in parsed.manifests] == ["a", "c"]
    assert [(p.document, p.line) for p in parsed.problems] == [(2, 11)]


def test_json_single_and_concatenated_objects_and_json_errors():
    text = '{"apiVersion": "v1", "kind": "ConfigMap",\n "metadata": {"name": "one"}}\n' \
           '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "two"}}\n'
    parsed = parse_manifests(text, "cm.json")
    assert [m.name for m in parsed.manifests] == ["one", "two"] and parsed.ok
    assert parsed.manifests[0].position("metadata.name") == (2, 15)
    problem = only_problem('{"apiVersion": "v1",\n  "kind": "Pod" "metadata": {}}', "bad.json")
    assert problem.message == "JSON syntax error: Expecting ',' delimiter"
    assert (problem.line, problem.column) == (2, 17)


MISSING = [
    ("missing-kind", "apiVersion: v1\nmetadata:\n  name: a\n", "Object 'Kind' is missing in "
                                                                 """'{"apiVersion":"v1","metadata":{"name":"a"}}'"""),
    ("missing-api-version", "kind: Pod\nmetadata:\n  name: a\n",
     """Object 'apiVersion' is missing in '{"kind":"Pod","metadata":{"name":"a"}}'"""),
    ("missing-name", "apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {a: b}\n",
     'Pod "" is invalid: metadata.name: Required value: name or generateName is required'),
    ("no-metadata", "apiVersion: v1\nkind: ConfigMap\n",
     'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required'),
    ("metadata-string", "apiVersion: v1\nkind: Pod\nmetadata: web\n",
     "json: cannot unmarshal string into Go struct field Pod.metadata of type v1.ObjectMeta"),
    ("not-an-object", "- a\n- b\n", "expected an object with apiVersion, kind and metadata, found a list"),
]


@pytest.mark.parametrize("text,message", [c[1:] for c in MISSING], ids=[c[0] for c in MISSING])
def test_missing_parts_are_named_as_kubectl_names_them(text, message):
    assert only_problem(text).message == message


NAMES = [
    ("pod-underscore", "Pod", "v1", "Sample_Pod", f'Pod "Sample_Pod" is invalid: metadata.name: Invalid value: '
                                                  f'"Sample_Pod": {SUBDOMAIN_RULE}'),
    ("deployment-group", "Deployment", "apps/v1", "Web", 'Deployment.apps "Web" is invalid: metadata.name: '
                                                         f'Invalid value: "Web": {SUBDOMAIN_RULE}'),
    ("service-dns1035", "Service", "v1", "1web", 'Service "1web" is invalid: metadata.name: Invalid value: "1web": '
     "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
     "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation "
     "is '[a-z]([-a-z0-9]*[a-z0-9])?')"),
    ("namespace-dots", "Namespace", "v1", "a.b", 'Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": '
                                                 "must not contain dots"),
]


@pytest.mark.parametrize("kind,api_version,name,message", [c[1:] for c in NAMES], ids=[c[0] for c in NAMES])
def test_names_follow_the_api_rules_in_the_api_words(kind, api_version, name, message):
    problem = only_problem(f"apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: {name}\n")
    assert problem.message == message
    assert (problem.line, problem.column) == (4, 3)


def test_too_long_and_several_causes_are_listed_together():
    name = "a" * 254 + "_"
    problem = only_problem(f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: Bad\n")
    assert problem.message.startswith(f'Pod "{name}" is invalid: [metadata.name: Invalid value: "{name}": '
                                      "must be no more than 253 characters, metadata.name: Invalid value:")
    assert 'metadata.namespace: Invalid value: "Bad": a lowercase RFC 1123 label' in problem.message


def test_generate_name_is_enough_and_its_trailing_dash_is_fine():
    parsed = parse_manifests("apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: web-\n")
    assert parsed.ok and parsed.manifests[0].label == "Pod/web-*"
    problem = only_problem("apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: Web-\n")
    assert problem.message.startswith('Pod "" is invalid: metadata.generateName: Invalid value: "Web-": ')


def test_kind_list_items_become_objects_and_a_bad_item_is_found_at_its_line():
    text = ("apiVersion: v1\nkind: List\nitems:\n"
            "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: one\n"
            "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: Two\n")
    parsed = parse_manifests(text, "list.yaml")
    assert [(m.name, m.item, m.line) for m in parsed.manifests] == [("one", 0, 4), ("Two", 1, 8)]
    problem = parsed.problems[0]
    assert (problem.item, problem.line, problem.column) == (1, 11, 5)
    assert problem.where() == "list.yaml, document 1, item 1, line 11, column 5"
    assert parsed.valid() == parsed.manifests[:1]
    assert only_problem("apiVersion: v1\nkind: List\nitems: nope\n").message == \
        "the items of a List must be a list of objects"


def test_duplicate_objects_in_one_set_even_across_files_and_default_namespace():
    parsed = parse_sources([("a.yaml", pod("web")), ("b.yaml", pod("web", "") .replace(
        "metadata:\n", "metadata:\n  namespace: team\n"))], default_namespace="team")
    assert len(parsed.problems) == 1
    assert parsed.problems[0].message == ('duplicate object: Pod "web" is also defined in document 1 of a.yaml '
                                          "(line 1); each object may appear only once in a set")
    other_namespace = parse_sources([("a.yaml", pod("web")), ("b.yaml", pod("web").replace(
        "metadata:\n", "metadata:\n  namespace: other\n"))], default_namespace="team")
    assert other_namespace.ok


def test_timestamps_stay_strings_and_values_stay_json():
    parsed = parse_manifests("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  day: 2024-01-01\n")
    assert parsed.manifests[0].body["data"]["day"] == "2024-01-01"
