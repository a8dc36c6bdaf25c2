"""Bad image input is refused with a reason, before any expensive decoding."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from integrations.kyc import images


def jpeg(w: int = 800, h: int = 500) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (200, 180, 160)).save(buf, "JPEG", quality=85)
    return buf.getvalue()


def png_header_only(w: int, h: int) -> bytes:
    """A PNG that claims w x h pixels: the shape of a decompression bomb, without the bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_a_photo_is_accepted() -> None:
    intake = images.load(jpeg())
    assert intake.format == "JPEG" and (intake.width, intake.height) == (800, 500)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", images.NOT_IMAGE),
        (b"hello, this is text not a picture", images.NOT_IMAGE),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", images.PDF),
        (jpeg()[: len(jpeg()) // 2], images.TRUNCATED),
        (b"\xff\xd8\xff" + b"\x00" * (images.MAX_BYTES + 1), images.TOO_LARGE),
        (png_header_only(20_000, 20_000), images.BOMB),
        (jpeg(120, 90), images.TOO_SMALL),
    ],
    ids=["empty", "text", "pdf", "truncated-jpeg", "50MB", "20000x20000-bomb", "tiny"],
)
def test_bad_files_are_refused_with_a_reason(data: bytes, code: str) -> None:
    with pytest.raises(images.ImageRejected) as err:
        images.load(data)
    assert err.value.code == code


def test_gif_is_not_a_document_photo() -> None:
    buf = io.BytesIO()
    Image.new("P", (400, 300)).save(buf, "GIF")
    with pytest.raises(images.ImageRejected) as err:
        images.load(buf.getvalue())
    assert err.value.code == images.UNSUPPORTED
