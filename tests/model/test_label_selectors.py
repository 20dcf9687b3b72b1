"""Label selectors, shared by the local API server and the client: parsing with the apiserver's
error wording, matching, and printing as Go's Selector.String()."""

import pytest

from kubetui.model.label_selectors import (
    LabelSelectorError,
    format_label_selector,
    map_selector_text,
    parse_label_selector,
    selector_from_spec,
    selector_text,
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
def test_label_selector_errors_have_the_apiserver_wording(text, message):
    with pytest.raises(LabelSelectorError) as caught:
        parse_label_selector(text)
    assert str(caught.value) == message


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
    with pytest.raises(LabelSelectorError, match='^"Equals" is not a valid label selector operator$'):
        selector_from_spec({"matchExpressions": [{"key": "a", "operator": "Equals", "values": ["b"]}]})


def test_selector_from_spec_names_a_bad_value_by_its_place_in_the_spec():
    spec = {"matchExpressions": [{"key": "a", "operator": "In", "values": ["ok", "b@d"]}]}
    with pytest.raises(LabelSelectorError, match=r"^values\[1\]\[a\]: Invalid value: \"b@d\""):
        selector_from_spec(spec)


TEXT_CASES = [
    ("sorted-by-key", "tier=web,app=shop", "app=shop,tier=web"),
    ("operators-kept", "a==1,b!=2,c>3,d<4", "a==1,b!=2,c>3,d<4"),
    ("set-values-sorted", "env in (prod, dev)", "env in (dev,prod)"),
    ("exists-and-not", "!canary,app", "app,!canary"),
    ("empty-set", "a in ()", "a in ()"),
    ("everything", "", ""),
]


@pytest.mark.parametrize("text,printed", [c[1:] for c in TEXT_CASES], ids=[c[0] for c in TEXT_CASES])
def test_a_parsed_selector_prints_as_go_prints_it(text, printed):
    assert str(parse_label_selector(text)) == printed


def test_selectors_are_written_as_kubectl_writes_them():
    selector = {"matchLabels": {"tier": "web", "app": "shop"},
                "matchExpressions": [{"key": "env", "operator": "In", "values": ["prod", "dev"]},
                                     {"key": "canary", "operator": "DoesNotExist"}]}
    assert selector_text(selector) == "app=shop,!canary,env in (dev,prod),tier=web"


@pytest.mark.parametrize("selector,formatted", [
    pytest.param(None, "<none>", id="nil"),
    pytest.param({}, "<none>", id="empty"),
    pytest.param({"matchLabels": {"app": "web"}}, "app=web", id="labels"),
    pytest.param({"matchExpressions": [{"key": "a", "operator": "Equals"}]}, "<error>", id="bad-operator"),
    pytest.param({"matchExpressions": ["a"]}, "<error>", id="not-a-map"),
])
def test_format_label_selector(selector, formatted):
    assert format_label_selector(selector) == formatted


def test_nil_and_empty_selectors_print_nothing():
    assert selector_text(None) == selector_text({}) == ""


def test_a_plain_map_prints_sorted():
    assert map_selector_text({"tier": "web", "app": "shop"}) == "app=shop,tier=web"
    assert map_selector_text(None) == ""


@pytest.mark.parametrize("text", ["a>1_0", "a>9223372036854775808"])
def test_gt_values_are_go_integers(text):
    with pytest.raises(LabelSelectorError):
        parse_label_selector(text)


def test_gt_compares_go_integers_only():
    selector = parse_label_selector("a>10")
    assert selector.matches({"a": "11"}) and not selector.matches({"a": "1_1"}) and not selector.matches({})


def test_selectors_filter_a_large_list():
    pods = [{"app": "web" if i % 3 else "db", "i": str(i)} for i in range(10_000)]
    selector = parse_label_selector("app=web,i notin (1,2)")
    chosen = [labels for labels in pods if selector.matches(labels)]
    assert len(chosen) == sum(1 for i in range(10_000) if i % 3 and i not in (1, 2))
