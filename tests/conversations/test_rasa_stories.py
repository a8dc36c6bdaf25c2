"""`rasa test` on the conversation test stories in this folder (zh and en): the trained model
must classify every message as written and the policies must predict every action."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "kaika.tar.gz"


@pytest.mark.slow
def test_conversation_stories_pass(tmp_path: Path) -> None:
    assert MODEL.exists(), "train first: make train"
    out = tmp_path / "results"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.launch",
            "rasa",
            "test",
            "core",
            "--stories",
            str(Path(__file__).parent),
            "--model",
            str(MODEL),
            "--out",
            str(out),
            "--endpoints",
            str(ROOT / "endpoints.yml"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={
            "PATH": "/usr/bin:/bin",
            "RASA_TELEMETRY_ENABLED": "false",
            "KAIKA_VAR_DIR": str(tmp_path / "var"),
            "PYTHONWARNINGS": "ignore",
        },
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    failed = out / "failed_test_stories.yml"
    stories = (yaml.safe_load(failed.read_text()) or {}).get("stories") if failed.exists() else None
    assert not stories, failed.read_text()
    report = out / "story_report.json"
    assert report.exists()
