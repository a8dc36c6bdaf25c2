"""``kaika card …``: staff commands for issued cards. Output is masked JSON; no command ever
prints a card number, a CVV or a reveal token.

kaika card issue APPLICATION_ID PRODUCT [--credit-limit N]   issue (idempotent) the signed application's card
kaika card show APPLICATION_ID                               the masked card and its status
kaika card freeze APPLICATION_ID | unfreeze APPLICATION_ID   one-step freeze / unfreeze
kaika card flush-evidence                                    send queued card evidence to the ledger
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from typing import Any

from integrations.cli import run


def _print(result: Any) -> int:
    payload = {k: v for k, v in dataclasses.asdict(result).items() if k not in {"reveal_token", "token"}}
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
    print()
    return 0 if getattr(result, "ok", True) else 1


def _issue(args: argparse.Namespace) -> int:
    from integrations.issuing import issue_card

    return _print(issue_card(args.application_id, args.product, credit_limit=args.credit_limit))


def _show(args: argparse.Namespace) -> int:
    from integrations.issuing import card_view

    return _print(card_view(args.application_id))


def _freeze(args: argparse.Namespace) -> int:
    from integrations.issuing import freeze, unfreeze

    return _print((freeze if args.card_command == "freeze" else unfreeze)(args.application_id))


def _flush(_args: argparse.Namespace) -> int:
    from integrations.issuing.evidence import flush, unrecorded

    sent = flush()
    left = unrecorded()
    print(json.dumps({"recorded": sent, "queued": left}))
    return 0 if left == 0 else 1


def register(subparsers: Any) -> None:
    card = subparsers.add_parser("card", help="issued cards (masked): issue, show, freeze, unfreeze")
    sub = card.add_subparsers(dest="card_command", required=True)
    issue = sub.add_parser("issue", help="issue the card of a signed application (idempotent)")
    issue.add_argument("application_id", type=int)
    issue.add_argument("product")
    issue.add_argument("--credit-limit", type=int, default=None, help="approved limit in yuan")
    issue.set_defaults(func=_issue)
    show = sub.add_parser("show", help="the masked card of an application")
    show.add_argument("application_id", type=int)
    show.set_defaults(func=_show)
    for name in ("freeze", "unfreeze"):
        p = sub.add_parser(name, help=f"{name} the application's card")
        p.add_argument("application_id", type=int)
        p.set_defaults(func=_freeze)
    flush = sub.add_parser("flush-evidence", help="append queued card evidence to the ledger")
    flush.set_defaults(func=_flush)


def main(argv: list[str] | None = None) -> int:
    from bot import logsafe

    logsafe.install()
    return run(register, argv)


if __name__ == "__main__":
    sys.exit(main())
