"""Benchmark the offline ledger verifier (and the Merkle core) on a generated export.

    .venv/bin/python benchmarks/ledger_verify.py --entries 1000000

Generates realistic small entries (ids, states, digests), signs a tree head every ``--sth-every``
entries, writes the export to a temporary file (or ``--file``), then times ``verify_export``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import tempfile
import time
from collections.abc import Iterator

from gongzhi.ledger.entry import EntryRecord, entry_leaf_hash
from gongzhi.ledger.merkle import (
    Frontier,
    MemoryNodeStore,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_from_leaves,
    verify_consistency,
    verify_inclusion,
)
from gongzhi.ledger.signing import (
    SignedTreeHead,
    TreeHead,
    generate_key,
    public_key_to_pem,
    sign_tree_head,
)
from gongzhi.ledger.verify import verify_export, write_export

ACTIONS = [
    ("identity.user.created", "user"),
    ("identity.membership.granted", "membership"),
    ("registry.model.registered", "model"),
    ("registry.model.version_added", "model_version"),
    ("jobs.job.submitted", "job"),
    ("jobs.job.finished", "job"),
    ("evaluation.report.published", "report"),
    ("governance.review.approved", "review"),
]
STATES = ["pending", "running", "succeeded", "failed", "approved", "rejected"]


def make_entries(count: int, seed: int = 7) -> Iterator[EntryRecord]:
    """Deterministic, realistic entries: small payloads of ids, states, counts and digests."""
    rng = random.Random(seed)
    base = 1_750_000_000_000_000  # microseconds since the epoch
    for seq in range(count):
        action, subject_type = ACTIONS[rng.randrange(len(ACTIONS))]
        micros = base + seq * 1000 + rng.randrange(1000)
        secs, us = divmod(micros, 1_000_000)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs)) + f".{us:06d}Z"
        payload: dict[str, object] = {"state": STATES[rng.randrange(len(STATES))], "version": rng.randrange(1, 40)}
        if rng.random() < 0.5:
            payload["digest"] = hashlib.sha256(seq.to_bytes(8, "big")).hexdigest()
        if rng.random() < 0.3:
            payload["labels"] = ["fairness", "robustness"][: rng.randrange(1, 3)]
        if rng.random() < 0.1:
            payload["title"] = "信用评分模型 v" + str(rng.randrange(10))
        yield EntryRecord(
            seq=seq,
            time=stamp,
            actor_user=f"user:{rng.randrange(5000)}",
            actor_org=str(rng.randrange(200)) if rng.random() < 0.9 else None,
            action=action,
            subject_type=subject_type,
            subject_id=str(rng.randrange(1, 10_000_000)),
            payload=payload,
        )


def generate(path: str, count: int, sth_every: int) -> float:
    """Write an export of ``count`` entries to ``path``; returns the seconds it took."""
    key = generate_key()
    frontier = Frontier()
    heads: list[SignedTreeHead] = []
    entries = list(make_entries(count))
    start = time.perf_counter()
    for record in entries:
        frontier.append(entry_leaf_hash(record))
        if frontier.size % sth_every == 0 or frontier.size == count:
            head = TreeHead(frontier.size, frontier.root(), 1_750_000_000_000 + frontier.size)
            heads.append(sign_tree_head(key, head))
    with open(path, "wb") as out:
        write_export(entries, heads, public_key_to_pem(key.public_key()), out)
    return time.perf_counter() - start


def timed(label: str, func: object, *args: object) -> object:
    """Run ``func(*args)`` once and print how long it took."""
    start = time.perf_counter()
    result = func(*args)  # type: ignore[operator]
    print(f"  {label:<44} {time.perf_counter() - start:8.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--sth-every", type=int, default=10_000, help="sign a tree head every N entries")
    parser.add_argument("--workers", type=int, default=None, help="verifier processes (default: auto)")
    parser.add_argument("--repeat", type=int, default=1, help="verification runs (best is reported)")
    parser.add_argument("--file", default=None, help="keep the export here (reused if it exists)")
    parser.add_argument("--no-merkle", dest="merkle", action="store_false", help="skip the Merkle core timings")
    args = parser.parse_args()

    path = args.file or os.path.join(tempfile.mkdtemp(prefix="gongzhi-bench-"), "export.jsonl")
    if not os.path.exists(path):
        seconds = generate(path, args.entries, args.sth_every)
        print(f"generated {args.entries} entries in {seconds:.1f} s ({os.path.getsize(path) / 1e6:.0f} MB)")

    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        with open(path, "rb") as lines:
            report = verify_export(lines, workers=args.workers)
        best = min(best, time.perf_counter() - start)
        print(report.summary())
    print(f"verify: {best:.2f} s total, {report.entries / best:,.0f} entries/s (workers={args.workers or 'auto'})")

    if args.merkle:
        leaves = [leaf_hash(i.to_bytes(8, "big")) for i in range(args.entries)]
        print("merkle core:")
        timed(f"root_from_leaves({len(leaves)})", root_from_leaves, leaves)
        store = timed(f"MemoryNodeStore.from_leaves({len(leaves)})", MemoryNodeStore.from_leaves, leaves)
        assert isinstance(store, MemoryNodeStore)
        frontier = Frontier()
        timed(f"Frontier.extend({len(leaves)})", frontier.extend, leaves)
        n = len(leaves)
        rounds = 10_000
        rng = random.Random(1)
        root = store.root()
        start = time.perf_counter()
        for _ in range(rounds):
            index = rng.randrange(n)
            proof = inclusion_proof(index, n, store)
            assert verify_inclusion(leaves[index], index, n, proof, root)
        per = (time.perf_counter() - start) / rounds * 1e6
        print(f"  inclusion proof + verify (size {n})             {per:8.1f} us each")
        start = time.perf_counter()
        for _ in range(rounds):
            old = rng.randrange(1, n + 1)
            proof = consistency_proof(old, n, store)
            assert verify_consistency(old, n, store.root(old), root, proof)
        per = (time.perf_counter() - start) / rounds * 1e6
        print(f"  consistency proof + old root + verify (size {n}) {per:8.1f} us each")


if __name__ == "__main__":
    main()
