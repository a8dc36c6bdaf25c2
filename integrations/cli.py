"""What every ``integrations.*.cli`` module shares: running its subcommands on their own (tests,
``python -m integrations.ledger.cli …``) exactly as ``kaika`` runs them."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def run(
    register: Callable[[Any], None], argv: list[str] | None, prog: str = "kaika", description: str | None = None
) -> int:
    """Parse ``argv`` with the subcommands ``register`` adds and run the chosen one's handler."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))
