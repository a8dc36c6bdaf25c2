"""The limit simulator: "如果我月收入三万，额度能有多少？" / "what if I paid off my car loan?"

Reads the hypothetical change with the shared parsers, re-scores a copy of the application
(integrations.scoring.simulate) and says what would change. The real application is untouched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot import const as c
from bot.dialogue import Step, display_value, reply
from bot.i18n import label, money
from nlu import parsers

_NO_DEBT = re.compile(
    r"还清|没有(?:贷款|负债|债)|无负债|不欠|paid (?:it )?off|no (?:debt|loans?)|debt.?free|pay off", re.I
)
NEEDED = (c.MONTHLY_INCOME, c.MONTHLY_DEBT_PAYMENT, c.EMPLOYMENT_TYPE, c.HOUSING, c.CHOSEN_CARD)


def change_from(text: str) -> dict[str, Any]:
    field = parsers.detect_field(text)
    if _NO_DEBT.search(text):
        return {c.MONTHLY_DEBT_PAYMENT: 0}
    if field in (None, c.MONTHLY_INCOME, c.MONTHLY_DEBT_PAYMENT):
        amount = parsers.parse_amount(text, zero_words=field == c.MONTHLY_DEBT_PAYMENT)
        if amount is not None and amount.currency == "CNY" and amount.value >= 0:
            return {field or c.MONTHLY_INCOME: round(amount.value)}
    housing = parsers.parse_housing(text)
    if housing:
        return {c.HOUSING: housing}
    employment = parsers.parse_employment(text)
    if employment:
        return {c.EMPLOYMENT_TYPE: employment}
    return {}


def simulate(slots: Mapping[str, Any], text: str, language: str) -> Step:
    from integrations.scoring.simulate import simulate as rescore

    if any(slots.get(name) is None for name in NEEDED):
        return Step(handled=True, replies=[reply("utter_simulation_needs_answers")])
    change = change_from(text)
    if not change:
        return Step(handled=True, replies=[reply("utter_simulation_which")])
    result = rescore(dict(slots), change)
    name, value = next(iter(change.items()))
    described = label(
        "simulation.change",
        language,
        field=label(f"field.{name}", language).lower() if language == "en" else label(f"field.{name}", language),
        value=display_value(name, value, language),
    )
    after = result.after
    if after.decision == "approve" and after.credit_limit:
        current = money(result.before.credit_limit or 0, language)
        outcome = label("simulation.approve", language, limit=money(after.credit_limit, language), current=current)
    elif after.decision == "refer":
        outcome = label("simulation.refer", language)
    else:
        sep = "；" if language != "en" else "; "
        outcome = label("simulation.decline", language, reasons=sep.join(r.text(language) for r in after.reasons))
    return Step(handled=True, replies=[reply("utter_simulation", change=described, outcome=outcome)])
