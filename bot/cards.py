"""The issued card by chat: freeze, unfreeze, activate, limits, alerts, a one-time view link.

Thin glue between the parsed command (nlu.parsers.card_commands) and integrations.issuing;
every change is confirmed to the applicant and recorded in the evidence ledger by issuing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot import const as c
from bot.dialogue import Reply, Step, reply
from bot.i18n import label, money
from bot.settings import get_settings
from bot.store import applications
from nlu.parsers import CardCommand, parse_card_command


def _state(card: Any, language: str) -> str:
    state = label(f"card_state.{card.card_status}", language)
    if card.per_transaction_limit is not None or card.daily_limit is not None:
        none = label("card_state.no_limit", language)
        limits = label(
            "card_state.limits",
            language,
            per_transaction=money(card.per_transaction_limit, language)
            if card.per_transaction_limit is not None
            else none,
            daily=money(card.daily_limit, language) if card.daily_limit is not None else none,
        )
        state = f"{state}, {limits}" if language == "en" else f"{state}，{limits}"
    return state


def _refusal(code: str, language: str) -> Reply:
    try:
        why = label(f"card_refusal.{code}", language)
    except KeyError:
        why = label("card_refusal.other", language)
    return reply("utter_card_control_refused", why=why)


def control(sender_id: str, text: str, language: str) -> Step:
    from integrations.issuing import controls
    from integrations.issuing.service import card_view, new_reveal_token

    command: CardCommand | None = parse_card_command(text)
    app_id = _card_application(sender_id)
    if app_id is None:
        return Step(handled=True, replies=[reply("utter_card_none")])
    if command is None:
        return Step(handled=True, replies=[reply("utter_card_control_which")])
    if command.action == "show":
        token = new_reveal_token(app_id)
        view = card_view(app_id)
        if not token.ok or view.card is None:
            return Step(handled=True, replies=[_refusal(token.code, language)])
        url = f"{get_settings().gateway_url}/cards/{view.card.card_id}#t={token.token}"
        return Step(
            handled=True,
            replies=[
                reply(
                    "utter_card_control_done",
                    what=label("card_action.show", language),
                    last4=view.card.card_last4,
                    state=url,
                )
            ],
        )
    if command.action == "limits":
        if command.per_transaction is None and command.daily is None:
            return Step(handled=True, replies=[_refusal("limit_missing", language)])
        result = controls.set_limits(
            app_id,
            per_transaction=Decimal(str(command.per_transaction)) if command.per_transaction is not None else None,
            daily=Decimal(str(command.daily)) if command.daily is not None else None,
        )
        what = "limits"
    elif command.action == "notify":
        result = controls.set_notifications(app_id, bool(command.enabled))
        what = "notify_on" if command.enabled else "notify_off"
    else:
        result = getattr(controls, command.action)(app_id)
        what = command.action
    if not result.ok or result.card is None:
        return Step(handled=True, replies=[_refusal(result.code, language)])
    if not result.changed:
        return Step(handled=True, replies=[_refusal(result.code, language)])
    card = result.card
    return Step(
        handled=True,
        slots={c.CARD_STATUS: card.card_status, c.CARD_LAST4: card.card_last4},
        replies=[
            reply(
                "utter_card_control_done",
                what=label(f"card_action.{what}", language),
                last4=card.card_last4,
                state=_state(card, language),
            )
        ],
    )


def _card_application(sender_id: str) -> int | None:
    from integrations.issuing.service import card_view

    for app_id in reversed(applications.application_ids(sender_id)):
        if card_view(app_id).card is not None:
            return app_id
    return None
