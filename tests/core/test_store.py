"""The store: encryption at rest, owner-only access, idempotent submission, erasure."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.application import Applicant

APPLICANT = Applicant(
    full_name="张伟",
    id_number="420106198008251161",
    birth_date="1980-08-25",
    sex="F",
    phone="+8615012345678",
    employment_type="employed",
    employer="阿里巴巴",
    monthly_income=25000,
    housing="rent",
    monthly_debt_payment=0,
    spending_categories=("travel",),
    chosen_card="KK_TRAVEL",
)


def raw_bytes(db: Path) -> bytes:
    """Everything SQLite has on disk: the database file and its write-ahead log."""
    data = db.read_bytes()
    wal = db.with_name(db.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def test_personal_data_never_reaches_the_file_in_clear(store: Path) -> None:
    from bot.store import applications

    applications.open_draft("web:abc", "zh", "v1")
    applications.submit("web:abc", APPLICANT, "zh")
    applications.create_handoff("web:abc", [{"from": "applicant", "text": "我的身份证 420106198008251161"}], "zh")
    blob = raw_bytes(store)
    for secret in ("420106198008251161", "15012345678", "张伟", "阿里巴巴"):
        assert secret.encode() not in blob, secret
    assert b"web:abc" not in blob  # conversation ids are keyed hashes too


def test_owner_token_is_required_and_bound_to_the_application(store: Path) -> None:
    from bot.store import applications

    applications.open_draft("c1", "zh", "v1")
    sub = applications.submit("c1", APPLICANT, "zh")
    other = applications.submit("c2", APPLICANT, "en")
    assert sub.owner_token and other.owner_token
    view = applications.get_for_owner(sub.reference, sub.owner_token)
    assert view is not None and view.applicant and view.applicant["full_name"] == "张伟"
    assert applications.get_for_owner(sub.reference, other.owner_token) is None
    assert applications.get_for_owner(sub.reference, "") is None
    assert applications.get_for_owner("KK000000-XXXXXX", sub.owner_token) is None
    # the token itself is not stored, only its hash
    con = sqlite3.connect(store)
    stored = [r[0] for r in con.execute("select owner_token_hash from applications")]
    assert sub.owner_token not in stored


def test_submission_is_idempotent(store: Path) -> None:
    from bot.store import applications

    applications.open_draft("c1", "zh", "v1")
    first = applications.submit("c1", APPLICANT, "zh")
    again = applications.submit("c1", APPLICANT, "zh")
    assert again.reference == first.reference and again.owner_token is None
    assert applications.count() == 1
    view = applications.latest_for_conversation("c1")
    assert view is not None and view.status == "submitted"
    assert [h["to"] for h in view.history] == ["draft", "submitted"]


def test_withdraw_erases_personal_data_and_keeps_the_facts(store: Path) -> None:
    from bot.store import applications

    applications.open_draft("c1", "zh", "v1")
    sub = applications.submit("c1", APPLICANT, "zh")
    applications.create_handoff("c1", [{"text": "call me on 15012345678"}], "zh")
    touched = applications.withdraw("c1")
    assert touched == [sub.reference]
    view = applications.latest_for_conversation("c1")
    assert view is not None and view.status == "withdrawn" and view.applicant is None
    assert applications.get_for_owner(sub.reference, sub.owner_token or "") is None
    assert applications.open_handoffs() == []
    con = sqlite3.connect(store)
    row = con.execute("select data_enc, id_number_index, phone_index, owner_token_hash from applications").fetchone()
    assert row == (None, None, None, None)


def test_draft_at_consent_and_reset(store: Path) -> None:
    from bot.store import applications

    first = applications.open_draft("c9", "en", "v1")
    assert applications.open_draft("c9", "en", "v1") == first  # one draft per conversation
    view = applications.latest_for_conversation("c9")
    assert view is not None and view.status == "draft" and view.reference is None
    applications.reset_draft("c9")
    assert applications.latest_for_conversation("c9").status == "draft"  # type: ignore[union-attr]


def test_handoff_keeps_transcript_encrypted_and_readable_by_staff(store: Path) -> None:
    from bot.store import applications

    ref = applications.create_handoff("c1", [{"from": "applicant", "text": "转人工"}], "zh")
    assert ref.startswith("HO")
    [open_one] = applications.open_handoffs()
    assert open_one["reference"] == ref and open_one["transcript"][0]["text"] == "转人工"


def test_status_machine_refuses_illegal_moves() -> None:
    from bot.status import Status, TransitionError, check_transition

    assert check_transition("draft", "submitted") is Status.SUBMITTED
    with pytest.raises(TransitionError):
        check_transition("withdrawn", "submitted")
    with pytest.raises(TransitionError):
        check_transition("draft", "issued")
