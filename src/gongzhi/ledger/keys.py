"""The ledger's Ed25519 signing key: a PEM file named in settings, created on first use (owner-only)."""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gongzhi.config import Settings
from gongzhi.ledger.signing import generate_key, key_id, load_private_key_pem, private_key_to_pem, public_key_to_pem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SigningKey:
    """The operator's signing key and what outsiders need to check its signatures."""

    private: Ed25519PrivateKey
    path: Path
    #: Set when the key file can be read by others than its owner (the key may have leaked).
    warning: str | None = None

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def public_pem(self) -> str:
        return public_key_to_pem(self.public)

    @property
    def key_id(self) -> str:
        return key_id(self.public)


def load_or_create(path: Path) -> SigningKey:
    """Read the key file, or create it (mode 0600) with a new key when it does not exist."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        pem = private_key_to_pem(generate_key()).encode("ascii")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
        except FileExistsError:  # another process made it first; use theirs
            pass
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(pem)
            log.warning("created a new ledger signing key at %s; back it up with the database", path)
    mode = stat.S_IMODE(path.stat().st_mode)
    warning = None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        warning = f"the ledger signing key {path} is readable by other users (mode {oct(mode)}); run: chmod 600 {path}"
        log.warning(warning)
    return SigningKey(private=load_private_key_pem(path.read_bytes()), path=path, warning=warning)


@lru_cache(maxsize=8)
def _cached(path: Path, _mtime: float) -> SigningKey:
    return load_or_create(path)


def for_settings(settings: Settings) -> SigningKey:
    """The instance's signing key (read once per file version; created on first use)."""
    path = settings.resolved_ledger_key_file()
    if not path.exists():
        load_or_create(path)
    return _cached(path, path.stat().st_mtime)
