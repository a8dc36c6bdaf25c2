"""OCR engines behind one port (:class:`OcrEngine`).

``default_engine()`` gives RapidOCR, which meets every accuracy target of bench/ocr.py (README,
"Benchmarks"); Tesseract, with a page-segmentation mode and whitelist per field, misses the
clean-image targets for names, ethnicity and issuing authority. ``KAIKA_OCR_ENGINE`` selects
``tesseract``, ``rapidocr`` or ``hybrid`` (RapidOCR for Chinese lines, Tesseract for digits and
MRZ lines). Both engines are installed by requirements.txt; a deployment without RapidOCR falls
back to Tesseract with a warning.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from functools import lru_cache

from .port import LineRequest, LineSpec, OcrEngine, OcrError, OcrText, Script

__all__ = [
    "ENGINES",
    "LineRequest",
    "LineSpec",
    "OcrEngine",
    "OcrError",
    "OcrText",
    "Script",
    "ScriptRouter",
    "default_engine",
    "make_engine",
]

ENGINES = ("tesseract", "rapidocr", "hybrid")
DEFAULT_ENGINE = "rapidocr"
logger = logging.getLogger(__name__)


class ScriptRouter:
    """Sends Chinese lines to one engine and Latin lines to another, as one engine."""

    def __init__(self, zh: OcrEngine, latin: OcrEngine) -> None:
        self.zh, self.latin = zh, latin
        self.name = f"{zh.name}+{latin.name}"

    def version(self) -> str:
        return " / ".join(str(getattr(e, "version", lambda: "?")()) for e in (self.zh, self.latin))

    def read_lines(self, requests: Sequence[LineRequest]) -> list[OcrText]:
        zh = [i for i, r in enumerate(requests) if r.spec.script == "zh"]
        latin = [i for i, r in enumerate(requests) if r.spec.script != "zh"]
        out: list[OcrText] = [OcrText("", 0.0)] * len(requests)
        for engine, idx in ((self.zh, zh), (self.latin, latin)):
            for i, res in zip(idx, engine.read_lines([requests[i] for i in idx]), strict=True):
                out[i] = res
        return out


def make_engine(name: str) -> OcrEngine:
    """ "tesseract", "rapidocr" or "hybrid"; raises OcrError when the engine is not installed."""
    from .tesseract import TesseractEngine

    if name == "tesseract":
        return TesseractEngine()
    from .rapid import RapidOcrEngine

    if name == "rapidocr":
        return RapidOcrEngine()
    if name == "hybrid":
        return ScriptRouter(zh=RapidOcrEngine(), latin=TesseractEngine())
    raise OcrError(f"unknown_engine: {name}")


@lru_cache(maxsize=1)
def default_engine() -> OcrEngine:
    """The engine named by ``KAIKA_OCR_ENGINE`` (default: rapidocr, else tesseract)."""
    name = os.environ.get("KAIKA_OCR_ENGINE", "").strip().lower()
    if name:
        return make_engine(name)  # asked for by name: a missing engine is a configuration error
    try:
        return make_engine(DEFAULT_ENGINE)
    except OcrError:
        logger.warning("RapidOCR is not installed; reading documents with Tesseract (less accurate on names)")
        return make_engine("tesseract")
