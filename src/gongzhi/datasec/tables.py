"""Column scanning: which entity type each column of a table holds, vectorised over Polars/Arrow columns.

Per batch and column, a small sample picks the candidate recognizers (plus the column's name as
evidence); each candidate then runs over *every* cell with Polars' regex engine and numpy check digits.
Counts add up across batches (and across Ray workers: :meth:`TableScan.merge`), so memory depends on
the batch size only.

>>> import polars as pl
>>> df = pl.DataFrame({"phone": ["13812345678", "13912345678"], "note": ["hello", "world"]})
>>> [(c.name, c.entity_type) for c in scan_table(df)]
[('phone', 'CN_MOBILE'), ('note', None)]
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa

from gongzhi.datasec import lexicons as lx
from gongzhi.datasec import masking
from gongzhi.datasec.checks import Bools
from gongzhi.datasec.recognizers import RECOGNIZERS, Recognizer
from gongzhi.datasec.text import CN_ADDRESS_CORE, CN_NAME_CORE, EN_ADDRESS_CORE, scan_text

SAMPLE_SIZE = 200
MAX_EXAMPLES = 3
#: Entity types found by lexicons and context rather than a regex recognizer, with their column rules.
LEXICAL_MIN_SHARE = {"PERSON_NAME": 0.8, "ADDRESS": 0.6, "SENSITIVE": 0.3}
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "PERSON_NAME": ("姓名", "名字", "联系人", "客户名", "患者姓名", "name", "full_name", "fullname", "first_name",
                    "last_name", "surname", "xm", "持卡人"),
    "ADDRESS": ("地址", "住址", "家庭住址", "通讯地址", "户籍", "address", "addr", "street"),
    "GPS_COORDINATES": ("经纬度", "坐标", "gps", "location", "coordinates", "latlng", "lat_lng"),
    "SENSITIVE_HEALTH": ("诊断", "病情", "病史", "疾病", "病历", "过敏", "diagnosis", "disease", "medical", "health"),
    "SENSITIVE_RELIGION": ("宗教", "信仰", "religion", "faith"),
    "SENSITIVE_BIOMETRIC": ("指纹", "虹膜", "人脸", "声纹", "基因", "fingerprint", "face", "iris", "biometric", "dna"),
    "SENSITIVE_FINANCE": ("余额", "存款", "收入", "工资", "薪资", "征信", "贷款", "欠款", "balance", "salary", "income",
                          "credit_score", "loan", "debt"),
}  # fmt: skip


def header_tokens(name: str) -> tuple[str, set[str]]:
    """A column name lower-cased, and its ASCII tokens (``phone_no`` -> {phone, no})."""
    low = name.strip().lower()
    return low, set(re.split(r"[^a-z0-9]+", low)) - {""}


def header_matches(name: str, words: tuple[str, ...]) -> bool:
    """True when a column name carries one of ``words`` (whole ASCII tokens; any Chinese substring)."""
    low, tokens = header_tokens(name)
    for w in words:
        wl = w.lower()
        if wl.isascii():
            if wl in tokens or ("_" in wl or " " in wl) and wl in low or (len(wl) >= 5 and wl.replace(" ", "") in low):
                return True
        elif wl in low:
            return True
    return False


def entity_header_words(entity: str) -> tuple[str, ...]:
    words = list(HEADER_WORDS.get(entity, ()))
    for rec in RECOGNIZERS:
        if rec.entity == entity:
            words += rec.context
    return tuple(words)


@dataclass
class ColumnFinding:
    """What one column holds: its dominant entity type and the share of non-empty cells that are of it."""

    name: str
    entity_type: str | None
    share: float
    confidence: float
    rows: int
    non_empty: int
    entities: list[dict[str, Any]] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    recognizers: list[str] = field(default_factory=list)
    header_evidence: bool = False
    #: The entity type was found inside longer text, not as whole cells (mask such a column by redaction).
    free_text: bool = False
    category: str | None = None
    level: str | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "entity_type": self.entity_type, "share": round(self.share, 4),
            "category": self.category, "level": self.level, "confidence": round(self.confidence, 3),
            "reason": self.reason, "rows": self.rows, "non_empty": self.non_empty, "entities": self.entities,
            "examples": self.examples, "recognizers": self.recognizers, "header_evidence": self.header_evidence,
            "free_text": self.free_text,
        }  # fmt: skip


@dataclass
class _ColumnCounts:
    rows: int = 0
    non_empty: int = 0
    hits: dict[str, int] = field(default_factory=dict)
    recognizers: dict[str, set[str]] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    inside: set[str] = field(default_factory=set)
    #: (values seen when decided, candidate recognizers, entity types inside values, lexical types seen)
    plan: tuple[int, list[Recognizer], set[str], set[str]] | None = None

    def merge(self, other: _ColumnCounts) -> None:
        self.rows += other.rows
        self.non_empty += other.non_empty
        self.inside |= other.inside
        for entity, count in other.hits.items():
            self.hits[entity] = self.hits.get(entity, 0) + count
            self.recognizers.setdefault(entity, set()).update(other.recognizers.get(entity, set()))
            have = self.examples.setdefault(entity, [])
            have += [e for e in other.examples.get(entity, []) if e not in have][: MAX_EXAMPLES - len(have)]


# ------------------------------------------------------------------------------------- vectorised checks


def codes_of(values: pl.Series, width: int) -> np.ndarray[Any, np.dtype[np.uint8]]:
    """An (n, width) uint8 matrix of the ASCII values (every value has ``width`` bytes)."""
    arr = values.rechunk().to_arrow()
    if not isinstance(arr, pa.LargeStringArray):
        arr = arr.cast(pa.large_string())
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)
    return data[offsets[0] : offsets[-1]].reshape(len(arr), width)


def validated(rec: Recognizer, values: pl.Series) -> Bools:
    """For cells that match ``rec`` whole: does each pass its checks? (Boolean array over ``values``.)"""
    n = len(values)
    matched = values.str.contains(rec.cell_pattern).fill_null(False).to_numpy()
    if not matched.any():
        return np.zeros(n, dtype=np.bool_)
    idx = np.flatnonzero(matched)
    sub = values.gather(idx)
    ok = np.zeros(len(idx), dtype=np.bool_)
    if rec.validate_series is not None:
        ok = rec.validate_series(sub)
    elif rec.validate_codes is not None:
        lengths = sub.str.len_bytes().to_numpy()
        for width in np.unique(lengths):
            if rec.width is not None and width != rec.width:
                continue
            pos = np.flatnonzero(lengths == width)
            ok[pos] = rec.validate_codes(codes_of(sub.gather(pos), int(width)))
        rest = np.flatnonzero(~ok & ((lengths != rec.width) if rec.width is not None else np.zeros(len(ok), bool)))
        if rec.validate is not None and len(rest):
            ok[rest] = [rec.validate(v) for v in sub.gather(rest).to_list()]
    elif rec.validate is not None:
        ok = np.fromiter((rec.validate(v) for v in sub.to_list()), dtype=np.bool_, count=len(idx))
    else:
        ok[:] = True
    out = np.zeros(n, dtype=np.bool_)
    out[idx] = ok
    return out


_CN_NAME_CELL = f"^(?:{CN_NAME_CORE})$"
_EN_NAME_CELL = r"^[A-Z][a-z]+(?: [A-Z]\.)? (?:O'|Mc|Mac)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?$"
_EN_GIVEN = pl.Series(sorted(lx.EN_GIVEN_NAMES))
_ADDRESS_CELL = f"^(?:{CN_ADDRESS_CORE}|{EN_ADDRESS_CORE})$"
_KEYWORDS = {
    entity: "(?i)" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    for entity, words in lx.SENSITIVE_KEYWORDS.items()
}


def _lexical(entity: str, values: pl.Series) -> Bools:
    if entity == "PERSON_NAME":
        cn = values.str.contains(_CN_NAME_CELL).fill_null(False)
        en = values.str.contains(_EN_NAME_CELL).fill_null(False) & values.str.split(" ").list.first().is_in(
            _EN_GIVEN.implode()
        )
        return (cn | en).fill_null(False).to_numpy()
    if entity == "ADDRESS":
        return values.str.contains(_ADDRESS_CELL).fill_null(False).to_numpy()
    return values.str.contains(_KEYWORDS[entity]).fill_null(False).to_numpy()


# ------------------------------------------------------------------------------------------- the scan


class TableScan:
    """Counts per column over any number of batches; :meth:`findings` decides each column's type."""

    def __init__(self) -> None:
        self.columns: dict[str, _ColumnCounts] = {}

    def add(self, batch: pl.DataFrame | pa.Table | pa.RecordBatch) -> None:
        """Scan one batch (every cell of it)."""
        df = batch if isinstance(batch, pl.DataFrame) else pl.from_arrow(batch)
        assert isinstance(df, pl.DataFrame)
        jobs = [(name, self.columns.setdefault(name, _ColumnCounts())) for name in df.columns]
        # Polars and numpy release the GIL, so columns scanned side by side use every core.
        with ThreadPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1) or 1) as pool:
            list(pool.map(lambda job: _scan_column(job[0], df.get_column(job[0]), job[1]), jobs))

    def merge(self, other: TableScan) -> None:
        """Add another scan's counts (the same table, other batches)."""
        for name, counts in other.columns.items():
            self.columns.setdefault(name, _ColumnCounts()).merge(counts)

    def findings(self) -> list[ColumnFinding]:
        """One finding per column, in the table's column order."""
        return [_decide(name, counts) for name, counts in self.columns.items()]


def _as_text(series: pl.Series) -> pl.Series | None:
    dtype = series.dtype
    if dtype == pl.String:
        return series
    if dtype.is_integer():
        return series.cast(pl.String)
    if dtype in (pl.Date, pl.Datetime) or dtype.is_float() or dtype == pl.Boolean:
        return series.cast(pl.String)
    if dtype == pl.Categorical or dtype == pl.Enum:
        return series.cast(pl.String)
    return None  # nested and binary columns are not scanned cell by cell


def _scan_column(name: str, series: pl.Series, counts: _ColumnCounts) -> None:
    counts.rows += len(series)
    text = _as_text(series)
    if text is None:
        return
    values = text.drop_nulls().str.strip_chars()
    values = values.filter(values.str.len_bytes() > 0)
    n = len(values)
    counts.non_empty += n
    if n == 0:
        return
    step = max(1, n // SAMPLE_SIZE)
    sample = values.gather_every(step).head(SAMPLE_SIZE)
    if counts.plan is None or counts.plan[0] < SAMPLE_SIZE:
        # Which finders are worth running on this column: decided on a sample of the first batch
        # that has enough values, and kept for the next batches (a scan reads the column's type once).
        counts.plan = (n, *_plan(name, sample.to_list()))
    _n, candidates, text_entities, lexical_hint = counts.plan
    entity_hits: dict[str, Bools] = {}
    for rec in candidates:
        stripped = values.str.replace_all(rec.strip, "") if rec.strip else values
        ok = validated(rec, stripped)
        hits = int(ok.sum())
        if hits:
            prev = entity_hits.get(rec.entity)
            entity_hits[rec.entity] = ok if prev is None else (prev | ok)
            examples = values.gather(np.flatnonzero(ok)[:MAX_EXAMPLES]).to_list()
            counts.recognizers.setdefault(rec.entity, set()).add(rec.id)
            _add_examples(counts, rec.entity, examples)
    for entity, ok in entity_hits.items():
        counts.hits[entity] = counts.hits.get(entity, 0) + int(ok.sum())
    lexical = ["PERSON_NAME", "ADDRESS", *lx.SENSITIVE_KEYWORDS]
    for entity in lexical:
        by_header = header_matches(name, HEADER_WORDS.get(entity, ()))
        if not by_header and entity not in text_entities and entity not in lexical_hint:
            continue
        ok = _lexical(entity, values)
        if entity.startswith("SENSITIVE") and by_header:
            ok = np.ones(n, dtype=np.bool_)  # the column's name says what every value is
        hits = int(ok.sum())
        if hits:
            counts.hits[entity] = counts.hits.get(entity, 0) + hits
            counts.recognizers.setdefault(entity, set()).add(f"gongzhi.datasec.{entity.lower()}_column@1")
            _add_examples(counts, entity, values.gather(np.flatnonzero(ok)[:MAX_EXAMPLES]).to_list())
    # Values that merely contain a recognizer's match (free-text columns): count cells with a valid one.
    for entity in text_entities - set(entity_hits) - set(lexical):
        recs = [r for r in RECOGNIZERS if r.entity == entity]
        contains = "|".join(f"(?:{r.core})" for r in recs)
        pre = values.str.contains(contains).fill_null(False).to_numpy()
        idx = np.flatnonzero(pre)
        if not len(idx):
            continue
        cells = values.gather(idx).to_list()
        ok_cells = [c for c in cells if any(f.entity == entity for f in scan_text(c, entities=frozenset([entity])))]
        if ok_cells:
            counts.inside.add(entity)
            counts.hits[entity] = counts.hits.get(entity, 0) + len(ok_cells)
            counts.recognizers.setdefault(entity, set()).update(r.id for r in recs)
            _add_text_examples(counts, entity, ok_cells[:MAX_EXAMPLES])


def _sample_lexical(entity: str, sample: pl.Series) -> bool:
    return bool(_lexical(entity, sample).any())


def _plan(name: str, sample_list: list[str]) -> tuple[list[Recognizer], set[str], set[str]]:
    """Candidate recognizers, entity types found inside longer values, and lexical types seen in a sample."""
    candidates: list[Recognizer] = []
    for rec in RECOGNIZERS:
        if header_matches(name, rec.context) or any(
            rec.text_regex.fullmatch(re.sub(rec.strip, "", v) if rec.strip else v) for v in sample_list
        ):
            candidates.append(rec)
    text_entities: set[str] = set()
    long_values = [v for v in sample_list if len(v) >= 6]
    for v in long_values[:60]:
        for f in scan_text(v):
            if f.end - f.start < len(v):
                text_entities.add(f.entity)
    sample = pl.Series(sample_list, dtype=pl.String)
    lexical_hint = {e for e in ("PERSON_NAME", "ADDRESS", *lx.SENSITIVE_KEYWORDS) if _sample_lexical(e, sample)}
    return candidates, text_entities, lexical_hint


def _add_examples(counts: _ColumnCounts, entity: str, values: list[str]) -> None:
    have = counts.examples.setdefault(entity, [])
    for value in values:
        if len(have) >= MAX_EXAMPLES:
            return
        masked = masking.example(entity, value)
        if masked not in have:
            have.append(masked)


def _add_text_examples(counts: _ColumnCounts, entity: str, cells: list[str]) -> None:
    """Examples from free text: the cell with every finding masked."""
    have = counts.examples.setdefault(entity, [])
    for cell in cells:
        if len(have) >= MAX_EXAMPLES:
            return
        have.append(redact(cell)[:120])


def redact(text: str, strategy: str = "partial", key: bytes = b"") -> str:
    """``text`` with every finding replaced by its masked form."""
    out, last = [], 0
    for f in scan_text(text):
        out.append(text[last : f.start])
        out.append(masking.apply(strategy, f.entity, text[f.start : f.end], key))
        last = f.end
    out.append(text[last:])
    return "".join(out)


def _min_share(entity: str) -> float:
    if entity.startswith("SENSITIVE"):
        return LEXICAL_MIN_SHARE["SENSITIVE"]
    if entity in LEXICAL_MIN_SHARE:
        return LEXICAL_MIN_SHARE[entity]
    return min(r.min_share for r in RECOGNIZERS if r.entity == entity)


def _needs_header(entity: str) -> bool:
    recs = [r for r in RECOGNIZERS if r.entity == entity]
    return bool(recs) and all(r.needs_header for r in recs)


def _base_score(entity: str) -> tuple[float, bool]:
    recs = [r for r in RECOGNIZERS if r.entity == entity]
    if not recs:
        return 0.75, False
    return max(r.score for r in recs), any(r.checksum for r in recs)


def _decide(name: str, counts: _ColumnCounts) -> ColumnFinding:
    entities: list[dict[str, Any]] = []
    best: tuple[float, str] | None = None
    best_header = False
    for entity, hits in sorted(counts.hits.items()):
        share = hits / counts.non_empty if counts.non_empty else 0.0
        entities.append({"entity_type": entity, "share": round(share, 4), "count": hits})
        header = header_matches(name, entity_header_words(entity))
        threshold = _min_share(entity) * (0.5 if header else 1.0)
        if _needs_header(entity) and not header:
            continue
        if share >= threshold and (best is None or share > best[0]):
            best, best_header = (share, entity), header
    finding = ColumnFinding(
        name=name,
        entity_type=None,
        share=0.0,
        confidence=0.0,
        rows=counts.rows,
        non_empty=counts.non_empty,
        entities=entities,
    )
    if best is None:
        finding.confidence = 1.0 - max((e["share"] for e in entities), default=0.0)
        return finding
    share, entity = best
    score, checksum = _base_score(entity)
    confidence = score * (0.6 + 0.4 * share) + (0.1 if best_header else 0.0) + (0.05 if checksum and share > 0.9 else 0)
    finding.entity_type, finding.share = entity, share
    finding.confidence = min(0.99, confidence)
    finding.examples = counts.examples.get(entity, [])
    finding.recognizers = sorted(counts.recognizers.get(entity, set()))
    finding.header_evidence = best_header
    finding.free_text = entity in counts.inside
    return finding


def scan_table(table: pl.DataFrame | pa.Table) -> list[ColumnFinding]:
    """Per-column findings for a whole table (Polars or Arrow). The assessment engine's privacy test uses this.

    >>> import pyarrow as pa
    >>> scan_table(pa.table({"email": ["a@b.cn", "c@d.com"]}))[0].entity_type
    'EMAIL'
    """
    scan = TableScan()
    scan.add(table)
    return scan.findings()
