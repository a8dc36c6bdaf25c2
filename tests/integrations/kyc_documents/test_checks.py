"""Cross-checks of what a document says: GB 11643, the number vs the printed facts, regions,
validity, and whether the name read belongs to the person who typed theirs."""

from __future__ import annotations

from datetime import date

import pytest

from integrations.kyc import checks, const

# GB 11643-1999's own worked example (check character X) and a number ending in a digit.
STANDARD = "11010519491231002X"
WUHAN = "420106198008251161"


@pytest.mark.parametrize(
    ("number", "passed", "detail"),
    [
        (STANDARD, True, const.OK),
        (WUHAN, True, const.OK),
        ("110105194912310021", False, const.BAD_CHECK_DIGIT),
        ("11010519491231002", False, const.INVALID_NUMBER),
        ("1101051949123100XX", False, const.INVALID_NUMBER),
        (None, False, const.MISSING),
    ],
)
def test_gb11643_check_character(number: str | None, passed: bool, detail: str) -> None:
    c = checks.id_checksum(number)
    assert (c.name, c.passed, c.detail) == (const.CHECK_ID_CHECKSUM, passed, detail)


@pytest.mark.parametrize(
    ("printed_birth", "printed_sex", "birth_ok", "sex_ok"),
    [("1949-12-31", "F", True, True), ("1949-12-30", "F", False, True), ("1949-12-31", "M", True, False)],
)
def test_birth_date_and_sex_inside_the_number_agree_with_the_printed_ones(
    printed_birth: str, printed_sex: str, birth_ok: bool, sex_ok: bool
) -> None:
    # ...002X: sequence 002 is even, so the standard's example person is a woman
    assert checks.id_birth_date(STANDARD, printed_birth).passed is birth_ok
    assert checks.id_sex(STANDARD, printed_sex).passed is sex_ok
    assert checks.id_sex(WUHAN, "F").passed  # ...116: even


@pytest.mark.parametrize(
    ("code", "known"),
    [
        ("110105", True),  # 北京市朝阳区
        ("420106", True),  # 武汉市武昌区
        ("110103", True),  # 崇文区: merged into 东城区 in 2010, still on older cards
        ("440401", True),  # 珠海市 "市辖区" code: on real cards, in no published list
        ("420199", False),
        ("999999", False),
        ("12345", False),
    ],
)
def test_region_code_is_a_real_administrative_division(code: str, known: bool) -> None:
    assert checks.region_known(code) is known


def test_region_names_follow_the_year() -> None:
    assert checks.region_name("120110", 1985) == "东郊区"
    assert checks.region_name("120110", 2000) == "东丽区"


@pytest.mark.parametrize(
    ("valid_to", "passed", "detail"),
    [
        ("2030-01-01", True, const.OK),
        ("2025-06-01", True, const.OK),
        ("2025-05-31", False, const.EXPIRED),
        (const.LONG_TERM, True, const.OK),
        (None, False, const.MISSING),
        ("2025-13-01", False, const.MISSING),
    ],
)
def test_expiry(valid_to: str | None, passed: bool, detail: str) -> None:
    c = checks.not_expired(valid_to, date(2025, 6, 1))
    assert (c.passed, c.detail) == (passed, detail)


@pytest.mark.parametrize(
    ("start", "end", "passed"),
    [
        ("2015-08-25", "2035-08-25", True),
        ("2010-03-01", "2020-03-01", True),
        ("2012-02-29", "2017-02-28", True),
        ("2020-01-01", const.LONG_TERM, True),
        ("2015-08-25", "2036-08-25", False),
        ("2015-08-25", "2035-08-26", False),
    ],
)
def test_validity_period_is_one_the_law_allows(start: str, end: str, passed: bool) -> None:
    assert checks.validity_period(start, end).passed is passed


@pytest.mark.parametrize(
    ("read", "typed", "passed", "detail"),
    [
        ("张伟", "张伟", True, const.EXACT),
        ("张伟", "我叫张伟", False, const.DIFFERENT_PERSON),  # the dialogue passes the parsed name
        ("王己明", "王已明", True, const.OCR_CONFUSION),  # 己/已: one short stroke
        ("玉小明", "王小明", True, const.OCR_CONFUSION),
        ("张伟", "张玮", False, const.DIFFERENT_PERSON),  # a different character
        ("张伟", "张伟伟", False, const.DIFFERENT_PERSON),
        ("己未明", "已末明", False, const.DIFFERENT_PERSON),  # two slips in a 3-character name: too many
        ("买买提·艾力", "买买提•艾力", True, const.EXACT),
        ("CHEN EMILY", "Emily Chen", True, const.EXACT),
        ("CHEN EMILY", "Chen Emily", True, const.EXACT),
        ("OCONNOR SEAN PATRICK", "Sean-Patrick O'Connor", True, const.EXACT),
        ("CHEN EM1LY", "Emily Chen", True, const.OCR_CONFUSION),
        ("CHEN EMMA", "Emily Chen", False, const.DIFFERENT_PERSON),
        ("ZHANG WEI", "张伟", True, const.EXACT),  # passport pinyin vs typed Han
        ("LYU XIAOMING", "吕小明", True, const.EXACT),
        ("LV XIAOMING", "吕小明", True, const.EXACT),
        ("SHAN TIANFANG", "单田芳", True, const.EXACT),  # polyphonic surname 单
        ("LI WEI", "张伟", False, const.DIFFERENT_PERSON),
        ("MUELLER JOSE", "José Müller", True, const.EXACT),
        (None, "张伟", False, const.MISSING),
        ("张伟", "", False, const.MISSING),
        ("ZHANG WEI", "123", False, const.NOT_COMPARABLE),
    ],
)
def test_name_read_vs_name_typed(read: str | None, typed: str, passed: bool, detail: str) -> None:
    assert checks.name_match(read, typed) == (passed, detail)


def test_front_checks_list() -> None:
    fields = {const.ID_NUMBER: WUHAN, const.BIRTH_DATE: "1980-08-25", const.SEX: "F", const.NAME: "张伟"}
    got = {c.name: c.passed for c in checks.front_checks(fields, typed_name="张伟")}
    assert got == {
        const.CHECK_ID_CHECKSUM: True,
        const.CHECK_ID_BIRTH: True,
        const.CHECK_ID_SEX: True,
        const.CHECK_REGION: True,
        const.CHECK_NAME_MATCH: True,
    }
    assert all(c.detail == const.MISSING for c in checks.front_checks({}, typed_name=None) if not c.passed)


def test_reference_tables_load() -> None:
    assert len(checks.ethnicities()) == 56 and checks.ethnicities()[0] == "汉"
    assert checks.starts_with_surname("欧阳娜娜") and checks.starts_with_surname("王伟")
    assert not checks.starts_with_surname("雇鸣凤")
    assert ("己", "已") in checks.confusables() and ("已", "己") in checks.confusables()
