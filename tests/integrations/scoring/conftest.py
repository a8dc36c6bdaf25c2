"""Shared fixtures: the reference model trained once per session into a temporary model dir."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from integrations.scoring import artifact
from integrations.scoring.compiled import CompiledScorecard, load
from integrations.scoring.profiles import load_profile
from integrations.scoring.train import TrainedModel, train

ROOT = Path(__file__).resolve().parents[3]
AS_OF = dt.date(2026, 11, 28)


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> TrainedModel:
    # folds=0: cross-validation is exercised by the bank retrain test and bench/scoring.py
    return train(load_profile("credit_data"), folds=0, today=AS_OF)


@pytest.fixture(scope="session")
def model_root(trained: TrainedModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("models") / "scoring"
    artifact.write(trained, root)
    return root


@pytest.fixture(scope="session")
def model(model_root: Path) -> CompiledScorecard:
    return load(root=model_root)


def good_applicant(**over: Any) -> dict[str, Any]:
    """A strong applicant for the Classic Gold card under the reference model and policy."""
    app: dict[str, Any] = {
        "full_name": "张伟",
        "id_number": "110101198001010010",
        "birth_date": "1975-03-14",
        "sex": "male",
        "phone": "13800138000",
        "employment_type": "employed",
        "employer": "示例科技",
        "job_years": 12,
        "monthly_income": 12000,
        "housing": "own",
        "monthly_debt_payment": 1000,
        "past_arrears": False,
        "spending_categories": ["shopping"],
        "chosen_card": "KK_CLASSIC",
        "kyc_passed": True,
        "as_of": AS_OF.isoformat(),
    }
    app.update(over)
    return app


def run_cli(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "integrations.scoring.cli", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})},
    )


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in-process (same code path as ``python -m integrations.scoring.cli``, no start-up)."""
    import contextlib
    import io

    from integrations.scoring.cli import main

    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin or "")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        sys.stdin = old_stdin
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())
