"""The application's status and the transitions allowed between statuses.

    draft ──submit──▶ submitted ──decide──▶ approved ──sign──▶ signed ──issue──▶ issued
      │                   │   └────────▶ referred ──review──▶ approved | declined
      │                   └────────────▶ declined
      └──────────── withdraw (from any non-final status) ───────────▶ withdrawn

``draft`` exists from the moment the applicant consents; a reference number is given at submit.
"""

from __future__ import annotations

from enum import Enum
from typing import Final


class Status(str, Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REFERRED = "referred"
    APPROVED = "approved"
    DECLINED = "declined"
    SIGNED = "signed"
    ISSUED = "issued"
    WITHDRAWN = "withdrawn"


TRANSITIONS: Final[dict[Status, frozenset[Status]]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED, Status.WITHDRAWN}),
    Status.SUBMITTED: frozenset({Status.APPROVED, Status.REFERRED, Status.DECLINED, Status.WITHDRAWN}),
    Status.REFERRED: frozenset({Status.APPROVED, Status.DECLINED, Status.WITHDRAWN}),
    Status.APPROVED: frozenset({Status.SIGNED, Status.WITHDRAWN}),
    Status.SIGNED: frozenset({Status.ISSUED}),
    Status.ISSUED: frozenset(),
    Status.DECLINED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

FINAL: Final = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)
OPEN: Final = frozenset(Status) - FINAL


class TransitionError(ValueError):
    """A status change that the state machine does not allow."""


def check_transition(current: Status | str, new: Status | str) -> Status:
    cur, nxt = Status(current), Status(new)
    if nxt not in TRANSITIONS[cur]:
        raise TransitionError(f"{cur.value} -> {nxt.value} is not allowed")
    return nxt
