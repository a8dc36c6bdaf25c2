"""``kaika ledger …``: verify the evidence ledger, record/publish tree heads, print proofs.

kaika ledger verify [--head SIZE:ROOT …] [--json]   exit 0 only when the chain and tree verify
kaika ledger checkpoint                             verify, record and print the current head
kaika ledger proof INDEX [--size N]                 an entry and its inclusion proof (JSON)
kaika ledger show SUBJECT                           the entries about one application (JSON)
"""

from __future__ import annotations

import argparse
import json
import sys

import sqlalchemy as sa

from integrations.cli import run

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def _head(text: str) -> object:
    from integrations.ledger.entry import TreeHead

    size, _, root = text.partition(":")
    if not size.isdigit() or len(root) != 64:
        raise argparse.ArgumentTypeError("expected SIZE:ROOT_HEX (64 hex digits)")
    try:
        bytes.fromhex(root)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("ROOT must be hex") from exc
    return TreeHead(int(size), root.lower())


def _has_table() -> bool:
    from bot.store.db import get_engine

    return bool(sa.inspect(get_engine()).has_table("ledger_entries"))


def _verify(args: argparse.Namespace) -> int:
    from integrations.ledger import verify_chain

    if not _has_table():
        print("ledger: no ledger table in this database (run `kaika db upgrade`)", file=sys.stderr)
        return EXIT_FAILED
    result = verify_chain(heads=args.head or ())
    if args.json:
        out = {
            "ok": result.ok,
            "entries": result.size,
            "root_hash": result.root_hash,
            "chain_ok": result.chain_ok,
            "first_bad_index": result.first_bad_index,
            "reason": result.reason,
            "tree_ok": result.tree_ok,
            "heads_checked": result.heads_checked,
            "bad_head_size": result.bad_head_size,
            "head_reason": result.head_reason,
        }
        print(json.dumps(out, indent=2))
    else:
        print(f"entries: {result.size}")
        print(f"root:    {result.root_hash}")
        if result.chain_ok:
            print("chain:   ok")
        else:
            print(f"chain:   FAILED at entry {result.first_bad_index} ({result.reason})")
        if result.tree_ok:
            print(f"tree:    ok ({result.heads_checked} tree head(s) checked)")
        else:
            print(f"tree:    FAILED at tree size {result.bad_head_size} ({result.head_reason})")
    return EXIT_OK if result.ok else EXIT_FAILED


def _checkpoint(args: argparse.Namespace) -> int:
    from integrations.ledger import LedgerError, checkpoint

    if not _has_table():
        print("ledger: no ledger table in this database (run `kaika db upgrade`)", file=sys.stderr)
        return EXIT_FAILED
    try:
        head = checkpoint()
    except LedgerError as exc:
        print(f"ledger: not checkpointed, verification failed ({exc.code})", file=sys.stderr)
        return EXIT_FAILED
    print(json.dumps({"tree_size": head.tree_size, "root_hash": head.root_hash, "created_at": head.created_at}))
    return EXIT_OK


def _proof(args: argparse.Namespace) -> int:
    from integrations.ledger import LedgerError, get_entry, inclusion_proof

    try:
        proof = inclusion_proof(args.index, args.size)
    except LedgerError as exc:
        print(f"ledger: no proof ({exc.code})", file=sys.stderr)
        return EXIT_FAILED
    entry = get_entry(args.index)
    assert entry is not None
    print(json.dumps({"entry": entry.to_dict(), "proof": proof.to_dict()}, indent=2))
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    from integrations.ledger import entries_for

    print(json.dumps([e.to_dict() for e in entries_for(args.subject)], indent=2))
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    ledger = subparsers.add_parser("ledger", help="the tamper-evident evidence ledger")
    sub = ledger.add_subparsers(dest="ledger_command", required=True)
    verify = sub.add_parser("verify", help="check the hash chain and the Merkle tree heads")
    verify.add_argument(
        "--head", action="append", type=_head, metavar="SIZE:ROOT", help="also check a published tree head"
    )
    verify.add_argument("--json", action="store_true", help="machine-readable output")
    verify.set_defaults(func=_verify)
    cp = sub.add_parser("checkpoint", help="verify, then record and print the current tree head")
    cp.set_defaults(func=_checkpoint)
    proof = sub.add_parser("proof", help="an entry with its RFC 6962 inclusion proof")
    proof.add_argument("index", type=int)
    proof.add_argument("--size", type=int, default=None, help="tree size (default: the whole ledger)")
    proof.set_defaults(func=_proof)
    show = sub.add_parser("show", help="entries about one application reference")
    show.add_argument("subject")
    show.set_defaults(func=_show)


def main(argv: list[str] | None = None) -> int:
    return run(register, argv)


if __name__ == "__main__":
    sys.exit(main())
