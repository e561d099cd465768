"""Recognizers (识别器): pattern + check digit + context for each entity type, with stable ids.

A recognizer's ``core`` regex is written for both Python's ``re`` (free text, with look-arounds added
for the boundaries) and Rust's regex in Polars (whole cells, anchored), so one definition serves the
text scanner and the vectorised column scanner. Precision comes first: check digits, semantic checks
(birth dates, province codes, number prefixes) and, for formats without a check, context words.

>>> by_id("gongzhi.datasec.cn_mobile@1").entity
'CN_MOBILE'
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import polars as pl

from gongzhi.datasec import checks
from gongzhi.datasec.checks import Bools, Codes

ASCII_ALNUM = "0-9A-Za-z"

#: Mobile prefixes (SPEC.md section 5, by original allocation); 14x data-card ranges and 174 are left out.
MOBILE_PREFIXES = frozenset(
    list(range(130, 140))
    + [145, 147, 148, 149, 150, 151, 152, 153, 155, 156, 157, 158, 159, 162, 165, 166, 167]
    + [170, 171, 172, 173, 175, 176, 177, 178]
    + list(range(180, 190))
    + [190, 191, 192, 193, 195, 196, 197, 198, 199]
)
_MOBILE_TABLE = np.zeros(1000, dtype=np.bool_)
_MOBILE_TABLE[list(MOBILE_PREFIXES)] = True


@dataclass(frozen=True)
class Recognizer:
    """Finds one entity type. ``validate`` checks a match's text; ``validate_codes`` a column of them at once."""

    id: str
    entity: str
    core: str
    boundary: str = ASCII_ALNUM
    validate: Callable[[str], bool] | None = None
    #: Vectorised check over an (n, width) matrix of ASCII codes (``width`` None: any width, grouped by length).
    validate_codes: Callable[[Codes], Bools] | None = None
    width: int | None = None
    #: Vectorised check over a Polars column of matched cells (preferred when given).
    validate_series: Callable[[pl.Series], Bools] | None = None
    checksum: bool = False
    #: Words (zh/en) that make a match more likely when near it in text, or in a column's name.
    context: tuple[str, ...] = ()
    #: Free text: report only with a context word within ``window`` characters.
    needs_context: bool = False
    #: Columns: type a column only when its name carries a context word.
    needs_header: bool = False
    score: float = 0.8
    #: Columns: the share of non-empty cells that must match to type the column.
    min_share: float = 0.6
    #: Characters removed from a cell before matching (digit groups of card numbers).
    strip: str | None = None
    window: int = 24
    #: Free text: what may not follow a match (default: a ``boundary`` character).
    after: str | None = None
    flags: int = 0
    extra_text: tuple[str, ...] = field(default=())

    @cached_property
    def text_regex(self) -> re.Pattern[str]:
        b = self.boundary
        if not b:
            return re.compile(f"(?:{self.core})", self.flags)
        after = self.after or f"[{b}]"
        return re.compile(f"(?<![{b}])(?:{self.core})(?!{after})", self.flags)

    @cached_property
    def text_prefilter(self) -> str:
        """A Polars (Rust regex) pattern true for every text in which ``text_regex`` can match.

        Rust's regex has no look-around, so the boundaries are consumed instead: the same texts pass,
        which makes the prefilter exact for the pattern (the check digits are still Python's to test).
        """
        b = self.boundary
        if not b or self.after is not None or self.flags:
            return self.core
        return f"(?:^|[^{b}])(?:{self.core})(?:$|[^{b}])"

    @cached_property
    def context_regex(self) -> re.Pattern[str]:
        """Any of the context words (case-insensitive)."""
        return re.compile("|".join(re.escape(w) for w in self.context) or "(?!)", re.IGNORECASE)

    @property
    def cell_pattern(self) -> str:
        """Anchored pattern for Polars (Rust regex) whole-cell matching."""
        return f"^(?:{self.core})$"

    def check(self, value: str) -> bool:
        """Semantic and check-digit validation of one matched value."""
        if self.validate is not None:
            return self.validate(value)
        if self.validate_codes is not None:
            if (self.width is not None and len(value) != self.width) or not value.isascii():
                return False
            return bool(self.validate_codes(checks.to_codes([value], len(value)))[0])
        return True


# ------------------------------------------------------------------------------------------- validators


def _digits_only(value: str) -> str:
    return re.sub(r"\D", "", value)


def _mobile_ok(value: str) -> bool:
    d = _digits_only(value)
    if len(d) == 13 and d.startswith("86"):
        d = d[2:]
    return len(d) == 11 and int(d[:3]) in MOBILE_PREFIXES


def mobile_ok_codes(codes: Codes) -> Bools:
    """11-digit mobile numbers with an allocated prefix."""
    if codes.shape[0] == 0 or codes.shape[1] != 11:
        return np.zeros(codes.shape[0], dtype=np.bool_)
    ok = checks.all_digits(codes)
    d = codes[:, :3].astype(np.int64) - ord("0")
    prefix = np.clip(d[:, 0] * 100 + d[:, 1] * 10 + d[:, 2], 0, 999)
    return np.asarray(ok & _MOBILE_TABLE[prefix], dtype=np.bool_)


def _landline_ok(value: str) -> bool:
    d = _digits_only(value.split("转")[0].split("ext")[0])
    area = d[:3] if d[:2] in ("01", "02") else d[:4]
    local = d[len(area) :]
    return len(local) in (7, 8) and local[0] not in "01"


def _card_ok(value: str, *, unionpay: bool) -> bool:
    d = _digits_only(value)
    if not 13 <= len(d) <= 19 or not checks.luhn_ok(d):
        return False
    if unionpay:
        return d.startswith("62") and len(d) >= 16
    return _is_brand_card(d)


def _is_brand_card(d: str) -> bool:
    two, four = int(d[:2]), int(d[:4])
    if d[0] == "4":
        return len(d) in (13, 16, 19)
    if 51 <= two <= 55 or 2221 <= four <= 2720:
        return len(d) == 16
    if two in (34, 37):
        return len(d) == 15
    if d.startswith("6011") or two == 65:
        return len(d) in (16, 19)
    if 3528 <= four <= 3589:
        return len(d) in (16, 19)
    return False


def unionpay_ok_codes(codes: Codes) -> Bools:
    """UnionPay cards (62…, 16-19 digits) passing Luhn."""
    if codes.shape[0] == 0 or not 16 <= codes.shape[1] <= 19:
        return np.zeros(codes.shape[0], dtype=np.bool_)
    return np.asarray(checks.luhn_ok_codes(codes) & (codes[:, 0] == ord("6")) & (codes[:, 1] == ord("2")), dtype=bool)


def brand_card_ok_codes(codes: Codes) -> Bools:
    """International brand cards (Visa, Mastercard, Amex, Discover, JCB) passing Luhn."""
    n, width = codes.shape
    if n == 0 or not 13 <= width <= 19:
        return np.zeros(n, dtype=np.bool_)
    ok = checks.luhn_ok_codes(codes)
    d = np.where(ok[:, None], codes[:, :4].astype(np.int64) - ord("0"), 0)
    two, four = d[:, 0] * 10 + d[:, 1], d[:, 0] * 1000 + d[:, 1] * 100 + d[:, 2] * 10 + d[:, 3]
    brand = np.zeros(n, dtype=np.bool_)
    if width in (13, 16, 19):
        brand |= d[:, 0] == 4
    if width == 16:
        brand |= ((two >= 51) & (two <= 55)) | ((four >= 2221) & (four <= 2720))
    if width == 15:
        brand |= (two == 34) | (two == 37)
    if width in (16, 19):
        brand |= (four == 6011) | (two == 65) | ((four >= 3528) & (four <= 3589))
    return np.asarray(ok & brand, dtype=np.bool_)


def _resident_id_ok(value: str) -> bool:
    return checks.cn_resident_id_ok(value) and value[:2] not in ("81", "82", "83")


def resident_id_ok_codes(codes: Codes) -> Bools:
    """Resident IDs that are not HK/Macao/Taiwan residence permits."""
    ok = checks.cn_resident_id_ok_codes(codes)
    if codes.shape[0]:
        ok &= ~((codes[:, 0] == ord("8")) & np.isin(codes[:, 1], [ord("1"), ord("2"), ord("3")]))
    return ok


def _permit_ok(value: str) -> bool:
    return value[:1] == "8" and checks.cn_resident_id_ok(value)


def permit_ok_codes(codes: Codes) -> Bools:
    """HK/Macao/Taiwan residence permits (address codes 810000, 820000, 830000)."""
    ok = checks.cn_resident_id_ok_codes(codes)
    return ok & (codes[:, 0] == ord("8")) if codes.shape[0] else ok


def _ipv6_ok(value: str) -> bool:
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


def _mac_ok(value: str) -> bool:
    return len({c for c in value if c in ":-"}) == 1


def _gps_ok(value: str) -> bool:
    lat, _, lon = value.partition(",")
    try:
        return abs(float(lat)) <= 90 and abs(float(lon)) <= 180 and not (float(lat) == 0 and float(lon) == 0)
    except ValueError:
        return False


_DATE_PARTS = re.compile(r"\d+")


def _dob_ok(value: str) -> bool:
    parts = [int(p) for p in _DATE_PARTS.findall(value)]
    if len(parts) != 3:
        return False
    y, m, d = parts if parts[0] > 31 else (parts[2], parts[0], parts[1])
    try:
        day = dt.date(y, m, d)
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= day <= dt.date.today()


def _legacy_id_ok(value: str) -> bool:
    return checks.cn_legacy_id_ok(value)


def _org_code_ok(value: str) -> bool:
    return checks.org_code_ok(value)


def _uscc_ok(value: str) -> bool:
    return checks.uscc_ok(value)


def _ipv4_ok(value: str) -> bool:
    return not value.startswith("0.") and value != "255.255.255.255"


# ---------------------------------------------------------------------------------- vectorised (Polars)


def _np(series: pl.Series) -> Bools:
    return series.fill_null(False).to_numpy().astype(np.bool_)


def ssn_ok_series(values: pl.Series) -> Bools:
    """SSNs whose area, group and serial are ever issued."""
    area = values.str.slice(0, 3)
    return _np(
        (area != "000") & (area != "666") & ~values.str.starts_with("9")
        & (values.str.slice(4, 2) != "00") & (values.str.slice(7, 4) != "0000")
    )  # fmt: skip


def ipv4_ok_series(values: pl.Series) -> Bools:
    return _np(~values.str.starts_with("0.") & (values != "255.255.255.255"))


def mac_ok_series(values: pl.Series) -> Bools:
    return _np(~(values.str.contains(":", literal=True) & values.str.contains("-", literal=True)))


def dob_ok_series(values: pl.Series) -> Bools:
    """ISO dates checked as dates in Polars; other layouts (年月日, d/m/Y) one by one."""
    iso = values.str.to_date("%Y-%m-%d", strict=False)
    today = dt.date.today()
    ok = _np(iso.is_not_null() & (iso >= dt.date(1900, 1, 1)) & (iso <= today))
    rest = np.flatnonzero(iso.is_null().to_numpy())
    if len(rest):
        ok[rest] = [_dob_ok(v) for v in values.gather(rest).to_list()]
    return ok


def org_code_ok_series(values: pl.Series) -> Bools:
    stripped = values.str.replace_all("-", "", literal=True)
    ok = np.zeros(len(values), dtype=np.bool_)
    nine = np.flatnonzero((stripped.str.len_bytes() == 9).to_numpy())
    if len(nine):
        from gongzhi.datasec.tables import codes_of

        ok[nine] = checks.org_code_ok_codes(codes_of(stripped.gather(nine), 9))
    return ok


def iban_ok_series(values: pl.Series) -> Bools:
    from gongzhi.datasec.tables import codes_of

    stripped = values.str.replace_all(" ", "", literal=True).str.to_uppercase()
    lengths = stripped.str.len_bytes().to_numpy()
    ok = np.zeros(len(values), dtype=np.bool_)
    for width in np.unique(lengths):
        pos = np.flatnonzero(lengths == width)
        ok[pos] = checks.iban_ok_codes(codes_of(stripped.gather(pos), int(width)))
    return ok


# ------------------------------------------------------------------------------------------- the catalogue

_P = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_LETTER = "A-HJ-NP-Z"
_ID_CTX = ("身份证", "身份证号", "证件号", "公民身份号码", "ID card", "id_card", "idcard", "sfz", "证件")

RECOGNIZERS: tuple[Recognizer, ...] = (
    Recognizer(
        id="gongzhi.datasec.cn_residence_permit@1",
        entity="CN_RESIDENCE_PERMIT",
        core=r"8[123]0000(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]",
        validate=_permit_ok,
        validate_codes=permit_ok_codes,
        width=18,
        checksum=True,
        score=0.95,
        context=("居住证", "港澳台居民", "residence permit", *_ID_CTX),
    ),
    Recognizer(
        id="gongzhi.datasec.cn_resident_id@1",
        entity="CN_RESIDENT_ID",
        core=r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]",
        validate=_resident_id_ok,
        validate_codes=resident_id_ok_codes,
        width=18,
        checksum=True,
        score=0.95,
        context=_ID_CTX,
    ),
    Recognizer(
        id="gongzhi.datasec.cn_resident_id_legacy@1",
        entity="CN_RESIDENT_ID",
        core=r"[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}",
        validate=_legacy_id_ok,
        score=0.6,
        needs_context=True,
        min_share=0.9,
        context=_ID_CTX,
    ),
    Recognizer(
        id="gongzhi.datasec.cn_mobile@1",
        entity="CN_MOBILE",
        core=r"(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}",
        validate=_mobile_ok,
        validate_codes=mobile_ok_codes,
        width=11,
        score=0.85,
        context=("手机", "手机号", "电话", "联系方式", "mobile", "phone", "tel", "sjh", "联系电话"),
    ),
    Recognizer(
        id="gongzhi.datasec.cn_landline@1",
        entity="CN_LANDLINE",
        core=r"(?:\(0\d{2,3}\)\s?|0\d{2,3}-)[2-9]\d{6,7}(?:-\d{1,5}|转\d{1,5})?",
        validate=_landline_ok,
        score=0.75,
        context=("电话", "座机", "固话", "传真", "telephone", "tel", "phone", "fax"),
    ),
    Recognizer(
        id="gongzhi.datasec.bank_card@1",
        entity="BANK_CARD",
        core=r"62\d{2}(?:[ -]?\d{4}){2}[ -]?\d{4,7}",
        validate=lambda v: _card_ok(v, unionpay=True),
        validate_codes=unionpay_ok_codes,
        checksum=True,
        score=0.9,
        strip="[ -]",
        context=("银行卡", "卡号", "账号", "账户", "储蓄卡", "借记卡", "bank card", "card", "account"),
    ),
    Recognizer(
        id="gongzhi.datasec.credit_card@1",
        entity="CREDIT_CARD",
        core=r"(?:4\d{3}|5[1-5]\d{2}|2[2-7]\d{2}|3[47]\d{2}|6011|65\d{2}|35\d{2})"
        r"[ -]?\d{4,6}[ -]?\d{4,5}(?:[ -]?\d{1,7})?",
        validate=lambda v: _card_ok(v, unionpay=False),
        validate_codes=brand_card_ok_codes,
        checksum=True,
        score=0.9,
        strip="[ -]",
        context=("信用卡", "卡号", "credit card", "card number", "visa", "mastercard", "amex"),
    ),
    Recognizer(
        id="gongzhi.datasec.cn_uscc@1",
        entity="CN_USCC",
        core=r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}",
        validate=_uscc_ok,
        validate_codes=checks.uscc_ok_codes,
        width=18,
        checksum=True,
        score=0.95,
        context=("统一社会信用代码", "信用代码", "社会信用", "uscc", "credit code"),
    ),
    Recognizer(
        id="gongzhi.datasec.cn_org_code@1",
        entity="CN_ORG_CODE",
        core=r"[0-9A-Z]{8}-[0-9X]|[0-9A-Z]{8}[0-9X]",
        validate=_org_code_ok,
        validate_series=org_code_ok_series,
        checksum=True,
        score=0.7,
        needs_context=True,
        min_share=0.9,
        context=("组织机构代码", "机构代码", "org code", "organization code"),
    ),
    Recognizer(
        id="gongzhi.datasec.passport@1",
        entity="PASSPORT",
        core=rf"E[{_LETTER}]\d{{7}}|[EG]\d{{8}}|(?:DE|PE|SE)\d{{7}}|[DPS]\d{{7}}",
        score=0.6,
        min_share=0.8,
        context=("护照", "passport", "护照号"),
    ),
    Recognizer(
        id="gongzhi.datasec.cn_hmt_permit@1",
        entity="CN_HMT_PERMIT",
        core=r"[HM]\d{8}(?:\d{2})?",
        score=0.6,
        needs_context=True,
        min_share=0.9,
        context=("回乡证", "港澳居民来往内地通行证", "通行证", "home return"),
    ),
    Recognizer(
        id="gongzhi.datasec.cn_hk_macao_pass@1",
        entity="CN_HK_MACAO_PASS",
        core=rf"C[{_LETTER}]\d{{7}}|W\d{{8}}",
        score=0.6,
        needs_context=True,
        min_share=0.9,
        context=("往来港澳通行证", "港澳通行证", "通行证", "exit-entry permit"),
    ),
    Recognizer(
        id="gongzhi.datasec.cn_tw_permit@1",
        entity="CN_TW_PERMIT",
        core=r"\d{8}|\d{10}",
        score=0.5,
        needs_context=True,
        needs_header=True,
        context=("台胞证", "台湾居民来往大陆通行证", "台湾通行证", "mtp"),
    ),
    Recognizer(
        id="gongzhi.datasec.hk_id@1",
        entity="HK_ID",
        core=r"[A-Z]{1,2}\d{6}\([0-9A]\)|[A-Z]{1,2}\d{6}[0-9A]",
        validate=checks.hk_id_ok,
        checksum=True,
        score=0.7,
        needs_context=True,
        min_share=0.9,
        context=("香港身份证", "HKID", "Hong Kong ID", "HK ID"),
    ),
    Recognizer(
        id="gongzhi.datasec.cn_plate@1",
        entity="CN_PLATE",
        core=rf"[{_P}][{_LETTER}](?:[DABCEFGHJK][{_LETTER}0-9]{{5}}|[{_LETTER}0-9]{{5}}[DF]|[{_LETTER}0-9]{{4}}"
        rf"[{_LETTER}0-9学警挂港澳领])",
        score=0.85,
        context=("车牌", "车牌号", "号牌", "plate", "license plate"),
    ),
    Recognizer(
        id="gongzhi.datasec.email@1",
        entity="EMAIL",
        after=r"[0-9A-Za-z_%+-]|\.[0-9A-Za-z]",
        core=r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}",
        boundary="0-9A-Za-z._%+-",
        score=0.95,
        context=("邮箱", "email", "e-mail", "mail"),
    ),
    Recognizer(
        id="gongzhi.datasec.url@1",
        entity="URL",
        core=r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~%!$&'()*+,;=:@/?#-]*)?",
        boundary="",
        score=0.7,
        min_share=0.6,
        context=("网址", "链接", "url", "link", "website"),
    ),
    Recognizer(
        id="gongzhi.datasec.ipv4@1",
        entity="IPV4",
        after=r"[0-9A-Za-z]|\.\d",
        core=r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}",
        boundary="0-9A-Za-z.",
        validate=_ipv4_ok,
        validate_series=ipv4_ok_series,
        score=0.8,
        context=("IP", "ip地址", "ip_address", "地址"),
    ),
    Recognizer(
        id="gongzhi.datasec.ipv6@1",
        entity="IPV6",
        core=r"(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,7}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?"
        r"|::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})",
        boundary="0-9A-Za-z:",
        validate=_ipv6_ok,
        score=0.8,
        context=("IPv6", "ip"),
    ),
    Recognizer(
        id="gongzhi.datasec.mac@1",
        entity="MAC_ADDRESS",
        core=r"[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}",
        boundary="0-9A-Za-z:-",
        validate=_mac_ok,
        validate_series=mac_ok_series,
        score=0.85,
        context=("MAC", "mac地址", "物理地址"),
    ),
    Recognizer(
        id="gongzhi.datasec.imei@1",
        entity="IMEI",
        core=r"\d{15}",
        validate=checks.luhn_ok,
        validate_codes=checks.luhn_ok_codes,
        width=15,
        checksum=True,
        score=0.7,
        needs_context=True,
        min_share=0.9,
        context=("IMEI", "imei", "串号", "设备号", "device id"),
    ),
    Recognizer(
        id="gongzhi.datasec.gps@1",
        entity="GPS_COORDINATES",
        after=r"[0-9A-Za-z]|\.\d",
        core=r"-?\d{1,2}\.\d{4,8}\s?,\s?-?\d{1,3}\.\d{4,8}",
        boundary="0-9A-Za-z.",
        validate=_gps_ok,
        score=0.75,
        context=("坐标", "经纬度", "位置", "定位", "GPS", "location", "coordinates", "lat", "lng"),
    ),
    Recognizer(
        id="gongzhi.datasec.date_of_birth@1",
        entity="DATE_OF_BIRTH",
        core=r"(?:19|20)\d{2}(?:-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2}|\.\d{1,2}\.\d{1,2}|年\d{1,2}月\d{1,2}日)"
        r"|\d{1,2}/\d{1,2}/(?:19|20)\d{2}",
        validate=_dob_ok,
        validate_series=dob_ok_series,
        score=0.7,
        needs_context=True,
        needs_header=True,
        context=("出生", "生日", "出生日期", "出生年月", "birth", "born", "DOB", "birthday", "date of birth", "csrq"),
    ),
    Recognizer(
        id="gongzhi.datasec.us_ssn@1",
        entity="US_SSN",
        core=r"\d{3}-\d{2}-\d{4}",
        validate=checks.us_ssn_ok,
        validate_series=ssn_ok_series,
        score=0.8,
        context=("SSN", "social security", "ssn"),
    ),
    Recognizer(
        id="gongzhi.datasec.us_phone@1",
        entity="US_PHONE",
        core=r"(?:\+1[ .-]?)?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[-.])[2-9]\d{2}[-.]\d{4}",
        boundary="0-9A-Za-z",
        score=0.75,
        context=("phone", "tel", "call", "mobile", "cell"),
    ),
    Recognizer(
        id="gongzhi.datasec.iban@1",
        entity="IBAN",
        core=r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?",
        validate=checks.iban_ok,
        validate_series=iban_ok_series,
        checksum=True,
        score=0.9,
        context=("IBAN", "account", "bank"),
    ),
)

_BY_ID = {r.id: r for r in RECOGNIZERS}


def by_id(recognizer_id: str) -> Recognizer:
    """One recognizer by its stable id."""
    return _BY_ID[recognizer_id]


def recognizers_for(entity: str) -> list[Recognizer]:
    """The regex recognizers of one entity type."""
    return [r for r in RECOGNIZERS if r.entity == entity]
