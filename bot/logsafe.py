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
    (re.compile(r"(?<!\d)\d{15,19}[Xx]?(?!\d)"), "[NUMBER]"),
    # card numbers written in groups: 6258 9912 3456 7890, 6258-9912-3456-7890 (15-19 digits)
    (re.compile(r"(?<![0-9A-Za-z])\d(?:[ \-]?\d){14,18}(?![0-9A-Za-z])"), "[CARD]"),
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
        try:
            # Check the message as it will be printed: arguments of any type (an int card number in
            # "%d" included) are merged in first. Only when something must be masked is the record
            # rewritten; otherwise its arguments stay for formatters that read them (uvicorn's).
            message = record.getMessage()
            cleaned = redact(message)
            if cleaned != message:
                record.msg, record.args = cleaned, ()
        except Exception:  # a malformed format string: redact the parts separately
            record.msg = redact(str(record.msg))
            if isinstance(record.args, tuple):
                record.args = tuple(_redact_arg(a) for a in record.args)
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
