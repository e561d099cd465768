"""RFC 9162 Merkle tree: known-answer vectors, a naive reference implementation, tampering."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Mapping, Sequence
from functools import partial

import pytest

from gongzhi.ledger.merkle import (
    EMPTY_ROOT,
    Coord,
    Frontier,
    MemoryNodeStore,
    MissingNodeError,
    append_leaf,
    consistency_proof,
    consistency_proof_from_nodes,
    inclusion_proof,
    inclusion_proof_from_nodes,
    leaf_hash,
    node_hash,
    nodes_for_append,
    nodes_for_consistency,
    nodes_for_inclusion,
    nodes_for_root,
    root_at,
    root_from_leaves,
    root_from_nodes,
    subtree_levels,
    verify_consistency,
    verify_inclusion,
)


def h(text: str) -> bytes:
    return bytes.fromhex(text)


# The reference tree of the Certificate Transparency implementations (certificate-transparency's
# cpp/merkletree/merkle_tree_test.cc, transparency-dev/merkle's proof/verify_test.go).
LEAF_INPUTS = [
    h(""),
    h("00"),
    h("10"),
    h("2021"),
    h("3031"),
    h("40414243"),
    h("5051525354555657"),
    h("606162636465666768696a6b6c6d6e6f"),
]
ROOTS = {
    0: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}
# (0-based leaf index, tree size, proof); the published vectors number leaves from 1.
INCLUSION_VECTORS = [
    (0, 1, []),
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
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
CONSISTENCY_VECTORS = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]
SOME_HASH = h("abacaba000000000000000000000000000000000000000000060061e00123456")
REFERENCE_LEAVES = [leaf_hash(data) for data in LEAF_INPUTS]


# --- a naive, recursive reference implementation, written straight from RFC 9162 ------------------


def ref_split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(leaves: Sequence[bytes]) -> bytes:
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = ref_split(len(leaves))
    return hashlib.sha256(b"\x01" + ref_mth(leaves[:k]) + ref_mth(leaves[k:])).digest()


def ref_path(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = ref_split(n)
    if m < k:
        return [*ref_path(m, leaves[:k]), ref_mth(leaves[k:])]
    return [*ref_path(m - k, leaves[k:]), ref_mth(leaves[:k])]


def ref_subproof(m: int, leaves: Sequence[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [ref_mth(leaves)]
    k = ref_split(n)
    if m <= k:
        return [*ref_subproof(m, leaves[:k], whole), ref_mth(leaves[k:])]
    return [*ref_subproof(m - k, leaves[k:], False), ref_mth(leaves[:k])]


def ref_proof(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    return ref_subproof(m, leaves, True) if 0 < m < len(leaves) else []


def random_leaves(count: int, seed: int = 1) -> list[bytes]:
    rng = random.Random(seed)
    return [leaf_hash(rng.randbytes(rng.randrange(0, 40))) for _ in range(count)]


class RecordingStore:
    """A NodeStore that counts round trips and remembers what was asked."""

    def __init__(self, inner: MemoryNodeStore) -> None:
        self.inner = inner
        self.calls: list[list[Coord]] = []

    def get_many(self, coords: Sequence[Coord]) -> Mapping[Coord, bytes]:
        self.calls.append(list(coords))
        return self.inner.get_many(coords)


# --- hashing and roots ------------------------------------------------------------------------------


def test_empty_tree_and_hash_domain_separation() -> None:
    assert EMPTY_ROOT.hex() == ROOTS[0]
    assert root_from_leaves([]) == EMPTY_ROOT
    assert Frontier().root() == EMPTY_ROOT
    assert MemoryNodeStore().root() == EMPTY_ROOT
    assert leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    assert node_hash(b"a" * 32, b"b" * 32) == hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()
    assert leaf_hash(b"\x01" + b"a" * 64) != node_hash(b"a" * 32, b"a" * 32)


@pytest.mark.parametrize("size", range(0, 9))
def test_reference_roots(size: int) -> None:
    leaves = REFERENCE_LEAVES[:size]
    assert root_from_leaves(leaves).hex() == ROOTS[size]
    assert ref_mth(leaves).hex() == ROOTS[size]
    store = MemoryNodeStore.from_leaves(REFERENCE_LEAVES)
    assert root_at(size, store).hex() == ROOTS[size]
    assert store.root(size).hex() == ROOTS[size]
    frontier = Frontier()
    frontier.extend(leaves)
    assert frontier.root().hex() == ROOTS[size]


def test_roots_agree_with_reference_for_many_sizes() -> None:
    leaves = random_leaves(300)
    store = MemoryNodeStore.from_leaves(leaves)
    frontier = Frontier()
    for size in range(0, 301):
        expected = ref_mth(leaves[:size])
        assert root_from_leaves(leaves[:size]) == expected
        assert root_at(size, store) == expected
        assert frontier.root() == expected
        if size < 300:
            frontier.append(leaves[size])


def test_root_from_leaves_is_iterative_on_large_trees() -> None:
    leaves = [leaf_hash(i.to_bytes(4, "big")) for i in range(70_001)]
    frontier = Frontier()
    frontier.extend(leaves)
    assert root_from_leaves(leaves) == frontier.root()
    assert MemoryNodeStore.from_leaves(leaves).root() == frontier.root()


# --- proofs: published vectors ----------------------------------------------------------------------


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION_VECTORS)
def test_inclusion_vectors(index: int, size: int, proof: list[str]) -> None:
    store = MemoryNodeStore.from_leaves(REFERENCE_LEAVES)
    got = inclusion_proof(index, size, store)
    assert [p.hex() for p in got] == proof
    assert ref_path(index, REFERENCE_LEAVES[:size]) == got
    assert verify_inclusion(REFERENCE_LEAVES[index], index, size, got, h(ROOTS[size]))


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY_VECTORS)
def test_consistency_vectors(old: int, new: int, proof: list[str]) -> None:
    store = MemoryNodeStore.from_leaves(REFERENCE_LEAVES)
    got = consistency_proof(old, new, store)
    assert [p.hex() for p in got] == proof
    assert ref_proof(old, REFERENCE_LEAVES[:new]) == got
    assert verify_consistency(old, new, h(ROOTS[old]), h(ROOTS[new]), got)


# --- verification: corrupted inputs (after transparency-dev/merkle's verify_test.go) ---------------


def inclusion_probes(
    index: int, size: int, proof: list[bytes], root: bytes, leaf: bytes
) -> list[tuple[str, int, int, list[bytes], bytes, bytes]]:
    probes = [
        ("index - 1", index - 1, size, proof, root, leaf),
        ("index + 1", index + 1, size, proof, root, leaf),
        ("index ^ 2", index ^ 2, size, proof, root, leaf),
        ("size * 2", index, size * 2, proof, root, leaf),
        ("size / 2", index, size // 2, proof, root, leaf),
        ("wrong leaf", index, size, proof, root, b"WrongLeaf"),
        ("wrong leaf hash", index, size, proof, root, leaf_hash(b"WrongLeaf")),
        ("empty root", index, size, proof, EMPTY_ROOT, leaf),
        ("random root", index, size, proof, SOME_HASH, leaf),
        ("trailing garbage", index, size, [*proof, b""], root, leaf),
        ("trailing root", index, size, [*proof, root], root, leaf),
        ("preceding garbage", index, size, [b"", *proof], root, leaf),
        ("preceding root", index, size, [root, *proof], root, leaf),
    ]
    for i in range(len(proof)):
        wrong = list(proof)
        wrong[i] = bytes([wrong[i][0] ^ 8]) + wrong[i][1:]
        probes.append((f"modified proof[{i}]", index, size, wrong, root, leaf))
    if proof:
        probes.append(("removed component", index, size, proof[:-1], root, leaf))
    if len(proof) > 1:
        probes.append(("inserted component", index, size, [proof[0], SOME_HASH, *proof[1:]], root, leaf))
    return probes


def consistency_probes(
    old: int, new: int, old_root: bytes, new_root: bytes, proof: list[bytes]
) -> list[tuple[str, int, int, bytes, bytes, list[bytes]]]:
    probes = [
        ("old - 1", old - 1, new, old_root, new_root, proof),
        ("old + 1", old + 1, new, old_root, new_root, proof),
        ("old ^ 2", old ^ 2, new, old_root, new_root, proof),
        ("new * 2", old, new * 2, old_root, new_root, proof),
        ("new / 2", old, new // 2, old_root, new_root, proof),
        ("wrong old root", old, new, SOME_HASH, new_root, proof),
        ("wrong new root", old, new, old_root, SOME_HASH, proof),
        ("swapped roots", old, new, new_root, old_root, proof),
        ("empty proof", old, new, old_root, new_root, []),
        ("trailing garbage", old, new, old_root, new_root, [*proof, b""]),
        ("trailing old root", old, new, old_root, new_root, [*proof, old_root]),
        ("trailing new root", old, new, old_root, new_root, [*proof, new_root]),
        ("preceding garbage", old, new, old_root, new_root, [b"", *proof]),
        ("preceding old root", old, new, old_root, new_root, [old_root, *proof]),
        ("preceding new root", old, new, old_root, new_root, [new_root, *proof]),
        ("preceding proof[0]", old, new, old_root, new_root, [proof[0], *proof]),
        ("truncated proof", old, new, old_root, new_root, proof[:-1]),
    ]
    for i in range(len(proof)):
        wrong = list(proof)
        wrong[i] = bytes([wrong[i][0] ^ 16]) + wrong[i][1:]
        probes.append((f"modified proof[{i}]", old, new, old_root, new_root, wrong))
    return probes


def check_inclusion(index: int, size: int, proof: list[bytes], root: bytes, leaf: bytes) -> None:
    assert verify_inclusion(leaf, index, size, proof, root)
    probes = inclusion_probes(index, size, proof, root, leaf)
    accepted = [desc for desc, i, n, path, r, lf in probes if verify_inclusion(lf, i, n, path, r)]
    assert accepted == []


def check_consistency(old: int, new: int, old_root: bytes, new_root: bytes, proof: list[bytes]) -> None:
    assert verify_consistency(old, new, old_root, new_root, proof)
    if not proof:
        return
    probes = consistency_probes(old, new, old_root, new_root, proof)
    accepted = [desc for desc, m, n, r1, r2, path in probes if verify_consistency(m, n, r1, r2, path)]
    assert accepted == []


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION_VECTORS[1:])
def test_corrupted_inclusion_vectors_fail(index: int, size: int, proof: list[str]) -> None:
    check_inclusion(index, size, [h(p) for p in proof], h(ROOTS[size]), REFERENCE_LEAVES[index])


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY_VECTORS)
def test_corrupted_consistency_vectors_fail(old: int, new: int, proof: list[str]) -> None:
    check_consistency(old, new, h(ROOTS[old]), h(ROOTS[new]), [h(p) for p in proof])


def test_inclusion_edge_cases() -> None:
    single = leaf_hash(b"data")
    assert verify_inclusion(single, 0, 1, [], single)
    assert not verify_inclusion(single, 0, 1, [], b"")
    assert not verify_inclusion(b"", 0, 1, [], single)
    for index, size in [(0, 0), (0, 1), (1, 0), (2, 1)]:
        assert not verify_inclusion(SOME_HASH, index, size, [], b"")
        assert not verify_inclusion(b"", index, size, [], EMPTY_ROOT)
        assert not verify_inclusion(SOME_HASH, index, size, [], EMPTY_ROOT)
    assert not verify_inclusion(single, -1, 1, [], single)
    assert not verify_inclusion(single, True, 2, [], single)


def test_consistency_edge_cases() -> None:
    a, b = leaf_hash(b"a"), leaf_hash(b"b")
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    assert verify_consistency(1, 1, a, a, [])
    assert verify_consistency(0, 1, EMPTY_ROOT, a, [])
    assert not verify_consistency(0, 0, EMPTY_ROOT, a, [])  # roots differ
    assert not verify_consistency(1, 1, a, b, [])
    assert not verify_consistency(0, 1, a, a, [])  # an empty tree has the empty root (stricter than CT)
    assert not verify_consistency(1, 0, a, EMPTY_ROOT, [])  # time travel
    assert not verify_consistency(2, 1, a, b, [])
    assert not verify_consistency(1, 2, a, node_hash(a, b), [])  # a proof is needed
    assert not verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])  # ... and must be empty
    assert not verify_consistency(0, 1, EMPTY_ROOT, a, [EMPTY_ROOT])
    assert not verify_consistency(1, 1, a, a, [EMPTY_ROOT])
    assert not verify_consistency(-1, 1, a, a, [])
    assert not verify_consistency(1, 2, a, node_hash(a, b), [b"short"])


# --- every size and position against the reference, from the store, with one round trip -----------


def test_every_proof_up_to_64_matches_reference_and_verifies() -> None:
    leaves = random_leaves(64, seed=9)
    store = MemoryNodeStore.from_leaves(leaves)
    roots = [ref_mth(leaves[:n]) for n in range(65)]
    for size in range(1, 65):
        for index in range(size):
            recording = RecordingStore(store)
            proof = inclusion_proof(index, size, recording)
            assert len(recording.calls) == 1
            assert proof == ref_path(index, leaves[:size]), (index, size)
            check_inclusion(index, size, proof, roots[size], leaves[index])
        for old in range(0, size + 1):
            recording = RecordingStore(store)
            proof = consistency_proof(old, size, recording)
            assert len(recording.calls) == 1
            assert proof == ref_proof(old, leaves[:size]), (old, size)
            check_consistency(old, size, roots[old], roots[size], proof)


def test_plans_ask_for_exactly_the_complete_nodes_needed() -> None:
    leaves = random_leaves(40, seed=3)
    store = MemoryNodeStore.from_leaves(leaves)
    for size in range(1, 41):
        plans: list[tuple[list[Coord], Callable[[Mapping[Coord, bytes]], object]]] = [
            (nodes_for_root(size), partial(root_from_nodes, size))
        ]
        for index in range(size):
            plans.append((nodes_for_inclusion(index, size), partial(inclusion_proof_from_nodes, index, size)))
        for old in range(0, size + 1):
            plans.append((nodes_for_consistency(old, size), partial(consistency_proof_from_nodes, old, size)))
        for coords, assemble in plans:
            assert len(set(coords)) == len(coords)
            for level, index in coords:
                assert (index + 1) << level <= size  # complete and inside the tree
            fetched = store.get_many(coords)
            assert len(fetched) == len(coords)
            assemble(fetched)
            for missing in coords:  # minimal: every planned node is used
                with pytest.raises(MissingNodeError):
                    assemble({c: v for c, v in fetched.items() if c != missing})


def test_plan_examples() -> None:
    assert nodes_for_root(0) == []
    assert nodes_for_root(8) == [(3, 0)]
    assert nodes_for_root(7) == [(2, 0), (1, 2), (0, 6)]
    assert nodes_for_inclusion(5, 8) == [(0, 4), (1, 3), (2, 0)]
    assert nodes_for_consistency(4, 8) == [(2, 1)]
    assert nodes_for_consistency(0, 8) == []
    assert nodes_for_consistency(8, 8) == []
    with pytest.raises(ValueError, match="not in a tree"):
        nodes_for_inclusion(8, 8)
    with pytest.raises(ValueError, match="larger"):
        nodes_for_consistency(9, 8)
    with pytest.raises(ValueError, match="non-negative"):
        nodes_for_root(-1)


def test_proofs_in_a_large_tree() -> None:
    leaves = random_leaves(5000, seed=5)
    store = MemoryNodeStore.from_leaves(leaves)
    rng = random.Random(11)
    for _ in range(200):
        size = rng.randrange(1, 5001)
        index = rng.randrange(size)
        old = rng.randrange(0, size + 1)
        root = store.root(size)
        proof = inclusion_proof(index, size, store)
        assert verify_inclusion(leaves[index], index, size, proof, root)
        assert not verify_inclusion(leaves[index], index, size, proof, SOME_HASH)
        assert verify_consistency(old, size, store.root(old), root, consistency_proof(old, size, store))


def test_missing_node_is_reported_clearly() -> None:
    with pytest.raises(MissingNodeError, match=r"level 1, index 2\) covering leaves \[4, 6\)"):
        root_from_nodes(6, {(2, 0): SOME_HASH})


# --- appending: the frontier and the stored nodes --------------------------------------------------


def test_frontier_append_returns_the_nodes_that_complete() -> None:
    leaves = random_leaves(130, seed=2)
    store = MemoryNodeStore.from_leaves(leaves)
    frontier = Frontier()
    stored: dict[Coord, bytes] = {}
    for n, leaf in enumerate(leaves):
        created = frontier.append(leaf)
        expected_levels = [lvl for lvl in range(0, 9) if (n + 1) % (1 << lvl) == 0]
        assert [(lvl, i) for lvl, i, _ in created] == [(lvl, n >> lvl) for lvl in expected_levels]
        for level, index, digest in created:
            assert store.get(level, index) == digest
            stored[(level, index)] = digest
        assert frontier.size == n + 1
        assert frontier.nodes() == [(lvl, i, stored[(lvl, i)]) for lvl, i in nodes_for_root(n + 1)]
    assert len(stored) == sum(len(level) // 32 for level in store._levels)


def test_append_leaf_with_siblings_fetched_from_a_store() -> None:
    leaves = random_leaves(100, seed=4)
    db: dict[Coord, bytes] = {}
    frontier = Frontier()
    for n, leaf in enumerate(leaves):
        needed = nodes_for_append(n)
        assert [(lvl, i) for lvl, i, _ in frontier.nodes()][len(frontier.nodes()) - len(needed) :][::-1] == needed
        siblings = {c: db[c] for c in needed}
        created = append_leaf(n, leaf, siblings)
        assert created == frontier.append(leaf)
        db.update({(lvl, i): digest for lvl, i, digest in created})
        assert root_from_nodes(n + 1, db) == ref_mth(leaves[: n + 1])
    with pytest.raises(MissingNodeError):
        append_leaf(3, leaves[3], {})
    with pytest.raises(ValueError, match="32 bytes"):
        append_leaf(0, b"short", {})


def test_frontier_serialisation() -> None:
    leaves = random_leaves(77, seed=6)
    frontier = Frontier()
    for n in range(78):
        data = frontier.to_bytes()
        assert len(data) == 8 + 32 * bin(n).count("1")
        restored = Frontier.from_bytes(data)
        assert restored == frontier
        assert restored.root() == frontier.root() == ref_mth(leaves[:n])
        if n < 77:
            frontier.append(leaves[n])
            restored.append(leaves[n])
            assert restored == frontier
    store = MemoryNodeStore.from_leaves(leaves)
    assert store.frontier() == frontier
    assert Frontier.from_nodes(50, store.get_many(nodes_for_root(50))).root() == ref_mth(leaves[:50])
    copy = frontier.copy()
    copy.append(leaves[0])
    assert copy != frontier
    for bad in [b"", b"\x00" * 7, (3).to_bytes(8, "big") + b"\x00" * 32, (1).to_bytes(8, "big")]:
        with pytest.raises(ValueError):
            Frontier.from_bytes(bad)
    with pytest.raises(ValueError):
        frontier.append(b"\x00" * 31)


def test_subtree_levels_let_a_store_skip_hashing() -> None:
    leaves = random_leaves(90, seed=8)
    reference = MemoryNodeStore.from_leaves(leaves)
    for first in range(0, 40):
        for count in (0, 1, 2, 3, 7, 8, 33, 50):
            packed = b"".join(leaves[first : first + count])
            store = MemoryNodeStore.from_leaves(leaves[:first])
            store.extend_packed(packed, subtree_levels(first, packed))
            size = first + len(packed) // 32
            for level, row in enumerate(store._levels):
                assert bytes(row) == bytes(reference._levels[level][: len(row)])
                assert len(row) // 32 == size >> level
    store = MemoryNodeStore.from_leaves(leaves[:5])
    store.extend_packed(b"".join(leaves[5:9]), [(1, 7, b"\x00" * 32)])  # out of place: ignored, recomputed
    assert store.root() == reference.root(9)
    with pytest.raises(ValueError):
        store.extend_packed(b"\x00" * 33)
    assert store.get(0, 9) is None
    assert store.get(5, 0) is None
    with pytest.raises(ValueError):
        store.root(10)
