"""Policy-as-data files (policy.yml, reasons.yml): parsed once, again only when the file changes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from integrations.scoring import const as k
from integrations.scoring.errors import ScoringError

T = TypeVar("T")

_cache: dict[tuple[str, float], Any] = {}
_lock = threading.Lock()


def load_yaml(path: Path, parse: Callable[[Any], T]) -> T:
    """``parse(yaml of path)``, cached per file and modification time; a missing file is a bad policy."""
    try:
        key = (str(path), path.stat().st_mtime)
    except OSError as exc:
        raise ScoringError(k.ERR_BAD_POLICY, f"{path.name} not found") from exc
    with _lock:
        hit = _cache.get(key)
        if hit is None:
            with path.open(encoding="utf-8") as fh:
                hit = parse(yaml.safe_load(fh))
            _cache[key] = hit
        return hit
