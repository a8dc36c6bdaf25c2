"""Turn latency and throughput with N concurrent simulated applicants over Rasa's REST channel.

    .venv/bin/python -m bench.latency [--runs 1:0 20:0 20:3] [--conversations 40]
                                      [--url http://127.0.0.1:5005]   # default: start a stack

A run is CONCURRENCY:THINK. THINK is the mean number of seconds an applicant takes to read a reply
and type the next answer (uniform between half and one and a half times it); 0 sends the next
message the moment the reply arrives (closed loop: the server never rests, the worst case; all
start at once). With THINK > 0 the first CONCURRENCY applicants arrive at random moments over one
conversation's length, each later one when another has finished, so about CONCURRENCY
conversations are open at any time.

Each simulated applicant completes a whole application (Chinese or English, alternating),
with one FAQ question on the way, identity checks deferred: 14 turns. Every turn's round trip
is timed. Without --url a fresh stack (actions, Rasa, gateway via `kaika run`) is started in a temporary directory, so
the figures include the encrypted SQLite tracker store and the action server.
Writes bench/results/latency.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bot.const import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent

# What an applicant types, turn by turn: the form's questions in order, identity checks deferred
# ("later"), one FAQ question on the way. {phone} differs per applicant (one-time codes are
# rate-limited per phone number, as they must be). The last turn submits and gets the decision.
SCRIPTS = {
    "zh": [
        "我想办信用卡",
        "我同意",
        "张伟",
        "420106198008251161",
        "{phone}",
        "稍后验证",
        "稍后再做",
        "上班族",
        "在阿里巴巴上班",
        "3年",
        "月薪两万五",
        "年费多少？",
        "租的房子",
        "无",
        "没有逾期",
        "旅游和餐饮",
        "第一张",
        "确认提交",
    ],
    "en": [
        "I'd like a credit card please",
        "I accept",
        "Emily Chen",
        "350203197705124516",
        "{phone}",
        "I'll verify later",
        "later",
        "self-employed",
        "about 5 years",
        "12k after tax",
        "is there an annual fee?",
        "renting",
        "none",
        "no, never",
        "travel",
        "the first one",
        "yes, confirm",
    ],
}
# The slot each script is expected to have filled last (checked once per run, see check_script).
LAST_SLOT = "application_id"


def phone(lang: str, n: int) -> str:
    return f"150{n % 100_000_000:08d}" if lang == "zh" else f"+65 9{n % 10_000_000:07d}"


async def applicant(
    client: httpx.AsyncClient,
    url: str,
    n: int,
    lat: list[float],
    errors: list[str],
    think: float = 0.0,
    token: str = "",
) -> bool:
    """One whole application; True when it ended submitted (checked in the tracker when the token is known)."""
    lang = LANGUAGES[n % 2]
    sender = f"bench-{lang}-{n}-{os.getpid()}-{time.time_ns()}"
    for template in SCRIPTS[lang]:
        text = template.format(phone=phone(lang, n + 100_000 * (os.getpid() % 1000)))
        t0 = time.perf_counter()
        try:
            r = await client.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text})
            if r.status_code != 200 or not r.json():
                errors.append(f"{sender} {text!r}: HTTP {r.status_code}")
        except httpx.HTTPError as exc:
            errors.append(f"{sender} {text!r}: {exc!r}")
        lat.append(time.perf_counter() - t0)
        if think:  # a person reads the reply and types the next answer
            await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))
    if not token:
        return True
    r = await client.get(f"{url}/conversations/{sender}/tracker", params={"token": token})
    return r.status_code == 200 and bool(r.json()["slots"].get(LAST_SLOT))


async def run(url: str, concurrency: int, conversations: int, think: float = 0.0, token: str = "") -> dict:
    lat: list[float] = []
    errors: list[str] = []
    completed: list[bool] = []
    sem = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=concurrency)) as client:
        await applicant(client, url, 10_000, [], [])  # warm-up (jieba, caches), not counted

        async def one(i: int) -> None:
            if think and i < concurrency:  # people arrive at random moments, not all in the same millisecond
                await asyncio.sleep(random.uniform(0, think * len(SCRIPTS["zh"])))
            async with sem:
                completed.append(await applicant(client, url, i, lat, errors, think, token))

        t0 = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(conversations)))
        wall = time.perf_counter() - t0
    lat.sort()
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000  # noqa: E731
    return {
        "concurrency": concurrency,
        "think_seconds": think,
        "conversations": conversations,
        "completed": sum(completed) if token else None,
        "turns": len(lat),
        "errors": errors[:10],
        "error_count": len(errors),
        "p50_ms": round(q(0.50), 1),
        "p95_ms": round(q(0.95), 1),
        "p99_ms": round(q(0.99), 1),
        "mean_ms": round(statistics.mean(lat) * 1000, 1),
        "turns_per_second": round(len(lat) / wall, 1),
        "wall_seconds": round(wall, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url")
    ap.add_argument("--runs", nargs="+", default=["1:0", "20:0", "20:3"], help="CONCURRENCY:THINK_SECONDS")
    ap.add_argument("--conversations", type=int, default=40)
    args = ap.parse_args()
    stack = None
    url = args.url
    token = os.environ.get("RASA_AUTH_TOKEN", "")
    if not url:
        from tests.e2e.harness import Stack

        stack = Stack(Path(tempfile.mkdtemp(prefix="kaika-bench-")))
        started = stack.start()
        print(f"stack healthy after {started:.1f} s")
        url, token = stack.rasa, stack.token
    try:
        runs = [(int(c), float(t)) for c, t in (r.split(":") for r in args.runs)]
        results = [asyncio.run(run(url, c, args.conversations, t, token)) for c, t in runs]
    finally:
        if stack:
            stack.stop()
    out = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}",
        "results": results,
    }
    path = ROOT / "bench" / "results" / "latency.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=2, ensure_ascii=False))
    for r in results:
        print(
            f"concurrency {r['concurrency']:3d}, think {r['think_seconds']} s: p50 {r['p50_ms']} ms, "
            f"p95 {r['p95_ms']} ms, p99 {r['p99_ms']} ms, "
            f"{r['turns_per_second']} turns/s, {r['turns']} turns, {r['error_count']} errors, "
            f"{r['completed']}/{r['conversations']} applications submitted"
        )


if __name__ == "__main__":
    main()
