"""Safe intake of images sent by applicants (ID documents, selfies).

Checks happen before any decoding that could be expensive: size on the wire, the file's real
type from its magic bytes (not its name), pixel count from the header (decompression bombs),
then a full decode that catches truncated files. Returns an RGB Pillow image or raises
:class:`ImageRejected` with a code the dialogue turns into a zh/en message.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Final

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES: Final = 10 * 1024 * 1024  # 10 MB: a phone photo is 2–5 MB
MAX_PIXELS: Final = 40_000_000  # 40 MP: above any phone camera, below bomb territory
MIN_SIDE: Final = 200  # smaller cannot hold a readable document
ACCEPTED: Final = {"JPEG", "PNG", "WEBP", "BMP", "TIFF"}

# codes → utter_image_<code> in the domain
NOT_IMAGE: Final = "not_image"
PDF: Final = "pdf"
TOO_LARGE: Final = "too_large"
BOMB: Final = "too_many_pixels"
TRUNCATED: Final = "truncated"
TOO_SMALL: Final = "too_small"
UNSUPPORTED: Final = "unsupported_format"


class ImageRejected(ValueError):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class Intake:
    image: Image.Image
    format: str
    width: int
    height: int
    size_bytes: int


def load(data: bytes) -> Intake:
    """Validate and decode; EXIF orientation applied (phone photos are often stored rotated)."""
    if len(data) > MAX_BYTES:
        raise ImageRejected(TOO_LARGE, f"{len(data)} bytes")
    head = data[:8]
    if head.startswith(b"%PDF"):
        raise ImageRejected(PDF)
    if not data:
        raise ImageRejected(NOT_IMAGE, "empty")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow raises DecompressionBombError beyond 2x this
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format or ""
            width, height = probe.size
    except UnidentifiedImageError as exc:
        raise ImageRejected(NOT_IMAGE) from exc
    except Image.DecompressionBombError as exc:
        raise ImageRejected(BOMB) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageRejected(NOT_IMAGE, str(exc)) from exc
    if fmt not in ACCEPTED:
        raise ImageRejected(UNSUPPORTED, fmt)
    if width * height > MAX_PIXELS:
        raise ImageRejected(BOMB, f"{width}x{height}")
    if min(width, height) < MIN_SIDE:
        raise ImageRejected(TOO_SMALL, f"{width}x{height}")
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()  # full decode: a truncated JPEG fails here
            image = ImageOps.exif_transpose(img).convert("RGB")
    except Image.DecompressionBombError as exc:
        raise ImageRejected(BOMB) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageRejected(TRUNCATED, str(exc)) from exc
    return Intake(image=image, format=fmt, width=image.width, height=image.height, size_bytes=len(data))
