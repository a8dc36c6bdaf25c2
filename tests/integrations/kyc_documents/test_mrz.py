"""ICAO 9303 machine-readable zones: the standard's specimens, every check digit, OCR slips."""

from __future__ import annotations

from datetime import date

import pytest

from integrations.kyc import mrz

TODAY = date(2010, 1, 1)
# ICAO Doc 9303 part 4 (TD3) and part 5 (TD1) specimen documents of "Utopia".
TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
TD1 = ("I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")


@pytest.mark.parametrize(
    ("data", "digit"),
    [
        ("L898902C3", "6"),
        ("740812", "2"),
        ("120415", "9"),
        ("ZE184226B<<<<<", "1"),
        ("D23145890", "7"),
        ("520727", "3"),
        ("<<<<<<", "0"),
    ],
)
def test_check_digits_of_the_specimens(data: str, digit: str) -> None:
    assert mrz.check_digit(data) == digit


def test_td3_specimen_parses_and_every_check_digit_verifies() -> None:
    m = mrz.parse(list(TD3), today=TODAY)
    assert m is not None and m.format == "TD3" and m.valid
    assert (m.document_code, m.issuing_state, m.document_number) == ("P", "UTO", "L898902C3")
    assert (m.surname, m.given_names, m.nationality, m.sex) == ("ERIKSSON", "ANNA MARIA", "UTO", "F")
    assert (m.birth_date, m.expiry_date) == (date(1974, 8, 12), date(2012, 4, 15))
    assert m.optional_data == "ZE184226B"
    assert set(m.checks) == {"document_number", "birth_date", "expiry_date", "optional_data", "composite"}


def test_td1_specimen_parses_and_every_check_digit_verifies() -> None:
    m = mrz.parse(list(TD1), today=TODAY)
    assert m is not None and m.format == "TD1" and m.valid
    assert (m.document_code, m.document_number, m.surname, m.given_names) == (
        "I",
        "D23145890",
        "ERIKSSON",
        "ANNA MARIA",
    )
    assert set(m.checks) == {"document_number", "birth_date", "expiry_date", "composite"}


@pytest.mark.parametrize(
    ("line2", "broken"),
    [
        ("L898902C37UTO7408122F1204159ZE184226B<<<<<10", "document_number"),
        ("L898902C36UTO7408123F1204159ZE184226B<<<<<10", "birth_date"),
        ("L898902C36UTO7408122F1204158ZE184226B<<<<<10", "expiry_date"),
        ("L898902C36UTO7408122F1204159ZE184226B<<<<<20", "optional_data"),
        ("L898902C36UTO7408122F1204159ZE184226B<<<<<11", "composite"),
    ],
)
def test_a_wrong_check_digit_is_a_misread_not_an_answer(line2: str, broken: str) -> None:
    m = mrz.parse([TD3[0], line2], today=TODAY)
    assert m is not None and not m.valid
    assert m.checks[broken] is False


def test_ocr_letter_digit_slips_are_repaired_where_the_position_says_digit() -> None:
    # O for 0 in the dates and check digits, a lost filler at the end of line 1
    m = mrz.parse(
        ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<", "L898902C36UTO74O8122F12O4159ZE184226B<<<<<1O"], today=TODAY
    )
    assert m is not None and m.valid and m.lines == TD3


def test_a_look_alike_in_the_document_number_is_not_guessed_away() -> None:
    # the number may hold letters and digits: O for 0 there stays a misread (check digit fails)
    m = mrz.parse([TD3[0], "L8989O2C36UTO7408122F1204159ZE184226B<<<<<10"], today=TODAY)
    assert m is not None and m.document_number == "L8989O2C3" and not m.valid
    assert m.checks["document_number"] is False


def test_long_td1_document_number_continues_in_optional_data() -> None:
    number = "D23145890123"
    cd = mrz.check_digit(number)
    line1 = ("I<UTO" + number[:9] + "<" + number[9:] + cd).ljust(30, "<")
    line2 = "7408122F1204159UTO<<<<<<<<<<<"
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    m = mrz.parse([line1, line2 + mrz.check_digit(composite), TD1[2]], today=TODAY)
    assert m is not None and m.document_number == number and m.valid


def test_compose_builds_the_specimens() -> None:
    assert (
        mrz.compose_td3(
            issuing_state="UTO",
            surname="ERIKSSON",
            given_names="ANNA MARIA",
            document_number="L898902C3",
            nationality="UTO",
            birth=date(1974, 8, 12),
            sex="F",
            expiry=date(2012, 4, 15),
            optional_data="ZE184226B",
        )
        == TD3
    )
    assert (
        mrz.compose_td1(
            issuing_state="UTO",
            surname="ERIKSSON",
            given_names="ANNA MARIA",
            document_number="D23145890",
            nationality="UTO",
            birth=date(1974, 8, 12),
            sex="F",
            expiry=date(2012, 4, 15),
        )
        == TD1
    )


@pytest.mark.parametrize("lines", [[], ["P<UTO"], ["abc", "def", "ghi", "jkl"], ["<" * 44] * 5])
def test_other_shapes_are_not_an_mrz(lines: list[str]) -> None:
    assert mrz.parse(lines, today=TODAY) is None
