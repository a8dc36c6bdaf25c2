"""``kaika kyc read IMAGE [--json]``: read one identity-document photo (and the ``kyc`` command group).

Prints what was read (``--json``: the stable JSON shape of issue 3: document_type, the fields,
checks, seconds) and exits 0; when no document could be read, prints one line
``error: <code>`` on stderr and exits 2. ``python -m integrations.kyc.cli kyc read IMAGE`` does
the same without the ``kaika`` wrapper.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from integrations.cli import run

EXIT_OK = 0
EXIT_NOT_READ = 2
CANNOT_OPEN = "cannot_open_file"


def _read(args: argparse.Namespace) -> int:
    from .documents import DocumentRejected, read_document

    try:
        data = Path(args.image).read_bytes()
    except OSError:
        print(f"error: {CANNOT_OPEN}", file=sys.stderr)
        return EXIT_NOT_READ
    today = date.fromisoformat(args.today) if args.today else None
    try:
        reading = read_document(data, typed_name=args.name, today=today)
    except DocumentRejected as exc:
        print(f"error: {exc.code}", file=sys.stderr)
        return EXIT_NOT_READ
    out = reading.as_dict()
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return EXIT_OK
    for key, value in out.items():
        if key == "checks":
            for c in reading.checks:
                print(f"  check {c.name}: {'pass' if c.passed else 'FAIL'} ({c.detail})")
        else:
            print(f"{key}: {value}")
    return EXIT_OK


def add_read(kyc_subparsers: argparse._SubParsersAction) -> None:
    """Add ``read`` to an existing ``kyc`` sub-command group."""
    read = kyc_subparsers.add_parser("read", help="read an ID card (front/back) or passport photo")
    read.add_argument("image", help="photo file (JPEG, PNG, WebP, BMP, TIFF)")
    read.add_argument("--json", action="store_true", help="print JSON (stable field names)")
    read.add_argument("--name", help="the name the applicant typed, for the name check")
    read.add_argument("--today", help="YYYY-MM-DD to use for the expiry check (default: today)")
    read.set_defaults(func=_read)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``kyc`` command group to a ``kaika`` argument parser: ``read`` from here, and the
    operations commands of ``integrations.kyc.admin_cli`` (purge, screen, outbox, record) when
    that module is present, so ``kaika kyc ...`` is one group."""
    kyc = subparsers.add_parser("kyc", help="identity verification tools")
    sub = kyc.add_subparsers(dest="kyc_command", required=True)
    add_read(sub)
    try:
        from .admin_cli import register as register_admin
    except ImportError:
        return
    register_admin(sub)


def main(argv: list[str] | None = None) -> int:
    return run(register, argv)


if __name__ == "__main__":
    raise SystemExit(main())
