"""Masking strategies (脱敏): partial mask, keyed pseudonyms (假名化), generalisation (泛化), suppression (抑制)
and format-preserving fakes that pass the same check digits as real values.

All strategies are pure functions of (entity type, value[, key]); pseudonyms and fakes are derived from
an HMAC-SHA256 of the value, so the same input gives the same output in every file masked with one key.

>>> partial("CN_MOBILE", "13812345678")
'138****5678'
>>> fake(b"k" * 32, "CN_RESIDENT_ID", "11010519491231002X") == fake(b"k" * 32, "CN_RESIDENT_ID", "11010519491231002X")
True
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Callable

from gongzhi.datasec import checks, lexicons
from gongzhi.datasec.entities import ENTITY_TYPES

STRATEGIES = ("partial", "pseudonym", "fake", "generalise", "suppress", "keep")
MASK = "*"


def _keep_ends(value: str, head: int, tail: int) -> str:
    if len(value) <= head + tail:
        return MASK * len(value)
    return value[:head] + MASK * (len(value) - head - tail) + value[len(value) - tail :]


def partial(entity: str | None, value: str) -> str:
    """Mask a value keeping the characters people usually leave visible (never a check digit of an ID)."""
    v = value.strip()
    if entity in ("CN_RESIDENT_ID", "CN_RESIDENCE_PERMIT"):
        return _keep_ends(v, 6, 0)
    if entity == "CN_MOBILE":
        digits = re.sub(r"\D", "", v)[-11:]
        return digits[:3] + MASK * 4 + digits[7:] if len(digits) == 11 else _keep_ends(v, 3, 2)
    if entity in ("BANK_CARD", "CREDIT_CARD"):
        digits = re.sub(r"\D", "", v)
        return _keep_ends(digits, 6, 4)
    if entity == "EMAIL":
        local, _, domain = v.partition("@")
        return (local[:1] + MASK * max(1, len(local) - 1)) + "@" + domain
    if entity == "PERSON_NAME":
        if v.isascii():
            return " ".join(p[:1] + MASK * (len(p) - 1) for p in v.split())
        surname = 2 if v[:2] in lexicons.CN_SURNAMES_COMPOUND else 1
        return v[:surname] + MASK * (len(v) - surname)
    if entity == "IPV4":
        return ".".join(v.split(".")[:2] + [MASK, MASK])
    if entity == "IPV6":
        return ":".join(v.split(":")[:2]) + ":" + MASK
    if entity == "MAC_ADDRESS":
        return v[:8] + re.sub(r"[0-9A-Fa-f]", MASK, v[8:])
    if entity in ("ADDRESS", "GPS_COORDINATES", "DATE_OF_BIRTH"):
        return generalise(entity, v)
    if entity == "URL":
        m = re.match(r"(https?://[^/]+)", v)
        return (m.group(1) + "/" + MASK) if m else MASK * 3
    if entity in ("CN_LANDLINE", "US_PHONE"):
        return _keep_ends(v, 4, 2)
    if entity in ("SENSITIVE_HEALTH", "SENSITIVE_RELIGION", "SENSITIVE_BIOMETRIC", "SENSITIVE_FINANCE"):
        return MASK * 3
    return _keep_ends(v, 2, 2) if len(v) > 6 else MASK * len(v)


def example(entity: str | None, value: str) -> str:
    """A masked example for the inventory: never the raw value, even for types whose default is 'keep'."""
    if entity is None:
        return MASK * min(len(value), 8)
    masked = partial(entity, value)
    return masked if masked != value.strip() else _keep_ends(value.strip(), 2, 2)


def _digest(key: bytes, entity: str | None, value: str) -> bytes:
    return hmac.new(key, f"{entity or ''}\x1f{value.strip()}".encode(), hashlib.sha256).digest()


def pseudonym(key: bytes, entity: str | None, value: str) -> str:
    """A keyed pseudonym: the same value and key always give the same token; without the key it reveals nothing."""
    token = base64.b32encode(_digest(key, entity, value)[:10]).decode().rstrip("=")
    return f"{(entity or 'VALUE')[:12]}_{token}"


class _Stream:
    """Deterministic pseudo-random numbers from an HMAC (to derive consistent fakes)."""

    def __init__(self, seed: bytes) -> None:
        self.seed, self.buf, self.counter = seed, b"", 0

    def byte(self) -> int:
        if not self.buf:
            self.counter += 1
            self.buf = hashlib.sha256(self.seed + self.counter.to_bytes(4, "big")).digest()
        b, self.buf = self.buf[0], self.buf[1:]
        return b

    def below(self, n: int) -> int:
        return int.from_bytes(bytes(self.byte() for _ in range(4)), "big") % n

    def digits(self, n: int) -> str:
        return "".join(str(self.below(10)) for _ in range(n))


def _fake_id(r: _Stream, value: str) -> str:
    region = value[:6] if len(value) >= 6 and value[:6].isdigit() else "330106"
    born = dt.date(1950, 1, 1) + dt.timedelta(days=r.below(365 * 50))
    body = f"{region}{born:%Y%m%d}{r.digits(3)}"
    return body + checks.cn_id_check_char(body)


def _fake_mobile(r: _Stream, _value: str) -> str:
    prefix = ("138", "139", "150", "186", "189", "177", "199", "135")[r.below(8)]
    return prefix + r.digits(8)


def _fake_card(r: _Stream, value: str) -> str:
    digits = re.sub(r"\D", "", value)
    n = len(digits) if 13 <= len(digits) <= 19 else 16
    head = digits[:6] if digits[:1] in "2345" or digits.startswith("62") else "621700"
    body = head + r.digits(n - 7)
    return body + checks.luhn_check_digit(body)


def _fake_uscc(r: _Stream, _value: str) -> str:
    alphabet = checks.USCC_ALPHABET
    org_body = "".join(alphabet[r.below(10)] for _ in range(8))
    org = org_body + checks.org_code_check_char(org_body)
    first17 = "91" + "330106" + org
    return first17 + checks.uscc_check_char(first17)


def _fake_org(r: _Stream, _value: str) -> str:
    body = r.digits(8)
    return f"{body}-{checks.org_code_check_char(body)}"


def _fake_name(r: _Stream, value: str) -> str:
    if value.isascii():
        first = sorted(lexicons.EN_GIVEN_NAMES)[r.below(len(lexicons.EN_GIVEN_NAMES))]
        return f"{first} {('Smith', 'Brown', 'Taylor', 'Wilson', 'Clark', 'Lewis', 'Walker', 'Young')[r.below(8)]}"
    surnames = sorted(lexicons.CN_SURNAMES_SINGLE)
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"
    return surnames[r.below(len(surnames))] + "".join(given[r.below(len(given))] for _ in range(1 + r.below(2)))


def _fake_email(r: _Stream, _value: str) -> str:
    return f"user{r.digits(8)}@example.com"


def _fake_ipv4(r: _Stream, _value: str) -> str:
    return f"10.{r.below(256)}.{r.below(256)}.{1 + r.below(254)}"


def _fake_iban(r: _Stream, value: str) -> str:
    v = value.replace(" ", "")
    country, bban = (v[:2], r.digits(len(v) - 4)) if len(v) >= 15 else ("DE", r.digits(18))
    return country + checks.iban_check_digits(country, bban) + bban


def _fake_digits_like(r: _Stream, value: str) -> str:
    return "".join(
        str(r.below(10)) if c.isdigit() else (chr(65 + r.below(26)) if c.isalpha() and c.isascii() else c)
        for c in value
    )


FAKERS: dict[str, Callable[[_Stream, str], str]] = {
    "CN_RESIDENT_ID": _fake_id,
    "CN_MOBILE": _fake_mobile,
    "BANK_CARD": _fake_card,
    "CREDIT_CARD": _fake_card,
    "CN_USCC": _fake_uscc,
    "CN_ORG_CODE": _fake_org,
    "PERSON_NAME": _fake_name,
    "EMAIL": _fake_email,
    "IPV4": _fake_ipv4,
    "IBAN": _fake_iban,
}


def fake(key: bytes, entity: str | None, value: str) -> str:
    """A realistic stand-in of the same type (valid check digits); consistent for one key and value."""
    r = _Stream(_digest(key, entity, value))
    maker = FAKERS.get(entity or "", _fake_digits_like)
    return maker(r, value.strip())


_YEAR = re.compile(r"(19|20)\d{2}")
_ADDRESS_CUT = re.compile(r"^.*?(?:区|县|旗)|^.*?市(?!场)")


def generalise(entity: str | None, value: str) -> str:
    """Coarser values: a date becomes its year, an age its decade, an address its district, coordinates 0.1°."""
    v = value.strip()
    if entity == "DATE_OF_BIRTH":
        m = _YEAR.search(v)
        return m.group(0) if m else MASK * 4
    if entity in ("CN_RESIDENT_ID", "CN_RESIDENCE_PERMIT") and len(v) == 18:
        return v[6:10]  # birth year only
    if entity == "ADDRESS":
        m = _ADDRESS_CUT.match(v)
        if m and not v.isascii():
            return m.group(0)
        parts = [p.strip() for p in v.split(",")]
        return ", ".join(parts[1:]) if len(parts) > 1 else MASK * 3
    if entity == "GPS_COORDINATES":
        try:
            lat, lon = (float(x) for x in v.split(","))
        except ValueError:
            return MASK * 3
        return f"{lat:.1f},{lon:.1f}"
    if v.isdigit() and len(v) <= 3:  # an age
        decade = int(v) // 10 * 10
        return f"{decade}-{decade + 9}"
    return partial(entity, v)


def suppress(_entity: str | None, _value: str) -> str:
    """Remove the value."""
    return ""


def apply(strategy: str, entity: str | None, value: str, key: bytes = b"") -> str:
    """Apply a strategy by name ('partial', 'pseudonym', 'fake', 'generalise', 'suppress', 'keep')."""
    if strategy == "partial":
        return partial(entity, value)
    if strategy == "pseudonym":
        return pseudonym(key, entity, value)
    if strategy == "fake":
        return fake(key, entity, value)
    if strategy == "generalise":
        return generalise(entity, value)
    if strategy == "suppress":
        return suppress(entity, value)
    if strategy == "keep":
        return value
    raise ValueError(f"unknown masking strategy {strategy!r}")


def default_strategy(entity: str | None) -> str:
    """The strategy an entity type gets when a policy does not say."""
    found = ENTITY_TYPES.get(entity or "")
    return found.mask if found else "keep"
