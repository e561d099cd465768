"""Data-security benchmark: Gongzhi's scanner vs Microsoft Presidio on the same seeded, labelled data.

    .venv/bin/pip install -e '.[ml,bench]'
    .venv/bin/python benchmarks/datasec.py                 # 200k x 24 CSV, texts, Presidio anchor
    .venv/bin/python benchmarks/datasec.py --big 5         # also: peak memory scanning a ~5 GB CSV

Presidio is configured as a user without downloadable models would: the analyzer with a spaCy *blank*
pipeline (``blank:en``, so no NER), its built-in pattern recognizers, and pattern recognizers with
context words added for the Chinese types. Throughput of Presidio is measured on a row sample
(it is ~1000x slower), accuracy of both on the same sample. Results print as Markdown.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl

from gongzhi.datasec import engine, synth
from gongzhi.datasec.profiles import grading_profile
from gongzhi.datasec.recognizers import RECOGNIZERS
from gongzhi.datasec.tables import TableScan, validated
from gongzhi.datasec.text import scan_texts

DATA = Path(os.environ.get("GONGZHI_BENCH_DIR", "/tmp/gongzhi-bench"))
PRESIDIO_MAP = {
    "EMAIL_ADDRESS": "EMAIL", "PHONE_NUMBER": "US_PHONE", "CREDIT_CARD": "CREDIT_CARD", "IBAN_CODE": "IBAN",
    "IP_ADDRESS": "IPV4", "US_SSN": "US_SSN", "DATE_TIME": "DATE_OF_BIRTH", "PERSON": "PERSON_NAME",
    "LOCATION": "ADDRESS", "URL": "URL", "US_PASSPORT": "PASSPORT",
}  # fmt: skip


def make_csv(rows: int, seed: int) -> tuple[Path, dict[str, str | None]]:
    path = DATA / f"table-{rows}-{seed}.csv"
    _data, labels = synth.table(1, seed=seed)
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        data, labels = synth.table(rows, seed=seed)
        pl.DataFrame(data).write_csv(path)
    return path, labels


def presidio_analyzer() -> Any:
    from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    class BlankSpacyEngine(SpacyNlpEngine):  # type: ignore[misc]
        """spaCy's blank English pipeline (tokenizer only): nothing to download, no NER."""

        def _download_spacy_model_if_needed(self, model_name: str) -> None:
            return None

    nlp = BlankSpacyEngine(models=[{"lang_code": "en", "model_name": "blank:en"}])
    nlp.load()
    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(nlp_engine=nlp)
    custom = {
        "CN_RESIDENT_ID": (
            r"\b[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]\b",
            ["身份证", "证件号"],
        ),
        "CN_MOBILE": (r"(?<!\d)1[3-9]\d{9}(?!\d)", ["手机", "电话", "mobile"]),
        "BANK_CARD": (r"(?<!\d)62\d{14,17}(?!\d)", ["银行卡", "卡号"]),
        "CN_USCC": (r"\b[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\b", ["信用代码"]),
        "CN_PLATE": (
            r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][A-HJ-NP-Z0-9]{5,6}",
            ["车牌"],
        ),
        "PASSPORT": (r"\b[EG]\d{8}\b", ["护照", "passport"]),
        "MAC_ADDRESS": (r"\b[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}\b", ["MAC"]),
        "IMEI": (r"(?<!\d)\d{15}(?!\d)", ["IMEI"]),
    }
    for entity, (regex, context) in custom.items():
        registry.add_recognizer(
            PatternRecognizer(supported_entity=entity, patterns=[Pattern(entity, regex, 0.6)], context=context)
        )
    return AnalyzerEngine(nlp_engine=nlp, registry=registry, supported_languages=["en"])


def presidio_best(analyzer: Any, value: str) -> list[tuple[int, int, str]]:
    results = analyzer.analyze(text=value, language="en")
    return [(r.start, r.end, PRESIDIO_MAP.get(r.entity_type, r.entity_type)) for r in results]


def prf(tp: Counter[str], fp: Counter[str], fn: Counter[str], entity: str) -> tuple[float, float, float]:
    p = tp[entity] / (tp[entity] + fp[entity]) if tp[entity] + fp[entity] else 0.0
    r = tp[entity] / (tp[entity] + fn[entity]) if tp[entity] + fn[entity] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def our_cell_predictions(df: pl.DataFrame) -> dict[str, list[str | None]]:
    """Per cell: the column's detected type when the cell itself is of that type, else None."""
    scan = TableScan()
    scan.add(df)
    out: dict[str, list[str | None]] = {}
    from gongzhi.datasec.tables import _lexical  # the column rules of the lexical types

    for finding in scan.findings():
        values = df.get_column(finding.name).cast(pl.String).fill_null("").str.strip_chars()
        entity = finding.entity_type
        if entity is None:
            out[finding.name] = [None] * df.height
            continue
        recs = [r for r in RECOGNIZERS if r.entity == entity]
        if recs:
            ok = None
            for r in recs:
                v = values.str.replace_all(r.strip, "") if r.strip else values
                m = validated(r, v)
                ok = m if ok is None else ok | m
        else:
            ok = _lexical(entity, values)
        assert ok is not None
        out[finding.name] = [entity if bool(x) else None for x in ok]
    return out


def table_accuracy(preds: dict[str, list[str | None]], labels: dict[str, str | None]) -> tuple[Counter[str], ...]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for column, cells in preds.items():
        truth = labels[column]
        for got in cells:
            if got is not None and got == truth:
                tp[got] += 1
            else:
                if got is not None:
                    fp[got] += 1
                if truth is not None:
                    fn[truth] += 1
    return tp, fp, fn


def bench_tables(rows: int, presidio_rows: int, repeats: int) -> dict[str, Any]:
    path, labels = make_csv(rows, seed=7)
    profile_id, body = grading_profile(None)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        report = engine.scan_location(str(path), body=body, profile_id=profile_id)
        times.append(time.perf_counter() - start)
    cells = rows * len(labels)
    ours_cps = cells / statistics.median(times)
    typed = {c["name"]: c["entity_type"] for c in report["columns"]}
    sample = pl.read_csv(path, infer_schema=False, n_rows=presidio_rows)
    ours = table_accuracy(our_cell_predictions(sample), labels)
    analyzer = presidio_analyzer()
    start = time.perf_counter()
    presidio_preds: dict[str, list[str | None]] = {}
    for column in sample.columns:
        cells_out: list[str | None] = []
        for value in sample.get_column(column).to_list():
            found = presidio_best(analyzer, value or "")
            whole = [e for s, e_, e in [(s, e_, e) for s, e_, e in found] if s == 0 and e_ == len(value or "")]
            cells_out.append(whole[0] if whole else (found[0][2] if found else None))
        presidio_preds[column] = cells_out
    presidio_seconds = time.perf_counter() - start
    presidio_cps = presidio_rows * len(labels) / presidio_seconds
    theirs = table_accuracy(presidio_preds, labels)
    return {
        "rows": rows,
        "columns": len(labels),
        "file_mb": path.stat().st_size / 1e6,
        "times": times,
        "ours_cells_per_s": ours_cps,
        "presidio_cells_per_s": presidio_cps,
        "ratio": ours_cps / presidio_cps,
        "typed_ok": sum(typed[c] == labels[c] for c in labels),
        "ours": ours,
        "theirs": theirs,
        "presidio_rows": presidio_rows,
    }


def bench_texts(n: int, presidio_n: int, repeats: int) -> dict[str, Any]:
    docs = synth.texts(n, seed=21)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        found = scan_texts([d["text"] for d in docs])
        times.append(time.perf_counter() - start)
    ours_rps = n / statistics.median(times)
    analyzer = presidio_analyzer()
    start = time.perf_counter()
    theirs_found = [presidio_best(analyzer, d["text"]) for d in docs[:presidio_n]]
    presidio_rps = presidio_n / (time.perf_counter() - start)

    def score(predicted: list[set[tuple[int, int, str]]], subset: list[dict[str, Any]]) -> tuple[Counter[str], ...]:
        tp: Counter[str] = Counter()
        fp: Counter[str] = Counter()
        fn: Counter[str] = Counter()
        for got, doc in zip(predicted, subset, strict=True):
            truth = {tuple(s) for s in doc["spans"]}
            for item in got & truth:
                tp[item[2]] += 1
            for item in got - truth:
                fp[item[2]] += 1
            for item in truth - got:
                fn[item[2]] += 1
        return tp, fp, fn

    ours = score([{(f.start, f.end, f.entity) for f in fs} for fs in found[:presidio_n]], docs[:presidio_n])
    theirs = score([set(fs) for fs in theirs_found], docs[:presidio_n])
    return {
        "texts": n,
        "ours_records_per_s": ours_rps,
        "presidio_records_per_s": presidio_rps,
        "ratio": ours_rps / presidio_rps,
        "ours": ours,
        "theirs": theirs,
        "presidio_texts": presidio_n,
    }


def big_memory(gigabytes: float) -> dict[str, Any]:
    """Peak RSS of `gongzhi scan` on a CSV of about ``gigabytes`` GB (the 80 MB table repeated)."""
    path, _labels = make_csv(200_000, seed=7)
    big = DATA / f"big-{gigabytes}g.csv"
    if not big.exists():
        body = path.read_bytes().split(b"\n", 1)[1]
        with big.open("wb") as f:
            f.write(path.read_bytes().split(b"\n", 1)[0] + b"\n")
            while f.tell() < gigabytes * 1e9:
                f.write(body)
    out = DATA / "big.json"
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, "-m", "gongzhi", "scan", str(big), "--json", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - start
    rss_kb = int(next(line.split()[-1] for line in proc.stderr.splitlines() if "Maximum resident" in line))
    rows = json.loads(out.read_text(encoding="utf-8"))["tables"][0]["rows_scanned"]
    return {
        "bytes": big.stat().st_size,
        "peak_rss_mib": rss_kb / 1024,
        "seconds": seconds,
        "rows": rows,
        "cells_per_s": rows * 24 / seconds,
    }


def table_md(title: str, ours: tuple[Counter[str], ...], theirs: tuple[Counter[str], ...]) -> str:
    entities = sorted(set(ours[0]) | set(ours[2]) | set(theirs[0]) | set(theirs[2]))
    lines = [
        f"\n{title}\n",
        "| entity type | Gongzhi P | R | F1 | Presidio P | R | F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for e in entities:
        a, b = prf(*ours, e), prf(*theirs, e)
        lines.append(f"| {e} | {a[0]:.3f} | {a[1]:.3f} | {a[2]:.3f} | {b[0]:.3f} | {b[1]:.3f} | {b[2]:.3f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--presidio-rows", type=int, default=300)
    parser.add_argument("--texts", type=int, default=20000)
    parser.add_argument("--presidio-texts", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--big", type=float, default=0.0, help="also scan a CSV of this many GB for peak memory")
    args = parser.parse_args()
    t = bench_tables(args.rows, args.presidio_rows, args.repeats)
    x = bench_texts(args.texts, args.presidio_texts, args.repeats)
    print(f"## Tables: {t['rows']} rows x {t['columns']} columns ({t['file_mb']:.0f} MB CSV), reading included")
    print(
        f"- Gongzhi: median {statistics.median(t['times']):.2f} s of {[round(s, 2) for s in t['times']]} "
        f"= **{t['ours_cells_per_s']:,.0f} cells/s**; columns typed right: {t['typed_ok']}/{t['columns']}"
    )
    print(f"- Presidio (first {t['presidio_rows']} rows, cell by cell): {t['presidio_cells_per_s']:,.0f} cells/s")
    print(f"- ratio: **{t['ratio']:,.0f}x**")
    print(table_md(f"Cell-level accuracy on the first {t['presidio_rows']} rows:", t["ours"], t["theirs"]))
    print(f"\n## Free text: {x['texts']} short zh/en records")
    print(
        f"- Gongzhi: **{x['ours_records_per_s']:,.0f} records/s**; Presidio: {x['presidio_records_per_s']:,.1f} "
        f"records/s (first {x['presidio_texts']}); ratio **{x['ratio']:,.0f}x**"
    )
    print(table_md(f"Exact-span accuracy on the first {x['presidio_texts']} records:", x["ours"], x["theirs"]))
    if args.big:
        m = big_memory(args.big)
        print(f"\n## Peak memory: {m['bytes'] / 1e9:.2f} GB CSV, {m['rows']:,} rows")
        print(
            f"- `gongzhi scan`: peak RSS **{m['peak_rss_mib']:,.0f} MiB**, {m['seconds']:.0f} s "
            f"({m['cells_per_s']:,.0f} cells/s)"
        )
    print(f"\n(benchmark process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB)")
    _ = csv  # the CSV module is used by polars' writer only; kept for readers of this script


if __name__ == "__main__":
    main()
