"""The string rules of the Kubernetes API (k8s.io/apimachinery `util/validation`), with its words.

One copy for both sides: the local API server validates objects with these, and the client
refuses a bad name in a manifest before sending it, in the words the server would answer.
Each `is_*` function returns a list of problem messages (empty when the value is fine), the way
IsDNS1123Label & co. do, so callers can wrap them into `Invalid value: ...` causes. Key
decision: the regexes and the messages are copied, down to the odd double space in the
examples (`'my-name',  or '123-abc'`): kubectl users see these strings.
"""

from __future__ import annotations

import ipaddress
import re

from kubetui.model.go_quote import go_quote

DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*"
DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?"
CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+"

# `\Z`, not `$`: Go's `$` does not match before a final newline, so "web\n" is refused.
_dns1123_label = re.compile(f"^{DNS1123_LABEL_FMT}\\Z")
_dns1123_subdomain = re.compile(f"^{DNS1123_SUBDOMAIN_FMT}\\Z")
_dns1035_label = re.compile(f"^{DNS1035_LABEL_FMT}\\Z")
_qualified_name = re.compile(f"^{QUALIFIED_NAME_FMT}\\Z")
_label_value = re.compile(f"^{LABEL_VALUE_FMT}\\Z")
_config_map_key = re.compile(f"^{CONFIG_MAP_KEY_FMT}\\Z")
_port_name_charset = re.compile("^[-a-z0-9]+\\Z")
_port_name_letter = re.compile("[a-z]")

QUALIFIED_NAME_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
)


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """validation.RegexError, including its `',  or '` spacing."""
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    msg += " (e.g. "
    for i, example in enumerate(examples):
        if i > 0:
            msg += " or "
        msg += f"'{example}', "
    return msg + f"regex used for validation is '{fmt}')"


def max_len_error(length: int) -> str:
    return f"must be no more than {length} characters"


EMPTY_ERROR = "must be non-empty"


def inclusive_range_error(lo: int, hi: int) -> str:
    return f"must be between {lo} and {hi}, inclusive"


def is_dns1123_label(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(max_len_error(63))
    if not _dns1123_label.match(value):
        if _dns1123_subdomain.match(value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                "and must start and end with an alphanumeric character",
                DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def is_dns1123_subdomain(value: str) -> list[str]:
    errs = []
    if len(value) > 253:
        errs.append(max_len_error(253))
    if not _dns1123_subdomain.match(value):
        errs.append(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
            "and must start and end with an alphanumeric character",
            DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def is_dns1035_label(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(max_len_error(63))
    if not _dns1035_label.match(value):
        errs.append(regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
            "start with an alphabetic character, and end with an alphanumeric character",
            DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def is_qualified_name(value: str) -> list[str]:
    """Label and annotation keys: `[prefix/]name`."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part " + EMPTY_ERROR)
        else:
            errs.extend("prefix part " + m for m in is_dns1123_subdomain(prefix))
    else:
        return ["a qualified name " + regex_error(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
    if not name:
        errs.append("name part " + EMPTY_ERROR)
    elif len(name) > 63:
        errs.append("name part " + max_len_error(63))
    if not _qualified_name.match(name):
        errs.append("name part " + regex_error(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"))
    return errs


def is_label_value(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(max_len_error(63))
    if not _label_value.match(value):
        errs.append(regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
            "and must start and end with an alphanumeric character",
            LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


def is_config_map_key(value: str) -> list[str]:
    errs = []
    if len(value) > 253:
        errs.append(max_len_error(253))
    if not _config_map_key.match(value):
        errs.append(regex_error("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                                CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name"))
    if value == ".":
        errs.append("must not be '.'")
    elif value == "..":
        errs.append("must not be '..'")
    elif value.startswith(".."):
        errs.append("must not start with '..'")
    return errs


def is_port_name(port: str) -> list[str]:
    errs = []
    if len(port) > 15:
        errs.append(max_len_error(15))
    if not _port_name_charset.match(port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    elif not _port_name_letter.search(port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def is_port_number(port) -> list[str]:
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        return [inclusive_range_error(1, 65535)]
    return []


def is_env_var_name(value: str) -> list[str]:
    """The relaxed rule, GA since 1.34: printable ASCII except '='."""
    errs = []
    if not value:
        errs.append("environment variable name " + EMPTY_ERROR)
    for ch in value:
        if ord(ch) > 127 or not ch.isprintable() or ch == "=":
            errs.append("a valid environment variable name must consist only of printable ASCII characters other than '='")
            break
    return errs


def is_ip(value: str) -> list[str]:
    """netutils.ParseIPSloppy accepts leading zeros in IPv4; we accept what ipaddress does."""
    candidate = value
    if candidate.count(".") == 3 and ":" not in candidate:
        candidate = ".".join(part.lstrip("0") or "0" for part in candidate.split("."))
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return ["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"]
    return []


# Which rule a kind's names follow (ValidateObjectMeta's nameFn); everything else: subdomain.
_NAME_RULES = {"Namespace": is_dns1123_label, "Service": is_dns1035_label}


def name_problems(kind: str, name: str, *, generated: bool = False) -> list[str]:
    """The problems of `name` for an object of `kind`, in the API's words (empty: fine).

    `generated` checks a generateName prefix: the random suffix makes a trailing '-' fine.
    """
    rule = _NAME_RULES.get(kind, is_dns1123_subdomain)
    checked = name[:-1] + "a" if generated and name.endswith("-") else name
    return rule(checked)


def namespace_problems(namespace: str) -> list[str]:
    return is_dns1123_label(namespace)


def invalid_message(kind: str, group: str, name: str, causes: list[str]) -> str:
    """errors.NewInvalid's message: `Pod "x" is invalid: <field>: <detail>` (several in [...]).

    Like ErrorList.ToAggregate, a cause repeated word for word is said once.
    """
    qualified = f"{kind}.{group}" if group else kind
    texts = list(dict.fromkeys(causes))
    if not texts:
        return f"{qualified} {go_quote(name)} is invalid"
    if len(texts) == 1:
        return f"{qualified} {go_quote(name)} is invalid: {texts[0]}"
    return f"{qualified} {go_quote(name)} is invalid: [{', '.join(texts)}]"
