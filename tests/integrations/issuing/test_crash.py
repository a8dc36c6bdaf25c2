"""A process killed (SIGKILL) anywhere between signing and issuing, then re-run: one card.

Real subprocesses on the test's SQLite database, killed from outside at each step of issuance:
before it starts (just after signing), inside the open reservation transaction, after phase 1,
after phase 2, after the evidence. Also several processes racing to issue the same card.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.store.db import session_scope
from bot.store.models import Application, StatusEvent
from integrations.issuing import issue_card, new_reveal_token, reveal
from integrations.issuing.models import Card, CardEvent

ROOT = Path(__file__).resolve().parents[3]
AppFactory = Callable[..., int]


def child(var_dir: Path, app_id: int, stop_at: str | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "KAIKA_VAR_DIR": str(var_dir)}
    args = [sys.executable, "-m", "tests.integrations.issuing.crash_child", str(app_id), "KK_CLASSIC"]
    return subprocess.Popen(
        [*args, *([stop_at] if stop_at else [])],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def kill_at(var_dir: Path, app_id: int, step: str) -> None:
    proc = child(var_dir, app_id, step)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line == f"AT {step}", line
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL


def evidence_in_ledger(app_id: int) -> list[str]:
    from integrations.ledger import entries_for

    return [e.data["card_id"] for e in entries_for(f"application:{app_id}") if e.event == "card_issued"]


def state(app_id: int) -> tuple[list[tuple[str, str]], str, int, int]:
    with session_scope() as s:
        cards = [(c.id, c.state) for c in s.query(Card).filter(Card.application_id == app_id)]
        app = s.get(Application, app_id)
        assert app is not None
        issued_events = (
            s.query(sa.func.count(StatusEvent.id))
            .filter(StatusEvent.application_id == app_id, StatusEvent.to_status == "issued")
            .scalar()
        )
        outbox = s.query(sa.func.count(CardEvent.id)).filter(CardEvent.application_id == app_id).scalar()
        return cards, str(app.status), int(issued_events), int(outbox)


@pytest.mark.parametrize(
    ("step", "after_kill", "rerun_code"),
    [
        ("start", (0, "signed"), "issued"),  # signed, then the process died before issuing
        ("reserving", (0, "signed"), "issued"),  # inside the phase-1 transaction: rolled back
        ("reserved", (1, "signed"), "issued"),  # phase 1 committed: the re-run completes it
        ("issued", (1, "issued"), "already_issued"),  # phase 2 committed, evidence not yet sent
        ("recorded", (1, "issued"), "already_issued"),  # all done, the response was lost
    ],
)
def test_killed_between_signing_and_issuing_then_rerun_gives_one_card(
    signed_app: AppFactory, store: Path, step: str, after_kill: tuple[int, str], rerun_code: str
) -> None:
    app_id = signed_app()
    kill_at(store.parent, app_id, step)
    cards, status, _, _ = state(app_id)
    assert (len(cards), status) == after_kill
    pending_id = cards[0][0] if cards else None

    first = issue_card(app_id, "KK_CLASSIC")  # the re-run (real ledger)
    second = issue_card(app_id, "KK_CLASSIC")  # and a duplicate "sign" on top
    assert first.ok and first.code == rerun_code and first.recorded and first.card
    assert second.code == "already_issued" and second.card and second.card.card_id == first.card.card_id
    assert (first.reveal_token is not None) == (rerun_code == "issued") and second.reveal_token is None
    card_id = first.card.card_id
    if pending_id is not None:
        assert card_id == pending_id  # the reserved number is the one issued, no second draw

    cards, status, issued_events, outbox = state(app_id)
    assert cards == [(card_id, "issued")]
    assert status == "issued" and issued_events == 1 and outbox == 1
    assert evidence_in_ledger(app_id) == [card_id]

    # whoever lost the reveal token in the crash can get a fresh one, and it works once
    token = new_reveal_token(app_id)
    assert token.ok and token.token
    assert reveal(card_id, token.token).ok
    assert reveal(card_id, token.token).code == "reveal_spent"


def test_processes_racing_to_issue_make_one_card(signed_app: AppFactory, store: Path) -> None:
    app_id = signed_app()
    procs = [child(store.parent, app_id, "race") for _ in range(3)]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "READY"
    for proc in procs:  # start line: all three issue at the same moment
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert sorted(r["code"] for r in results) == ["already_issued"] * 2 + ["issued"]
    assert len({r["card_id"] for r in results}) == 1
    cards, status, issued_events, outbox = state(app_id)
    assert len(cards) == 1 and status == "issued" and issued_events == 1 and outbox == 1
    assert len(evidence_in_ledger(app_id)) == 1
