"""The CJK font for agreements: a Debian font, reduced once to the characters agreements use.

Debian's CJK fonts hold 30,000-65,000 glyphs; fpdf2 parses all of them for every document, which
alone takes about a second. So the first use builds a reduced copy (GB 2312's 7,445 characters,
Latin-1, punctuation, and every character of the templates and the product catalog) into the
font cache, and documents use that; one whose text needs a glyph outside it (a rare character
in a name) falls back to the full font, slower but correct.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.settings import get_settings
from integrations.signing import const
from integrations.signing.config import get_signing_settings

TEMPLATES = Path(__file__).resolve().parent / "templates"


class FontUnavailable(RuntimeError):
    code = const.NO_CJK_FONT


@dataclass(frozen=True)
class FontChoice:
    path: Path
    number: int  # face index within a collection; 0 for a plain font file
    reduced: bool


def source_font() -> tuple[Path, int]:
    """The configured CJK font, else the first Debian CJK font installed."""
    settings = get_signing_settings()
    if settings.font_path is not None:
        if not settings.font_path.is_file():
            raise FontUnavailable(str(settings.font_path))
        return settings.font_path, settings.font_number
    for path, number in const.CJK_FONTS:
        if Path(path).is_file():
            return Path(path), number
    raise FontUnavailable("install fonts-wqy-microhei or fonts-noto-cjk")


def _gb2312() -> set[int]:
    chars: set[int] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((hi, lo)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


def _wanted_characters() -> set[int]:
    from bot.catalog import CATALOG

    chars = _gb2312()
    chars.update(range(0x20, 0x7F))
    chars.update(range(0xA0, 0x180))  # Latin-1 and Latin Extended-A (names like "José", "Łukasz")
    chars.update(range(0x2000, 0x2070))  # general punctuation: dashes, quotes, bullets
    chars.update(range(0x3000, 0x3040))  # CJK symbols and punctuation
    chars.update(range(0xFF00, 0xFFF0))  # full-width forms
    chars.update((0x20AC, 0x2122, 0x2116))  # €, ™, №
    for path in [*sorted(TEMPLATES.glob("*.yml")), CATALOG]:
        chars.update(ord(c) for c in path.read_text(encoding="utf-8"))
    return {c for c in chars if c >= 0x20}


def _cache_dir() -> Path:
    configured = get_signing_settings().font_cache_dir
    return configured if configured is not None else get_settings().var_dir / "cache" / "fonts"


def _cache_key(source: Path, number: int, wanted: set[int]) -> str:
    stat = source.stat()
    h = hashlib.sha256(f"{const.FONT_CACHE_VERSION}|{source}|{number}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    h.update(json.dumps(sorted(wanted)).encode())
    return h.hexdigest()[:16]


def _build(source: Path, number: int, wanted: set[int], out: Path, charset_file: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), fontNumber=number, recalcTimestamp=False)
    present = set(font.getBestCmap() or {})
    options = subset.Options()
    options.glyph_names = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.layout_features = []
    options.hinting = False
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "FFTM", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    kept = wanted & present
    subsetter.populate(unicodes=kept)
    subsetter.subset(font)
    if "post" in font:
        font["post"].formatType = 3.0  # no glyph names: much faster to load
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.name}.{os.getpid()}.tmp")
    font.save(str(tmp))
    tmp_charset = charset_file.with_name(f"{charset_file.name}.{os.getpid()}.tmp")
    tmp_charset.write_text(json.dumps(sorted(kept)))
    os.replace(tmp_charset, charset_file)  # charset first: a font file implies its charset exists
    os.replace(tmp, out)


@lru_cache(maxsize=4)
def _reduced(source: Path, number: int, cache_dir: Path) -> tuple[Path, frozenset[int]]:
    wanted = _wanted_characters()
    key = _cache_key(source, number, wanted)
    out = cache_dir / f"cjk-{key}.ttf"
    charset_file = cache_dir / f"cjk-{key}.json"
    if not (out.is_file() and charset_file.is_file()):
        _build(source, number, wanted, out, charset_file)
    return out, frozenset(json.loads(charset_file.read_text()))


def ensure_fonts() -> FontChoice:
    """Build the reduced font if it is not cached yet (call at start-up to keep the first
    agreement fast; takes several seconds once)."""
    source, number = source_font()
    path, _chars = _reduced(source, number, _cache_dir())
    return FontChoice(path, 0, True)


def font_for(text: str) -> FontChoice:
    """The reduced font when it covers every character of ``text``, else the full font."""
    source, number = source_font()
    path, chars = _reduced(source, number, _cache_dir())
    if all(ord(c) in chars for c in text if not c.isspace()):
        return FontChoice(path, 0, True)
    return FontChoice(source, number, False)
