"""Erasure of an applicant's data across every package, when they withdraw consent.

The application rows and the KYC data go in one transaction (a half-done erasure never leaves
personal data next to a "withdrawn" status); decision records, signed agreements and cards,
kept by their own packages, follow; the evidence ledger records that the erasure happened (ids
and digests only, so the ledger stays verifiable without the erased data).
"""

from __future__ import annotations

from typing import Any

from bot.lifecycle import record_event, subject_for
from bot.store import applications


def erase_conversation(sender_id: str) -> list[str]:
    from integrations.issuing.service import erase_for_application as erase_cards
    from integrations.kyc.record import erase_for_application as erase_kyc
    from integrations.scoring.records import erase_for_application as erase_decisions
    from integrations.signing.service import erase_for_application as erase_agreements

    ids = applications.application_ids(sender_id)
    for app_id in ids:  # agreements are found through the reference, erased below with the row
        erase_agreements(app_id)

    def kyc_in_same_transaction(app_id: int, session: Any) -> None:
        erase_kyc(app_id, session=session)

    refs = applications.withdraw(sender_id, also=kyc_in_same_transaction)
    for app_id in ids:
        erase_decisions(app_id)
        erase_cards(app_id)
        record_event("data_deleted", subject_for(app_id), {"reason": "consent_withdrawn"})
    return refs
