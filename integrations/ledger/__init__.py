"""Evidence ledger ("区块链存证"): an append-only, hash-chained log of the events that matter
legally, with a Merkle tree over the entries and RFC 6962 inclusion proofs.

Only ids, codes, timestamps and SHA-256 digests go in, never personal data, so erasing an
applicant's data leaves the ledger whole and verifiable.

    from integrations.ledger import append, verify_chain, inclusion_proof, verify_inclusion
"""

from integrations.ledger.entry import ChainVerification, InclusionProof, LedgerEntry, TreeHead
from integrations.ledger.store import (
    LedgerError,
    append,
    append_many,
    checkpoint,
    entries_for,
    get_entry,
    inclusion_proof,
    recorded_heads,
    size,
    tree_head,
    verify_chain,
    verify_inclusion,
)
from integrations.ledger.validate import LedgerDataError

__all__ = [
    "ChainVerification",
    "InclusionProof",
    "LedgerDataError",
    "LedgerEntry",
    "LedgerError",
    "TreeHead",
    "append",
    "append_many",
    "checkpoint",
    "entries_for",
    "get_entry",
    "inclusion_proof",
    "recorded_heads",
    "size",
    "tree_head",
    "verify_chain",
    "verify_inclusion",
]
