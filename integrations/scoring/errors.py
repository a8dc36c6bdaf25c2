"""The one exception type of the scoring package: it carries a code (see ``const.ERR_*``)."""

from __future__ import annotations


class ScoringError(Exception):
    """A scoring task could not be done. ``code`` is stable; ``detail`` is for logs (no personal data)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
