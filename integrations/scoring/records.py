"""Decision records: store every decision so a reviewer can reproduce it exactly, and erase them.

A record keeps, encrypted (``scoring_decisions.record_enc``, AES-GCM bound to the row), the
*facts* the decision was made from (the inputs as used by the model and the policy, including
the product's requirements at the time) and the decision itself (points per feature, rules
fired, reasons, limit steps). With the model version (artifact kept under models/scoring/) and
the policy snapshot (stored by sha256), :func:`rescore` re-runs the decision and compares.

Also the database adapter of the fraud link store, and :func:`decide_and_record`, the one call
the dialogue makes after a submission: record links → fraud check → decide → store.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.crypto import get_cipher
from bot.store.db import session_scope
from bot.store.models import Application, utcnow
from integrations.scoring import const as k
from integrations.scoring import policy as policy_mod
from integrations.scoring.compiled import load
from integrations.scoring.decide import Decision, decide, decide_from_facts
from integrations.scoring.errors import ScoringError
from integrations.scoring.fraud import FraudResult, LinkRecord, check
from integrations.scoring.models import FraudLink, ScoringDecision, ScoringPolicySnapshot
from integrations.scoring.policy import Policy, load_policy
from integrations.scoring.reasons import load_reasons


def _aad(decision_id: int) -> str:
    return f"scoring_decisions.record_enc:{decision_id}"


@dataclass(frozen=True)
class StoredDecision:
    id: int
    application_id: int | None
    created_at: dt.datetime
    outcome: str
    model_version: str
    policy_version: str
    policy_sha256: str
    score: float | None
    credit_limit: int | None
    record: Mapping[str, Any] | None  # {"facts": …, "decision": …}; None once erased


@dataclass(frozen=True)
class Rescore:
    stored: StoredDecision
    recomputed: Decision
    same: bool
    differences: tuple[str, ...]


def essential(decision: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of a decision that must reproduce exactly (texts may be reworded later)."""
    return {
        "decision": decision["decision"],
        "credit_limit": decision["credit_limit"],
        "score": decision["score"],
        "probability_bad": decision["probability_bad"],
        "band": decision["band"],
        "product_code": decision["product_code"],
        "rules": decision["details"]["rules"],
        "reasons": [r["code"] for r in decision["reasons"]],
        "conditions": [r["code"] for r in decision["conditions"]],
        "points": decision["points"],
        "limit": {key: v for key, v in decision["limit"].items() if key != "explanation"},
        "data_issues": decision["data_issues"],
        "model_version": decision["model_version"],
        "policy_sha256": decision["details"]["policy_sha256"],
    }


def _snapshot(session: Any, policy: Policy) -> None:
    if session.get(ScoringPolicySnapshot, policy.sha256) is None:
        session.add(
            ScoringPolicySnapshot(
                sha256=policy.sha256,
                version=policy.version,
                body=json.dumps(policy.raw, sort_keys=True, ensure_ascii=False),
            )
        )


def record_decision(decision: Decision, application_id: int | None = None, policy: Policy | None = None) -> int:
    """Store a decision (personal parts encrypted). Returns the record's id."""
    pol = policy or load_policy()
    if pol.sha256 != decision.policy_sha256:
        raise ScoringError(k.ERR_POLICY_UNAVAILABLE, "the decision was made with another policy; pass it")
    cipher = get_cipher()
    with session_scope() as session:
        _snapshot(session, pol)
        row = ScoringDecision(
            application_id=application_id,
            model_version=decision.model_version,
            policy_version=decision.policy_version,
            policy_sha256=decision.policy_sha256,
            outcome=decision.decision,
            product_code=decision.product_code,
            score=decision.score,
            credit_limit=decision.credit_limit,
        )
        session.add(row)
        session.flush()
        row.record_enc = cipher.encrypt_json(
            {"facts": dict(decision.facts), "decision": decision.to_dict()}, _aad(int(row.id))
        )
        return int(row.id)


def _stored(row: ScoringDecision) -> StoredDecision:
    record = get_cipher().decrypt_json(row.record_enc, _aad(row.id)) if row.record_enc else None
    return StoredDecision(
        id=int(row.id),
        application_id=row.application_id,
        created_at=row.created_at,
        outcome=row.outcome,
        model_version=row.model_version,
        policy_version=row.policy_version,
        policy_sha256=row.policy_sha256,
        score=row.score,
        credit_limit=row.credit_limit,
        record=record,
    )


def load_decision(decision_id: int) -> StoredDecision:
    with session_scope() as session:
        row = session.get(ScoringDecision, decision_id)
        if row is None:
            raise ScoringError(k.ERR_DECISION_NOT_FOUND, str(decision_id))
        return _stored(row)


def decisions_for_application(application_id: int) -> list[StoredDecision]:
    with session_scope() as session:
        rows = (
            session.query(ScoringDecision)
            .filter(ScoringDecision.application_id == application_id)
            .order_by(ScoringDecision.id)
        )
        return [_stored(r) for r in rows]


def stored_policy(sha256: str) -> Policy:
    with session_scope() as session:
        snap = session.get(ScoringPolicySnapshot, sha256)
        if snap is None:
            raise ScoringError(k.ERR_POLICY_UNAVAILABLE, sha256)
        body = json.loads(snap.body)
    pol = policy_mod.from_dict(body)
    if pol.sha256 != sha256:
        raise ScoringError(k.ERR_POLICY_UNAVAILABLE, "snapshot does not match its hash")
    return pol


def rescore(decision_id: int, root: Path | None = None) -> Rescore:
    """Re-run a stored decision from its facts with its own model version and policy snapshot."""
    stored = load_decision(decision_id)
    if stored.record is None:
        raise ScoringError(k.ERR_DECISION_ERASED, str(decision_id))
    model = load(stored.model_version, root)
    pol = stored_policy(stored.policy_sha256)
    again = decide_from_facts(stored.record["facts"], model, pol, load_reasons())
    old, new = essential(stored.record["decision"]), essential(json.loads(json.dumps(again.to_dict())))
    diffs = tuple(key for key in old if old[key] != new[key])
    return Rescore(stored, again, not diffs, diffs)


# --- fraud links in the database -------------------------------------------------------------
class SqlLinkStore:
    """The fraud link store on ``scoring_fraud_links``."""

    def add(self, records: Sequence[LinkRecord]) -> None:
        with session_scope() as session:
            session.add_all(
                FraudLink(
                    application_id=r.application_id,
                    person_hash=r.person,
                    kind=r.kind,
                    value_hash=r.value_hash,
                    created_at=r.at,
                )
                for r in records
            )

    @staticmethod
    def _records(rows: Any) -> list[LinkRecord]:
        return [LinkRecord(r.application_id, r.person_hash, r.kind, r.value_hash, r.created_at) for r in rows]

    def by_values(self, hashes: Collection[str], since: dt.datetime) -> list[LinkRecord]:
        if not hashes:
            return []
        with session_scope() as session:
            rows = session.query(FraudLink).filter(
                FraudLink.value_hash.in_(list(hashes)), FraudLink.created_at >= since
            )
            return self._records(rows)

    def by_applications(self, ids: Collection[int], since: dt.datetime) -> list[LinkRecord]:
        if not ids:
            return []
        with session_scope() as session:
            rows = session.query(FraudLink).filter(
                FraudLink.application_id.in_(list(ids)), FraudLink.created_at >= since
            )
            return self._records(rows)


def fraud_check(
    application_id: int, application: Mapping[str, Any], now: dt.datetime | None = None, record: bool = True
) -> FraudResult:
    """Record the application's links in the database and check it for rings and velocity."""
    return check(application_id, application, SqlLinkStore(), load_policy().fraud, now=now, record=record)


def decide_and_record(
    application: Mapping[str, Any], application_id: int | None = None, now: dt.datetime | None = None
) -> tuple[Decision, int, FraudResult | None]:
    """What the dialogue calls after a submission: fraud check (when the application is stored),
    decision, record. Returns the decision, the record's id and the fraud result."""
    fraud = fraud_check(application_id, application, now) if application_id is not None else None
    app = dict(application)
    if fraud is not None:
        app[k.FRAUD_FLAG] = fraud.flagged
    pol = load_policy()
    decision = decide(app, policy=pol, as_of=(now.date() if now else None))
    return decision, record_decision(decision, application_id, pol), fraud


def application_id_for(reference: str) -> int | None:
    """The applications table's id for a reference (what ``bot.store.applications.submit`` returns)."""
    with session_scope() as session:
        row = session.query(Application.id).filter(Application.reference == reference).one_or_none()
        return int(row[0]) if row else None


# --- erasure ---------------------------------------------------------------------------------
def erase_for_application(application_id: int) -> int:
    """Erase the personal parts of an application's decisions and its fraud links. The rows keep
    the outcome and the model/policy versions (no personal data). Returns rows touched."""
    with session_scope() as session:
        n = (
            session.query(ScoringDecision)
            .filter(ScoringDecision.application_id == application_id, ScoringDecision.erased_at.is_(None))
            .update(
                {
                    ScoringDecision.record_enc: None,
                    ScoringDecision.score: None,
                    ScoringDecision.credit_limit: None,
                    ScoringDecision.erased_at: utcnow(),
                },
                synchronize_session=False,
            )
        )
        n += (
            session.query(FraudLink)
            .filter(FraudLink.application_id == application_id)
            .delete(synchronize_session=False)
        )
        return int(n)


def erase_for_conversation(sender_id: str) -> int:
    """:func:`erase_for_application` for every application of a conversation."""
    from bot.store.applications import conversation_key

    with session_scope() as session:
        key = conversation_key(sender_id)
        ids = [int(i) for (i,) in session.query(Application.id).filter(Application.conversation_key == key)]
    return sum(erase_for_application(i) for i in ids)
