"""De-identified copies, written as a stream: read a batch, mask its columns, write it, forget it.

A masking policy says, per column or per entity type, which strategy to use (``partial``,
``pseudonym``, ``fake``, ``generalise``, ``suppress``, ``keep``, or ``redact`` for free text);
columns it does not name get their detected entity type's default. Entity types come from a scan of
a sample of the input (or from a given scan report).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa

from gongzhi.datasec import anonymity, masking, sources
from gongzhi.datasec.tables import TableScan, redact

STRATEGIES = (*masking.STRATEGIES, "redact")


class PolicyError(ValueError):
    """A masking policy that cannot be used."""


@dataclass
class MaskPolicy:
    """Which strategy for which column; k-anonymity targets to check on the output."""

    columns: dict[str, str] = field(default_factory=dict)
    entities: dict[str, str] = field(default_factory=dict)
    default: str = "auto"  # auto = the detected entity type's default; text columns are redacted
    quasi_identifiers: list[str] = field(default_factory=list)
    sensitive: str | None = None
    k: int = 5
    l: int = 2  # noqa: E741

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MaskPolicy:
        allowed = {"columns", "entities", "default", "quasi_identifiers", "sensitive", "k", "l"}
        unknown = set(data) - allowed
        if unknown:
            raise PolicyError(f"unknown policy keys: {sorted(unknown)} (allowed: {sorted(allowed)})")
        policy = cls(
            columns={str(k): str(v) for k, v in (data.get("columns") or {}).items()},
            entities={str(k): str(v) for k, v in (data.get("entities") or {}).items()},
            default=str(data.get("default", "auto")),
            quasi_identifiers=[str(q) for q in data.get("quasi_identifiers") or []],
            sensitive=data.get("sensitive"),
            k=int(data.get("k", 5)),
            l=int(data.get("l", 2)),
        )
        for strategy in [*policy.columns.values(), *policy.entities.values()]:
            if strategy not in STRATEGIES:
                raise PolicyError(f"unknown strategy {strategy!r} (known: {', '.join(STRATEGIES)})")
        if policy.default not in (*STRATEGIES, "auto"):
            raise PolicyError(f"unknown default strategy {policy.default!r}")
        return policy

    @classmethod
    def load(cls, spec: str) -> MaskPolicy:
        """``default`` (built in), a YAML/JSON file, or inline JSON."""
        if spec in ("default", "auto"):
            return cls()
        path = Path(spec)
        if path.is_file():
            import yaml

            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                raise PolicyError(f"{path}: not readable YAML/JSON: {exc}") from None
        else:
            try:
                data = json.loads(spec)
            except json.JSONDecodeError:
                raise PolicyError(f"no policy file {spec} (and not inline JSON)") from None
        if not isinstance(data, dict):
            raise PolicyError("a masking policy is a mapping")
        return cls.from_dict(data)

    def as_dict(self) -> dict[str, Any]:
        return {
            "columns": self.columns,
            "entities": self.entities,
            "default": self.default,
            "quasi_identifiers": self.quasi_identifiers,
            "sensitive": self.sensitive,
            "k": self.k,
            "l": self.l,
        }


def plan(
    policy: MaskPolicy, detected: dict[str, str | None], text_columns: set[str]
) -> dict[str, tuple[str, str | None]]:
    """Column -> (strategy, entity type) for every column."""
    out: dict[str, tuple[str, str | None]] = {}
    for column, entity in detected.items():
        if column in policy.columns:
            strategy = policy.columns[column]
        elif column in text_columns and policy.default in ("auto", "partial"):
            strategy = "redact"
        elif entity is not None and entity in policy.entities:
            strategy = policy.entities[entity]
        elif policy.default != "auto" and (entity is not None or column in text_columns):
            strategy = policy.default
        elif entity is not None:
            strategy = masking.default_strategy(entity)
        elif column in text_columns:
            strategy = "redact"
        else:
            strategy = "keep"
        out[column] = (strategy, entity)
    return out


def mask_column(values: pl.Series, strategy: str, entity: str | None, key: bytes) -> pl.Series:
    """One column masked (each distinct value is masked once per batch)."""
    if strategy == "keep":
        return values
    text = values.cast(pl.String)
    if strategy == "suppress":
        return pl.Series(values.name, [None] * len(values), dtype=pl.String)
    uniques = text.drop_nulls().unique().to_list()
    if strategy == "redact":
        mapping = {u: redact(u, "partial", key) for u in uniques}
    else:
        mapping = {u: masking.apply(strategy, entity, u, key) for u in uniques}
    return text.replace_strict(mapping, default=None, return_dtype=pl.String) if mapping else text


def detect(part: sources.TablePart, sample_rows: int = 5000) -> tuple[dict[str, str | None], set[str]]:
    """Entity type per column from a sample of the first batches, and which columns hold free text."""
    scan = TableScan()
    seen = 0
    for batch in part.batches():
        scan.add(batch.head(sample_rows - seen))
        seen += min(batch.height, sample_rows - seen)
        if seen >= sample_rows:
            break
    findings = scan.findings()
    detected = {f.name: f.entity_type for f in findings}
    text_columns = {f.name for f in findings if f.free_text or (f.entity_type is None and f.entities)}
    return detected, text_columns


class _Writer:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.writer: Any = None
        self.kind = "parquet" if out.suffix.lower() in (".parquet", ".pq") else "csv"

    def write(self, df: pl.DataFrame) -> None:
        table = df.to_arrow()
        if self.writer is None:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            if self.kind == "parquet":
                import pyarrow.parquet as pq

                self.writer = pq.ParquetWriter(self.out, table.schema)
            else:
                import pyarrow.csv as pacsv

                self.writer = pacsv.CSVWriter(self.out, table.schema)
        self.writer.write_table(table.cast(self.writer.schema) if self.kind == "parquet" else table)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        elif self.kind == "csv":
            self.out.write_text("", encoding="utf-8")


def mask_part(
    part: sources.TablePart,
    out: Path,
    policy: MaskPolicy,
    key: bytes,
    progress: Callable[[float], None] | None = None,
    detected: tuple[dict[str, str | None], set[str]] | None = None,
) -> dict[str, Any]:
    """Write a de-identified copy of one table part; returns what was done (no values)."""
    columns, text_columns = detected or detect(part)
    missing = [c for c in policy.columns if c not in columns]
    if missing:
        raise PolicyError(f"the policy names columns that {part.name} does not have: {missing}")
    the_plan = plan(policy, columns, text_columns)
    writer = _Writer(out)
    counts: pl.DataFrame | None = None
    rows = 0
    done_bytes = 0.0
    try:
        for batch in part.batches():
            masked = batch.with_columns(
                [
                    mask_column(batch.get_column(c), s, e, key).alias(c)
                    for c, (s, e) in the_plan.items()
                    if c in batch.columns and s != "keep"
                ]
            )
            writer.write(
                masked.select([pl.col(c).cast(pl.String) for c in masked.columns]) if writer.kind == "csv" else masked
            )
            rows += masked.height
            if policy.quasi_identifiers:
                part_counts = anonymity.class_counts(masked, policy.quasi_identifiers, policy.sensitive)
                counts = part_counts if counts is None else pl.concat([counts, part_counts])
            done_bytes += batch.estimated_size()
            if progress is not None and part.size_bytes:
                progress(min(0.99, done_bytes / part.size_bytes))
    finally:
        writer.close()
    result: dict[str, Any] = {
        "table": part.name,
        "output": str(out),
        "rows": rows,
        "columns": {c: {"strategy": s, "entity_type": e} for c, (s, e) in the_plan.items()},
        "sha256": file_sha256(out),
    }
    if policy.quasi_identifiers:
        result["anonymity"] = (
            anonymity.summarise(
                counts if counts is not None else pl.DataFrame(),
                policy.quasi_identifiers,
                policy.sensitive,
                policy.k,
                policy.l,
            )
            if counts is not None
            else None
        )
    return result


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def output_name(part_name: str, out: Path, many: bool) -> Path:
    """Where one part's copy goes: ``out`` itself, or a file per part inside the folder ``out``."""
    if not many:
        return out
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in part_name)
    return out / (Path(safe).stem + (out.suffix or ".csv"))


def mask_location(
    location: str,
    out: Path,
    policy: MaskPolicy,
    key: bytes,
    progress: Callable[[float, str], None] | None = None,
    batch_rows: int = sources.DEFAULT_BATCH_ROWS,
) -> dict[str, Any]:
    """Mask every table of a source into ``out`` (a file, or a folder when the source has several tables)."""
    parts = list(sources.open_source(location, batch_rows=batch_rows))
    tables = [p for p in parts if isinstance(p, sources.TablePart)]
    skipped = [{"name": p.name, "reason": p.reason} for p in parts if isinstance(p, sources.Skipped)]
    skipped += [
        {"name": p.name, "reason": "free-text sources are masked with gongzhi scan --redact"}
        for p in parts
        if isinstance(p, sources.TextPart)
    ]
    results = []
    for i, part in enumerate(tables):
        target = output_name(part.name, out, len(tables) > 1)

        def report(fraction: float, i: int = i, name: str = part.name) -> None:
            if progress is not None:
                progress((i + fraction) / len(tables), name)

        results.append(mask_part(part, target, policy, key, report))
    return {"source": location, "policy": policy.as_dict(), "tables": results, "skipped": skipped}


def batches_of(table: pa.Table, rows: int) -> Iterator[pl.DataFrame]:
    """A table as Polars batches (tests, Ray tasks)."""
    df = pl.from_arrow(table)
    assert isinstance(df, pl.DataFrame)
    yield from df.iter_slices(rows)
