"""Liveness: a selfie with exactly one face that is not the ID photo, plus a fresh spoken code.

Two independent parts, combined by :func:`combine`:

* :func:`check_selfie` (pure, no database): OpenCV's bundled Haar cascade
  (``cv2.data.haarcascades``) must find exactly one dominant face covering at least
  ``MIN_FACE_FRACTION`` of the image's shorter side. The selfie must not be the ID document's
  photo sent again: a 64-bit perceptual hash (DCT pHash) of the whole image is compared with the
  ID image's (also mirrored: front cameras mirror), and the selfie's face crop with every face
  found on the ID image (256-bit pHash over a small grid of shifts/scales, because two detections
  of the same face never align exactly, confirmed by normalized cross-correlation).
* The spoken challenge: a random 4-digit code (``secrets``) issued with time and expiry through
  :class:`integrations.kyc.otp.OtpService` (purpose "liveness": stored as a keyed hash, single
  use, 120 s, 3 tries). The applicant reads it aloud; until speech recognition exists the typed
  answer is accepted but recorded as method "typed", strength "weak" (it proves someone is at the
  keyboard now, not that the person in the selfie is live). kyc_status treats it per
  ``KAIKA_KYC_TYPED_LIVENESS_OUTCOME`` (default: review), see :mod:`integrations.kyc.outcome`.

Thresholds were set on the only real face photo available offline (matplotlib's sample
``grace_hopper.jpg``): the same photo re-encoded, rescaled, cropped from a card, or
photographed at an angle stays within them; the same photo rotated 12 degrees (a proxy for a
different pose) and random non-face crops fall outside. They are not calibrated on a face data
set; a bank replaces this module with a certified liveness / face-match provider.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import cv2
import numpy as np
from PIL import Image

from integrations.kyc import images
from integrations.kyc.otp import (
    ALREADY_USED,
    EXPIRED,
    ISSUED,
    LIVENESS,
    LOCKED,
    MALFORMED,
    NO_ACTIVE_CODE,
    OK,
    WRONG_CODE,
    OtpService,
)
from nlu.parsers.numbers import spoken_digits_to_ascii

# selfie result codes (plus the image intake codes of integrations.kyc.images)
SELFIE_OK: Final = "ok"
NO_FACE: Final = "no_face"
SEVERAL_FACES: Final = "several_faces"
FACE_TOO_SMALL: Final = "face_too_small"
SAME_AS_ID_PHOTO: Final = "same_as_id_photo"
# challenge result codes
CHALLENGE_OK: Final = "ok"
CHALLENGE_WRONG: Final = "wrong_code"
STALE_CHALLENGE: Final = "stale_challenge"
NO_CHALLENGE: Final = "no_challenge"
CHALLENGE_LOCKED: Final = "challenge_locked"
CHALLENGE_USED: Final = "challenge_used"
MALFORMED_RESPONSE: Final = "malformed_response"
# methods and their strength
TYPED: Final = "typed"
SPEECH: Final = "speech"
METHODS: Final = (TYPED, SPEECH)
STRENGTH: Final = {TYPED: "weak", SPEECH: "standard"}

CASCADE: Final = "haarcascade_frontalface_default.xml"
DETECT_MAX_SIDE: Final = 640  # detection runs on a copy at most this large (speed)
MIN_DETECT_PX: Final = 40  # smallest face the cascade looks for, in detection pixels
MIN_FACE_FRACTION: Final = 0.20  # face side / image's shorter side, for an arm's-length selfie
SECOND_FACE_RATIO: Final = 0.5  # another face at least half as large as the main one counts
IMAGE_HASH_MAX: Final = 10  # of 64 bits: same whole image (re-encoded: 0, cropped 5 %: 12)
FACE_HASH_MAX: Final = 72  # of 256 bits: same face crop (measured 32-64; rotated 92; others >= 100)
FACE_NCC_MIN: Final = 0.80  # and correlation of the aligned crops (measured 0.85-0.94; rotated 0.68)
SHIFTS: Final = (-0.08, -0.04, 0.0, 0.04, 0.08)
SCALES: Final = (0.92, 1.0, 1.08)
CODE_DIGITS: Final = 4


@dataclass(frozen=True)
class FaceBox:
    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True)
class SelfieCheck:
    """``code`` SELFIE_OK or why not; ``faces`` dominant faces found; ``id_compared`` whether an ID
    image was given; distances to it (None when not compared) for the record."""

    code: str
    faces: int = 0
    face: FaceBox | None = None
    face_fraction: float = 0.0
    id_compared: bool = False
    image_distance: int | None = None
    face_distance: int | None = None
    face_correlation: float | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.code == SELFIE_OK

    @property
    def confidence(self) -> float:
        """Heuristic, not calibrated: lower when there was no ID photo to compare with."""
        if not self.ok:
            return 1.0
        return 0.9 if self.id_compared else 0.7


@dataclass(frozen=True)
class SpokenChallenge:
    """The code to show and have read aloud, with its issue time and expiry (naive UTC)."""

    code: str
    issued_at: str
    expires_at: str
    challenge_id: int


@dataclass(frozen=True)
class ChallengeIssue:
    """``code`` "issued" with ``challenge``, or an OTP refusal (too_many_sends, locked) + retry_after."""

    code: str
    challenge: SpokenChallenge | None = None
    retry_after: int | None = None


@dataclass(frozen=True)
class ChallengeCheck:
    code: str
    method: str
    remaining: int | None = None
    retry_after: int | None = None

    @property
    def ok(self) -> bool:
        return self.code == CHALLENGE_OK


@dataclass(frozen=True)
class LivenessResult:
    """What goes into the KYC record and the ``liveness_passed`` slot."""

    passed: bool
    code: str
    method: str
    strength: str
    confidence: float
    selfie: SelfieCheck
    challenge: ChallengeCheck


# -- image helpers ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _cascade() -> cv2.CascadeClassifier:
    classifier = cv2.CascadeClassifier(cv2.data.haarcascades + CASCADE)  # type: ignore[attr-defined]
    if classifier.empty():
        raise RuntimeError(f"OpenCV cascade {CASCADE} not found")
    return classifier


def _gray(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"), dtype=np.uint8)


def detect_faces(gray: np.ndarray) -> list[FaceBox]:
    """Frontal faces in a grayscale image, in its own pixel coordinates, largest first."""
    height, width = gray.shape[:2]
    scale = min(1.0, DETECT_MAX_SIDE / max(height, width))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    found = _cascade().detectMultiScale(small, scaleFactor=1.1, minNeighbors=5, minSize=(MIN_DETECT_PX, MIN_DETECT_PX))
    boxes = [FaceBox(*(round(float(v) / scale) for v in box)) for box in found]
    return sorted(boxes, key=lambda b: b.w * b.h, reverse=True)


def _dct_hash(gray: np.ndarray, side: int, bits_side: int) -> np.ndarray:
    small = cv2.resize(gray, (side, side), interpolation=cv2.INTER_AREA).astype(np.float32)
    block = cv2.dct(small)[:bits_side, :bits_side].flatten()
    return np.asarray(block > np.median(block[1:]))


def phash(gray: np.ndarray) -> np.ndarray:
    """64-bit DCT perceptual hash (32x32 -> 8x8 low frequencies, above the median)."""
    return _dct_hash(gray, 32, 8)


def phash256(gray: np.ndarray) -> np.ndarray:
    """256-bit DCT perceptual hash (64x64 -> 16x16), finer for comparing face crops."""
    return _dct_hash(gray, 64, 16)


def hamming(a: np.ndarray, b: np.ndarray) -> int:
    return int(np.count_nonzero(a != b))


def _image_distance(a: np.ndarray, b: np.ndarray) -> int:
    ha = phash(a)
    return min(hamming(ha, phash(b)), hamming(ha, phash(cv2.flip(b, 1))))


def _crop(gray: np.ndarray, box: FaceBox, dx: float = 0.0, dy: float = 0.0, scale: float = 1.0) -> np.ndarray:
    side = box.w * scale
    cx, cy = box.x + box.w / 2 + dx * box.w, box.y + box.h / 2 + dy * box.h
    x0, y0 = max(0, round(cx - side / 2)), max(0, round(cy - side / 2))
    x1, y1 = min(gray.shape[1], round(cx + side / 2)), min(gray.shape[0], round(cy + side / 2))
    return gray[y0:y1, x0:x1]


def _normalized(gray: np.ndarray, side: int = 48) -> np.ndarray:
    """Resized to side x side, zero mean, unit variance: ready for a correlation."""
    f = cv2.resize(gray, (side, side), interpolation=cv2.INTER_AREA).astype(np.float32)
    return (f - f.mean()) / (f.std() + 1e-6)


def face_similarity(id_gray: np.ndarray, id_face: FaceBox, selfie_gray: np.ndarray, face: FaceBox) -> tuple[int, float]:
    """Best (lowest) 256-bit pHash distance and best normalized cross-correlation between the
    selfie's face and the ID face, over a grid of small shifts and scales of the ID crop (the
    selfie face also mirrored)."""
    target = _crop(selfie_gray, face)
    mirrored = cv2.flip(target, 1)
    hashes = (phash256(target), phash256(mirrored))
    normals = (_normalized(target), _normalized(mirrored))
    best_distance, best_ncc = 256, -1.0
    for dx in SHIFTS:
        for dy in SHIFTS:
            for scale in SCALES:
                crop = _crop(id_gray, id_face, dx, dy, scale)
                if min(crop.shape[:2]) < 8:
                    continue
                h = phash256(crop)
                n = _normalized(crop)
                best_distance = min(best_distance, *(hamming(h, t) for t in hashes))
                best_ncc = max(best_ncc, *(float((n * t).mean()) for t in normals))
    return best_distance, round(best_ncc, 3)


def _to_image(data: bytes | Image.Image) -> Image.Image:
    if isinstance(data, Image.Image):
        return data.convert("RGB")
    return images.load(data).image


# -- public API ------------------------------------------------------------------------------
def check_selfie(selfie: bytes | Image.Image, id_image: bytes | Image.Image | None = None) -> SelfieCheck:
    """Refuse: not an image (intake codes), the ID image again, no face, several faces, a face too
    small. ``id_image`` is the ID document photo (whole card or its portrait) to compare with."""
    started = time.perf_counter()
    try:
        image = _to_image(selfie)
    except images.ImageRejected as exc:
        return SelfieCheck(exc.code, seconds=time.perf_counter() - started)
    gray = _gray(image)
    id_gray: np.ndarray | None = None
    image_distance: int | None = None
    if id_image is not None:
        try:
            id_gray = _gray(_to_image(id_image))
        except images.ImageRejected:
            id_gray = None  # an unreadable ID image cannot be compared; the selfie is judged alone
    if id_gray is not None:
        image_distance = _image_distance(id_gray, gray)
        if image_distance <= IMAGE_HASH_MAX:
            return SelfieCheck(
                SAME_AS_ID_PHOTO, id_compared=True, image_distance=image_distance, seconds=time.perf_counter() - started
            )
    faces = detect_faces(gray)
    compared = id_gray is not None
    if not faces:
        return SelfieCheck(
            NO_FACE, id_compared=compared, image_distance=image_distance, seconds=time.perf_counter() - started
        )
    main = faces[0]
    dominant = [f for f in faces if f.w >= SECOND_FACE_RATIO * main.w]
    fraction = round(main.w / min(gray.shape[:2]), 3)
    if len(dominant) > 1:
        return SelfieCheck(
            SEVERAL_FACES,
            faces=len(dominant),
            face=main,
            face_fraction=fraction,
            id_compared=compared,
            image_distance=image_distance,
            seconds=time.perf_counter() - started,
        )
    face_distance: int | None = None
    face_corr: float | None = None
    if id_gray is not None:
        for id_face in detect_faces(id_gray):
            distance, corr = face_similarity(id_gray, id_face, gray, main)
            if face_distance is None or distance < face_distance:
                face_distance, face_corr = distance, corr
            if distance <= FACE_HASH_MAX and corr >= FACE_NCC_MIN:
                return SelfieCheck(
                    SAME_AS_ID_PHOTO,
                    faces=1,
                    face=main,
                    face_fraction=fraction,
                    id_compared=True,
                    image_distance=image_distance,
                    face_distance=distance,
                    face_correlation=corr,
                    seconds=time.perf_counter() - started,
                )
    # after the ID-photo test: a re-sent card is refused as the ID photo, not as a small face
    if fraction < MIN_FACE_FRACTION:
        return SelfieCheck(
            FACE_TOO_SMALL,
            faces=1,
            face=main,
            face_fraction=fraction,
            id_compared=compared,
            image_distance=image_distance,
            seconds=time.perf_counter() - started,
        )
    return SelfieCheck(
        SELFIE_OK,
        faces=1,
        face=main,
        face_fraction=fraction,
        id_compared=id_gray is not None,
        image_distance=image_distance,
        face_distance=face_distance,
        face_correlation=face_corr,
        seconds=time.perf_counter() - started,
    )


def parse_response(text: str) -> str:
    """The digits of an answer, typed or transcribed: "4821", "４８２１", "四八二一",
    "four eight two one", "我念的是 4 8 2 1". Returns "" when there is no digit."""
    ascii_digits = spoken_digits_to_ascii(text or "")
    return "".join(ch for ch in ascii_digits if ch.isascii() and ch.isdigit())


_CHALLENGE_CODES: Final = {
    OK: CHALLENGE_OK,
    WRONG_CODE: CHALLENGE_WRONG,
    EXPIRED: STALE_CHALLENGE,
    LOCKED: CHALLENGE_LOCKED,
    ALREADY_USED: CHALLENGE_USED,
    NO_ACTIVE_CODE: NO_CHALLENGE,
    MALFORMED: MALFORMED_RESPONSE,
}


class LivenessService:
    """Issues and checks the spoken code (stored through the one-time-code table)."""

    def __init__(self, otp: OtpService | None = None) -> None:
        self._otp = otp or OtpService()

    def issue_challenge(self, application_id: int) -> ChallengeIssue:
        """A fresh code; any earlier one for the application stops being valid."""
        result = self._otp.issue(application_id, LIVENESS)
        if result.code != ISSUED or result.value is None or result.issued_at is None or result.expires_at is None:
            return ChallengeIssue(result.code, retry_after=result.retry_after)
        challenge = SpokenChallenge(
            code=result.value,
            issued_at=result.issued_at.isoformat(timespec="seconds") + "Z",
            expires_at=result.expires_at.isoformat(timespec="seconds") + "Z",
            challenge_id=int(result.challenge_id or 0),
        )
        return ChallengeIssue(ISSUED, challenge=challenge)

    def answer_challenge(self, application_id: int, response: str, method: str) -> ChallengeCheck:
        """Check the applicant's answer; ``method`` is "speech" (a transcript) or "typed"."""
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}")
        digits = parse_response(response)
        if len(digits) != CODE_DIGITS:
            return ChallengeCheck(MALFORMED_RESPONSE, method)
        result = self._otp.verify(application_id, digits, LIVENESS)
        return ChallengeCheck(
            _CHALLENGE_CODES.get(result.code, result.code), method, result.remaining, result.retry_after
        )


def combine(selfie: SelfieCheck, challenge: ChallengeCheck) -> LivenessResult:
    """Both parts must pass. The code is the first failure (selfie first), else "ok"."""
    passed = selfie.ok and challenge.ok
    code = SELFIE_OK if passed else (selfie.code if not selfie.ok else challenge.code)
    strength = STRENGTH.get(challenge.method, "weak")
    confidence = round(selfie.confidence * (1.0 if strength == "standard" else 0.6), 3) if passed else 1.0
    return LivenessResult(
        passed=passed,
        code=code,
        method=challenge.method,
        strength=strength,
        confidence=confidence,
        selfie=selfie,
        challenge=challenge,
    )
