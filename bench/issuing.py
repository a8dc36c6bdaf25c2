"""Virtual card issuing throughput: signed applications issued per second (each issue is two
committed phases plus a ledger append), and the latency of a reveal and of a control, on a
fresh SQLite database in a temporary state directory. Optionally several processes at once.

    .venv/bin/python -m bench.issuing [--cards 300] [--processes 1 2]

Writes bench/results/issuing.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)


def _signed_apps(n: int) -> list[int]:
    from bot.store.db import session_scope
    from bot.store.models import Application

    with session_scope() as session:
        apps = [
            Application(conversation_key=f"bench-{i}", status="signed", language="zh", product_code="KK_CLASSIC")
            for i in range(n)
        ]
        session.add_all(apps)
        session.flush()
        return [int(a.id) for a in apps]


def _worker(app_ids: list[int], queue: mp.Queue) -> None:  # type: ignore[type-arg]
    from integrations.issuing import issue_card

    times = []
    for app_id in app_ids:
        t0 = time.perf_counter()
        res = issue_card(app_id, "KK_CLASSIC")
        times.append(time.perf_counter() - t0)
        assert res.ok and res.code == "issued" and res.recorded
    queue.put(times)


def run(cards: int, processes: int) -> dict[str, object]:
    os.environ["KAIKA_VAR_DIR"] = tempfile.mkdtemp(prefix="kaika-bench-issuing-")
    from bot import crypto, settings
    from bot.store import db, upgrade

    for cached in (settings.get_settings, crypto.get_cipher, db.get_engine, db._sessionmaker):
        cached.cache_clear()

    upgrade()
    app_ids = _signed_apps(cards)
    chunks = [app_ids[i::processes] for i in range(processes)]
    queue: mp.Queue = mp.get_context("fork").Queue()  # type: ignore[type-arg]
    from bot.store.db import get_engine

    get_engine().dispose()  # no inherited connections in the children
    t0 = time.perf_counter()
    procs = [mp.get_context("fork").Process(target=_worker, args=(chunk, queue)) for chunk in chunks]
    for p in procs:
        p.start()
    latencies: list[float] = []
    for _ in procs:
        latencies.extend(queue.get())
    for p in procs:
        p.join()
    wall = time.perf_counter() - t0

    from integrations.issuing import card_view, freeze, new_reveal_token, reveal, unfreeze
    from integrations.ledger import size, verify_chain

    reveal_t, control_t = [], []
    for app_id in app_ids[:100]:
        card = card_view(app_id).card
        token = new_reveal_token(app_id).token
        assert card and token
        t = time.perf_counter()
        assert reveal(card.card_id, token).ok
        reveal_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        assert freeze(app_id).recorded
        control_t.append(time.perf_counter() - t)
        unfreeze(app_id)
    ok = verify_chain().ok
    return {
        "cards": cards,
        "processes": processes,
        "cards_per_second": round(cards / wall, 1),
        "issue_p50_ms": _pct(latencies, 0.5),
        "issue_p95_ms": _pct(latencies, 0.95),
        "issue_mean_ms": round(statistics.mean(latencies) * 1000, 2),
        "reveal_p50_ms": _pct(reveal_t, 0.5),
        "freeze_p50_ms": _pct(control_t, 0.5),
        "ledger_entries": size(),
        "ledger_verifies": ok,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cards", type=int, default=300)
    ap.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    results = [run(args.cards, p) for p in args.processes]
    out = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}",
        "database": "SQLite (WAL), fresh file",
        "results": results,
    }
    path = ROOT / "bench" / "results" / "issuing.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=2))
    for r in results:
        print(
            f"{r['processes']} process(es): {r['cards_per_second']} cards/s, issue p50 {r['issue_p50_ms']} ms "
            f"p95 {r['issue_p95_ms']} ms; reveal p50 {r['reveal_p50_ms']} ms; freeze p50 {r['freeze_p50_ms']} ms; "
            f"ledger {r['ledger_entries']} entries, verifies: {r['ledger_verifies']}"
        )


if __name__ == "__main__":
    main()
