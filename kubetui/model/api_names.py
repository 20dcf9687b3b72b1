"""Object-name rules of the Kubernetes API, with the API's exact words.

A copy of the few validators of k8s.io/apimachinery `util/validation` that object names go
through (the local cluster has its own copy; the model may not import it). Key decision: the
messages are what the API server answers, down to the `',  or '` spacing, so a name refused
here reads exactly as the server would refuse it, before anything is sent.
"""

from __future__ import annotations

import re

DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*"
DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"

_DNS1123_LABEL = re.compile(f"^{DNS1123_LABEL_FMT}$")
_DNS1123_SUBDOMAIN = re.compile(f"^{DNS1123_SUBDOMAIN_FMT}$")
_DNS1035_LABEL = re.compile(f"^{DNS1035_LABEL_FMT}$")


def _regex_error(msg: str, fmt: str, *examples: str) -> str:
    text = msg + " (e.g. "
    for index, example in enumerate(examples):
        if index:
            text += " or "
        text += f"'{example}', "
    return text + f"regex used for validation is '{fmt}')"


def dns1123_label(value: str) -> list[str]:
    errors = []
    if len(value) > 63:
        errors.append("must be no more than 63 characters")
    if not _DNS1123_LABEL.match(value):
        if _DNS1123_SUBDOMAIN.match(value):
            errors.append("must not contain dots")
        else:
            errors.append(_regex_error(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                "and must start and end with an alphanumeric character", DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errors


def dns1123_subdomain(value: str) -> list[str]:
    errors = []
    if len(value) > 253:
        errors.append("must be no more than 253 characters")
    if not _DNS1123_SUBDOMAIN.match(value):
        errors.append(_regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
            "and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errors


def dns1035_label(value: str) -> list[str]:
    errors = []
    if len(value) > 63:
        errors.append("must be no more than 63 characters")
    if not _DNS1035_LABEL.match(value):
        errors.append(_regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
            "alphabetic character, and end with an alphanumeric character", DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errors


# Which rule a kind's names follow (ValidateObjectMeta's nameFn); everything else: subdomain.
_NAME_RULES = {"Namespace": dns1123_label, "Service": dns1035_label}

_GO_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\\": "\\\\", '"': '\\"'}


def go_quote(text: str) -> str:
    """Go's %q for the characters names can hold."""
    return '"' + "".join(_GO_ESCAPES.get(ch, ch) if ch.isprintable() or ch in _GO_ESCAPES
                         else f"\\u{ord(ch):04x}" for ch in text) + '"'


def name_problems(kind: str, name: str, *, generated: bool = False) -> list[str]:
    """The problems of `name` for an object of `kind`, in the API's words (empty: fine).

    `generated` checks a generateName prefix: the random suffix makes a trailing '-' fine.
    """
    rule = _NAME_RULES.get(kind, dns1123_subdomain)
    checked = name[:-1] + "a" if generated and name.endswith("-") else name
    return rule(checked)


def namespace_problems(namespace: str) -> list[str]:
    return dns1123_label(namespace)


def invalid_message(kind: str, group: str, name: str, causes: list[str]) -> str:
    """errors.NewInvalid's message: `Pod "x" is invalid: <field>: <detail>` (several in [...])."""
    qualified = f"{kind}.{group}" if group else kind
    if len(causes) == 1:
        return f"{qualified} {go_quote(name)} is invalid: {causes[0]}"
    return f"{qualified} {go_quote(name)} is invalid: [{', '.join(causes)}]"
