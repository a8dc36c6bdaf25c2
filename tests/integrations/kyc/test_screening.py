"""Sanctions/PEP screening: the bundled FICTITIOUS list, hits, non-hits, transliteration, OCR noise."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from integrations.kyc import screening as sc
from integrations.kyc.settings import get_kyc_settings

SIMPLE_CSV_HEADER = [
    "id",
    "schema",
    "name",
    "aliases",
    "birth_date",
    "countries",
    "addresses",
    "identifiers",
    "sanctions",
    "phones",
    "emails",
    "dataset",
    "first_seen",
    "last_seen",
    "last_change",
]


@pytest.fixture(scope="module")
def listed() -> sc.CsvScreeningList:
    return sc.CsvScreeningList.from_path(get_kyc_settings().screening_list)


# -- the data file -------------------------------------------------------------------------------
def test_the_bundled_list_is_fictitious_and_in_the_export_shape() -> None:
    path = get_kyc_settings().screening_list
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == SIMPLE_CSV_HEADER
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert 45 <= len(body) <= 60
    assert all(r["id"].startswith("kaika-fict-") and "FICTITIOUS" in r["dataset"] for r in body)
    assert all(r["countries"] == "zz" for r in body)
    people = [r for r in body if r["schema"] == "Person"]
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in r["aliases"]) for r in people)  # Chinese names
    assert sum(bool(r["sanctions"]) for r in people) >= 20 and sum(not r["sanctions"] for r in people) >= 15  # PEPs
    assert any(";" in r["aliases"] for r in people)  # multi-valued aliases
    assert (path.parent / "README.md").read_text(encoding="utf-8").count("FICTITIOUS") >= 1


def test_only_people_are_screened(listed: sc.CsvScreeningList) -> None:
    assert listed.size == 47
    assert sc.screen("Fictitious Harbour Trading Co., Ltd.").outcome == sc.CLEAR


# -- hits ------------------------------------------------------------------------------------------
HITS = [
    # (applicant name(s), birth date, listed entry expected, why)
    ("张伟", "1971-03-14", "kaika-fict-0001", "characters vs ZHANG Wei"),
    ("Zhang Wei", "1971-03-14", "kaika-fict-0001", "pinyin"),
    ("Wei Zhang", "1971-03-14", "kaika-fict-0001", "given name first"),
    ("ZHANG WEI", "1971-03-15", "kaika-fict-0001", "birth date one digit off (OCR)"),
    ("張偉", "1971-03-14", "kaika-fict-0001", "traditional characters"),
    ("Zhang We1", "1971-03-14", "kaika-fict-0001", "OCR digit in a name"),
    ("Mohammed Al-Rashidi", "1968-09-02", "kaika-fict-0002", "Mohammed vs Muhammad"),
    ("Muhammad Rashidi", "1968-09-02", "kaika-fict-0002", "middle name and particle missing"),
    ("Mohamed Alrashidi", "1968-09-02", "kaika-fict-0002", "particle glued on"),
    ("MUHAMRNAD AL RASH1DI", "1968-09-02", "kaika-fict-0002", "OCR rn->m, 1->i"),
    ("吕志强", "1980-01-05", "kaika-fict-0004", "ü: Lü/Lyu/Lv"),
    ("Lyu Zhiqiang", "1980-01-05", "kaika-fict-0004", "passport spelling of ü"),
    ("Ivan Sidorenko", "1966-04-21", "kaika-fict-0005", "patronymic missing"),
    ("Иван Сидоренко", "1966-04-21", "kaika-fict-0005", "Cyrillic"),
    ("Ahmad Hasan Mansur", "1972-06-01", "kaika-fict-0006", "list gives the year only"),
    ("Ahmed Hassan Mansour", "1972-06-01", "kaika-fict-0006", "vowel spelling variants"),
    ("Hans Jurgen Kellermann", "1955-03-30", "kaika-fict-0022", "accents folded"),
    ("李建国", "1959-11-02", "kaika-fict-0026", "PEP"),
    ("欧阳明辉", "1964-02-14", "kaika-fict-0027", "compound surname"),
    ("Ouyang Minghui", "1964-02-14", "kaika-fict-0027", "compound surname in pinyin"),
    ("陈丽萍", "1980-01-01", "kaika-fict-0028", "list has no birth date"),
    ("Zhou Xiao Ming", "1970-09-21", "kaika-fict-0029", "given name split"),
    ("曾庆丰", "1963-03-09", "kaika-fict-0036", "surname reading zeng, not ceng"),
    ("单玉明", "1975-08-08", "kaika-fict-0037", "surname reading shan, not dan"),
    ("Chao Lei", "1979-10-10", "kaika-fict-0010", "Wade-Giles alias"),
    (("王 秀英", "WANG XIUYING"), "1975-07-30", "kaika-fict-0003", "two spellings given"),
]


@pytest.mark.parametrize(("names", "birth", "entry", "why"), HITS, ids=[h[3] for h in HITS])
def test_possible_matches(listed: sc.CsvScreeningList, names: str, birth: str, entry: str, why: str) -> None:
    result = listed.screen(names, birth)
    assert result.outcome == sc.POSSIBLE_MATCH and result.hit, why
    assert entry in [h.entry_id for h in result.hits], why
    hit = next(h for h in result.hits if h.entry_id == entry)
    assert 0.85 <= hit.score <= 1.0 and 0 < hit.confidence <= 1.0
    assert hit.list_type in (sc.SANCTION, sc.PEP)
    assert all(d.startswith("FICTITIOUS") for d in hit.datasets)


def test_pep_and_sanction_are_told_apart(listed: sc.CsvScreeningList) -> None:
    assert listed.screen("张伟", "1971-03-14").hits[0].list_type == sc.SANCTION
    assert listed.screen("李建国", "1959-11-02").hits[0].list_type == sc.PEP


# -- non-hits --------------------------------------------------------------------------------------
CLEAR = [
    ("张伟", "1985-01-01", "same name, another birth date"),
    ("Zhang Wei", "1971-07-22", "same name, another birth date (not an OCR slip)"),
    ("张伟明", "1971-03-14", "a longer given name is another person"),
    ("陈丽", "1980-01-01", "a shorter given name is another person"),
    ("王秀云", "1975-07-30", "one character different"),
    ("Wang Fang", "1975-07-30", "another given name"),
    ("Zhang Hui", "1971-03-14", "another given name"),
    ("Li Wei", "1971-03-14", "common name not on the list"),
    ("John Smith", "1971-03-14", "nothing alike"),
    ("Muhammad Ali", "1968-09-02", "a common first name alone is not enough"),
    ("Wei", "1971-03-14", "a single token never matches by containment"),
    ("Ivan Petrov", "1966-04-21", "another surname"),
]


@pytest.mark.parametrize(("names", "birth", "why"), CLEAR, ids=[c[2] for c in CLEAR])
def test_no_match(listed: sc.CsvScreeningList, names: str, birth: str, why: str) -> None:
    result = listed.screen(names, birth)
    assert result.outcome == sc.CLEAR and not result.hits, (why, result.hits)
    assert 0.0 <= result.confidence <= 1.0


def test_without_a_birth_date_only_a_very_close_name_is_a_hit(listed: sc.CsvScreeningList) -> None:
    assert listed.screen("张伟").hit  # exact name, no date: review
    assert not listed.screen("Zhamg Wei").hit  # an OCR slip AND no date: not enough
    assert listed.screen("Zhamg Wei", "1971-03-14").hit  # the slip with the right date: review


# -- parts ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("applicant", "listed", "expected"),
    [
        ("1971-03-14", ["1971-03-14"], sc.DOB_MATCH),
        ("1971-03-14", ["1971"], sc.DOB_MATCH),
        ("1971-03-14", ["1971-03"], sc.DOB_MATCH),
        ("1971-03-14", ["1960", "1971-03-14"], sc.DOB_MATCH),
        ("1971-03-14", ["1971-03-15"], sc.DOB_NEAR),
        ("1971-03-14", ["1971-14-03"], sc.DOB_NEAR),
        ("1971-04-03", ["1971-03-04"], sc.DOB_NEAR),
        ("1971-03-14", ["1972"], sc.DOB_MISMATCH),
        ("1971-03-14", ["1985-01-01"], sc.DOB_MISMATCH),
        ("1971-03-14", [], sc.DOB_UNKNOWN),
        (None, ["1971-03-14"], sc.DOB_UNKNOWN),
    ],
)
def test_birth_date_agreement(applicant: str | None, listed: list[str], expected: str) -> None:
    assert sc.dob_agreement(applicant, listed) == expected


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Al-Rashidi, MUHAMMAD", ("al", "rashidi", "muhammad")),
        ("Hans-Jürgen O'Neil", ("hans", "jurgen", "oneil")),
        ("LÜ Zhiqiang", ("lu", "zhiqiang")),
        ("Lyu Zhiqiang", ("lu", "zhiqiang")),
        ("Иван", ("ivan",)),
    ],
)
def test_latin_tokens(text: str, tokens: tuple[str, ...]) -> None:
    assert sc.latin_tokens(text) == tokens


@pytest.mark.parametrize(
    ("han", "tokens"),
    [
        ("张伟", ("zhang", "wei")),
        ("欧阳明辉", ("ouyang", "minghui")),
        ("单玉明", ("shan", "yuming")),
        ("吕志强", ("lu", "zhiqiang")),
        ("买买提·艾力", ("maimaiti", "aili")),
    ],
)
def test_han_names_become_pinyin(han: str, tokens: tuple[str, ...]) -> None:
    assert sc.name_forms(han)[0].tokens == tokens


def test_skeleton_folds_vowels() -> None:
    assert sc.skeleton("mohammed") == sc.skeleton("muhammad") == sc.skeleton("mohamad")
    assert sc.skeleton("mansour") == sc.skeleton("mansur")


def test_a_list_in_the_same_shape_from_elsewhere(tmp_path: Path) -> None:
    path = tmp_path / "targets.simple.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, dialect=csv.unix_dialect)
        writer.writerow(SIMPLE_CSV_HEADER)
        writer.writerow(
            [
                "x-1",
                "Person",
                "TEST Person",
                '"Alias; with semicolon";测试',
                "1990-01-01",
                "zz",
                "",
                "",
                "",
                "",
                "",
                "Test list",
                "",
                "",
                "",
            ]
        )
    custom = sc.CsvScreeningList.from_path(path)
    assert custom.size == 1
    assert custom.screen("Test Person", "1990-01-01").hit
    assert custom.screen("Alias with semicolon", "1990-01-01").hit
    assert custom.screen("测试", "1990-01-01").hit
    assert custom.version != sc.default_list().version


def test_a_file_without_the_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("name,dob\nX,1990\n", encoding="utf-8")
    with pytest.raises(ValueError):
        sc.CsvScreeningList.from_path(path)


def test_result_carries_what_the_record_needs(listed: sc.CsvScreeningList) -> None:
    result = listed.screen("张伟", "1971-03-14")
    assert result.method == sc.METHOD and len(result.list_version) == 16 and result.entries == 47
    assert result.confidence == result.hits[0].confidence
