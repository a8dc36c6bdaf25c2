"""The KYC record: checks stored encrypted with the status, evidence encrypted with retention,
purge, erasure on withdrawal, and the migration matching the models."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.crypto import DecryptionError, get_cipher
from integrations.kyc import otp, record
from integrations.kyc.liveness import ChallengeCheck, SelfieCheck, combine
from integrations.kyc.outcome import FAILED, INCOMPLETE, PASSED, REVIEW, CheckResult
from integrations.kyc.screening import screen
from integrations.kyc.sms import OutboxSmsGateway

from .kyc_support import T0, clear_kyc_caches, new_application

JPEG = b"\xff\xd8\xff\xe0" + b"JFIF-test-bytes" * 100 + b"\xff\xd9"


@pytest.fixture()
def app(store: Path) -> Iterator[int]:
    clear_kyc_caches()
    yield new_application()
    clear_kyc_caches()


def raw_rows(db: Path, table: str) -> list[dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(f"SELECT * FROM {table}")]


def good_liveness(method: str = "speech") -> CheckResult:
    selfie = SelfieCheck("ok", faces=1, face_fraction=0.4, id_compared=True, image_distance=30)
    return record.check_from_liveness(combine(selfie, ChallengeCheck("ok", method)))


def verified_phone(app: int) -> CheckResult:
    box = OutboxSmsGateway()
    service = otp.OtpService(box)
    service.send(app, "+8615012345678")
    return record.check_from_phone(service.verify(app, box.last()["params"]["code"]))  # type: ignore[index]


# -- checks and status ----------------------------------------------------------------------------
def test_a_full_pass(app: int, store: Path) -> None:
    assert record.kyc_status(app) == INCOMPLETE  # no record yet
    assert record.record_check(app, record.document_check("id_number_checksum", True, "ok")).status == INCOMPLETE
    assert record.record_check(app, verified_phone(app)).status == INCOMPLETE
    assert record.record_check(app, good_liveness("speech")).status == INCOMPLETE
    decision = record.record_check(app, record.check_from_screening(screen("Chen Xiaoyu", "1991-05-05")))
    assert decision.status == PASSED
    view = record.get_record(app)
    assert view is not None and view.status == PASSED and view.decided_at is not None
    assert [c.name for c in view.checks] == [
        "document.id_number_checksum",
        "phone.otp",
        "liveness.selfie_challenge",
        "screening.list",
    ]
    assert all(c.at for c in view.checks)
    liveness = view.checks[2]
    assert liveness.method == "speech" and liveness.details["strength"] == "standard"
    assert record.kyc_status(app) == PASSED


def test_typed_liveness_and_a_screening_hit_go_to_review(app: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAIKA_KYC_TYPED_LIVENESS_OUTCOME", "review")  # a bank that reviews typed codes
    clear_kyc_caches()
    record.record_check(app, record.document_check("id_number_checksum", True, "ok"))
    record.record_check(app, verified_phone(app))
    assert record.record_check(app, good_liveness("typed")).status == INCOMPLETE
    decision = record.record_check(app, record.check_from_screening(screen("张伟", "1971-03-14")))
    assert decision.status == REVIEW
    assert decision.reasons == ("screening.list:possible_match", "liveness_typed")
    screening = record.get_record(app).checks[-1]  # type: ignore[union-attr]
    assert screening.result == "review" and screening.details["hits"][0]["entry_id"] == "kaika-fict-0001"


def test_typed_liveness_passes_by_default_and_is_recorded_as_typed(app: int) -> None:
    clear_kyc_caches()
    for check in (
        record.document_check("id_number_checksum", True, "ok"),
        verified_phone(app),
        good_liveness("typed"),
        record.check_from_screening(screen("Chen Xiaoyu", "1991-05-05")),
    ):
        decision = record.record_check(app, check)
    assert decision.status == PASSED


def test_a_hard_failure(app: int) -> None:
    record.record_check(app, record.document_check("id_number_checksum", False, "mismatch", hard=True))
    assert record.kyc_status(app) == FAILED


def test_document_checks_from_the_reader(app: int) -> None:
    class Check:  # the shape of integrations.kyc.checks.Check
        def __init__(self, name: str, passed: bool, detail: str) -> None:
            self.name, self.passed, self.detail = name, passed, detail

    result = record.check_from_document(Check("region_code", False, "unknown_region"), hard=True)
    assert result.name == "document.region_code" and result.result == "fail" and result.hard
    assert record.record_check(app, result).status == FAILED


def test_checks_are_encrypted_at_rest(app: int, store: Path) -> None:
    record.record_check(app, record.check_from_screening(screen("张伟", "1971-03-14")))
    (row,) = raw_rows(store, "kyc_records")
    assert row["checks_enc"].startswith("k1.")
    assert "possible_match" not in row["checks_enc"] and "kaika-fict" not in row["checks_enc"]
    # bound to its row: moved to another record it does not decrypt
    with pytest.raises(DecryptionError):
        get_cipher().decrypt_json(row["checks_enc"], f"kyc_records.checks_enc:{row['id'] + 1}")


# -- evidence ----------------------------------------------------------------------------------------
def test_evidence_round_trip_encrypted(app: int, store: Path) -> None:
    evidence_id = record.add_evidence(app, "selfie", JPEG, "image/jpeg", now=T0)
    assert record.read_evidence(app, evidence_id) == JPEG
    (row,) = raw_rows(store, "kyc_evidence")
    assert row["data_enc"].startswith("k1.") and b"JFIF" not in row["data_enc"].encode()
    assert row["size_bytes"] == len(JPEG) and row["kind"] == "selfie"
    assert row["expires_at"].startswith("2026-12-31")  # 30 days by default
    other = new_application()
    assert record.read_evidence(other, evidence_id) is None  # not another application's
    assert record.read_evidence(app, evidence_id + 99) is None
    cited = record.check_from_liveness(
        combine(SelfieCheck("ok", faces=1), ChallengeCheck("ok", "speech")), evidence=(evidence_id,)
    )
    record.record_check(app, cited)
    view = record.get_record(app)
    assert view is not None and view.checks[0].evidence == (evidence_id,)
    assert view.evidence[0].id == evidence_id and view.evidence[0].purged_at is None


def test_evidence_cannot_be_moved_to_another_row(app: int, store: Path) -> None:
    first = record.add_evidence(app, "id_front", JPEG, "image/jpeg")
    second = record.add_evidence(app, "selfie", b"\x89PNG other", "image/png")
    with sqlite3.connect(store) as conn:
        token = conn.execute("SELECT data_enc FROM kyc_evidence WHERE id=?", (first,)).fetchone()[0]
        conn.execute("UPDATE kyc_evidence SET data_enc=? WHERE id=?", (token, second))
    with pytest.raises(DecryptionError):
        record.read_evidence(app, second)


@pytest.mark.parametrize(
    ("kind", "data", "content_type"),
    [
        ("tattoo", JPEG, "image/jpeg"),
        ("selfie", JPEG, "application/pdf"),
        ("selfie", b"", "image/jpeg"),
        ("selfie", b"x" * (10 * 1024 * 1024 + 1), "image/jpeg"),
    ],
    ids=["unknown_kind", "not_an_image_type", "empty", "over_10_mb"],
)
def test_bad_evidence_is_refused(app: int, kind: str, data: bytes, content_type: str) -> None:
    with pytest.raises(ValueError):
        record.add_evidence(app, kind, data, content_type)


def test_evidence_needs_an_application(app: int) -> None:
    with pytest.raises(sa.exc.IntegrityError):
        record.add_evidence(app + 1000, "selfie", JPEG, "image/jpeg")


def test_retention_from_the_setting_and_purge(app: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAIKA_KYC_EVIDENCE_RETENTION_DAYS", "7")
    clear_kyc_caches()
    short = record.add_evidence(app, "id_front", JPEG, "image/jpeg", now=T0)
    longer = record.add_evidence(app, "selfie", JPEG, "image/jpeg", now=T0, retention_days=30)
    assert record.purge_expired(T0 + dt.timedelta(days=6, hours=23)) == 0
    assert record.purge_expired(T0 + dt.timedelta(days=7)) == 1
    assert record.purge_expired(T0 + dt.timedelta(days=7)) == 0  # idempotent
    assert record.read_evidence(app, short) is None and record.read_evidence(app, longer) == JPEG
    record.record_check(app, record.document_check("id_number_checksum", True, "ok", evidence=(short,)))
    view = record.get_record(app)
    assert view is not None
    purged = {e.id: e.purged_at for e in view.evidence}
    assert purged[short] is not None and purged[longer] is None
    assert record.purge_expired(T0 + dt.timedelta(days=31)) == 1
    monkeypatch.setenv("KAIKA_KYC_EVIDENCE_RETENTION_DAYS", "0")
    clear_kyc_caches()
    with pytest.raises(ValueError):
        record.add_evidence(app, "selfie", JPEG, "image/jpeg")


# -- erasure ----------------------------------------------------------------------------------------
def test_erase_for_application(app: int, store: Path) -> None:
    other = new_application()
    for a in (app, other):
        record.add_evidence(a, "selfie", JPEG, "image/jpeg")
        record.record_check(a, verified_phone(a))
    erasure = record.erase_for_application(app)
    assert erasure == record.Erasure(evidence=1, otp_challenges=1, record=True)
    assert [r["application_id"] for r in raw_rows(store, "kyc_evidence")] == [other]
    assert [r["application_id"] for r in raw_rows(store, "otp_challenges")] == [other]
    rows = {r["application_id"]: r for r in raw_rows(store, "kyc_records")}
    assert rows[app]["checks_enc"] is None and rows[app]["status"] == record.ERASED and rows[app]["erased_at"]
    assert rows[other]["checks_enc"] is not None
    with pytest.raises(ValueError):
        record.record_check(app, good_liveness())
    assert record.erase_for_application(app) == record.Erasure(0, 0, True)  # idempotent
    assert record.erase_for_application(other + 1000) == record.Erasure(0, 0, False)


def test_deleting_the_application_cascades(app: int, store: Path) -> None:
    record.add_evidence(app, "selfie", JPEG, "image/jpeg")
    record.record_check(app, verified_phone(app))
    from bot.store.db import session_scope
    from bot.store.models import Application

    with session_scope() as session:
        session.delete(session.get(Application, app))
    for table in ("kyc_evidence", "kyc_records", "otp_challenges"):
        assert raw_rows(store, table) == []


# -- migration ----------------------------------------------------------------------------------------
def test_migration_matches_the_models(store: Path) -> None:
    from bot.store.db import get_engine
    from integrations.kyc.models import KycEvidence, KycRecord, OtpChallenge

    inspector = sa.inspect(get_engine())
    for model in (OtpChallenge, KycRecord, KycEvidence):
        table = model.__table__
        columns = {c["name"]: c for c in inspector.get_columns(table.name)}
        assert set(columns) == {c.name for c in table.columns}, table.name
        for column in table.columns:
            assert columns[column.name]["nullable"] == column.nullable, (table.name, column.name)
        fks = inspector.get_foreign_keys(table.name)
        assert any(fk["referred_table"] == "applications" and fk["options"].get("ondelete") == "CASCADE" for fk in fks)
    unique = [i for i in inspector.get_indexes("kyc_records") if i["unique"]]
    assert [i["column_names"] for i in unique] == [["application_id"]]
    with sqlite3.connect(store) as conn:
        heads = {r[0] for r in conn.execute("SELECT version_num FROM alembic_version")}
    assert "0002" in heads


def test_the_kyc_branch_downgrades_and_upgrades(store: Path) -> None:
    from alembic import command

    from bot.store.db import alembic_config, get_engine

    cfg = alembic_config()
    command.downgrade(cfg, "kyc@0001")
    assert "kyc_records" not in sa.inspect(get_engine()).get_table_names()
    command.upgrade(cfg, "heads")
    assert "kyc_records" in sa.inspect(get_engine()).get_table_names()


def test_erase_inside_the_callers_transaction(app: int, store: Path) -> None:
    """How bot.store.applications.withdraw should call it: one transaction for everything."""
    from bot.store.db import session_scope
    from bot.store.models import Application

    record.add_evidence(app, "selfie", JPEG, "image/jpeg")
    record.record_check(app, verified_phone(app))
    with session_scope() as session:
        session.get(Application, app).data_enc = None  # the withdrawal's own writes
        erasure = record.erase_for_application(app, session=session)
    assert erasure == record.Erasure(evidence=1, otp_challenges=1, record=True)
    assert raw_rows(store, "kyc_evidence") == [] and raw_rows(store, "otp_challenges") == []
