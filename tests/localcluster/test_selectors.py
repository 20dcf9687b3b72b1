"""Selectors of a request: a bad label selector is a 400 in the apiserver's words (the rules
themselves: tests/model/test_label_selectors.py), field selectors parse and match."""

import pytest

from kubetui.localcluster.apimachinery.errors import ApiError
from kubetui.localcluster.apimachinery.selectors import parse_field_selector, parse_label_selector


@pytest.mark.parametrize("text,message", [
    pytest.param("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt",
                 id="missing-operator"),
    pytest.param("a=b,", "found '', expected: identifier after ','", id="trailing-comma"),
])
def test_label_selector_errors_are_bad_requests_with_apiserver_wording(text, message):
    with pytest.raises(ApiError) as caught:
        parse_label_selector(text)
    assert (caught.value.code, caught.value.reason, caught.value.message) == (400, "BadRequest", message)
    assert caught.value.status()["message"] == message


def test_a_good_label_selector_is_parsed():
    assert parse_label_selector("app=web").matches({"app": "web"})


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
