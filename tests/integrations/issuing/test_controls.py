"""Card controls by chat: activate, limits, notifications, one-step freeze; each recorded once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bot.store.db import session_scope
from bot.store.models import utcnow
from integrations.issuing import activate, card_view, freeze, issue_card, set_limits, set_notifications, unfreeze
from integrations.issuing.evidence import flush, open_evidence, unrecorded
from integrations.issuing.models import CardEvent
from tests.integrations.issuing.conftest import RecordingLedger

AppFactory = Callable[..., int]


@pytest.fixture()
def card_app(signed_app: AppFactory, ledger: RecordingLedger) -> int:
    """A signed application with its card issued (credit limit 20,000); the ledger reset."""
    app_id = signed_app()
    assert issue_card(app_id, "KK_CLASSIC", credit_limit=20000, ledger=ledger).ok
    ledger.entries.clear()
    return app_id


def actions(ledger: RecordingLedger) -> list[str]:
    assert all(e[0] == "card_control" for e in ledger.entries)
    return [e[2]["action"] for e in ledger.entries]


def test_activate_the_physical_card(card_app: int, ledger: RecordingLedger) -> None:
    res = activate(card_app, ledger=ledger)
    assert res.ok and res.code == "activated" and res.changed and res.recorded
    assert res.card and res.card.card_status == "active" and res.card.physical_status == "active"
    again = activate(card_app, ledger=ledger)
    assert again.ok and again.code == "already_active" and not again.changed
    assert actions(ledger) == ["activate"]


def test_a_frozen_card_cannot_be_activated(card_app: int, ledger: RecordingLedger) -> None:
    freeze(card_app, ledger=ledger)
    res = activate(card_app, ledger=ledger)
    assert (res.ok, res.code, res.card) == (False, "card_frozen", None)
    assert card_view(card_app).card.physical_status == "inactive"  # type: ignore[union-attr]
    assert actions(ledger) == ["freeze"]


def test_one_step_freeze_and_unfreeze(card_app: int, ledger: RecordingLedger) -> None:
    activate(card_app, ledger=ledger)
    res = freeze(card_app, ledger=ledger)
    assert res.ok and res.code == "frozen" and res.card
    assert (res.card.card_status, res.card.virtual_status, res.card.frozen) == ("frozen", "frozen", True)
    assert res.card.slots()["card_status"] == "frozen"
    assert freeze(card_app, ledger=ledger).code == "already_frozen"
    res = unfreeze(card_app, ledger=ledger)
    assert res.ok and res.code == "unfrozen" and res.card
    assert (res.card.card_status, res.card.virtual_status) == ("active", "active")
    assert unfreeze(card_app, ledger=ledger).code == "not_frozen"
    assert actions(ledger) == ["activate", "freeze", "unfreeze"]


def test_notifications_on_and_off(card_app: int, ledger: RecordingLedger) -> None:
    on = set_notifications(card_app, True, ledger=ledger)
    assert on.ok and on.code == "notifications_on" and on.card and on.card.notifications
    assert set_notifications(card_app, True, ledger=ledger).changed is False
    off = set_notifications(card_app, False, ledger=ledger)
    assert off.code == "notifications_off" and off.card and not off.card.notifications
    assert actions(ledger) == ["notifications", "notifications"]


@pytest.mark.parametrize("bad", ["yes", 1, 0, None, "true"])
def test_notifications_need_a_real_switch(card_app: int, ledger: RecordingLedger, bad: object) -> None:
    res = set_notifications(card_app, bad, ledger=ledger)  # type: ignore[arg-type]
    assert (res.ok, res.code) == (False, "invalid_switch") and not ledger.entries


@pytest.mark.parametrize(
    ("per_transaction", "daily", "want_txn", "want_daily"),
    [
        (500, 2000, Decimal("500.00"), Decimal("2000.00")),
        ("1,000.50", "5000", Decimal("1000.50"), Decimal("5000.00")),
        (Decimal("0.01"), None, Decimal("0.01"), None),
        (None, 20000, None, Decimal("20000.00")),  # up to the credit limit itself
        ("20000", "20000", Decimal("20000.00"), Decimal("20000.00")),
    ],
)
def test_valid_limits_are_set(
    card_app: int,
    ledger: RecordingLedger,
    per_transaction: object,
    daily: object,
    want_txn: Decimal | None,
    want_daily: Decimal | None,
) -> None:
    res = set_limits(card_app, per_transaction=per_transaction, daily=daily, ledger=ledger)
    assert res.ok and res.code == "limits_set" and res.changed and res.recorded and res.card
    assert (res.card.per_transaction_limit, res.card.daily_limit) == (want_txn, want_daily)
    assert actions(ledger) == ["limits"]
    facts = open_evidence(int(ledger.entries[0][2]["event_id"]))
    assert facts is not None and facts["state"]["txn_limit_fen"] == (None if want_txn is None else int(want_txn * 100))


@pytest.mark.parametrize(
    ("per_transaction", "daily", "code"),
    [
        (None, None, "limit_missing"),
        (0, None, "limit_not_positive"),
        (-500, None, "limit_not_positive"),
        ("-1", "100", "limit_not_positive"),
        ("abc", None, "limit_not_a_number"),
        ("", None, "limit_not_a_number"),
        ("NaN", None, "limit_not_a_number"),
        ("Infinity", None, "limit_not_a_number"),
        (1.5, None, "limit_not_a_number"),  # floats are not money
        (True, None, "limit_not_a_number"),
        ([500], None, "limit_not_a_number"),
        ("10.001", None, "limit_too_precise"),
        (None, 20000.01, "limit_not_a_number"),
        (None, "20000.01", "limit_above_credit_limit"),
        (50000, None, "limit_above_credit_limit"),
        ("1e9", None, "limit_above_credit_limit"),
        (3000, 2000, "per_transaction_above_daily"),
    ],
)
def test_bad_limits_are_refused(
    card_app: int, ledger: RecordingLedger, per_transaction: object, daily: object, code: str
) -> None:
    res = set_limits(card_app, per_transaction=per_transaction, daily=daily, ledger=ledger)
    assert (res.ok, res.code, res.card) == (False, code, None)
    view = card_view(card_app).card
    assert view and view.per_transaction_limit is None and view.daily_limit is None
    assert not ledger.entries


def test_a_new_daily_limit_is_checked_against_the_existing_per_transaction_one(
    card_app: int, ledger: RecordingLedger
) -> None:
    assert set_limits(card_app, per_transaction=1500, ledger=ledger).ok
    res = set_limits(card_app, daily=1000, ledger=ledger)
    assert res.code == "per_transaction_above_daily"
    assert set_limits(card_app, daily=1500, ledger=ledger).ok


@pytest.mark.parametrize("forged", [999_999, 0, -3, "1", None, True])
def test_controls_on_a_forged_application_find_nothing(card_app: int, ledger: RecordingLedger, forged: object) -> None:
    for call in (
        lambda: activate(forged, ledger=ledger),  # type: ignore[arg-type]
        lambda: freeze(forged, ledger=ledger),  # type: ignore[arg-type]
        lambda: unfreeze(forged, ledger=ledger),  # type: ignore[arg-type]
        lambda: set_notifications(forged, True, ledger=ledger),  # type: ignore[arg-type]
        lambda: set_limits(forged, daily=100, ledger=ledger),  # type: ignore[arg-type]
    ):
        res = call()
        assert (res.ok, res.code, res.card) == (False, "card_not_found", None)
    assert not ledger.entries
    assert not card_view(card_app).card.frozen  # type: ignore[union-attr]


def test_controls_before_issue_find_nothing(signed_app: AppFactory, ledger: RecordingLedger) -> None:
    app_id = signed_app()
    assert freeze(app_id, ledger=ledger).code == "card_not_found"
    assert card_view(app_id).code == "card_not_found"


def test_a_ledger_outage_does_not_lose_the_evidence(card_app: int, ledger: RecordingLedger) -> None:
    ledger.fail = True
    res = freeze(card_app, ledger=ledger)
    assert res.ok and res.code == "frozen" and res.changed and not res.recorded  # the freeze itself holds
    assert set_notifications(card_app, True, ledger=ledger).recorded is False
    assert unrecorded() == 2
    ledger.fail = False
    # the next operation sends the queued evidence first, in order
    assert unfreeze(card_app, ledger=ledger).recorded
    assert unrecorded() == 0 and actions(ledger) == ["freeze", "notifications", "unfreeze"]
    assert flush(ledger=ledger) == 0


def test_queued_evidence_can_be_flushed_explicitly(card_app: int, ledger: RecordingLedger) -> None:
    ledger.fail = True
    freeze(card_app, ledger=ledger)
    unfreeze(card_app, ledger=ledger)
    ledger.fail = False
    assert flush(ledger=ledger, limit=1) == 1 and unrecorded() == 1
    assert flush(ledger=ledger) == 1 and unrecorded() == 0
    assert actions(ledger) == ["freeze", "unfreeze"]


def test_a_claim_left_by_a_dead_process_expires(card_app: int, ledger: RecordingLedger) -> None:
    ledger.fail = True
    freeze(card_app, ledger=ledger)
    ledger.fail = False
    with session_scope() as s:  # as if another process had claimed it and died before appending
        s.execute(sa.update(CardEvent).where(CardEvent.recorded_at.is_(None)).values(claimed_at=utcnow()))
    assert flush(ledger=ledger) == 0 and unrecorded() == 1
    with session_scope() as s:
        s.execute(sa.update(CardEvent).values(claimed_at=utcnow() - dt.timedelta(seconds=61)))
    assert flush(ledger=ledger) == 1 and actions(ledger) == ["freeze"]


def test_evidence_the_ledger_refuses_does_not_block_the_rest(card_app: int, ledger: RecordingLedger) -> None:
    ledger.refuse_action = "freeze"
    assert freeze(card_app, ledger=ledger).recorded is False
    assert set_notifications(card_app, True, ledger=ledger).recorded
    assert unfreeze(card_app, ledger=ledger).recorded
    assert actions(ledger) == ["notifications", "unfreeze"] and unrecorded() == 1
