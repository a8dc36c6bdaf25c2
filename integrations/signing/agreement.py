"""Render the card agreement PDF (Chinese or English) from ``templates/agreement.yml``.

Everything a reader sees comes from the template and the product catalog; this module only
fills placeholders and lays the page out (A4, a title band, two tables, numbered clauses, a
signature block, a footer with version, reference and page numbers). The ID number is always
masked before it reaches the page. Rendering is deterministic: the same data and date give
byte-identical PDFs, so the document hash can be recorded before signing and checked after.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from fpdf import FPDF, FontFace
from fpdf.enums import Align, TableBordersLayout, TableCellFillMode, WrapMode, XPos, YPos
from fpdf.fonts import TTFFont

from bot.catalog import Card, get_catalog
from integrations.signing import const
from integrations.signing.fonts import font_for
from nlu.parsers.idcard import mask_id_number

TEMPLATE_PATH = Path(__file__).resolve().parent / "templates" / const.TEMPLATE_FILE

INK = (33, 37, 41)
ACCENT = (150, 20, 40)  # the bank's red
MUTED = (108, 117, 125)
RULE = (222, 226, 230)
BAND = (248, 240, 241)
STRIPE = (250, 246, 247)
MAX_NAME_CHARS = 60


class AgreementError(ValueError):
    """The agreement cannot be rendered from these inputs; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class AgreementData:
    """What the agreement is about. ``id_number`` may be given in full: only its mask is printed."""

    reference: str
    applicant_name: str
    id_number: str
    product_code: str
    credit_limit: int
    language: str = "zh"
    agreement_date: dt.date | None = None  # default: today (UTC)


@dataclass(frozen=True)
class RenderedAgreement:
    pdf: bytes
    sha256: str
    language: str
    version: str
    pages: int


@lru_cache(maxsize=1)
def load_template() -> dict[str, Any]:
    with TEMPLATE_PATH.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def _num(value: float) -> str:
    """18.25 -> "18.25", 0.05 -> "0.05", 50000 -> "50,000"."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:g}"


def _date(day: dt.date, language: str) -> str:
    if language == "en":
        return f"{day.day} {load_template()['months_en'][day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def _card(data: AgreementData) -> Card:
    card = get_catalog().get(data.product_code)
    if card is None:
        raise AgreementError(const.UNKNOWN_PRODUCT)
    return card


def _check(data: AgreementData) -> Card:
    if data.language not in const.LANGUAGES:
        raise AgreementError(const.BAD_LANGUAGE)
    card = _card(data)
    if not isinstance(data.credit_limit, int) or not card.limit_min <= data.credit_limit <= card.limit_max:
        raise AgreementError(const.BAD_LIMIT)
    return card


def _day(data: AgreementData) -> dt.date:
    return data.agreement_date or dt.datetime.now(dt.timezone.utc).date()


def fill_values(data: AgreementData) -> dict[str, str]:
    """The placeholder values, formatted for the agreement's language."""
    card = _check(data)
    lang = data.language
    tpl = load_template()
    rates = get_catalog().interest
    masked = data.id_number if "*" in data.id_number else mask_id_number(data.id_number.strip().upper())
    return {
        "reference": data.reference,
        "applicant": " ".join(data.applicant_name.split())[:MAX_NAME_CHARS],
        "id_number": masked,
        "issuer": tpl["issuer"][lang],
        "product": card.name(lang),
        "network": card.network,
        "credit_limit": _num(data.credit_limit),
        "annual_fee": _num(card.annual_fee),
        "fee_waiver": card.text("annual_fee_waiver", lang),
        "benefits": card.text("benefits", lang),
        "daily_rate": _num(rates["daily_rate_percent"]),
        "apr": _num(rates["apr_percent"]),
        "interest_free_days": _num(rates["interest_free_days_max"]),
        "repayment_days": _num(rates["repayment_days_after_statement"]),
        "minimum_payment": _num(rates["minimum_payment_percent"]),
        "late_fee": _num(rates["late_fee_percent_of_minimum_unpaid"]),
        "cash_advance_fee": _num(rates["cash_advance_fee_percent"]),
        "cash_advance_min": _num(rates["cash_advance_fee_min"]),
        "fx_fee": _num(rates["foreign_transaction_fee_percent"]),
        "date": _date(_day(data), lang),
        "version": str(tpl["version"]),
        "currency": get_catalog().currency,
    }


def _text(node: Any, lang: str, values: dict[str, str]) -> str:
    """A template node (a string, or {zh, en}) in ``lang`` with placeholders filled."""
    raw = node[lang] if isinstance(node, dict) else node
    return str(raw).format(**values)


_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t\n]+|[ \t\n]+(?=[\u3000-\u9fff\uff00-\uffef])")


def _tidy(text: str) -> str:
    """Collapse the spaces YAML folding leaves, and drop those next to CJK characters."""
    return _CJK_SPACE.sub("", " ".join(text.split(" ")).replace("\n", " ")).strip()


def key_terms_summary(data: AgreementData) -> str:
    """The plain-language summary the assistant shows before asking for "I agree" (from the
    template, in the agreement's language)."""
    return _tidy(_text(load_template()["summary"], data.language, fill_values(data)))


def signature_text(key: str, language: str) -> str:
    """Text PDF readers show with the signature (reason, location, attachment description)."""
    return str(load_template()["signature"][key][language])


def key_terms(data: AgreementData) -> dict[str, str]:
    """The key terms as label -> value, in the agreement's language (for a chat card/table)."""
    values = fill_values(data)
    lang = data.language
    return {_text(t["label"], lang, values): _text(t["value"], lang, values) for t in load_template()["terms"]}


class _AgreementPDF(FPDF):
    footer_text: str = ""
    footer_values: dict[str, str]

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("cjk", size=7.5)
        self.set_text_color(*MUTED)
        values = {**self.footer_values, "page": str(self.page_no()), "pages": "{nb}"}
        self.cell(0, 5, self.footer_text.format(**values), align=Align.C)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    if pdf.will_page_break(16):
        pdf.add_page()
    pdf.set_font("cjk", size=12.5)
    pdf.set_text_color(*ACCENT)
    pdf.set_fill_color(*BAND)
    pdf.cell(0, 8.5, f"  {text}", fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.5)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
    pdf.ln(2.5)
    pdf.set_text_color(*INK)


def _table(pdf: FPDF, rows: list[tuple[str, str]], wrap: WrapMode, label_width: float) -> None:
    pdf.set_font("cjk", size=9.5)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    label_style = FontFace(color=MUTED)
    with pdf.table(
        col_widths=(label_width, pdf.epw - label_width),
        first_row_as_headings=False,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        text_align=(Align.L, Align.L),
        line_height=5.6,
        padding=(1.6, 2, 1.6, 2),
        wrapmode=wrap,
        cell_fill_color=STRIPE,
        cell_fill_mode=TableCellFillMode.ROWS,
    ) as table:
        for label, value in rows:
            row = table.row()
            row.cell(label, style=label_style)
            row.cell(value)


def _signature_block(pdf: FPDF, tpl: dict[str, Any], lang: str, values: dict[str, str]) -> None:
    if pdf.will_page_break(48):
        pdf.add_page()
    gap = 8.0
    width = (pdf.epw - gap) / 2
    top = pdf.get_y() + 2
    for i, box in enumerate((tpl["applicant_box"], tpl["bank_box"])):
        x = pdf.l_margin + i * (width + gap)
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.3)
        pdf.rect(x, top, width, 34)
        pdf.set_xy(x + 4, top + 3)
        pdf.set_font("cjk", size=8.5)
        pdf.set_text_color(*MUTED)
        pdf.cell(width - 8, 5, _text(box["title"], lang, values), new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_text_color(*INK)
        for j, line in enumerate(box["lines"]):
            pdf.set_font("cjk", size=11 if j == 0 else 8.5)
            pdf.set_x(x + 4)
            pdf.multi_cell(
                width - 8,
                5.5 if j == 0 else 4.6,
                _text(line, lang, values),
                align=Align.L,
                new_x=XPos.LEFT,
                new_y=YPos.NEXT,
                wrapmode=WrapMode.CHAR if lang == "zh" else WrapMode.WORD,
            )
            pdf.ln(0.8)
    pdf.set_xy(pdf.l_margin, top + 38)
    pdf.set_font("cjk", size=9.5)
    pdf.cell(0, 6, _text(tpl["sign_date"], lang, values), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def render_agreement(data: AgreementData) -> RenderedAgreement:
    """The agreement as PDF bytes (unsigned), with its SHA-256."""
    tpl = load_template()
    values = fill_values(data)
    lang = data.language
    wrap = WrapMode.CHAR if lang == "zh" else WrapMode.WORD
    every_text = "".join(values.values()) + yaml.safe_dump(tpl, allow_unicode=True)
    font = font_for(every_text)

    pdf = _AgreementPDF(orientation="P", unit="mm", format="A4")
    pdf.footer_text = tpl["footer"][lang]
    pdf.footer_values = values
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("cjk", fname=str(font.path), collection_font_number=font.number)
    # The glyphs' bounding boxes are already right; recomputing them while fpdf2 subsets the font
    # would re-encode every glyph (about half of the rendering time).
    cjk = pdf.fonts["cjk"]
    if isinstance(cjk, TTFFont):
        cjk.ttfont.recalcBBoxes = False
    day = _day(data)
    pdf.set_creation_date(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc))
    pdf.set_lang("zh-CN" if lang == "zh" else "en")
    pdf.set_title(_text(tpl["title"], lang, values))
    pdf.set_author(values["issuer"])
    pdf.set_subject(f"{values['reference']} {values['version']}")
    pdf.set_creator("kaika")
    pdf.set_producer("kaika")
    pdf.add_page()

    # Title band
    pdf.set_fill_color(*ACCENT)
    pdf.rect(0, 0, pdf.w, 5, style="F")
    pdf.set_y(14)
    pdf.set_font("cjk", size=21)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 11, _text(tpl["title"], lang, values), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("cjk", size=9)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        0, 4.8, _text(tpl["subtitle"], lang, values), align=Align.C, wrapmode=wrap, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_font("cjk", size=9)
    pdf.cell(0, 6, values["issuer"], align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)

    label_width = 34 if lang == "zh" else 44
    _heading(pdf, _text(tpl["parties_heading"], lang, values))
    _table(
        pdf,
        [(_text(p["label"], lang, values), _text(p["value"], lang, values)) for p in tpl["parties"]],
        wrap,
        label_width,
    )

    _heading(pdf, _text(tpl["terms_heading"], lang, values))
    pdf.set_font("cjk", size=9)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 5, _text(tpl["terms_note"], lang, values), wrapmode=wrap, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.set_text_color(*INK)
    _table(
        pdf,
        [(_text(t["label"], lang, values), _text(t["value"], lang, values)) for t in tpl["terms"]],
        wrap,
        label_width,
    )

    _heading(pdf, _text(tpl["clauses_heading"], lang, values))
    for clause in tpl["clauses"]:
        if pdf.will_page_break(20):
            pdf.add_page()
        pdf.set_font("cjk", size=10.5)
        pdf.set_text_color(*ACCENT)
        pdf.cell(0, 7, _text(clause["heading"], lang, values), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("cjk", size=9.5)
        pdf.set_text_color(*INK)
        body = _tidy(_text(clause["body"], lang, values))
        pdf.multi_cell(0, 5.4, body, align=Align.J, wrapmode=wrap, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.8)

    _heading(pdf, _text(tpl["signatures_heading"], lang, values))
    _signature_block(pdf, tpl, lang, values)

    raw = bytes(pdf.output())
    return RenderedAgreement(
        pdf=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        language=lang,
        version=values["version"],
        pages=pdf.pages_count,
    )
