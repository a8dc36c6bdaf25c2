"""Development secrets generated on first use into ``var/secrets`` (mode 0600, never committed).

In production every secret comes from the environment (or the platform's secret store) instead;
these files exist so that ``make run`` works on a fresh machine without any set-up.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from bot.settings import get_settings


def secrets_dir() -> Path:
    path = get_settings().var_dir / "secrets"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def load_or_create(name: str, nbytes: int = 32) -> str:
    """Return the secret stored under ``name``, creating a random one atomically if missing.

    Several processes may start at once; ``O_EXCL`` makes exactly one of them write the file,
    the others read what it wrote.
    """
    path = secrets_dir() / name
    if not path.exists():
        value = base64.urlsafe_b64encode(secrets.token_bytes(nbytes)).decode().rstrip("=")
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(value + "\n")
        try:
            os.link(tmp, path)  # atomic, fails if another process won the race
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    return path.read_text().strip()


def rasa_auth_token() -> str:
    """The token protecting Rasa's HTTP API: env RASA_AUTH_TOKEN, else a generated dev token."""
    return get_settings().rasa_auth_token or load_or_create("rasa_auth_token", 24)
