"""The compiled scorecard: scaling, bin boundaries, missing and unknown values, speed."""

from __future__ import annotations

import math
import time
from typing import Any

import pytest

from integrations.scoring.compiled import CompiledScorecard, load, probability_bad, score_for_probability
from integrations.scoring.errors import ScoringError


@pytest.mark.parametrize(("score", "p"), [(600, 0.05), (650, 1 / 39), (550, 1 / (1 + 19 / 2)), (700, 1 / 77)])
def test_scaling_600_at_19_to_1_pdo_50(score: float, p: float) -> None:
    assert probability_bad(score) == pytest.approx(p)
    assert score_for_probability(p) == pytest.approx(score)


def test_numeric_bins_are_left_closed(model: CompiledScorecard) -> None:
    income = next(f for f in model.raw["features"] if f["name"] == "monthly_income")
    split = income["splits"][0]
    below = model.score({"monthly_income": split - 0.01}).features
    at = model.score({"monthly_income": split}).features
    get = lambda fs: next(f for f in fs if f.feature == "monthly_income")  # noqa: E731
    assert get(below).points == income["bins"][0]["points"]
    assert get(at).points == income["bins"][1]["points"]


@pytest.mark.parametrize(
    "value",
    [None, float("nan"), "", "NA", "abc", [], {}, object()],
)
def test_missing_or_garbage_numbers_take_the_missing_bin(model: CompiledScorecard, value: Any) -> None:
    income = next(f for f in model.raw["features"] if f["name"] == "monthly_income")
    fp = next(f for f in model.score({"monthly_income": value}).features if f.feature == "monthly_income")
    assert fp.missing and fp.points == income["missing"]["points"]


@pytest.mark.parametrize("value", ["castle", "OWN ", 7, None])
def test_unknown_categories_take_the_missing_bin(model: CompiledScorecard, value: Any) -> None:
    housing = next(f for f in model.raw["features"] if f["name"] == "housing")
    fp = next(f for f in model.score({"housing": value}).features if f.feature == "housing")
    assert fp.missing and fp.points == housing["missing"]["points"]


def test_numeric_strings_are_numbers(model: CompiledScorecard) -> None:
    assert model.score_only({"monthly_income": "8,000", "age": "40"}) == model.score_only(
        {"monthly_income": 8000, "age": 40}
    )


def test_score_is_the_sum_of_points(model: CompiledScorecard) -> None:
    res = model.score({"age": 40, "housing": "own", "employment_type": "employed", "monthly_income": 9000})
    assert res.score == sum(f.points for f in res.features) + model.intercept
    assert res.probability_bad == pytest.approx(probability_bad(res.score))
    assert all(f.max_points >= f.points for f in res.features)


def test_scoring_takes_microseconds(model: CompiledScorecard) -> None:
    inputs = {"age": 40.0, "housing": "own", "employment_type": "employed", "monthly_income": 9000.0}
    n = 2000
    t0 = time.perf_counter()
    for _ in range(n):
        model.score_only(inputs)
    per = (time.perf_counter() - t0) / n
    assert per < 500e-6, per  # typically a few µs; generous for a loaded CI machine


@pytest.mark.parametrize(
    "mutate",
    [
        lambda r: r.update(format=99),
        lambda r: r.pop("features"),
        lambda r: r["features"][0].update(splits=[3.0, 1.0]) if r["features"][0]["kind"] == "numerical" else None,
        lambda r: r["scaling"].update(pdo=20),
    ],
)
def test_bad_artifacts_are_refused(model: CompiledScorecard, mutate: Any) -> None:
    import copy

    raw = copy.deepcopy(model.raw)
    mutate(raw)
    if raw == model.raw:
        pytest.skip("mutation not applicable")
    with pytest.raises(ScoringError):
        CompiledScorecard.from_dict(raw)


def test_missing_model_is_a_code(tmp_path: Any) -> None:
    with pytest.raises(ScoringError) as err:
        load(root=tmp_path)
    assert err.value.code == "model_unavailable"
    with pytest.raises(ScoringError):
        load("../etc", root=tmp_path)
    assert math.isfinite(probability_bad(10_000))
