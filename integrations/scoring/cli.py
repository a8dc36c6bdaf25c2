"""``kaika scoring …`` commands (the integrator wires :func:`register` into ``kaika``).

    kaika scoring train [--data FILE --target COLUMN [--bad-value V] [--features a,b]]
                        [--profile NAME|FILE] [--folds 5] [--if-missing]
        train the scorecard (default: the reference model on data/credit/credit_data.csv),
        write the artifact and model card under models/scoring/, make it current
    kaika scoring score --csv FILE [--model VERSION]
        score every row of a CSV in the training data's own columns; prints the CSV with
        score and probability_bad appended to each row
    kaika scoring decide JSON [--model VERSION]
        decide one application given as JSON (slot names; a literal, @file or - for stdin);
        prints decision, credit_limit, score, reasons, rules_fired, model_version, …
    kaika scoring simulate JSON --set slot=value [--set …]
        the same application with changed answers, and the difference
    kaika scoring rescore DECISION_ID
        re-run a stored decision with its own model and policy; exit 1 if it differs

Exit codes: 0 done, 1 rescore differs, 2 error (the error code is printed on stderr).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

from integrations.cli import run
from integrations.scoring import const as k
from integrations.scoring.errors import ScoringError


def _fail(exc: ScoringError) -> int:
    print(json.dumps({"error": exc.code, "detail": exc.detail}, ensure_ascii=False), file=sys.stderr)
    return 2


def _train(args: argparse.Namespace) -> int:
    from integrations.scoring import artifact
    from integrations.scoring.compiled import current_version, model_root
    from integrations.scoring.profiles import for_file, load_profile
    from integrations.scoring.train import train

    root = Path(args.model_dir) if args.model_dir else model_root()
    if args.if_missing and current_version(root):
        print(json.dumps({"version": current_version(root), "trained": False}))
        return 0
    try:
        if args.data:
            if not args.target:
                raise ScoringError(k.ERR_BAD_DATA, "--data needs --target")
            feats = [f.strip() for f in args.features.split(",") if f.strip()] if args.features else None
            profile = for_file(Path(args.data), args.target, args.bad_value, feats)
        else:
            profile = load_profile(args.profile or k.DEFAULT_PROFILE)
        model = train(profile, folds=args.folds)
        path = artifact.write(model, root, make_current=not args.no_current)
    except ScoringError as exc:
        return _fail(exc)
    cv = model.card["metrics"]["cross_validation"]
    summary = {
        "version": model.version,
        "path": str(path),
        "features": [f["name"] for f in model.card["features"]],
        "cv": {m: {"mean": cv[m]["mean"], "std": cv[m]["std"]} for m in ("auc", "ks", "gini")} if cv else None,
        "seconds": model.card["timing_seconds"]["total"],
        "trained": True,
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def _score(args: argparse.Namespace) -> int:
    from integrations.scoring.compiled import load, probability_bad
    from integrations.scoring.profiles import read_csv

    try:
        model = load(args.model, Path(args.model_dir) if args.model_dir else None)
        path = Path(args.csv)
        if not path.is_file():
            raise ScoringError(k.ERR_BAD_INPUT, f"no file {path}")
        columns, rows = read_csv(path)
        needed = {c for s in model.profile.features if s.name in model.kinds for c in s.all_columns}
        missing = sorted(needed - set(columns))
        if missing:
            raise ScoringError(k.ERR_BAD_INPUT, f"columns missing from the CSV: {missing}")
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow([*columns, "score", "probability_bad"])
        for row in rows:
            s = model.score_only(model.adapt_row(row))
            out.writerow([row.get(c, "") for c in columns] + [f"{s:g}", f"{probability_bad(s):.6f}"])
    except ScoringError as exc:
        return _fail(exc)
    return 0


def _read_json(text: str) -> Any:
    if text == "-":
        raw = sys.stdin.read()
    elif text.startswith("@"):
        raw = Path(text[1:]).read_text(encoding="utf-8")
    else:
        raw = text
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ScoringError(k.ERR_BAD_INPUT, f"not JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise ScoringError(k.ERR_BAD_INPUT, "the application must be a JSON object")
    return value


def _decide(args: argparse.Namespace) -> int:
    from integrations.scoring.compiled import load
    from integrations.scoring.decide import decide

    try:
        app = _read_json(args.json)
        model = load(args.model, Path(args.model_dir) if args.model_dir else None)
        print(json.dumps(decide(app, model=model).to_dict(), ensure_ascii=False, indent=2))
    except (ScoringError, OSError) as exc:
        return _fail(exc if isinstance(exc, ScoringError) else ScoringError(k.ERR_BAD_INPUT, str(exc)))
    return 0


def _simulate(args: argparse.Namespace) -> int:
    from integrations.scoring.compiled import load
    from integrations.scoring.simulate import simulate

    try:
        app = _read_json(args.json)
        changes: dict[str, Any] = {}
        for item in args.set or []:
            key, sep, value = item.partition("=")
            if not sep:
                raise ScoringError(k.ERR_BAD_INPUT, f"--set needs slot=value, got {item!r}")
            try:
                changes[key] = json.loads(value)
            except ValueError:
                changes[key] = value
        model = load(args.model, Path(args.model_dir) if args.model_dir else None)
        print(json.dumps(simulate(app, changes, model=model).to_dict(), ensure_ascii=False, indent=2))
    except (ScoringError, OSError) as exc:
        return _fail(exc if isinstance(exc, ScoringError) else ScoringError(k.ERR_BAD_INPUT, str(exc)))
    return 0


def _rescore(args: argparse.Namespace) -> int:
    from integrations.scoring.records import rescore

    try:
        result = rescore(args.decision_id, Path(args.model_dir) if args.model_dir else None)
    except ScoringError as exc:
        return _fail(exc)
    print(
        json.dumps(
            {
                "decision_id": args.decision_id,
                "same": result.same,
                "differences": list(result.differences),
                "decision": result.recomputed.decision,
                "model_version": result.recomputed.model_version,
            }
        )
    )
    return 0 if result.same else 1


def register(subparsers: Any) -> None:
    """Add ``scoring`` and its subcommands to an argparse subparsers object."""
    scoring = subparsers.add_parser("scoring", help="credit scorecard: train, score, decide")
    sub = scoring.add_subparsers(dest="scoring_command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--model-dir", help="artifact directory (default: <model_dir>/scoring)")

    tr = sub.add_parser("train", help="train the scorecard and write the artifact and model card")
    tr.add_argument("--data", help="a bank's own CSV (default: the reference data set)")
    tr.add_argument("--target", help="the CSV's outcome column (with --data)")
    tr.add_argument("--bad-value", help="the target value meaning bad (default: 1 / bad / yes / default)")
    tr.add_argument("--features", help="comma-separated feature columns (default: all but protected ones)")
    tr.add_argument("--profile", help=f"a profile name in data/credit/ or a YAML file (default {k.DEFAULT_PROFILE})")
    tr.add_argument("--folds", type=int, default=k.CV_FOLDS, help="cross-validation folds (0: skip)")
    tr.add_argument("--no-current", action="store_true", help="write the artifact without making it current")
    tr.add_argument("--if-missing", action="store_true", help="do nothing when a current model exists")
    common(tr)
    tr.set_defaults(func=_train)

    sc = sub.add_parser("score", help="score every row of a CSV in the training data's columns")
    sc.add_argument("--csv", required=True, help="CSV file")
    sc.add_argument("--model", help="model version (default: current)")
    common(sc)
    sc.set_defaults(func=_score)

    de = sub.add_parser("decide", help="decide one application given as JSON (slot names)")
    de.add_argument("json", help="JSON object, @file, or - for stdin")
    de.add_argument("--model", help="model version (default: current)")
    common(de)
    de.set_defaults(func=_decide)

    si = sub.add_parser("simulate", help="re-decide a copy of the application with changed answers")
    si.add_argument("json", help="JSON object, @file, or - for stdin")
    si.add_argument("--set", action="append", metavar="SLOT=VALUE", help="a changed answer (repeatable)")
    si.add_argument("--model", help="model version (default: current)")
    common(si)
    si.set_defaults(func=_simulate)

    rs = sub.add_parser("rescore", help="re-run a stored decision and compare")
    rs.add_argument("decision_id", type=int)
    common(rs)
    rs.set_defaults(func=_rescore)


def main(argv: list[str] | None = None) -> int:
    return run(register, argv)


if __name__ == "__main__":
    sys.exit(main())
