"""Ledger entries: the exact bytes hashed, time formatting and validation."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from typing import Any

import pytest

from gongzhi.ledger.entry import (
    EntryRecord,
    canonical_entry,
    entry_leaf_hash,
    entry_object,
    format_time,
    parse_time,
    record_from_object,
)

RECORD = EntryRecord(
    seq=41,
    time="2025-03-04T05:06:07.080910Z",
    actor_user="user:7",
    actor_org="3",
    action="registry.model.registered",
    subject_type="model",
    subject_id="m-12",
    payload={"version": 2, "name": "信用评分", "digest": "ab" * 4, "tags": ["a", "b"], "ok": True, "x": None},
)
CANONICAL = (
    '{"action":"registry.model.registered","actor":{"org":"3","user":"user:7"},'
    '"payload":{"digest":"abababab","name":"信用评分","ok":true,"tags":["a","b"],"version":2,"x":null},'
    '"seq":41,"subject":{"id":"m-12","type":"model"},"time":"2025-03-04T05:06:07.080910Z"}'
).encode()


def test_canonical_entry_known_answer() -> None:
    assert canonical_entry(RECORD) == CANONICAL
    assert entry_leaf_hash(RECORD) == hashlib.sha256(b"\x00" + CANONICAL).digest()
    assert entry_leaf_hash(RECORD).hex() == hashlib.sha256(b"\x00" + CANONICAL).hexdigest()


def test_null_actor_and_round_trip_through_the_object_form() -> None:
    system = EntryRecord(0, "2025-01-01T00:00:00.000000Z", None, None, "system.started", "system", "1", {})
    assert canonical_entry(system) == (
        b'{"action":"system.started","actor":{"org":null,"user":null},"payload":{},"seq":0,'
        b'"subject":{"id":"1","type":"system"},"time":"2025-01-01T00:00:00.000000Z"}'
    )
    assert record_from_object(entry_object(RECORD)) == RECORD
    assert record_from_object({**entry_object(RECORD), "type": "entry", "leaf_hash": "x"}) == RECORD


def test_payload_changes_change_the_leaf_hash() -> None:
    changed = dataclasses.replace(RECORD, payload={**RECORD.payload, "version": 3})
    assert entry_leaf_hash(changed) != entry_leaf_hash(RECORD)
    assert entry_leaf_hash(dataclasses.replace(RECORD, seq=42)) != entry_leaf_hash(RECORD)
    assert entry_leaf_hash(dataclasses.replace(RECORD, actor_org=None)) != entry_leaf_hash(RECORD)
    with pytest.raises(ValueError):
        canonical_entry(dataclasses.replace(RECORD, payload={"f": float("nan")}))


def test_time_format() -> None:
    moment = dt.datetime(2025, 1, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
    assert format_time(moment) == "2025-01-02T03:04:05.000006Z"
    assert format_time(moment.replace(tzinfo=None)) == "2025-01-02T03:04:05.000006Z"  # naive = UTC
    beijing = dt.timezone(dt.timedelta(hours=8))
    assert format_time(dt.datetime(2025, 1, 2, 11, 4, 5, tzinfo=beijing)) == "2025-01-02T03:04:05.000000Z"
    assert parse_time("2025-01-02T03:04:05.000006Z") == moment
    for bad in ["2025-01-02T03:04:05Z", "2025-01-02T03:04:05.000006+00:00", "2025-01-02 03:04:05.000006Z", "x"]:
        with pytest.raises(ValueError, match="time must look like"):
            parse_time(bad)
    with pytest.raises(ValueError, match="not a real date"):
        parse_time("2025-02-30T00:00:00.000000Z")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"seq": -1}, "seq"),
        ({"seq": True}, "seq"),
        ({"seq": "1"}, "seq"),
        ({"time": "2025-01-02T03:04:05Z"}, "time"),
        ({"time": "2025-13-02T03:04:05.000000Z"}, "time"),
        ({"actor_user": 5}, "actor_user"),
        ({"action": None}, "action"),
        ({"subject_id": 12}, "subject_id"),
        ({"payload": [1]}, "payload"),
    ],
)
def test_record_validation(changes: dict[str, Any], message: str) -> None:
    fields = {
        "seq": 0,
        "time": "2025-01-02T03:04:05.000006Z",
        "actor_user": None,
        "actor_org": None,
        "action": "a",
        "subject_type": "t",
        "subject_id": "1",
        "payload": {},
    }
    with pytest.raises(ValueError, match=message):
        EntryRecord(**{**fields, **changes})


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda o: o.pop("payload"), "missing payload"),
        (lambda o: o.update(actor={"user": None}), "actor must be an object"),
        (lambda o: o.update(actor={"user": None, "org": None, "x": 1}), "actor must be an object"),
        (lambda o: o.update(subject=["t", "1"]), "subject must be an object"),
        (lambda o: o.update(seq=1.0), "seq"),
    ],
)
def test_record_from_object_errors(mutate: Any, message: str) -> None:
    obj = entry_object(RECORD)
    mutate(obj)
    with pytest.raises(ValueError, match=message):
        record_from_object(obj)
    with pytest.raises(ValueError, match="JSON object"):
        record_from_object([obj])
