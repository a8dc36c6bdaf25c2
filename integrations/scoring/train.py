"""Reproducible scorecard training: optimal binning with monotonic constraints, logistic
regression on the bins' weights of evidence, points scaled to 600 at 19:1 odds with 50 points to
double the odds (optbinning ``BinningProcess`` + ``Scorecard``).

    profile (data/credit/*.yml or a bank's --data/--target) → rows in the model's features
    → stratified 5-fold cross-validation (AUC, KS, Gini: mean ± std) → fit on all rows
    → export every bin's points as plain data (the artifact; compiled.py scores from it)
    → self-check: the compiled scorer reproduces optbinning's scores on every training row.

Missing values are handled empirically: a missing value has its own bin with its own observed
bad rate (a missing income is informative). A feature whose coefficient comes out reversed once
the others are in the model (its points would run against its own bad rates: with job_years in
the reference model, older applicants would lose points for their age) is left out and the
model refitted, in every fold as in the final fit; the model card says which and why.
Deterministic: fixed folds seed, no sampling, the same data gives the same points. pandas and
optbinning are imported here only, never on the request path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import platform
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from integrations.scoring import const as k
from integrations.scoring.errors import ScoringError
from integrations.scoring.profiles import Profile, Value, adapt_value, infer_kind, read_csv, target_coder


@dataclass(frozen=True)
class TrainingData:
    """The training file read into the model's features (plain Python lists)."""

    profile: Profile
    kinds: Mapping[str, str]
    rows: list[dict[str, Value]]
    y: list[int]
    target_map: Mapping[str, int]
    sha256: str
    rows_read: int
    rows_without_target: int

    @property
    def bad_rate(self) -> float:
        return sum(self.y) / len(self.y) if self.y else 0.0


@dataclass(frozen=True)
class TrainedModel:
    """What training produces: the scorecard as data and the model card's facts."""

    scorecard: dict[str, Any]
    card: dict[str, Any]
    binning_table: list[dict[str, Any]] = field(default_factory=list)

    @property
    def version(self) -> str:
        return str(self.scorecard["version"])


def file_sha256(path: Any) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def load_training_data(profile: Profile) -> TrainingData:
    """Read the profile's CSV, resolve its features, code the target; rows without a target are
    dropped (counted), every other problem value becomes missing (the model's missing bin)."""
    if profile.file is None or not profile.file.is_file():
        raise ScoringError(k.ERR_BAD_DATA, f"training file not found: {profile.file}")
    columns, rows_iter = read_csv(profile.file)
    raw = list(rows_iter)
    if not raw:
        raise ScoringError(k.ERR_BAD_DATA, "the training file has no rows")
    resolved = profile.resolve(columns)
    coder = target_coder((r.get(resolved.target) for r in raw), resolved.bad_values)
    kinds = {f.name: infer_kind(f, (r.get(c) for r in raw for c in f.columns)) for f in resolved.features}
    rows: list[dict[str, Value]] = []
    y: list[int] = []
    dropped = 0
    for r in raw:
        t = (r.get(resolved.target) or "").strip()
        if t not in coder:
            dropped += 1
            continue
        rows.append({f.name: adapt_value(f, kinds[f.name], r) for f in resolved.features})
        y.append(coder[t])
    if len(set(y)) < 2 or min(sum(y), len(y) - sum(y)) < k.CV_FOLDS:
        raise ScoringError(k.ERR_BAD_DATA, "need at least 5 good and 5 bad rows")
    return TrainingData(
        profile=resolved,
        kinds=kinds,
        rows=rows,
        y=y,
        target_map=coder,
        sha256=file_sha256(profile.file),
        rows_read=len(raw),
        rows_without_target=dropped,
    )


# --- fitting -------------------------------------------------------------------------------
def _frame(data: TrainingData, index: Sequence[int] | None = None) -> Any:
    import numpy as np
    import pandas as pd

    idx = range(len(data.rows)) if index is None else index
    cols: dict[str, Any] = {}
    for name, kind in data.kinds.items():
        vals = [data.rows[i][name] for i in idx]
        if kind == k.NUMERICAL:
            cols[name] = np.array([np.nan if v is None else float(v) for v in vals], dtype=float)
        else:
            cols[name] = pd.Series([None if v is None else str(v) for v in vals], dtype=object).to_numpy()
    return pd.DataFrame(cols)


def _scorecard(data: TrainingData, exclude: Sequence[str] = ()) -> Any:
    from optbinning import BinningProcess, Scorecard
    from sklearn.linear_model import LogisticRegression

    trends = {f.name: f.trend for f in data.profile.features}
    kinds = {n: kind for n, kind in data.kinds.items() if n not in exclude}
    categorical = [n for n, kind in kinds.items() if kind == k.CATEGORICAL]
    fit_params: dict[str, dict[str, Any]] = {}
    for name, kind in kinds.items():
        params: dict[str, Any] = {"min_bin_size": k.MIN_BIN_SIZE}
        if kind == k.NUMERICAL:
            params["monotonic_trend"] = trends.get(name, k.DEFAULT_TREND)
        fit_params[name] = params
    process = BinningProcess(
        list(kinds),
        categorical_variables=categorical,
        binning_fit_params=fit_params,
        selection_criteria={"iv": {"min": k.MIN_IV}},
    )
    return Scorecard(
        binning_process=process,
        estimator=LogisticRegression(max_iter=1000),
        scaling_method="pdo_odds",
        scaling_method_params={"pdo": k.PDO, "odds": k.BASE_ODDS, "scorecard_points": k.BASE_POINTS},
        rounding=True,
    )


def reversed_features(sc: Any) -> dict[str, float]:
    """Selected features whose coefficient is positive: on weights of evidence (higher = fewer
    bads) every coefficient must be negative, or the feature's points run against its bad rates."""
    names = list(sc.binning_process_.get_support(names=True))
    return {n: float(c) for n, c in zip(names, sc.estimator_.coef_[0], strict=True) if c > 0}


def _fit(data: TrainingData, index: Sequence[int] | None = None) -> tuple[Any, list[str]]:
    """Fit on the rows ``index`` (default all); leave out reversed features one at a time, worst
    first, refitting each time. Returns the scorecard and the features left out for reversal."""
    import numpy as np

    idx = list(range(len(data.rows))) if index is None else list(index)
    frame, y = _frame(data, idx), np.array([data.y[i] for i in idx])
    left_out: list[str] = []
    while True:
        sc = _scorecard(data, left_out)
        try:
            sc.fit(frame, y, metric_missing="empirical", metric_special="empirical", show_digits=4)
        except ValueError as exc:  # e.g. no feature reaches the minimum information value
            raise ScoringError(k.ERR_BAD_DATA, str(exc)) from exc
        wrong = reversed_features(sc)
        if not wrong:
            return sc, left_out
        if len(wrong) == len(sc.binning_process_.get_support(names=True)):
            raise ScoringError(k.ERR_BAD_DATA, "every feature's coefficient is reversed")
        left_out.append(max(wrong, key=lambda n: (wrong[n], n)))


def separation(y: Sequence[int], scores: Sequence[float]) -> dict[str, float]:
    """AUC, KS and Gini of scores where a higher score means a lower risk of ``y == 1``."""
    from sklearn.metrics import roc_auc_score, roc_curve

    risk = [-s for s in scores]
    auc = float(roc_auc_score(y, risk))
    fpr, tpr, _ = roc_curve(y, risk)
    return {"auc": auc, "ks": float(max(tpr - fpr)), "gini": 2 * auc - 1}


def _summary(values: list[float]) -> dict[str, Any]:
    mean = sum(values) / len(values)
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    return {"mean": round(mean, 4), "std": round(std, 4), "folds": [round(v, 4) for v in values]}


def cross_validate(data: TrainingData, folds: int = k.CV_FOLDS, seed: int = k.RANDOM_STATE) -> dict[str, Any]:
    """Stratified k-fold CV of the whole pipeline (binning is refitted in every fold)."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    per: dict[str, list[float]] = {"auc": [], "ks": [], "gini": []}
    y = np.array(data.y)
    for train_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        sc, _ = _fit(data, train_idx.tolist())
        scores = sc.score(_frame(data, test_idx.tolist()))
        for name, value in separation(y[test_idx].tolist(), scores.tolist()).items():
            per[name].append(value)
    return {"folds": folds, "seed": seed, **{name: _summary(v) for name, v in per.items()}}


# --- export --------------------------------------------------------------------------------
def _num(x: Any) -> float:
    return float(x)


def export_features(sc: Any, data: TrainingData) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each selected feature's bins with their points, as plain data, and the binning table."""
    table = sc.table(style="detailed")
    sources = {f.name: f for f in data.profile.features}
    features: list[dict[str, Any]] = []
    binning_rows: list[dict[str, Any]] = []
    for name in sc.binning_process_.get_support(names=True):
        optb = sc.binning_process_.get_binned_variable(name)
        rows = table[table["Variable"] == name].reset_index(drop=True)
        kind = data.kinds[name]
        if kind == k.NUMERICAL:
            n_bins = len(optb.splits) + 1
        else:
            n_bins = len(optb.splits)
        bins: list[dict[str, Any]] = []
        special: dict[str, Any] = {}
        missing: dict[str, Any] = {}
        for i in range(len(rows)):
            r = rows.iloc[i]
            entry: dict[str, Any] = {
                "points": _num(r["Points"]),
                "count": int(r["Count"]),
                "bad": int(r["Event"]),
                "bad_rate": round(int(r["Event"]) / int(r["Count"]), 6) if int(r["Count"]) else None,
                "woe": round(_num(r["WoE"]), 6),
                "iv": round(_num(r["IV"]), 6),
            }
            label = str(r["Bin"])
            if i < n_bins:
                if kind == k.CATEGORICAL:
                    cats = sorted(str(c) for c in optb.splits[i])
                    entry["categories"] = cats
                    label = ", ".join(cats)
                entry["label"] = label
                bins.append(entry)
            elif i == n_bins:
                special = entry  # no special codes are used; kept for completeness of the table
            else:
                missing = entry
            if i != n_bins:  # no special codes are used: leave the empty "Special" row out of the table
                binning_rows.append({"feature": name, "bin": label if i < n_bins else "Missing", **entry})
        src = sources[name]
        features.append(
            {
                "name": name,
                "kind": kind,
                "unit": src.unit,
                "description": src.description,
                "source": {
                    "column": src.column,
                    "ratio": list(src.ratio) if src.ratio else None,
                    "only_when": {"column": src.only_when[0], "in": list(src.only_when[1])} if src.only_when else None,
                },
                "splits": [float(s) for s in optb.splits] if kind == k.NUMERICAL else None,
                "bins": bins,
                "missing": missing,
                "special": special,
                "from_chat": dict(src.from_chat),
                "iv": round(sum(b["iv"] for b in [*bins, missing]), 6),
                "coefficient": _num(rows.iloc[0]["Coefficient"]),
            }
        )
    return features, binning_rows


def _digest(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _versions() -> dict[str, str]:
    import numpy
    import optbinning
    import pandas
    import sklearn

    return {
        "python": platform.python_version(),
        "optbinning": optbinning.__version__,
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "pandas": pandas.__version__,
    }


def train(
    profile: Profile,
    folds: int = k.CV_FOLDS,
    seed: int = k.RANDOM_STATE,
    today: dt.date | None = None,
) -> TrainedModel:
    """Train the scorecard for ``profile`` and return it with its model card (not yet written)."""
    from integrations.scoring.compiled import CompiledScorecard

    t0 = time.perf_counter()
    data = load_training_data(profile)
    t_read = time.perf_counter()
    cv = cross_validate(data, folds, seed) if folds >= 2 else None
    t_cv = time.perf_counter()
    sc, left_out = _fit(data)
    features, binning_rows = export_features(sc, data)
    intercept = float(sc.intercept_)
    t_fit = time.perf_counter()

    scaling = {"base_points": k.BASE_POINTS, "base_odds": k.BASE_ODDS, "pdo": k.PDO}
    content = {
        "scaling": scaling,
        "intercept": intercept,
        "features": features,
        "profile": data.profile.to_dict(),
        "kinds": dict(data.kinds),
    }
    digest = _digest({**content, "data_sha256": data.sha256})
    created = today or dt.date.today()
    version = f"{data.profile.name}-{created:%Y%m%d}-{digest[:8]}"
    scorecard = {"format": k.ARTIFACT_FORMAT, "version": version, "created": created.isoformat(), **content}

    # Self-check: the compiled lookup must reproduce optbinning's scores on every training row.
    compiled = CompiledScorecard.from_dict(scorecard)
    ref = sc.score(_frame(data)).tolist()
    mine = [compiled.score_only(r) for r in data.rows]
    worst = max(abs(a - b) for a, b in zip(ref, mine, strict=True))
    if worst > 1e-6:
        raise ScoringError(k.ERR_BAD_ARTIFACT, f"compiled scores differ from optbinning by {worst}")
    in_sample = separation(data.y, mine)

    selected = [f["name"] for f in features]
    trends = ", ".join(f"{f.name}: {f.trend}" for f in data.profile.features if data.kinds[f.name] == k.NUMERICAL)
    dropped_iv = [n for n in data.kinds if n not in selected and n not in left_out]
    reversal = (
        "coefficient reversed once the other features are in the model (its points would run against its "
        "own bad rates); left out and the model refitted"
    )
    card = {
        "version": version,
        "created": created.isoformat(),
        "data": {
            "profile": data.profile.name,
            "title": data.profile.title,
            "file": data.profile.file.name if data.profile.file else None,
            "sha256": data.sha256,
            "rows_read": data.rows_read,
            "rows_used": len(data.rows),
            "rows_without_target": data.rows_without_target,
            "target": data.profile.target,
            "target_coding": dict(data.target_map),
            "bad_rate": round(data.bad_rate, 4),
        },
        "features": [
            {
                "name": f["name"],
                "kind": f["kind"],
                "unit": f["unit"],
                "description": f["description"],
                "source": f["source"],
                "from_chat": f["from_chat"],
                "iv": f["iv"],
                "coefficient": round(f["coefficient"], 6),
                "missing_bin": {
                    "count": f["missing"]["count"],
                    "bad_rate": f["missing"]["bad_rate"],
                    "points": f["missing"]["points"],
                },
            }
            for f in features
        ],
        "not_used": {
            **dict(data.profile.not_used),
            **{n: f"information value below {k.MIN_IV}" for n in dropped_iv},
            **{n: reversal for n in left_out},
        },
        "notes": list(data.profile.notes),
        "metrics": {"cross_validation": cv, "in_sample": {n: round(v, 4) for n, v in in_sample.items()}},
        "scaling": {**scaling, "rounding": "points rounded to integers per bin"},
        "method": {
            "binning": "optbinning BinningProcess: optimal binning, monotonic trend per numerical feature "
            f"({trends}), min bin size {k.MIN_BIN_SIZE:.0%}, features with IV < {k.MIN_IV} dropped",
            "missing_values": "empirical: a missing value has its own bin with its observed bad rate; a missing "
            "bin without training rows (or without both goods and bads) has WoE 0, i.e. average points",
            "estimator": "scikit-learn LogisticRegression(max_iter=1000) on weights of evidence; a feature "
            "with a reversed (positive) coefficient is left out and the model refitted, in every fold too",
            "validation": f"stratified {folds}-fold cross-validation, shuffle seed {seed}",
        },
        "software": _versions(),
        "timing_seconds": {
            "read": round(t_read - t0, 3),
            "cross_validation": round(t_cv - t_read, 3),
            "fit_and_export": round(t_fit - t_cv, 3),
            "total": round(time.perf_counter() - t0, 3),
        },
    }
    return TrainedModel(scorecard=scorecard, card=card, binning_table=binning_rows)
