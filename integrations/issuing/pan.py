"""Card numbers (PANs): drawn from the product's BIN with a CSPRNG, Luhn check digit, masking.

A PAN is ``BIN + random account digits + Luhn check digit`` (ISO/IEC 7812). Randomness comes
from :mod:`secrets` (the OS CSPRNG) so numbers cannot be predicted from earlier ones.
Uniqueness is the caller's job (a unique blind index in the database), since 10^9 account
numbers per BIN make collisions rare but not impossible.
"""

from __future__ import annotations

import secrets

from integrations.issuing.const import MASK_PREFIX, PAN_LENGTH


def luhn_check_digit(partial: str) -> str:
    """The digit that makes ``partial + digit`` pass the Luhn check."""
    if not partial.isdigit():
        raise ValueError("digits only")
    total = 0
    # Walking from the right of the partial number, every first, third, … digit is doubled
    # (they sit in the doubled positions once the check digit is appended).
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    return len(number) >= 2 and number.isdigit() and luhn_check_digit(number[:-1]) == number[-1]


def new_pan(bin_prefix: str, length: int = PAN_LENGTH) -> str:
    """A fresh random PAN in ``bin_prefix``'s range with a valid check digit."""
    if not bin_prefix.isdigit() or not 6 <= len(bin_prefix) <= 8:
        raise ValueError("a BIN is 6 to 8 digits")
    if not 13 <= length <= 19 or length - len(bin_prefix) < 2:
        raise ValueError("a PAN is 13 to 19 digits and longer than its BIN")
    body_len = length - len(bin_prefix) - 1
    body = str(secrets.randbelow(10**body_len)).zfill(body_len)
    partial = bin_prefix + body
    return partial + luhn_check_digit(partial)


def last4(pan: str) -> str:
    return pan[-4:]


def mask(last_four: str) -> str:
    """The only way a card number is ever displayed: ``•••• 1234``."""
    return f"{MASK_PREFIX}{last_four}"
