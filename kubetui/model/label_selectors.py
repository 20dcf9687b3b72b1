"""Label selectors (k8s.io/apimachinery `pkg/labels`): parsing, matching and printing.

One copy for both sides: the local API server parses `?labelSelector=` and a workload's
`spec.selector` with it, and the client narrows the rows on screen with the selector its watch
sends (`/-l app=web`), writes a workload's selector as kubectl does (`kubectl logs deploy/x`,
`describe`'s `Selector:`) and so agrees with the server on every input.
Key decisions: the lexer and parser are a line-by-line port of `labels/selector.go`, so odd
inputs fail or succeed exactly as on a real cluster, with its error words; a requirement is a
plain `(key, operator, values)` tuple so that `matches` stays a tight loop (the server runs it
over 10,000 objects per list request); requirements are sorted with Go's own `sort.Sort`, so
`str(selector)` is `Selector.String()` even for keys that repeat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kubetui.model.api_names import is_label_value, is_qualified_name
from kubetui.model.go_quote import go_quote
from kubetui.model.go_sort import go_sort

__all__ = ["LabelSelector", "LabelSelectorError", "format_label_selector", "map_selector_text",
           "parse_label_selector", "selector_from_spec", "selector_text"]


class LabelSelectorError(ValueError):
    """A selector the API server refuses; the message is its own (the server answers 400 with it)."""


# Operators, spelled as selection.Operator values.
IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS = "in", "notin", "=", "==", "!="
EXISTS, DOES_NOT_EXIST, GREATER_THAN, LESS_THAN = "exists", "!", "gt", "lt"
_BINARY = ("in", "notin", "=", "==", "!=", "gt", "lt")
_SYMBOLS = {EQUALS: "=", DOUBLE_EQUALS: "==", NOT_EQUALS: "!=", GREATER_THAN: ">", LESS_THAN: "<"}
_GO_INT = re.compile(r"[+-]?[0-9]+\Z")
_INT64 = 1 << 63

# Lexer tokens.
_ERR, _EOS, _CLOSE, _COMMA, _NOT, _DEQ, _EQ, _GT, _ID, _IN, _LT, _NEQ, _NOTIN, _OPEN = range(14)
_STRING_TO_TOKEN = {")": _CLOSE, ",": _COMMA, "!": _NOT, "==": _DEQ, "=": _EQ, ">": _GT, "in": _IN,
                    "<": _LT, "!=": _NEQ, "notin": _NOTIN, "(": _OPEN}
_SPECIAL = frozenset("=!(),><")
_WHITESPACE = frozenset(" \t\r\n")


def _lex(text: str) -> list[tuple[int, str]]:
    items: list[tuple[int, str]] = []
    pos, n = 0, len(text)
    while True:
        while pos < n and text[pos] in _WHITESPACE:
            pos += 1
        if pos >= n:
            items.append((_EOS, ""))
            return items
        if text[pos] in _SPECIAL:
            buffer, last = "", None
            while pos < n and text[pos] in _SPECIAL:
                buffer += text[pos]
                if buffer in _STRING_TO_TOKEN:
                    last = (_STRING_TO_TOKEN[buffer], buffer)
                    pos += 1
                elif last is not None:
                    break
                else:
                    pos += 1
            items.append(last if last else (_ERR, f"error expected: keyword found '{buffer}'"))
        else:
            start = pos
            while pos < n and text[pos] not in _SPECIAL and text[pos] not in _WHITESPACE:
                pos += 1
            word = text[start:pos]
            items.append((_IN if word == "in" else _NOTIN if word == "notin" else _ID, word))


class _Parser:
    def __init__(self, text: str):
        self.items = _lex(text)
        self.position = 0

    def lookahead(self, values: bool) -> tuple[int, str]:
        tok, lit = self.items[self.position]
        if values and tok in (_IN, _NOTIN):
            tok = _ID
        return tok, lit

    def consume(self, values: bool) -> tuple[int, str]:
        self.position += 1
        tok, lit = self.items[self.position - 1]
        if values and tok in (_IN, _NOTIN):
            tok = _ID
        return tok, lit

    def parse(self) -> list[tuple]:
        requirements = []
        while True:
            tok, lit = self.lookahead(True)
            if tok in (_ID, _NOT):
                try:
                    requirements.append(self.requirement())
                except ValueError as err:
                    raise ValueError(f"unable to parse requirement: {err}") from None
                tok, lit = self.consume(True)
                if tok == _EOS:
                    return requirements
                if tok == _COMMA:
                    tok2, lit2 = self.lookahead(True)
                    if tok2 not in (_ID, _NOT):
                        raise ValueError(f"found '{lit2}', expected: identifier after ','")
                else:
                    raise ValueError(f"found '{lit}', expected: ',' or 'end of string'")
            elif tok == _EOS:
                return requirements
            else:
                raise ValueError(f"found '{lit}', expected: !, identifier, or 'end of string'")

    def requirement(self) -> tuple:
        operator = ""
        tok, key = self.consume(True)
        if tok == _NOT:
            operator = DOES_NOT_EXIST
            tok, key = self.consume(True)
        if tok != _ID:
            raise ValueError(f"found '{key}', expected: identifier")
        key_errors = is_qualified_name(key)
        if key_errors:
            raise ValueError(f"<nil>: Invalid value: {go_quote(key)}: {'; '.join(key_errors)}")
        # `!key` is complete by itself: in `!a=b` the parser then trips over '='.
        if operator == DOES_NOT_EXIST or self.lookahead(True)[0] in (_EOS, _COMMA):
            return _new_requirement(key, operator or EXISTS, [])
        operator = self.operator()
        values = self.set_values() if operator in (IN, NOT_IN) else self.exact_value()
        return _new_requirement(key, operator, sorted(values))

    def operator(self) -> str:
        tok, lit = self.consume(False)
        table = {_IN: IN, _EQ: EQUALS, _DEQ: DOUBLE_EQUALS, _GT: GREATER_THAN, _LT: LESS_THAN,
                 _NOTIN: NOT_IN, _NEQ: NOT_EQUALS}
        if tok not in table:
            raise ValueError(f"found '{lit}', expected: {', '.join(_BINARY)}")
        return table[tok]

    def set_values(self) -> set[str]:
        tok, lit = self.consume(True)
        if tok != _OPEN:
            raise ValueError(f"found '{lit}' expected: '('")
        tok, lit = self.lookahead(True)
        if tok in (_ID, _COMMA):
            values = self.identifiers()
            if self.consume(True)[0] != _CLOSE:
                raise ValueError(f"found '{lit}', expected: ')'")
            return values
        if tok == _CLOSE:
            self.consume(True)
            return {""}
        raise ValueError(f"found '{lit}', expected: ',', ')' or identifier")

    def identifiers(self) -> set[str]:
        values: set[str] = set()
        while True:
            tok, lit = self.consume(True)
            if tok == _ID:
                values.add(lit)
                tok2, lit2 = self.lookahead(True)
                if tok2 == _COMMA:
                    continue
                if tok2 == _CLOSE:
                    return values
                raise ValueError(f"found '{lit2}', expected: ',' or ')'")
            if tok == _COMMA:
                if not values:
                    values.add("")
                tok2, _ = self.lookahead(True)
                if tok2 == _CLOSE:
                    values.add("")
                    return values
                if tok2 == _COMMA:
                    values.add("")
            else:
                raise ValueError(f"found '{lit}', expected: ',', or identifier")

    def exact_value(self) -> set[str]:
        tok, _ = self.lookahead(True)
        if tok in (_EOS, _COMMA):
            return {""}
        tok, lit = self.consume(True)
        if tok == _ID:
            return {lit}
        raise ValueError(f"found '{lit}', expected: identifier")


def _new_requirement(key: str, operator: str, values: list[str], check_key: bool = False) -> tuple:
    """labels.NewRequirement: validates the values (reported by their index in ``values``),
    returns ``(key, operator, sorted values)``."""
    problems = []
    key_errors = is_qualified_name(key) if check_key else []
    if key_errors:
        problems.append(f"key: Invalid value: {go_quote(key)}: {'; '.join(key_errors)}")
    if operator in (GREATER_THAN, LESS_THAN):
        for i, value in enumerate(values):
            if _go_int(value) is None:
                problems.append(f"values[{i}]: Invalid value: {go_quote(value)}: "
                                "for 'Gt', 'Lt' operators, the value must be an integer")
    for i, value in enumerate(values):
        errors = is_label_value(value)
        if errors:
            problems.append(f"values[{i}][{key}]: Invalid value: {go_quote(value)}: {'; '.join(errors)}")
    if problems:
        raise ValueError(problems[0] if len(problems) == 1 else f"[{', '.join(problems)}]")
    return key, operator, tuple(sorted(values))


def _go_int(text) -> int | None:
    """strconv.ParseInt(text, 10, 64), None where Go fails (no spaces, no `_`, int64 range)."""
    if not isinstance(text, str) or not _GO_INT.match(text):
        return None
    number = int(text)
    return number if -_INT64 <= number < _INT64 else None


def _requirement_text(key: str, operator: str, values: tuple) -> str:
    """Requirement.String()."""
    if operator == EXISTS:
        return key
    if operator == DOES_NOT_EXIST:
        return "!" + key
    joined = ",".join(values)
    if operator in (IN, NOT_IN):
        return f"{key} {operator} ({joined})"
    return f"{key}{_SYMBOLS[operator]}{joined}"


@dataclass(frozen=True)
class LabelSelector:
    """ANDed ``(key, operator, values)`` requirements; `matches_nothing` is the nil-selector case
    of LabelSelectorAsSelector. ``str()`` gives Selector.String()."""

    requirements: tuple = ()
    matches_nothing: bool = False

    @property
    def empty(self) -> bool:
        return not self.requirements and not self.matches_nothing

    def __str__(self) -> str:
        return ",".join(_requirement_text(*requirement) for requirement in self.requirements)

    def matches(self, labels) -> bool:
        """Whether a label map (a dict, any Mapping, or None for no labels) is selected."""
        if self.matches_nothing:
            return False
        labels = labels or {}
        for key, operator, values in self.requirements:
            if operator in (EQUALS, DOUBLE_EQUALS, IN):
                if key not in labels or labels[key] not in values:
                    return False
            elif operator in (NOT_EQUALS, NOT_IN):
                if key in labels and labels[key] in values:
                    return False
            elif operator == EXISTS:
                if key not in labels:
                    return False
            elif operator == DOES_NOT_EXIST:
                if key in labels:
                    return False
            elif not _compare_int(labels.get(key), operator, values):
                return False
        return True


def _compare_int(value, operator: str, values: tuple) -> bool:
    have, want = _go_int(value), _go_int(values[0]) if values else None
    if have is None or want is None:
        return False
    return have > want if operator == GREATER_THAN else have < want


def _sorted_by_key(requirements: list[tuple]) -> tuple:
    """sort.Sort(ByKey(...)), as Parse and Selector.Add do: unstable, so Go's own order."""
    return tuple(go_sort(requirements, lambda a, b: a[0] < b[0]))


def parse_label_selector(text: str) -> LabelSelector:
    """labels.Parse: `?labelSelector=` text (`app=web,tier in (a,b),!canary`); "" selects
    everything. Raises LabelSelectorError with the apiserver's message."""
    try:
        requirements = _Parser(text).parse()
    except ValueError as err:
        raise LabelSelectorError(str(err)) from None
    return LabelSelector(_sorted_by_key(requirements))


_SPEC_OPERATORS = {"In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": DOES_NOT_EXIST}


def selector_from_spec(selector: dict | None) -> LabelSelector:
    """metav1.LabelSelectorAsSelector: None matches nothing, `{}` matches everything.
    Raises LabelSelectorError for a selector the API would not have stored."""
    if selector is None:
        return LabelSelector(matches_nothing=True)
    requirements = []
    try:
        for key, value in (selector.get("matchLabels") or {}).items():
            requirements.append(_new_requirement(key, EQUALS, [value], check_key=True))
        for expression in selector.get("matchExpressions") or []:
            operator = expression.get("operator")
            if operator not in _SPEC_OPERATORS:
                raise ValueError(f"{go_quote(str(operator))} is not a valid label selector operator")
            values = list(expression.get("values") or [])
            if operator in ("In", "NotIn") and not values:
                raise ValueError("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty")
            if operator in ("Exists", "DoesNotExist") and values:
                raise ValueError("values: Invalid value: values set must be empty for exists and does not exist")
            requirements.append(_new_requirement(expression.get("key", ""), _SPEC_OPERATORS[operator], values,
                                                check_key=True))
    except (ValueError, AttributeError, TypeError) as err:
        raise LabelSelectorError(str(err)) from None
    return LabelSelector(_sorted_by_key(requirements))


def selector_text(selector: object) -> str:
    """LabelSelectorAsSelector(selector).String(), the `labelSelector` that lists a workload's
    pods: "" for none (nil or not a map) or empty; LabelSelectorError if invalid."""
    if not isinstance(selector, dict):
        return ""
    return str(selector_from_spec(selector))


def format_label_selector(selector: object) -> str:
    """metav1.FormatLabelSelector: the selector, `<none>` when it selects everything or
    nothing, `<error>` when it is invalid."""
    try:
        return selector_text(selector) or "<none>"
    except LabelSelectorError:
        return "<error>"


def map_selector_text(labels: dict | None) -> str:
    """labels.SelectorFromSet(map).String(): `k=v` pairs sorted by key (a Service's selector)."""
    return ",".join(f"{key}={value}" for key, value in sorted((labels or {}).items()))
