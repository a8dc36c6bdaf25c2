"""Where the document is in a photo, and where each field is on the document.

Steps, all plain OpenCV: find the document's four corners (a bright quadrilateral against the
background: by brightness and by edges, the better-shaped candidate wins), warp it square to
the camera at a fixed scale of 10 px/mm, then cut the standard field regions of the layout
(second-generation resident ID card, GA 450; ICAO 9303 TD3/TD1 machine-readable zones) and
split each region into text lines. OCR then reads one line at a time, with settings for that
field, instead of reading the whole card blindly.

Region coordinates are millimetres on the physical document, so the same table works whatever
the photo's resolution.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import cv2
import numpy as np
from PIL import Image

from . import const

Quad = np.ndarray  # 4 x 2 float32 corners: top-left, top-right, bottom-right, bottom-left


@dataclass(frozen=True)
class Region:
    """A rectangle on the document, in millimetres from its top-left corner."""

    x0: float
    y0: float
    x1: float
    y1: float
    lines: int = 1  # how many text lines the field may take
    char_mm: float = 3.2  # expected character height (for line splitting)


# Value areas (labels excluded) of the resident ID card, front and back, with ~1.5 mm slack for
# printing offsets and imperfect rectification.
FRONT_REGIONS: Final[dict[str, Region]] = {
    const.NAME: Region(14.8, 6.2, 52.0, 12.9, char_mm=3.6),
    const.SEX: Region(14.8, 12.9, 24.5, 19.3),
    const.ETHNICITY: Region(33.6, 12.9, 52.0, 19.3),
    const.BIRTH_DATE: Region(14.8, 19.3, 52.0, 25.7),
    const.ADDRESS: Region(14.8, 26.0, 53.0, 42.6, lines=3),
    const.ID_NUMBER: Region(26.5, 42.8, 84.6, 50.8, char_mm=3.0),
}
VALIDITY: Final = "validity"  # the back's "from-to" line holds two fields
BACK_REGIONS: Final[dict[str, Region]] = {
    const.ISSUING_AUTHORITY: Region(27.0, 37.8, 84.6, 45.0, lines=2),
    VALIDITY: Region(27.0, 44.6, 84.6, 51.6),
}
FRONT_PHOTO: Final = Region(53.0, 6.0, 81.5, 40.0)
BACK_EMBLEM: Final = Region(4.0, 3.5, 23.0, 22.0)
TD3_MRZ: Final = Region(2.0, 66.0, 123.0, 87.0, lines=2, char_mm=2.4)
TD1_MRZ: Final = Region(1.5, 30.0, 84.1, 53.0, lines=3, char_mm=2.4)

_SHARPNESS_PX_MM: Final = 5
_COLOURED: Final = 40  # chroma above this is coloured print (labels), not black ink
_COLOURED_SMOOTH: Final = 25
_CARD_ASPECT: Final = const.ID_CARD_MM[0] / const.ID_CARD_MM[1]  # 1.585
_PAGE_ASPECT: Final = const.TD3_PAGE_MM[0] / const.TD3_PAGE_MM[1]  # 1.42


@dataclass(frozen=True)
class Found:
    """A document outline in the (shrunk) photo and how square-on it looks."""

    quad: Quad
    area_fraction: float
    aspect: float  # long side / short side of the outline


def to_bgr(image: Image.Image) -> np.ndarray:
    """RGB Pillow image -> BGR array, shrunk so its long side is at most WORK_LONG_SIDE."""
    arr = cv2.cvtColor(np.asarray(image.convert("RGB")), cv2.COLOR_RGB2BGR)
    long_side = max(arr.shape[:2])
    if long_side > const.WORK_LONG_SIDE:
        f = const.WORK_LONG_SIDE / long_side
        arr = cv2.resize(arr, (round(arr.shape[1] * f), round(arr.shape[0] * f)), interpolation=cv2.INTER_AREA)
    return arr


def order_corners(pts: np.ndarray) -> Quad:
    """Corners as top-left, top-right, bottom-right, bottom-left, long side first.

    A card photographed upright in portrait (turned 90 degrees) gets its corners rolled so that
    the first edge is a long one; whether it is then upside down is decided later from content.
    """
    pts = pts.reshape(4, 2).astype(np.float32)
    c = pts.mean(axis=0)
    ang = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])
    pts = pts[np.argsort(ang)]  # clockwise in image coordinates, starting near -180 deg (left)
    start = int(np.argmin(pts.sum(axis=1)))
    pts = np.roll(pts, -start, axis=0)
    top = np.linalg.norm(pts[1] - pts[0]) + np.linalg.norm(pts[2] - pts[3])
    side = np.linalg.norm(pts[3] - pts[0]) + np.linalg.norm(pts[2] - pts[1])
    if side > top:
        pts = np.roll(pts, -1, axis=0)
    return pts


def _aspect(q: Quad) -> float:
    top = float(np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])) / 2
    side = float(np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1])) / 2
    return max(top, side) / max(1.0, min(top, side))


def _quad_from_contour(cnt: np.ndarray) -> np.ndarray | None:
    hull = cv2.convexHull(cnt)
    peri = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(np.float32)
    rect = cv2.minAreaRect(hull)
    box = cv2.boxPoints(rect).astype(np.float32)
    # Accept the bounding rectangle only when the shape nearly fills it (a card with a torn-off
    # corner in the mask), not for blobs.
    if cv2.contourArea(hull) >= 0.9 * rect[1][0] * rect[1][1]:
        return box
    return None


def _candidates(mask: np.ndarray, total: float) -> list[Found]:
    found: list[Found] = []
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for cnt in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        area = cv2.contourArea(cnt)
        if area < const.MIN_DOC_AREA * total:
            break
        quad = _quad_from_contour(cnt)
        if quad is None:
            continue
        q = order_corners(quad)
        qa = float(cv2.contourArea(q.reshape(-1, 1, 2)))
        if qa >= 0.985 * total:  # the whole frame: no outline seen
            continue
        found.append(Found(quad=q, area_fraction=qa / total, aspect=_aspect(q)))
    return found


def find_documents(bgr: np.ndarray) -> list[Found]:
    """Plausible document outlines, best first (document-shaped, then large)."""
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    h, w = gray.shape
    total = float(h * w)
    small = cv2.GaussianBlur(gray, (7, 7), 0)
    k = max(3, round(min(h, w) / 120) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    # 1) a bright document on a darker surface
    _, bright = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, kernel)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, kernel, iterations=2)
    # 2) edges, for light surfaces
    edges = cv2.Canny(small, 30, 90)
    edges = cv2.dilate(edges, kernel)
    edges = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, kernel, iterations=2)
    found = _candidates(bright, total) + _candidates(edges, total)
    plausible = [f for f in found if 1.2 <= f.aspect <= 1.9]

    def score(f: Found) -> float:
        shape = min(abs(f.aspect - _CARD_ASPECT), abs(f.aspect - _PAGE_ASPECT))
        return f.area_fraction - 1.5 * shape

    return sorted(plausible, key=score, reverse=True)


def whole_image(bgr: np.ndarray) -> Found:
    """The photo itself as the outline: for scans and photos cropped to the document."""
    h, w = bgr.shape[:2]
    q = order_corners(_corners(w, h))
    return Found(quad=q, area_fraction=1.0, aspect=_aspect(q))


def _corners(w: int, h: int) -> np.ndarray:
    return np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype=np.float32)


def rectify(bgr: np.ndarray, quad: Quad, size_mm: tuple[float, float]) -> np.ndarray:
    """Warp the outlined document to a flat image at PX_PER_MM."""
    w, h = round(size_mm[0] * const.PX_PER_MM), round(size_mm[1] * const.PX_PER_MM)
    m = cv2.getPerspectiveTransform(quad.astype(np.float32), _corners(w, h))
    return cv2.warpPerspective(bgr, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def rotate180(doc: np.ndarray) -> np.ndarray:
    return cv2.rotate(doc, cv2.ROTATE_180)


def crop(doc: np.ndarray, r: Region) -> np.ndarray:
    """The region's pixels on a rectified document."""
    s = const.PX_PER_MM
    h, w = doc.shape[:2]
    x0, y0 = max(0, int(r.x0 * s)), max(0, int(r.y0 * s))
    x1, y1 = min(w, int(r.x1 * s)), min(h, int(r.y1 * s))
    return doc[y0:y1, x0:x1]


def sharpness(bgr: np.ndarray, quad: Quad, size_mm: tuple[float, float]) -> float:
    """Variance of the Laplacian of the outlined document drawn at 5 px/mm: low means out of focus.

    Measured at a fixed, modest scale so that a small but sharp document in the photo is not
    mistaken for a blurred one (and the other way round).
    """
    w, h = round(size_mm[0] * _SHARPNESS_PX_MM), round(size_mm[1] * _SHARPNESS_PX_MM)
    m = cv2.getPerspectiveTransform(quad.astype(np.float32), _corners(w, h))
    small = cv2.warpPerspective(bgr, m, (w, h), flags=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    return float(cv2.Laplacian(gray, cv2.CV_64F).var())


def glyph_count(doc: np.ndarray, region: Region) -> int:
    """Glyph-sized ink blobs in a region: a cheap test that a text line is there before OCR."""
    part = crop(doc, region)
    if part.size == 0:
        return 0
    binary = (ink(part) < 150).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    char_px = region.char_mm * const.PX_PER_MM
    return sum(
        1
        for i in range(1, count)
        if 0.4 * char_px <= stats[i][cv2.CC_STAT_HEIGHT] <= 1.8 * char_px
        and stats[i][cv2.CC_STAT_WIDTH] <= 2.5 * char_px
    )


def red_fraction(doc: np.ndarray, r: Region) -> float:
    """Share of clearly red pixels in a region (the emblem on the back of the ID card)."""
    part = crop(doc, r).astype(np.int16)
    if part.size == 0:
        return 0.0
    b, g, rr = part[..., 0], part[..., 1], part[..., 2]
    red = (rr > 120) & (rr - g > 60) & (rr - b > 50)
    return float(red.mean())


def ink(part: np.ndarray) -> np.ndarray:
    """Dark, unsaturated ink on a flattened background, as 0..255 (255 = paper).

    The HSV value channel (max of R, G, B) keeps black print dark while the blue labels and the
    light security pattern turn light; dividing by a large-scale closing evens out shadows and
    the tint of the card.
    """
    v = part.max(axis=2) if part.ndim == 3 else part
    k = max(15, (min(v.shape[:2]) // 2) | 1)
    bg = cv2.morphologyEx(v, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    flat = cv2.divide(v, np.maximum(bg, 1), scale=255)
    return flat


def split_lines(flat: np.ndarray, region: Region) -> list[tuple[int, int, int, int]]:
    """Text lines inside a region as (x0, y0, x1, y1) boxes, top to bottom, at most region.lines.

    Rows with ink form bands; bands much thinner than a character are noise or stray strokes
    from a neighbouring field; touching fragments of one line are merged.
    """
    char_px = region.char_mm * const.PX_PER_MM
    binary: np.ndarray = cv2.morphologyEx((flat < 150).astype(np.uint8), cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    rows = binary.sum(axis=1)
    min_row = max(2, int(0.012 * binary.shape[1]))
    on = rows >= min_row
    bands: list[list[int]] = []
    y = 0
    n = len(on)
    while y < n:
        if on[y]:
            start = y
            while y < n and on[y]:
                y += 1
            if bands and start - bands[-1][1] <= 0.18 * char_px:
                bands[-1][1] = y
            else:
                bands.append([start, y])
        y += 1
    boxes: list[tuple[int, int, int, int]] = []
    for y0, y1 in bands:
        if y1 - y0 < 0.45 * char_px:
            continue
        cols = np.where(binary[y0:y1].sum(axis=0) > 0)[0]
        if cols.size == 0:
            continue
        boxes.append((int(cols[0]), y0, int(cols[-1]) + 1, y1))
    if len(boxes) > region.lines:
        # keep the lines with most ink (a neighbour's stray line is usually cut and faint)
        keep = sorted(boxes, key=lambda b: -int(binary[b[1] : b[3], b[0] : b[2]].sum()))[: region.lines]
        boxes = sorted(keep, key=lambda b: b[1])
    return boxes


def line_image(flat: np.ndarray, box: tuple[int, int, int, int], *, height: int = 48, pad: int = 12) -> Image.Image:
    """One text line cut from a flattened region, scaled to ``height`` px text, on white margins."""
    x0, y0, x1, y1 = box
    m = 3
    part = flat[max(0, y0 - m) : y1 + m, max(0, x0 - m) : x1 + m]
    f = height / max(1, part.shape[0])
    if abs(f - 1) > 0.05:
        part = cv2.resize(
            part, (max(1, round(part.shape[1] * f)), height), interpolation=cv2.INTER_CUBIC if f > 1 else cv2.INTER_AREA
        )
    part = cv2.copyMakeBorder(
        np.ascontiguousarray(part, dtype=np.uint8), pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(255,)
    )
    return Image.fromarray(part)


def drop_colour(part: np.ndarray, flat: np.ndarray) -> np.ndarray:
    """Whiten coloured print (the blue 年/月/日 labels between the birth-date values).

    Black ink is grey at every blur level while the labels stay blue, so chroma (max - min of
    the channels) tells them apart where darkness cannot.
    """
    if part.ndim != 3:
        return flat
    p = part.astype(np.int16)
    smooth = cv2.GaussianBlur(part, (5, 5), 0).astype(np.int16)  # JPEG smears colour over 8x8 blocks
    chroma = p.max(axis=2) - p.min(axis=2)
    chroma_s = smooth.max(axis=2) - smooth.min(axis=2)
    coloured = ((chroma > _COLOURED) | (chroma_s > _COLOURED_SMOOTH)).astype(np.uint8)
    coloured = cv2.dilate(coloured, np.ones((5, 5), np.uint8))
    return np.where(coloured > 0, 255, flat).astype(np.uint8)


def _groups(line: np.ndarray) -> list[np.ndarray]:
    """Split a line at gaps wider than 0.8 of its height; drop faint groups (label remnants)."""
    h = line.shape[0]
    cols = (line < 150).any(axis=0)
    bridge = max(2, int(0.8 * h))
    groups: list[tuple[int, int]] = []
    start = last = -1
    for x, on in enumerate(cols):
        if not on:
            continue
        if start < 0:
            start = x
        elif x - last > bridge:
            groups.append((start, last + 1))
            start = x
        last = x
    if start >= 0:
        groups.append((start, last + 1))
    return [line[:, a:b] for a, b in groups if int(line[:, a:b].min()) < 110 and b - a >= max(2, h // 4)]


def field_lines(doc: np.ndarray, region: Region, *, height: int = 48) -> list[Image.Image]:
    """Crop a field region, flatten it and return its text lines ready for OCR."""
    part = crop(doc, region)
    if part.size == 0:
        return []
    flat = ink(part)
    return [line_image(flat, b, height=height) for b in split_lines(flat, region)]


def field_groups(doc: np.ndarray, region: Region, *, height: int = 28) -> list[Image.Image]:
    """The separate value groups of a one-line field, coloured print removed.

    The birth date is printed as year, month and day with blue 年/月/日 labels between them:
    without the labels the values stand far apart, and a line recogniser may skip a lone digit,
    so each group is read on its own.
    """
    part = crop(doc, region)
    if part.size == 0:
        return []
    flat = drop_colour(part, ink(part))
    boxes = split_lines(flat, region)
    if not boxes:
        return []
    x0, y0, x1, y1 = boxes[0]
    m = 3
    line = flat[max(0, y0 - m) : y1 + m, max(0, x0 - m) : x1 + m]
    out = []
    for g in _groups(line):
        out.append(line_image(g, (0, 0, g.shape[1], g.shape[0]), height=height))
    return out


# ---- machine-readable zones ---------------------------------------------------------------------
# An MRZ is printed in OCR-B at a fixed pitch (ICAO 9303 part 3), so each line is a row of equal
# cells. The filler "<" is found by its shape in each cell; OCR then reads only the runs of
# letters and digits between fillers. (General-purpose OCR models read long runs of "<" badly:
# "<<<<<<" comes back as "KKKSEE".)


@dataclass(frozen=True)
class MrzLine:
    """One MRZ line: which cells hold the filler, and an image of each run of other characters."""

    fillers: tuple[bool, ...]
    runs: tuple[tuple[int, int], ...]  # (first cell, number of cells) of each non-filler run
    images: tuple[tuple[Image.Image, ...], ...]  # per run, the run's image at each requested height
    cells: tuple[Image.Image, ...]  # every cell on its own (for reading single characters)


def _chevron(w: int, h: int) -> np.ndarray:
    """The OCR-B filler "<" drawn as a template: two strokes meeting at the left middle."""
    t: np.ndarray = np.zeros((h, w), np.uint8)
    stroke = max(1, round(0.14 * h))
    t = cv2.line(t, (w - 1, 0), (0, h // 2), (255,), stroke)
    return cv2.line(t, (0, h // 2), (w - 1, h - 1), (255,), stroke)


_TEMPLATE_W, _TEMPLATE_H = 16, 20
_FILLER_TEMPLATE: Final = _chevron(_TEMPLATE_W, _TEMPLATE_H).astype(np.float32)
_FILLER_MIN_CORR: Final = 0.62


def _is_filler(glyph: np.ndarray) -> bool:
    """Correlate a tight glyph crop (ink = 255) with the "<" template."""
    ys, xs = np.nonzero(glyph)
    if ys.size < 4:
        return False
    g = glyph[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    aspect = g.shape[1] / g.shape[0]
    if not 0.45 <= aspect <= 1.1:
        return False
    g = cv2.resize(g.astype(np.float32), (_TEMPLATE_W, _TEMPLATE_H), interpolation=cv2.INTER_AREA)
    a = g - g.mean()
    b = _FILLER_TEMPLATE - _FILLER_TEMPLATE.mean()
    denom = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return denom > 0 and float((a * b).sum()) / denom >= _FILLER_MIN_CORR


def _cells(binary: np.ndarray, n_cells: int) -> list[tuple[int, int]] | None:
    """Fit n equal cells to the glyphs of a fixed-pitch line: (x0, x1) per cell."""
    count, _, stats, cents = cv2.connectedComponentsWithStats(binary, connectivity=8)
    h = binary.shape[0]
    xs = [
        float(cents[i][0])
        for i in range(1, count)
        if stats[i][cv2.CC_STAT_HEIGHT] >= 0.35 * h and stats[i][cv2.CC_STAT_AREA] >= 3
    ]
    if len(xs) < n_cells // 3:
        return None
    xs.sort()
    pitch = (xs[-1] - xs[0]) / (n_cells - 1)
    if pitch <= 2:
        return None
    start = xs[0]
    for _ in range(3):
        ks = np.array([round((x - start) / pitch) for x in xs], np.float64)
        if ks.min() < 0 or ks.max() > n_cells - 1 or len(set(ks.tolist())) < 2:
            return None
        slope, intercept = np.polyfit(ks, np.array(xs), 1)
        pitch, start = float(slope), float(intercept)
    return [(max(0, round(start + (k - 0.5) * pitch)), round(start + (k + 0.5) * pitch)) for k in range(n_cells)]


def mrz_lines(doc: np.ndarray, region: Region, n_cells: int, heights: tuple[int, ...]) -> list[MrzLine] | None:
    """Split an MRZ region into lines and cells; None when it does not look like an MRZ."""
    part = crop(doc, region)
    if part.size == 0:
        return None
    flat = ink(part)
    boxes = split_lines(flat, region)
    if len(boxes) != region.lines:
        return None
    out: list[MrzLine] = []
    for x0, y0, x1, y1 in boxes:
        if (x1 - x0) < 0.6 * flat.shape[1]:
            return None
        m = 2
        line = flat[max(0, y0 - m) : y1 + m, :]
        binary = (line < 150).astype(np.uint8) * 255
        cells = _cells(binary, n_cells)
        if cells is None:
            return None
        fillers = tuple(_is_filler(binary[:, a:b]) for a, b in cells)
        runs: list[tuple[int, int]] = []
        k = 0
        while k < n_cells:
            if fillers[k]:
                k += 1
                continue
            j = k
            while j < n_cells and not fillers[j]:
                j += 1
            runs.append((k, j - k))
            k = j
        images = []
        for first, length in runs:
            a, b = cells[first][0], cells[first + length - 1][1]
            box = (a, max(0, y0 - m), min(flat.shape[1], b), y1 + m)
            images.append(tuple(line_image(flat, box, height=h) for h in heights))
        cell_images = tuple(
            line_image(flat, (a, max(0, y0 - m), min(flat.shape[1], b), y1 + m), height=heights[-1]) for a, b in cells
        )
        out.append(MrzLine(fillers=fillers, runs=tuple(runs), images=tuple(images), cells=cell_images))
    return out
