"""Result objects of issuing and card controls, and the masked view of a card.

Every public call returns one of these with a ``code`` (see ``const``), never user text. Secret
fields (card number, expiry, CVV, reveal token) are excluded from ``repr``, so logging a result
by mistake prints no card data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from integrations.issuing.const import ACTIVE, FROZEN, INACTIVE, STATE_ISSUED
from integrations.issuing.models import Card
from integrations.issuing.money import to_yuan
from integrations.issuing.pan import mask


@dataclass(frozen=True)
class CardView:
    """What the dialogue, the gateway and the CLI may see of a card: masked, no secrets.

    ``card_status`` is the slot of the same name: ``frozen`` when frozen, else the physical card's
    status (``inactive`` until activated). ``virtual_status`` is the virtual card's, ``active`` for
    mobile payment from issue ("实体卡邮寄期间可先开通虚拟卡") unless frozen.
    """

    card_id: str
    application_id: int
    product_code: str
    card_last4: str
    masked_pan: str
    card_status: str
    virtual_status: str
    physical_status: str
    frozen: bool
    notifications: bool
    credit_limit: Decimal | None
    per_transaction_limit: Decimal | None
    daily_limit: Decimal | None
    details_revealed: bool
    issued_at: str | None

    def slots(self) -> dict[str, str]:
        """The dialogue slots this card fills."""
        return {"card_last4": self.card_last4, "card_status": self.card_status}


@dataclass(frozen=True)
class IssuedCard:
    """Outcome of :func:`issue_card`. ``reveal_token`` is set only on the call that issued the
    card (code ``issued``); a repeat gets ``already_issued`` and the same card, no token."""

    ok: bool
    code: str
    card: CardView | None = None
    reveal_token: str | None = field(default=None, repr=False)
    reveal_expires_at: str | None = None
    recorded: bool = False  # the card_issued evidence is in the ledger (else queued in the outbox)


@dataclass(frozen=True)
class CardResult:
    """Outcome of a card view or a control. ``changed``: something was changed (and recorded)."""

    ok: bool
    code: str
    card: CardView | None = None
    changed: bool = False
    recorded: bool = False


@dataclass(frozen=True)
class RevealToken:
    ok: bool
    code: str
    token: str | None = field(default=None, repr=False)
    expires_at: str | None = None


@dataclass(frozen=True)
class CardSecret:
    """The one-time reveal: full card number, printed expiry (MM/YY) and CVV2."""

    ok: bool
    code: str
    pan: str | None = field(default=None, repr=False)
    expiry: str | None = field(default=None, repr=False)
    cvv: str | None = field(default=None, repr=False)


def iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value is not None else None


def view_of(card: Card) -> CardView:
    assert card.state == STATE_ISSUED and card.last4
    frozen = bool(card.frozen)
    physical = ACTIVE if card.physical_active else INACTIVE
    return CardView(
        card_id=card.id,
        application_id=int(card.application_id),
        product_code=card.product_code,
        card_last4=card.last4,
        masked_pan=mask(card.last4),
        card_status=FROZEN if frozen else physical,
        virtual_status=FROZEN if frozen else ACTIVE,
        physical_status=physical,
        frozen=frozen,
        notifications=bool(card.notifications),
        credit_limit=to_yuan(card.credit_limit_fen),
        per_transaction_limit=to_yuan(card.txn_limit_fen),
        daily_limit=to_yuan(card.daily_limit_fen),
        details_revealed=card.revealed_at is not None,
        issued_at=iso(card.issued_at),
    )
