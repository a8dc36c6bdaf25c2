"""Train the Rasa model only when its inputs changed (fingerprint of config, domain, data, code)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

from bot.settings import ROOT, get_settings

# Rasa training data (the rest of data/ is product data: catalog, questionnaire).
TRAINING_DATA = ["data/nlu", "data/rules.yml"]
MODEL_INPUTS = ["config.yml", "domain", *TRAINING_DATA, "nlu/components", "nlu/resources", "requirements.txt"]


def fingerprint(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for entry in MODEL_INPUTS:
        path = root / entry
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            if f.suffix in {".pyc"} or "__pycache__" in f.parts:
                continue
            digest.update(str(f.relative_to(root)).encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()


def model_is_current() -> bool:
    settings = get_settings()
    stamp = settings.model_dir / f"{settings.model_name}.fingerprint"
    return settings.model_path.exists() and stamp.exists() and stamp.read_text().strip() == fingerprint()


def train(force: bool = False) -> Path:
    """The dialogue model (Rasa) and the credit scorecard, each only when missing or stale."""
    from integrations.scoring.artifact import ensure_model

    print(f"credit scorecard: {ensure_model()}", file=sys.stderr)
    return train_rasa(force)


def train_rasa(force: bool = False) -> Path:
    settings = get_settings()
    if not force and model_is_current():
        print(f"model is up to date: {settings.model_path}", file=sys.stderr)
        return settings.model_path
    settings.model_dir.mkdir(parents=True, exist_ok=True)
    print("training the Rasa model (config, domain or data changed)…", file=sys.stderr)
    started = time.monotonic()
    want = fingerprint()
    cmd = [
        sys.executable,
        "-m",
        "bot.launch",
        "rasa",
        "train",
        "--config",
        "config.yml",
        "--domain",
        "domain",
        "--data",
        *TRAINING_DATA,
        "--out",
        str(settings.model_dir),
        "--fixed-model-name",
        settings.model_name,
        "--quiet",
    ]
    subprocess.run(cmd, cwd=ROOT, check=True)
    (settings.model_dir / f"{settings.model_name}.fingerprint").write_text(want + "\n")
    print(f"trained in {time.monotonic() - started:.0f} s: {settings.model_path}", file=sys.stderr)
    return settings.model_path
