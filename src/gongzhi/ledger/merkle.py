"""RFC 9162 (Certificate Transparency 2.0) Merkle tree: hashes, proofs, verification, storage planning.

Storage model: only *complete, aligned* subtrees are ever stored. Node ``(level, index)`` is the hash
of leaves ``[index * 2**level, (index + 1) * 2**level)``; once written it never changes. Any other
subtree hash the RFC needs (the ragged right edge of a tree) is computed from the complete subtrees
of its binary decomposition. Proof and root functions come in two halves so a database can answer
with one query: ``nodes_for_*`` plans the exact coordinates, ``*_from_nodes`` assembles the answer
from the fetched mapping. ``NodeStore`` plus ``inclusion_proof``/``consistency_proof``/``root_at``
glue the halves together.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Final, Protocol

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "Coord",
    "Frontier",
    "MemoryNodeStore",
    "MissingNodeError",
    "NodeStore",
    "append_leaf",
    "consistency_proof",
    "consistency_proof_from_nodes",
    "inclusion_proof",
    "inclusion_proof_from_nodes",
    "leaf_hash",
    "node_hash",
    "nodes_for_append",
    "nodes_for_consistency",
    "nodes_for_inclusion",
    "nodes_for_root",
    "root_at",
    "root_from_leaves",
    "root_from_nodes",
    "subtree_levels",
    "verify_consistency",
    "verify_inclusion",
]

Coord = tuple[int, int]
"""``(level, index)`` of a complete aligned subtree."""

HASH_SIZE: Final = 32
EMPTY_ROOT: Final = hashlib.sha256(b"").digest()
"""Root of the empty tree: SHA-256 of the empty string (RFC 9162 2.1.1)."""

_sha256 = hashlib.sha256
_LEAF_PREFIX: Final = b"\x00"
_NODE_PREFIX: Final = b"\x01"


class MissingNodeError(LookupError):
    """A node the plan asked for was not in the fetched mapping (the store is incomplete)."""


class NodeStore(Protocol):
    """Where complete subtree hashes live; ``get_many`` should be one round trip (one SQL query)."""

    def get_many(self, coords: Sequence[Coord]) -> Mapping[Coord, bytes]:
        """Return the hash of every requested complete node (missing ones may simply be absent)."""
        ...


def leaf_hash(data: bytes) -> bytes:
    """RFC 9162 leaf hash: SHA-256(0x00 || data).

    >>> leaf_hash(b"").hex()[:16]
    '6e340b9cffb37a98'
    """
    return _sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 interior node hash: SHA-256(0x01 || left || right).

    >>> node_hash(leaf_hash(b""), leaf_hash(b"\\x00")).hex()[:16]
    'fac54203e7cc696c'
    """
    return _sha256(_NODE_PREFIX + left + right).digest()


def root_from_leaves(leaf_hashes: Iterable[bytes]) -> bytes:
    """Merkle tree hash of a whole list of leaf hashes, level by level (no recursion, O(n)).

    Pairing neighbours and carrying an odd last node up unchanged gives exactly RFC 9162's MTH,
    whose split point is always the largest power of two below the size.

    >>> root_from_leaves([]) == EMPTY_ROOT
    True
    """
    level = list(leaf_hashes)
    if not level:
        return EMPTY_ROOT
    sha = _sha256
    prefix = _NODE_PREFIX
    while len(level) > 1:
        odd = level[-1] if len(level) & 1 else None
        it = iter(level)
        level = [sha(prefix + left + right).digest() for left, right in zip(it, it, strict=False)]
        if odd is not None:
            level.append(odd)
    return level[0]


# --- planning: which complete subtrees does a computation need -------------------------------------


def _check_size(name: str, value: int) -> None:
    """Reject negative or non-integer tree sizes and indices."""
    if type(value) is not int or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")


def _range_nodes(lo: int, hi: int) -> list[Coord]:
    """Complete subtrees whose concatenation is leaves [lo, hi), largest first.

    ``lo`` must be a multiple of a power of two that is >= hi - lo, which holds for every subtree
    that appears in RFC 9162's recursive definitions; the hash of the range is then the right fold.
    """
    nodes = []
    while lo < hi:
        level = (hi - lo).bit_length() - 1
        nodes.append((level, lo >> level))
        lo += 1 << level
    return nodes


def _split(width: int) -> int:
    """Largest power of two strictly smaller than ``width`` (width >= 2)."""
    return 1 << ((width - 1).bit_length() - 1)


def _inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """Leaf ranges whose subtree hashes form the inclusion proof of ``index``, bottom-up."""
    ranges = []
    lo, hi = 0, size
    while hi - lo > 1:
        mid = lo + _split(hi - lo)
        if index < mid:
            ranges.append((mid, hi))
            hi = mid
        else:
            ranges.append((lo, mid))
            lo = mid
    ranges.reverse()
    return ranges


def _consistency_ranges(old: int, new: int) -> list[tuple[int, int]]:
    """Leaf ranges whose subtree hashes form the consistency proof old -> new (RFC 9162 2.1.4.1)."""
    if old == 0 or old == new:
        return []
    lo, hi, whole_old_tree = 0, new, True
    tail = []
    while old != hi:
        mid = lo + _split(hi - lo)
        if old <= mid:
            tail.append((mid, hi))
            hi = mid
        else:
            tail.append((lo, mid))
            lo = mid
            whole_old_tree = False
    tail.reverse()
    if whole_old_tree:
        return tail  # the old root is a node of the new tree; the verifier already has it
    return [(lo, hi), *tail]


def _nodes_for_ranges(ranges: Iterable[tuple[int, int]]) -> list[Coord]:
    """Deduplicated union of the decompositions of ``ranges``, in first-use order."""
    seen: dict[Coord, None] = {}
    for lo, hi in ranges:
        for coord in _range_nodes(lo, hi):
            seen[coord] = None
    return list(seen)


def nodes_for_root(size: int) -> list[Coord]:
    """Complete subtrees needed for the root of a tree of ``size`` leaves (its binary decomposition).

    >>> nodes_for_root(6)
    [(2, 0), (1, 2)]
    """
    _check_size("size", size)
    return _range_nodes(0, size)


def nodes_for_inclusion(index: int, size: int) -> list[Coord]:
    """Complete subtrees needed for the inclusion proof of leaf ``index`` in a tree of ``size``.

    >>> nodes_for_inclusion(2, 5)
    [(0, 3), (1, 0), (0, 4)]
    """
    _check_size("index", index)
    _check_size("size", size)
    if index >= size:
        raise ValueError(f"leaf index {index} is not in a tree of size {size}")
    return _nodes_for_ranges(_inclusion_ranges(index, size))


def nodes_for_consistency(old: int, new: int) -> list[Coord]:
    """Complete subtrees needed for the consistency proof between tree sizes ``old`` and ``new``.

    >>> nodes_for_consistency(6, 8)
    [(1, 2), (1, 3), (2, 0)]
    """
    _check_size("old", old)
    _check_size("new", new)
    if old > new:
        raise ValueError(f"old size {old} is larger than new size {new}")
    return _nodes_for_ranges(_consistency_ranges(old, new))


def nodes_for_append(index: int) -> list[Coord]:
    """Left siblings needed to complete the nodes that appending leaf ``index`` finishes, bottom-up.

    They are exactly the smallest nodes of the frontier of a tree of ``index`` leaves.

    >>> nodes_for_append(3)
    [(0, 2), (1, 0)]
    """
    _check_size("index", index)
    coords = []
    level = 0
    while (index >> level) & 1:
        coords.append((level, (index >> level) - 1))
        level += 1
    return coords


# --- assembly: answers from a fetched {coord: hash} mapping -----------------------------------------


def _fetch(nodes: Mapping[Coord, bytes], coord: Coord) -> bytes:
    """Look up one node, with a useful error if the store did not have it."""
    try:
        return nodes[coord]
    except KeyError:
        level, index = coord
        raise MissingNodeError(
            f"node (level {level}, index {index}) covering leaves [{index << level}, {(index + 1) << level}) is missing"
        ) from None


def _range_hash(lo: int, hi: int, nodes: Mapping[Coord, bytes]) -> bytes:
    """MTH(D[lo:hi]) from the complete subtrees of its decomposition (right fold)."""
    parts = _range_nodes(lo, hi)
    digest = _fetch(nodes, parts[-1])
    for coord in reversed(parts[:-1]):
        digest = node_hash(_fetch(nodes, coord), digest)
    return digest


def root_from_nodes(size: int, nodes: Mapping[Coord, bytes]) -> bytes:
    """Root of a tree of ``size`` leaves from (at least) the nodes ``nodes_for_root(size)`` planned.

    >>> leaves = [leaf_hash(bytes([i])) for i in range(3)]
    >>> store = MemoryNodeStore.from_leaves(leaves)
    >>> root_from_nodes(3, store.get_many(nodes_for_root(3))) == root_from_leaves(leaves)
    True
    """
    _check_size("size", size)
    if size == 0:
        return EMPTY_ROOT
    return _range_hash(0, size, nodes)


def inclusion_proof_from_nodes(index: int, size: int, nodes: Mapping[Coord, bytes]) -> list[bytes]:
    """Inclusion proof (RFC 9162 2.1.3.1 PATH) for ``index`` from the ``nodes_for_inclusion`` nodes."""
    _check_size("index", index)
    _check_size("size", size)
    if index >= size:
        raise ValueError(f"leaf index {index} is not in a tree of size {size}")
    return [_range_hash(lo, hi, nodes) for lo, hi in _inclusion_ranges(index, size)]


def consistency_proof_from_nodes(old: int, new: int, nodes: Mapping[Coord, bytes]) -> list[bytes]:
    """Consistency proof (RFC 9162 2.1.4.1 PROOF) from the ``nodes_for_consistency`` nodes.

    Empty when ``old`` is 0 or equal to ``new``.
    """
    _check_size("old", old)
    _check_size("new", new)
    if old > new:
        raise ValueError(f"old size {old} is larger than new size {new}")
    return [_range_hash(lo, hi, nodes) for lo, hi in _consistency_ranges(old, new)]


def root_at(size: int, store: NodeStore) -> bytes:
    """Root of the tree of the first ``size`` leaves, with one ``get_many`` call."""
    return root_from_nodes(size, store.get_many(nodes_for_root(size)))


def inclusion_proof(index: int, size: int, store: NodeStore) -> list[bytes]:
    """Inclusion proof of leaf ``index`` in the tree of size ``size``, with one ``get_many`` call.

    >>> store = MemoryNodeStore.from_leaves([leaf_hash(bytes([i])) for i in range(5)])
    >>> proof = inclusion_proof(2, 5, store)
    >>> verify_inclusion(leaf_hash(bytes([2])), 2, 5, proof, root_at(5, store))
    True
    """
    return inclusion_proof_from_nodes(index, size, store.get_many(nodes_for_inclusion(index, size)))


def consistency_proof(old: int, new: int, store: NodeStore) -> list[bytes]:
    """Consistency proof between tree sizes ``old`` and ``new``, with one ``get_many`` call.

    >>> store = MemoryNodeStore.from_leaves([leaf_hash(bytes([i])) for i in range(7)])
    >>> proof = consistency_proof(3, 7, store)
    >>> verify_consistency(3, 7, root_at(3, store), root_at(7, store), proof)
    True
    """
    return consistency_proof_from_nodes(old, new, store.get_many(nodes_for_consistency(old, new)))


def append_leaf(index: int, leaf: bytes, siblings: Mapping[Coord, bytes]) -> list[tuple[int, int, bytes]]:
    """The complete nodes that appending leaf number ``index`` creates, as ``(level, index, hash)``.

    Node ``(L, index >> L)`` completes for every L where the low L bits of ``index + 1`` are zero;
    ``siblings`` must hold the ``nodes_for_append(index)`` coordinates. The leaf itself is the first
    item (level 0).

    >>> a, b = leaf_hash(b"a"), leaf_hash(b"b")
    >>> [(lvl, i) for lvl, i, _ in append_leaf(1, b, {(0, 0): a})]
    [(0, 1), (1, 0)]
    """
    _check_size("index", index)
    if len(leaf) != HASH_SIZE:
        raise ValueError(f"leaf hash must be {HASH_SIZE} bytes")
    created = [(0, index, leaf)]
    digest = leaf
    for level, sibling_index in nodes_for_append(index):
        digest = node_hash(_fetch(siblings, (level, sibling_index)), digest)
        created.append((level + 1, index >> (level + 1), digest))
    return created


def _hash_pairs_into(out: bytearray, below: bytes | bytearray | memoryview, start: int, stop: int) -> None:
    """Append to ``out`` the parents ``start``..``stop``-1 of the packed child hashes ``below``."""
    if stop <= start:
        return
    sha = _sha256
    prefix = _NODE_PREFIX
    pair = 2 * HASH_SIZE
    with memoryview(below) as view:
        out += b"".join([sha(prefix + view[i : i + pair]).digest() for i in range(start * pair, stop * pair, pair)])


def subtree_levels(first: int, packed: bytes) -> list[tuple[int, int, bytes]]:
    """Complete nodes lying wholly inside leaves [first, first + n) given their packed hashes.

    Returns ``(level, first_index, packed_hashes)`` for each level >= 1 that has any; a worker can
    compute these for its slice of the leaves and ``MemoryNodeStore.extend_packed`` reuses them.

    >>> leaves = b"".join(leaf_hash(bytes([i])) for i in range(5))
    >>> [(level, index, len(nodes) // 32) for level, index, nodes in subtree_levels(3, leaves)]
    [(1, 2, 2), (2, 1, 1)]
    """
    result: list[tuple[int, int, bytes]] = []
    lo, hi = first, first + len(packed) // HASH_SIZE
    level = 0
    current: bytes | bytearray = packed
    while True:
        start, stop = (lo + 1) // 2, hi // 2  # parents whose two children are both in [lo, hi)
        if stop <= start:
            return result
        nodes = bytearray()
        offset = (2 * start - lo) * HASH_SIZE
        with memoryview(current) as view:
            _hash_pairs_into(nodes, view[offset:], 0, stop - start)
        level += 1
        result.append((level, start, bytes(nodes)))
        current, lo, hi = nodes, start, stop


# --- the incremental tree ---------------------------------------------------------------------------


class Frontier:
    """The right edge of the tree ("compact range" [0, size)): one complete subtree per set bit of size.

    O(log n) memory, O(1) amortised hashing per append, O(log n) root. Serialises to
    ``size (8 bytes, big-endian) || hashes`` so a database can keep it on one row.

    >>> f = Frontier()
    >>> for i in range(6):
    ...     _ = f.append(leaf_hash(bytes([i])))
    >>> f.levels()
    [2, 1]
    >>> f.root() == root_from_leaves(leaf_hash(bytes([i])) for i in range(6))
    True
    """

    __slots__ = ("_hashes", "_size")

    def __init__(self) -> None:
        self._size = 0
        self._hashes: list[bytes] = []

    @property
    def size(self) -> int:
        """Number of leaves covered."""
        return self._size

    def levels(self) -> list[int]:
        """Level of each frontier node, left (largest) to right."""
        return [bit for bit in range(self._size.bit_length() - 1, -1, -1) if (self._size >> bit) & 1]

    def nodes(self) -> list[tuple[int, int, bytes]]:
        """The frontier as ``(level, index, hash)`` complete subtrees, left to right."""
        size = self._size
        return [(level, (size >> level) - 1, digest) for level, digest in zip(self.levels(), self._hashes, strict=True)]

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add the next leaf hash; returns the complete nodes this creates (leaf first), to be stored.

        >>> f = Frontier()
        >>> _ = f.append(leaf_hash(b"a"))
        >>> [(lvl, i) for lvl, i, _ in f.append(leaf_hash(b"b"))]
        [(0, 1), (1, 0)]
        """
        if len(leaf) != HASH_SIZE:
            raise ValueError(f"leaf hash must be {HASH_SIZE} bytes")
        index = self._size
        hashes = self._hashes
        created = [(0, index, leaf)]
        digest = leaf
        level = 0
        while (index >> level) & 1:
            digest = _sha256(_NODE_PREFIX + hashes.pop() + digest).digest()
            level += 1
            created.append((level, index >> level, digest))
        hashes.append(digest)
        self._size = index + 1
        return created

    def extend(self, leaves: Iterable[bytes]) -> None:
        """Append many leaf hashes (discarding the created nodes)."""
        for leaf in leaves:
            self.append(leaf)

    def root(self) -> bytes:
        """Merkle tree hash of the leaves so far.

        >>> Frontier().root() == EMPTY_ROOT
        True
        """
        hashes = self._hashes
        if not hashes:
            return EMPTY_ROOT
        digest = hashes[-1]
        for left in reversed(hashes[:-1]):
            digest = _sha256(_NODE_PREFIX + left + digest).digest()
        return digest

    def copy(self) -> Frontier:
        """An independent copy."""
        other = Frontier()
        other._size = self._size
        other._hashes = list(self._hashes)
        return other

    def to_bytes(self) -> bytes:
        """Serialise as 8-byte big-endian size followed by the frontier hashes, left to right."""
        return self._size.to_bytes(8, "big") + b"".join(self._hashes)

    @classmethod
    def from_bytes(cls, data: bytes) -> Frontier:
        """Inverse of ``to_bytes``; raises ValueError if the length does not match the size.

        >>> f = Frontier(); _ = f.append(leaf_hash(b"x"))
        >>> Frontier.from_bytes(f.to_bytes()).root() == f.root()
        True
        """
        data = bytes(data)
        if len(data) < 8:
            raise ValueError("frontier data is shorter than its 8-byte size header")
        size = int.from_bytes(data[:8], "big")
        count = size.bit_count()
        if len(data) != 8 + HASH_SIZE * count:
            raise ValueError(
                f"frontier of size {size} needs {count} hashes ({8 + HASH_SIZE * count} bytes), got {len(data)} bytes"
            )
        frontier = cls()
        frontier._size = size
        frontier._hashes = [data[8 + HASH_SIZE * i : 8 + HASH_SIZE * (i + 1)] for i in range(count)]
        return frontier

    @classmethod
    def from_nodes(cls, size: int, nodes: Mapping[Coord, bytes]) -> Frontier:
        """Rebuild the frontier of ``size`` from a store answer for ``nodes_for_root(size)``."""
        frontier = cls()
        frontier._size = size
        frontier._hashes = [_fetch(nodes, coord) for coord in nodes_for_root(size)]
        return frontier

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Frontier):
            return NotImplemented
        return self._size == other._size and self._hashes == other._hashes

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Frontier(size={self._size}, root={self.root().hex()})"


class MemoryNodeStore:
    """Every complete subtree of a tree, kept as one bytearray of packed hashes per level.

    Appending in bulk hashes level by level; memory is about 64 bytes per leaf. Used by tests and
    by the offline verifier, which needs roots at arbitrary earlier sizes.

    >>> store = MemoryNodeStore.from_leaves([leaf_hash(b"a"), leaf_hash(b"b"), leaf_hash(b"c")])
    >>> store.size, sorted(store.get_many([(1, 0), (0, 2), (1, 1)]))
    (3, [(0, 2), (1, 0)])
    """

    __slots__ = ("_levels",)

    def __init__(self) -> None:
        self._levels: list[bytearray] = [bytearray()]

    @classmethod
    def from_leaves(cls, leaves: Iterable[bytes]) -> MemoryNodeStore:
        """Build the store for a list of leaf hashes."""
        store = cls()
        store.extend(leaves)
        return store

    @property
    def size(self) -> int:
        """Number of leaves."""
        return len(self._levels[0]) // HASH_SIZE

    def extend(self, leaves: Iterable[bytes]) -> None:
        """Append leaf hashes (each 32 bytes)."""
        packed = b"".join(leaves)
        self.extend_packed(packed)

    def extend_packed(self, packed: bytes, upper: Sequence[tuple[int, int, bytes]] = ()) -> None:
        """Append leaf hashes given as one bytes object of concatenated 32-byte hashes.

        ``upper`` may carry nodes already computed elsewhere (``subtree_levels`` of the same leaves,
        e.g. by a worker process); only the nodes they do not cover are hashed here.
        """
        if len(packed) % HASH_SIZE:
            raise ValueError(f"packed leaf hashes must be a multiple of {HASH_SIZE} bytes")
        levels = self._levels
        levels[0] += packed
        given = {level: (first, nodes) for level, first, nodes in upper}
        level = 0
        while True:
            below = levels[level]
            complete = len(below) // (2 * HASH_SIZE)
            if level + 1 == len(levels):
                if complete == 0:
                    return
                levels.append(bytearray())
            above = levels[level + 1]
            done = len(above) // HASH_SIZE
            if done == complete:
                return
            first, nodes = given.get(level + 1, (-1, b""))
            if done <= first and first + len(nodes) // HASH_SIZE <= complete:
                _hash_pairs_into(above, below, done, first)
                above += nodes
                done = len(above) // HASH_SIZE
            _hash_pairs_into(above, below, done, complete)
            level += 1

    def append(self, leaf: bytes) -> None:
        """Append one leaf hash."""
        if len(leaf) != HASH_SIZE:
            raise ValueError(f"leaf hash must be {HASH_SIZE} bytes")
        self.extend_packed(leaf)

    def get(self, level: int, index: int) -> bytes | None:
        """Hash of complete node (level, index), or None if it does not exist (yet)."""
        if level < 0 or index < 0 or level >= len(self._levels):
            return None
        row = self._levels[level]
        start = index * HASH_SIZE
        if start + HASH_SIZE > len(row):
            return None
        return bytes(row[start : start + HASH_SIZE])

    def get_many(self, coords: Sequence[Coord]) -> dict[Coord, bytes]:
        """Hashes of the requested nodes that exist."""
        found = {}
        for level, index in coords:
            digest = self.get(level, index)
            if digest is not None:
                found[(level, index)] = digest
        return found

    def root(self, size: int | None = None) -> bytes:
        """Root at ``size`` (default: the whole store)."""
        size = self.size if size is None else size
        if size > self.size:
            raise ValueError(f"store has {self.size} leaves, cannot compute the root of size {size}")
        return root_at(size, self)

    def frontier(self, size: int | None = None) -> Frontier:
        """The frontier of the first ``size`` leaves (default: all)."""
        size = self.size if size is None else size
        return Frontier.from_nodes(size, self.get_many(nodes_for_root(size)))


# --- verification (RFC 9162 2.1.3.2 and 2.1.4.2) ----------------------------------------------------


def _well_formed(hashes: Iterable[bytes]) -> bool:
    """All values are 32-byte strings."""
    return all(isinstance(h, bytes | bytearray) and len(h) == HASH_SIZE for h in hashes)


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """True iff ``proof`` shows leaf hash ``leaf`` at ``index`` in the tree of ``size`` with ``root``.

    >>> a, b = leaf_hash(b"a"), leaf_hash(b"b")
    >>> verify_inclusion(a, 0, 2, [b], node_hash(a, b)), verify_inclusion(b, 0, 2, [a], node_hash(a, b))
    (True, False)
    """
    if type(index) is not int or type(size) is not int or not 0 <= index < size:
        return False
    if not _well_formed([leaf, root, *proof]):
        return False
    fn, sn = index, size - 1
    r = bytes(leaf)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(old: int, new: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """True iff ``proof`` shows the tree of size ``old`` with ``old_root`` is a prefix of ``new``'s.

    ``old == new`` needs an empty proof and equal roots; ``old == 0`` needs an empty proof and
    ``old_root`` equal to the empty-tree root.

    >>> a, b = leaf_hash(b"a"), leaf_hash(b"b")
    >>> verify_consistency(1, 2, a, node_hash(a, b), [b])
    True
    """
    if type(old) is not int or type(new) is not int or not 0 <= old <= new:
        return False
    if not _well_formed([old_root, new_root, *proof]):
        return False
    if old == new:
        return not proof and old_root == new_root
    if old == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if old & (old - 1) == 0:  # old is an exact power of two: its root is a node of the new tree
        path.insert(0, bytes(old_root))
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root
