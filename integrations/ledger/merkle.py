"""Merkle tree hashing and inclusion proofs as in RFC 6962 §2.1 (Certificate Transparency),
with the verification algorithm of RFC 9162 §2.1.3.2.

Pure functions over 32-byte hashes, no storage: the ledger feeds them the entries' hashes.
Leaves are hashed as ``SHA-256(0x00 || leaf)`` and interior nodes as ``SHA-256(0x01 || left ||
right)``, so a leaf can never be passed off as a node (second-preimage attacks). The tree over
``n`` leaves splits at the largest power of two below ``n``, so the root over the first ``m``
leaves stays fixed as the log grows: a published root commits to that prefix forever.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from integrations.ledger.const import LEAF_PREFIX, NODE_PREFIX

EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) = SHA-256 of the empty string


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """MTH over already leaf-hashed entries (iterative, O(n) hashes, O(log n) memory)."""
    frontier = Frontier()
    for h in hashes:
        frontier.push(h)
    return frontier.root()


def _subtree(hashes: Sequence[bytes], lo: int, hi: int) -> bytes:
    if hi - lo == 1:
        return hashes[lo]
    k = split(hi - lo)
    return node_hash(_subtree(hashes, lo, lo + k), _subtree(hashes, lo + k, hi))


def inclusion_path(index: int, hashes: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 6962 §2.1.1: the sibling hashes from the leaf up to the root."""
    n = len(hashes)
    if not 0 <= index < n:
        raise IndexError(index)
    path: list[bytes] = []
    lo, hi, m = 0, n, index
    # Walk down from the root; each level contributes the subtree on the other side.
    while hi - lo > 1:
        k = split(hi - lo)
        if m < k:
            path.append(_subtree(hashes, lo + k, hi))
            hi = lo + k
        else:
            path.append(_subtree(hashes, lo, lo + k))
            lo, m = lo + k, m - k
    path.reverse()  # RFC order: from the leaf's sibling upwards
    return path


def root_from_inclusion(index: int, tree_size: int, leaf: bytes, path: Sequence[bytes]) -> bytes | None:
    """The root implied by a leaf hash and its audit path (RFC 9162 §2.1.3.2), or None when the
    path cannot belong to a tree of this size."""
    if not 0 <= index < tree_size:
        return None
    fn, sn, r = index, tree_size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


class Frontier:
    """The perfect subtrees on the right edge of a growing tree (its binary decomposition).

    Pushing a leaf merges equal-sized subtrees like a binary counter, so the root over every
    prefix is available while streaming through the log, in O(log n) memory.
    """

    def __init__(self) -> None:
        self._stack: list[tuple[int, bytes]] = []  # (size, hash), sizes strictly decreasing
        self.size = 0

    def push(self, leaf_hash_: bytes) -> None:
        size, h = 1, leaf_hash_
        while self._stack and self._stack[-1][0] == size:
            left_size, left = self._stack.pop()
            h, size = node_hash(left, h), size + left_size
        self._stack.append((size, h))
        self.size += 1

    def root(self) -> bytes:
        """MTH over the leaves pushed so far: the subtrees folded from the right."""
        if not self._stack:
            return EMPTY_ROOT
        r = self._stack[-1][1]
        for _size, h in reversed(self._stack[:-1]):
            r = node_hash(h, r)
        return r
