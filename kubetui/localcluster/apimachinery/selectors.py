"""Label selectors (and, re-exported from `field_selectors`, field selectors): parsing with
the apiserver's error wording, and matching.

Key decisions: the label-selector lexer/parser is a line-by-line port of apimachinery
`labels/selector.go`, so odd inputs fail or succeed exactly as on a real cluster; parsing
yields plain tuples so that `matches` stays a tight loop (it runs over 10,000 objects per
list request).
"""

from __future__ import annotations

from dataclasses import dataclass

from kubetui.localcluster.apimachinery.errors import ApiError, bad_request, go_quote
from kubetui.localcluster.apimachinery.field_selectors import FieldSelector, parse_field_selector
from kubetui.localcluster.apimachinery.names import is_label_value, is_qualified_name

# Operators, spelled as selection.Operator values.
IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS = "in", "notin", "=", "==", "!="
EXISTS, DOES_NOT_EXIST, GREATER_THAN, LESS_THAN = "exists", "!", "gt", "lt"
_BINARY = ("in", "notin", "=", "==", "!=", "gt", "lt")

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
    """labels.NewRequirement: validates the values, returns (key, op, values)."""
    problems = []
    key_errors = is_qualified_name(key) if check_key else []
    if key_errors:
        problems.append(f"key: Invalid value: {go_quote(key)}: {'; '.join(key_errors)}")
    if operator in (GREATER_THAN, LESS_THAN):
        for i, value in enumerate(values):
            try:
                int(value, 10)
            except ValueError:
                problems.append(f"values[{i}]: Invalid value: {go_quote(value)}: "
                                "for 'Gt', 'Lt' operators, the value must be an integer")
    for i, value in enumerate(values):
        errors = is_label_value(value)
        if errors:
            problems.append(f"values[{i}][{key}]: Invalid value: {go_quote(value)}: {'; '.join(errors)}")
    if problems:
        raise ValueError(problems[0] if len(problems) == 1 else f"[{', '.join(problems)}]")
    return key, operator, frozenset(values)


@dataclass(frozen=True)
class LabelSelector:
    """ANDed requirements; `matches_nothing` is the nil-selector case of LabelSelectorAsSelector."""

    requirements: tuple = ()
    matches_nothing: bool = False

    @property
    def empty(self) -> bool:
        return not self.requirements and not self.matches_nothing

    def matches(self, labels: dict | None) -> bool:
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


def _compare_int(value, operator: str, values: frozenset) -> bool:
    try:
        have, want = int(value, 10), int(next(iter(values)), 10)
    except (TypeError, ValueError, StopIteration):
        return False
    return have > want if operator == GREATER_THAN else have < want


def parse_label_selector(text: str) -> LabelSelector:
    """`?labelSelector=` text; raises ApiError 400 with the apiserver's parse message."""
    try:
        requirements = _Parser(text).parse()
    except ValueError as err:
        raise bad_request(str(err)) from None
    requirements.sort(key=lambda r: r[0])
    return LabelSelector(tuple(requirements))


_SPEC_OPERATORS = {"In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": DOES_NOT_EXIST}


def selector_from_spec(selector: dict | None) -> LabelSelector:
    """metav1.LabelSelectorAsSelector: None matches nothing, `{}` matches everything."""
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
            requirements.append(
                _new_requirement(expression.get("key", ""), _SPEC_OPERATORS[operator], sorted(values), check_key=True))
    except ValueError as err:
        raise bad_request(str(err)) from None
    requirements.sort(key=lambda r: r[0])
    return LabelSelector(tuple(requirements))


__all__ = ["ApiError", "FieldSelector", "LabelSelector", "parse_field_selector", "parse_label_selector",
           "selector_from_spec"]
