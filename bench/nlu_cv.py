"""NLU cross-validation: intent macro-F1 per intent, FAQ topic accuracy, entity F1.

    .venv/bin/python -m bench.nlu_cv [--folds 5]

Uses exactly the models of the Rasa pipeline (nlu.components.*.build_pipeline) on the training
data in data/nlu, with stratified k-fold cross-validation; the entity part runs the rule-based
parsers on the labelled set bench/data/entities.yml. Prints a table and writes
bench/results/nlu_cv.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sklearn.metrics import classification_report, f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def load_examples() -> list[tuple[str, str, str | None]]:
    """(text, intent, faq topic or None) for every training example."""
    out = []
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" not in block:
                continue
            name = block["intent"]
            intent, _, topic = name.partition("/")
            for line in str(block["examples"]).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    out.append((line[2:].strip(), intent, name if topic else None))
    return out


def lang(text: str) -> str:
    return "zh" if CJK.search(text) else "en"


def intents(examples: list[tuple[str, str, str | None]], folds: int) -> dict[str, Any]:
    from nlu.components.intent_classifier import build_pipeline

    texts = [t for t, _, _ in examples]
    labels = np.array([i for _, i, _ in examples])  # sklearn 1.1's calibration needs an array
    t0 = time.perf_counter()
    pred = cross_val_predict(
        build_pipeline(), texts, labels, cv=StratifiedKFold(folds, shuffle=True, random_state=7), n_jobs=2
    )
    seconds = time.perf_counter() - t0
    report = classification_report(labels, pred, output_dict=True, zero_division=0)
    by_lang = {
        lg: f1_score(
            [y for y, t in zip(labels.tolist(), texts) if lang(t) == lg],
            [p for p, t in zip(pred, texts) if lang(t) == lg],
            average="macro",
        )
        for lg in ("zh", "en")
    }
    confusions = Counter((y, p) for y, p in zip(labels.tolist(), pred) if y != p).most_common(10)
    counts = Counter((i, lang(t)) for t, i, _ in examples)
    return {
        "macro_f1": report["macro avg"]["f1-score"],
        "macro_f1_by_language": by_lang,
        "per_intent": {
            k: round(v["f1-score"], 4) for k, v in report.items() if isinstance(v, dict) and k in set(labels)
        },
        "examples_per_intent_language": {f"{i}/{lg}": n for (i, lg), n in sorted(counts.items())},
        "top_confusions": [{"true": a, "predicted": b, "count": n} for (a, b), n in confusions],
        "seconds": round(seconds, 1),
    }


def faq(examples: list[tuple[str, str, str | None]], folds: int) -> dict[str, Any]:
    from nlu.components.faq_selector import build_pipeline

    rows = [(t, topic) for t, _, topic in examples if topic]
    texts, labels = [t for t, _ in rows], [y for _, y in rows]
    pred = cross_val_predict(build_pipeline(), texts, labels, cv=StratifiedKFold(folds, shuffle=True, random_state=7))
    report = classification_report(labels, pred, output_dict=True, zero_division=0)
    return {
        "accuracy": report["accuracy"],
        "macro_f1": report["macro avg"]["f1-score"],
        "per_topic": {k: round(v["f1-score"], 4) for k, v in report.items() if isinstance(v, dict) and "/" in k},
    }


def entities() -> dict[str, Any]:
    from nlu.components.parser_extractor import extract

    path = ROOT / "bench" / "data" / "entities.yml"
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    tp: dict[str, int] = defaultdict(int)
    fp: dict[str, int] = defaultdict(int)
    fn: dict[str, int] = defaultdict(int)
    misses = []
    for case in cases:
        want = {
            (k, json.dumps(v, ensure_ascii=False))
            for k, vs in case["entities"].items()
            for v in (vs if isinstance(vs, list) else [vs])
        }
        got = {
            (e["entity"], json.dumps(e["value"], ensure_ascii=False))
            for e in extract(case["text"])
            if e["entity"] in {k for k, _ in want} or e["entity"] in case.get("check", [])
        }
        for k, _ in want & got:
            tp[k] += 1
        for k, _ in got - want:
            fp[k] += 1
        for k, _ in want - got:
            fn[k] += 1
        if want != got:
            misses.append({"text": case["text"], "want": sorted(want), "got": sorted(got)})
    per = {}
    for k in sorted(set(tp) | set(fp) | set(fn)):
        p = tp[k] / max(1, tp[k] + fp[k])
        r = tp[k] / max(1, tp[k] + fn[k])
        per[k] = {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(2 * p * r / max(p + r, 1e-9), 4),
            "support": tp[k] + fn[k],
        }
    return {"cases": len(cases), "per_entity": per, "misses": misses[:20]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    examples = load_examples()
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}",
        "examples": len(examples),
        "folds": args.folds,
        "intents": intents(examples, args.folds),
        "faq": faq(examples, args.folds),
        "entities": entities(),
    }
    out = ROOT / "bench" / "results" / "nlu_cv.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    it = result["intents"]
    print(
        f"intent macro-F1 {it['macro_f1']:.4f} (zh {it['macro_f1_by_language']['zh']:.4f}, "
        f"en {it['macro_f1_by_language']['en']:.4f}), {args.folds}-fold, {len(examples)} examples"
    )
    for name, f1 in sorted(it["per_intent"].items(), key=lambda kv: kv[1]):
        print(f"  {name:20s} F1 {f1:.3f}")
    print(
        "  top confusions:", ", ".join(f"{c['true']}→{c['predicted']}×{c['count']}" for c in it["top_confusions"][:6])
    )
    print(f"FAQ topic accuracy {result['faq']['accuracy']:.4f}, macro-F1 {result['faq']['macro_f1']:.4f}")
    for name, m in result["entities"]["per_entity"].items():
        print(f"  entity {name:18s} P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f} (n={m['support']})")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
