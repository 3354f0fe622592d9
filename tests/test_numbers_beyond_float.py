"""A literal beyond a float's range with a fractional part (found by the long fuzz run) is a
whole number, as Terraform's 512-bit floats keep it, never an internal error."""

from __future__ import annotations

from anyscale_lint.sources.terraform.numeric import parse_number


def test_a_huge_fraction_is_its_whole_part() -> None:
    text = "1." + "9" * 3000 + "e309"
    value = parse_number(text)
    assert isinstance(value, int)
    assert value == 2 * 10**309  # 1.99...9e309 with more nines than places: rounds up


def test_ordinary_fractions_stay_floats() -> None:
    assert parse_number("1.5") == 1.5
    assert parse_number("2e3") == 2000
