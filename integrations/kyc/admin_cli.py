"""Operations commands of the KYC step (the document reader's ``kaika kyc read`` lives elsewhere).

    kaika kyc purge [--now ISO]                       drop evidence past its retention deadline
    kaika kyc screen NAME... [--birth-date YYYY-MM-DD] screen names against the configured list
    kaika kyc outbox [--to E164] [--last N]           development SMS outbox (codes in clear)
    kaika kyc record APPLICATION_ID                   a KYC record's status, checks and evidence

Each prints JSON on stdout. Exit codes: 0 done, 2 bad input.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from typing import Any

from integrations.cli import run


def _print(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _purge(args: argparse.Namespace) -> int:
    from integrations.kyc.record import purge_expired

    now = None
    if args.now:
        try:
            now = dt.datetime.fromisoformat(args.now.replace("Z", "+00:00"))
        except ValueError:
            print("--now must be an ISO date-time", file=sys.stderr)
            return 2
    _print({"purged": purge_expired(now)})
    return 0


def _screen(args: argparse.Namespace) -> int:
    from integrations.kyc.screening import screen

    if args.birth_date:
        try:
            dt.date.fromisoformat(args.birth_date)
        except ValueError:
            print("--birth-date must be YYYY-MM-DD", file=sys.stderr)
            return 2
    result = screen(args.names, args.birth_date)
    _print({**dataclasses.asdict(result), "confidence": result.confidence})
    return 0


def _outbox(args: argparse.Namespace) -> int:
    from integrations.kyc.sms import OutboxSmsGateway

    messages = OutboxSmsGateway().messages(to=args.to)
    _print(messages[-args.last :] if args.last > 0 else messages)
    return 0


def _record(args: argparse.Namespace) -> int:
    from integrations.kyc.record import get_record

    view = get_record(args.application_id)
    if view is None:
        print("no KYC record for this application", file=sys.stderr)
        return 2
    _print(dataclasses.asdict(view))
    return 0


def register(subparsers: Any) -> None:
    """Add ``purge``, ``screen``, ``outbox`` and ``record`` to a ``kyc`` sub-command group."""
    purge = subparsers.add_parser("purge", help="delete evidence images past their retention deadline")
    purge.add_argument("--now", help="ISO date-time to purge as of (default: now)")
    purge.set_defaults(func=_purge)
    scr = subparsers.add_parser("screen", help="screen a name against the sanctions/PEP list")
    scr.add_argument("names", nargs="+", help="one or more spellings of the name")
    scr.add_argument("--birth-date", help="YYYY-MM-DD")
    scr.set_defaults(func=_screen)
    out = subparsers.add_parser("outbox", help="messages in the development SMS outbox")
    out.add_argument("--to", help="only messages to this E.164 number")
    out.add_argument("--last", type=int, default=10, help="how many of the newest (0: all)")
    out.set_defaults(func=_outbox)
    rec = subparsers.add_parser("record", help="a KYC record (status, checks, evidence references)")
    rec.add_argument("application_id", type=int)
    rec.set_defaults(func=_record)


def main(argv: list[str] | None = None) -> int:
    return run(register, argv, prog="kaika kyc", description="KYC operations")


if __name__ == "__main__":
    sys.exit(main())
