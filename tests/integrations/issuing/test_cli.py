"""``kaika card …``: masked output only, exit codes, and the migration's shape."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.store.db import get_engine
from integrations.issuing import cli
from integrations.issuing.models import Card

AppFactory = Callable[..., int]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object], str]:
    code = cli.main(list(argv))
    out = capsys.readouterr().out
    return code, json.loads(out), out


def test_issue_show_freeze_print_masked_json(signed_app: AppFactory, capsys: pytest.CaptureFixture[str]) -> None:
    app_id = signed_app()
    code, issued, out = run(capsys, "card", "issue", str(app_id), "KK_CLASSIC", "--credit-limit", "10000")
    assert code == 0 and issued["code"] == "issued" and "reveal_token" not in issued
    card = issued["card"]
    assert isinstance(card, dict) and card["masked_pan"] == f"•••• {card['card_last4']}"
    code, shown, _ = run(capsys, "card", "show", str(app_id))
    assert code == 0 and shown["card"] == card
    code, frozen, _ = run(capsys, "card", "freeze", str(app_id))
    assert code == 0 and frozen["code"] == "frozen"
    code, unfrozen, _ = run(capsys, "card", "unfreeze", str(app_id))
    assert code == 0 and unfrozen["code"] == "unfrozen"
    code, flushed, _ = run(capsys, "card", "flush-evidence")
    assert code == 0 and flushed == {"recorded": 0, "queued": 0}
    with get_engine().connect() as conn:
        [row] = conn.execute(sa.select(Card.__table__)).all()
    assert row.pan_enc not in out


def test_refusals_exit_non_zero(signed_app: AppFactory, capsys: pytest.CaptureFixture[str]) -> None:
    app_id = signed_app(status="approved")
    code, res, _ = run(capsys, "card", "issue", str(app_id), "KK_CLASSIC")
    assert code == 1 and res["code"] == "not_signed"
    code, res, _ = run(capsys, "card", "show", "4242")
    assert code == 1 and res["code"] == "card_not_found"


def test_migration_creates_the_tables_with_their_constraints(store: Path) -> None:
    inspector = sa.inspect(get_engine())
    assert {"cards", "card_events"} <= set(inspector.get_table_names())
    uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints("cards")}
    assert ("application_id",) in uniques and ("pan_index",) in uniques
    columns = {c["name"] for c in inspector.get_columns("cards")}
    assert {"pan_enc", "pan_index", "last4"} <= columns and not {"pan", "cvv", "cvv2", "cvc"} & columns
