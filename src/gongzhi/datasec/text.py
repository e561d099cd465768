"""Free-text scanning: findings with character offsets (recognizers, names, addresses, keywords).

>>> [(f.entity, f.start, f.end) for f in scan_text("客户张伟的手机号是13812345678。")]
[('PERSON_NAME', 2, 4), ('CN_MOBILE', 9, 20)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from gongzhi.datasec import lexicons as lx
from gongzhi.datasec.recognizers import RECOGNIZERS, Recognizer


class Finding(NamedTuple):
    """One sensitive value in a text: character offsets [start, end), its type, how sure, which recognizer."""

    start: int
    end: int
    entity: str
    score: float
    recognizer: str

    def as_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "entity_type": self.entity,
            "score": round(self.score, 3),
            "recognizer": self.recognizer,
        }


def _near(text: str, start: int, end: int, words: tuple[str, ...], window: int) -> bool:
    lo = text[max(0, start - window) : start].lower()
    hi = text[end : end + window].lower()
    return any(w.lower() in lo or w.lower() in hi for w in words)


def _regex_findings(text: str, recognizers: Sequence[Recognizer]) -> list[Finding]:
    found = []
    for rec in recognizers:
        if rec.needs_context and not rec.context_regex.search(text):
            continue
        for m in rec.text_regex.finditer(text):
            value = m.group(0)
            if rec.strip is not None:
                value = re.sub(rec.strip, "", value)
            if not rec.check(value):
                continue
            ctx = rec.context_regex
            has_context = bool(rec.context) and (
                ctx.search(text, max(0, m.start() - rec.window), m.start()) is not None
                or ctx.search(text, m.end(), m.end() + rec.window) is not None
            )
            if rec.needs_context and not has_context:
                continue
            score = min(1.0, rec.score + (0.1 if has_context else 0.0))
            found.append(Finding(m.start(), m.end(), rec.entity, score, rec.id))
    return found


# ---------------------------------------------------------------------------------------------- names

_COMPOUND = "|".join(sorted(lx.CN_SURNAMES_COMPOUND, key=len, reverse=True))
_SINGLE = "".join(sorted(lx.CN_SURNAMES_SINGLE))
CN_NAME_CORE = f"(?:{_COMPOUND}|[{_SINGLE}])[\u4e00-\u9fa5]{{1,2}}"
_CN_NAME = re.compile(f"(?:{_COMPOUND}|[{_SINGLE}])")
_HAN = re.compile("[\u4e00-\u9fa5]")
_BEFORE = tuple(sorted(lx.CN_NAME_CONTEXT_BEFORE, key=len, reverse=True))
_AFTER = tuple(sorted(lx.CN_NAME_CONTEXT_AFTER, key=len, reverse=True))


_STOP_AT = re.compile("|".join(re.escape(w) for w in sorted({*lx.CN_NAME_STOP_WORDS, *_AFTER}, key=len, reverse=True)))


def _given_name_end(text: str, pos: int) -> int:
    """Where a given name starting at ``pos`` ends (one or two Han characters)."""
    end, limit = pos, min(pos + 2, len(text))
    while end < limit and "\u4e00" <= text[end] <= "\u9fa5" and text[end] not in lx.CN_NAME_STOP_CHARS:
        if end > pos and _STOP_AT.match(text, end):
            break
        end += 1
    return end


_BEFORE_RE = re.compile("(?:" + "|".join(re.escape(w) for w in _BEFORE) + ")[：: ]?")
_AFTER_RE = re.compile("|".join(re.escape(w) for w in _AFTER))
_SURNAME_ONE = lx.CN_SURNAMES_SINGLE
_SURNAME_TWO = lx.CN_SURNAMES_COMPOUND


def _surname_len(text: str, pos: int) -> int:
    if text[pos : pos + 2] in _SURNAME_TWO:
        return 2
    return 1 if pos < len(text) and text[pos] in _SURNAME_ONE else 0


def _name_after(text: str, pos: int) -> int | None:
    """End of a name starting at ``pos`` (surname + 1-2 given characters), or None."""
    n = _surname_len(text, pos)
    if not n:
        return None
    end = _given_name_end(text, pos + n)
    return end if end > pos + n else None


def cn_names(text: str) -> list[Finding]:
    """Chinese person names: a known surname and a one- or two-character given name, next to a role or title."""
    found: dict[tuple[int, int], bool] = {}
    for m in _BEFORE_RE.finditer(text):
        end = _name_after(text, m.end())
        if end is not None:
            found[(m.end(), end)] = text.startswith(_AFTER, end)
    for m in _AFTER_RE.finditer(text):
        p = m.start()
        for start in (p - 3, p - 2, p - 4):
            if start < 0 or (start, p) in found:
                continue
            if _name_after(text, start) == p and not (
                start > 0 and _HAN.match(text[start - 1]) and not text[:start].rstrip("：: ").endswith(_BEFORE)
            ):
                found[(start, p)] = True
                break
    return [
        Finding(start, end, "PERSON_NAME", 0.85 if both else 0.8, "gongzhi.datasec.cn_person_name@1")
        for (start, end), both in sorted(found.items())
    ]


_EN_TITLE = "|".join(lx.EN_TITLES)
_EN_NAME = re.compile(
    rf"(?<![A-Za-z])(?:(?P<title>{_EN_TITLE})\.? )?(?P<first>[A-Z][a-z]+)(?: [A-Z]\.)? "
    r"(?P<last>(?:O'|Mc|Mac)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?![A-Za-z])"
)


def en_names(text: str) -> list[Finding]:
    """English person names: a known given name (or a title) and a capitalised surname."""
    found = []
    for m in _EN_NAME.finditer(text):
        first, last = m.group("first"), m.group("last")
        if last in lx.EN_NOT_SURNAMES or first in lx.EN_NOT_SURNAMES:
            continue
        if m.group("title") or first in lx.EN_GIVEN_NAMES:
            start = m.start("first") if m.group("title") is None else m.start("first")
            found.append(Finding(start, m.end(), "PERSON_NAME", 0.8, "gongzhi.datasec.en_person_name@1"))
    return found


# ------------------------------------------------------------------------------------------- addresses

_PLACES = "|".join(sorted(lx.CN_PROVINCES + lx.CN_CITIES, key=len, reverse=True))
_H = "\u4e00-\u9fa5"
CN_ADDRESS_CORE = (
    rf"(?:(?:{_PLACES})(?:省|市|自治区|特别行政区)?)?(?:[{_H}]{{2,8}}?(?:自治州|市|州|盟|地区))?(?:[{_H}]{{1,6}}?(?:区|县|旗))?"
    rf"(?:[{_H}]{{1,8}}?(?:街道|镇|乡))?(?:[{_H}0-9]{{1,10}}?(?:村|社区|小区|园区))?[{_H}0-9]{{1,12}}?(?:大道|路|街|巷|弄|胡同|道)"
    rf"\d{{1,5}}(?:号|弄)(?:院)?(?:\d{{1,5}}(?:号楼|栋|幢|座))?(?:\d{{1,3}}单元)?(?:\d{{1,5}}(?:室|号房))?"
)
_CN_ADDRESS = re.compile(CN_ADDRESS_CORE)
_PLACE_START = re.compile(rf"^(?:{_PLACES})")
_CN_ADDR_CONTEXT = tuple(lx.CN_ADDRESS_CONTEXT)
_EN_STREET = r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Parkway)"
EN_ADDRESS_CORE = (
    rf"\d{{1,5}} (?:[A-Z][a-z]+ ){{1,3}}{_EN_STREET}\.?(?:,? (?:Apt|Suite|Unit) ?#?\w+)?"
    r"(?:, [A-Z][a-z]+(?: [A-Z][a-z]+)*)?(?:, [A-Z]{2} \d{5}(?:-\d{4})?)?"
)
_EN_ADDRESS = re.compile(rf"(?<![0-9A-Za-z])(?:{EN_ADDRESS_CORE})(?![0-9A-Za-z])")


def cn_addresses(text: str) -> list[Finding]:
    """Chinese postal addresses down to a street number, starting at a known place or after 住址/地址."""
    found = []
    for m in _CN_ADDRESS.finditer(text):
        start, value = m.start(), m.group(0)
        # Trim leading words that belong to the sentence, not the address (e.g. 家住, 位于).
        place = re.search(rf"(?:{_PLACES})", value)
        if place is not None and place.start() > 0:
            start += place.start()
            value = value[place.start() :]
        starts_at_place = bool(_PLACE_START.match(value))
        if not (starts_at_place or _near(text, start, m.end(), _CN_ADDR_CONTEXT, 6)):
            continue
        found.append(
            Finding(start, m.end(), "ADDRESS", 0.85 if starts_at_place else 0.7, "gongzhi.datasec.cn_address@1")
        )
    return found


def en_addresses(text: str) -> list[Finding]:
    """English street addresses (number, street name and type, optional city, state and ZIP)."""
    return [
        Finding(m.start(), m.end(), "ADDRESS", 0.8, "gongzhi.datasec.en_address@1") for m in _EN_ADDRESS.finditer(text)
    ]


# -------------------------------------------------------------------------------------------- keywords

_KEYWORDS = {
    entity: re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    for entity, words in lx.SENSITIVE_KEYWORDS.items()
}


def keywords(text: str) -> list[Finding]:
    """Words that reveal sensitive personal information (PIPL Art. 28): health, religion, biometrics, finance."""
    found = []
    for entity, pattern in _KEYWORDS.items():
        for m in pattern.finditer(text):
            if m.group(0).isascii() and not _word_bounded(text, m.start(), m.end()):
                continue
            found.append(Finding(m.start(), m.end(), entity, 0.6, f"gongzhi.datasec.{entity.lower()}@1"))
    return found


def _word_bounded(text: str, start: int, end: int) -> bool:
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


# ------------------------------------------------------------------------------------------------ scan


def resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    """Keep the best of overlapping findings: higher score, then longer span, then earlier start."""
    ordered = sorted(findings)
    if all(a.end <= b.start for a, b in zip(ordered, ordered[1:], strict=False)):
        return ordered  # nothing overlaps (the common case)
    ranked = sorted(findings, key=lambda f: (-f.score, -(f.end - f.start), f.start))
    kept: list[Finding] = []
    for f in ranked:
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept)


_ROAD_NUMBER = r"(?:大道|路|街|巷|弄|胡同|道)\d{1,5}(?:号|弄)"
_EN_STREET_PRE = rf"\d{{1,5}} (?:[A-Z][a-z]+ ){{1,3}}{_EN_STREET}"


def scan_texts(texts: list[str]) -> list[list[Finding]]:
    """``scan_text`` over many texts at once: Polars' regex engine picks, per text, the finders worth running.

    Each prefilter accepts every text its finder can match in (boundaries consumed rather than looked
    around, check digits left to Python), so it never hides a finding.
    """
    import numpy as np
    import polars as pl

    if not texts:
        return []
    frame = pl.DataFrame({"t": pl.Series(texts, dtype=pl.String)})
    t = pl.col("t")

    def any_of(words: Iterable[str]) -> pl.Expr:
        return t.str.contains_any(list(words), ascii_case_insensitive=True)

    recognizer_tests = [
        (t.str.contains(r.text_prefilter) & any_of(r.context)) if r.needs_context else t.str.contains(r.text_prefilter)
        for r in RECOGNIZERS
    ]
    extra_tests = {
        "cn_names": any_of((*_BEFORE, *_AFTER)),
        "en_names": t.str.contains(r"[A-Z][a-z]+\.? [A-Z]"),
        "cn_addresses": t.str.contains(_ROAD_NUMBER),
        "en_addresses": t.str.contains(_EN_STREET_PRE),
        "keywords": any_of(w for ws in lx.SENSITIVE_KEYWORDS.values() for w in ws),
    }
    # One select: Polars evaluates the expressions in parallel.
    tested = frame.select(
        *(e.fill_null(False).alias(f"r{i}") for i, e in enumerate(recognizer_tests)),
        *(e.fill_null(False).alias(name) for name, e in extra_tests.items()),
    )
    rec_masks = tested.select(f"r{i}" for i in range(len(RECOGNIZERS))).to_numpy()
    extra = {name: tested[name].to_numpy() for name in extra_tests}
    finders = {
        "cn_names": cn_names,
        "en_names": en_names,
        "cn_addresses": cn_addresses,
        "en_addresses": en_addresses,
        "keywords": keywords,
    }
    rows, cols = np.nonzero(rec_masks)
    active_by_row: list[list[Recognizer]] = [[] for _ in texts]
    for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
        active_by_row[row].append(RECOGNIZERS[col])
    extra_rows = {name: np.flatnonzero(m).tolist() for name, m in extra.items()}
    extra_by_row: list[list[str]] = [[] for _ in texts]
    for name, idx in extra_rows.items():
        for i in idx:
            extra_by_row[i].append(name)
    out = []
    for i, text in enumerate(texts):
        active = active_by_row[i]
        found = _regex_findings(text, active) if active else []
        for name in extra_by_row[i]:
            found += finders[name](text)
        out.append(resolve_overlaps(found) if len(found) > 1 else found)
    return out


def scan_text(text: str, *, entities: frozenset[str] | None = None) -> list[Finding]:
    """Every sensitive value in ``text`` (optionally only of some entity types), without overlaps."""
    found = _regex_findings(text, RECOGNIZERS)
    found += cn_names(text) + en_names(text) + cn_addresses(text) + en_addresses(text) + keywords(text)
    if entities is not None:
        found = [f for f in found if f.entity in entities]
    return resolve_overlaps(found)
