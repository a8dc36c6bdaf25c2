"""Issuing: one card per signed application, refusals, the one-time reveal, storage, erasure."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bot.crypto import DecryptionError, get_cipher
from bot.store.db import session_scope
from bot.store.models import Application, StatusEvent, utcnow
from integrations.issuing import (
    card_view,
    card_view_for_conversation,
    erase_for_application,
    freeze,
    issue_card,
    new_reveal_token,
    reveal,
    set_limits,
    unfreeze,
)
from integrations.issuing.cvv import LocalCvk
from integrations.issuing.evidence import open_evidence
from integrations.issuing.expiry import expiry_for, printed
from integrations.issuing.models import Card, CardEvent
from integrations.issuing.pan import luhn_valid
from integrations.issuing.service import pan_aad
from tests.integrations.issuing.conftest import RecordingLedger

AppFactory = Callable[..., int]


def cards_of(app_id: int) -> list[Card]:
    with session_scope() as s:
        return s.query(Card).filter(Card.application_id == app_id).all()


def card_count() -> int:
    with session_scope() as s:
        return int(s.query(sa.func.count(Card.id)).scalar())


def app_status(app_id: int) -> str:
    with session_scope() as s:
        app = s.get(Application, app_id)
        assert app is not None
        return str(app.status)


# --- issuing ----------------------------------------------------------------------------------------


def test_a_signed_application_gets_a_virtual_card(signed_app: AppFactory, ledger: RecordingLedger) -> None:
    app_id = signed_app()
    res = issue_card(app_id, "KK_CLASSIC", credit_limit=20000, ledger=ledger)
    assert res.ok and res.code == "issued" and res.recorded
    card = res.card
    assert card is not None
    assert card.masked_pan == f"•••• {card.card_last4}" and len(card.card_last4) == 4
    assert card.virtual_status == "active"  # mobile payment at once
    assert card.physical_status == "inactive"  # the plastic card waits for activation
    assert card.card_status == "inactive"
    assert card.credit_limit == 20000 and card.per_transaction_limit is None and not card.notifications
    assert card.slots() == {"card_last4": card.card_last4, "card_status": "inactive"}
    assert res.reveal_token and len(res.reveal_token) >= 40
    # the application reaches its end state, with history
    assert app_status(app_id) == "issued"
    with session_scope() as s:
        last = s.query(StatusEvent).filter(StatusEvent.application_id == app_id).order_by(StatusEvent.id.desc()).first()
        assert last is not None and (last.from_status, last.to_status) == ("signed", "issued")
    # evidence: ids and one hash, nothing about the card number
    [(event, subject, data)] = ledger.entries
    assert event == "card_issued" and subject == f"application:{app_id}"
    assert set(data) == {"card_id", "application_id", "event_id", "action", "facts_sha256"}
    assert data["card_id"] == card.card_id and len(data["facts_sha256"]) == 64
    facts = open_evidence(int(data["event_id"]))
    assert facts is not None and facts["state"]["credit_limit_fen"] == 2_000_000


def test_results_never_print_secrets(signed_app: AppFactory, ledger: RecordingLedger) -> None:
    res = issue_card(signed_app(), "KK_CLASSIC", ledger=ledger)
    assert res.reveal_token and res.reveal_token not in repr(res) and res.reveal_token not in str(res)
    assert res.card is not None
    secret = reveal(res.card.card_id, res.reveal_token)
    assert secret.ok and secret.pan and secret.cvv and secret.expiry
    for hidden in (secret.pan, secret.cvv, secret.expiry):
        assert hidden not in repr(secret)


def test_issuing_twice_returns_the_same_card(signed_app: AppFactory, ledger: RecordingLedger) -> None:
    app_id = signed_app()
    first = issue_card(app_id, "KK_CLASSIC", ledger=ledger)
    again = issue_card(app_id, "KK_CLASSIC", ledger=ledger)
    assert again.ok and again.code == "already_issued" and again.reveal_token is None
    assert first.card is not None and again.card is not None and again.card.card_id == first.card.card_id
    assert len(cards_of(app_id)) == 1
    assert [e[0] for e in ledger.entries] == ["card_issued"]
    # the first token still works: the repeat did not replace it
    assert first.reveal_token and reveal(first.card.card_id, first.reveal_token).ok


def test_double_click_from_many_threads_issues_one_card(signed_app: AppFactory, ledger: RecordingLedger) -> None:
    app_id = signed_app()
    results = []
    barrier = threading.Barrier(6)

    def click() -> None:
        barrier.wait()
        results.append(issue_card(app_id, "KK_CLASSIC", ledger=ledger))

    threads = [threading.Thread(target=click) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.code for r in results) == ["already_issued"] * 5 + ["issued"]
    assert len({r.card.card_id for r in results if r.card}) == 1
    assert len(cards_of(app_id)) == 1
    assert [e[0] for e in ledger.entries] == ["card_issued"]


@pytest.mark.parametrize("status", ["draft", "submitted", "referred", "approved", "declined", "withdrawn"])
def test_no_card_without_approval_and_signature(signed_app: AppFactory, ledger: RecordingLedger, status: str) -> None:
    app_id = signed_app(status=status)
    res = issue_card(app_id, "KK_CLASSIC", ledger=ledger)
    assert (res.ok, res.code, res.card, res.reveal_token) == (False, "not_signed", None, None)
    assert card_count() == 0 and not ledger.entries and app_status(app_id) == status


@pytest.mark.parametrize("forged", [999_999, 0, -1, "1", "1 OR 1=1", True, None, 1.0, [1]])
def test_forged_application_ids_are_refused(signed_app: AppFactory, ledger: RecordingLedger, forged: object) -> None:
    signed_app()  # a real one exists (id 1): a look-alike id must not reach it
    res = issue_card(forged, "KK_CLASSIC", ledger=ledger)  # type: ignore[arg-type]
    assert (res.ok, res.code, res.card) == (False, "application_not_found", None)
    assert card_count() == 0 and not ledger.entries


@pytest.mark.parametrize(
    ("product", "credit_limit", "code"),
    [
        ("KK_NOPE", None, "unknown_product"),
        ("", None, "unknown_product"),
        (None, None, "unknown_product"),
        ("KK_TRAVEL", None, "product_mismatch"),  # the application is for KK_CLASSIC
        ("KK_CLASSIC", 2999, "invalid_credit_limit"),  # below the product's minimum
        ("KK_CLASSIC", 50001, "invalid_credit_limit"),
        ("KK_CLASSIC", "20000", "invalid_credit_limit"),
        ("KK_CLASSIC", True, "invalid_credit_limit"),
        ("KK_CLASSIC", 20000.0, "invalid_credit_limit"),
    ],
)
def test_bad_product_or_limit_is_refused(
    signed_app: AppFactory, ledger: RecordingLedger, product: object, credit_limit: object, code: str
) -> None:
    app_id = signed_app()
    res = issue_card(app_id, product, credit_limit=credit_limit, ledger=ledger)  # type: ignore[arg-type]
    assert (res.ok, res.code, res.card) == (False, code, None)
    assert card_count() == 0 and app_status(app_id) == "signed" and not ledger.entries


def test_a_repeat_for_another_product_is_refused(signed_app: AppFactory, ledger: RecordingLedger) -> None:
    app_id = signed_app(product=None)
    assert issue_card(app_id, "KK_DINING", ledger=ledger).code == "issued"
    assert issue_card(app_id, "KK_CLASSIC", ledger=ledger).code == "product_mismatch"
    assert len(cards_of(app_id)) == 1


# --- storage ---------------------------------------------------------------------------------------


def test_card_number_is_stored_encrypted_and_bound_to_its_row(
    signed_app: AppFactory, ledger: RecordingLedger, db_bytes: Callable[[], bytes]
) -> None:
    a, b = issue_card(signed_app(), "KK_CLASSIC", ledger=ledger), issue_card(signed_app(), "KK_CLASSIC", ledger=ledger)
    assert a.card and b.card and a.reveal_token
    pan = reveal(a.card.card_id, a.reveal_token).pan
    assert pan
    [row_a], [row_b] = cards_of(a.card.application_id), cards_of(b.card.application_id)
    assert row_a.pan_enc and pan not in row_a.pan_enc and row_a.pan_index != row_b.pan_index
    assert pan.encode() not in db_bytes() and pan[:12].encode() not in db_bytes()
    cipher = get_cipher()
    assert cipher.decrypt_json(row_a.pan_enc, pan_aad(row_a.id))["pan"] == pan
    with pytest.raises(DecryptionError):  # moved to another row, it no longer decrypts
        cipher.decrypt_json(row_a.pan_enc, pan_aad(row_b.id))
    columns = {c.name for c in Card.__table__.columns} | {c.name for c in CardEvent.__table__.columns}
    assert not {n for n in columns if "cvv" in n or "cvc" in n or n == "pan"}


def test_card_numbers_never_reach_the_logs(
    signed_app: AppFactory, ledger: RecordingLedger, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Test this package's own hygiene, not bot.logsafe's net: plain log records for this test.
    monkeypatch.setattr(logging, "_logRecordFactory", logging.LogRecord)
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # statements and their parameters
    try:
        app_id = signed_app()
        res = issue_card(app_id, "KK_CLASSIC", ledger=ledger)
        assert res.card and res.reveal_token
        secret = reveal(res.card.card_id, res.reveal_token)
        set_limits(app_id, per_transaction=500, daily=2000, ledger=ledger)
        freeze(app_id, ledger=ledger)
        unfreeze(app_id, ledger=ledger)
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    assert secret.pan and secret.cvv
    assert "INSERT INTO cards" in caplog.text  # the statements were really captured
    assert secret.pan not in caplog.text and secret.pan[:12] not in caplog.text
    assert res.reveal_token not in caplog.text


# --- reveal --------------------------------------------------------------------------------------------


def test_reveal_once_to_the_token_holder(signed_app: AppFactory, ledger: RecordingLedger) -> None:
    app_id = signed_app(product="KK_TRAVEL")
    res = issue_card(app_id, "KK_TRAVEL", credit_limit=30000, ledger=ledger)
    assert res.card and res.reveal_token
    secret = reveal(res.card.card_id, res.reveal_token)
    assert secret.ok and secret.code == "revealed"
    assert secret.pan and secret.pan.startswith("622588") and len(secret.pan) == 16 and luhn_valid(secret.pan)
    assert secret.pan.endswith(res.card.card_last4)
    expiry = expiry_for(utcnow().date())
    assert secret.expiry == printed(expiry)
    assert secret.cvv == LocalCvk.from_env().cvv(secret.pan, f"{expiry:%y%m}", "000")
    again = reveal(res.card.card_id, res.reveal_token)
    assert (again.ok, again.code, again.pan, again.cvv) == (False, "reveal_spent", None, None)
    view = card_view(app_id)
    assert view.card and view.card.details_revealed
    assert new_reveal_token(app_id).code == "reveal_spent"  # once means once


def test_another_persons_token_reveals_nothing(signed_app: AppFactory, ledger: RecordingLedger) -> None:
    mine = issue_card(signed_app(), "KK_CLASSIC", ledger=ledger)
    theirs = issue_card(signed_app(), "KK_CLASSIC", ledger=ledger)
    assert mine.card and theirs.card and mine.reveal_token and theirs.reveal_token
    attempt = reveal(mine.card.card_id, theirs.reveal_token)
    assert (attempt.ok, attempt.code, attempt.pan) == (False, "reveal_denied", None)
    # neither token was spent by the failed attempt
    assert reveal(mine.card.card_id, mine.reveal_token).ok
    assert reveal(theirs.card.card_id, theirs.reveal_token).ok


@pytest.mark.parametrize(
    "make",
    [
        lambda cid, tok: ("0" * 32, tok),  # forged card id
        lambda cid, tok: (cid, tok + "x"),  # tampered token
        lambda cid, tok: (cid, ""),
        lambda cid, tok: ("", tok),
        lambda cid, tok: (cid, None),
        lambda cid, tok: (None, tok),
        lambda cid, tok: (cid, cid),  # the card id is not a token
    ],
)
def test_forged_reveals_are_denied(
    signed_app: AppFactory, ledger: RecordingLedger, make: Callable[[str, str], tuple[object, object]]
) -> None:
    res = issue_card(signed_app(), "KK_CLASSIC", ledger=ledger)
    assert res.card and res.reveal_token
    card_id, token = make(res.card.card_id, res.reveal_token)
    attempt = reveal(card_id, token)  # type: ignore[arg-type]
    assert (attempt.ok, attempt.code, attempt.pan, attempt.cvv) == (False, "reveal_denied", None, None)
    assert reveal(res.card.card_id, res.reveal_token).ok


def test_expired_and_frozen_reveals_are_refused(signed_app: AppFactory, ledger: RecordingLedger) -> None:
    app_id = signed_app()
    res = issue_card(app_id, "KK_CLASSIC", ledger=ledger)
    assert res.card and res.reveal_token
    freeze(app_id, ledger=ledger)
    assert reveal(res.card.card_id, res.reveal_token).code == "card_frozen"
    assert new_reveal_token(app_id).code == "card_frozen"
    unfreeze(app_id, ledger=ledger)
    with session_scope() as s:
        s.execute(sa.update(Card).values(reveal_expires_at=utcnow() - dt.timedelta(seconds=1)))
    assert reveal(res.card.card_id, res.reveal_token).code == "reveal_expired"
    fresh = new_reveal_token(app_id)
    assert fresh.ok and fresh.code == "reveal_ready" and fresh.token
    assert reveal(res.card.card_id, res.reveal_token).code == "reveal_denied"  # the old one is replaced
    assert reveal(res.card.card_id, fresh.token).ok


def test_simultaneous_reveals_only_one_wins(signed_app: AppFactory, ledger: RecordingLedger) -> None:
    res = issue_card(signed_app(), "KK_CLASSIC", ledger=ledger)
    assert res.card and res.reveal_token
    card_id, token = res.card.card_id, res.reveal_token
    codes: list[str] = []
    barrier = threading.Barrier(5)

    def go() -> None:
        barrier.wait()
        codes.append(reveal(card_id, token).code)

    threads = [threading.Thread(target=go) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == ["reveal_spent"] * 4 + ["revealed"]


# --- view, erasure ----------------------------------------------------------------------------------------


def test_view_is_masked_and_found_by_conversation(signed_app: AppFactory, ledger: RecordingLedger) -> None:
    app_id = signed_app(sender="telegram:42")
    res = issue_card(app_id, "KK_CLASSIC", ledger=ledger)
    assert res.card
    view = card_view(app_id)
    assert view.ok and view.card == res.card
    by_chat = card_view_for_conversation("telegram:42")
    assert by_chat.ok and by_chat.card and by_chat.card.card_id == res.card.card_id
    assert card_view_for_conversation("telegram:43").code == "card_not_found"
    for bad in (999, 0, "1", None):
        assert card_view(bad).code == "card_not_found"  # type: ignore[arg-type]


def test_erasure_removes_the_card_data_and_blocks_reissue(
    signed_app: AppFactory, ledger: RecordingLedger, db_bytes: Callable[[], bytes]
) -> None:
    app_id = signed_app()
    res = issue_card(app_id, "KK_CLASSIC", ledger=ledger)
    assert res.card and res.reveal_token
    other = issue_card(signed_app(), "KK_CLASSIC", ledger=ledger)
    assert other.card and other.reveal_token
    pan = reveal(res.card.card_id, res.reveal_token).pan
    assert pan
    event_id = int(ledger.entries[0][2]["event_id"])
    assert erase_for_application(app_id) == 1
    [row] = cards_of(app_id)
    assert row.state == "erased" and row.pan_enc is None and row.pan_index is None and row.last4 is None
    assert open_evidence(event_id) is None
    assert card_view(app_id).code == "card_not_found"
    assert issue_card(app_id, "KK_CLASSIC", ledger=ledger).code == "card_erased"
    assert freeze(app_id, ledger=ledger).code == "card_not_found"
    assert erase_for_application(app_id) == 0 and erase_for_application("x") == 0  # type: ignore[arg-type]
    # the other applicant's card is untouched
    assert reveal(other.card.card_id, other.reveal_token).ok
    assert len(ledger.entries) == 2  # erasing appends nothing here; the ledger entries stay valid
    assert pan.encode() not in db_bytes()


# --- credit limit from the credit decision ----------------------------------------------------------------


def _decision(app_id: int, outcome: str, limit: int | None, product: str | None = "KK_CLASSIC") -> None:
    scoring = pytest.importorskip("integrations.scoring.models")
    with session_scope() as s:
        s.add(
            scoring.ScoringDecision(
                application_id=app_id,
                model_version="m",
                policy_version="p",
                policy_sha256="0" * 64,
                outcome=outcome,
                product_code=product,
                credit_limit=limit,
            )
        )


@pytest.mark.parametrize(
    ("decisions", "limit"),
    [
        ([("approve", 12000, "KK_CLASSIC")], Decimal("12000.00")),
        ([("approve", 9000, "KK_CLASSIC"), ("approve", 15000, None)], Decimal("15000.00")),  # the latest
        ([("approve", 12000, "KK_CLASSIC"), ("decline", None, "KK_CLASSIC")], Decimal("12000.00")),
        ([("approve", 12000, "KK_TRAVEL")], Decimal("3000.00")),  # another product's: product minimum
        ([], Decimal("3000.00")),  # no decision: product minimum
    ],
)
def test_the_limit_comes_from_the_approving_decision(
    signed_app: AppFactory, ledger: RecordingLedger, decisions: list[tuple[str, int | None, str | None]], limit: Decimal
) -> None:
    app_id = signed_app()
    for outcome, amount, product in decisions:
        _decision(app_id, outcome, amount, product)
    res = issue_card(app_id, "KK_CLASSIC", ledger=ledger)
    assert res.card and res.card.credit_limit == limit


def test_an_approved_limit_outside_the_products_range_is_refused(
    signed_app: AppFactory, ledger: RecordingLedger
) -> None:
    app_id = signed_app()
    _decision(app_id, "approve", 90000)  # KK_CLASSIC goes to 50,000
    assert issue_card(app_id, "KK_CLASSIC", ledger=ledger).code == "invalid_credit_limit"
    assert card_count() == 0
