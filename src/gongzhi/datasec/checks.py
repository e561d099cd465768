"""Check-digit algorithms for identifiers (SPEC.md section 5), scalar and vectorised with numpy.

The vectorised forms take an ``(n, width)`` uint8 matrix of ASCII codes (one identifier per row, all of
the same width) and return a boolean array, so a whole column is validated without a Python loop.

>>> cn_resident_id_ok("11010519491231002X"), luhn_ok("6217000000000006"), uscc_ok("91440300708461136T")
(True, True, True)
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

Bools = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.uint8]

ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
ID_CHECK = "10X98765432"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64)
ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
#: GB/T 2260 province-level codes (first two digits of an address code), incl. 71 Taiwan, 81/82 HK/Macao.
PROVINCES = frozenset(
    [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54]
    + [61, 62, 63, 64, 65, 71, 81, 82, 83]
)
_PROVINCE_TABLE = np.zeros(100, dtype=np.bool_)
_PROVINCE_TABLE[list(PROVINCES)] = True
_USCC_VALUE = np.full(256, -1, dtype=np.int64)
for _i, _c in enumerate(USCC_ALPHABET):
    _USCC_VALUE[ord(_c)] = _i
_ALNUM_VALUE = np.full(256, -1, dtype=np.int64)
for _i in range(10):
    _ALNUM_VALUE[ord("0") + _i] = _i
for _i in range(26):
    _ALNUM_VALUE[ord("A") + _i] = 10 + _i
_DAYS = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _b(values: object) -> Bools:
    return np.asarray(values, dtype=np.bool_)


def to_codes(values: list[str], width: int) -> Codes:
    """Pack equal-width ASCII strings into an ``(n, width)`` matrix (test helper and small inputs)."""
    if not values:
        return np.zeros((0, width), dtype=np.uint8)
    return np.frombuffer("".join(values).encode("ascii"), dtype=np.uint8).reshape(len(values), width)


def _digits(codes: Codes) -> npt.NDArray[np.int64]:
    return codes.astype(np.int64) - ord("0")


def all_digits(codes: Codes) -> Bools:
    """Rows made of ASCII digits only."""
    return _b(((codes >= ord("0")) & (codes <= ord("9"))).all(axis=1))


# ---------------------------------------------------------------------------------- resident ID (GB 11643)


def cn_id_check_char(first17: str) -> str:
    """The GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS.tolist(), strict=True)) % 11]


def valid_birth_date(
    year: npt.NDArray[np.int64],
    month: npt.NDArray[np.int64],
    day: npt.NDArray[np.int64],
    *,
    today: dt.date | None = None,
) -> Bools:
    """Plausible dates of birth: 1900 up to today, real calendar days (29 February only in leap years)."""
    today = today or dt.date.today()
    month_ok = (month >= 1) & (month <= 12)
    days = _DAYS[np.clip(month, 0, 12)]
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    days = np.where((month == 2) & ~leap, 28, days)
    stamp = year * 10000 + month * 100 + day
    limit = today.year * 10000 + today.month * 100 + today.day
    return _b(month_ok & (day >= 1) & (day <= days) & (year >= 1900) & (stamp <= limit))


def cn_resident_id_ok_codes(codes: Codes, *, today: dt.date | None = None) -> Bools:
    """18-character resident IDs: digits, province code, birth date and the MOD 11-2 check character."""
    if codes.shape[1] != 18 or codes.shape[0] == 0:
        return np.zeros(codes.shape[0], dtype=np.bool_)
    body = codes[:, :17]
    ok = all_digits(body)
    d = _digits(body)
    d = np.where(ok[:, None], d, 0)
    ok &= _PROVINCE_TABLE[d[:, 0] * 10 + d[:, 1]] & (d[:, 0] > 0)
    year = d[:, 6] * 1000 + d[:, 7] * 100 + d[:, 8] * 10 + d[:, 9]
    month = d[:, 10] * 10 + d[:, 11]
    day = d[:, 12] * 10 + d[:, 13]
    ok &= valid_birth_date(year, month, day, today=today)
    expected = np.frombuffer(ID_CHECK.encode(), dtype=np.uint8)[(d @ ID_WEIGHTS) % 11]
    last = codes[:, 17]
    last = np.where(last == ord("x"), ord("X"), last)
    return _b(ok & (last == expected))


_ID_W = ID_WEIGHTS.tolist()


def cn_resident_id_ok(value: str, *, today: dt.date | None = None) -> bool:
    """One resident ID (18 characters, upper or lower case x); pure Python, for single values."""
    if len(value) != 18 or not value[:17].isdigit() or not value.isascii():
        return False
    if int(value[:2]) not in PROVINCES or value[0] == "0":
        return False
    year, month, day = int(value[6:10]), int(value[10:12]), int(value[12:14])
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    if year < 1900 or born > (today or dt.date.today()):
        return False
    return ID_CHECK[sum(int(c) * w for c, w in zip(value[:17], _ID_W, strict=True)) % 11] == value[17].upper()


def cn_legacy_id_ok(value: str, *, today: dt.date | None = None) -> bool:
    """A pre-1999 15-digit ID: province code and a plausible 19YYMMDD birth date (there is no check digit)."""
    if len(value) != 15 or not value.isdigit() or int(value[:2]) not in PROVINCES:
        return False
    y, m, d = (np.array([int(x)]) for x in ("19" + value[6:8], value[8:10], value[10:12]))
    return bool(valid_birth_date(y, m, d, today=today)[0])


# ------------------------------------------------------------------------------------------- Luhn (ISO 7812)


def luhn_ok_codes(codes: Codes) -> Bools:
    """The Luhn (mod 10) check over each row of digits (rows of non-digits fail)."""
    if codes.shape[0] == 0:
        return np.zeros(0, dtype=np.bool_)
    ok = all_digits(codes)
    d = np.where(ok[:, None], _digits(codes), 0)[:, ::-1]
    doubled = d[:, 1::2] * 2
    doubled = np.where(doubled > 9, doubled - 9, doubled)
    total = d[:, 0::2].sum(axis=1) + doubled.sum(axis=1)
    return _b(ok & (total % 10 == 0))


def luhn_ok(value: str) -> bool:
    """One digit string passes Luhn (pure Python, for single values)."""
    if not value.isascii() or not value.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(value)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_check_digit(body: str) -> str:
    """The digit that makes ``body + digit`` pass Luhn."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return str((10 - total % 10) % 10)


# --------------------------------------------------------------------- USCC (GB 32100) and org code (GB 11714)

USCC_PAIRS = frozenset(
    "11 12 13 19 21 29 31 32 33 34 35 39 41 49 51 52 53 59 61 62 69 71 72 79 81 89 91 92 93".split()
    + "A1 A9 N1 N2 N3 N9 Y1".split()
)


_USCC_PAIR_CODES = np.array([ord(p[0]) * 256 + ord(p[1]) for p in sorted(USCC_PAIRS)], dtype=np.int64)


def org_code_check_char(body8: str) -> str:
    """The GB 11714 check character of an 8-character organisation code body."""
    total = sum(int(_ALNUM_VALUE[ord(c)]) * w for c, w in zip(body8, ORG_WEIGHTS.tolist(), strict=True))
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def org_code_ok_codes(codes: Codes) -> Bools:
    """9-character organisation codes (body + check character, no hyphen)."""
    n = codes.shape[0]
    if codes.shape[1] != 9 or n == 0:
        return np.zeros(n, dtype=np.bool_)
    body = _ALNUM_VALUE[codes[:, :8]]
    ok = (body >= 0).all(axis=1)
    c9 = 11 - (np.where(body >= 0, body, 0) @ ORG_WEIGHTS) % 11
    expected = np.where(c9 == 10, ord("X"), np.where(c9 == 11, ord("0"), c9 + ord("0")))
    return _b(ok & (codes[:, 8] == expected))


def iban_ok_codes(codes: Codes) -> Bools:
    """IBANs of one length (no spaces, upper case): mod 97 == 1, computed column by column."""
    n, width = codes.shape
    if n == 0 or not 15 <= width <= 34:
        return np.zeros(n, dtype=np.bool_)
    values = _ALNUM_VALUE[codes]
    ok = (values >= 0).all(axis=1) & (values[:, 0] >= 10) & (values[:, 1] >= 10)
    ok &= (values[:, 2] < 10) & (values[:, 3] < 10)
    values = np.where(values >= 0, values, 0)
    order = list(range(4, width)) + [0, 1, 2, 3]
    acc = np.zeros(n, dtype=np.int64)
    for pos in order:
        v = values[:, pos]
        acc = np.where(v >= 10, (acc * 100 + v) % 97, (acc * 10 + v) % 97)
    return _b(ok & (acc == 1))


def org_code_ok(value: str) -> bool:
    """An organisation code ``XXXXXXXX-X`` or ``XXXXXXXXX``."""
    value = value.replace("-", "")
    if len(value) != 9 or not value.isascii() or any(_ALNUM_VALUE[ord(c)] < 0 for c in value[:8]):
        return False
    return org_code_check_char(value[:8]) == value[8]


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters."""
    total = sum(int(_USCC_VALUE[ord(c)]) * w for c, w in zip(first17, USCC_WEIGHTS.tolist(), strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_ok_codes(codes: Codes) -> Bools:
    """18-character unified social credit codes: alphabet, registration pair, division code, both checks."""
    n = codes.shape[0]
    if codes.shape[1] != 18 or n == 0:
        return np.zeros(n, dtype=np.bool_)
    values = _USCC_VALUE[codes]
    ok = (values >= 0).all(axis=1)
    values = np.where(values >= 0, values, 0)
    ok &= all_digits(codes[:, 2:8]) & _PROVINCE_TABLE[values[:, 2] * 10 + values[:, 3]]
    check = (31 - (values[:, :17] @ USCC_WEIGHTS) % 31) % 31
    ok &= check == values[:, 17]
    # The embedded organisation code (positions 9-17) carries its own GB 11714 check character.
    body = _ALNUM_VALUE[codes[:, 8:16]]
    body_ok = (body >= 0).all(axis=1)
    c9 = 11 - (np.where(body >= 0, body, 0) @ ORG_WEIGHTS) % 11
    expected = np.where(c9 == 10, ord("X"), np.where(c9 == 11, ord("0"), c9 + ord("0")))
    ok &= body_ok & (codes[:, 16] == expected)
    first = codes[:, 0].astype(np.int64) * 256 + codes[:, 1]
    return _b(ok & np.isin(first, _USCC_PAIR_CODES))


def uscc_ok(value: str) -> bool:
    """One unified social credit code (pure Python, for single values)."""
    v = value.upper()
    if len(v) != 18 or not v.isascii() or v[:2] not in USCC_PAIRS or not v[2:8].isdigit():
        return False
    if int(v[2:4]) not in PROVINCES or any(c not in USCC_ALPHABET for c in v):
        return False
    if uscc_check_char(v[:17]) != v[17]:
        return False
    return all(_ALNUM_VALUE[ord(c)] >= 0 for c in v[8:16]) and org_code_check_char(v[8:16]) == v[16]


# ----------------------------------------------------------------------------------------------- others


def iban_ok(value: str) -> bool:
    """ISO 13616 IBAN: country letters, two check digits, mod 97 == 1."""
    v = value.replace(" ", "").upper()
    if not 15 <= len(v) <= 34 or not v[:2].isalpha() or not v[2:4].isdigit() or not v.isalnum() or not v.isascii():
        return False
    rearranged = v[4:] + v[:4]
    digits = "".join(str(int(c, 36)) for c in rearranged)
    return int(digits) % 97 == 1


def iban_check_digits(country: str, bban: str) -> str:
    """The two check digits of an IBAN with this country and account part."""
    digits = "".join(str(int(c, 36)) for c in (bban + country + "00").upper())
    return f"{98 - int(digits) % 97:02d}"


def hk_id_ok(value: str) -> bool:
    """Hong Kong identity card number ``A123456(3)``."""
    v = value.replace("(", "").replace(")", "").upper()
    if not (8 <= len(v) <= 9) or not v[-7:-1].isdigit() or not v[:-7].isalpha():
        return False
    letters = v[:-7]
    vals = ([36] if len(letters) == 1 else []) + [ord(c) - 55 for c in letters]
    total = sum(x * w for x, w in zip(vals + [int(c) for c in v[-7:-1]], range(9, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return v[-1] == ("A" if check == 10 else str(check))


def us_ssn_ok(value: str) -> bool:
    """A US SSN in ``AAA-GG-SSSS`` form whose parts are ever issued (no 000, 666, 9xx, 00, 0000)."""
    parts = value.split("-")
    if len(parts) != 3 or [len(p) for p in parts] != [3, 2, 4] or not all(p.isdigit() for p in parts):
        return False
    area, group, serial = parts
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"
