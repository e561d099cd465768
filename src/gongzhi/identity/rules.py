"""Pure identity rules: password hashing, token format, name checks, sign-in throttling."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from gongzhi.errors import InvalidInput
from gongzhi.i18n import N_

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters

#: A hash to check against when the user does not exist, so a wrong username costs the same time.
DUMMY_PASSWORD_HASH = _hasher.hash("gongzhi-dummy-password")

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
TOKEN_PREFIX = "gz"


def hash_password(password: str) -> str:
    """Check the password rules and hash it with argon2id."""
    check_password_strength(password)
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; never raises on a wrong or malformed hash."""
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def check_password_strength(password: str) -> None:
    """Raise InvalidInput when a new password is too short, too long or of one character class."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            N_("The password must have at least {n} characters."), field="password", n=MIN_PASSWORD_LENGTH
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            N_("The password must have at most {n} characters."), field="password", n=MAX_PASSWORD_LENGTH
        )
    if password.isdigit() or password.isalpha():
        raise InvalidInput(N_("The password must mix letters with digits or symbols."), field="password")


def normalise_username(username: str) -> str:
    """Lower-case the username and check its shape (3–64 of a-z, 0-9, '.', '_', '-')."""
    name = username.strip().lower()
    if not USERNAME_RE.match(name):
        raise InvalidInput(
            N_("A username has 3 to 64 characters: lower-case letters, digits, '.', '_' or '-'."),
            field="username",
        )
    return name


@dataclass(frozen=True)
class NewToken:
    """A freshly minted API token: ``plaintext`` is shown once, only ``token_hash`` is stored."""

    plaintext: str
    prefix: str
    token_hash: str


def mint_token() -> NewToken:
    """A random token ``gz_<prefix>_<secret>`` with 256 bits of secret."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    plaintext = f"{TOKEN_PREFIX}_{prefix}_{secret}"
    return NewToken(plaintext=plaintext, prefix=prefix, token_hash=hash_token(plaintext))


def hash_token(plaintext: str) -> str:
    """SHA-256 of a high-entropy secret (a slow hash adds nothing for 256-bit random values)."""
    return hashlib.sha256(plaintext.encode()).hexdigest()


def split_token(plaintext: str) -> str | None:
    """The prefix of a well-formed token, or None."""
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) != 12 or len(parts[2]) < 40:
        return None
    return parts[1]


def token_matches(stored_hash: str, plaintext: str) -> bool:
    """Constant-time comparison of a presented token with the stored hash."""
    return hmac.compare_digest(stored_hash, hash_token(plaintext))


def mint_session_secret() -> tuple[str, str]:
    """A browser-session cookie value and the hash that is stored for it."""
    value = secrets.token_urlsafe(32)
    return value, hash_token(value)


def throttle_wait(failures: list[dt.datetime], *, now: dt.datetime, max_failures: int, window: dt.timedelta) -> int:
    """Seconds to wait before the next attempt, given the recent failure times (0 = go ahead)."""
    recent = sorted(t for t in failures if now - t < window)
    if len(recent) < max_failures:
        return 0
    # The oldest failure that still counts must leave the window before another try is allowed.
    oldest_counted = recent[-max_failures]
    return max(1, int((oldest_counted + window - now).total_seconds()) + 1)
