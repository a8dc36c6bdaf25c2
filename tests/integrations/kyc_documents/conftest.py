"""Shared generated photos (bench.idcard_gen: template documents with known values)."""

from __future__ import annotations

import io
import math
import random
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter

from bench.idcard_gen import Sample, make_sample


@lru_cache(maxsize=64)
def sample(kind: str, variant: str, seed: int) -> Sample:
    return make_sample(kind, variant, seed)


def jpeg(img: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def cat_photo() -> bytes:
    """A drawn cat on a rug: an image with no document in it."""
    rng = random.Random(7)
    img = Image.new("RGB", (900, 700), (120, 90, 60))
    d = ImageDraw.Draw(img)
    for _ in range(400):  # rug texture
        x, y = rng.randrange(900), rng.randrange(700)
        d.line([(x, y), (x + rng.randint(-20, 20), y + rng.randint(5, 25))], fill=(150, 110, 70), width=2)
    fur = (210, 140, 60)
    d.ellipse([250, 300, 650, 600], fill=fur)  # body
    d.ellipse([330, 140, 570, 360], fill=fur)  # head
    d.polygon([(345, 200), (370, 90), (430, 165)], fill=fur)  # ears
    d.polygon([(555, 200), (530, 90), (470, 165)], fill=fur)
    for ex in (400, 500):
        d.ellipse([ex - 18, 220, ex + 18, 262], fill=(60, 160, 60))
        d.ellipse([ex - 5, 226, ex + 5, 256], fill=(10, 10, 10))
    d.polygon([(440, 290), (460, 290), (450, 302)], fill=(230, 120, 140))
    for k in range(3):
        d.line([(380, 290 + 8 * k), (300, 280 + 14 * k)], fill=(240, 240, 240), width=2)
        d.line([(520, 290 + 8 * k), (600, 280 + 14 * k)], fill=(240, 240, 240), width=2)
    for a in range(0, 180, 12):  # tail
        r = math.radians(a)
        d.ellipse(
            [
                640 + 90 * math.cos(r) - 14,
                520 - 90 * math.sin(r) - 14,
                640 + 90 * math.cos(r) + 14,
                520 - 90 * math.sin(r) + 14,
            ],
            fill=fur,
        )
    return jpeg(img.filter(ImageFilter.GaussianBlur(1.2)))


def blurred(data: bytes, sigma: float) -> bytes:
    return jpeg(Image.open(io.BytesIO(data)).filter(ImageFilter.GaussianBlur(sigma)))
