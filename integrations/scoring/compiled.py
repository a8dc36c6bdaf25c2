"""The scorecard compiled to plain lookups at load: scoring without pandas, in microseconds.

Numerical features: sorted split points and ``bisect`` (bins are ``[split_i, split_i+1)``, the
same as optbinning's ``np.digitize(right=False)``). Categorical features: a dict from category
to points. A missing value — or a category the model never saw, as optbinning does — takes the
feature's missing bin, whose points were estimated from the training data's own missing values.

The score is the sum of the bins' (integer) points; ``probability_bad`` is the probability the
scaling assigns to that score: ``1 / (1 + 19 · 2^((score − 600) / 50))``.
"""

from __future__ import annotations

import json
import math
import threading
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from integrations.scoring import const as k
from integrations.scoring.errors import ScoringError
from integrations.scoring.profiles import Profile, Value, adapt_value, to_number


def probability_bad(score: float) -> float:
    """The scaling's probability of a bad outcome at ``score`` (600 → 5 %, 650 → 2.6 %)."""
    exponent = (score - k.BASE_POINTS) / k.PDO
    if exponent > 60:
        return 0.0
    return 1.0 / (1.0 + k.BASE_ODDS * 2.0**exponent)


def score_for_probability(p_bad: float) -> float:
    """Inverse of :func:`probability_bad` (for documenting policy cut-offs)."""
    return k.BASE_POINTS + k.PDO * math.log2((1 - p_bad) / p_bad / k.BASE_ODDS)


@dataclass(frozen=True)
class FeaturePoints:
    """How one feature scored: the value the model used, its bin, points and the best possible."""

    feature: str
    value: Value
    bin: str
    points: float
    max_points: float
    missing: bool

    @property
    def shortfall(self) -> float:
        return self.max_points - self.points

    def to_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "value": self.value,
            "bin": self.bin,
            "points": self.points,
            "max_points": self.max_points,
            "missing": self.missing,
        }


@dataclass(frozen=True)
class ScoreResult:
    score: float
    probability_bad: float
    features: tuple[FeaturePoints, ...]


@dataclass(frozen=True)
class _Feature:
    name: str
    kind: str
    splits: tuple[float, ...]
    points: tuple[float, ...]  # numerical: one per bin
    labels: tuple[str, ...]
    by_category: Mapping[str, tuple[float, str]]  # categorical: category → (points, label)
    missing_points: float
    max_points: float

    def lookup(self, value: Any) -> tuple[Value, str, float, bool]:
        if self.kind == k.NUMERICAL:
            num = to_number(value)
            if num is None:
                return None, "missing", self.missing_points, True
            i = bisect_right(self.splits, num)
            return num, self.labels[i], self.points[i], False
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None, "missing", self.missing_points, True
        hit = self.by_category.get(str(value))
        if hit is None:  # a category the model never saw: missing bin, as optbinning scores it
            return str(value), "missing", self.missing_points, True
        return str(value), hit[1], hit[0], False


class CompiledScorecard:
    """A scorecard artifact as lookups. Immutable after construction; safe to share across threads."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        if raw.get("format") != k.ARTIFACT_FORMAT:
            raise ScoringError(k.ERR_BAD_ARTIFACT, f"unsupported artifact format {raw.get('format')!r}")
        try:
            self.version: str = str(raw["version"])
            self.intercept: float = float(raw.get("intercept") or 0.0)
            scaling = raw["scaling"]
            if (float(scaling["base_points"]), float(scaling["base_odds"]), float(scaling["pdo"])) != (
                k.BASE_POINTS,
                k.BASE_ODDS,
                k.PDO,
            ):
                raise ScoringError(k.ERR_BAD_ARTIFACT, "artifact scaling differs from this code's")
            self.profile = Profile.from_dict(raw["profile"])
            self._features = tuple(self._compile(f) for f in raw["features"])
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise ScoringError(k.ERR_BAD_ARTIFACT, str(exc)) from exc
        self.raw = raw
        self.kinds: dict[str, str] = {f.name: f.kind for f in self._features}
        self.from_chat: dict[str, dict[str, str]] = {f["name"]: dict(f.get("from_chat") or {}) for f in raw["features"]}
        self._sources = {s.name: s for s in self.profile.features}

    @staticmethod
    def _compile(f: Mapping[str, Any]) -> _Feature:
        bins = f["bins"]
        missing = float(f["missing"]["points"])
        points = tuple(float(b["points"]) for b in bins)
        labels = tuple(str(b["label"]) for b in bins)
        by_cat: dict[str, tuple[float, str]] = {}
        splits: tuple[float, ...] = ()
        if f["kind"] == k.NUMERICAL:
            splits = tuple(float(s) for s in f["splits"])
            if len(splits) + 1 != len(bins) or list(splits) != sorted(splits):
                raise ScoringError(k.ERR_BAD_ARTIFACT, f"feature {f['name']}: splits and bins disagree")
        else:
            for b in bins:
                for c in b["categories"]:
                    by_cat[str(c)] = (float(b["points"]), str(b["label"]))
        return _Feature(
            name=str(f["name"]),
            kind=str(f["kind"]),
            splits=splits,
            points=points,
            labels=labels,
            by_category=by_cat,
            missing_points=missing,
            max_points=max((*points, missing)),
        )

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> CompiledScorecard:
        return cls(raw)

    @classmethod
    def from_file(cls, path: Path) -> CompiledScorecard:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ScoringError(k.ERR_BAD_ARTIFACT, f"{path.name}: {exc}") from exc
        return cls(raw)

    @property
    def features(self) -> tuple[str, ...]:
        return tuple(f.name for f in self._features)

    def score_only(self, inputs: Mapping[str, Any]) -> float:
        """The score alone: the fast path for batches."""
        total = self.intercept
        for f in self._features:
            total += f.lookup(inputs.get(f.name))[2]
        return total

    def score(self, inputs: Mapping[str, Any]) -> ScoreResult:
        """Score one applicant's model inputs (feature name → value; absent means missing)."""
        total = self.intercept
        parts = []
        for f in self._features:
            value, label, pts, missing = f.lookup(inputs.get(f.name))
            total += pts
            parts.append(FeaturePoints(f.name, value, label, pts, f.max_points, missing))
        return ScoreResult(score=total, probability_bad=probability_bad(total), features=tuple(parts))

    def adapt_row(self, row: Mapping[str, Any]) -> dict[str, Value]:
        """A row in the training data's own columns → the model's inputs (``score --csv``)."""
        return {n: adapt_value(self._sources[n], self.kinds[n], row) for n in self.kinds if n in self._sources}


# --- loading from the model directory -------------------------------------------------------
_cache: dict[tuple[str, float], CompiledScorecard] = {}
_lock = threading.Lock()


def model_root() -> Path:
    from bot.settings import get_settings

    return get_settings().model_dir / k.MODEL_SUBDIR


def current_version(root: Path | None = None) -> str | None:
    pointer = (root or model_root()) / k.CURRENT_FILE
    try:
        text = pointer.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text or None


def load(version: str | None = None, root: Path | None = None) -> CompiledScorecard:
    """The compiled scorecard of ``version`` (default: the current one), cached per file."""
    base = root or model_root()
    version = version or current_version(base)
    if not version:
        raise ScoringError(k.ERR_NO_MODEL, "no scoring model; run `kaika scoring train`")
    if "/" in version or "\\" in version or version.startswith("."):
        raise ScoringError(k.ERR_NO_MODEL, "invalid model version")
    path = base / version / k.SCORECARD_FILE
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise ScoringError(k.ERR_NO_MODEL, f"model {version} not found") from exc
    key = (str(path), mtime)
    with _lock:
        hit = _cache.get(key)
        if hit is None:
            hit = CompiledScorecard.from_file(path)
            _cache[key] = hit
        return hit
