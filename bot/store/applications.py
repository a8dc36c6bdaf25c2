"""Persistence of applications: drafts at consent, submission, status, owner access, erasure.

Personal data is written only encrypted (``data_enc``) and looked up only by keyed hashes.
Conversation ids are stored as keyed hashes too: a channel's user id (a Telegram chat id, say)
is itself personal data.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.application import Applicant
from bot.crypto import get_cipher, token_hash
from bot.status import OPEN, Status, check_transition
from bot.store.db import session_scope
from bot.store.models import AccessToken, Application, Handoff, StatusEvent, utcnow

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def conversation_key(sender_id: str) -> str:
    return get_cipher().blind_index("conversation", sender_id)


def new_reference(prefix: str = "KK") -> str:
    """A reference an applicant can read out: KK + date + 6 Crockford base32 characters."""
    tail = "".join(secrets.choice(CROCKFORD) for _ in range(6))
    return f"{prefix}{utcnow():%y%m%d}-{tail}"


def _aad(app_id: int) -> str:
    return f"applications.data_enc:{app_id}"


@dataclass(frozen=True)
class ApplicationView:
    """What the conversation, the gateway and the CLI may see of an application."""

    reference: str | None
    status: str
    product_code: str | None
    language: str
    created_at: str
    submitted_at: str | None
    history: list[dict[str, str | None]]
    applicant: dict[str, Any] | None


@dataclass(frozen=True)
class Submission:
    reference: str
    status: str
    owner_token: str | None  # None when this was already submitted before (idempotent retry)


def _latest(session: Session, key: str, statuses: frozenset[Status] | None = None) -> Application | None:
    q = session.query(Application).filter(Application.conversation_key == key)
    if statuses is not None:
        q = q.filter(Application.status.in_([s.value for s in statuses]))
    result: Application | None = q.order_by(Application.id.desc()).first()
    return result


def _set_status(session: Session, app: Application, new: Status, note: str | None = None) -> None:
    old = app.status
    check_transition(old, new)
    app.status = new.value
    session.add(StatusEvent(application=app, from_status=old, to_status=new.value, note=note))


def open_draft(sender_id: str, language: str, consent_version: str) -> int:
    """Record consent: the conversation's open draft, created if there is none. Returns its id."""
    key = conversation_key(sender_id)
    with session_scope() as session:
        app = _latest(session, key, frozenset({Status.DRAFT}))
        if app is None:
            app = Application(conversation_key=key, status=Status.DRAFT.value, language=language)
            session.add(app)
            session.add(StatusEvent(application=app, from_status=None, to_status=Status.DRAFT.value))
        app.consent_version = consent_version
        app.consent_at = utcnow()
        app.language = language
        session.flush()
        return int(app.id)


def submit(sender_id: str, applicant: Applicant, language: str) -> Submission:
    """Store the answers and move the draft to ``submitted``. A repeated call (double click,
    retried request) returns the same reference and issues no second application."""
    key = conversation_key(sender_id)
    cipher = get_cipher()
    for _attempt in range(5):
        try:
            with session_scope() as session:
                done = _latest(session, key, frozenset(OPEN - {Status.DRAFT}))
                if done is not None and done.reference:
                    return Submission(done.reference, done.status, None)
                app = _latest(session, key, frozenset({Status.DRAFT}))
                if app is None:  # consent recorded in an earlier process run that lost its draft
                    app = Application(conversation_key=key, status=Status.DRAFT.value, language=language)
                    session.add(app)
                    session.add(StatusEvent(application=app, from_status=None, to_status=Status.DRAFT.value))
                    session.flush()
                token = secrets.token_urlsafe(32)
                app.reference = new_reference()
                app.language = language
                app.product_code = applicant.chosen_card
                app.data_enc = cipher.encrypt_json(applicant.to_record(), _aad(app.id))
                app.id_number_index = cipher.blind_index("id_number", applicant.id_number)
                app.phone_index = cipher.blind_index("phone", applicant.phone)
                app.owner_token_hash = token_hash(token)
                app.submitted_at = utcnow()
                _set_status(session, app, Status.SUBMITTED)
                return Submission(app.reference, app.status, token)
        except IntegrityError:  # reference collision: draw another
            continue
    raise RuntimeError("could not allocate a unique reference")


def _view(app: Application, with_applicant: bool) -> ApplicationView:
    applicant = None
    if with_applicant and app.data_enc:
        applicant = get_cipher().decrypt_json(app.data_enc, _aad(app.id))
    return ApplicationView(
        reference=app.reference,
        status=app.status,
        product_code=app.product_code,
        language=app.language,
        created_at=app.created_at.isoformat(timespec="seconds") + "Z",
        submitted_at=app.submitted_at.isoformat(timespec="seconds") + "Z" if app.submitted_at else None,
        history=[
            {"from": e.from_status, "to": e.to_status, "at": e.at.isoformat(timespec="seconds") + "Z"}
            for e in app.history
        ],
        applicant=applicant,
    )


def latest_for_conversation(sender_id: str) -> ApplicationView | None:
    with session_scope() as session:
        app = _latest(session, conversation_key(sender_id))
        return _view(app, with_applicant=False) if app else None


def get_for_owner(reference: str, token: str) -> ApplicationView | None:
    """The application, only if ``token`` is its owner token. Same answer (None) for an unknown
    reference and a wrong token, so a caller cannot probe which references exist."""
    if not reference or not token:
        return None
    digest = token_hash(token)
    with session_scope() as session:
        app = session.query(Application).filter(Application.reference == reference).one_or_none()
        if app is None:
            return None
        owner = app.owner_token_hash is not None and secrets.compare_digest(app.owner_token_hash, digest)
        if not owner:
            owner = (
                session.query(AccessToken.id)
                .filter(
                    AccessToken.application_id == app.id,
                    AccessToken.token_hash == digest,
                    AccessToken.expires_at > utcnow(),
                )
                .first()
                is not None
            )
        return _view(app, with_applicant=True) if owner else None


def mint_token(reference: str, purpose: str = "owner", days: int = 30) -> str | None:
    """A further owner link for an application (e.g. to read the agreement before signing)."""
    import datetime as dt

    token = secrets.token_urlsafe(32)
    with session_scope() as session:
        app = session.query(Application).filter(Application.reference == reference).one_or_none()
        if app is None or app.data_enc is None:
            return None
        session.add(
            AccessToken(
                application_id=app.id,
                token_hash=token_hash(token),
                purpose=purpose,
                expires_at=utcnow() + dt.timedelta(days=days),
            )
        )
    return token


def set_status(reference: str, new: Status, note: str | None = None) -> str:
    """Move an application along the state machine (bot.status); returns the status now."""
    with session_scope() as session:
        app = session.query(Application).filter(Application.reference == reference).one()
        if app.status != new.value:
            _set_status(session, app, new, note)
        return str(app.status)


def applicant_record(reference: str) -> dict[str, Any] | None:
    """The stored answers of an application (decrypted), for the steps after submission."""
    with session_scope() as session:
        app = session.query(Application).filter(Application.reference == reference).one_or_none()
        if app is None or not app.data_enc:
            return None
        record: dict[str, Any] = get_cipher().decrypt_json(app.data_enc, _aad(app.id))
        return record


def reset_draft(sender_id: str) -> None:
    """Forget a draft's answers (restart). Consent stays recorded."""
    with session_scope() as session:
        app = _latest(session, conversation_key(sender_id), frozenset({Status.DRAFT}))
        if app is not None:
            app.data_enc = None
            app.id_number_index = app.phone_index = None


def application_ids(sender_id: str) -> list[int]:
    with session_scope() as session:
        key = conversation_key(sender_id)
        return [int(i) for (i,) in session.query(Application.id).filter(Application.conversation_key == key)]


def draft_or_open_id(sender_id: str) -> int | None:
    """The internal id of the conversation's current (non-final) application, if any."""
    with session_scope() as session:
        app = _latest(session, conversation_key(sender_id), frozenset(OPEN))
        return int(app.id) if app else None


def withdraw(sender_id: str, also: Any = None) -> list[str]:
    """Withdraw consent: erase every application's personal data and the conversation's handoff
    transcripts. Open applications become ``withdrawn``; the rows keep only non-personal facts
    (status history, product, timestamps). ``also(application_id, session)`` erases other
    packages' data in the same transaction. Returns the references touched."""
    key = conversation_key(sender_id)
    touched: list[str] = []
    with session_scope() as session:
        for app in session.query(Application).filter(Application.conversation_key == key):
            if also is not None:
                also(int(app.id), session)
            if Status(app.status) in OPEN:
                _set_status(session, app, Status.WITHDRAWN, note="consent withdrawn")
                app.withdrawn_at = utcnow()
            app.data_enc = None
            app.id_number_index = app.phone_index = None
            app.owner_token_hash = None
            app.consent_version = None
            session.query(AccessToken).filter(AccessToken.application_id == app.id).delete(synchronize_session=False)
            touched.append(app.reference or f"draft-{app.id}")
        session.query(Handoff).filter(Handoff.conversation_key == key).update(
            {Handoff.transcript_enc: None, Handoff.status: "erased"}, synchronize_session=False
        )
    return touched


def create_handoff(sender_id: str, transcript: list[dict[str, Any]], language: str) -> str:
    """Record a request for a human agent with the conversation so far (encrypted)."""
    key = conversation_key(sender_id)
    cipher = get_cipher()
    with session_scope() as session:
        app = _latest(session, key)
        ref = new_reference("HO")
        handoff = Handoff(
            reference=ref, conversation_key=key, application_id=app.id if app else None, language=language
        )
        session.add(handoff)
        session.flush()
        handoff.transcript_enc = cipher.encrypt_json(transcript, f"handoffs.transcript_enc:{handoff.id}")
        return ref


def open_handoffs() -> list[dict[str, Any]]:
    """Open handoff requests with their transcripts, for the staff console / CLI."""
    cipher = get_cipher()
    with session_scope() as session:
        rows = session.query(Handoff).filter(Handoff.status == "open").order_by(Handoff.id)
        return [
            {
                "reference": h.reference,
                "created_at": h.created_at.isoformat(timespec="seconds") + "Z",
                "language": h.language,
                "transcript": cipher.decrypt_json(h.transcript_enc, f"handoffs.transcript_enc:{h.id}")
                if h.transcript_enc
                else [],
            }
            for h in rows
        ]


def count(where: Any = None) -> int:
    with session_scope() as session:
        q = session.query(sa.func.count(Application.id))
        return int(q.filter(where).scalar() if where is not None else q.scalar())
