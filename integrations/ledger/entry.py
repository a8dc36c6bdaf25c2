"""Ledger entries, their canonical bytes and hashes; results of proofs and verification.

An entry's hash is SHA-256 over a canonical JSON encoding (sorted keys, no spaces, ASCII only)
of everything but the hash itself, including the previous entry's hash: that is the chain.
The Merkle tree's leaf for an entry is its 32-byte entry hash, hashed with the RFC 6962 leaf
prefix, so a verifier holding an entry recomputes both from the entry alone.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from integrations.ledger import merkle
from integrations.ledger.const import FORMAT_VERSION


def canonical_data(data: dict[str, str]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def canonical_bytes(
    index: int, event: str, subject: str, data: dict[str, str], timestamp: str, prev_hash: str
) -> bytes:
    body = {
        "v": FORMAT_VERSION,
        "index": index,
        "event": event,
        "subject": subject,
        "data": data,
        "timestamp": timestamp,
        "prev_hash": prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def compute_entry_hash(
    index: int, event: str, subject: str, data: dict[str, str], timestamp: str, prev_hash: str
) -> str:
    return hashlib.sha256(canonical_bytes(index, event, subject, data, timestamp, prev_hash)).hexdigest()


@dataclass(frozen=True)
class LedgerEntry:
    """One appended event. ``data`` holds ids and digests only, never personal data."""

    index: int
    event: str
    subject: str
    data: dict[str, str]
    timestamp: str
    prev_hash: str
    entry_hash: str

    def recompute_hash(self) -> str:
        """The hash this entry's content implies (differs from ``entry_hash`` if tampered)."""
        return compute_entry_hash(self.index, self.event, self.subject, self.data, self.timestamp, self.prev_hash)

    def leaf_hash(self) -> bytes:
        """The entry's Merkle leaf hash, from its recomputed (not its stored) entry hash."""
        return merkle.leaf_hash(bytes.fromhex(self.recompute_hash()))

    def to_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "event": self.event,
            "subject": self.subject,
            "data": dict(self.data),
            "timestamp": self.timestamp,
            "prev_hash": self.prev_hash,
            "entry_hash": self.entry_hash,
        }


@dataclass(frozen=True)
class TreeHead:
    """The Merkle root over the first ``tree_size`` entries (hex)."""

    tree_size: int
    root_hash: str
    created_at: str = ""


@dataclass(frozen=True)
class InclusionProof:
    """Evidence that entry ``index`` is in the tree of ``tree_size`` entries with ``root_hash``.

    ``path`` is the RFC 6962 audit path, leaf sibling first, as hex; its length is at most
    ceil(log2(tree_size)), i.e. 17 hashes (544 bytes) for 100,000 entries.
    """

    index: int
    tree_size: int
    root_hash: str
    path: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"index": self.index, "tree_size": self.tree_size, "root_hash": self.root_hash, "path": list(self.path)}


@dataclass(frozen=True)
class ChainVerification:
    """Result of checking the whole ledger.

    ``ok`` only when every entry's hash matches its content, every link matches, indexes run
    without gaps from 0, and every recorded or given tree head matches the recomputed tree.
    ``first_bad_index`` pinpoints the first entry that fails, with a reason code.
    """

    ok: bool
    size: int
    root_hash: str
    first_bad_index: int | None = None
    reason: str | None = None
    heads_checked: int = 0
    bad_head_size: int | None = None
    head_reason: str | None = None

    @property
    def chain_ok(self) -> bool:
        return self.first_bad_index is None

    @property
    def tree_ok(self) -> bool:
        return self.bad_head_size is None
