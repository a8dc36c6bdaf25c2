"""The agreement PDF: real fpdf2 rendering with a Debian CJK font, read back with poppler."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.integrations.signing.conftest import ID_NUMBER, sample


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "agreement.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def squash(text: str) -> str:
    return "".join(text.split())


EXPECTED = {
    "zh": [
        "信用卡领用合约",
        "张伟",
        "4201**********1161",
        "悦享经典金卡",
        "人民币20,000元",
        "18.25%",
        "0.05%",
        "人民币200元",
        "首年免年费",
        "2026年11月28日",
        "KK261128-7Q4MZP",
        "56天",
        "账单日后第20天",
        "以中文文本为准",
        "卡卡示范银行股份有限公司信用卡中心",
        "第1页，共2页",
    ],
    "en": [
        "CreditCardAgreement",
        "EmilyChen",
        "4201**********1161",
        "ClassicGold",
        "CNY20,000",
        "18.25%",
        "0.05%",
        "CNY200",
        "firstyearfree",
        "28November2026",
        "KK261128-7Q4MZP",
        "56days",
        "20daysafterthestatementdate",
        "theChineseversionprevails",
        "Page1of2",
    ],
}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_pdf_text_holds_the_expected_fields(var: Path, tmp_path: Path, language: str) -> None:
    from integrations.signing import render_agreement

    rendered = render_agreement(sample(language))
    assert rendered.pdf.startswith(b"%PDF-") and rendered.pages == 2
    text = squash(pdftotext(rendered.pdf, tmp_path))
    for expected in EXPECTED[language]:
        assert expected in text, expected
    assert ID_NUMBER not in text and ID_NUMBER[6:14] not in text  # only the masked ID, no birth date


@pytest.mark.parametrize(
    ("product", "limit", "expected"),
    [
        ("KK_TRAVEL", 100000, ["凌云航空联名卡", "人民币100,000元", "人民币600元"]),
        ("KK_STUDENT", 500, ["青春校园卡", "人民币500元", "终身免年费"]),
        ("KK_PLATINUM", 300000, ["尊享白金卡", "人民币300,000元", "人民币2,000元"]),
    ],
)
def test_product_terms_come_from_the_catalog(
    var: Path, tmp_path: Path, product: str, limit: int, expected: list[str]
) -> None:
    from integrations.signing import render_agreement

    text = squash(pdftotext(render_agreement(sample(product_code=product, credit_limit=limit)).pdf, tmp_path))
    for item in expected:
        assert item in text, item


def test_rendering_is_deterministic_and_the_hash_is_of_the_bytes(var: Path) -> None:
    import hashlib

    from integrations.signing import render_agreement

    a, b = render_agreement(sample()), render_agreement(sample())
    assert a.pdf == b.pdf and a.sha256 == hashlib.sha256(a.pdf).hexdigest()
    assert render_agreement(sample(credit_limit=30000)).sha256 != a.sha256


def test_pages_render_to_images_with_the_cjk_font_embedded(var: Path, tmp_path: Path) -> None:
    from PIL import Image

    from integrations.signing import render_agreement

    path = tmp_path / "a.pdf"
    path.write_bytes(render_agreement(sample()).pdf)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    assert "WenQuanYi" in fonts or "Noto" in fonts
    assert " yes yes yes " in fonts  # embedded, subset, with a Unicode map
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2
    for page in pages:
        gray = Image.open(page).convert("L")
        dark = sum(1 for px in gray.getdata() if px < 128)
        assert dark > 500, page  # text was drawn, not blank pages


def test_a_rare_character_falls_back_to_the_full_font(var: Path, tmp_path: Path) -> None:
    from integrations.signing import render_agreement
    from integrations.signing.fonts import font_for

    name = "王喆堃"  # 喆 and 堃 are outside GB 2312
    assert not font_for(name).reduced and font_for("张伟").reduced
    text = squash(pdftotext(render_agreement(sample(applicant_name=name)).pdf, tmp_path))
    assert name in text


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"product_code": "KK_NOPE"}, "unknown_product"),
        ({"credit_limit": 999_999}, "bad_limit"),
        ({"credit_limit": 100}, "bad_limit"),
        ({"credit_limit": 2000.5}, "bad_limit"),
        ({"language": "fr"}, "bad_language"),
    ],
)
def test_bad_inputs_are_refused_with_a_code(var: Path, changes: dict, code: str) -> None:
    from integrations.signing import AgreementError, render_agreement

    with pytest.raises(AgreementError) as err:
        render_agreement(sample(**changes))
    assert err.value.code == code


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_chat_summary_and_key_terms(var: Path, language: str) -> None:
    from integrations.signing import key_terms, key_terms_summary

    summary = key_terms_summary(sample(language))
    for item in (
        ["人民币20,000元", "200元", "日利率0.05%", "18.25%", "第20天"]
        if language == "zh"
        else ["CNY 20,000", "CNY 200", "0.05% a day", "18.25% a year", "20 days"]
    ):
        assert item in summary, item
    terms = key_terms(sample(language))
    assert len(terms) == 11 and any("20,000" in v for v in terms.values())


def test_a_missing_font_is_reported(var: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from integrations.signing.config import get_signing_settings
    from integrations.signing.fonts import FontUnavailable, source_font

    monkeypatch.setenv("KAIKA_SIGNING_FONT_PATH", "/nonexistent/font.ttc")
    get_signing_settings.cache_clear()
    with pytest.raises(FontUnavailable) as err:
        source_font()
    assert err.value.code == "no_cjk_font"
