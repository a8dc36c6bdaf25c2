"""Fast proxy of bench.nlu_cv for editing training data (seconds, not a minute): the same
features with a linear SVM instead of the logistic regression; per-intent F1 and the examples
that are misclassified, optionally only for some intents.

    .venv/bin/python -m bench.quick_cv [--only help,affirm] [--show 30]
"""

from __future__ import annotations

import argparse
import warnings

from sklearn.metrics import classification_report
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.svm import LinearSVC

from bench.nlu_cv import lang, load_examples
from nlu.components.intent_classifier import build_pipeline


def main() -> None:
    warnings.filterwarnings("ignore")
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    ap.add_argument("--show", type=int, default=40)
    ap.add_argument("--faq", action="store_true", help="FAQ topics instead of intents")
    args = ap.parse_args()
    ex = load_examples()
    if args.faq:
        rows = [(t, topic) for t, _, topic in ex if topic]
    else:
        rows = [(t, i) for t, i, _ in ex]
    texts, labels = [t for t, _ in rows], [y for _, y in rows]
    model = build_pipeline()
    model.steps[-1] = ("clf", LinearSVC(C=1.0, class_weight="balanced"))
    pred = cross_val_predict(model, texts, labels, cv=StratifiedKFold(5, shuffle=True, random_state=7), n_jobs=2)
    rep = classification_report(labels, pred, output_dict=True, zero_division=0)
    print(f"macro-F1 {rep['macro avg']['f1-score']:.4f} over {len(texts)} examples")
    for name, v in sorted(((k, v) for k, v in rep.items() if k in set(labels)), key=lambda kv: kv[1]["f1-score"]):
        print(f"  {name:28s} F1 {v['f1-score']:.3f}  P {v['precision']:.3f}  R {v['recall']:.3f}  n={v['support']}")
    only = set(filter(None, args.only.split(",")))
    wrong = [(y, p, t) for t, y, p in zip(texts, labels, pred) if y != p and (not only or y in only or p in only)]
    for y, p, t in wrong[: args.show]:
        print(f"  [{lang(t)}] {y} -> {p}: {t}")


if __name__ == "__main__":
    main()
