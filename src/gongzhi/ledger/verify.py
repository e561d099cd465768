"""Offline verification of a ledger export: anyone holding the file (and the operator's key) can check it.

Export format (JSON Lines, UTF-8, one canonical JSON object per line):

* line 1: ``{"type": "header", "format": "gongzhi-ledger-export", "version": 1, "public_key": PEM,
  "key_id": hex}``
* ``{"type": "entry", "seq", "time", "actor": {"user", "org"}, "action", "subject": {"type", "id"},
  "payload", "leaf_hash": hex}`` for seq 0, 1, 2, ... in order;
* ``{"type": "tree_head", "tree_size", "root_hash": hex, "timestamp": ms, "signature": base64,
  "key_id"}`` anywhere after the entries it covers (interleaved, or all at the end).

``verify_export`` recomputes every leaf hash from the entry's fields, checks the sequence numbers,
rebuilds the Merkle tree and checks each tree head's root and Ed25519 signature, and reports the
first problem. For large exports the lines are parsed and hashed by worker processes, which also
hash the complete subtrees inside their share of the entries; the calling process stitches those
into the tree, checks sequence numbers and tree heads, and decides what the first problem is.

Lines exactly as ``write_export`` writes them (canonical JSON) take a fast path: a regular
expression pins down the fixed fields and only the payload is parsed (and must re-encode to the
same text). Every other line is parsed in full, so any equivalent JSON is accepted, and both
paths give the same result for every input (the tests check this on mutated lines).
"""

from __future__ import annotations

import binascii
import hashlib
import json
import multiprocessing
import os
import re
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain, islice
from json.scanner import make_scanner
from typing import Any, Final, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gongzhi.ledger.canonical import MAX_INTEGER, canonical_text, canonicalize, encode_simple
from gongzhi.ledger.entry import TIME_PATTERN, EntryRecord, entry_object, record_from_object
from gongzhi.ledger.merkle import MemoryNodeStore, subtree_levels
from gongzhi.ledger.signing import (
    SignedTreeHead,
    key_id,
    load_public_key_pem,
    verify_tree_head,
)

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "Problem",
    "VerifyReport",
    "export_lines",
    "verify_export",
    "write_export",
]

EXPORT_FORMAT: Final = "gongzhi-ledger-export"
EXPORT_VERSION: Final = 1
CHUNK_LINES: Final = 10_000
"""Lines per unit of work handed to a worker process; exports of one chunk are verified in-process."""

_LINE_KEYS: Final = frozenset({"type", "seq", "time", "actor", "action", "subject", "payload", "leaf_hash"})
_ACTOR_KEYS: Final = frozenset({"user", "org"})
_SUBJECT_KEYS: Final = frozenset({"type", "id"})
_HEADER_KEYS: Final = frozenset({"type", "format", "version", "public_key", "key_id"})
_TREE_HEAD_KEYS: Final = frozenset({"type", "tree_size", "root_hash", "timestamp", "signature", "key_id"})
_HEX_HASH: Final = re.compile(r"[0-9a-f]{64}")
_SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89a-fA-F]")
_ASTRAL: Final = re.compile("[\U00010000-\U0010ffff]")
_ASTRAL_UTF8: Final = re.compile(rb"[\xf0-\xf4]")  # lead bytes of 4-byte UTF-8 sequences
# An entry line exactly as write_export produces it (RFC 8785 canonical JSON): fixed fields matched
# here, the payload checked separately. Strings allow only the escapes JCS itself emits.
_JCS_STRING: Final = r'"[^"\\\x00-\x1f]*+(?:\\(?:["\\bfnrt]|u00(?:0[0-7bef]|1[0-9a-f]))[^"\\\x00-\x1f]*+)*+"'
_S, _T = _JCS_STRING, TIME_PATTERN.pattern
_CANONICAL_ENTRY_LINE: Final = re.compile(
    (
        r'\{"action":' + _S + r',"actor":\{"org":(?:null|' + _S + r'),"user":(?:null|' + _S + r")\}"
        r',"leaf_hash":"(?P<leaf>[0-9a-f]{64})","payload":(?P<payload>\{.*\}),"seq":(?P<seq>0|[1-9][0-9]{0,15})'
        r',"subject":\{"id":' + _S + r',"type":' + _S + r'\},"time":"' + _T + r'","type":"entry"\}'
    ).encode("ascii"),
    re.DOTALL,
)
_LEAF_PREFIX_LEN: Final = len(',"leaf_hash":"')
_TYPE_SUFFIX_LEN: Final = len(',"type":"entry"}')
_encode_string: Callable[[str], str] = json.encoder.encode_basestring
_sha256 = hashlib.sha256


@dataclass(frozen=True, slots=True)
class Problem:
    """The first thing found wrong: a machine-readable kind, where, and an explanation in English.

    Kinds: ``malformed_line``, ``bad_header``, ``key_mismatch``, ``leaf_hash_mismatch``,
    ``sequence_gap``, ``sequence_out_of_order``, ``duplicate_sequence``, ``tree_size_exceeds_entries``,
    ``root_mismatch``, ``bad_signature``.
    """

    kind: str
    message: str
    line: int | None = None
    seq: int | None = None
    tree_size: int | None = None


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """Outcome of ``verify_export``: counts of what checked out, and the first problem (if any).

    ``entries`` counts the entries verified (seq 0 .. entries-1); ``tree_heads`` the tree heads whose
    root and signature verified; ``signed_size`` the largest tree size a verified tree head covers
    (entries beyond it are hashed and in order, but no signature vouches for them).
    """

    entries: int
    tree_heads: int
    signed_size: int
    key_id: str | None
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return self.problem is None

    def summary(self) -> str:
        """One English sentence describing the outcome."""
        if self.problem is not None:
            return f"FAILED ({self.problem.kind}): {self.problem.message}"
        unsigned = self.entries - self.signed_size
        text = (
            f"OK: {self.entries} entries and {self.tree_heads} signed tree heads verified; "
            f"the signatures cover the first {self.signed_size} entries"
        )
        if unsigned:
            text += f" ({unsigned} later entries are not yet covered by a signed tree head)"
        return text + "."


class _Malformed(Exception):
    """A line that cannot be interpreted (carries the explanation and, if known, the entry's seq)."""

    def __init__(self, message: str, seq: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.seq = seq


# --- line parsing (runs in worker processes) --------------------------------------------------------

# Items a chunk scan produces, in line order:
#   ("run", line, first_seq, count, packed_leaf_hashes, subtree_levels)   consecutive, valid entries
#   ("header", line, obj) / ("tree_head", line, obj)        checked by the parent
#   ("problem", line, kind, seq, message)                  a line the worker rejected
Item = tuple[Any, ...]
_Scanner = Callable[[str, int], tuple[Any, int]]


def _parse_int(text: str) -> int:
    """JSON integer hook: reject integers JCS cannot represent exactly."""
    value = int(text)
    if len(text) > 15 and not -MAX_INTEGER <= value <= MAX_INTEGER:
        raise ValueError(f"integer {text} is outside +/-2**53")
    return value


def _reject_constant(text: str) -> Any:
    """JSON constant hook: NaN and Infinity are not JSON."""
    raise ValueError(f"{text} is not allowed in JSON")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON object hook for the strict re-parse: duplicate member names make a line ambiguous."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"duplicate member name {key!r}")
            seen.add(key)
    return obj


_STRICT_DECODER: Final = json.JSONDecoder(
    object_pairs_hook=_no_duplicates, parse_int=_parse_int, parse_constant=_reject_constant
)


def _entry_parts(
    action: str,
    org: str | None,
    user: str | None,
    payload_text: str,
    seq: int,
    subject_id: str,
    subject_type: str,
    time: str,
) -> tuple[str, str]:
    """Canonical text of an entry split where an export line inserts "leaf_hash" (keys in JCS order).

    The entry is ``head + tail + "}"``; its export line is ``_line_text(head, tail, leaf_hex)``.
    """
    enc = _encode_string
    head = "".join(
        [
            '{"action":',
            enc(action),
            ',"actor":{"org":',
            "null" if org is None else enc(org),
            ',"user":',
            "null" if user is None else enc(user),
            "}",
        ]
    )
    tail = "".join(
        [
            ',"payload":',
            payload_text,
            ',"seq":',
            str(seq),
            ',"subject":{"id":',
            enc(subject_id),
            ',"type":',
            enc(subject_type),
            '},"time":',
            enc(time),
        ]
    )
    return head, tail


def _line_text(head: str, tail: str, leaf_hex: str) -> str:
    """Canonical export line of an entry: the entry's members plus "leaf_hash" and "type"."""
    return f'{head},"leaf_hash":{_encode_string(leaf_hex)}{tail},"type":"entry"}}'


def _entry_slow(text: str, obj: dict[str, Any]) -> tuple[int, str, str]:
    """Validate an entry line in full and canonicalise it; raises _Malformed with the first problem."""
    seq = obj.get("seq")
    seq = seq if type(seq) is int else None
    try:
        _STRICT_DECODER.decode(text)
    except ValueError as exc:
        raise _Malformed(f"the line is not valid JSON for a ledger export: {exc}", seq) from None
    extra = sorted(obj.keys() - _LINE_KEYS)
    if extra:
        raise _Malformed(f"unexpected field {extra[0]!r} in an entry line", seq)
    if "leaf_hash" not in obj:
        raise _Malformed("entry line has no leaf_hash", seq)
    leaf_hex = obj["leaf_hash"]
    if not isinstance(leaf_hex, str):
        raise _Malformed("leaf_hash must be a hexadecimal string", seq)
    try:
        record = record_from_object(obj)
        entry_text = canonical_text(entry_object(record))
        entry_text.encode("utf-8")
    except (ValueError, TypeError) as exc:
        raise _Malformed(f"invalid entry: {exc}", seq) from None
    return record.seq, entry_text, leaf_hex


def _entry_from_object(text: str, obj: dict[str, Any], plain: bool) -> tuple[int, str, str]:
    """Canonical entry text for a line, skipping full validation when the line is already canonical."""
    if plain and obj.keys() == _LINE_KEYS:
        seq, time, action = obj["seq"], obj["time"], obj["action"]
        actor, subject, payload, leaf_hex = obj["actor"], obj["subject"], obj["payload"], obj["leaf_hash"]
        if (
            type(seq) is int
            and seq >= 0
            and type(time) is str
            and type(action) is str
            and type(leaf_hex) is str
            and type(payload) is dict
            and type(actor) is dict
            and type(subject) is dict
            and actor.keys() == _ACTOR_KEYS
            and subject.keys() == _SUBJECT_KEYS
            and TIME_PATTERN.fullmatch(time) is not None
        ):
            user, org, stype, sid = actor["user"], actor["org"], subject["type"], subject["id"]
            if (
                (user is None or type(user) is str)
                and (org is None or type(org) is str)
                and type(stype) is str
                and type(sid) is str
            ):
                head, tail = _entry_parts(action, org, user, encode_simple(payload), seq, sid, stype, time)
                if _line_text(head, tail, leaf_hex) == text:  # canonical: no duplicate names, no surprises
                    return seq, head + tail + "}", leaf_hex
    return _entry_slow(text, obj)


def _line_full(raw: bytes, line_no: int, scan: _Scanner, floats: list[bool]) -> Item | None:
    """Interpret any line the fast path did not accept: ("entry", seq, entry bytes, leaf hex) or an item."""
    try:
        text = raw.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        return ("problem", line_no, "malformed_line", None, f"the line is not valid UTF-8 ({exc})")
    if not text:
        return None
    floats.clear()
    try:
        obj, end = scan(text, 0)
    except StopIteration:
        obj, end = None, -1
    except ValueError as exc:
        return ("problem", line_no, "malformed_line", None, f"the line is not valid JSON: {exc}")
    if end != len(text) or type(obj) is not dict:
        return ("problem", line_no, "malformed_line", None, "the line is not a single JSON object")
    kind = obj.get("type")
    if kind != "entry":
        if kind in ("header", "tree_head"):
            return (kind, line_no, obj)
        return ("problem", line_no, "malformed_line", None, f"unknown line type {kind!r}")
    plain = not floats and (text.isascii() or _ASTRAL.search(text) is None)
    if plain and "\\u" in text and _SURROGATE_ESCAPE.search(text):
        plain = False
    try:
        seq, entry_text, leaf_hex = _entry_from_object(text, obj, plain)
        entry = entry_text.encode("utf-8")
    except _Malformed as exc:
        return ("problem", line_no, "malformed_line", exc.seq, exc.message)
    except UnicodeEncodeError:  # pragma: no cover - lone surrogates are caught by the slow path first
        where = obj.get("seq")
        return ("problem", line_no, "malformed_line", where if type(where) is int else None, "a lone surrogate")
    return ("entry", seq, entry, leaf_hex.encode("utf-8", "surrogatepass"))


def _scan_chunk(task: tuple[int, bytes | Sequence[bytes | str]]) -> list[Item]:
    """Parse one chunk (a block of text or a list of lines): check and hash entries, pass the rest on.

    Consecutive valid entries come back as runs of packed leaf hashes together with the complete
    subtrees inside each run, so the caller only has to stitch them onto its tree.
    """
    first_line, lines = task
    if isinstance(lines, bytes):
        lines = lines.split(b"\n")
    floats: list[bool] = []

    def parse_float(text: str) -> float:
        floats.append(True)
        return float(text)

    decoder = json.JSONDecoder(parse_float=parse_float, parse_int=_parse_int, parse_constant=_reject_constant)
    # The scanner behind JSONDecoder.raw_decode, called directly: it skips a Python-level wrapper.
    scan: _Scanner = make_scanner(decoder)  # type: ignore[arg-type]
    match_line = _CANONICAL_ENTRY_LINE.fullmatch
    astral = _ASTRAL_UTF8.search
    encode = encode_simple
    sha = _sha256
    hexlify = binascii.hexlify
    items: list[Item] = []
    run: list[bytes] = []
    run_line = run_seq = 0
    next_seq = -1  # the seq that would extend the current run

    def flush() -> None:
        if run:
            packed = b"".join(run)
            items.append(("run", run_line, run_seq, len(run), packed, subtree_levels(run_seq, packed)))
            run.clear()

    for line_no, line in enumerate(lines, first_line):
        raw = line if type(line) is bytes else line.encode("utf-8", "surrogatepass")  # type: ignore[union-attr]
        entry = None
        match = match_line(raw)
        if match is not None:
            # Fast path, for lines exactly as write_export produces them: the fixed fields are
            # canonical by the pattern, the payload is parsed and must re-encode to the same text.
            payload_raw = match["payload"]
            try:
                if raw.isascii():
                    ok = True
                else:
                    raw.decode("utf-8")  # the pattern itself lets any non-ASCII bytes through
                    ok = payload_raw.isascii() or astral(payload_raw) is None  # JCS sorts astral names apart
                if ok:
                    payload_text = payload_raw.decode("utf-8")
                    payload, end = scan(payload_text, 0)
                    if end == len(payload_text) and not floats and encode(payload) == payload_text:
                        seq = int(match["seq"])
                        if seq <= MAX_INTEGER:
                            start, stop = match.span("leaf")
                            entry = raw[: start - _LEAF_PREFIX_LEN] + raw[stop + 1 : -_TYPE_SUFFIX_LEN] + b"}"
                            leaf = match["leaf"]
            except (UnicodeDecodeError, StopIteration, ValueError):
                pass  # the full path explains what is wrong
            floats.clear()
        if entry is None:
            result = _line_full(raw, line_no, scan, floats)
            if result is None:
                continue
            if result[0] != "entry":
                flush()
                items.append(result)
                next_seq = -1
                continue
            _, seq, entry, leaf = result
        digest = sha(b"\x00" + entry).digest()
        if hexlify(digest) != leaf:
            flush()
            leaf_hex = leaf.decode("utf-8", "replace")
            if _HEX_HASH.fullmatch(leaf_hex) is None:
                message = f"entry {seq}: leaf_hash must be 64 lowercase hexadecimal characters"
                items.append(("problem", line_no, "malformed_line", seq, message))
            else:
                message = (
                    f"entry {seq}: the recorded leaf hash {leaf_hex[:16]}... is not the hash of the "
                    f"entry's contents ({digest.hex()[:16]}...); the entry changed after it was logged"
                )
                items.append(("problem", line_no, "leaf_hash_mismatch", seq, message))
            next_seq = -1
            continue
        if seq != next_seq:
            flush()
            run_line, run_seq = line_no, seq
        run.append(digest)
        next_seq = seq + 1
    flush()
    return items


# --- feeding chunks through worker processes --------------------------------------------------------


def _chunks(lines: Iterable[bytes] | Iterable[str], size: int) -> Iterator[tuple[int, Any]]:
    """Group the input into (first line number, lines) chunks of about ``size`` lines.

    A readable binary or text stream is read in large blocks that end at a newline (the worker
    splits them); any other iterable is grouped line by line.
    """
    read = getattr(lines, "read", None)
    if callable(read):
        yield from _block_chunks(read, size * 512)
        return
    line_no = 1
    chunk: list[Any] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= size:
            yield line_no, chunk
            line_no += len(chunk)
            chunk = []
    if chunk:
        yield line_no, chunk


def _block_chunks(read: Callable[[int], bytes | str], block_size: int) -> Iterator[tuple[int, bytes]]:
    """(first line number, block of whole lines) from a stream's ``read``."""
    line_no = 1
    rest = b""
    while True:
        data = read(block_size)
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")  # the worker rejects what is not UTF-8
        if not data:
            if rest:
                yield line_no, rest
            return
        if rest:
            data = rest + data
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            rest = data
            continue
        block, rest = data[:cut], data[cut:]
        yield line_no, block
        line_no += block.count(b"\n")


def _default_workers() -> int:
    """Processes to use: the CPUs this process may run on, at most 4."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        available = os.cpu_count() or 1
    return max(1, min(available, 4))


def _pool_context() -> multiprocessing.context.BaseContext:
    """Fork when it is safe (no other threads) because it starts fastest; otherwise spawn."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _scan_items(lines: Iterable[bytes] | Iterable[str], workers: int, chunk_lines: int) -> Generator[Item, None, None]:
    """All items of the export in line order, scanned in-process or by a pool of ``workers``."""
    chunks = _chunks(lines, chunk_lines)
    head = list(islice(chunks, 2 if workers > 1 else 0))
    if len(head) < 2:  # one chunk or less: not worth starting processes
        for chunk in chain(head, chunks):
            yield from _scan_chunk(chunk)
        return
    # ProcessPoolExecutor rather than multiprocessing.Pool: it reports dead workers instead of hanging,
    # and shutting it down early (at the first problem) is safe.
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context())
    try:
        pending: deque[Future[list[Item]]] = deque()
        for chunk in chain(head, chunks):
            pending.append(pool.submit(_scan_chunk, chunk))
            if len(pending) > 2 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# --- checking, in line order (runs in the calling process) ------------------------------------------


class _Checker:
    """Consumes scan items in order, rebuilding the tree and checking headers and tree heads."""

    def __init__(self, public_key: Ed25519PublicKey | None) -> None:
        self.expected_key = public_key
        self.key: Ed25519PublicKey | None = None
        self.key_id: str | None = None
        self.store = MemoryNodeStore()
        self.tree_heads = 0
        self.signed_size = 0
        self.problem: Problem | None = None
        self.gap: tuple[int, int] | None = None  # (expected, found) when a gap needs a look ahead

    @property
    def size(self) -> int:
        """Entries verified so far."""
        return self.store.size

    def fail(self, kind: str, message: str, line: int | None, **where: int | None) -> bool:
        """Record the first problem; returns False so callers can ``return self.fail(...)``."""
        self.problem = Problem(kind=kind, message=message, line=line, **where)
        return False

    def feed(self, item: Item) -> bool:
        """Check one item; False once a problem has been found."""
        tag, line = item[0], item[1]
        if self.key is None and tag != "header":
            if tag == "problem":
                return self.fail(item[2], item[4], line, seq=item[3])
            return self.fail("bad_header", f"line {line}: the export must start with a header line", line)
        if tag == "run":
            first_seq = item[2]
            if first_seq != self.size:
                return self.sequence_problem(first_seq, line)
            self.store.extend_packed(item[4], item[5])
            return True
        if tag == "tree_head":
            return self.tree_head(item[2], line)
        if tag == "header":
            if self.key is not None:
                return self.fail("malformed_line", f"line {line}: a second header line", line)
            return self.header(item[2], line)
        kind, seq, message = item[2], item[3], item[4]
        if seq is not None and seq != self.size and kind == "leaf_hash_mismatch":
            return self.sequence_problem(seq, line)
        return self.fail(kind, f"line {line}: {message}", line, seq=seq)

    def sequence_problem(self, seq: int, line: int) -> bool:
        """Report an entry whose sequence number is not the next one (``seq`` names the entry expected)."""
        expected = self.size
        if seq < expected:
            message = f"line {line}: entry {seq} appears again (the previous entry was {expected - 1})"
            return self.fail("duplicate_sequence", message, line, seq=seq)
        self.gap = (expected, seq)
        previous = f"entry {expected - 1}" if expected else "the header"
        missing = f"entry {expected} is" if seq == expected + 1 else f"entries {expected}..{seq - 1} are"
        message = f"line {line}: entry {seq} follows {previous}; {missing} missing"
        return self.fail("sequence_gap", message, line, seq=expected)

    def resolve_gap(self, later: Iterator[Item]) -> None:
        """Turn a gap into "out of order" if the missing entry turns up later in the export."""
        if self.gap is None or self.problem is None:
            return
        missing, found = self.gap
        for item in later:
            if item[0] == "run":
                present = item[2] <= missing < item[2] + item[3]
            else:
                present = item[0] == "problem" and item[3] == missing
            if present:
                line = self.problem.line
                message = f"line {line}: entry {found} appears before entry {missing}, which comes later in the export"
                self.problem = Problem("sequence_out_of_order", message, line, seq=missing)
                return

    def header(self, obj: dict[str, Any], line: int) -> bool:
        """Check the header and settle which key verifies the tree heads."""
        if obj.keys() != _HEADER_KEYS:
            fields = ", ".join(sorted(_HEADER_KEYS))
            return self.fail("bad_header", f"line {line}: the header must have exactly the fields {fields}", line)
        if obj["format"] != EXPORT_FORMAT or obj["version"] != EXPORT_VERSION or type(obj["version"]) is not int:
            message = (
                f"line {line}: unsupported export format {obj['format']!r} version {obj['version']!r} "
                f"(this verifier reads {EXPORT_FORMAT!r} version {EXPORT_VERSION})"
            )
            return self.fail("bad_header", message, line)
        if not isinstance(obj["public_key"], str) or not isinstance(obj["key_id"], str):
            return self.fail("bad_header", f"line {line}: public_key and key_id must be strings", line)
        try:
            header_key = load_public_key_pem(obj["public_key"])
        except ValueError as exc:
            return self.fail("bad_header", f"line {line}: {exc}", line)
        header_id = key_id(header_key)
        if obj["key_id"] != header_id:
            message = f"line {line}: the header's key_id {obj['key_id']!r} is not the id of its public key"
            return self.fail("key_mismatch", message, line)
        if self.expected_key is not None:
            expected_id = key_id(self.expected_key)
            if expected_id != header_id:
                message = (
                    f"line {line}: the export names key {header_id[:16]}..., not the expected key {expected_id[:16]}..."
                )
                return self.fail("key_mismatch", message, line)
        self.key = self.expected_key or header_key
        self.key_id = header_id
        return True

    def tree_head(self, obj: dict[str, Any], line: int) -> bool:
        """Check a signed tree head against its signature and the tree rebuilt so far."""
        size = obj.get("tree_size")
        where = {"tree_size": size if type(size) is int else None}
        if obj.keys() != _TREE_HEAD_KEYS:
            fields = ", ".join(sorted(_TREE_HEAD_KEYS))
            message = f"line {line}: a tree head must have exactly the fields {fields}"
            return self.fail("malformed_line", message, line, **where)
        try:
            sth = SignedTreeHead.from_json(obj)
        except ValueError as exc:
            return self.fail("malformed_line", f"line {line}: invalid tree head: {exc}", line, **where)
        assert self.key is not None
        n = sth.tree_size
        if sth.key_id != self.key_id:
            message = f"line {line}: the tree head for size {n} names another key ({sth.key_id[:16]}...)"
            return self.fail("key_mismatch", message, line, tree_size=n)
        if not verify_tree_head(self.key, sth):
            message = f"line {line}: the signature on the tree head for size {n} is not valid"
            return self.fail("bad_signature", message, line, tree_size=n)
        if n > self.size:
            message = (
                f"line {line}: the tree head for size {n} comes after only {self.size} entries "
                "(entries are missing, or the tree head is misplaced)"
            )
            return self.fail("tree_size_exceeds_entries", message, line, tree_size=n)
        root = self.store.root(n)
        if root != sth.root_hash:
            message = (
                f"line {line}: the first {n} entries hash to root {root.hex()[:16]}..., but the signed "
                f"tree head says {sth.root_hash.hex()[:16]}...; entries were changed, added or removed"
            )
            return self.fail("root_mismatch", message, line, tree_size=n)
        self.tree_heads += 1
        self.signed_size = max(self.signed_size, n)
        return True

    def report(self) -> VerifyReport:
        """The final report."""
        problem = self.problem
        if problem is None and self.key is None:
            problem = Problem("bad_header", "the export is empty (no header line)", None)
        return VerifyReport(
            entries=self.size,
            tree_heads=self.tree_heads,
            signed_size=self.signed_size,
            key_id=self.key_id,
            problem=problem,
        )


def verify_export(
    lines: Iterable[bytes] | Iterable[str],
    public_key: Ed25519PublicKey | None = None,
    *,
    workers: int | None = None,
    chunk_lines: int = CHUNK_LINES,
) -> VerifyReport:
    """Verify an export given as lines (an open binary file works); reports the first problem found.

    With ``public_key`` the header must name that key; without it the header's own key is used
    (which proves integrity relative to that key only). ``workers`` defaults to the available CPUs
    (at most 4); an export that fits in one chunk of ``chunk_lines`` lines is verified in-process.

    >>> import io
    >>> from gongzhi.ledger.signing import generate_key, public_key_to_pem
    >>> buf = io.BytesIO()
    >>> write_export([], [], public_key_to_pem(generate_key().public_key()), buf)
    1
    >>> verify_export(buf.getvalue().splitlines()).ok
    True
    """
    if workers is None:
        workers = _default_workers()
    checker = _Checker(public_key)
    items = _scan_items(lines, workers, max(1, chunk_lines))
    try:
        for item in items:
            if not checker.feed(item):
                checker.resolve_gap(items)
                break
    finally:
        items.close()
    return checker.report()


# --- writing ----------------------------------------------------------------------------------------


class _BinaryWriter(Protocol):
    """Anything with ``write(bytes)``: an open binary file, BytesIO, a socket file."""

    def write(self, data: bytes, /) -> object:
        """Write bytes."""
        ...


def export_lines(
    entries: Iterable[EntryRecord],
    tree_heads: Iterable[SignedTreeHead],
    public_key_pem: str | bytes,
    *,
    interleave: bool = True,
) -> Iterator[bytes]:
    """The export as canonical JSON lines (each ending in a newline), ready to stream.

    Each tree head is placed right after the entry that completes it (or all at the end with
    ``interleave=False``). Entries are written in the order given.
    """
    pem = public_key_pem.decode("ascii") if isinstance(public_key_pem, bytes) else public_key_pem
    header = {
        "type": "header",
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "public_key": pem,
        "key_id": key_id(load_public_key_pem(pem)),
    }
    yield canonicalize(header) + b"\n"
    heads = deque(sorted(tree_heads, key=lambda sth: sth.tree_size))
    written = 0
    while interleave and heads and heads[0].tree_size <= written:
        yield canonicalize(heads.popleft().to_json()) + b"\n"
    for record in entries:
        head, tail = _entry_parts(
            record.action, record.actor_org, record.actor_user, canonical_text(record.payload),
            record.seq, record.subject_id, record.subject_type, record.time,
        )  # fmt: skip
        leaf_hex = _sha256(b"\x00" + (head + tail + "}").encode("utf-8")).hexdigest()
        yield _line_text(head, tail, leaf_hex).encode("utf-8") + b"\n"
        written += 1
        while interleave and heads and heads[0].tree_size <= written:
            yield canonicalize(heads.popleft().to_json()) + b"\n"
    for sth in heads:
        yield canonicalize(sth.to_json()) + b"\n"


def write_export(
    entries: Iterable[EntryRecord],
    tree_heads: Iterable[SignedTreeHead],
    public_key_pem: str | bytes,
    out: _BinaryWriter,
    *,
    interleave: bool = True,
) -> int:
    """Write an export to a binary stream; returns the number of lines written (see ``export_lines``)."""
    count = 0
    for line in export_lines(entries, tree_heads, public_key_pem, interleave=interleave):
        out.write(line)
        count += 1
    return count
