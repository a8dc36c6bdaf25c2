"""Versioned scorecard artifacts and their model cards, under ``<model_dir>/scoring/`` (never
committed; ``models/`` is git-ignored).

    models/scoring/
      CURRENT                         the version decisions use
      <profile>-<yyyymmdd>-<hash8>/   one trained model; the hash covers data, features and points
        scorecard.json                everything compiled.py needs (bins, points, profile)
        model_card.json               data, features, metrics, method, software, timing
        model_card.md                 the same for people, with the full binning table
        binning_table.csv             every bin of every feature with counts, bad rate, WoE, points

Old versions stay, so a stored decision can be re-scored with the model that made it.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from integrations.scoring import const as k
from integrations.scoring.compiled import current_version, model_root
from integrations.scoring.train import TrainedModel


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(model: TrainedModel, root: Path | None = None, make_current: bool = True) -> Path:
    """Write the artifact and model card; point CURRENT at it. Returns the version's directory."""
    base = root or model_root()
    target = base / model.version
    target.mkdir(parents=True, exist_ok=True)
    _atomic_write(target / k.SCORECARD_FILE, json.dumps(model.scorecard, ensure_ascii=False, indent=1))
    _atomic_write(target / k.CARD_JSON, json.dumps(model.card, ensure_ascii=False, indent=1))
    _atomic_write(target / k.CARD_MD, render_card(model.card, model.binning_table))
    _atomic_write(target / k.BINNING_CSV, _binning_csv(model.binning_table))
    if make_current:
        _atomic_write(base / k.CURRENT_FILE, model.version + "\n")
    return target


def _binning_csv(rows: list[dict[str, Any]]) -> str:
    cols = ["feature", "bin", "count", "bad", "bad_rate", "woe", "iv", "points"]
    with tempfile.SpooledTemporaryFile(mode="w+", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
        fh.seek(0)
        return str(fh.read())


def versions(root: Path | None = None) -> list[str]:
    base = root or model_root()
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / k.SCORECARD_FILE).is_file())


def read_card(version: str | None = None, root: Path | None = None) -> dict[str, Any]:
    base = root or model_root()
    v = version or current_version(base)
    if not v:
        return {}
    path = base / v / k.CARD_JSON
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return data


def ensure_model(root: Path | None = None) -> str:
    """The current version; trains the reference model first when there is none (``make run`` /
    ``make test`` on a fresh machine). Training takes seconds."""
    from integrations.scoring.profiles import load_profile
    from integrations.scoring.train import train

    base = root or model_root()
    current = current_version(base)
    if current and (base / current / k.SCORECARD_FILE).is_file():
        return current
    model = train(load_profile(k.DEFAULT_PROFILE))
    write(model, base)
    return model.version


# --- the human-readable model card -----------------------------------------------------------
def _metric(m: Mapping[str, Any] | None, name: str) -> str:
    if not m:
        return "not measured"
    return f"{m[name]['mean']:.4f} ± {m[name]['std']:.4f}"


def _rate(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1%}"


def render_card(card: Mapping[str, Any], binning: list[dict[str, Any]]) -> str:
    data = card["data"]
    cv = card["metrics"].get("cross_validation")
    ins = card["metrics"]["in_sample"]
    lines = [
        f"# Model card — {card['version']}",
        "",
        f"Trained {card['created']} by `kaika scoring train`. A credit scorecard: optimal binning with "
        "monotonic constraints, logistic regression on weights of evidence, points scaled to "
        f"{card['scaling']['base_points']:.0f} at {card['scaling']['base_odds']:.0f}:1 good:bad odds, "
        f"{card['scaling']['pdo']:.0f} points to double the odds (points rounded to integers).",
        "",
        "## Data",
        "",
        f"- {data['title'] or data['profile']} — file `{data['file']}` (sha256 `{data['sha256']}`)",
        f"- rows read {data['rows_read']}, used {data['rows_used']}, without a target {data['rows_without_target']}",
        f"- target `{data['target']}`: {data['target_coding']} (1 = bad); bad rate {data['bad_rate']:.1%}",
        "",
        "## Features",
        "",
        "| feature | kind | unit | source | chat → model categories | IV | missing bin: rows, bad rate, points |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in card["features"]:
        src = f["source"]
        source = f"{src['ratio'][0]} / {src['ratio'][1]}" if src.get("ratio") else str(src.get("column"))
        when = src.get("only_when")
        if when:  # asked of some applicants only: missing (its own bin) for the others
            source += f" where {when['column']} ∈ {{{', '.join(when['in'])}}}, else missing"
        chat = ", ".join(f"{a} → {b}" for a, b in f["from_chat"].items()) or "as answered"
        mb = f["missing_bin"]
        lines.append(
            f"| {f['name']} | {f['kind']} | {f['unit'] or '-'} | {source} | {chat} | {f['iv']:.3f} | "
            f"{mb['count']}, {_rate(mb['bad_rate'])}, {mb['points']:.0f} |"
        )
        if f["description"]:
            lines.append(f"| | | | | {f['description']} | | |")
    lines += ["", "## Not used", ""]
    lines += [f"- **{name}**: {why}" for name, why in card["not_used"].items()] or ["- (none)"]
    if card.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {n}" for n in card["notes"]]
    lines += [
        "",
        "## Metrics",
        "",
        f"Stratified {cv['folds']}-fold cross-validation (seed {cv['seed']}), mean ± std over folds:"
        if cv
        else "Cross-validation was not run.",
        "",
        "| metric | cross-validated | in-sample |",
        "|---|---|---|",
        f"| AUC | {_metric(cv, 'auc')} | {ins['auc']:.4f} |",
        f"| KS | {_metric(cv, 'ks')} | {ins['ks']:.4f} |",
        f"| Gini | {_metric(cv, 'gini')} | {ins['gini']:.4f} |",
        "",
        "## Method",
        "",
    ]
    lines += [f"- {name}: {text}" for name, text in card["method"].items()]
    lines += ["", "## Software and timing", ""]
    lines += [f"- {name} {ver}" for name, ver in card["software"].items()]
    lines += [f"- {name}: {sec} s" for name, sec in card["timing_seconds"].items()]
    lines += [
        "",
        "## Binning table",
        "",
        "| feature | bin | rows | bad | bad rate | WoE | IV | points |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in binning:
        lines.append(
            f"| {r['feature']} | {r['bin']} | {r['count']} | {r['bad']} | {_rate(r['bad_rate'])} | "
            f"{r['woe']:.4f} | {r['iv']:.4f} | {r['points']:.0f} |"
        )
    return "\n".join(lines) + "\n"
