"""The OCR port: the Tesseract adapter on real rendered lines, engine choice, script routing."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from PIL import Image, ImageDraw, ImageFont

from integrations.kyc.ocr import LineRequest, LineSpec, OcrError, OcrText, ScriptRouter, make_engine
from integrations.kyc.ocr.tesseract import TesseractEngine

NOTO = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def line(text: str, size: int = 34) -> Image.Image:
    font = ImageFont.truetype(NOTO, size, index=2)
    w = int(font.getlength(text)) + 30
    img = Image.new("L", (w, size + 24), 255)
    ImageDraw.Draw(img).text((15, 4), text, font=font, fill=0)
    return img


def test_tesseract_reads_lines_in_order_with_per_line_settings() -> None:
    engine = TesseractEngine()
    reqs = [
        LineRequest(line("湖北省武汉市江汉区"), LineSpec("zh")),
        LineRequest(line("42010619800825116X"), LineSpec("latin", "0123456789X")),
        LineRequest(line("张伟"), LineSpec("zh")),
        LineRequest(line("P<UTOERIKSSON"), LineSpec("latin", "ABCDEFGHIJKLMNOPQRSTUVWXYZ<")),
    ]
    out = engine.read_lines(reqs)
    assert [o.text.replace(" ", "") for o in out] == [
        "湖北省武汉市江汉区",
        "42010619800825116X",
        "张伟",
        "P<UTOERIKSSON",
    ]
    assert all(0.5 < o.confidence <= 1.0 for o in out)
    assert engine.read_lines([]) == []


def test_blank_line_is_not_an_error_and_has_no_confidence() -> None:
    # (the reader never sends one: lines are cut where there is ink)
    out = TesseractEngine().read_lines([LineRequest(Image.new("L", (200, 60), 255), LineSpec("zh"))])
    assert len(out) == 1 and out[0].confidence < 0.1


def test_whitelist_may_not_smuggle_options() -> None:
    with pytest.raises(ValueError):
        TesseractEngine().read_lines([LineRequest(line("12"), LineSpec("latin", "12 -c x=y"))])


class _Echo:
    def __init__(self, name: str) -> None:
        self.name = name

    def read_lines(self, requests: Sequence[LineRequest]) -> list[OcrText]:
        return [OcrText(f"{self.name}:{r.spec.script}", 1.0) for r in requests]


def test_script_router_sends_each_line_to_its_engine_in_order() -> None:
    router = ScriptRouter(zh=_Echo("a"), latin=_Echo("b"))
    img = Image.new("L", (10, 10), 255)
    out = router.read_lines(
        [LineRequest(img, LineSpec("latin")), LineRequest(img, LineSpec("zh")), LineRequest(img, LineSpec("latin"))]
    )
    assert [o.text for o in out] == ["b:latin", "a:zh", "b:latin"]
    assert router.name == "a+b"


def test_engine_choice() -> None:
    assert make_engine("tesseract").name == "tesseract"
    with pytest.raises(OcrError):
        make_engine("no-such-engine")
    assert make_engine("rapidocr").name == "rapidocr"  # installed by requirements.txt
    assert make_engine("hybrid").name == "rapidocr+tesseract"


def test_default_engine_is_rapidocr_unless_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    from integrations.kyc.ocr import default_engine

    for env, expected in (("", "rapidocr"), ("tesseract", "tesseract"), ("Hybrid", "rapidocr+tesseract")):
        monkeypatch.setenv("KAIKA_OCR_ENGINE", env)
        default_engine.cache_clear()
        assert default_engine().name == expected
    monkeypatch.setenv("KAIKA_OCR_ENGINE", "abbyy")
    default_engine.cache_clear()
    with pytest.raises(OcrError):
        default_engine()
    default_engine.cache_clear()
