"""Training: the reference model, reproducibility, the model card, and a bank's retrain path."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import pytest

from integrations.scoring import const as k
from integrations.scoring.compiled import CompiledScorecard
from integrations.scoring.errors import ScoringError
from integrations.scoring.profiles import FeatureSource, Profile, adapt_value, for_file, load_profile
from integrations.scoring.train import TrainedModel, load_training_data, train

from .conftest import AS_OF, ROOT, cli

CHAT_FEATURES = {"age", "housing", "employment_type", "monthly_income", "job_years", "past_arrears"}


def test_reference_model_uses_only_what_the_chat_asks(trained: TrainedModel) -> None:
    names = [f["name"] for f in trained.scorecard["features"]]
    assert set(names) <= CHAT_FEATURES
    assert {"monthly_income", "housing", "job_years", "past_arrears"} <= set(names)
    assert not any(p in n.lower() for n in names for p in k.PROTECTED_PATTERNS)
    assert "Marital" in trained.card["not_used"]
    # now asked: no longer in the not-used list
    assert "Seniority" not in trained.card["not_used"] and "Records" not in trained.card["not_used"]
    sources = {f["name"]: f["source"]["column"] for f in trained.scorecard["features"]}
    assert sources["job_years"] == "Seniority" and sources["past_arrears"] == "Records"
    assert trained.card["data"]["rows_used"] == 4454
    assert trained.card["data"]["sha256"]


def test_a_reversed_feature_is_left_out_and_explained(trained: TrainedModel) -> None:
    # with job_years in the model, age's coefficient would reverse (older → fewer points)
    names = [f["name"] for f in trained.scorecard["features"]]
    assert "age" not in names
    assert "reversed" in trained.card["not_used"]["age"]
    assert all(f["coefficient"] < 0 for f in trained.scorecard["features"])


def test_job_years_bins_and_its_not_asked_bin(trained: TrainedModel) -> None:
    jy = next(f for f in trained.scorecard["features"] if f["name"] == "job_years")
    assert jy["kind"] == k.NUMERICAL and jy["unit"] == "years"
    # Seniority is used only where the chat asks job_years (Job fixed / part-time / freelance):
    # the 171 "others" and the 2 rows without Job form the missing bin, with their own bad rate
    assert jy["missing"]["count"] == 173
    assert 0.35 < jy["missing"]["bad_rate"] < 0.45
    assert sum(b["count"] for b in jy["bins"]) == 4454 - 173
    pts = [b["points"] for b in jy["bins"]]
    assert pts == sorted(pts) and pts[-1] > pts[0]  # descending risk: more years never cost points
    # splits fall half-way between whole years (the data counts whole years)
    assert all(abs(s - round(s)) == 0.5 for s in jy["splits"])


def test_past_arrears_bins(trained: TrainedModel) -> None:
    pa = next(f for f in trained.scorecard["features"] if f["name"] == "past_arrears")
    assert pa["kind"] == k.CATEGORICAL
    by = {tuple(b["categories"]): b for b in pa["bins"]}
    assert set(by) == {("yes",), ("no",)}
    assert by[("yes",)]["count"] == 773 and by[("no",)]["count"] == 3681
    assert by[("yes",)]["points"] < by[("no",)]["points"]
    assert by[("yes",)]["bad_rate"] > 0.5 > by[("no",)]["bad_rate"]
    assert pa["missing"]["count"] == 0  # never missing in the data: the policy refers a missing answer


def test_scaling_and_missing_bins_are_empirical(trained: TrainedModel) -> None:
    income = next(f for f in trained.scorecard["features"] if f["name"] == "monthly_income")
    # 381 applicants gave no income in the data; their bin has their own (high) bad rate
    assert income["missing"]["count"] == 381
    assert income["missing"]["bad_rate"] > 0.5
    assert income["missing"]["points"] < min(b["points"] for b in income["bins"])
    # monotonic: more income never costs points
    pts = [b["points"] for b in income["bins"]]
    assert pts == sorted(pts)
    assert all(float(p).is_integer() for f in trained.scorecard["features"] for p in [b["points"] for b in f["bins"]])


def test_training_is_reproducible(trained: TrainedModel) -> None:
    again = train(load_profile("credit_data"), folds=0, today=AS_OF)
    assert again.version == trained.version
    assert again.scorecard == trained.scorecard


def test_model_card_files(model_root: Path, trained: TrainedModel) -> None:
    d = model_root / trained.version
    assert (model_root / k.CURRENT_FILE).read_text().strip() == trained.version
    card = json.loads((d / k.CARD_JSON).read_text())
    assert card["version"] == trained.version and card["created"] == AS_OF.isoformat()
    md = (d / k.CARD_MD).read_text()
    for heading in ("## Data", "## Features", "## Not used", "## Metrics", "## Binning table"):
        assert heading in md
    rows = list(csv.DictReader((d / k.BINNING_CSV).open()))
    assert {r["feature"] for r in rows} == {f["name"] for f in trained.scorecard["features"]}


def _bank_file(path: Path, n: int = 900) -> Path:
    """A small bank file from real data: credit_data rows in the chat's own columns and units,
    job_years empty where the chat does not ask it, past_arrears coded 0/1 (as banks often do),
    and a protected column the training must leave out."""
    src = list(csv.DictReader((ROOT / "data/credit/credit_data.csv").open()))[:n]
    home = {"owner": "own", "rent": "rent", "parents": "family", "priv": "other", "other": "other"}
    job = {"fixed": "employed", "partime": "employed", "freelance": "self_employed", "others": "retired"}
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["age", "monthly_income", "housing", "employment_type", "job_years", "past_arrears", "Marital", "defaulted"]
        )
        for r in src:
            income = f"{float(r['Income']) * 48:.0f}" if r["Income"] else ""
            years = r["Seniority"] if r["Job"] in ("fixed", "partime", "freelance") else ""
            w.writerow(
                [
                    r["Age"],
                    income,
                    home.get(r["Home"], ""),
                    job.get(r["Job"], ""),
                    years,
                    1 if r["Records"] == "yes" else 0,
                    r["Marital"],
                    1 if r["Status"] == "bad" else 0,
                ]
            )
    return path


def test_bank_retrain_path_really_runs(tmp_path: Path) -> None:
    data = _bank_file(tmp_path / "bank.csv")
    models = tmp_path / "models"
    res = cli("scoring", "train", "--data", str(data), "--target", "defaulted", "--model-dir", str(models))
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["trained"] and out["cv"]["auc"]["mean"] > 0.6
    assert "Marital" not in out["features"]
    assert {"job_years", "past_arrears"} <= set(out["features"])
    version = (models / k.CURRENT_FILE).read_text().strip()
    assert version == out["version"]
    card = json.loads((models / version / k.CARD_JSON).read_text())
    assert card["metrics"]["cross_validation"]["folds"] == 5
    assert "protected" in card["not_used"]["Marital"]
    assert card["data"]["target_coding"] == {"0": 0, "1": 1}

    # the bank's model decides from the conversation's answers (its columns are slot names)
    app = {
        "birth_date": "1980-01-01",
        "monthly_income": 9000,
        "housing": "rent",
        "employment_type": "employed",
        "job_years": 6,
        "past_arrears": True,
        "monthly_debt_payment": 500,
        "chosen_card": "KK_ONLINE",
        "kyc_passed": True,
    }
    res = cli("scoring", "decide", json.dumps(app), "--model-dir", str(models))
    assert res.returncode == 0, res.stderr
    decision = json.loads(res.stdout)
    assert decision["model_version"] == version
    assert {p["feature"] for p in decision["points"]} == set(out["features"])
    assert not [i for i in decision["data_issues"] if i["code"] == "not_asked"]
    points = {p["feature"]: p for p in decision["points"]}
    assert card_kind(card, "past_arrears") == k.NUMERICAL
    assert points["past_arrears"]["value"] == 1.0 and not points["past_arrears"]["missing"]  # yes → 1
    assert points["job_years"]["value"] == 6 and not points["job_years"]["missing"]
    res = cli("scoring", "decide", json.dumps({**app, "past_arrears": False}), "--model-dir", str(models))
    no_arrears = json.loads(res.stdout)
    assert no_arrears["score"] > decision["score"]

    # and scores its own file, row by row, in the file's own columns
    res = cli("scoring", "score", "--csv", str(data), "--model-dir", str(models))
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(res.stdout.splitlines()))
    assert len(rows) == 900
    assert {"score", "probability_bad", "age", "defaulted"} <= set(rows[0])
    assert all(0 < float(r["probability_bad"]) < 1 for r in rows)


def card_kind(card: dict[str, object], name: str) -> object:
    feats = card["features"]
    assert isinstance(feats, list)
    return next(f["kind"] for f in feats if f["name"] == name)


def test_score_csv_in_reference_columns_matches_compiled(model_root: Path, model: CompiledScorecard) -> None:
    data_file = str(ROOT / "data/credit/credit_data.csv")
    res = cli("scoring", "score", "--csv", data_file, "--model-dir", str(model_root))
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(res.stdout.splitlines()))
    assert len(rows) == 4454
    data = load_training_data(load_profile("credit_data"))
    assert [float(r["score"]) for r in rows] == [model.score_only(x) for x in data.rows]


@pytest.mark.parametrize(
    ("columns", "rows", "args", "code"),
    [
        (["a", "y"], [["1", "x"], ["2", "y"], ["3", "z"]], ["--target", "y"], k.ERR_TARGET_NOT_BINARY),
        (["a", "y"], [["1", "p"], ["2", "q"]], ["--target", "y"], k.ERR_TARGET_NOT_BINARY),
        (["a", "y"], [["1", "0"], ["2", "1"]], ["--target", "nope"], k.ERR_BAD_DATA),
        (["sex", "y"], [["m", "0"], ["f", "1"]], ["--target", "y", "--features", "sex"], k.ERR_PROTECTED_FEATURE),
        (["a", "y"], [["1", "0"], ["2", "1"]], ["--target", "y"], k.ERR_BAD_DATA),  # too few rows
    ],
)
def test_bad_training_files_fail_with_a_code(
    tmp_path: Path, columns: list[str], rows: list[list[str]], args: list[str], code: str
) -> None:
    path = tmp_path / "bad.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        w.writerows(rows)
    with pytest.raises(ScoringError) as err:
        target = args[args.index("--target") + 1]
        feats = args[args.index("--features") + 1].split(",") if "--features" in args else None
        train(for_file(path, target, None, feats), folds=0)
    assert err.value.code == code


def test_score_csv_needs_the_condition_column(model_root: Path, tmp_path: Path) -> None:
    rows = list(csv.DictReader((ROOT / "data/credit/credit_data.csv").open()))[:5]
    path = tmp_path / "no_job.csv"
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=[c for c in rows[0] if c != "Job"], extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    res = cli("scoring", "score", "--csv", str(path), "--model-dir", str(model_root))
    assert res.returncode == 2 and "input_invalid" in res.stderr and "Job" in res.stderr


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"Seniority": "7", "Job": "fixed"}, 7.0),
        ({"Seniority": "7", "Job": "partime"}, 7.0),
        ({"Seniority": "0", "Job": "freelance"}, 0.0),
        ({"Seniority": "7", "Job": "others"}, None),  # the chat does not ask job_years of them
        ({"Seniority": "0", "Job": ""}, None),
        ({"Seniority": "", "Job": "fixed"}, None),
        ({"Seniority": "x", "Job": "fixed"}, None),
    ],
)
def test_job_years_is_read_only_where_the_chat_asks_it(row: dict[str, str], expected: float | None) -> None:
    src = next(f for f in load_profile("credit_data").features if f.name == "job_years")
    assert src.all_columns == ("Seniority", "Job") and src.columns == ("Seniority",)
    assert adapt_value(src, k.NUMERICAL, row) == expected


@pytest.mark.parametrize(("raw", "expected"), [("yes", "yes"), ("no", "no"), ("", None), ("NA", None)])
def test_past_arrears_from_records(raw: str, expected: str | None) -> None:
    src = next(f for f in load_profile("credit_data").features if f.name == "past_arrears")
    assert adapt_value(src, k.CATEGORICAL, {"Records": raw}) == expected


def test_only_when_round_trips_and_is_checked() -> None:
    prof = load_profile("credit_data")
    again = Profile.from_dict(prof.to_dict())
    assert again.features == prof.features
    for bad in ({"column": "Job"}, {"in": ["x"]}, {"column": "Job", "in": "fixed"}, ["Job"]):
        with pytest.raises(ScoringError) as err:
            FeatureSource.from_dict("job_years", {"column": "Seniority", "only_when": bad})
        assert err.value.code == k.ERR_BAD_PROFILE
    # a condition on a protected column is refused like a protected feature
    src = FeatureSource.from_dict("x", {"column": "Seniority", "only_when": {"column": "Marital", "in": ["single"]}})
    with pytest.raises(ScoringError) as err:
        replace(prof, features=(src,)).resolve(["Seniority", "Marital", "Status"])
    assert err.value.code == k.ERR_PROTECTED_FEATURE


def test_cli_train_reports_errors_as_codes(tmp_path: Path) -> None:
    res = cli(
        "scoring", "train", "--data", str(tmp_path / "none.csv"), "--target", "y", "--model-dir", str(tmp_path / "m")
    )
    assert res.returncode == 2
    assert json.loads(res.stderr.strip().splitlines()[-1])["error"] == k.ERR_BAD_DATA
