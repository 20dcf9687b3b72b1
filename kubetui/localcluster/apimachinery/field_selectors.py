"""Field selectors (`?fieldSelector=`): fields.ParseSelector's syntax, escapes and errors.

Key decision: any dotted path is accepted and a missing field reads as "", so one matcher
serves every resource; `check_supported` lets the server refuse labels a kind does not
index, with the apiserver's `field label not supported` message.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubetui.localcluster.apimachinery.errors import bad_request

@dataclass(frozen=True)
class FieldSelector:
    """ANDed `(path, must_equal, value)` terms; a missing field reads as ""."""

    terms: tuple = ()

    @property
    def fields(self) -> list[str]:
        return [".".join(path) for path, _, _ in self.terms]

    def check_supported(self, allowed) -> None:
        """Raise the apiserver's 400 for a field label this resource does not index."""
        for field in self.fields:
            if field not in allowed:
                raise bad_request(f"field label not supported: {field}")

    def matches(self, obj: dict) -> bool:
        for path, must_equal, value in self.terms:
            if (_field_text(obj, path) == value) != must_equal:
                return False
        return True


def _field_text(obj, path: tuple) -> str:
    for part in path:
        if not isinstance(obj, dict):
            return ""
        obj = obj.get(part)
        if obj is None:
            return ""
    if isinstance(obj, bool):
        return "true" if obj else "false"
    if isinstance(obj, (dict, list)):
        return ""
    return str(obj)


def _split_terms(text: str) -> list[str]:
    terms, start, i = [], 0, 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == ",":
            terms.append(text[start:i])
            start = i + 1
        i += 1
    terms.append(text[start:])
    return terms


def _unescape(value: str) -> str:
    if "\\" not in value and "," not in value and "=" not in value:
        return value
    out, i = [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            if i + 1 >= len(value):
                raise ValueError("invalid field selector: invalid escape sequence: \\")
            nxt = value[i + 1]
            if nxt not in "\\,=":
                raise ValueError(f"invalid field selector: invalid escape sequence: \\{nxt}")
            out.append(nxt)
            i += 2
            continue
        if ch in ",=":
            raise ValueError(f"invalid field selector: unescaped character '{ch}'")
        out.append(ch)
        i += 1
    return "".join(out)


def parse_field_selector(text: str) -> FieldSelector:
    """fields.ParseSelector: `a=b`, `a==b`, `a!=b`, comma-separated, `\\,` escapes."""
    terms = []
    for part in sorted(_split_terms(text)):
        if not part:
            continue
        for i in range(len(part)):
            op = next((o for o in ("!=", "==", "=") if part.startswith(o, i)), None)
            if op:
                lhs, rhs = part[:i], part[i + len(op):]
                break
        else:
            raise bad_request(f"invalid selector: '{text}'; can't understand '{part}'")
        try:
            value = _unescape(rhs)
        except ValueError as err:
            raise bad_request(str(err)) from None
        terms.append((tuple(lhs.split(".")), op != "!=", value))
    return FieldSelector(tuple(terms))
