"""Signed tree heads: exact signed bytes, Ed25519 known answers, tampering, key handling."""

from __future__ import annotations

import base64
import dataclasses
import hashlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gongzhi.ledger.signing import (
    STH_DOMAIN,
    SignedTreeHead,
    TreeHead,
    generate_key,
    key_id,
    load_private_key_pem,
    load_public_key_pem,
    private_key_to_pem,
    public_key_to_pem,
    sign_tree_head,
    tree_head_signing_bytes,
    verify_tree_head,
)

# RFC 8032 section 7.1, TEST 1.
RFC8032_SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
RFC8032_SIGNATURE_OF_EMPTY = bytes.fromhex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
)
ROOT8 = bytes.fromhex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")


@pytest.fixture
def rfc_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(RFC8032_SECRET)


def test_the_rfc8032_key_behaves_as_published(rfc_key: Ed25519PrivateKey) -> None:
    raw = rfc_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert raw == RFC8032_PUBLIC
    assert rfc_key.sign(b"") == RFC8032_SIGNATURE_OF_EMPTY
    assert key_id(rfc_key.public_key()) == hashlib.sha256(RFC8032_PUBLIC).hexdigest()


def test_signed_bytes_are_domain_separated_canonical_json() -> None:
    head = TreeHead(tree_size=8, root_hash=ROOT8, timestamp_ms=1_700_000_000_000)
    assert tree_head_signing_bytes(head) == (
        b'gongzhi-sth-v1\n{"root_hash":"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",'
        b'"timestamp":1700000000000,"tree_size":8}'
    )
    assert STH_DOMAIN == b"gongzhi-sth-v1\n"


def test_known_answer_signature(rfc_key: Ed25519PrivateKey) -> None:
    # Ed25519 is deterministic, so this pins the signed format (value produced by this implementation).
    sth = sign_tree_head(rfc_key, TreeHead(8, ROOT8, 1_700_000_000_000))
    assert sth.signature.hex() == (
        "f2e72acd6c188911167ec552c047fe31cb4e554c8ec7dc39a27422f608e0d83b"
        "68a59c24da01a9b3041f5b1f4ffbdc12e0f52db9b7d7e3eb518c5bcef0ae5104"
    )
    assert rfc_key.public_key().verify(sth.signature, tree_head_signing_bytes(sth.head)) is None
    assert sth.key_id == hashlib.sha256(RFC8032_PUBLIC).hexdigest()


def test_sign_and_verify_and_every_tampering_fails() -> None:
    key = generate_key()
    sth = sign_tree_head(key, TreeHead(1234, ROOT8, 1_700_000_000_123))
    public = key.public_key()
    assert verify_tree_head(public, sth)
    assert sth.tree_size == 1234 and sth.root_hash == ROOT8 and sth.timestamp_ms == 1_700_000_000_123
    tampered = [
        dataclasses.replace(sth, head=dataclasses.replace(sth.head, tree_size=1235)),
        dataclasses.replace(sth, head=dataclasses.replace(sth.head, root_hash=bytes(32))),
        dataclasses.replace(sth, head=dataclasses.replace(sth.head, timestamp_ms=1_700_000_000_124)),
        dataclasses.replace(sth, signature=bytes([sth.signature[0] ^ 1]) + sth.signature[1:]),
        dataclasses.replace(sth, signature=sth.signature[:-1]),
        dataclasses.replace(sth, signature=sth.signature + b"\x00"),
        dataclasses.replace(sth, key_id="0" * 64),
    ]
    for bad in tampered:
        assert not verify_tree_head(public, bad)
    assert not verify_tree_head(generate_key().public_key(), sth)


def test_json_round_trip() -> None:
    key = generate_key()
    sth = sign_tree_head(key, TreeHead(3, ROOT8, 42))
    obj = sth.to_json()
    assert obj == {
        "type": "tree_head",
        "tree_size": 3,
        "root_hash": ROOT8.hex(),
        "timestamp": 42,
        "signature": base64.b64encode(sth.signature).decode(),
        "key_id": key_id(key.public_key()),
    }
    assert SignedTreeHead.from_json(obj) == sth
    changes: list[tuple[dict[str, object], str]] = [
        ({"root_hash": "zz" * 32}, "not hexadecimal"),
        ({"root_hash": "ab"}, "64 hexadecimal"),
        ({"signature": "***"}, "base64"),
        ({"signature": 5}, "base64 string"),
        ({"key_id": None}, "key_id"),
        ({"tree_size": -1}, "tree_size"),
        ({"tree_size": True}, "tree_size"),
        ({"timestamp": 1.5}, "timestamp_ms"),
    ]
    for change, message in changes:
        with pytest.raises(ValueError, match=message):
            SignedTreeHead.from_json({**obj, **change})
    with pytest.raises(ValueError, match="missing signature"):
        SignedTreeHead.from_json({k: v for k, v in obj.items() if k != "signature"})
    with pytest.raises(ValueError, match="JSON object"):
        SignedTreeHead.from_json([obj])


def test_tree_head_validation() -> None:
    with pytest.raises(ValueError, match="root_hash"):
        TreeHead(1, b"short", 0)
    with pytest.raises(ValueError, match="tree_size"):
        TreeHead(2**53 + 1, ROOT8, 0)
    with pytest.raises(ValueError, match="timestamp_ms"):
        TreeHead(1, ROOT8, -5)


def test_key_serialisation() -> None:
    key = generate_key()
    pem = private_key_to_pem(key)
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert key_id(load_private_key_pem(pem).public_key()) == key_id(key.public_key())
    assert key_id(load_private_key_pem(pem.encode()).public_key()) == key_id(key.public_key())

    encrypted = private_key_to_pem(key, password=b"correct horse")
    assert "ENCRYPTED" in encrypted
    assert key_id(load_private_key_pem(encrypted, password=b"correct horse").public_key()) == key_id(key.public_key())
    with pytest.raises(ValueError, match="not a readable PEM private key"):
        load_private_key_pem(encrypted, password=b"wrong")

    public_pem = public_key_to_pem(key.public_key())
    assert public_pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert key_id(load_public_key_pem(public_pem)) == key_id(key.public_key())

    other = ec.generate_private_key(ec.SECP256R1())
    other_private = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    other_public = other.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(ValueError, match="expected an Ed25519 private key"):
        load_private_key_pem(other_private)
    with pytest.raises(ValueError, match="expected an Ed25519 public key"):
        load_public_key_pem(other_public)
    for garbage in ["", "not a key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "\u00e9"]:
        with pytest.raises(ValueError):
            load_public_key_pem(garbage)
        with pytest.raises(ValueError):
            load_private_key_pem(garbage)
