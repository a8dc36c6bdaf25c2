"""Agreement signing and the evidence ledger, timed.

    .venv/bin/python -m bench.signing [--runs 20] [--entries 100000] [--single 1000] [--workers 4]

* agreement: render (zh), sign (PAdES B-B; B-T with the in-process test TSA; SM2), verify;
  wall time and CPU time of this process (the machine is shared: CPU time shows the cost
  without other load). Targets: render+sign < 1 s, verify < 200 ms on 2 cores.
* ledger on SQLite: append() one at a time (own transaction each, as the dialogue does),
  the same from several processes at once, then append_many() up to ``--entries`` entries;
  verify_chain() over all of them; inclusion proofs at that size (time, path length, bytes).

Writes bench/results/signing.json. A fresh state directory in /tmp; nothing in var/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "signing.json"


def _timed(fn: Callable[[], Any], runs: int) -> tuple[dict[str, float], Any]:
    walls, cpus, result = [], [], None
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    walls.sort()
    return {
        "wall_median_ms": round(statistics.median(walls) * 1000, 1),
        "wall_p90_ms": round(walls[int(0.9 * (len(walls) - 1))] * 1000, 1),
        "cpu_median_ms": round(statistics.median(cpus) * 1000, 1),
        "runs": runs,
    }, result


def bench_agreement(runs: int) -> dict[str, Any]:
    from integrations.signing import AgreementData, ConsentEvidence, render_agreement, verify_pdf
    from integrations.signing.fonts import ensure_fonts
    from integrations.signing.sign import make_signer, test_timestamper
    from integrations.signing.sm2 import Sm2Signer, verify_detached

    t0 = time.perf_counter()
    ensure_fonts()
    font_build_s = round(time.perf_counter() - t0, 1)
    data = AgreementData("KK261128-BENCH1", "张伟", "420106198008251161", "KK_CLASSIC", 20000, "zh")
    now = dt.datetime.now(dt.timezone.utc)
    pades, pades_t, sm2 = make_signer(), make_signer(timestamper=test_timestamper()), Sm2Signer.local()
    render_agreement(data)  # warm: imports, font parsing caches, key loading
    rendered = render_agreement(data)

    def evidence(pdf: bytes) -> ConsentEvidence:
        return ConsentEvidence.for_document(
            pdf,
            application_reference=data.reference,
            agreement_version="2026-11",
            language="zh",
            otp_verified_at=now,
            consented_at=now,
            conversation_id="bench",
        )

    pades.sign(rendered.pdf, evidence(rendered.pdf))

    def render_and_sign() -> Any:
        r = render_agreement(data)
        return pades.sign(r.pdf, evidence(r.pdf))

    out: dict[str, Any] = {"reduced_font_build_s_first_run_only": font_build_s}
    out["render"], _ = _timed(lambda: render_agreement(data), runs)
    out["sign_pades_b_b"], signed = _timed(lambda: pades.sign(rendered.pdf, evidence(rendered.pdf)), runs)
    out["render_and_sign_b_b"], _ = _timed(render_and_sign, runs)
    out["sign_pades_b_t_in_process_tsa"], signed_t = _timed(
        lambda: pades_t.sign(rendered.pdf, evidence(rendered.pdf)), runs
    )
    out["sign_sm2"], signed_sm2 = _timed(lambda: sm2.sign(rendered.pdf, evidence(rendered.pdf)), runs)
    out["verify_b_b"], report = _timed(lambda: verify_pdf(signed.pdf), runs)
    out["verify_b_t"], report_t = _timed(lambda: verify_pdf(signed_t.pdf), runs)
    out["verify_sm2"], sm2_ok = _timed(lambda: verify_detached(signed_sm2.pdf, signed_sm2.detached_signature), runs)
    assert report.ok and report_t.ok and sm2_ok.ok
    out["sizes_bytes"] = {
        "rendered_pdf": len(rendered.pdf),
        "signed_b_b": len(signed.pdf),
        "signed_b_t": len(signed_t.pdf),
        "sm2_signature": len(signed_sm2.detached_signature),
    }
    return out


WORKER = """
import sys
from integrations.ledger import append
n, k = int(sys.argv[1]), int(sys.argv[2])
for i in range(k):
    append("card_control", f"KK261128-W{n}X{i:05d}", {"control": "freeze", "worker": str(n)})
"""


def bench_ledger(entries: int, single: int, workers: int) -> dict[str, Any]:
    from integrations.ledger import (
        append,
        append_many,
        get_entry,
        inclusion_proof,
        size,
        verify_chain,
        verify_inclusion,
    )

    digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    out: dict[str, Any] = {"database": "sqlite (WAL, synchronous=FULL, the project's engine settings)"}
    t = time.perf_counter()
    for i in range(single):
        append("signature", f"KK261128-S{i:06d}", {"signed_sha256": digest, "level": "pades-b-b"})
    elapsed = time.perf_counter() - t
    out["append_one_by_one"] = {
        "entries": single,
        "per_second": round(single / elapsed, 1),
        "ms_each": round(elapsed / single * 1000, 2),
    }
    each = max(1, single // workers)
    t = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(n), str(each)], cwd=ROOT) for n in range(workers)]
    assert all(p.wait() == 0 for p in procs)
    elapsed = time.perf_counter() - t
    out["append_concurrent_processes"] = {
        "processes": workers,
        "entries": each * workers,
        "per_second": round(each * workers / elapsed, 1),
        "note": "includes interpreter start-up of each process",
    }
    t = time.perf_counter()
    batch = 1000
    while size() < entries:
        n = min(batch, entries - size())
        base = size()
        append_many(
            [
                ("decision", f"KK261128-B{base + i:07d}", {"outcome": "approved", "document_sha256": digest})
                for i in range(n)
            ]
        )
    elapsed = time.perf_counter() - t
    out["append_many_batches_of_1000"] = {
        "entries_added": entries - single - each * workers,
        "per_second": round((entries - single - each * workers) / elapsed, 1),
    }
    w, c = time.perf_counter(), time.process_time()
    result = verify_chain()
    verify_wall, verify_cpu = time.perf_counter() - w, time.process_time() - c
    assert result.ok and result.size == entries
    out["verify_chain"] = {
        "entries": entries,
        "wall_s": round(verify_wall, 2),
        "cpu_s": round(verify_cpu, 2),
        "entries_per_second": round(entries / verify_wall),
    }
    from integrations.ledger.tree import clear_cache

    clear_cache()
    t = time.perf_counter()
    inclusion_proof(entries // 3)
    cold_ms = (time.perf_counter() - t) * 1000
    rng = random.Random(5)
    picks = [0, entries - 1, *rng.sample(range(entries), 8)]
    proof_times, verify_times, lengths = [], [], []
    for index in picks:
        t = time.perf_counter()
        proof = inclusion_proof(index)
        proof_times.append(time.perf_counter() - t)
        entry = get_entry(index)
        assert entry is not None
        t = time.perf_counter()
        assert verify_inclusion(entry, proof, result.root_hash)
        verify_times.append(time.perf_counter() - t)
        lengths.append(len(proof.path))
    out["inclusion_proof"] = {
        "tree_size": entries,
        "path_hashes_max": max(lengths),
        "path_bytes_max": max(lengths) * 32,
        "json_bytes_max": max(len(json.dumps(inclusion_proof(i).to_dict())) for i in picks[:3]),
        "make_ms_first_cold_cache": round(cold_ms, 1),
        "make_ms_median": round(statistics.median(proof_times) * 1000, 1),
        "verify_ms_median": round(statistics.median(verify_times) * 1000, 3),
    }
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--single", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--skip-ledger", action="store_true")
    args = ap.parse_args()
    os.environ["KAIKA_VAR_DIR"] = tempfile.mkdtemp(prefix="kaika-bench-signing-")
    from bot.store import upgrade

    upgrade()
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_at_start": os.getloadavg(),
        },
        "command": "python -m bench.signing " + " ".join(sys.argv[1:]),
        "agreement": bench_agreement(args.runs),
    }
    if not args.skip_ledger:
        results["ledger"] = bench_ledger(args.entries, args.single, args.workers)
    results["machine"]["load_average_at_end"] = os.getloadavg()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
