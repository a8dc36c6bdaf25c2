"""Latency of the non-document KYC checks: selfie liveness, screening, one-time codes.

    .venv/bin/python -m bench.kyc_checks [--repeat 5]

* selfie: ``check_selfie`` on the real face photo shipped with matplotlib (grace_hopper.jpg),
  alone, against an ID card that shows another photo, and against the card it came from
  (a spoof); phone-sized variants (1080x1440 and 3024x4032 JPEG) show the cost of big uploads;
* screening: ``screen()`` over the bundled FICTITIOUS list for Chinese, pinyin and Latin names
  (cold, i.e. first call, and warm);
* one-time code: ``send`` (outbox) + ``verify`` against a fresh SQLite database.

Runs in a temporary state directory. Writes bench/results/kyc_checks.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _timed(fn: Callable[[], Any], repeat: int) -> dict[str, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return {"median_s": round(statistics.median(samples), 4), "max_s": round(max(samples), 4), "n": repeat}


def _jpeg(image: Any, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def bench_selfie(repeat: int) -> dict[str, Any]:
    import matplotlib
    from PIL import Image, ImageDraw

    from integrations.kyc.liveness import check_selfie

    face = Image.open(os.path.join(matplotlib.get_data_path(), "sample_data", "grace_hopper.jpg")).convert("RGB")

    def card(portrait: Image.Image | None) -> bytes:
        c = Image.new("RGB", (1000, 630), (215, 220, 225))
        draw = ImageDraw.Draw(c)
        for y in range(120, 480, 60):
            draw.rectangle([60, y, 560, y + 25], fill=(90, 90, 90))
        c.paste(portrait.resize((260, 305)) if portrait else Image.new("RGB", (260, 305), (180, 170, 160)), (680, 150))
        return _jpeg(c)

    selfie = _jpeg(face)
    other_card, own_card = card(None), card(face)
    phone = _jpeg(face.resize((1080, 1440)))
    big = _jpeg(face.resize((3024, 4032)), 85)
    out: dict[str, Any] = {}
    for name, args, expect in [
        ("selfie_alone", (selfie, None), "ok"),
        ("selfie_vs_other_card", (selfie, other_card), "ok"),
        ("spoof_card_portrait_vs_card", (selfie, own_card), "same_as_id_photo"),
        ("phone_1080x1440_vs_other_card", (phone, other_card), "ok"),
        ("phone_3024x4032_vs_other_card", (big, other_card), "ok"),
    ]:
        code = check_selfie(*args).code
        out[name] = {**_timed(lambda a=args: check_selfie(*a), repeat), "code": code, "expected": expect}
    return out


def bench_screening(repeat: int) -> dict[str, Any]:
    from integrations.kyc import screening

    names = [
        ("张伟", "1971-03-14"),
        ("Zhang Wei", "1971-03-14"),
        ("Muhammad Abdul Karim Rashidi", "1968-09-02"),
        ("陈晓宇", "1991-05-05"),
        ("Emily Chen", "1990-02-02"),
    ]
    started = time.perf_counter()
    screening.default_list()
    load_s = time.perf_counter() - started
    out: dict[str, Any] = {"list_load_s": round(load_s, 4), "entries": screening.default_list().size}
    for name, birth in names:
        screening.token_similarity.cache_clear()
        screening.name_score.cache_clear()
        started = time.perf_counter()
        result = screening.screen(name, birth)
        cold = time.perf_counter() - started
        out[name] = {
            "cold_s": round(cold, 4),
            **_timed(lambda n=name, b=birth: screening.screen(n, b), repeat),
            "outcome": result.outcome,
        }
    return out


def bench_otp(repeat: int) -> dict[str, Any]:
    from bot.store import upgrade
    from bot.store.applications import open_draft
    from integrations.kyc.otp import OtpService
    from integrations.kyc.sms import OutboxSmsGateway

    upgrade()
    box = OutboxSmsGateway()
    service = OtpService(box)
    apps = [open_draft(f"bench:{i}", "zh", "bench") for i in range(repeat)]
    sends, verifies = [], []
    for i, app in enumerate(apps):
        phone = f"+861501234{i:04d}"
        started = time.perf_counter()
        service.send(app, phone)
        sends.append(time.perf_counter() - started)
        code = box.last(to=phone)["params"]["code"]  # type: ignore[index]
        started = time.perf_counter()
        assert service.verify(app, code).ok
        verifies.append(time.perf_counter() - started)
    return {
        "send_median_s": round(statistics.median(sends), 4),
        "verify_median_s": round(statistics.median(verifies), 4),
        "n": repeat,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kaika-bench-kyc-") as state:
        os.environ["KAIKA_VAR_DIR"] = state
        results = {
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version()},
            "load_average": os.getloadavg(),
            "selfie": bench_selfie(args.repeat),
            "screening": bench_screening(args.repeat),
            "otp": bench_otp(args.repeat),
        }
    out = ROOT / "bench" / "results" / "kyc_checks.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
