"""The append-only store: appending, reading, proving inclusion and verifying the whole ledger.

Appends are safe from several processes at once on SQLite and PostgreSQL without table locks:
each append reads the tail, builds entry ``n`` on the tail's hash and inserts it; the entry
index is the primary key, so of two processes racing for ``n`` one insert fails and that
process retries on the new tail. The code never updates or deletes a row.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import random
import time
from collections.abc import Iterable, Iterator, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.store.db import get_engine, session_scope
from integrations.ledger import const, merkle
from integrations.ledger.entry import (
    ChainVerification,
    InclusionProof,
    LedgerEntry,
    TreeHead,
    canonical_data,
    compute_entry_hash,
)
from integrations.ledger.models import LedgerEntryRow, LedgerHeadRow
from integrations.ledger.tree import StoredTree, TreeSizeError
from integrations.ledger.validate import check_entry

_ENTRIES = LedgerEntryRow.__table__
_HEADS = LedgerHeadRow.__table__


class LedgerError(Exception):
    """A ledger operation could not be done; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def utc_timestamp() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _is_lock_error(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text or "deadlock" in text or "could not serialize" in text


def append(event: str, subject: str, data: dict[str, str]) -> LedgerEntry:
    """Append one event (own transaction, retried under contention) and return the entry.

    ``subject`` is an application reference or id; ``data`` maps snake_case keys to ids, codes,
    ISO timestamps or SHA-256 hex digests. Raises LedgerDataError (a ValueError with ``code``)
    for anything that looks personal, LedgerError(``ledger_busy``) if retries run out.
    """
    return append_many([(event, subject, data)])[0]


def append_many(items: Sequence[tuple[str, str, dict[str, str]]]) -> list[LedgerEntry]:
    """Append several events in one transaction, in order (consecutive indexes)."""
    checked = [check_entry(event, subject, data) for event, subject, data in items]
    if not checked:
        return []
    rng = random.Random()
    for attempt in range(const.APPEND_ATTEMPTS):
        try:
            with session_scope() as session:
                tail = session.execute(
                    sa.select(_ENTRIES.c.entry_index, _ENTRIES.c.entry_hash)
                    .order_by(_ENTRIES.c.entry_index.desc())
                    .limit(1)
                ).first()
                index = 0 if tail is None else int(tail.entry_index) + 1
                prev = const.GENESIS_HASH if tail is None else str(tail.entry_hash)
                stamp = utc_timestamp()
                entries: list[LedgerEntry] = []
                for event, subject, data in checked:
                    digest = compute_entry_hash(index, event, subject, data, stamp, prev)
                    entries.append(LedgerEntry(index, event, subject, data, stamp, prev, digest))
                    prev, index = digest, index + 1
                session.execute(
                    _ENTRIES.insert(),
                    [
                        {
                            "entry_index": e.index,
                            "event": e.event,
                            "subject": e.subject,
                            "data": canonical_data(e.data),
                            "timestamp": e.timestamp,
                            "prev_hash": e.prev_hash,
                            "entry_hash": e.entry_hash,
                        }
                        for e in entries
                    ],
                )
            return entries
        except IntegrityError:
            pass  # another process took this index first
        except OperationalError as exc:
            if not _is_lock_error(exc):
                raise
        delay = min(const.BACKOFF_MAX_S, const.BACKOFF_BASE_S * (1.5 ** min(attempt, 12)))
        time.sleep(rng.uniform(0, delay))
    raise LedgerError(const.LEDGER_BUSY)


def _entry(row: Row) -> LedgerEntry:
    return LedgerEntry(
        index=int(row.entry_index),
        event=str(row.event),
        subject=str(row.subject),
        data=json.loads(row.data),
        timestamp=str(row.timestamp),
        prev_hash=str(row.prev_hash),
        entry_hash=str(row.entry_hash),
    )


def get_entry(index: int) -> LedgerEntry | None:
    with get_engine().connect() as conn:
        row = conn.execute(sa.select(_ENTRIES).where(_ENTRIES.c.entry_index == index)).first()
    return _entry(row) if row is not None else None


def entries_for(subject: str) -> list[LedgerEntry]:
    """Every entry about one application, oldest first (evidence export for a dispute)."""
    with get_engine().connect() as conn:
        rows = conn.execute(
            sa.select(_ENTRIES).where(_ENTRIES.c.subject == subject).order_by(_ENTRIES.c.entry_index)
        ).all()
    return [_entry(r) for r in rows]


def size() -> int:
    with get_engine().connect() as conn:
        last = conn.execute(sa.select(sa.func.max(_ENTRIES.c.entry_index))).scalar()
    return 0 if last is None else int(last) + 1


def _tree(conn: Connection, tree_size: int | None) -> StoredTree:
    last = conn.execute(sa.select(sa.func.max(_ENTRIES.c.entry_index))).scalar()
    stored = 0 if last is None else int(last) + 1
    n = stored if tree_size is None else tree_size
    if not 0 <= n <= stored:
        raise LedgerError(const.BAD_TREE_SIZE)
    return StoredTree(conn, n)


def tree_head(tree_size: int | None = None) -> TreeHead:
    """The Merkle root over the first ``tree_size`` entries (default: all), from stored hashes."""
    with get_engine().connect() as conn:
        tree = _tree(conn, tree_size)
        try:
            root = tree.root()
        except TreeSizeError as exc:
            raise LedgerError(const.BAD_TREE_SIZE) from exc
    return TreeHead(tree._size, root.hex(), utc_timestamp())


def inclusion_proof(index: int, tree_size: int | None = None) -> InclusionProof:
    """The audit path proving entry ``index`` is in the tree over the first ``tree_size``
    entries (default: the whole ledger now), from the stored entry hashes."""
    with get_engine().connect() as conn:
        tree = _tree(conn, tree_size)
        if not 0 <= index < tree._size:
            raise LedgerError(const.NO_SUCH_ENTRY)
        try:
            path = tree.path(index)
            leaf = tree.leaves(index, index + 1)[0]
        except TreeSizeError as exc:
            raise LedgerError(const.BAD_TREE_SIZE) from exc
    root = merkle.root_from_inclusion(index, tree._size, leaf, path)
    assert root is not None
    return InclusionProof(index, tree._size, root.hex(), tuple(p.hex() for p in path))


def verify_inclusion(entry: LedgerEntry, proof: InclusionProof, root_hash: str | None = None) -> bool:
    """True when ``entry`` (recomputed from its content) is in the tree with ``root_hash``.

    Pass the root from a tree head you trust (a published checkpoint); without it the proof's
    own root is used, which shows consistency only. Needs no database.
    """
    try:
        if entry.index != proof.index or entry.recompute_hash() != entry.entry_hash:
            return False
        path = [bytes.fromhex(p) for p in proof.path]
        if any(len(p) != 32 for p in path):
            return False
        implied = merkle.root_from_inclusion(proof.index, proof.tree_size, entry.leaf_hash(), path)
        expected = bytes.fromhex(root_hash if root_hash is not None else proof.root_hash)
    except (ValueError, TypeError, AttributeError):
        return False
    return implied is not None and hmac.compare_digest(implied, expected)


def recorded_heads() -> list[TreeHead]:
    with get_engine().connect() as conn:
        rows = conn.execute(sa.select(_HEADS).order_by(_HEADS.c.tree_size)).all()
    return [TreeHead(int(r.tree_size), str(r.root_hash), str(r.created_at)) for r in rows]


def _scan(conn: Connection) -> Iterator[Row]:
    last = -1
    while True:
        rows = conn.execute(
            sa.select(_ENTRIES)
            .where(_ENTRIES.c.entry_index > last)
            .order_by(_ENTRIES.c.entry_index)
            .limit(const.SCAN_BATCH)
        ).all()
        if not rows:
            return
        yield from rows
        last = int(rows[-1].entry_index)


def _recompute(row: Row) -> str | None:
    """The hash a stored row's content implies, or None when the row is unreadable."""
    try:
        data = json.loads(row.data)
        if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
            return None
        if row.event not in const.EVENTS or len(bytes.fromhex(row.entry_hash)) != 32:
            return None
        return compute_entry_hash(int(row.entry_index), row.event, row.subject, data, row.timestamp, row.prev_hash)
    except (ValueError, TypeError):
        return None


def verify_chain(heads: Iterable[TreeHead] = (), *, use_recorded_heads: bool = True) -> ChainVerification:
    """Check every entry, every link and every tree head; pinpoint the first bad entry.

    * an entry whose content was edited but not its hash: ``entry_hash_mismatch`` at that entry;
    * an entry rewritten together with its hash: the next entry's ``prev_hash`` no longer
      matches; ``entry_rewritten`` at the rewritten entry (the one before the broken link, or
      the one after it when both its links are broken);
    * a deleted entry: ``index_gap`` at the missing index; an unreadable row: ``bad_record``;
    * a tree head (recorded in the database, or given by the caller from a published
      checkpoint) that differs from the tree recomputed from the entries' content:
      ``head_mismatch``; a head over more entries than exist (truncation): ``head_beyond_end``.
    """
    wanted: dict[int, list[str]] = {}
    all_heads = [*heads, *(recorded_heads() if use_recorded_heads else [])]
    for head in all_heads:
        wanted.setdefault(head.tree_size, []).append(head.root_hash.lower())
    frontier = merkle.Frontier()
    first_bad: int | None = None
    reason: str | None = None
    bad_head: int | None = None
    head_reason: str | None = None
    checked = 0
    expected, prev = 0, const.GENESIS_HASH
    pending_link: int | None = None  # index whose incoming link is broken, awaiting the next row

    def fail(index: int, code: str) -> None:
        nonlocal first_bad, reason
        if first_bad is None:
            first_bad, reason = index, code

    if 0 in wanted:
        checked += len(wanted[0])
        if any(r != merkle.EMPTY_ROOT.hex() for r in wanted[0]):
            bad_head, head_reason = 0, const.HEAD_MISMATCH
    with get_engine().connect() as conn:
        for row in _scan(conn):
            index = int(row.entry_index)
            recomputed = _recompute(row)
            if first_bad is None:
                link_ok = row.prev_hash == prev
                if pending_link is not None:
                    # The previous entry's incoming link was broken: if its outgoing link is
                    # broken too, it was rewritten itself, else the one before it was.
                    fail(pending_link if not link_ok else pending_link - 1, const.ENTRY_REWRITTEN)
                    pending_link = None
                elif index != expected:
                    fail(expected, const.INDEX_GAP)
                elif recomputed is None:
                    fail(index, const.BAD_RECORD)
                elif recomputed != row.entry_hash:
                    fail(index, const.ENTRY_HASH_MISMATCH)
                elif not link_ok:
                    if index == 0:
                        fail(0, const.ENTRY_REWRITTEN)
                    else:
                        pending_link = index
            prev = str(row.entry_hash)
            expected = index + 1
            frontier.push(merkle.leaf_hash(bytes.fromhex(recomputed)) if recomputed else merkle.leaf_hash(b""))
            roots = wanted.get(frontier.size)
            if roots:
                checked += len(roots)
                root = frontier.root().hex()
                if bad_head is None and any(not hmac.compare_digest(r, root) for r in roots):
                    bad_head, head_reason = frontier.size, const.HEAD_MISMATCH
    if pending_link is not None:
        fail(pending_link - 1, const.ENTRY_REWRITTEN)  # the last entry: blame the content edit
    beyond = [s for s in wanted if s > frontier.size]
    if beyond and bad_head is None:
        bad_head, head_reason = min(beyond), const.HEAD_BEYOND_END
        checked += sum(len(wanted[s]) for s in beyond)
    return ChainVerification(
        ok=first_bad is None and bad_head is None,
        size=frontier.size,
        root_hash=frontier.root().hex(),
        first_bad_index=first_bad,
        reason=reason,
        heads_checked=checked,
        bad_head_size=bad_head,
        head_reason=head_reason,
    )


def checkpoint() -> TreeHead:
    """Record the current tree head, after verifying the ledger (a head must never bless a
    tampered log). Publish the returned head outside the database to anchor the ledger.
    Raises LedgerError(``entry_hash_mismatch`` / …) with the verification's reason if it fails.
    """
    result = verify_chain()
    if not result.ok:
        raise LedgerError(result.reason or result.head_reason or const.HEAD_MISMATCH)
    head = TreeHead(result.size, result.root_hash, utc_timestamp())
    if head.tree_size == 0:
        return head
    try:
        with session_scope() as session:
            session.execute(
                _HEADS.insert().values(tree_size=head.tree_size, root_hash=head.root_hash, created_at=head.created_at)
            )
    except IntegrityError:  # already recorded at this size (same root: verify_chain checked it)
        pass
    return head
