"""Liveness: selfie checks on a real face photo, spoofs refused, the spoken challenge.

The only real face photograph installed on this machine is matplotlib's sample
``grace_hopper.jpg`` (matplotlib is pinned in requirements.txt); scikit-learn's sample
``china.jpg`` / ``flower.jpg`` are real photos without faces. ID cards are drawn in the test.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from integrations.kyc import liveness as lv
from integrations.kyc import otp

from .kyc_support import FakeClock, clear_kyc_caches, new_application


def _sample(path: str) -> Image.Image:
    if not os.path.exists(path):
        pytest.skip(f"sample image not installed: {path}")
    return Image.open(path).convert("RGB")


@pytest.fixture(scope="module")
def face() -> Image.Image:
    import matplotlib

    return _sample(os.path.join(matplotlib.get_data_path(), "sample_data", "grace_hopper.jpg"))


@pytest.fixture(scope="module")
def landscape() -> Image.Image:
    import sklearn.datasets

    return _sample(os.path.join(os.path.dirname(sklearn.datasets.__file__), "images", "china.jpg"))


def jpeg(image: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def id_card(portrait: Image.Image | None) -> Image.Image:
    """A card-like image: text bars on the left, the holder's photo on the right (as on a CN ID)."""
    card = Image.new("RGB", (1000, 630), (215, 220, 225))
    draw = ImageDraw.Draw(card)
    for y in range(120, 480, 60):
        draw.rectangle([60, y, 560, y + 25], fill=(90, 90, 90))
    photo = portrait.resize((260, 305)) if portrait is not None else Image.new("RGB", (260, 305), (180, 170, 160))
    card.paste(photo, (680, 150))
    return card


def photographed(image: Image.Image) -> Image.Image:
    """The image photographed at an angle on a table (perspective)."""
    arr = np.asarray(image)
    h, w = arr.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[30, 20], [w - 10, 40], [w - 40, h - 10], [10, h - 30]])
    warped = cv2.warpPerspective(arr, cv2.getPerspectiveTransform(src, dst), (w, h), borderValue=(100, 100, 100))
    return Image.fromarray(warped)


# -- the selfie --------------------------------------------------------------------------------
def test_a_real_selfie_passes(face: Image.Image) -> None:
    check = lv.check_selfie(jpeg(face), jpeg(id_card(None)))
    assert check.code == lv.SELFIE_OK and check.ok
    assert check.faces == 1 and check.face_fraction >= lv.MIN_FACE_FRACTION
    assert check.id_compared and check.image_distance is not None and check.image_distance > lv.IMAGE_HASH_MAX
    assert check.seconds < 5


def test_a_selfie_without_id_image_is_judged_alone(face: Image.Image) -> None:
    check = lv.check_selfie(face)
    assert check.ok and not check.id_compared and check.confidence < lv.check_selfie(face, id_card(None)).confidence


def test_another_pose_is_not_the_id_photo(face: Image.Image) -> None:
    """The same face turned 12 degrees (the closest offline stand-in for a second photo of the
    same person) must not be taken for the ID photo."""
    tilted = face.rotate(12, resample=Image.BICUBIC, fillcolor=(128, 128, 128))
    check = lv.check_selfie(jpeg(tilted), jpeg(id_card(face)))
    assert check.code == lv.SELFIE_OK
    assert check.face_distance is not None and check.face_distance > lv.FACE_HASH_MAX


SPOOFS = {
    "card_resent": lambda f: jpeg(id_card(f)),
    "card_recompressed_smaller": lambda f: jpeg(id_card(f).resize((800, 504)), 50),
    "card_photographed_at_an_angle": lambda f: jpeg(photographed(id_card(f))),
    "portrait_cut_from_card": lambda f: jpeg(id_card(f).crop((680, 150, 940, 455)).resize((520, 610)), 60),
    "portrait_mirrored": lambda f: jpeg(
        id_card(f).crop((680, 150, 940, 455)).resize((520, 610)).transpose(Image.FLIP_LEFT_RIGHT)
    ),
    "original_of_the_id_photo": lambda f: jpeg(f),
}


@pytest.mark.parametrize("spoof", sorted(SPOOFS))
def test_the_id_photo_resent_as_selfie_is_refused(face: Image.Image, spoof: str) -> None:
    check = lv.check_selfie(SPOOFS[spoof](face), jpeg(id_card(face)))
    assert check.code == lv.SAME_AS_ID_PHOTO and not check.ok


def test_no_face(landscape: Image.Image) -> None:
    assert lv.check_selfie(jpeg(landscape)).code == lv.NO_FACE
    assert lv.check_selfie(jpeg(Image.new("RGB", (640, 480), (200, 190, 180)))).code == lv.NO_FACE
    noise = Image.fromarray(np.random.default_rng(0).integers(0, 255, (480, 640, 3), dtype=np.uint8))
    assert lv.check_selfie(jpeg(noise)).code == lv.NO_FACE


def test_several_faces(face: Image.Image) -> None:
    pair = Image.new("RGB", (face.width * 2, face.height))
    pair.paste(face, (0, 0))
    pair.paste(face.transpose(Image.FLIP_LEFT_RIGHT), (face.width, 0))
    check = lv.check_selfie(jpeg(pair))
    assert check.code == lv.SEVERAL_FACES and check.faces == 2


def test_a_face_too_small(face: Image.Image) -> None:
    scene = Image.new("RGB", (1600, 1200), (120, 140, 160))
    scene.paste(face.resize((320, 375)), (640, 400))
    check = lv.check_selfie(jpeg(scene))
    assert check.code == lv.FACE_TOO_SMALL and check.face_fraction < lv.MIN_FACE_FRACTION


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "not_image"), (b"hello, not an image", "not_image"), (b"%PDF-1.7\n...", "pdf")],
)
def test_bad_input_gets_the_intake_code(data: bytes, code: str) -> None:
    assert lv.check_selfie(data).code == code


def test_a_truncated_selfie(face: Image.Image) -> None:
    data = jpeg(face)
    assert lv.check_selfie(data[: len(data) // 2]).code == "truncated"


def test_an_unreadable_id_image_does_not_block_the_selfie(face: Image.Image) -> None:
    check = lv.check_selfie(jpeg(face), b"garbage")
    assert check.ok and not check.id_compared


def test_perceptual_hash_basics(face: Image.Image) -> None:
    gray = np.asarray(face.convert("L"))
    assert lv.phash(gray).size == 64 and lv.phash256(gray).size == 256
    assert lv.hamming(lv.phash(gray), lv.phash(gray)) == 0
    smaller = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    assert lv.hamming(lv.phash(gray), lv.phash(smaller)) <= 2


# -- the spoken challenge -----------------------------------------------------------------------
@pytest.fixture()
def challenge_env(store: Path) -> Iterator[tuple[lv.LivenessService, FakeClock, int]]:
    clear_kyc_caches()
    clock = FakeClock()
    yield lv.LivenessService(otp.OtpService(clock=clock)), clock, new_application()
    clear_kyc_caches()


def test_a_fresh_code_with_issue_time_and_expiry(challenge_env) -> None:  # type: ignore[no-untyped-def]
    service, _clock, app = challenge_env
    issued = service.issue_challenge(app)
    assert issued.code == otp.ISSUED and issued.challenge is not None
    ch = issued.challenge
    assert len(ch.code) == 4 and ch.code.isdigit()
    assert ch.issued_at == "2026-12-01T09:00:00Z" and ch.expires_at == "2026-12-01T09:02:00Z"
    codes = {service.issue_challenge(app).challenge.code for _ in range(8)}  # type: ignore[union-attr]
    assert len(codes) > 1  # random, not fixed


ANSWERS = [
    ("{c}", "typed"),
    ("{c_fullwidth}", "typed"),
    ("{c_zh}", "speech"),
    ("我念的是 {c_spaced}", "speech"),
    ("{c_en}", "speech"),
]


def test_the_right_answer(challenge_env) -> None:  # type: ignore[no-untyped-def]
    service, _clock, app = challenge_env
    zh = "零一二三四五六七八九"
    en = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    for answer, method in ANSWERS:
        code = service.issue_challenge(app).challenge.code
        text = answer.format(
            c=code,
            c_fullwidth="".join(chr(0xFF10 + int(d)) for d in code),
            c_zh="".join(zh[int(d)] for d in code),
            c_spaced=" ".join(code),
            c_en=" ".join(en[int(d)] for d in code),
        )
        check = service.answer_challenge(app, text, method)
        assert check.code == lv.CHALLENGE_OK and check.method == method, (answer, method)


def test_a_stale_challenge_is_refused(challenge_env) -> None:  # type: ignore[no-untyped-def]
    service, clock, app = challenge_env
    code = service.issue_challenge(app).challenge.code
    clock.advance(seconds=121)
    assert service.answer_challenge(app, code, lv.TYPED).code == lv.STALE_CHALLENGE


def test_wrong_codes_then_lockout(challenge_env) -> None:  # type: ignore[no-untyped-def]
    service, _clock, app = challenge_env
    code = service.issue_challenge(app).challenge.code
    other = f"{(int(code) + 1) % 10_000:04d}"
    first = service.answer_challenge(app, other, lv.TYPED)
    assert first.code == lv.CHALLENGE_WRONG and first.remaining == 2
    assert service.answer_challenge(app, other, lv.TYPED).remaining == 1
    assert service.answer_challenge(app, other, lv.TYPED).code == lv.CHALLENGE_LOCKED
    assert service.answer_challenge(app, code, lv.TYPED).code == lv.CHALLENGE_LOCKED
    assert service.issue_challenge(app).code == otp.LOCKED


def test_replay_and_missing_and_superseded(challenge_env) -> None:  # type: ignore[no-untyped-def]
    service, _clock, app = challenge_env
    assert service.answer_challenge(app, "1234", lv.TYPED).code == lv.NO_CHALLENGE
    old = service.issue_challenge(app).challenge.code
    new = service.issue_challenge(app).challenge.code
    if old != new:
        assert service.answer_challenge(app, old, lv.TYPED).code == lv.CHALLENGE_WRONG
    assert service.answer_challenge(app, new, lv.SPEECH).ok
    assert service.answer_challenge(app, new, lv.SPEECH).code == lv.CHALLENGE_USED


def test_malformed_answers(challenge_env) -> None:  # type: ignore[no-untyped-def]
    service, _clock, app = challenge_env
    code = service.issue_challenge(app).challenge.code
    for answer in ["", "hello", "12", "123456", "四千八百"]:
        assert service.answer_challenge(app, answer, lv.TYPED).code == lv.MALFORMED_RESPONSE, answer
    assert service.answer_challenge(app, code, lv.TYPED).ok  # malformed answers used no tries


def test_unknown_method_is_a_programming_error(challenge_env) -> None:  # type: ignore[no-untyped-def]
    service, _clock, app = challenge_env
    with pytest.raises(ValueError):
        service.answer_challenge(app, "1234", "telepathy")


# -- combined ---------------------------------------------------------------------------------
def test_combine(face: Image.Image) -> None:
    good = lv.check_selfie(face)
    typed = lv.combine(good, lv.ChallengeCheck(lv.CHALLENGE_OK, lv.TYPED))
    spoken = lv.combine(good, lv.ChallengeCheck(lv.CHALLENGE_OK, lv.SPEECH))
    assert typed.passed and typed.strength == "weak" and typed.method == "typed"
    assert spoken.passed and spoken.strength == "standard" and spoken.confidence > typed.confidence
    stale = lv.combine(good, lv.ChallengeCheck(lv.STALE_CHALLENGE, lv.SPEECH))
    assert not stale.passed and stale.code == lv.STALE_CHALLENGE
    no_face = lv.combine(lv.SelfieCheck(lv.NO_FACE), lv.ChallengeCheck(lv.CHALLENGE_OK, lv.SPEECH))
    assert not no_face.passed and no_face.code == lv.NO_FACE
