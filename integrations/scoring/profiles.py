"""Training-data profiles: how a CSV's own columns become the model's features.

A profile (``data/credit/<name>.yml``, or one built for a bank's file by :func:`for_file`) names
the target, the value(s) meaning "bad", and for each model feature its source column, unit,
category recoding, scale, monotonic trend and, when a question is only asked of some applicants,
the condition under which the column is used (``only_when``: elsewhere the value is missing, as
it is in the chat). The same profile is stored in the artifact, so
``kaika scoring score --csv`` reads rows in the training data's own columns, and ``from_chat``
says how the conversation's answers map onto the model's categories (``features.py``).

Row adaptation is plain Python (``csv`` rows in, dict out): no pandas at scoring time.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from integrations.scoring import const as k
from integrations.scoring.errors import ScoringError

Value = float | str | None
MISSING_TOKENS = frozenset({"", "na", "nan", "null", "none", "n/a"})


@dataclass(frozen=True)
class FeatureSource:
    """One model feature and where it comes from in the training file."""

    name: str
    column: str | None = None  # source column (None for a derived ratio)
    ratio: tuple[str, str] | None = None  # derived: column[0] / column[1]
    categories: Mapping[str, str | None] | None = None  # source value → model category (None: missing)
    from_chat: Mapping[str, str] = field(default_factory=dict)  # conversation value → model category
    scale: float | None = None  # numerical: multiply the source value (unit conversion)
    unit: str = ""
    kind: str | None = None  # numerical | categorical; None: inferred from the data at training
    trend: str = k.DEFAULT_TREND
    description: str = ""
    # Use the value only where column only_when[0] holds one of only_when[1] (else: missing).
    only_when: tuple[str, tuple[str, ...]] | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the value is read from (kind inference looks at these only)."""
        return self.ratio if self.ratio else ((self.column,) if self.column else ())

    @property
    def all_columns(self) -> tuple[str, ...]:
        """Every column the feature needs, including its ``only_when`` condition's."""
        return (*self.columns, self.only_when[0]) if self.only_when else self.columns

    def applies(self, row: Mapping[str, Any]) -> bool:
        """Whether the row answers this feature's question (always, without ``only_when``)."""
        if self.only_when is None:
            return True
        return clean(row.get(self.only_when[0])) in self.only_when[1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "column": self.column,
            "ratio": list(self.ratio) if self.ratio else None,
            "categories": dict(self.categories) if self.categories is not None else None,
            "from_chat": dict(self.from_chat),
            "scale": self.scale,
            "unit": self.unit,
            "kind": self.kind,
            "trend": self.trend,
            "description": self.description,
            "only_when": {"column": self.only_when[0], "in": list(self.only_when[1])} if self.only_when else None,
        }

    @classmethod
    def from_dict(cls, name: str, raw: Mapping[str, Any]) -> FeatureSource:
        ratio = raw.get("ratio")
        cats = raw.get("categories")
        if raw.get("kind") not in (None, k.NUMERICAL, k.CATEGORICAL):
            raise ScoringError(k.ERR_BAD_PROFILE, f"feature {name}: kind must be numerical or categorical")
        if ratio is not None and (not isinstance(ratio, Sequence) or len(ratio) != 2):
            raise ScoringError(k.ERR_BAD_PROFILE, f"feature {name}: ratio needs two columns")
        column = raw.get("column", None if ratio else name)
        when = raw.get("only_when")
        if when is not None and (
            not isinstance(when, Mapping)
            or not when.get("column")
            or not isinstance(when.get("in"), Sequence)
            or isinstance(when.get("in"), str)
        ):
            raise ScoringError(k.ERR_BAD_PROFILE, f"feature {name}: only_when needs a column and an 'in' list")
        return cls(
            name=name,
            column=str(column) if column is not None else None,
            ratio=(str(ratio[0]), str(ratio[1])) if ratio else None,
            categories={str(a): (None if b is None else str(b)) for a, b in cats.items()} if cats else None,
            from_chat={str(a): str(b) for a, b in (raw.get("from_chat") or {}).items()},
            scale=float(raw["scale"]) if raw.get("scale") is not None else None,
            unit=str(raw.get("unit") or ""),
            kind=raw.get("kind") or (k.CATEGORICAL if cats else None),
            trend=str(raw.get("trend") or k.DEFAULT_TREND),
            description=str(raw.get("description") or ""),
            only_when=(str(when["column"]), tuple(str(v) for v in when["in"])) if when is not None else None,
        )


@dataclass(frozen=True)
class Profile:
    """A training file and how to read it. ``features`` empty + ``wildcard``: every column."""

    name: str
    target: str
    features: tuple[FeatureSource, ...]
    bad_values: tuple[str, ...] | None = None
    file: Path | None = None
    title: str = ""
    wildcard: bool = False
    exclude: tuple[str, ...] = ()
    not_used: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "file": self.file.name if self.file else None,
            "target": self.target,
            "bad_values": list(self.bad_values) if self.bad_values else None,
            "features": {f.name: f.to_dict() for f in self.features},
            "exclude": list(self.exclude),
            "not_used": dict(self.not_used),
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], base: Path | None = None) -> Profile:
        try:
            feats = raw.get("features") or {}
            wildcard = feats == "*"
            derived = raw.get("derived") or {}
            specs = {} if wildcard else dict(feats)
            specs.update(derived)
            bad = raw.get("bad_values")
            file = raw.get("file")
            return cls(
                name=str(raw["name"]),
                title=str(raw.get("title") or ""),
                target=str(raw["target"]),
                bad_values=tuple(str(b) for b in bad) if bad else None,
                file=(base / str(file)) if (file and base) else (Path(str(file)) if file else None),
                features=tuple(FeatureSource.from_dict(str(n), s or {}) for n, s in specs.items()),
                wildcard=wildcard,
                exclude=tuple(str(x) for x in raw.get("exclude") or ()),
                not_used={str(a): str(b) for a, b in (raw.get("not_used") or {}).items()},
                notes=tuple(str(x) for x in raw.get("notes") or ()),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ScoringError(k.ERR_BAD_PROFILE, str(exc)) from exc

    def resolve(self, columns: Sequence[str]) -> Profile:
        """Expand a wildcard profile to explicit features and check every source column exists.
        Protected attributes are refused when named, and skipped (with a note) from a wildcard."""
        cols = list(columns)
        if self.target not in cols:
            raise ScoringError(k.ERR_BAD_DATA, f"target column {self.target!r} not in the file")
        feats = list(self.features)
        not_used = dict(self.not_used)
        if self.wildcard:
            named = {c for f in feats for c in f.columns}
            for c in cols:
                if c == self.target or c in named or c in self.exclude:
                    continue
                if is_protected(c):
                    not_used.setdefault(c, "protected attribute: never a model feature")
                    continue
                feats.append(FeatureSource(name=c, column=c))
        for f in feats:
            if is_protected(f.name) or any(is_protected(c) for c in f.all_columns):
                raise ScoringError(k.ERR_PROTECTED_FEATURE, f.name)
            missing = [c for c in f.all_columns if c not in cols]
            if missing:
                raise ScoringError(k.ERR_BAD_DATA, f"feature {f.name}: column(s) {missing} not in the file")
        for c in self.exclude:
            not_used.setdefault(c, "excluded by the profile")
        if not feats:
            raise ScoringError(k.ERR_BAD_DATA, "no usable feature columns")
        return replace(self, features=tuple(feats), wildcard=False, not_used=not_used)

    def without(self, names: Iterable[str]) -> Profile:
        drop = set(names)
        return replace(self, features=tuple(f for f in self.features if f.name not in drop))


def is_protected(name: str) -> bool:
    low = name.lower()
    return any(p in low for p in k.PROTECTED_PATTERNS)


def load_profile(name_or_path: str | Path) -> Profile:
    """A profile by name (``data/credit/<name>.yml``) or path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = k.CREDIT_DATA_DIR / f"{name_or_path}.yml"
    if not path.is_file():
        raise ScoringError(k.ERR_BAD_PROFILE, f"no profile {path.name}")
    with path.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    return Profile.from_dict(raw, base=path.parent)


def for_file(path: Path, target: str, bad_value: str | None = None, features: Sequence[str] | None = None) -> Profile:
    """A bank's own file: its columns are the model's features (name them like the conversation's
    features — age, monthly_income, housing, … — so decisions can fill them from the chat)."""
    feats = tuple(FeatureSource(name=f, column=f) for f in features) if features else ()
    return Profile(
        name=path.stem,
        title=f"{path.name} (bank data)",
        target=target,
        bad_values=(bad_value,) if bad_value is not None else None,
        file=path,
        features=feats,
        wildcard=not features,
    )


# --- reading rows ---------------------------------------------------------------------------
def read_csv(path: Path) -> tuple[list[str], Iterator[dict[str, str]]]:
    fh = path.open(encoding="utf-8-sig", newline="")
    reader = csv.DictReader(fh)
    columns = list(reader.fieldnames or [])

    def rows() -> Iterator[dict[str, str]]:
        try:
            yield from reader
        finally:
            fh.close()

    return columns, rows()


def clean(value: Any) -> str | None:
    """A raw cell as text, or None when it is empty / NA."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    text = str(value).strip()
    return None if text.lower() in MISSING_TOKENS else text


def to_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        f = float(value)
        return f if math.isfinite(f) else None
    text = clean(value)
    if text is None:
        return None
    try:
        f = float(text.replace(",", ""))
    except ValueError:
        return None
    return f if math.isfinite(f) else None


def adapt_value(src: FeatureSource, kind: str, row: Mapping[str, Any]) -> Value:
    """The model's value of one feature from one source row (None: missing)."""
    if not src.applies(row):
        return None
    if src.ratio:
        a, b = (to_number(row.get(c)) for c in src.ratio)
        return a / b if a is not None and b not in (None, 0.0) else None
    raw = clean(row.get(src.column or src.name))
    if raw is None:
        return None
    if src.categories is not None:
        raw_mapped = src.categories.get(raw, raw)
        if raw_mapped is None:
            return None
        raw = raw_mapped
    if kind == k.CATEGORICAL:
        return raw
    num = to_number(raw)
    if num is None:
        return None
    return num * src.scale if src.scale is not None else num


def infer_kind(src: FeatureSource, values: Iterable[Any]) -> str:
    if src.kind:
        return src.kind
    if src.ratio:
        return k.NUMERICAL
    present = [v for v in (clean(x) for x in values) if v is not None]
    return k.NUMERICAL if present and all(to_number(v) is not None for v in present) else k.CATEGORICAL


def target_coder(values: Iterable[Any], bad_values: tuple[str, ...] | None) -> dict[str, int]:
    """Map the target's distinct values to 1 (bad) / 0 (good). Exactly two values are needed."""
    distinct = sorted({v for v in (clean(x) for x in values) if v is not None})
    if len(distinct) != 2:
        raise ScoringError(k.ERR_TARGET_NOT_BINARY, f"{len(distinct)} distinct target values")
    norm = {d: d.lower() for d in distinct}
    if bad_values:
        wanted = {b.strip().lower() for b in bad_values}
        bad = [d for d in distinct if norm[d] in wanted or _same_number(d, wanted)]
    else:
        bad = [d for d in distinct if norm[d] in k.TRUTHY_TARGETS]
    if len(bad) != 1:
        raise ScoringError(k.ERR_TARGET_NOT_BINARY, "cannot tell which target value means bad; pass --bad-value")
    return {d: int(d == bad[0]) for d in distinct}


def _same_number(value: str, wanted: set[str]) -> bool:
    num = to_number(value)
    return num is not None and any(to_number(w) == num for w in wanted)
