"""Decision records: stored encrypted, re-scored to the same result, reproducible after the
policy changes, erasable; fraud links in the database."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.store.db import session_scope
from bot.store.models import Application
from integrations.scoring import const as k
from integrations.scoring import policy as policy_mod
from integrations.scoring.compiled import CompiledScorecard
from integrations.scoring.decide import decide
from integrations.scoring.errors import ScoringError
from integrations.scoring.records import (
    decide_and_record,
    decisions_for_application,
    erase_for_application,
    fraud_check,
    load_decision,
    record_decision,
    rescore,
)

from .conftest import cli, good_applicant


def new_application() -> int:
    with session_scope() as s:
        app = Application(conversation_key="k" * 64, status="submitted", language="zh")
        s.add(app)
        s.flush()
        return int(app.id)


@pytest.fixture()
def scoring_env(store: Path, model_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KAIKA_MODEL_DIR", str(model_root.parent))
    from bot.settings import get_settings

    get_settings.cache_clear()
    return store


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"monthly_income": 2500},
        {"housing": "castle", "monthly_debt_payment": None},
        {"birth_date": "x"},
        {"chosen_card": "KK_STUDENT", "employment_type": "student", "monthly_income": 0},
        {"past_arrears": True, "job_years": 1.5},
        {"job_years": None},
        {"past_arrears": None},
        {"job_years": 99, "past_arrears": "maybe"},
        {"employment_type": "retired", "job_years": 30, "chosen_card": "KK_ONLINE"},
    ],
)
def test_stored_decision_rescores_identically(
    scoring_env: Path, model: CompiledScorecard, change: dict[str, Any]
) -> None:
    aid = new_application()
    d = decide(good_applicant(**change), model=model)
    rid = record_decision(d, aid)
    again = rescore(rid)
    assert again.same, again.differences
    assert again.recomputed.to_dict() == d.to_dict()
    stored = load_decision(rid).record
    assert stored is not None
    inputs = stored["facts"]["model_inputs"]
    assert set(inputs) == set(model.features) and {"job_years", "past_arrears"} <= set(inputs)


def test_record_is_encrypted_and_has_what_a_reviewer_needs(scoring_env: Path, model: CompiledScorecard) -> None:
    aid = new_application()
    d = decide(good_applicant(monthly_income=23456), model=model)
    rid = record_decision(d, aid)
    con = sqlite3.connect(scoring_env)
    raw = con.execute("select record_enc from scoring_decisions where id=?", (rid,)).fetchone()[0]
    assert raw.startswith("k1.") and "23456" not in raw
    stored = load_decision(rid)
    assert stored.model_version == d.model_version and stored.outcome == d.decision
    rec = stored.record
    assert rec is not None
    assert rec["facts"]["model_inputs"]["monthly_income"] == 23456
    assert "birth_date" not in json.dumps(rec["facts"]) and "full_name" not in json.dumps(rec["facts"])
    assert [p["feature"] for p in rec["decision"]["points"]] == list(model.features)
    assert rec["decision"]["rules_fired"] == [h.code for h in d.rules_fired]


def test_rescore_uses_the_policy_of_the_time(
    scoring_env: Path, model: CompiledScorecard, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    aid = new_application()
    d = decide(good_applicant(), model=model)
    rid = record_decision(d, aid)
    raw = yaml.safe_load(k.POLICY_FILE.read_text(encoding="utf-8"))
    raw["limits"]["income_multiple"]["A"] = 1  # policy edited after the decision
    changed = tmp_path / "policy.yml"
    changed.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(k, "POLICY_FILE", changed)
    assert decide(good_applicant(), model=model).credit_limit != d.credit_limit
    again = rescore(rid)
    assert again.same and again.recomputed.credit_limit == d.credit_limit


def test_tampered_record_does_not_decrypt(scoring_env: Path, model: CompiledScorecard) -> None:
    from bot.crypto import DecryptionError

    a1, a2 = new_application(), new_application()
    r1 = record_decision(decide(good_applicant(), model=model), a1)
    r2 = record_decision(decide(good_applicant(monthly_income=2500), model=model), a2)
    con = sqlite3.connect(scoring_env)
    enc = con.execute("select record_enc from scoring_decisions where id=?", (r1,)).fetchone()[0]
    con.execute("update scoring_decisions set record_enc=? where id=?", (enc, r2))  # moved to another row
    con.commit()
    with pytest.raises(DecryptionError):
        load_decision(r2)


def test_cli_rescore(scoring_env: Path, model: CompiledScorecard, model_root: Path) -> None:
    rid = record_decision(decide(good_applicant(), model=model), new_application())
    res = cli("scoring", "rescore", str(rid), "--model-dir", str(model_root))
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["same"] is True


def test_decide_and_record_with_fraud_check(scoring_env: Path) -> None:
    now = dt.datetime(2026, 11, 28, 10, 0)
    shared = {"device_fingerprint": "dev-x"}
    results = []
    for i in range(4):
        app = good_applicant(id_number=f"11010119800101{i:04d}", phone=f"1380013{i:04d}", **shared)
        aid = new_application()
        decision, rid, fraud = decide_and_record(app, aid, now=now + dt.timedelta(minutes=i))
        results.append((decision, fraud))
        assert load_decision(rid).application_id == aid
    assert [f.flagged for _, f in results if f] == [False, False, True, True]
    assert results[2][0].decision == k.REFER and "fraud_flag" in [r.code for r in results[2][0].reasons]
    assert results[0][0].decision == k.APPROVE
    # the link table has keyed hashes only
    con = sqlite3.connect(scoring_env)
    rows = con.execute("select kind, value_hash, person_hash from scoring_fraud_links").fetchall()
    assert rows and all(len(h) == 64 for _, h, _ in rows)
    assert not any("dev-x" in h or "13800" in h for _, h, _ in rows)


def test_erasure(scoring_env: Path, model: CompiledScorecard) -> None:
    aid = new_application()
    rid = record_decision(decide(good_applicant(), model=model), aid)
    fraud_check(aid, good_applicant(device_fingerprint="d1"), now=dt.datetime(2026, 11, 28))
    assert erase_for_application(aid) >= 2
    stored = load_decision(rid)
    assert stored.record is None and stored.score is None and stored.credit_limit is None
    assert stored.outcome == k.APPROVE  # non-personal fact kept
    assert decisions_for_application(aid)[0].record is None
    con = sqlite3.connect(scoring_env)
    assert con.execute("select count(*) from scoring_fraud_links where application_id=?", (aid,)).fetchone()[0] == 0
    with pytest.raises(ScoringError) as err:
        rescore(rid)
    assert err.value.code == k.ERR_DECISION_ERASED


def test_application_id_for_reference(scoring_env: Path) -> None:
    from integrations.scoring.records import application_id_for

    with session_scope() as s:
        app = Application(conversation_key="c" * 64, status="submitted", language="en", reference="KK261128-ABCDEF")
        s.add(app)
        s.flush()
        aid = int(app.id)
    assert application_id_for("KK261128-ABCDEF") == aid
    assert application_id_for("KK000000-NOPE00") is None


def test_erase_for_conversation(scoring_env: Path, model: CompiledScorecard) -> None:
    from bot.store.applications import conversation_key
    from integrations.scoring.records import erase_for_conversation

    with session_scope() as s:
        app = Application(conversation_key=conversation_key("web:abc"), status="submitted", language="zh")
        s.add(app)
        s.flush()
        aid = int(app.id)
    rid = record_decision(decide(good_applicant(), model=model), aid)
    assert erase_for_conversation("web:abc") == 1
    assert load_decision(rid).record is None
    assert erase_for_conversation("web:unknown") == 0


def test_unknown_decision(scoring_env: Path) -> None:
    with pytest.raises(ScoringError) as err:
        load_decision(999_999)
    assert err.value.code == k.ERR_DECISION_NOT_FOUND


def test_policy_snapshot_round_trip() -> None:
    pol = policy_mod.load_policy()
    again = policy_mod.from_dict(json.loads(json.dumps(pol.raw)))
    assert again.sha256 == pol.sha256
