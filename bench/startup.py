"""Seconds from starting the Rasa server (trained model on disk) until it answers with the model
loaded; repeated runs.   .venv/bin/python -m bench.startup [--runs 3]"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.e2e.harness import free_port

ROOT = Path(__file__).resolve().parent.parent


def once() -> float:
    port, token = free_port(), "bench-startup-token"
    var = tempfile.mkdtemp(prefix="kaika-startup-")
    env = {**os.environ, "KAIKA_VAR_DIR": var, "RASA_TELEMETRY_ENABLED": "false", "RASA_AUTH_TOKEN": token}
    cmd = [
        sys.executable,
        "-m",
        "bot.launch",
        "rasa",
        "run",
        "--enable-api",
        "--model",
        str(ROOT / "models" / "kaika.tar.gz"),
        "--endpoints",
        str(ROOT / "endpoints.yml"),
        "--interface",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/status?token={token}", timeout=2) as r:
                    if json.loads(r.read()).get("model_id"):
                        return time.monotonic() - t0
            except OSError:
                pass
            if time.monotonic() - t0 > 300:
                raise TimeoutError
            time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    runs = [round(once(), 1) for _ in range(ap.parse_args().runs)]
    print(f"Rasa ready after {runs} s (model loaded, API answering)")
    out = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}",
        "command": "python -m bench.startup " + " ".join(sys.argv[1:]),
        "rasa_ready_seconds": runs,
    }
    path = ROOT / "bench" / "results" / "startup.json"
    path.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
