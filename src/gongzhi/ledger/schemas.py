"""Shapes of ledger data at the edges: hashes as lowercase hex, signatures as base64."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from pydantic import BaseModel

from gongzhi.ledger.entry import EntryRecord
from gongzhi.ledger.service import ConsistencyProof, InclusionProof
from gongzhi.ledger.signing import SignedTreeHead
from gongzhi.ledger.verify import VerifyReport


class PublicKeyOut(BaseModel):
    algorithm: str = "Ed25519"
    key_id: str
    public_key_pem: str


class TreeHeadOut(BaseModel):
    """A signed tree head (签名树头). The signature covers ``gongzhi-sth-v1\\n`` + JCS of
    ``{"root_hash", "timestamp", "tree_size"}``."""

    tree_size: int
    root_hash: str
    timestamp: int
    time: dt.datetime
    signature: str
    key_id: str

    @classmethod
    def of(cls, sth: SignedTreeHead) -> TreeHeadOut:
        return cls(
            tree_size=sth.tree_size,
            root_hash=sth.root_hash.hex(),
            timestamp=sth.timestamp_ms,
            time=dt.datetime.fromtimestamp(sth.timestamp_ms / 1000, dt.UTC),
            signature=base64.b64encode(sth.signature).decode(),
            key_id=sth.key_id,
        )


class EntryOut(BaseModel):
    """An entry (存证记录) exactly as it is hashed, with its leaf hash."""

    seq: int
    time: str
    actor: dict[str, str | None]
    action: str
    subject: dict[str, str]
    payload: dict[str, Any]
    leaf_hash: str

    @classmethod
    def of(cls, rec: EntryRecord, leaf: bytes) -> EntryOut:
        return cls(
            seq=rec.seq,
            time=rec.time,
            actor={"user": rec.actor_user, "org": rec.actor_org},
            action=rec.action,
            subject={"type": rec.subject_type, "id": rec.subject_id},
            payload=rec.payload,
            leaf_hash=leaf.hex(),
        )


class EntryPage(BaseModel):
    items: list[EntryOut]
    next_cursor: str | None


class TreeHeadPage(BaseModel):
    items: list[TreeHeadOut]
    next_cursor: str | None


class InclusionProofOut(BaseModel):
    """Inclusion proof (包含证明): hash the leaf up the audit path to reach ``root_hash``."""

    seq: int
    tree_size: int
    leaf_hash: str
    audit_path: list[str]
    root_hash: str
    tree_head: TreeHeadOut | None

    @classmethod
    def of(cls, proof: InclusionProof, sth: SignedTreeHead | None) -> InclusionProofOut:
        return cls(
            seq=proof.seq,
            tree_size=proof.tree_size,
            leaf_hash=proof.leaf_hash.hex(),
            audit_path=[h.hex() for h in proof.path],
            root_hash=proof.root_hash.hex(),
            tree_head=TreeHeadOut.of(sth) if sth else None,
        )


class ConsistencyProofOut(BaseModel):
    """Consistency proof (一致性证明) that the log of ``first`` entries is a prefix of the log of ``second``."""

    first: int
    second: int
    first_root: str
    second_root: str
    proof: list[str]

    @classmethod
    def of(cls, proof: ConsistencyProof) -> ConsistencyProofOut:
        return cls(
            first=proof.first,
            second=proof.second,
            first_root=proof.first_root.hex(),
            second_root=proof.second_root.hex(),
            proof=[h.hex() for h in proof.path],
        )


class ProblemOut(BaseModel):
    kind: str
    message: str
    seq: int | None
    tree_size: int | None


class AuditOut(BaseModel):
    """The outcome of verifying the whole ledger."""

    ok: bool
    entries: int
    tree_heads: int
    signed_size: int
    key_id: str | None
    summary: str
    problem: ProblemOut | None

    @classmethod
    def of(cls, report: VerifyReport) -> AuditOut:
        p = report.problem
        return cls(
            ok=report.ok,
            entries=report.entries,
            tree_heads=report.tree_heads,
            signed_size=report.signed_size,
            key_id=report.key_id,
            summary=report.summary(),
            problem=ProblemOut(kind=p.kind, message=p.message, seq=p.seq, tree_size=p.tree_size) if p else None,
        )
