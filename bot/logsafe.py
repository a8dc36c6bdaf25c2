"""Keep personal data out of logs, whatever library does the logging.

Installs a LogRecord factory (process-wide, survives handler reconfiguration by Rasa or uvicorn)
that masks Chinese ID numbers, phone numbers and bearer tokens in every message and argument.
"""

from __future__ import annotations

import logging
import re
from typing import Any

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<![0-9A-Za-z])\d{6}(?:19|20)\d{2}[01]\d[0-3]\d\d{3}[\dXx](?![0-9A-Za-z])"), "[ID]"),
    (re.compile(r"(?<!\d)\d{15,18}[Xx]?(?!\d)"), "[NUMBER]"),
    (re.compile(r"(?<![\d+])(?:\+|00)\d[\d \-]{6,18}\d(?!\d)"), "[PHONE]"),
    (re.compile(r"(?<!\d)1[3-9]\d[ \-]?\d{4}[ \-]?\d{4}(?!\d)"), "[PHONE]"),
    (re.compile(r"(?i)(token|authorization|bearer)([\"'=: ]+)[A-Za-z0-9._~+/=-]{12,}"), r"\1\2[SECRET]"),
    (re.compile(r"#t=[A-Za-z0-9_-]{12,}"), "#t=[SECRET]"),
]


def redact(text: str) -> str:
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text


def _redact_arg(arg: Any) -> Any:
    if isinstance(arg, str):
        return redact(arg)
    if isinstance(arg, (int, float, bool)) or arg is None:
        return arg
    return redact(str(arg))


_installed = False


def install() -> None:
    """Idempotent; call first thing in every kaika process."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        elif record.msg is not None and not isinstance(record.msg, (int, float)):
            record.msg = redact(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _redact_arg(v) for k, v in record.args.items()}
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
