"""The Merkle tree over the stored ledger: roots and audit paths without reading every entry.

In an append-only log a perfect, aligned subtree (2^k entries starting at a multiple of 2^k)
never changes once complete, and RFC 6962's split makes every left subtree such a one. Their
hashes are cached per database (in this process) once computed from the stored entry hashes;
a root or an audit path then needs only the cached subtrees plus the leaves of at most a couple
of chunks (the entry's own and the right edge's): a few milliseconds at 100,000 entries instead
of reading them all. ``verify_chain`` never uses this cache: it recomputes everything.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from integrations.ledger import const, merkle
from integrations.ledger.models import LedgerEntryRow

CHUNK = 256  # leaves read at a time; perfect subtrees of at least this size are cached
MAX_CACHED = 500_000  # subtree hashes kept per process (about 50 MB at most)
_ENTRIES = LedgerEntryRow.__table__
_cache: dict[tuple[str, int, int], bytes] = {}


class TreeSizeError(LookupError):
    """The stored entries do not cover the requested range (missing or out of order)."""

    code = const.BAD_TREE_SIZE


class StoredTree:
    """Hashes over the first ``size`` stored entries of one database."""

    def __init__(self, conn: Connection, size: int) -> None:
        self._conn = conn
        self._size = size
        self._db = str(conn.engine.url)

    def leaves(self, lo: int, hi: int) -> list[bytes]:
        rows = self._conn.execute(
            sa.select(_ENTRIES.c.entry_index, _ENTRIES.c.entry_hash)
            .where(_ENTRIES.c.entry_index >= lo, _ENTRIES.c.entry_index < hi)
            .order_by(_ENTRIES.c.entry_index)
        ).all()
        if len(rows) != hi - lo or (rows and (int(rows[0].entry_index) != lo or int(rows[-1].entry_index) != hi - 1)):
            raise TreeSizeError(lo, hi)
        return [merkle.leaf_hash(bytes.fromhex(r.entry_hash)) for r in rows]

    def range_hash(self, lo: int, hi: int) -> bytes:
        """MTH of the entries [lo, hi)."""
        width = hi - lo
        cacheable = width >= CHUNK and width & (width - 1) == 0 and lo % width == 0
        key = (self._db, lo, width)
        if cacheable and key in _cache:
            return _cache[key]
        if width <= CHUNK:
            digest = merkle.root_from_leaf_hashes(self.leaves(lo, hi))
        else:
            k = merkle.split(width)
            digest = merkle.node_hash(self.range_hash(lo, lo + k), self.range_hash(lo + k, hi))
        if cacheable:
            if len(_cache) >= MAX_CACHED:
                _cache.clear()
            _cache[key] = digest
        return digest

    def root(self) -> bytes:
        return merkle.EMPTY_ROOT if self._size == 0 else self.range_hash(0, self._size)

    def path(self, index: int) -> list[bytes]:
        """PATH(index, D[size]) (RFC 6962 §2.1.1), leaf sibling first."""
        if not 0 <= index < self._size:
            raise IndexError(index)
        upper: list[bytes] = []  # siblings found above the chunk level, top-down
        lo, hi = 0, self._size
        while hi - lo > CHUNK:
            k = merkle.split(hi - lo)
            if index - lo < k:
                upper.append(self.range_hash(lo + k, hi))
                hi = lo + k
            else:
                upper.append(self.range_hash(lo, lo + k))
                lo += k
        lower = merkle.inclusion_path(index - lo, self.leaves(lo, hi))
        return lower + list(reversed(upper))


def clear_cache() -> None:
    _cache.clear()
