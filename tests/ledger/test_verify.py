"""The offline verifier: a clean export verifies; every kind of tampering is caught and located."""

from __future__ import annotations

import io
import json
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gongzhi.ledger import verify as verify_module
from gongzhi.ledger.canonical import canonicalize
from gongzhi.ledger.entry import EntryRecord, entry_leaf_hash, record_from_object
from gongzhi.ledger.merkle import Frontier, root_from_leaves
from gongzhi.ledger.signing import (
    SignedTreeHead,
    TreeHead,
    generate_key,
    key_id,
    public_key_to_pem,
    sign_tree_head,
)
from gongzhi.ledger.verify import VerifyReport, export_lines, verify_export, write_export

N = 40
EVERY = 10

PAYLOADS: list[dict[str, Any]] = [
    {"state": "approved", "version": 3},
    {"title": "信用评分模型", "score": 0.75, "ratio": 1e-7},  # floats: the full canonicalisation path
    {"\U0001f600": 1, "\ufb33": 2, "a": 3},  # astral key: sorted by UTF-16 code units
    {"nested": {"b": [1, {"z": None, "a": True}], "a": 'x\ny"z\\'}},
    {"ctrl": "\x01\x1f\x7f", "big": 2**53, "neg": -(2**53)},
    {},
    {"path": "a/b", "sep": "\u2028", "emoji": "\U0001f600"},
]


def make_records(count: int) -> list[EntryRecord]:
    return [
        EntryRecord(
            seq=seq,
            time=f"2025-01-02T03:04:{seq % 60:02d}.{seq:06d}Z",
            actor_user=None if seq % 7 == 3 else f"user:{seq}",
            actor_org=None if seq % 5 == 2 else str(seq % 4),
            action="registry.model.registered" if seq % 2 else "jobs.job.finished",
            subject_type="model",
            subject_id=f"主体-{seq}" if seq % 6 == 1 else str(1000 + seq),
            payload=PAYLOADS[seq % len(PAYLOADS)],
        )
        for seq in range(count)
    ]


def make_heads(key: Ed25519PrivateKey, records: list[EntryRecord], sizes: list[int]) -> list[SignedTreeHead]:
    leaves = [entry_leaf_hash(r) for r in records]
    return [sign_tree_head(key, TreeHead(n, root_from_leaves(leaves[:n]), 1_700_000_000_000 + n)) for n in sizes]


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return generate_key()


@pytest.fixture(scope="module")
def records() -> list[EntryRecord]:
    return make_records(N)


@pytest.fixture(scope="module")
def heads(key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[SignedTreeHead]:
    return make_heads(key, records, list(range(EVERY, N + 1, EVERY)))


@pytest.fixture
def lines(key: Ed25519PrivateKey, records: list[EntryRecord], heads: list[SignedTreeHead]) -> list[bytes]:
    return list(export_lines(records, heads, public_key_to_pem(key.public_key())))


def check(lines: list[bytes], public_key: Any = None) -> VerifyReport:
    """Verify in-process and with worker processes (tiny chunks); both must report the same."""
    sequential = verify_export(lines, public_key, workers=1)
    parallel = verify_export(lines, public_key, workers=2, chunk_lines=7)
    assert parallel == sequential
    return sequential


def position(lines: list[bytes], seq: int) -> int:
    """Index in ``lines`` of the entry with this seq."""
    for i, line in enumerate(lines):
        if line.startswith(b'{"action"') and json.loads(line)["seq"] == seq:
            return i
    raise AssertionError(seq)


def head_position(lines: list[bytes], size: int) -> int:
    for i, line in enumerate(lines):
        obj = json.loads(line)
        if obj.get("type") == "tree_head" and obj["tree_size"] == size:
            return i
    raise AssertionError(size)


def rewrite(line: bytes, change: Callable[[dict[str, Any]], object], *, rehash: bool = False) -> bytes:
    """Change a line's JSON; with ``rehash`` also recompute its leaf hash so the line is self-consistent."""
    obj = json.loads(line)
    change(obj)
    if rehash:
        obj["leaf_hash"] = entry_leaf_hash(record_from_object(obj)).hex()
    return canonicalize(obj) + b"\n"


# --- clean exports ----------------------------------------------------------------------------------


def test_clean_export_verifies(lines: list[bytes], key: Ed25519PrivateKey) -> None:
    report = check(lines)
    assert report.ok, report.summary()
    assert (report.entries, report.tree_heads, report.signed_size) == (N, N // EVERY, N)
    assert report.key_id == key_id(key.public_key())
    assert report.problem is None
    assert (
        report.summary()
        == f"OK: {N} entries and {N // EVERY} signed tree heads verified; the signatures cover the first {N} entries."
    )
    assert check(lines, key.public_key()).ok


def test_writer_produces_canonical_lines_and_correct_leaf_hashes(
    lines: list[bytes], records: list[EntryRecord], key: Ed25519PrivateKey
) -> None:
    for line in lines:
        assert line.endswith(b"\n") and canonicalize(json.loads(line)) + b"\n" == line
    header = json.loads(lines[0])
    assert header == {
        "type": "header",
        "format": "gongzhi-ledger-export",
        "version": 1,
        "public_key": public_key_to_pem(key.public_key()),
        "key_id": key_id(key.public_key()),
    }
    entries = [json.loads(line) for line in lines if json.loads(line)["type"] == "entry"]
    assert [e["seq"] for e in entries] == list(range(N))
    for obj, record in zip(entries, records, strict=True):
        assert record_from_object(obj) == record
        assert obj["leaf_hash"] == entry_leaf_hash(record).hex()
    kinds = [json.loads(line)["type"] for line in lines]
    assert kinds[EVERY + 1] == "tree_head"  # each head right after the entry that completes it


def test_heads_at_the_end_and_partial_coverage(
    key: Ed25519PrivateKey, records: list[EntryRecord], heads: list[SignedTreeHead]
) -> None:
    pem = public_key_to_pem(key.public_key())
    at_end = list(export_lines(records, heads, pem, interleave=False))
    assert [json.loads(line)["type"] for line in at_end[-len(heads) :]] == ["tree_head"] * len(heads)
    assert check(at_end).ok
    partial = list(export_lines(records, heads[:2], pem))
    report = check(partial)
    assert report.ok and report.entries == N and report.signed_size == 2 * EVERY
    assert "20 later entries are not yet covered" in report.summary()
    empty_head = make_heads(key, records, [0])
    report = check(list(export_lines(records[:3], empty_head, pem)))
    assert report.ok and report.tree_heads == 1 and report.signed_size == 0
    assert check(list(export_lines([], [], pem))).ok


def test_input_forms(lines: list[bytes], tmp_path: Path) -> None:
    blob = b"".join(lines)
    assert verify_export(io.BytesIO(blob)).ok
    assert verify_export(io.BytesIO(blob), workers=2, chunk_lines=3).ok
    assert verify_export([line.decode() for line in lines]).ok
    assert verify_export(blob.replace(b"\n", b"\r\n").splitlines(keepends=True)).ok
    assert verify_export(io.BytesIO(blob.replace(b"\n", b"\r\n") + b"\n\n")).ok
    assert verify_export([line.rstrip(b"\n") for line in lines]).ok
    path = tmp_path / "export.jsonl"
    with path.open("wb") as out:
        assert write_export([], [], json.loads(lines[0])["public_key"], out) == 1
    path.write_bytes(blob)
    with path.open("rb") as binary:
        assert verify_export(binary, workers=2, chunk_lines=5).ok
    with path.open(encoding="utf-8") as text:
        assert verify_export(text, workers=2, chunk_lines=5).ok
    with path.open(encoding="utf-8") as text:
        assert verify_export(iter(text)).ok


def test_equivalent_but_non_canonical_lines_are_accepted(lines: list[bytes]) -> None:
    rng = random.Random(5)
    relaxed = []
    for line in lines:
        obj = json.loads(line)
        items = list(obj.items())
        rng.shuffle(items)
        relaxed.append(json.dumps(dict(items), ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 1])))
    relaxed = [text.replace("\n", " ") + "\n" for text in relaxed]
    report = check([text.encode() for text in relaxed])
    assert report.ok, report.summary()


def test_worker_processes_can_be_spawned(lines: list[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    monkeypatch.setattr(verify_module, "_pool_context", lambda: multiprocessing.get_context("spawn"))
    assert verify_export(lines, workers=2, chunk_lines=20) == verify_export(lines, workers=1)


# --- tampering --------------------------------------------------------------------------------------

Scenario = Callable[[list[bytes], Ed25519PrivateKey, list[EntryRecord]], list[bytes]]


def edit_payload(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = position(lines, 13)
    lines[i] = rewrite(lines[i], lambda o: o.update(payload={"state": "rejected"}))
    return lines


def edit_payload_and_rehash(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = position(lines, 13)
    lines[i] = rewrite(lines[i], lambda o: o.update(payload={"state": "rejected"}), rehash=True)
    return lines


def edit_actor_and_rehash(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = position(lines, 3)
    lines[i] = rewrite(lines[i], lambda o: o["actor"].update(user="user:admin"), rehash=True)
    return lines


def delete_entry(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    del lines[position(lines, 13)]
    return lines


def delete_first_entry(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    del lines[position(lines, 0)]
    return lines


def swap_entries(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i, j = position(lines, 13), position(lines, 14)
    lines[i], lines[j] = lines[j], lines[i]
    return lines


def duplicate_entry(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = position(lines, 13)
    lines.insert(i + 1, lines[i])
    return lines


def renumber_entry(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = position(lines, 13)
    lines[i] = rewrite(lines[i], lambda o: o.update(seq=12), rehash=True)
    return lines


def corrupt_signature(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = head_position(lines, 20)
    flip = {"A": "B"}
    lines[i] = rewrite(lines[i], lambda o: o.update(signature=flip.get(o["signature"][0], "A") + o["signature"][1:]))
    return lines


def change_signed_root(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = head_position(lines, 20)
    lines[i] = rewrite(lines[i], lambda o: o.update(root_hash="00" * 32))
    return lines


def sign_wrong_root(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = head_position(lines, 20)
    forged = sign_tree_head(key, TreeHead(20, root_from_leaves([entry_leaf_hash(r) for r in records[:19]]), 5))
    lines[i] = canonicalize(forged.to_json()) + b"\n"
    return lines


def sign_with_other_key(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = head_position(lines, 20)
    forged = make_heads(generate_key(), records, [20])[0]
    lines[i] = rewrite(canonicalize(forged.to_json()), lambda o: o.update(key_id=key_id(key.public_key())))
    return lines


def head_names_other_key(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = head_position(lines, 20)
    lines[i] = rewrite(lines[i], lambda o: o.update(key_id="ab" * 32))
    return lines


def header_wrong_key_id(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    lines[0] = rewrite(lines[0], lambda o: o.update(key_id="ab" * 32))
    return lines


def header_other_key(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    other = generate_key().public_key()
    lines[0] = rewrite(lines[0], lambda o: o.update(public_key=public_key_to_pem(other), key_id=key_id(other)))
    return lines


def header_bad_version(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    lines[0] = rewrite(lines[0], lambda o: o.update(version=2))
    return lines


def header_bad_pem(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    lines[0] = rewrite(lines[0], lambda o: o.update(public_key="not a key"))
    return lines


def no_header(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    return lines[1:]


def second_header(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    return [*lines[:5], lines[0], *lines[5:]]


def head_too_early(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    head = lines.pop(head_position(lines, 20))
    lines.insert(position(lines, 15), head)
    return lines


def truncated(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    return [line for line in lines if not (line.startswith(b'{"action"') and json.loads(line)["seq"] >= 35)]


def not_json(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = position(lines, 13)
    lines[i] = lines[i][:50] + b"\n"
    return lines


def not_utf8(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = position(lines, 13)
    lines[i] = lines[i].replace(b'"action":"', b'"action":"\xff')
    return lines


def unknown_type(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    lines.insert(position(lines, 13), b'{"type":"comment","text":"hi"}\n')
    return lines


def duplicate_member(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = position(lines, 13)
    lines[i] = lines[i].replace(b'"seq":13,', b'"seq":13,"seq":13,')
    return lines


def duplicate_payload_member(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = position(lines, 14)  # payload {"state": "approved", "version": 3}
    lines[i] = lines[i].replace(b'"payload":{', b'"payload":{"state":"rejected",')
    return lines


def seq_as_string(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = position(lines, 13)
    lines[i] = lines[i].replace(b'"seq":13,', b'"seq":"13",')
    return lines


def extra_field(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = position(lines, 13)
    lines[i] = rewrite(lines[i], lambda o: o.update(note="hello"))
    return lines


def bad_time(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = position(lines, 13)
    lines[i] = rewrite(lines[i], lambda o: o.update(time="2025-01-02 03:04:05"))
    return lines


def huge_integer(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = position(lines, 14)
    lines[i] = lines[i].replace(b'"version":3', b'"version":12345678901234567890')
    return lines


def nan_literal(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = position(lines, 14)
    lines[i] = lines[i].replace(b'"version":3', b'"version":NaN')
    return lines


def uppercase_leaf_hash(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = position(lines, 13)
    lines[i] = rewrite(lines[i], lambda o: o.update(leaf_hash=o["leaf_hash"].upper()))
    return lines


def two_problems(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    del lines[position(lines, 25)]
    i = position(lines, 5)
    lines[i] = rewrite(lines[i], lambda o: o.update(action="x"))
    return lines


def lone_surrogate(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> list[bytes]:
    i = position(lines, 14)
    lines[i] = lines[i].replace(b'"state":"approved"', b'"state":"\\ud800"')
    return lines


# (scenario, kind, seq, tree_size, entries verified, tree heads verified)
SCENARIOS: list[tuple[Scenario, str, int | None, int | None, int, int]] = [
    (edit_payload, "leaf_hash_mismatch", 13, None, 13, 1),
    (edit_payload_and_rehash, "root_mismatch", None, 20, 20, 1),
    (edit_actor_and_rehash, "root_mismatch", None, 10, 10, 0),
    (delete_entry, "sequence_gap", 13, None, 13, 1),
    (delete_first_entry, "sequence_gap", 0, None, 0, 0),
    (swap_entries, "sequence_out_of_order", 13, None, 13, 1),
    (duplicate_entry, "duplicate_sequence", 13, None, 14, 1),
    (renumber_entry, "duplicate_sequence", 12, None, 13, 1),
    (corrupt_signature, "bad_signature", None, 20, 20, 1),
    (change_signed_root, "bad_signature", None, 20, 20, 1),
    (sign_wrong_root, "root_mismatch", None, 20, 20, 1),
    (sign_with_other_key, "bad_signature", None, 20, 20, 1),
    (head_names_other_key, "key_mismatch", None, 20, 20, 1),
    (header_wrong_key_id, "key_mismatch", None, None, 0, 0),
    (header_bad_version, "bad_header", None, None, 0, 0),
    (header_bad_pem, "bad_header", None, None, 0, 0),
    (no_header, "bad_header", None, None, 0, 0),
    (second_header, "malformed_line", None, None, 4, 0),
    (head_too_early, "tree_size_exceeds_entries", None, 20, 15, 1),
    (truncated, "tree_size_exceeds_entries", None, 40, 35, 3),
    (not_json, "malformed_line", None, None, 13, 1),
    (not_utf8, "malformed_line", None, None, 13, 1),
    (unknown_type, "malformed_line", None, None, 13, 1),
    (duplicate_member, "malformed_line", 13, None, 13, 1),
    (duplicate_payload_member, "malformed_line", 14, None, 14, 1),
    (seq_as_string, "malformed_line", None, None, 13, 1),
    (extra_field, "malformed_line", 13, None, 13, 1),
    (bad_time, "malformed_line", 13, None, 13, 1),
    (huge_integer, "malformed_line", None, None, 14, 1),
    (nan_literal, "malformed_line", None, None, 14, 1),
    (uppercase_leaf_hash, "malformed_line", 13, None, 13, 1),
    (two_problems, "leaf_hash_mismatch", 5, None, 5, 0),
    (lone_surrogate, "malformed_line", 14, None, 14, 1),
]


@pytest.mark.parametrize(
    ("scenario", "kind", "seq", "tree_size", "entries", "tree_heads"),
    SCENARIOS,
    ids=[s[0].__name__ for s in SCENARIOS],
)
def test_tampering_is_detected_and_located(
    lines: list[bytes],
    key: Ed25519PrivateKey,
    records: list[EntryRecord],
    scenario: Scenario,
    kind: str,
    seq: int | None,
    tree_size: int | None,
    entries: int,
    tree_heads: int,
) -> None:
    tampered = scenario(list(lines), key, records)
    report = check(tampered)
    assert not report.ok
    problem = report.problem
    assert problem is not None
    assert (problem.kind, problem.seq, problem.tree_size) == (kind, seq, tree_size), problem
    assert (report.entries, report.tree_heads) == (entries, tree_heads)
    assert problem.message and report.summary().startswith(f"FAILED ({kind}): ")
    if problem.line is not None:
        assert problem.message.startswith(f"line {problem.line}: ")
        assert 1 <= problem.line <= len(tampered)


def test_messages_name_the_place(lines: list[bytes], key: Ed25519PrivateKey, records: list[EntryRecord]) -> None:
    report = check(delete_entry(list(lines), key, records))
    assert report.problem is not None
    assert report.problem.message.endswith("entry 14 follows entry 12; entry 13 is missing")
    assert report.problem.line == position(lines, 14)  # the line after the gap
    lines_without_three = [line for i, line in enumerate(lines) if i not in {position(lines, s) for s in (3, 4, 5)}]
    report = check(lines_without_three)
    assert report.problem is not None
    assert report.problem.message.endswith("entry 6 follows entry 2; entries 3..5 are missing")
    report = check(delete_first_entry(list(lines), key, records))
    assert report.problem is not None and report.problem.message.endswith(
        "entry 1 follows the header; entry 0 is missing"
    )
    report = check(swap_entries(list(lines), key, records))
    assert (
        report.problem is not None and "entry 14 appears before entry 13, which comes later" in report.problem.message
    )
    report = check(edit_payload_and_rehash(list(lines), key, records))
    assert report.problem is not None and "the first 20 entries hash to root" in report.problem.message
    assert report.problem.line == head_position(lines, 20) + 1


def test_expected_key_must_match_the_header(lines: list[bytes], key: Ed25519PrivateKey) -> None:
    other = generate_key().public_key()
    report = check(lines, other)
    assert report.problem is not None and report.problem.kind == "key_mismatch" and report.problem.line == 1
    # A header that swaps in another key is caught only when the verifier knows which key to expect.
    swapped = header_other_key(list(lines), key, [])
    assert check(swapped).problem is not None  # the old signatures no longer verify
    report = check(swapped, key.public_key())
    assert report.problem is not None and report.problem.kind == "key_mismatch"


def test_empty_export() -> None:
    report = check([])
    assert report.problem is not None and report.problem.kind == "bad_header"
    assert "empty" in report.problem.message
    assert check([b"\n", b"  \n"]).problem is not None


# --- the fast path must agree with the full parse on every input ------------------------------------


def scan_both(lines: list[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    chunk = (1, b"".join(lines))
    fast = verify_module._scan_chunk(chunk)
    with monkeypatch.context() as patch:
        patch.setattr(verify_module, "_CANONICAL_ENTRY_LINE", re.compile(rb"(?!)"))
        full = verify_module._scan_chunk(chunk)
    assert fast == full


def test_fast_path_agrees_with_full_parse(lines: list[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    scan_both(lines, monkeypatch)
    fast_items = verify_module._scan_chunk((1, b"".join(lines)))
    assert sum(item[3] for item in fast_items if item[0] == "run") == N


def test_fast_path_agrees_with_full_parse_on_mutated_lines(lines: list[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(2024)
    alphabet = b'{}[]":,\\0123456789abcdefnul -.eE\x00\x1f\x7f' + "é😀\u2028".encode()
    entries = [line for line in lines if line.startswith(b'{"action"')]
    mutated = []
    for _ in range(1500):
        buf = bytearray(rng.choice(entries))
        for _ in range(rng.randrange(1, 3)):
            at = rng.randrange(len(buf) - 1)
            op = rng.randrange(3)
            if op == 0:
                buf[at] = rng.choice(alphabet)
            elif op == 1:
                del buf[at]
            else:
                buf.insert(at, rng.choice(alphabet))
        mutated.append(bytes(buf).replace(b"\n", b"") + b"\n")
    scan_both(mutated, monkeypatch)
    for escape in [b"\\u0008", b"\\u000a", b"\\/", b"\\u00e9", b"\\ud83d\\ude00", b"\\uD800", b"\\udc00"]:
        for line in entries[:7]:
            scan_both([line.replace(b'"action":"', b'"action":"' + escape, 1)], monkeypatch)
            scan_both([line.replace(b'"payload":{', b'"payload":{"k":"' + escape + b'",', 1)], monkeypatch)


def test_frontier_matches_the_verifier_tree(records: list[EntryRecord]) -> None:
    frontier = Frontier()
    frontier.extend(entry_leaf_hash(r) for r in records)
    assert frontier.root() == root_from_leaves([entry_leaf_hash(r) for r in records])


def test_worker_processes_are_used_only_for_more_than_one_chunk(
    lines: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = verify_module._pool_context

    def spy() -> Any:
        calls.append("pool")
        return real()

    monkeypatch.setattr(verify_module, "_pool_context", spy)
    assert verify_export(lines, workers=2, chunk_lines=7).ok
    assert calls == ["pool"]
    assert verify_export(lines, workers=2, chunk_lines=len(lines)).ok
    assert verify_export(lines, workers=1, chunk_lines=7).ok
    assert calls == ["pool"]
