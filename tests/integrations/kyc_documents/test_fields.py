"""Cleaning of OCR text per field: closed lists, dates, official division names, number choice."""

from __future__ import annotations

import pytest

from integrations.kyc import const
from integrations.kyc.documents import (
    _pick_id_number,
    correct_address,
    correct_authority,
    parse_birth,
    parse_validity,
    snap_ethnicity,
)
from integrations.kyc.ocr import OcrText


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("1980 8 25", "1980-08-25"),
        ("1980年8月25日", "1980-08-25"),
        ("19800825", "1980-08-25"),
        ("1980 2 30", None),
        ("80 8 25", None),
        ("", None),
    ],
)
def test_birth_date(text: str, want: str | None) -> None:
    assert parse_birth(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2015.08.25-2035.08.25", ("2015-08-25", "2035-08-25")),
        ("2015.08.25 - 长期", ("2015-08-25", const.LONG_TERM)),
        ("20150825-20350825", ("2015-08-25", "2035-08-25")),
        ("2015.08.25-", ("2015-08-25", None)),
        ("nothing", (None, None)),
    ],
)
def test_validity_line(text: str, want: tuple[str | None, str | None]) -> None:
    assert parse_validity(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("汉", "汉"),
        ("汉族", "汉"),
        ("维吾尔", "维吾尔"),
        ("维吾东", "维吾尔"),
        ("柯尔克孜", "柯尔克孜"),
        ("柯尔克致", "柯尔克孜"),
        ("", None),
        ("abc", None),
    ],
)
def test_ethnicity_snaps_to_the_56_groups(text: str, want: str | None) -> None:
    assert snap_ethnicity(text) == want


@pytest.mark.parametrize(
    ("text", "number", "want"),
    [
        ("湖北省武汉市江汉区解放大道1024号", None, "湖北省武汉市江汉区解放大道1024号"),
        ("湖北省武汊市江汉区解放大道1024号", None, "湖北省武汉市江汉区解放大道1024号"),
        ("江西省座漂市贵溪市长江大街731号", None, "江西省鹰潭市贵溪市长江大街731号"),  # city from its county
        ("湖北省武汉市江汊区解放大道1024号", None, "湖北省武汉市江汊区解放大道1024号"),  # 江汉/江夏 tie: left alone
        ("湖北省武汉市江汊区解放大道1024号", "420103198001010011", "湖北省武汉市江汉区解放大道1024号"),
        ("四川省雅安市芦山县光明路421号10栋1单元2804宣", None, "四川省雅安市芦山县光明路421号10栋1单元2804室"),
        ("北京市东城区景山前街4号", None, "北京市东城区景山前街4号"),
        ("不是地址", None, "不是地址"),
    ],
)
def test_address_prefix_uses_official_division_names(text: str, number: str | None, want: str) -> None:
    assert correct_address(text, number) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("府谷县公安局", "府谷县公安局"),
        ("府谷昙公安局", "府谷县公安局"),
        ("武汉市公安局江汉分局", "武汉市公安局江汉分局"),
        ("承德市公安局双滦分局", "承德市公安局双滦分局"),
    ],
)
def test_issuing_authority(text: str, want: str) -> None:
    assert correct_authority(text) == want


def test_id_number_reading_that_passes_the_check_wins() -> None:
    got, _, seen = _pick_id_number([OcrText("42010619800825116I", 0.9), OcrText("420106198008251161", 0.8)])
    assert got == "420106198008251161" and seen == 18


def test_id_number_without_valid_reading_is_the_majority_and_stays_failing() -> None:
    got, conf, _ = _pick_id_number(
        [OcrText("420106198008251162", 0.9), OcrText("420106198008251162", 0.9), OcrText("420106198008251161", 0.2)]
    )
    assert got == "420106198008251161"  # the only reading with a valid check character
    got, conf, _ = _pick_id_number([OcrText("420106198008251162", 0.9), OcrText("42010619800825116", 0.9)])
    assert got == "420106198008251162" and conf < 0.9


def test_no_number_shape_no_number() -> None:
    assert _pick_id_number([OcrText("4201061980", 0.9)])[0] is None
