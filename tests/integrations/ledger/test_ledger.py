"""The evidence ledger on a real migrated database: appends, tampering, proofs, the CLI."""

from __future__ import annotations

import dataclasses
import itertools
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

DOC = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def _fill(n: int) -> list:
    from integrations.ledger import append, append_many

    events = ["consent_given", "kyc_result", "decision", "agreement_hash", "otp_verified", "signature", "card_issued"]
    items = [
        (events[i % len(events)], f"KK261128-A{i:05d}", {"document_sha256": DOC, "outcome": "approved"})
        for i in range(n)
    ]
    return [append(*items[0]), *append_many(items[1:])] if items else []


def _sql(db: Path, statement: str, *params: object) -> None:
    con = sqlite3.connect(db)
    with con:
        con.execute(statement, params)
    con.close()


def test_entries_chain_from_genesis(store: Path) -> None:
    from integrations.ledger import get_entry, size, verify_chain

    entries = _fill(5)
    assert [e.index for e in entries] == [0, 1, 2, 3, 4]
    assert entries[0].prev_hash == "0" * 64
    for prev, cur in itertools.pairwise(entries):
        assert cur.prev_hash == prev.entry_hash
    assert all(e.recompute_hash() == e.entry_hash for e in entries)
    assert get_entry(3) == entries[3] and get_entry(99) is None
    assert size() == 5
    result = verify_chain()
    assert result.ok and result.size == 5 and result.first_bad_index is None


def test_empty_ledger_verifies(store: Path) -> None:
    from integrations.ledger import verify_chain

    result = verify_chain()
    assert result.ok and result.size == 0
    assert result.root_hash == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("data", '{"document_sha256":"' + "0" * 64 + '","outcome":"approved"}'),
        ("data", '{"document_sha256":"' + DOC + '","outcome":"declined"}'),
        ("event", "data_deleted"),
        ("subject", "KK261128-Z99999"),
        ("timestamp", "2020-01-01T00:00:00.000000Z"),
        ("prev_hash", "1" * 64),
        ("entry_hash", "2" * 64),
        ("data", "not json"),
    ],
)
def test_editing_one_stored_entry_is_pinpointed(store: Path, column: str, value: str) -> None:
    from integrations.ledger import verify_chain

    _fill(12)
    _sql(store, f"UPDATE ledger_entries SET {column} = ? WHERE entry_index = 7", value)
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_index == 7
    assert result.reason in {"entry_hash_mismatch", "bad_record"}


@pytest.mark.parametrize("victim", [0, 4, 8])
def test_rewriting_an_entry_with_a_fresh_hash_is_pinpointed(store: Path, victim: int) -> None:
    """A forger who edits an entry and recomputes its hash breaks the next entry's link."""
    from integrations.ledger import get_entry, verify_chain

    _fill(10)
    old = get_entry(victim)
    assert old is not None
    forged = dataclasses.replace(old, data={"document_sha256": "f" * 64, "outcome": "approved"})
    new_hash = forged.recompute_hash()
    _sql(
        store,
        "UPDATE ledger_entries SET data = ?, entry_hash = ? WHERE entry_index = ?",
        '{"document_sha256":"' + "f" * 64 + '","outcome":"approved"}',
        new_hash,
        victim,
    )
    result = verify_chain()
    assert not result.ok and result.first_bad_index == victim and result.reason == "entry_rewritten"


def test_rewriting_the_last_entry_needs_a_head(store: Path) -> None:
    """Nothing follows the newest entry, so only a recorded head exposes its rewrite."""
    from integrations.ledger import checkpoint, get_entry, verify_chain

    _fill(5)
    checkpoint()
    old = get_entry(4)
    assert old is not None
    forged = dataclasses.replace(old, subject="KK261128-FORGED")
    _sql(
        store,
        "UPDATE ledger_entries SET subject = ?, entry_hash = ? WHERE entry_index = 4",
        forged.subject,
        forged.recompute_hash(),
    )
    result = verify_chain()
    assert result.chain_ok and not result.ok and result.bad_head_size == 5


def test_rewriting_a_link_is_pinpointed(store: Path) -> None:
    """Changing an entry's prev_hash (and re-hashing it) breaks both of its links."""
    from integrations.ledger import get_entry, verify_chain

    _fill(10)
    old = get_entry(5)
    assert old is not None
    forged = dataclasses.replace(old, prev_hash="3" * 64)
    _sql(
        store,
        "UPDATE ledger_entries SET prev_hash = ?, entry_hash = ? WHERE entry_index = 5",
        "3" * 64,
        forged.recompute_hash(),
    )
    result = verify_chain()
    assert result.first_bad_index == 5 and result.reason == "entry_rewritten"


def test_a_deleted_entry_is_a_gap(store: Path) -> None:
    from integrations.ledger import verify_chain

    _fill(10)
    _sql(store, "DELETE FROM ledger_entries WHERE entry_index = 6")
    result = verify_chain()
    assert result.first_bad_index == 6 and result.reason == "index_gap"


def test_truncation_is_caught_by_a_recorded_head(store: Path) -> None:
    from integrations.ledger import checkpoint, recorded_heads, verify_chain

    _fill(10)
    head = checkpoint()
    assert head.tree_size == 10 and recorded_heads()[0].root_hash == head.root_hash
    assert checkpoint().root_hash == head.root_hash  # idempotent at the same size
    _sql(store, "DELETE FROM ledger_entries WHERE entry_index >= 8")
    result = verify_chain()
    assert result.chain_ok and not result.ok  # the chain alone cannot see a cut tail
    assert result.bad_head_size == 10 and result.head_reason == "head_beyond_end"


def test_wholesale_rewrite_is_caught_by_a_published_head(store: Path) -> None:
    """Rewrite entry 3 and re-chain everything after it: the chain is consistent again, but
    the tree no longer matches a head published before the rewrite."""
    from integrations.ledger import get_entry, tree_head, verify_chain
    from integrations.ledger.entry import compute_entry_hash

    _fill(8)
    published = tree_head()
    prev = get_entry(2).entry_hash  # type: ignore[union-attr]
    for i in range(3, 8):
        e = get_entry(i)
        assert e is not None
        data = {"document_sha256": "e" * 64, "outcome": "approved"} if i == 3 else e.data
        h = compute_entry_hash(i, e.event, e.subject, data, e.timestamp, prev)
        import json

        _sql(
            store,
            "UPDATE ledger_entries SET data = ?, prev_hash = ?, entry_hash = ? WHERE entry_index = ?",
            json.dumps(data, sort_keys=True, separators=(",", ":")),
            prev,
            h,
            i,
        )
        prev = h
    assert verify_chain().ok  # nothing recorded to compare with
    result = verify_chain(heads=[published])
    assert result.chain_ok and not result.tree_ok and result.bad_head_size == 8


def test_tampered_recorded_head_is_reported(store: Path) -> None:
    from integrations.ledger import checkpoint, verify_chain

    _fill(4)
    checkpoint()
    _sql(store, "UPDATE ledger_heads SET root_hash = ?", "a" * 64)
    result = verify_chain()
    assert result.chain_ok and result.head_reason == "head_mismatch" and result.bad_head_size == 4


def test_checkpoint_refuses_a_tampered_ledger(store: Path) -> None:
    from integrations.ledger import LedgerError, checkpoint

    _fill(4)
    _sql(store, "UPDATE ledger_entries SET subject = 'KK0' WHERE entry_index = 1")
    with pytest.raises(LedgerError) as err:
        checkpoint()
    assert err.value.code == "entry_hash_mismatch"


def test_inclusion_proofs_verify_and_wrong_ones_fail(store: Path) -> None:
    from integrations.ledger import InclusionProof, checkpoint, get_entry, inclusion_proof, verify_inclusion

    entries = _fill(21)
    head = checkpoint()
    for e in entries:
        proof = inclusion_proof(e.index)
        assert proof.tree_size == 21 and proof.root_hash == head.root_hash
        assert verify_inclusion(e, proof, head.root_hash)
        assert len(proof.path) <= 5
    e5, p5 = entries[5], inclusion_proof(5)
    bad_hash = ("0" if p5.path[0][0] != "0" else "1") + p5.path[0][1:]
    wrong = [
        dataclasses.replace(p5, path=(bad_hash, *p5.path[1:])),
        dataclasses.replace(p5, path=p5.path[:-1]),
        dataclasses.replace(p5, index=6),
        dataclasses.replace(p5, path=("zz", *p5.path[1:])),
        inclusion_proof(6),
    ]
    for proof in wrong:
        assert not verify_inclusion(e5, proof, head.root_hash), proof
    assert not verify_inclusion(e5, p5, "b" * 64)  # a root we never published
    assert not verify_inclusion(dataclasses.replace(e5, subject="KK0"), p5, head.root_hash)
    forged = dataclasses.replace(e5, subject="KK0")
    forged = dataclasses.replace(forged, entry_hash=forged.recompute_hash())
    assert not verify_inclusion(forged, p5, head.root_hash)
    # a proof for an older tree still verifies against that older head
    old = inclusion_proof(5, tree_size=8)
    assert isinstance(old, InclusionProof) and old.tree_size == 8
    assert not verify_inclusion(e5, old, head.root_hash)
    from integrations.ledger import tree_head

    assert verify_inclusion(get_entry(5), old, tree_head(8).root_hash)  # type: ignore[arg-type]


@pytest.mark.parametrize(("index", "tree_size"), [(-1, None), (21, None), (3, 2), (3, 99)])
def test_proof_for_a_missing_entry_is_refused(store: Path, index: int, tree_size: int | None) -> None:
    from integrations.ledger import LedgerError, inclusion_proof

    _fill(21)
    with pytest.raises(LedgerError):
        inclusion_proof(index, tree_size)


GOOD_DATA = [
    {"document_sha256": DOC},
    {"application_id": "42", "outcome": "approved", "model_version": "scorecard-2026.11"},
    {"card_id": "3f2b6a1c-9d4e-4f5a-8b7c-1d2e3f4a5b6c", "control": "freeze", "per_txn_limit": "5000"},
    {"otp_verified_at": "2026-11-28T10:15:00Z", "conversation_key": "a" * 64},
    {"product_code": "KK_CLASSIC", "status": "active", "last_event": "card_issued"},
    {"request_id": "d41d8cd98f00b204e9800998ecf8427e"},
    {"signer": "kaika-local-ca", "level": "pades-b-t", "tsa": "none"},
    {"card_id": "9c1e07a3f2b64d5e8a0b1c2d3e4f5a6b", "application_id": "7", "event_id": "12", "action": "unfreeze"},
    {"token": "aZkQpRtXbW-_Lm", "short_hex": "3f2b6a1c9d4e4f5a", "language": "zh", "version": "2026-11"},
]


def test_random_ids_are_never_mistaken_for_personal_data() -> None:
    import secrets
    import uuid

    from integrations.ledger.validate import check_value

    for _ in range(3000):
        for value in (
            secrets.token_hex(16),
            secrets.token_hex(20),
            secrets.token_hex(32),
            str(uuid.uuid4()),
            uuid.uuid4().hex,
            secrets.token_urlsafe(16),
            secrets.token_urlsafe(32),
        ):
            assert check_value(value) == value


BAD_DATA = [
    ({"holder": "420106198008251161"}, "looks_like_id_number"),
    ({"holder": "42010619800825116X"}, "looks_like_id_number"),
    ({"holder": "420106-19800825-1161"}, "looks_like_id_number"),
    ({"contact": "15012345678"}, "looks_like_phone"),
    ({"contact": "150-1234-5678"}, "looks_like_phone"),
    ({"contact": "8615012345678"}, "looks_like_phone"),
    ({"contact": "+8615012345678"}, "bad_value"),
    ({"card": "6258991234567890"}, "looks_like_long_number"),
    ({"ref": "acct123456789"}, "looks_like_long_number"),
    ({"who": "张伟"}, "bad_value"),
    ({"who": "Emily Chen"}, "bad_value"),
    ({"who": "Emily"}, "looks_like_name"),
    ({"who": "ZHANG"}, "looks_like_name"),
    ({"who": "zhangwei"}, "looks_like_name"),
    ({"who": "ouyangnana"}, "looks_like_name"),
    ({"who": "O'Neil"}, "bad_value"),
    ({"who": "Mary-Jane"}, "looks_like_name"),
    ({"who": "emily@example.com"}, "bad_value"),
    ({"full_name": "x1"}, "personal_key"),
    ({"phone_index": "a" * 64}, "personal_key"),
    ({"id_number": "x1"}, "personal_key"),
    ({"BadKey": "x1"}, "bad_key"),
    ({"k": ""}, "bad_value"),
    ({"k": "x" * 81}, "bad_value"),
    ({"k": 5}, "bad_value"),
    ({f"k{i}": "1" for i in range(17)}, "too_many_fields"),
]


@pytest.mark.parametrize("data", GOOD_DATA)
def test_ids_codes_and_digests_are_accepted(data: dict[str, str]) -> None:
    from integrations.ledger.validate import check_entry

    assert check_entry("decision", "KK261128-ABC123", data) == ("decision", "KK261128-ABC123", data)


@pytest.mark.parametrize(("data", "code"), BAD_DATA)
def test_personal_data_is_refused(data: dict, code: str) -> None:
    from integrations.ledger import LedgerDataError
    from integrations.ledger.validate import check_entry

    with pytest.raises(LedgerDataError) as err:
        check_entry("decision", "KK261128-ABC123", data)
    assert err.value.code == code


@pytest.mark.parametrize(
    ("event", "subject", "code"),
    [
        ("approved", "KK261128-ABC123", "bad_event"),
        ("decision", "15012345678", "bad_subject"),
        ("decision", "张伟", "bad_subject"),
        ("decision", "", "bad_subject"),
        ("decision", "K" * 65, "bad_subject"),
    ],
)
def test_bad_event_or_subject_is_refused(event: str, subject: str, code: str) -> None:
    from integrations.ledger import LedgerDataError
    from integrations.ledger.validate import check_entry

    with pytest.raises(LedgerDataError) as err:
        check_entry(event, subject, {"outcome": "approved"})
    assert err.value.code == code


def test_a_refused_append_writes_nothing(store: Path) -> None:
    from integrations.ledger import LedgerDataError, append, append_many, size

    append("decision", "KK261128-ABC123", GOOD_DATA[0])
    for data, _code in BAD_DATA[:3]:
        with pytest.raises(LedgerDataError):
            append("decision", "KK261128-ABC123", data)
    with pytest.raises(LedgerDataError):  # one bad item refuses the whole batch
        append_many([("decision", "KK1", GOOD_DATA[1]), ("decision", "KK1", BAD_DATA[0][0])])
    assert size() == 1


def test_no_personal_data_in_the_ledger_and_erasure_keeps_it_whole(store: Path) -> None:
    """A whole application's events go in; the applicant's data never reaches the ledger's
    rows, and erasing the applicant leaves the ledger verifiable."""
    from bot.crypto import get_cipher
    from bot.store import applications
    from integrations.ledger import append, entries_for, verify_chain
    from tests.core.test_store import APPLICANT

    applications.open_draft("web:abc", "zh", "v1")
    sub = applications.submit("web:abc", APPLICANT, "zh")
    ref = sub.reference
    conv = get_cipher().blind_index("conversation", "web:abc")
    append("consent_given", ref, {"consent_version": "v1", "conversation_key": conv})
    append("kyc_result", ref, {"outcome": "passed", "document_sha256": DOC})
    append("decision", ref, {"outcome": "approved", "model_version": "scorecard-1"})
    append("agreement_hash", ref, {"document_sha256": DOC})
    append("otp_verified", ref, {"otp_verified_at": "2026-11-28T10:15:00Z"})
    append("signature", ref, {"signed_sha256": DOC, "level": "pades-b-b"})
    applications.withdraw("web:abc")
    append("data_deleted", ref, {"reason": "consent_withdrawn"})
    con = sqlite3.connect(store)
    rows = con.execute("SELECT event, subject, data FROM ledger_entries").fetchall()
    con.close()
    text = repr(rows)
    for secret in ("420106198008251161", "15012345678", "张伟", "阿里巴巴", "web:abc", "25000"):
        assert secret not in text, secret
    assert len(entries_for(ref)) == 7
    assert verify_chain().ok


def test_cli_verify_exit_codes(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from integrations.ledger import checkpoint
    from integrations.ledger.cli import main

    _fill(6)
    assert main(["ledger", "verify"]) == 0
    assert "chain:   ok" in capsys.readouterr().out
    assert main(["ledger", "checkpoint"]) == 0
    head = checkpoint()
    assert main(["ledger", "verify", "--head", f"{head.tree_size}:{head.root_hash}", "--json"]) == 0
    assert main(["ledger", "proof", "2"]) == 0
    assert main(["ledger", "proof", "60"]) == 1
    assert main(["ledger", "show", "KK261128-A00002"]) == 0
    capsys.readouterr()
    assert main(["ledger", "verify", "--head", f"6:{'c' * 64}"]) == 1
    _sql(store, "UPDATE ledger_entries SET data = '{}' WHERE entry_index = 2")
    assert main(["ledger", "verify"]) == 1
    assert "FAILED at entry 2 (entry_hash_mismatch)" in capsys.readouterr().out
    assert main(["ledger", "checkpoint"]) == 1
    with pytest.raises(SystemExit):
        main(["ledger", "verify", "--head", "6:nothex"])


def test_cli_without_a_ledger_table_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import reset_caches

    monkeypatch.setenv("KAIKA_VAR_DIR", str(tmp_path))
    reset_caches()
    try:
        from integrations.ledger.cli import main

        assert main(["ledger", "verify"]) == 1
    finally:
        monkeypatch.undo()
        reset_caches()


WORKER = """
import sys
from integrations.ledger import append
n, k = int(sys.argv[1]), int(sys.argv[2])
for i in range(k):
    append("card_control", f"KK261128-P{n}X{i:03d}", {"control": "freeze", "worker": str(n), "seq": str(i)})
"""


def _concurrent_appends(env: dict[str, str], workers: int, each: int) -> None:
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(n), str(each)], cwd=ROOT, env=env) for n in range(workers)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0] * workers


def _check_concurrent_result(workers: int, each: int) -> None:
    from integrations.ledger import get_entry, size, verify_chain

    assert size() == workers * each
    result = verify_chain()
    assert result.ok, result
    seen = {(get_entry(i).data["worker"], get_entry(i).data["seq"]) for i in range(size())}  # type: ignore[union-attr]
    assert len(seen) == workers * each  # nothing lost, nothing doubled


def test_appends_from_several_processes_on_sqlite(store: Path) -> None:
    env = {**os.environ, "KAIKA_VAR_DIR": str(store.parent)}
    _concurrent_appends(env, workers=3, each=25)
    _check_concurrent_result(3, 25)


@pytest.mark.skipif(not os.environ.get("KAIKA_TEST_POSTGRES_URL"), reason="set KAIKA_TEST_POSTGRES_URL to run")
def test_appends_from_several_processes_on_postgresql(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Needs a THROWAWAY PostgreSQL database (its schema is wiped), e.g. KAIKA_TEST_POSTGRES_URL=postgresql+psycopg2://…"""
    import sqlalchemy as sa

    from tests.conftest import reset_caches

    url = os.environ["KAIKA_TEST_POSTGRES_URL"]
    monkeypatch.setenv("KAIKA_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("KAIKA_DATABASE_URL", url)
    reset_caches()
    from bot.store import upgrade
    from bot.store.db import get_engine

    with get_engine().begin() as conn:  # a throwaway database: start from an empty schema
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    upgrade()
    try:
        _concurrent_appends({**os.environ}, workers=4, each=25)
        _check_concurrent_result(4, 25)
    finally:
        get_engine().dispose()
        monkeypatch.undo()
        reset_caches()


def test_proofs_over_chunks_and_cached_subtrees_match_the_reference(store: Path) -> None:
    """Above 256 entries proofs come from cached perfect subtrees plus a chunk or two of
    leaves; they must equal RFC 6962 computed over every leaf, at every tree size."""
    from integrations.ledger import (
        append_many,
        get_entry,
        inclusion_proof,
        merkle,
        tree_head,
        verify_chain,
        verify_inclusion,
    )
    from integrations.ledger.tree import clear_cache

    clear_cache()
    append_many([("decision", f"KK261128-C{i:05d}", {"outcome": "approved"}) for i in range(1100)])
    leaves = [get_entry(i).leaf_hash() for i in range(1100)]  # type: ignore[union-attr]
    assert tree_head().root_hash == verify_chain().root_hash == merkle.root_from_leaf_hashes(leaves).hex()
    for n in (257, 512, 513, 1000, 1100):
        root = merkle.root_from_leaf_hashes(leaves[:n]).hex()
        assert tree_head(n).root_hash == root
        for i in sorted({0, 1, 255, 256, 300, 511, n // 2, n - 2, n - 1}):
            if i >= n:
                continue
            proof = inclusion_proof(i, n)
            assert list(proof.path) == [p.hex() for p in merkle.inclusion_path(i, leaves[:n])], (i, n)
            assert proof.root_hash == root
            assert verify_inclusion(get_entry(i), proof, root)  # type: ignore[arg-type]
