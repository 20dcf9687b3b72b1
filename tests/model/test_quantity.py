"""Resource quantities as `Quantity.String()` prints them: cached text when canonical, else canonical."""

from __future__ import annotations

import pytest

from kubetui.model.quantity import QuantityError, parse_quantity


@pytest.mark.parametrize("text, shown", [
    ("100m", "100m"), ("0.5", "500m"), ("0.1", "100m"), ("1000m", "1"), ("1500m", "1500m"), ("4", "4"),
    ("1024Mi", "1Gi"), ("1Gi", "1Gi"), ("170Mi", "170Mi"), ("1.5Gi", "1536Mi"), ("1536Ki", "1536Ki"),
    ("8025424Ki", "8025424Ki"), ("2k", "2k"), ("1e3", "1e3"), ("10G", "10G"), ("0", "0"), ("512", "512"),
    ("05", "05"),
])
def test_parsed_quantities_show_as_kubectl_shows_them(text, shown):
    assert str(parse_quantity(text)) == shown


@pytest.mark.parametrize("parts, total", [
    (["100m", "250m"], "350m"), (["70Mi", "100Mi"], "170Mi"), (["512Mi", "512Mi"], "1Gi"),
    (["500m", "500m"], "1"), (["1", "500m"], "1500m"), (["100Mi", "1"], "104857601"),
])
def test_sums_are_canonical_in_the_format_of_the_first(parts, total):
    result = parse_quantity(parts[0])
    for part in parts[1:]:
        result = result + parse_quantity(part)
    assert str(result) == total


def test_values_round_up_as_kubectl_rounds_them():
    assert parse_quantity("100m").milli_value() == 100
    assert parse_quantity("100m").value() == 1
    assert parse_quantity("1Ki").value() == 1024
    assert parse_quantity("1n").milli_value() == 1


@pytest.mark.parametrize("text", ["", "abc", "1x", "1.2.3", None, True])
def test_what_the_api_refuses_raises(text):
    with pytest.raises(QuantityError):
        parse_quantity(text)
