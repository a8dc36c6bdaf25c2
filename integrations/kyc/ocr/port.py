"""The OCR port: what the document reader asks of any OCR engine.

The reader cuts the document into single text lines itself and says, per line, which script to
expect and which characters may appear; an engine only has to read lines. That keeps the
engine swappable (Tesseract here; a bank's own OCR service or an ONNX model behind the same
Protocol) and lets an engine batch many lines into one call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from PIL import Image

Script = Literal["zh", "latin"]


@dataclass(frozen=True)
class LineSpec:
    """How to read a line: ``script`` "zh" (Chinese with digits and Latin) or "latin" (Latin
    letters and digits only), ``allowed`` characters ("" = any of the script), and whether the
    image holds a ``single_char`` (read without the context of a line)."""

    script: Script
    allowed: str = ""
    single_char: bool = False


@dataclass(frozen=True)
class LineRequest:
    """One cropped text line (black text on white, one line only) and how to read it."""

    image: Image.Image
    spec: LineSpec


@dataclass(frozen=True)
class OcrText:
    """What an engine read on one line; ``confidence`` 0..1 (0 when nothing was read)."""

    text: str
    confidence: float


class OcrError(RuntimeError):
    """The engine is missing or failed (a server-side problem, not the applicant's photo)."""


class OcrEngine(Protocol):
    """Reads single text lines. ``read_lines`` returns one result per request, same order."""

    name: str

    def read_lines(self, requests: Sequence[LineRequest]) -> list[OcrText]: ...
