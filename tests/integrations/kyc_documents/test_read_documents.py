"""Reading generated document photos end to end with the real Tesseract, and refusing bad input.

The photos come from bench.idcard_gen (the benchmark's generator): fixed seeds, so the same
pixels every run. The benchmark (bench/ocr.py) measures accuracy on hundreds of photos; these
tests pin down behaviour on a few.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Sequence
from datetime import date

import pytest
from PIL import Image

from integrations.kyc import const, images
from integrations.kyc.documents import DocumentReading, DocumentRejected, read_document
from integrations.kyc.ocr import LineRequest, OcrError, OcrText

from .conftest import blurred, cat_photo, jpeg, sample

TODAY = date(2025, 6, 1)  # the generator's "today"


def read(kind: str, variant: str, seed: int, **kw: object) -> DocumentReading:
    return read_document(sample(kind, variant, seed).data, today=TODAY, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "variant", "seed"),
    [
        (const.CN_ID_FRONT, "clean", 1),
        (const.CN_ID_FRONT, "table", 0),  # perspective, wood, uneven light
        (const.CN_ID_BACK, "clean", 0),
        (const.CN_ID_BACK, "clean", 2),  # valid_to 长期 (issued after 45)
        (const.CN_ID_BACK, "rotated", 1),
        (const.PASSPORT, "clean", 0),
        (const.PASSPORT, "table", 1),
        (const.MRZ_ID_CARD, "clean", 1),  # ICAO TD1, three MRZ lines
    ],
)
def test_every_field_is_read_exactly(kind: str, variant: str, seed: int) -> None:
    reading = read(kind, variant, seed)
    truth = sample(kind, variant, seed).truth
    assert reading.document_type == kind
    assert {k: reading.fields.get(k) for k in truth} == truth
    assert 0.0 < reading.confidence <= 1.0 and reading.seconds > 0


def test_long_term_back_reads_changqi() -> None:
    reading = read(const.CN_ID_BACK, "clean", 2)
    assert reading.fields[const.VALID_TO] == const.LONG_TERM
    assert {c.name: c.passed for c in reading.checks} == {
        const.CHECK_NOT_EXPIRED: True,
        const.CHECK_VALIDITY_PERIOD: True,
    }


def test_front_checks_and_typed_name() -> None:
    s = sample(const.CN_ID_FRONT, "clean", 1)
    typed = str(s.truth[const.NAME])
    reading = read_document(s.data, typed_name=typed, today=TODAY)
    got = {c.name: (c.passed, c.detail) for c in reading.checks}
    assert got == {
        const.CHECK_ID_CHECKSUM: (True, const.OK),
        const.CHECK_ID_BIRTH: (True, const.OK),
        const.CHECK_ID_SEX: (True, const.OK),
        const.CHECK_REGION: (True, const.OK),
        const.CHECK_NAME_MATCH: (True, const.EXACT),
    }
    other = read_document(s.data, typed_name="司马相如", today=TODAY)
    assert {c.name: c.detail for c in other.checks}[const.CHECK_NAME_MATCH] == const.DIFFERENT_PERSON


def test_passport_checks_include_every_mrz_digit_and_expiry() -> None:
    reading = read(const.PASSPORT, "clean", 0)
    assert reading.fields[const.MRZ_VALID] is True
    got = {c.name: c.passed for c in reading.checks}
    assert got == {const.CHECK_MRZ_DIGITS: True, const.CHECK_NOT_EXPIRED: True}
    later = read_document(sample(const.PASSPORT, "clean", 0).data, today=date(2040, 1, 1))
    assert {c.name: c.detail for c in later.checks}[const.CHECK_NOT_EXPIRED] == const.EXPIRED


def test_json_shape_uses_the_stable_names() -> None:
    out = read(const.CN_ID_FRONT, "clean", 1).as_dict()
    assert out["document_type"] == "cn_id_front"
    assert set(const.FRONT_FIELDS) <= set(out)
    assert {"checks", "seconds", "confidence"} <= set(out)
    assert all(set(c) == {"name", "passed", "detail"} for c in out["checks"])  # type: ignore[union-attr]


def test_upside_down_card_is_turned() -> None:
    s = sample(const.CN_ID_FRONT, "clean", 2)
    upside = jpeg(Image.open(io.BytesIO(s.data)).rotate(180))
    reading = read_document(upside, today=TODAY)
    assert reading.document_type == const.CN_ID_FRONT
    assert reading.fields[const.ID_NUMBER] == s.truth[const.ID_NUMBER]


def _png_header_only(w: int, h: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def _bad_inputs() -> list[tuple[str, bytes, str]]:
    photo = sample(const.CN_ID_FRONT, "clean", 1).data
    white = jpeg(Image.new("RGB", (1000, 700), (250, 250, 250)))
    return [
        ("not-an-image", b"hello, this is text, not a picture", images.NOT_IMAGE),
        ("empty", b"", images.NOT_IMAGE),
        ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", images.PDF),
        ("truncated-jpeg", photo[: len(photo) // 2], images.TRUNCATED),
        ("50MB", b"\xff\xd8\xff\xe0" + b"\x00" * (50 * 1024 * 1024), images.TOO_LARGE),
        ("20000x20000-bomb", _png_header_only(20_000, 20_000), images.BOMB),
        ("tiny", jpeg(Image.new("RGB", (150, 100), (200, 200, 200))), images.TOO_SMALL),
        ("cat", cat_photo(), const.NO_DOCUMENT),
        ("blank-page", white, const.NO_DOCUMENT),
        ("too-blurry", blurred(photo, 7.0), const.TOO_BLURRY),
    ]


@pytest.mark.parametrize(
    ("data", "code"), [(d, c) for _, d, c in _bad_inputs()], ids=[name for name, _, _ in _bad_inputs()]
)
def test_bad_input_gets_a_code_never_a_crash(data: bytes, code: str) -> None:
    with pytest.raises(DocumentRejected) as err:
        read_document(data, today=TODAY)
    assert err.value.code == code


class _BrokenEngine:
    name = "broken"

    def read_lines(self, requests: Sequence[LineRequest]) -> list[OcrText]:
        raise OcrError("tesseract_missing")


class _BlindEngine:
    name = "blind"

    def read_lines(self, requests: Sequence[LineRequest]) -> list[OcrText]:
        return [OcrText("", 0.0) for _ in requests]


def test_missing_ocr_engine_is_a_server_problem_not_the_photo() -> None:
    with pytest.raises(DocumentRejected) as err:
        read_document(sample(const.CN_ID_FRONT, "clean", 1).data, engine=_BrokenEngine())
    assert err.value.code == const.OCR_UNAVAILABLE


def test_a_card_whose_text_cannot_be_read_is_not_passed() -> None:
    with pytest.raises(DocumentRejected) as err:
        read_document(sample(const.CN_ID_FRONT, "clean", 1).data, engine=_BlindEngine())
    assert err.value.code in (const.UNREADABLE, const.NO_DOCUMENT)
