"""Virtual card issuing on signature: card numbers, one-time reveal, controls, evidence.

Public API for the dialogue and the gateway; every call returns a result object with a code.
"""

from __future__ import annotations

from integrations.issuing.controls import activate, freeze, set_limits, set_notifications, unfreeze
from integrations.issuing.results import CardResult, CardSecret, CardView, IssuedCard, RevealToken
from integrations.issuing.service import (
    card_view,
    card_view_for_conversation,
    erase_for_application,
    issue_card,
    new_reveal_token,
    reveal,
)

__all__ = [
    "CardResult",
    "CardSecret",
    "CardView",
    "IssuedCard",
    "RevealToken",
    "activate",
    "card_view",
    "card_view_for_conversation",
    "erase_for_application",
    "freeze",
    "issue_card",
    "new_reveal_token",
    "reveal",
    "set_limits",
    "set_notifications",
    "unfreeze",
]
