"""Signed tree heads (签名树头): the operator's Ed25519 signature over (tree size, root, timestamp)."""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Any, Final

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gongzhi.ledger.canonical import MAX_INTEGER, canonicalize
from gongzhi.ledger.merkle import HASH_SIZE

__all__ = [
    "SIGNATURE_SIZE",
    "STH_DOMAIN",
    "SignedTreeHead",
    "TreeHead",
    "generate_key",
    "key_id",
    "load_private_key_pem",
    "load_public_key_pem",
    "private_key_to_pem",
    "public_key_to_pem",
    "sign_tree_head",
    "tree_head_signing_bytes",
    "verify_tree_head",
]

STH_DOMAIN: Final = b"gongzhi-sth-v1\n"
"""Domain-separation prefix: a tree-head signature can never be mistaken for any other signature."""

SIGNATURE_SIZE: Final = 64


@dataclass(frozen=True, slots=True)
class TreeHead:
    """The log's state at one size: ``root_hash`` is the RFC 9162 root of the first ``tree_size`` entries."""

    tree_size: int
    root_hash: bytes
    timestamp_ms: int

    def __post_init__(self) -> None:
        if type(self.tree_size) is not int or not 0 <= self.tree_size <= MAX_INTEGER:
            raise ValueError(f"tree_size must be an integer in [0, 2**53], got {self.tree_size!r}")
        if not isinstance(self.root_hash, bytes) or len(self.root_hash) != HASH_SIZE:
            raise ValueError(f"root_hash must be {HASH_SIZE} bytes")
        if type(self.timestamp_ms) is not int or not 0 <= self.timestamp_ms <= MAX_INTEGER:
            raise ValueError(f"timestamp_ms must be an integer in [0, 2**53], got {self.timestamp_ms!r}")


@dataclass(frozen=True, slots=True)
class SignedTreeHead:
    """A tree head, the Ed25519 signature over ``tree_head_signing_bytes(head)`` and the signer's key id."""

    head: TreeHead
    signature: bytes
    key_id: str

    @property
    def tree_size(self) -> int:
        """Shortcut for ``head.tree_size``."""
        return self.head.tree_size

    @property
    def root_hash(self) -> bytes:
        """Shortcut for ``head.root_hash``."""
        return self.head.root_hash

    @property
    def timestamp_ms(self) -> int:
        """Shortcut for ``head.timestamp_ms``."""
        return self.head.timestamp_ms

    def to_json(self) -> dict[str, Any]:
        """The export/API form: type, tree_size, root_hash (hex), timestamp, signature (base64), key_id."""
        return {
            "type": "tree_head",
            "tree_size": self.head.tree_size,
            "root_hash": self.head.root_hash.hex(),
            "timestamp": self.head.timestamp_ms,
            "signature": base64.b64encode(self.signature).decode("ascii"),
            "key_id": self.key_id,
        }

    @classmethod
    def from_json(cls, obj: Any) -> SignedTreeHead:
        """Inverse of ``to_json`` (the "type" key is optional); raises ValueError naming what is wrong."""
        if not isinstance(obj, dict):
            raise ValueError("tree head must be a JSON object")
        for name in ("tree_size", "root_hash", "timestamp", "signature", "key_id"):
            if name not in obj:
                raise ValueError(f"tree head is missing {name}")
        root_hex, sig_b64, kid = obj["root_hash"], obj["signature"], obj["key_id"]
        if not isinstance(root_hex, str) or len(root_hex) != 2 * HASH_SIZE:
            raise ValueError(f"root_hash must be {2 * HASH_SIZE} hexadecimal characters")
        if not isinstance(sig_b64, str):
            raise ValueError("signature must be a base64 string")
        if not isinstance(kid, str):
            raise ValueError("key_id must be a string")
        try:
            root = bytes.fromhex(root_hex)
        except ValueError:
            raise ValueError("root_hash is not hexadecimal") from None
        try:
            signature = base64.b64decode(sig_b64, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("signature is not valid base64") from None
        head = TreeHead(tree_size=obj["tree_size"], root_hash=root, timestamp_ms=obj["timestamp"])
        return cls(head=head, signature=signature, key_id=kid)


def tree_head_signing_bytes(head: TreeHead) -> bytes:
    """The bytes signed: ``STH_DOMAIN`` + JCS of {"root_hash" (lowercase hex), "timestamp", "tree_size"}.

    >>> tree_head_signing_bytes(TreeHead(1, bytes(32), 5))[:40]
    b'gongzhi-sth-v1\\n{"root_hash":"00000000000'
    """
    body = {"tree_size": head.tree_size, "root_hash": head.root_hash.hex(), "timestamp": head.timestamp_ms}
    return STH_DOMAIN + canonicalize(body)


def generate_key() -> Ed25519PrivateKey:
    """A fresh Ed25519 signing key."""
    return Ed25519PrivateKey.generate()


def key_id(public_key: Ed25519PublicKey) -> str:
    """Lowercase hex SHA-256 of the raw 32-byte public key.

    >>> len(key_id(generate_key().public_key()))
    64
    """
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def sign_tree_head(private_key: Ed25519PrivateKey, head: TreeHead) -> SignedTreeHead:
    """Sign a tree head.

    >>> key = generate_key()
    >>> sth = sign_tree_head(key, TreeHead(0, bytes(32), 1700000000000))
    >>> verify_tree_head(key.public_key(), sth)
    True
    """
    signature = private_key.sign(tree_head_signing_bytes(head))
    return SignedTreeHead(head=head, signature=signature, key_id=key_id(private_key.public_key()))


def verify_tree_head(public_key: Ed25519PublicKey, sth: SignedTreeHead) -> bool:
    """True iff the signature is valid for ``public_key`` and ``sth.key_id`` names that key."""
    if sth.key_id != key_id(public_key):
        return False
    if len(sth.signature) != SIGNATURE_SIZE:
        return False
    try:
        public_key.verify(sth.signature, tree_head_signing_bytes(sth.head))
    except InvalidSignature:
        return False
    return True


def private_key_to_pem(private_key: Ed25519PrivateKey, password: bytes | None = None) -> str:
    """PKCS#8 PEM text, encrypted with ``password`` if one is given."""
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    )
    pem = private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    return pem.decode("ascii")


def load_private_key_pem(pem: str | bytes, password: bytes | None = None) -> Ed25519PrivateKey:
    """Load a PKCS#8 PEM private key; raises ValueError unless it is an Ed25519 key.

    >>> key = generate_key()
    >>> key_id(load_private_key_pem(private_key_to_pem(key)).public_key()) == key_id(key.public_key())
    True
    """
    try:
        data = pem.encode("ascii") if isinstance(pem, str) else pem
        key = serialization.load_pem_private_key(data, password=password)
    except (TypeError, ValueError, UnsupportedAlgorithm) as exc:
        raise ValueError(f"not a readable PEM private key: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"expected an Ed25519 private key, got {type(key).__name__}")
    return key


def public_key_to_pem(public_key: Ed25519PublicKey) -> str:
    """SubjectPublicKeyInfo PEM text (what export headers carry)."""
    pem = public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return pem.decode("ascii")


def load_public_key_pem(pem: str | bytes) -> Ed25519PublicKey:
    """Load a SubjectPublicKeyInfo PEM public key; raises ValueError unless it is an Ed25519 key.

    >>> pub = generate_key().public_key()
    >>> key_id(load_public_key_pem(public_key_to_pem(pub))) == key_id(pub)
    True
    """
    try:
        data = pem.encode("ascii") if isinstance(pem, str) else pem
        key = serialization.load_pem_public_key(data)
    except (TypeError, ValueError, UnsupportedAlgorithm) as exc:
        raise ValueError(f"not a readable PEM public key: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"expected an Ed25519 public key, got {type(key).__name__}")
    return key
