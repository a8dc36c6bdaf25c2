"""A separate process that issues a card and can be stopped dead between two steps.

    python -m tests.integrations.issuing.crash_child APPLICATION_ID PRODUCT [STOP_AT | race]

With STOP_AT it prints ``AT <step>`` when issuance reaches that step and then waits to be
killed (the test sends SIGKILL: no cleanup, no rollback handlers, no atexit). With ``race`` it
prints ``READY`` once imported and starts when a line arrives on stdin, so several processes
start issuing at the same moment. It finishes by printing the result as JSON (the reveal token
reduced to a yes/no). Uses the real
evidence ledger. KAIKA_VAR_DIR tells it which database and keys to use.
"""

from __future__ import annotations

import json
import sys
import time


def main() -> int:
    from bot import logsafe

    logsafe.install()
    from integrations.issuing import issue_card

    app_id, product = int(sys.argv[1]), sys.argv[2]
    stop_at = sys.argv[3] if len(sys.argv) > 3 else None
    if stop_at == "race":
        from bot.store.db import get_engine

        get_engine().connect().close()  # connected and ready: only the race itself remains
        print("READY", flush=True)
        sys.stdin.readline()

    def checkpoint(step: str) -> None:
        if step == stop_at:
            print(f"AT {step}", flush=True)
            time.sleep(600)  # killed here

    res = issue_card(app_id, product, checkpoint=checkpoint)
    print(
        json.dumps(
            {
                "ok": res.ok,
                "code": res.code,
                "card_id": res.card.card_id if res.card else None,
                "has_token": res.reveal_token is not None,
                "recorded": res.recorded,
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
