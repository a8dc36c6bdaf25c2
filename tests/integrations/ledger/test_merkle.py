"""RFC 6962 Merkle hashing and proofs against the Certificate Transparency reference vectors."""

from __future__ import annotations

import hashlib

import pytest

from integrations.ledger import merkle

# The CT reference inputs and the published roots for tree sizes 0..8 (RFC 6962 test data).
CT_INPUTS = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_PATHS = [
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]
LEAVES = [merkle.leaf_hash(x) for x in CT_INPUTS]


def test_prefixes_are_rfc6962() -> None:
    assert merkle.leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert merkle.node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()


@pytest.mark.parametrize("n", range(9))
def test_roots_match_the_reference(n: int) -> None:
    assert merkle.root_from_leaf_hashes(LEAVES[:n]).hex() == CT_ROOTS[n]


@pytest.mark.parametrize(("index", "size", "path"), CT_PATHS)
def test_paths_match_the_reference(index: int, size: int, path: list[str]) -> None:
    got = merkle.inclusion_path(index, LEAVES[:size])
    assert [p.hex() for p in got] == path
    assert merkle.root_from_inclusion(index, size, LEAVES[index], got) == bytes.fromhex(CT_ROOTS[size])


def test_every_proof_in_every_size_verifies_and_only_for_its_leaf() -> None:
    leaves = [merkle.leaf_hash(i.to_bytes(2, "big")) for i in range(70)]
    for n in range(1, len(leaves) + 1):
        root = merkle.root_from_leaf_hashes(leaves[:n])
        for i in range(n):
            path = merkle.inclusion_path(i, leaves[:n])
            assert len(path) <= max(1, (n - 1).bit_length())
            assert merkle.root_from_inclusion(i, n, leaves[i], path) == root
            other = leaves[(i + 1) % n] if n > 1 else merkle.leaf_hash(b"other")
            assert merkle.root_from_inclusion(i, n, other, path) != root


def _mutations(index: int, size: int, path: list[bytes]) -> list[tuple[str, int, int, list[bytes]]]:
    flipped = [bytes([path[0][0] ^ 1]) + path[0][1:], *path[1:]]
    return [
        ("flipped hash", index, size, flipped),
        ("truncated", index, size, path[:-1]),
        ("extended", index, size, [*path, path[-1]]),
        ("reordered", index, size, list(reversed(path))),
        ("wrong index", index ^ 1, size, path),
        ("wrong size", index, size * 4, path),  # a size whose path shape differs
        ("index beyond size", size, size, path),
        ("empty", index, size, []),
    ]


@pytest.mark.parametrize(("index", "size"), [(0, 8), (5, 8), (6, 7), (12, 13), (3, 37)])
def test_wrong_proofs_fail(index: int, size: int) -> None:
    leaves = [merkle.leaf_hash(i.to_bytes(2, "big")) for i in range(size)]
    root = merkle.root_from_leaf_hashes(leaves)
    path = merkle.inclusion_path(index, leaves)
    for name, i, n, p in _mutations(index, size, path):
        leaf = leaves[i] if i < size else leaves[index]
        assert merkle.root_from_inclusion(i, n, leaf, p) != root, name


def test_frontier_gives_the_root_of_every_prefix() -> None:
    leaves = [merkle.leaf_hash(i.to_bytes(3, "big")) for i in range(300)]
    frontier = merkle.Frontier()
    assert frontier.root() == merkle.EMPTY_ROOT
    for n, leaf in enumerate(leaves, start=1):
        frontier.push(leaf)
        if n in (1, 2, 3, 64, 65, 127, 128, 255, 300):
            assert frontier.root() == merkle._subtree(leaves, 0, n)


def test_path_of_a_missing_leaf_is_an_error() -> None:
    with pytest.raises(IndexError):
        merkle.inclusion_path(3, LEAVES[:3])
