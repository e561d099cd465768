"""Ledger entries (存证记录) and the exact bytes their leaf hashes cover."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Final

from gongzhi.ledger.canonical import canonicalize
from gongzhi.ledger.merkle import leaf_hash

__all__ = [
    "EntryRecord",
    "canonical_entry",
    "entry_leaf_hash",
    "entry_object",
    "format_time",
    "parse_time",
    "record_from_object",
]

TIME_PATTERN: Final = re.compile(
    r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}Z"
)
"""RFC 3339 UTC timestamp with exactly six fractional digits and a 'Z' suffix (checked by shape only)."""

_ENTRY_KEYS: Final = frozenset({"seq", "time", "actor", "action", "subject", "payload"})
_ACTOR_KEYS: Final = frozenset({"user", "org"})
_SUBJECT_KEYS: Final = frozenset({"type", "id"})


def format_time(moment: dt.datetime) -> str:
    """RFC 3339 UTC text with microseconds and 'Z'; naive datetimes are taken to be UTC.

    >>> format_time(dt.datetime(2025, 1, 2, 3, 4, 5, 6, tzinfo=dt.UTC))
    '2025-01-02T03:04:05.000006Z'
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> dt.datetime:
    """Inverse of ``format_time`` (timezone-aware UTC); raises ValueError for any other format.

    >>> parse_time("2025-01-02T03:04:05.000006Z").microsecond
    6
    """
    if not isinstance(text, str) or TIME_PATTERN.fullmatch(text) is None:
        raise ValueError(f"time must look like 2025-01-02T03:04:05.000006Z, got {text!r}")
    try:
        return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date and time") from None


@dataclass(frozen=True, slots=True)
class EntryRecord:
    """One ledger entry as hashed: who did what to which subject, when, with a public JSON payload."""

    seq: int
    time: str
    actor_user: str | None
    actor_org: str | None
    action: str
    subject_type: str
    subject_id: str
    payload: dict[str, Any]

    def __post_init__(self) -> None:
        if type(self.seq) is not int or self.seq < 0:
            raise ValueError(f"seq must be a non-negative integer, got {self.seq!r}")
        if not isinstance(self.time, str) or TIME_PATTERN.fullmatch(self.time) is None:
            raise ValueError(f"time must look like 2025-01-02T03:04:05.000006Z, got {self.time!r}")
        for name in ("actor_user", "actor_org"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{name} must be a string or None, got {type(value).__name__}")
        for name in ("action", "subject_type", "subject_id"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{name} must be a string, got {type(getattr(self, name)).__name__}")
        if not isinstance(self.payload, dict):
            raise ValueError(f"payload must be a JSON object (dict), got {type(self.payload).__name__}")


def entry_object(record: EntryRecord) -> dict[str, Any]:
    """The JSON object whose canonical form is hashed (also the body of an export line).

    >>> sorted(entry_object(EntryRecord(0, "2025-01-02T03:04:05.000006Z", None, None, "a", "t", "1", {})))
    ['action', 'actor', 'payload', 'seq', 'subject', 'time']
    """
    return {
        "seq": record.seq,
        "time": record.time,
        "actor": {"user": record.actor_user, "org": record.actor_org},
        "action": record.action,
        "subject": {"type": record.subject_type, "id": record.subject_id},
        "payload": record.payload,
    }


def record_from_object(obj: Any) -> EntryRecord:
    """Parse and validate an entry object (extra keys such as an export line's "type" are ignored).

    Raises ValueError naming the first thing wrong.
    """
    if not isinstance(obj, dict):
        raise ValueError("entry must be a JSON object")
    missing = sorted(_ENTRY_KEYS - obj.keys())
    if missing:
        raise ValueError(f"entry is missing {', '.join(missing)}")
    actor, subject = obj["actor"], obj["subject"]
    if not isinstance(actor, dict) or actor.keys() != _ACTOR_KEYS:
        raise ValueError('actor must be an object with exactly the keys "user" and "org"')
    if not isinstance(subject, dict) or subject.keys() != _SUBJECT_KEYS:
        raise ValueError('subject must be an object with exactly the keys "type" and "id"')
    try:
        return EntryRecord(
            seq=obj["seq"],
            time=obj["time"],
            actor_user=actor["user"],
            actor_org=actor["org"],
            action=obj["action"],
            subject_type=subject["type"],
            subject_id=subject["id"],
            payload=obj["payload"],
        )
    except TypeError as exc:  # pragma: no cover - defensive: dataclass signature mismatch
        raise ValueError(str(exc)) from None


def canonical_entry(record: EntryRecord) -> bytes:
    """RFC 8785 bytes of the entry object; raises ValueError/TypeError if the payload is not valid JSON.

    >>> rec = EntryRecord(7, "2025-01-02T03:04:05.000006Z", "u1", None, "approve", "model", "m1", {"k": 1})
    >>> canonical_entry(rec)[:64]
    b'{"action":"approve","actor":{"org":null,"user":"u1"},"payload":{'
    """
    return canonicalize(entry_object(record))


def entry_leaf_hash(record: EntryRecord) -> bytes:
    """The entry's Merkle leaf hash: SHA-256(0x00 || canonical_entry(record))."""
    return leaf_hash(canonical_entry(record))
