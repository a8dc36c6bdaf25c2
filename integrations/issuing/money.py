"""Card limits as money: parsed strictly into integer fen (1/100 yuan), shown as Decimal yuan."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from integrations.issuing.const import LIMIT_NOT_A_NUMBER, LIMIT_NOT_POSITIVE, LIMIT_TOO_PRECISE, MONEY_PLACES

Money = Decimal | int | str


class MoneyError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def to_fen(value: object) -> int:
    """``Decimal``/``int``/``str`` yuan to fen; floats are refused (binary fractions are not money).

    Raises :class:`MoneyError` with a result code for anything that is not a positive amount
    with at most two decimals.
    """
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise MoneyError(LIMIT_NOT_A_NUMBER)
    try:
        amount = Decimal(value.strip().replace(",", "") if isinstance(value, str) else value)
    except (InvalidOperation, ValueError) as exc:
        raise MoneyError(LIMIT_NOT_A_NUMBER) from exc
    if not amount.is_finite():
        raise MoneyError(LIMIT_NOT_A_NUMBER)
    if amount <= 0:
        raise MoneyError(LIMIT_NOT_POSITIVE)
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MONEY_PLACES:
        raise MoneyError(LIMIT_TOO_PRECISE)
    return int(amount * 10**MONEY_PLACES)


def to_yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else (Decimal(fen) / 10**MONEY_PLACES).quantize(Decimal("0.01"))
