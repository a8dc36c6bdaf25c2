"""Card numbers: BIN, Luhn check digit, CSPRNG, uniqueness, masking; expiry dates."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.catalog import Card, get_catalog
from integrations.issuing import pan as pan_mod
from integrations.issuing.expiry import as_month, expiry_for, parse_month, printed, yymm
from integrations.issuing.pan import last4, luhn_check_digit, luhn_valid, mask, new_pan


@pytest.mark.parametrize(
    ("partial", "digit"),
    [
        ("7992739871", "3"),  # the textbook example
        ("411111111111111", "1"),  # Visa test card 4111 1111 1111 1111
        ("555555555555444", "4"),  # Mastercard test card 5555 5555 5555 4444
        ("37828224631000", "5"),  # Amex test card 3782 822463 10005
        ("0", "0"),
    ],
)
def test_luhn_check_digit_known_numbers(partial: str, digit: str) -> None:
    assert luhn_check_digit(partial) == digit
    assert luhn_valid(partial + digit)


@pytest.mark.parametrize("number", ["4111111111111112", "79927398710", "", "1", "4111-1111-1111-1111", "abc"])
def test_luhn_rejects(number: str) -> None:
    assert not luhn_valid(number)


def test_any_single_digit_error_is_caught() -> None:
    good = new_pan("625899")
    for i in range(len(good)):
        for d in "0123456789":
            if d != good[i]:
                assert not luhn_valid(good[:i] + d + good[i + 1 :])


@pytest.mark.parametrize("card", get_catalog().cards, ids=lambda c: c.code)
def test_numbers_come_from_each_products_bin(card: Card) -> None:
    for _ in range(200):
        pan = new_pan(card.bin)
        assert len(pan) == 16 and pan.isdigit()
        assert pan.startswith(card.bin)
        assert luhn_valid(pan)


def test_numbers_do_not_repeat() -> None:
    pans = {new_pan("625899") for _ in range(5000)}
    assert len(pans) == 5000


def test_randomness_is_the_os_csprng(monkeypatch: pytest.MonkeyPatch) -> None:
    # The account digits are whatever secrets.randbelow returns: no other (predictable) source.
    monkeypatch.setattr(pan_mod.secrets, "randbelow", lambda n: 123)
    assert new_pan("625899") == "625899000000123" + luhn_check_digit("625899000000123")


@pytest.mark.parametrize(
    ("bin_prefix", "length"), [("12345", 16), ("62589A", 16), ("", 16), ("625899", 7), ("625899", 20)]
)
def test_bad_bin_or_length_is_refused(bin_prefix: str, length: int) -> None:
    with pytest.raises(ValueError):
        new_pan(bin_prefix, length)


def test_masking_shows_only_the_last_four() -> None:
    pan = new_pan("625899")
    assert mask(last4(pan)) == f"•••• {pan[-4:]}"
    assert pan[:12] not in mask(last4(pan))


@pytest.mark.parametrize(
    ("issued", "expires", "shown", "stripe"),
    [
        (dt.date(2026, 11, 28), dt.date(2031, 11, 30), "11/31", "3111"),
        (dt.date(2024, 2, 29), dt.date(2029, 2, 28), "02/29", "2902"),  # leap day: end of February
        (dt.date(2026, 12, 1), dt.date(2031, 12, 31), "12/31", "3112"),
        (dt.date(2027, 1, 31), dt.date(2032, 1, 31), "01/32", "3201"),
    ],
)
def test_expiry_is_the_end_of_the_month_five_years_on(
    issued: dt.date, expires: dt.date, shown: str, stripe: str
) -> None:
    got = expiry_for(issued)
    assert got == expires
    assert printed(got) == shown and yymm(got) == stripe
    assert parse_month(as_month(got)) == got
