"""Label and field selectors: parsing, matching and the apiserver's error wording."""

import pytest

from kubetui.localcluster.apimachinery.errors import ApiError
from kubetui.localcluster.apimachinery.selectors import (
    parse_field_selector,
    parse_label_selector,
    selector_from_spec,
)

WEB = {"app": "web", "tier": "frontend", "env": "prod"}

LABEL_CASES = [
    ("equals", "app=web", WEB, True),
    ("equals-miss", "app=db", WEB, False),
    ("double-equals", "app==web", WEB, True),
    ("not-equals-other", "app!=db", WEB, True),
    ("not-equals-same", "app!=web", WEB, False),
    ("not-equals-absent-key", "team!=a", WEB, True),
    ("in", "env in (prod,staging)", WEB, True),
    ("in-miss", "env in (dev,staging)", WEB, False),
    ("in-absent-key", "team in (a)", WEB, False),
    ("notin", "env notin (dev)", WEB, True),
    ("notin-hit", "env notin (prod, dev)", WEB, False),
    ("notin-absent-key", "team notin (a)", WEB, True),
    ("exists", "tier", WEB, True),
    ("exists-miss", "team", WEB, False),
    ("not-exists", "!team", WEB, True),
    ("not-exists-miss", "!tier", WEB, False),
    ("and", "app=web,tier=frontend", WEB, True),
    ("and-one-fails", "app=web,tier=backend", WEB, False),
    ("spaces", "  app = web ,  !team  ", WEB, True),
    ("empty-matches-all", "", WEB, True),
    ("empty-value", "app=", {"app": ""}, True),
    ("empty-value-miss", "app=", WEB, False),
    ("in-with-empty-member", "x in (foo,,baz)", {"x": ""}, True),
    ("keyword-as-value", "in in (in)", {"in": "in"}, True),
    ("prefixed-key", "app.kubernetes.io/name=web", {"app.kubernetes.io/name": "web"}, True),
    ("greater-than", "replicas>2", {"replicas": "3"}, True),
    ("less-than-miss", "replicas<2", {"replicas": "3"}, False),
    ("greater-than-non-numeric-label", "replicas>2", {"replicas": "x"}, False),
    ("none-labels", "!app", None, True),
    ("none-labels-exists", "app", None, False),
]


@pytest.mark.parametrize("text,labels,expected", [c[1:] for c in LABEL_CASES], ids=[c[0] for c in LABEL_CASES])
def test_label_selector_matches(text, labels, expected):
    assert parse_label_selector(text).matches(labels) is expected


KEY_RULE = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
            "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
            "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
VALUE_RULE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
              "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used "
              "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")

LABEL_ERRORS = [
    ("missing-operator", "a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
    ("trailing-comma", "a=b,", "found '', expected: identifier after ','"),
    ("leading-comma", ",a", "found ',', expected: !, identifier, or 'end of string'"),
    ("garbage-after-value", "a=b c", "found 'c', expected: ',' or 'end of string'"),
    ("not-with-value", "!a=b", "found '=', expected: ',' or 'end of string'"),
    ("in-without-parens", "a in b", "unable to parse requirement: found 'b' expected: '('"),
    ("unclosed-set", "a in (b", "unable to parse requirement: found '', expected: ',' or ')'"),
    ("open-paren-as-operator", "a (", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"),
    ("bad-key", "app:web", f'unable to parse requirement: <nil>: Invalid value: "app:web": {KEY_RULE}'),
    ("bad-value", "a=b@c", f'unable to parse requirement: values[0][a]: Invalid value: "b@c": {VALUE_RULE}'),
    ("gt-not-integer", "a>x", "unable to parse requirement: values[0]: Invalid value: \"x\": "
                              "for 'Gt', 'Lt' operators, the value must be an integer"),
]


@pytest.mark.parametrize("text,message", [c[1:] for c in LABEL_ERRORS], ids=[c[0] for c in LABEL_ERRORS])
def test_label_selector_errors_are_bad_requests_with_apiserver_wording(text, message):
    with pytest.raises(ApiError) as caught:
        parse_label_selector(text)
    assert (caught.value.code, caught.value.reason, caught.value.message) == (400, "BadRequest", message)
    assert caught.value.status()["message"] == message


SPEC_CASES = [
    ("nil-matches-nothing", None, {"app": "web"}, False),
    ("empty-matches-everything", {}, {"app": "web"}, True),
    ("match-labels", {"matchLabels": {"app": "web"}}, {"app": "web", "x": "y"}, True),
    ("match-labels-miss", {"matchLabels": {"app": "web"}}, {"app": "db"}, False),
    ("in", {"matchExpressions": [{"key": "env", "operator": "In", "values": ["prod"]}]}, WEB, True),
    ("notin", {"matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["prod"]}]}, WEB, False),
    ("exists", {"matchExpressions": [{"key": "tier", "operator": "Exists"}]}, WEB, True),
    ("does-not-exist", {"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}, WEB, False),
    ("labels-and-expressions", {"matchLabels": {"app": "web"},
                                "matchExpressions": [{"key": "env", "operator": "In", "values": ["dev"]}]}, WEB, False),
]


@pytest.mark.parametrize("spec,labels,expected", [c[1:] for c in SPEC_CASES], ids=[c[0] for c in SPEC_CASES])
def test_selector_from_spec(spec, labels, expected):
    assert selector_from_spec(spec).matches(labels) is expected


def test_selector_from_spec_rejects_unknown_operator():
    with pytest.raises(ApiError) as caught:
        selector_from_spec({"matchExpressions": [{"key": "a", "operator": "Equals", "values": ["b"]}]})
    assert caught.value.message == '"Equals" is not a valid label selector operator'


POD = {"metadata": {"name": "web-1", "namespace": "team-a"}, "spec": {"nodeName": "node-1", "hostNetwork": False},
       "status": {"phase": "Running"}}

FIELD_CASES = [
    ("name", "metadata.name=web-1", True),
    ("name-double-equals", "metadata.name==web-1", True),
    ("name-miss", "metadata.name=web-2", False),
    ("namespace-not-equal", "metadata.namespace!=team-b", True),
    ("phase", "status.phase=Running", True),
    ("phase-not-running", "status.phase!=Running", False),
    ("node-name", "spec.nodeName=node-1", True),
    ("absent-field-is-empty", "spec.schedulerName=", True),
    ("absent-field-not-empty", "spec.schedulerName!=", False),
    ("bool-as-text", "spec.hostNetwork=false", True),
    ("and", "metadata.name=web-1,status.phase=Running", True),
    ("and-one-fails", "metadata.name=web-1,status.phase=Pending", False),
    ("escaped-comma", "metadata.name=web\\,1", False),
    ("empty-selector", "", True),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in FIELD_CASES], ids=[c[0] for c in FIELD_CASES])
def test_field_selector_matches(text, expected):
    assert parse_field_selector(text).matches(POD) is expected


def test_field_selector_unescapes_values():
    selector = parse_field_selector("metadata.name=a\\,b\\=c\\\\d")
    assert selector.matches({"metadata": {"name": "a,b=c\\d"}})


FIELD_ERRORS = [
    ("no-operator", "metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'"),
    ("second-term-bad", "a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"),
    ("unescaped-equals", "a=b=c", "invalid field selector: unescaped character '='"),
    ("bad-escape", "a=b\\x", "invalid field selector: invalid escape sequence: \\x"),
]


@pytest.mark.parametrize("text,message", [c[1:] for c in FIELD_ERRORS], ids=[c[0] for c in FIELD_ERRORS])
def test_field_selector_errors(text, message):
    with pytest.raises(ApiError) as caught:
        parse_field_selector(text)
    assert (caught.value.code, caught.value.message) == (400, message)


def test_field_selector_check_supported_names_the_unsupported_label():
    selector = parse_field_selector("metadata.name=a,spec.foo=b")
    with pytest.raises(ApiError) as caught:
        selector.check_supported({"metadata.name", "metadata.namespace"})
    assert caught.value.message == "field label not supported: spec.foo"
    parse_field_selector("metadata.name=a").check_supported({"metadata.name"})


def test_selectors_filter_a_large_list():
    pods = [{"metadata": {"name": f"p{i}", "namespace": "ns", "labels": {"app": "web" if i % 3 else "db", "i": str(i)}},
             "status": {"phase": "Running" if i % 2 else "Pending"}} for i in range(10_000)]
    labels = parse_label_selector("app=web,i notin (1,2)")
    fields = parse_field_selector("status.phase=Running,metadata.namespace=ns")
    chosen = [p for p in pods if labels.matches(p["metadata"]["labels"]) and fields.matches(p)]
    assert len(chosen) == sum(1 for i in range(10_000) if i % 3 and i % 2 and i not in (1, 2))
