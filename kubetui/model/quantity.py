"""Kubernetes resource quantities ("100m", "1Gi", "0.5") as apimachinery's `resource.Quantity` has them.

A port of what kubectl prints through `Quantity.String()`: a parsed quantity keeps the text it
was written with when that text is already canonical (`ParseQuantity` caches it), anything else
and every sum is shown canonically (`CanonicalizeBytes`): decimal SI suffixes with an exponent
that is a multiple of three, binary suffixes (Ki, Mi, ...) only for exact multiples of 1024 at
or above 1024. Key decision: values are exact rationals (an integer numerator over a power of
ten), rounded up to nano units as `ParseQuantity` rounds them, so sums never drift.
Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["BINARY_SI", "DECIMAL_EXPONENT", "DECIMAL_SI", "Quantity", "QuantityError", "parse_quantity"]

DECIMAL_EXPONENT = "DecimalExponent"
BINARY_SI = "BinarySI"
DECIMAL_SI = "DecimalSI"

_DECIMAL_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL_NAMES = {exponent: suffix for suffix, exponent in _DECIMAL_SUFFIXES.items()}
_BINARY_NAMES = {exponent: suffix for suffix, exponent in _BINARY_SUFFIXES.items()}
_NUMBER = re.compile(r"([+-]?)(\d*)(?:\.(\d*))?(.*)\Z", re.S)
_EXPONENT = re.compile(r"[eE]([+-]?\d+)\Z")
_MAX_INT64_FACTORS = 18
_NANO = -9


class QuantityError(ValueError):
    """Text that `resource.ParseQuantity` refuses."""


@dataclass(frozen=True)
class Quantity:
    """`units / 10**9` in the given format; `text` is the cached original string, if any."""

    nanos: int = 0
    format: str = DECIMAL_SI
    text: str = ""

    def __str__(self) -> str:
        return self.text or _canonical(self.nanos, self.format)

    def __add__(self, other: Quantity) -> Quantity:
        # Quantity.Add keeps the receiver's format (a zero receiver takes the other's) and
        # drops the cached string.
        return Quantity(self.nanos + other.nanos, other.format if self.nanos == 0 else self.format)

    def is_zero(self) -> bool:
        return self.nanos == 0

    def milli_value(self) -> int:
        """`MilliValue()`: rounded up to the next thousandth."""
        return -((-self.nanos) // 10**6)

    def value(self) -> int:
        """`Value()`: rounded up to the next whole unit."""
        return -((-self.nanos) // 10**9)


ZERO = Quantity()


def parse_quantity(text: object) -> Quantity:
    """`resource.ParseQuantity`; raises `QuantityError` for text it refuses."""
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise QuantityError(f"quantities must match the regular expression: {text!r}")
    if isinstance(text, (int, float)):  # a JSON number where a quantity string belongs
        text = repr(text) if isinstance(text, float) else str(text)
    match = _NUMBER.match(text)
    if not text or match is None:
        raise QuantityError("quantities must match the regular expression")
    sign, whole, fraction, suffix = match.groups()
    fraction = fraction or ""
    if not whole and not fraction:
        raise QuantityError("quantities must match the regular expression")
    if suffix in _DECIMAL_SUFFIXES:
        base, exponent, fmt = 10, _DECIMAL_SUFFIXES[suffix], DECIMAL_SI
    elif suffix in _BINARY_SUFFIXES:
        base, exponent, fmt = 2, _BINARY_SUFFIXES[suffix], BINARY_SI
    else:
        found = _EXPONENT.match(suffix)
        if found is None:
            raise QuantityError("unable to parse quantity's suffix")
        base, exponent, fmt = 10, int(found.group(1)), DECIMAL_EXPONENT
    digits = int((whole or "0") + fraction)
    negative = sign == "-"
    # Exact value as numerator / denominator, then rounded up to nano units.
    numerator, denominator = digits, 10 ** len(fraction)
    if base == 2:
        numerator <<= exponent
    elif exponent >= 0:
        numerator *= 10**exponent
    else:
        denominator *= 10 ** (-exponent)
    nanos = -((-numerator * 10**9) // denominator)  # ceiling, as inf.RoundUp toward +inf of |x|
    if negative:
        nanos = -nanos
    if fmt == BINARY_SI and 0 < abs(nanos) < 10**9:
        fmt = DECIMAL_SI  # ParseQuantity: a binary amount below one is decimal
    return Quantity(nanos, fmt, text if _cacheable(whole, fraction, exponent, fmt, digits) else "")


def _cacheable(whole: str, fraction: str, exponent: int, fmt: str, digits: int) -> bool:
    """Whether ParseQuantity's int64 fast path keeps the original text (it is canonical)."""
    num = whole.lstrip("0") or "0"  # parseQuantityString strips leading zeros
    if fmt == BINARY_SI:
        if fraction or 15 - len(num) - int(exponent * 3 / 10) - 1 < 0:
            return False
        return exponent % 10 == 0 and digits & 0x07 != 0
    if _MAX_INT64_FACTORS - (len(num) + len(fraction)) < 0:
        return False
    scale = exponent - len(fraction)
    shifted = num + fraction
    if scale < _NANO:
        return False
    return scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0"


def _canonical(nanos: int, fmt: str) -> str:
    """`CanonicalizeBytes`: the shortest exact text in the quantity's format family."""
    if nanos == 0:
        return "0"
    if fmt == BINARY_SI:
        if -1024 * 10**9 < nanos < 1024 * 10**9 or nanos % 10**9:
            fmt = DECIMAL_SI  # small or fractional values are shown in decimal, never rounded
        else:
            amount, exponent = nanos // 10**9, 0
            while amount % 1024 == 0 and exponent < 60:
                amount //= 1024
                exponent += 10
            return f"{amount}{_BINARY_NAMES.get(exponent, '')}"
    amount, exponent = nanos, _NANO
    while amount % 10 == 0:
        amount //= 10
        exponent += 1
    remainder = exponent % 3
    if remainder:
        amount *= 10**remainder
        exponent -= remainder
    if fmt == DECIMAL_EXPONENT:
        return f"{amount}e{exponent}" if exponent else str(amount)
    if exponent in _DECIMAL_NAMES:
        return f"{amount}{_DECIMAL_NAMES[exponent]}"
    return str(amount)  # no SI suffix for this exponent: Go writes the bare number
