"""Synthetic identity-document photos with known values, for the OCR benchmark and the tests.

    .venv/bin/python -m bench.idcard_gen --out /tmp/cards [--n 3] [--seed 7]

Draws a Chinese resident ID card (front and back, layout of the second-generation card,
85.6 x 54 mm) or a passport data page (125 x 88 mm, ICAO TD3 machine-readable zone in OCR-B)
from a template with values chosen at random but consistent (a real region code and its
address, a valid GB 11643 number, a validity period that follows the law's 5/10/20-year rule,
a valid MRZ), then photographs it in one of these conditions:

    clean     card on a plain surface, square to the camera, good light, JPEG 92
    rotated   turned 3-10 degrees either way
    blurred   out of focus (Gaussian blur, sigma 1.2-2.0 px at a 900 px wide card)
    noisy     sensor noise (sigma 10-18) in dim light
    lowres    small in the frame: the card is only 430-520 px wide
    jpeg      heavily compressed (quality 12-25)
    table     on a wooden table, photographed at an angle: perspective, uneven light, mild blur

Fonts come from Debian packages: Noto Sans CJK / WenQuanYi Micro Hei (fonts-noto-cjk,
fonts-wqy-microhei) and OCR-B (fonts-ocr-b). The portrait is a drawn silhouette, the emblem
a plain red seal: nothing here is a real person or a real document.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from integrations.kyc import const, mrz
from nlu.parsers.idcard import check_digit

VARIANTS = ("clean", "rotated", "blurred", "noisy", "lowres", "jpeg", "table")
KINDS = (const.CN_ID_FRONT, const.CN_ID_BACK, const.PASSPORT)

NOTO_SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
NOTO_SANS_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
OCRB = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"
SC_INDEX = 2  # "Noto Sans CJK SC" inside the collection

PX_MM = 20  # cards are drawn at 20 px/mm, then photographed

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
    "莫孔向汤"
)
COMPOUND = ["欧阳", "司马", "诸葛", "上官", "东方", "慕容"]
GIVEN = list(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国志红文辉力鹏飞宇浩然子涵梓轩欣怡雨晨思远"
    "博文佳琪嘉怡俊杰晓东海燕春梅丹凤玉兰德明永庆晨阳家豪婷婷雪梅秋菊金凤立新宏伟振华少华晓明小龙一鸣"
)
UYGHUR = [("买买提", "艾力"), ("阿卜杜", "热合曼"), ("古丽", "努尔"), ("艾买提", "吐尔逊"), ("热依拉", "阿不都")]
ROADS = [
    "解放",
    "人民",
    "中山",
    "建设",
    "和平",
    "胜利",
    "文化",
    "新华",
    "长江",
    "黄河",
    "光明",
    "幸福",
    "东风",
    "友谊",
    "青年",
    "北京",
    "南京",
    "朝阳",
    "学府",
    "滨江",
    "花园",
    "工农",
    "五一",
    "团结",
    "振兴",
    "红旗",
]
ROAD_TYPES = ["路", "大道", "街", "大街"]
TOWNS = ["城关镇", "新城镇", "龙泉镇", "清河乡", "石桥镇", "黄山乡", "太平镇", "永安镇", "白沙镇", "金山乡"]
VILLAGES = ["幸福村", "红星村", "新华村", "东风村", "团结村", "前进村", "光明村", "和平村"]
LATIN_SURNAMES = [
    "SMITH",
    "MUELLER",
    "GARCIA",
    "TANAKA",
    "NGUYEN",
    "OKAFOR",
    "JOHANSSON",
    "ROSSI",
    "KIM",
    "DUBOIS",
    "OCONNOR",
    "SILVA",
    "NOVAK",
    "PETERSEN",
    "KOWALSKI",
    "MARTINEZ LOPEZ",
]
LATIN_GIVEN = [
    "JOHN",
    "ANNA MARIA",
    "EMILY",
    "HIROSHI",
    "THI LAN",
    "CHINEDU",
    "ERIK",
    "GIULIA",
    "MIN JUN",
    "CLAIRE",
    "SEAN PATRICK",
    "JOAO",
    "PETRA",
    "LARS",
    "AGNIESZKA",
    "JOSE LUIS",
]
NATIONS = [
    "GBR",
    "DEU",
    "ESP",
    "JPN",
    "VNM",
    "NGA",
    "SWE",
    "ITA",
    "KOR",
    "FRA",
    "IRL",
    "BRA",
    "CZE",
    "DNK",
    "POL",
    "MEX",
    "USA",
    "SGP",
    "CAN",
    "AUS",
]


@dataclass(frozen=True)
class Sample:
    """One generated photo: the JPEG bytes and the values a perfect reader returns."""

    kind: str
    variant: str
    seed: int
    data: bytes
    truth: dict[str, str | bool]


# ---- values ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _regions() -> dict[str, str]:
    """Current (not abolished) county-level codes and every current name by code."""
    names: dict[str, str] = {}
    with const.REGIONS_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if not row["end_year"]:
                names[row["code"]] = row["name"]
    return names


@lru_cache(maxsize=1)
def _counties() -> list[str]:
    names = _regions()
    return sorted(
        c
        for c, n in names.items()
        if not c.endswith("00") and c[:2] not in ("71", "81", "82", "83") and n not in ("市辖区", "县")
    )


def _ethnicities() -> list[str]:
    with const.ETHNICITIES_CSV.open(encoding="utf-8") as fh:
        return [row["name"] for row in csv.DictReader(fh)]


def _region_names(code: str) -> tuple[str, str, str]:
    names = _regions()
    prov = names.get(code[:2] + "0000", "")
    city = names.get(code[:4] + "00", "")
    if city in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划") or code[:2] in ("11", "12", "31", "50"):
        city = ""
    return prov, city, names[code]


def _address(rng: random.Random, code: str) -> str:
    prov, city, county = _region_names(code)
    head = prov + city + county
    for _ in range(20):
        if rng.random() < 0.7:
            tail = f"{rng.choice(ROADS)}{rng.choice(ROAD_TYPES)}{rng.randint(1, 999)}号"
            if rng.random() < 0.45:
                tail += f"{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元{rng.randint(1, 33)}{rng.randint(1, 4):02d}室"
        else:
            tail = f"{rng.choice(TOWNS)}{rng.choice(VILLAGES)}{rng.randint(1, 12)}组{rng.randint(1, 99)}号"
        if len(head + tail) <= 33:
            return head + tail
    return (head + "1号")[:33]


def _name(rng: random.Random, ethnicity: str) -> str:
    if ethnicity == "维吾尔" and rng.random() < 0.8:
        a, b = rng.choice(UYGHUR)
        return f"{a}·{b}"
    surname = rng.choice(COMPOUND) if rng.random() < 0.03 else rng.choice(SURNAMES)
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))
    return surname + given


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def random_id_values(rng: random.Random, today: date = date(2025, 6, 1)) -> dict[str, str]:
    """Front and back values of one consistent card (all fields, both sides)."""
    eths = _ethnicities()
    ethnicity = "汉" if rng.random() < 0.8 else rng.choice(eths[1:])
    code = rng.choice(_counties())
    birth = date(1950, 1, 1) + timedelta(days=rng.randint(0, (date(2006, 12, 31) - date(1950, 1, 1)).days))
    sex = rng.choice("MF")
    seq = rng.randrange(0, 999, 2) + (1 if sex == "M" else 0)
    seq = min(seq, 999 if sex == "M" else 998)
    first17 = f"{code}{birth:%Y%m%d}{seq:03d}"
    number = first17 + check_digit(first17)
    # second-generation cards are issued since 2004; the period follows the age at issue
    lo = max(date(2005, 1, 1), _add_years(birth, 16))
    hi = today - timedelta(days=30)
    issued = hi if lo >= hi else lo + timedelta(days=rng.randint(0, (hi - lo).days))
    age = issued.year - birth.year - ((issued.month, issued.day) < (birth.month, birth.day))
    years = 5 if age < 16 else 10 if age <= 25 else 20 if age <= 45 else 0
    valid_to = const.LONG_TERM if years == 0 else _add_years(issued, years).isoformat()
    prov, city, county = _region_names(code)
    branch = county[:-1] if len(county) >= 3 else county  # 江汉区 -> 江汉分局
    if county.endswith("区") and city:
        authority = f"{city}公安局{branch}分局"
    elif county.endswith("区"):
        authority = f"{prov}公安局{branch}分局"
    else:
        authority = f"{county}公安局"
    return {
        const.NAME: _name(rng, ethnicity),
        const.SEX: sex,
        const.ETHNICITY: ethnicity,
        const.BIRTH_DATE: birth.isoformat(),
        const.ADDRESS: _address(rng, code),
        const.ID_NUMBER: number,
        const.ISSUING_AUTHORITY: authority,
        const.VALID_FROM: issued.isoformat(),
        const.VALID_TO: valid_to,
    }


def random_passport_values(rng: random.Random, today: date = date(2025, 6, 1)) -> dict[str, str]:
    """A Chinese (two in three) or foreign passport holder."""
    birth = date(1950, 1, 1) + timedelta(days=rng.randint(0, (date(2006, 12, 31) - date(1950, 1, 1)).days))
    issued = today - timedelta(days=rng.randint(30, 9 * 365))
    expiry = _add_years(issued, 10)
    sex = rng.choice("MF")
    if rng.random() < 0.67:
        from pypinyin import Style, lazy_pinyin

        values = random_id_values(rng, today)
        name = values[const.NAME].replace("·", "")
        surname_len = 2 if name[:2] in COMPOUND else 1
        surname = "".join(lazy_pinyin(name[:surname_len], style=Style.NORMAL)).upper().replace("Ü", "YU")
        given = "".join(lazy_pinyin(name[surname_len:], style=Style.NORMAL)).upper().replace("Ü", "YU")
        nationality = "CHN"
        number = rng.choice("EG") + "".join(rng.choice("0123456789") for _ in range(8))
        if rng.random() < 0.3:
            number = "E" + rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + "".join(rng.choice("0123456789") for _ in range(7))
        zh_name = name
    else:
        i = rng.randrange(len(NATIONS))
        surname = LATIN_SURNAMES[i % len(LATIN_SURNAMES)]
        given = rng.choice(LATIN_GIVEN)
        nationality = NATIONS[i]
        number = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(rng.choice((8, 9))))
        zh_name = ""
    return {
        const.DOCUMENT_NUMBER: number,
        const.SURNAME: surname,
        const.GIVEN_NAMES: given,
        const.NATIONALITY: nationality,
        const.BIRTH_DATE: birth.isoformat(),
        const.SEX: sex,
        const.EXPIRY_DATE: expiry.isoformat(),
        "issued": issued.isoformat(),
        "zh_name": zh_name,
    }


# ---- drawing --------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _font(path: str, px: int, index: int = 0) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, px, index=index)


def _mm(v: float) -> int:
    return round(v * PX_MM)


def _background(w: int, h: int, rng: random.Random, tint: tuple[int, int, int]) -> Image.Image:
    """Light security-print background: a tint gradient with fine wavy guilloche lines."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    base = np.zeros((h, w, 3), np.float32)
    for c in range(3):
        base[..., c] = tint[c] + 10 * np.sin(x / w * math.pi * rng.uniform(0.5, 1.5)) - 6 * (y / h)
    img = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(img)
    phase = rng.uniform(0, 6.28)
    for k in range(0, h, _mm(1.6)):
        pts = [(xx, k + 6 * math.sin(xx / 37.0 + phase + k / 50.0)) for xx in range(0, w, 8)]
        draw.line(pts, fill=tuple(max(0, t - 22) for t in tint), width=1)
    return img


def _portrait(w: int, h: int, rng: random.Random) -> Image.Image:
    img = Image.new("RGB", (w, h), (238, 240, 242))
    d = ImageDraw.Draw(img)
    tone = rng.randint(60, 120)
    d.ellipse([w * 0.3, h * 0.12, w * 0.7, h * 0.58], fill=(tone + 40, tone + 30, tone + 20))
    d.ellipse([w * 0.27, h * 0.06, w * 0.73, h * 0.32], fill=(25, 25, 28))
    d.pieslice([w * 0.05, h * 0.6, w * 0.95, h * 1.4], 180, 360, fill=(tone - 30, tone - 30, tone - 20))
    return img


def _text(
    draw: ImageDraw.ImageDraw,
    xy_mm: tuple[float, float],
    text: str,
    font: ImageFont.FreeTypeFont,
    fill: tuple[int, int, int],
    spacing_mm: float = 0.0,
) -> None:
    """Draw ``text`` with its left edge at x and vertical middle at y (mm)."""
    x: float = _mm(xy_mm[0])
    y = _mm(xy_mm[1])
    ascent, descent = font.getmetrics()
    top = y - (ascent + descent) // 2
    if not spacing_mm:
        draw.text((x, top), text, font=font, fill=fill)
        return
    for ch in text:
        draw.text((x, top), ch, font=font, fill=fill)
        x += font.getlength(ch) + _mm(spacing_mm)


LABEL = (28, 96, 168)
INK = (20, 20, 24)


def _value_font(rng: random.Random, px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    if rng.random() < 0.75:
        return _font(NOTO_SANS_BOLD if bold else NOTO_SANS, px, SC_INDEX)
    return _font(WQY, px, 0)


def render_front(v: dict[str, str], rng: random.Random) -> Image.Image:
    w, h = _mm(85.6), _mm(54.0)
    img = _background(w, h, rng, (rng.randint(232, 246), rng.randint(238, 248), rng.randint(240, 252)))
    d = ImageDraw.Draw(img)
    jx, jy = rng.uniform(-0.6, 0.6), rng.uniform(-0.5, 0.5)
    label = _font(NOTO_SANS, _mm(2.6), SC_INDEX)
    val = _value_font(rng, _mm(3.2))
    name_font = _value_font(rng, _mm(3.6), bold=True)
    x0, xv = 6.5 + jx, 16.5 + jx
    _text(d, (x0, 9.5 + jy), "姓  名", label, LABEL)
    _text(d, (xv, 9.5 + jy), v[const.NAME], name_font, INK, spacing_mm=0.4)
    _text(d, (x0, 16.0 + jy), "性  别", label, LABEL)
    _text(d, (xv, 16.0 + jy), "男" if v[const.SEX] == "M" else "女", val, INK)
    _text(d, (26.5 + jx, 16.0 + jy), "民  族", label, LABEL)
    _text(d, (35.5 + jx, 16.0 + jy), v[const.ETHNICITY], val, INK)
    b = date.fromisoformat(v[const.BIRTH_DATE])
    _text(d, (x0, 22.5 + jy), "出  生", label, LABEL)
    _text(d, (xv, 22.5 + jy), str(b.year), val, INK)
    _text(d, (27.0 + jx, 22.5 + jy), "年", label, LABEL)
    _text(d, (31.5 + jx, 22.5 + jy), str(b.month), val, INK)
    _text(d, (36.0 + jx, 22.5 + jy), "月", label, LABEL)
    _text(d, (40.0 + jx, 22.5 + jy), str(b.day), val, INK)
    _text(d, (44.5 + jx, 22.5 + jy), "日", label, LABEL)
    _text(d, (x0, 29.0 + jy), "住  址", label, LABEL)
    addr = v[const.ADDRESS]
    for i in range(0, len(addr), 11):
        _text(d, (xv, 29.0 + jy + 4.5 * (i // 11)), addr[i : i + 11], val, INK)
    _text(d, (x0, 46.5 + jy), "公民身份号码", label, LABEL)
    _text(d, (29.0 + jx, 46.5 + jy), v[const.ID_NUMBER], _font(OCRB, _mm(3.7)), INK, spacing_mm=0.15)
    img.paste(_portrait(_mm(26), _mm(32), rng), (_mm(54.0), _mm(7.0)))
    return img


def render_back(v: dict[str, str], rng: random.Random) -> Image.Image:
    w, h = _mm(85.6), _mm(54.0)
    img = _background(w, h, rng, (rng.randint(236, 248), rng.randint(236, 246), rng.randint(228, 242)))
    d = ImageDraw.Draw(img)
    red = (206, 40, 36)
    d.ellipse([_mm(6), _mm(5), _mm(21), _mm(20)], outline=red, width=_mm(1.2))
    d.regular_polygon((_mm(13.5), _mm(12.5), _mm(4.2)), 5, fill=(230, 190, 40))
    big = _font(NOTO_SANS_BOLD, _mm(4.6), SC_INDEX)
    _text(d, (30.0, 10.0), "中华人民共和国", big, (30, 30, 30), spacing_mm=1.2)
    _text(d, (31.0, 19.5), "居民身份证", _font(NOTO_SANS_BOLD, _mm(6.5), SC_INDEX), (30, 30, 30), spacing_mm=1.8)
    for k in range(6):  # stylised wall outline
        d.line(
            [(_mm(8 + 12 * k), _mm(30)), (_mm(14 + 12 * k), _mm(27)), (_mm(20 + 12 * k), _mm(30))],
            fill=(200, 205, 210),
            width=3,
        )
    jx, jy = rng.uniform(-0.6, 0.6), rng.uniform(-0.5, 0.5)
    label = _font(NOTO_SANS, _mm(2.6), SC_INDEX)
    val = _value_font(rng, _mm(3.2))
    _text(d, (13.5 + jx, 41.5 + jy), "签发机关", label, LABEL)
    _text(d, (29.0 + jx, 41.5 + jy), v[const.ISSUING_AUTHORITY], val, INK)
    _text(d, (13.5 + jx, 48.0 + jy), "有效期限", label, LABEL)
    frm = v[const.VALID_FROM].replace("-", ".")
    to = v[const.VALID_TO].replace("-", ".")
    _text(d, (29.0 + jx, 48.0 + jy), f"{frm}-{to}", val, INK)
    return img


def render_passport(v: dict[str, str], rng: random.Random) -> Image.Image:
    w, h = _mm(125), _mm(88)
    img = _background(w, h, rng, (rng.randint(236, 248), rng.randint(226, 240), rng.randint(230, 244)))
    d = ImageDraw.Draw(img)
    img.paste(_portrait(_mm(33), _mm(43), rng), (_mm(6), _mm(16)))
    small = _font(NOTO_SANS, _mm(1.9), SC_INDEX)
    val = _font(NOTO_SANS, _mm(2.8), SC_INDEX)
    china = v[const.NATIONALITY] == "CHN"
    _text(d, (6, 7), "护照 PASSPORT" if china else "PASSPORT", _font(NOTO_SANS_BOLD, _mm(3.4), SC_INDEX), INK)
    birth = date.fromisoformat(v[const.BIRTH_DATE])
    expiry = date.fromisoformat(v[const.EXPIRY_DATE])
    issued = date.fromisoformat(v["issued"])
    rows = [
        ("类型/Type", "P"),
        ("国家码/Country Code", v[const.NATIONALITY]),
        ("护照号/Passport No.", v[const.DOCUMENT_NUMBER]),
        ("姓名/Name", (v["zh_name"] + " " if v["zh_name"] else "") + f"{v[const.SURNAME]}, {v[const.GIVEN_NAMES]}"),
        ("性别/Sex", ("男/" if china else "") + v[const.SEX]),
        ("出生日期/Date of birth", birth.strftime("%d %b %Y").upper()),
        ("签发日期/Date of issue", issued.strftime("%d %b %Y").upper()),
        ("有效期至/Date of expiry", expiry.strftime("%d %b %Y").upper()),
    ]
    for i, (lab, value) in enumerate(rows):
        y = 16 + i * 6.2
        _text(d, (43, y), lab, small, LABEL)
        _text(d, (43, y + 2.9), value, val, INK)
    state = "CHN" if china else v[const.NATIONALITY]
    opt = "" if china else rng.choice(["", "", "X" + "".join(rng.choice("0123456789") for _ in range(6))])
    l1, l2 = mrz.compose_td3(
        issuing_state=state,
        surname=v[const.SURNAME],
        given_names=v[const.GIVEN_NAMES],
        document_number=v[const.DOCUMENT_NUMBER],
        nationality=v[const.NATIONALITY],
        birth=birth,
        sex=v[const.SEX],
        expiry=expiry,
        optional_data=opt,
    )
    ocrb = _font(OCRB, _mm(3.1))
    for i, line in enumerate((l1, l2)):
        x = _mm(6.0 + rng.uniform(-0.4, 0.4))
        y = _mm(73.5 + 6.5 * i) - ocrb.getmetrics()[0] // 2
        for ch in line:
            d.text((x, y), ch, font=ocrb, fill=INK)
            x += _mm(2.54)
    return img


def render_td1(v: dict[str, str], rng: random.Random) -> Image.Image:
    """An ID-1 card with a 3-line TD1 machine-readable zone (a foreign identity card, back side)."""
    w, h = _mm(85.6), _mm(54.0)
    img = _background(w, h, rng, (rng.randint(232, 246), rng.randint(236, 248), rng.randint(226, 240)))
    d = ImageDraw.Draw(img)
    _text(d, (5, 6), "IDENTITY CARD", _font(NOTO_SANS_BOLD, _mm(3.0), SC_INDEX), INK)
    _text(d, (5, 12), f"{v[const.SURNAME]}, {v[const.GIVEN_NAMES]}", _font(NOTO_SANS, _mm(2.6), SC_INDEX), INK)
    lines = mrz.compose_td1(
        issuing_state=v[const.NATIONALITY],
        surname=v[const.SURNAME],
        given_names=v[const.GIVEN_NAMES],
        document_number=v[const.DOCUMENT_NUMBER],
        nationality=v[const.NATIONALITY],
        birth=date.fromisoformat(v[const.BIRTH_DATE]),
        sex=v[const.SEX],
        expiry=date.fromisoformat(v[const.EXPIRY_DATE]),
    )
    ocrb = _font(OCRB, _mm(3.1))
    for i, line in enumerate(lines):
        x = _mm(4.4)
        y = _mm(36.0 + 6.0 * i) - ocrb.getmetrics()[0] // 2
        for ch in line:
            d.text((x, y), ch, font=ocrb, fill=INK)
            x += _mm(2.54)
    return img


# ---- photographing --------------------------------------------------------------------------


def _wood(w: int, h: int, rng: random.Random) -> np.ndarray:
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    grain = np.sin((x * 0.02 + 3 * np.sin(y * 0.01 + rng.uniform(0, 6))) * rng.uniform(3, 6))
    base = np.array([rng.randint(90, 140), rng.randint(60, 90), rng.randint(35, 55)], np.float32)
    img = base[None, None, :] * (0.85 + 0.15 * grain[..., None])
    img += np.random.default_rng(rng.randint(0, 2**31)).normal(0, 6, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def _plain(w: int, h: int, rng: random.Random) -> np.ndarray:
    color = np.array([rng.randint(40, 110), rng.randint(40, 110), rng.randint(40, 110)], np.uint8)
    return np.broadcast_to(color, (h, w, 3)).copy()


def _place(card: np.ndarray, bg: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Warp the card (RGB array) onto the background with the four destination corners."""
    h, w = card.shape[:2]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    size = (bg.shape[1], bg.shape[0])
    warped = cv2.warpPerspective(card, m, size, flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), m, size, flags=cv2.INTER_LINEAR)
    alpha = (mask.astype(np.float32) / 255.0)[..., None]
    return (warped * alpha + bg * (1 - alpha)).astype(np.uint8)


def photograph(card: Image.Image, variant: str, rng: random.Random) -> bytes:
    """Place the card in a scene and degrade it as ``variant`` says; returns JPEG bytes."""
    arr = np.asarray(card.convert("RGB"))
    ch, cw = arr.shape[:2]
    card_w = rng.randint(430, 520) if variant == "lowres" else rng.randint(880, 1000)
    scale = card_w / cw
    card_h = ch * scale
    out_w = int(card_w / rng.uniform(0.72, 0.85))
    out_h = int(out_w * rng.uniform(0.68, 0.78))
    out_h = max(out_h, int(card_h / 0.8))
    bg = _wood(out_w, out_h, rng) if variant == "table" else _plain(out_w, out_h, rng)
    cx, cy = out_w / 2 + rng.uniform(-0.04, 0.04) * out_w, out_h / 2 + rng.uniform(-0.04, 0.04) * out_h
    angle = 0.0
    if variant == "rotated":
        angle = rng.choice((-1, 1)) * rng.uniform(3, 10)
    elif variant == "table":
        angle = rng.uniform(-6, 6)
    else:
        angle = rng.uniform(-0.8, 0.8)
    a = math.radians(angle)
    corners = np.array(
        [[-card_w / 2, -card_h / 2], [card_w / 2, -card_h / 2], [card_w / 2, card_h / 2], [-card_w / 2, card_h / 2]]
    )
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    dst = corners @ rot.T + [cx, cy]
    if variant == "table":  # camera tilted: one side further away
        k = rng.uniform(0.05, 0.10)
        side = rng.choice(("top", "left", "right"))
        if side == "top":
            dst[0, 0] += k * card_w
            dst[1, 0] -= k * card_w
        elif side == "left":
            dst[0, 1] += k * card_h
            dst[3, 1] -= k * card_h
        else:
            dst[1, 1] += k * card_h
            dst[2, 1] -= k * card_h
        dst += np.array([[rng.uniform(-0.015, 0.015) * card_w, rng.uniform(-0.015, 0.015) * card_h] for _ in range(4)])
    shrink = cv2.resize(
        arr, (max(1, int(cw * scale * 1.3)), max(1, int(ch * scale * 1.3))), interpolation=cv2.INTER_AREA
    )
    scene = _place(shrink, bg, dst).astype(np.float32)
    npr = np.random.default_rng(rng.randint(0, 2**31))
    if variant in ("noisy", "table"):
        light = 1.0 - rng.uniform(0.15, 0.3) * np.linspace(0, 1, out_w)[None, :, None]
        if rng.random() < 0.5:
            light = light[:, ::-1]
        scene *= light
    if variant == "noisy":
        scene = scene * rng.uniform(0.75, 0.9) + npr.normal(0, rng.uniform(10, 18), scene.shape)
    img = np.clip(scene, 0, 255).astype(np.uint8)
    pil = Image.fromarray(img)
    if variant == "blurred":
        pil = pil.filter(ImageFilter.GaussianBlur(rng.uniform(1.2, 2.0)))
    elif variant == "table":
        pil = pil.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.0)))
        noise = npr.normal(0, 5, (pil.height, pil.width, 3))
        pil = Image.fromarray(np.clip(np.asarray(pil) + noise, 0, 255).astype(np.uint8))
    quality = rng.randint(12, 25) if variant == "jpeg" else 80 if variant == "table" else 92
    buf = io.BytesIO()
    pil.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def make_sample(kind: str, variant: str, seed: int) -> Sample:
    """Deterministic: the same (kind, variant, seed) gives the same photo and truth."""
    rng = random.Random(f"{kind}/{variant}/{seed}")
    truth: dict[str, str | bool]
    if kind in (const.PASSPORT, const.MRZ_ID_CARD):
        v = random_passport_values(rng)
        card = render_passport(v, rng) if kind == const.PASSPORT else render_td1(v, rng)
        truth = {k: v[k] for k in const.PASSPORT_FIELDS if k != const.MRZ_VALID}
        truth[const.MRZ_VALID] = True
    else:
        v = random_id_values(rng)
        if kind == const.CN_ID_FRONT:
            card = render_front(v, rng)
            truth = {k: v[k] for k in const.FRONT_FIELDS}
        else:
            card = render_back(v, rng)
            truth = {k: v[k] for k in const.BACK_FIELDS}
    return Sample(kind=kind, variant=variant, seed=seed, data=photograph(card, variant, rng), truth=truth)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--n", type=int, default=2, help="photos per (kind, variant)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--variants", default=",".join(VARIANTS))
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    index = []
    for kind in args.kinds.split(","):
        for variant in args.variants.split(","):
            for i in range(args.n):
                s = make_sample(kind, variant, args.seed + i)
                name = f"{kind}-{variant}-{s.seed}.jpg"
                (args.out / name).write_bytes(s.data)
                index.append({"file": name, **{k: v for k, v in asdict(s).items() if k != "data"}})
    (args.out / "truth.json").write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(index)} images in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
