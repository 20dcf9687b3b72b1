"""The API's string rules, shared by the local API server and the client, in the API's words."""

import pytest

from kubetui.model.api_names import (
    invalid_message,
    is_config_map_key,
    is_dns1035_label,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_label_value,
    is_port_name,
    is_qualified_name,
    name_problems,
)

LABEL_RULE = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
              "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
              "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')")


@pytest.mark.parametrize("check,value,problems", [
    pytest.param(is_dns1123_label, "web-1", [], id="label"),
    pytest.param(is_dns1123_label, "a.b", ["must not contain dots"], id="label-with-dots"),
    pytest.param(is_dns1123_label, "Web", [LABEL_RULE], id="label-uppercase"),
    pytest.param(is_dns1123_label, "web\n", [LABEL_RULE], id="label-final-newline"),
    pytest.param(is_dns1123_label, "a" * 64, ["must be no more than 63 characters"], id="label-too-long"),
    pytest.param(is_dns1123_subdomain, "example.com", [], id="subdomain"),
    pytest.param(is_dns1035_label, "1abc", ["a DNS-1035 label must consist of lower case alphanumeric characters "
                                            "or '-', start with an alphabetic character, and end with an "
                                            "alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
                                            "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"], id="dns1035-digit-first"),
    pytest.param(is_qualified_name, "example.com/Team_1", [], id="qualified"),
    pytest.param(is_qualified_name, "/x", ["prefix part must be non-empty"], id="qualified-empty-prefix"),
    pytest.param(is_label_value, "", [], id="label-value-empty"),
    pytest.param(is_config_map_key, "..x", ["must not start with '..'"], id="config-key-dots"),
    pytest.param(is_port_name, "http--x", ["must not contain consecutive hyphens"], id="port-name"),
])
def test_rules_answer_in_the_apis_words(check, value, problems):
    assert check(value) == problems


@pytest.mark.parametrize("kind,name,generated,fine", [
    pytest.param("Namespace", "a.b", False, False, id="namespace-is-a-label"),
    pytest.param("ConfigMap", "a.b", False, True, id="others-are-subdomains"),
    pytest.param("Service", "1svc", False, False, id="service-is-dns1035"),
    pytest.param("Pod", "web-", True, True, id="generate-name-may-end-in-dash"),
    pytest.param("Pod", "web-", False, False, id="name-may-not"),
])
def test_which_rule_a_kinds_names_follow(kind, name, generated, fine):
    assert (name_problems(kind, name, generated=generated) == []) is fine


def test_invalid_message_says_a_repeated_cause_once():
    assert invalid_message("Pod", "", "x", ["a: b", "a: b"]) == 'Pod "x" is invalid: a: b'
    assert invalid_message("Deployment", "apps", "x", ["a: b", "c: d"]) == 'Deployment.apps "x" is invalid: [a: b, c: d]'
    assert invalid_message("Pod", "", "x", []) == 'Pod "x" is invalid'
