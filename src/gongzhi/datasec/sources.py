"""Reading data sources as streams of Polars batches: CSV/TSV (UTF-8, GBK/GB18030), Excel, Parquet
files and partitioned folders, JSON Lines, plain text and SQL databases (every table).

Every reader yields :class:`TablePart` (a table as batches) or :class:`TextPart` (records of text);
whatever cannot be read is yielded as :class:`Skipped` with the reason, never dropped silently.
Batches bound the memory a scan needs, whatever the size of the source.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa

DEFAULT_BATCH_ROWS = 65_536
#: Cells longer than this are scanned up to this length (and reported), so one huge cell cannot stall a scan.
MAX_CELL_CHARS = 65_536
TABLE_SUFFIXES = {".csv", ".tsv", ".xlsx", ".xlsm", ".parquet", ".pq", ".jsonl", ".ndjson"}
TEXT_SUFFIXES = {".txt", ".md", ".log", ".text"}


class SourceError(Exception):
    """A source that cannot be read at all (missing, unreachable, unsupported), with a clear reason."""


@dataclass
class Notes:
    """What a reader had to work around in one part: replaced bytes, ragged rows, truncated cells."""

    items: list[dict[str, Any]] = field(default_factory=list)

    def add(self, kind: str, **details: Any) -> None:
        for item in self.items:
            if item["kind"] == kind and kind in ("ragged_rows", "undecodable_cells", "bad_lines", "truncated_cells"):
                item["count"] = item.get("count", 0) + details.get("count", 1)
                return
        self.items.append({"kind": kind, **details})


@dataclass
class TablePart:
    """One table of a source, read batch by batch."""

    name: str
    batches: Callable[[], Iterator[pl.DataFrame]]
    size_bytes: int | None = None
    notes: Notes = field(default_factory=Notes)
    encoding: str | None = None


@dataclass
class TextPart:
    """Records of free text: (id, text) pairs."""

    name: str
    records: Callable[[], Iterator[tuple[str, str]]]
    notes: Notes = field(default_factory=Notes)


@dataclass(frozen=True)
class Skipped:
    """A part of a source that was not scanned, and why."""

    name: str
    reason: str


Part = TablePart | TextPart | Skipped


# ------------------------------------------------------------------------------------------ encodings


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 by BOM, else GB18030 (a superset of GBK) when it decodes cleanly."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut at the end of the sample
            return "utf-8"
    for candidate in ("gb18030",):
        try:
            head.decode(candidate)
            return candidate
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 3:
                return candidate
    return "utf-8"  # undecodable bytes are replaced and reported


# ------------------------------------------------------------------------------------------------- CSV


def _csv_header(path: Path, encoding: str, delimiter: str) -> list[str] | None:
    with path.open("r", encoding=encoding, errors="replace", newline="") as f:
        line = f.readline()
    if not line.strip():
        return None
    header = next(csv.reader([line], delimiter=delimiter))
    names, seen = [], set()
    for i, name in enumerate(header):
        name = name.strip() or f"column_{i + 1}"
        while name in seen:
            name += "_"
        seen.add(name)
        names.append(name)
    return names


def csv_part(path: Path, *, batch_rows: int = DEFAULT_BATCH_ROWS, name: str | None = None) -> Part:
    """A CSV/TSV file as a table (every column read as text)."""
    import pyarrow.csv as pacsv

    with path.open("rb") as f:
        head = f.read(1 << 20)
    if not head.strip():
        return Skipped(name or path.name, "empty file")
    encoding = detect_encoding(head)
    delimiter = (
        "\t"
        if path.suffix.lower() == ".tsv" or head.split(b"\n")[0].count(b"\t") > head.split(b"\n")[0].count(b",")
        else ","
    )
    header = _csv_header(path, encoding, delimiter)
    if header is None:
        return Skipped(name or path.name, "empty file")
    notes = Notes()

    def batches() -> Iterator[pl.DataFrame]:
        block = 8 << 20
        while True:
            try:
                yield from _read_csv(path, header, encoding, delimiter, batch_rows, block, notes, pacsv)
                return
            except pa.ArrowInvalid as exc:
                text = str(exc)
                if ("straddl" in text or "block" in text) and block < (256 << 20):
                    block *= 4  # a row larger than the block (a huge cell): read again with bigger blocks
                    notes.items = [i for i in notes.items if i["kind"] != "ragged_rows"]
                    continue
                if "UTF8" in text or "utf-8" in text.lower() or "decode" in text.lower() or "codec" in text.lower():
                    yield from _read_csv_lenient(path, header, encoding, delimiter, batch_rows, notes)
                    return
                raise SourceError(f"{path.name}: {text}") from None
            except UnicodeDecodeError:
                yield from _read_csv_lenient(path, header, encoding, delimiter, batch_rows, notes)
                return

    return TablePart(name or path.name, batches, size_bytes=path.stat().st_size, notes=notes, encoding=encoding)


def _read_csv(
    path: Path, header: list[str], encoding: str, delimiter: str, batch_rows: int, block: int, notes: Notes, pacsv: Any
) -> Iterator[pl.DataFrame]:
    ragged = 0

    def on_invalid(row: Any) -> str:
        nonlocal ragged
        ragged += 1
        return "skip"

    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(encoding=encoding, block_size=block, column_names=header, skip_rows=1),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid),
        convert_options=pacsv.ConvertOptions(
            column_types={h: pa.string() for h in header}, strings_can_be_null=True, quoted_strings_can_be_null=False
        ),
    )
    pending: list[pl.DataFrame] = []
    rows = 0
    for record_batch in reader:
        df = pl.from_arrow(record_batch)
        assert isinstance(df, pl.DataFrame)
        pending.append(df)
        rows += df.height
        if rows >= batch_rows:
            yield pl.concat(pending, rechunk=False)
            pending, rows = [], 0
    if pending:
        yield pl.concat(pending, rechunk=False)
    if ragged:
        notes.add("ragged_rows", count=ragged)


def _read_csv_lenient(
    path: Path, header: list[str], encoding: str, delimiter: str, batch_rows: int, notes: Notes
) -> Iterator[pl.DataFrame]:
    """Slow path for files with undecodable bytes: decode with replacement characters and report them."""
    bad = ragged = 0
    with path.open("rb") as raw:
        wrapper = io.TextIOWrapper(raw, encoding=encoding.replace("-sig", ""), errors="replace", newline="")
        reader = csv.reader(wrapper, delimiter=delimiter)
        next(reader, None)
        rows: list[list[str]] = []
        for row in reader:
            if len(row) != len(header):
                ragged += 1
                continue
            bad += sum(1 for cell in row if "\ufffd" in cell)
            rows.append(row)
            if len(rows) >= batch_rows:
                yield pl.DataFrame(rows, schema=header, orient="row")
                rows = []
        if rows:
            yield pl.DataFrame(rows, schema=header, orient="row")
    notes.add("undecodable_cells", count=bad, encoding=encoding)
    if ragged:
        notes.add("ragged_rows", count=ragged)


# ----------------------------------------------------------------------------------- other file kinds


def excel_parts(path: Path, *, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[Part]:
    """Every sheet of an .xlsx workbook (first row = column names), streamed."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any broken workbook is reported, not raised
        yield Skipped(path.name, f"not a readable Excel workbook: {type(exc).__name__}: {exc}")
        return
    for sheet_name in book.sheetnames:

        def batches(sheet_name: str = sheet_name) -> Iterator[pl.DataFrame]:
            wb = load_workbook(path, read_only=True, data_only=True)
            try:
                rows = wb[sheet_name].iter_rows(values_only=True)
                first = next(rows, None)
                if first is None:
                    return
                header = [str(h).strip() if h is not None else f"column_{i + 1}" for i, h in enumerate(first)]
                chunk: list[list[str | None]] = []
                for row in rows:
                    cells = [None if v is None else str(v) for v in row][: len(header)]
                    chunk.append(cells + [None] * (len(header) - len(cells)))
                    if len(chunk) >= batch_rows:
                        yield pl.DataFrame(chunk, schema=dict.fromkeys(header, pl.String), orient="row")
                        chunk = []
                if chunk:
                    yield pl.DataFrame(chunk, schema=dict.fromkeys(header, pl.String), orient="row")
            finally:
                wb.close()

        yield TablePart(f"{path.name}:{sheet_name}", batches, size_bytes=None)
    book.close()


def parquet_part(path: Path, *, batch_rows: int = DEFAULT_BATCH_ROWS) -> Part:
    """A Parquet file or a (hive-)partitioned folder of them, as one table."""
    import pyarrow.dataset as ds

    try:
        try:
            dataset = ds.dataset(str(path), format="parquet", partitioning="hive")
        except pa.ArrowTypeError:  # the files carry the partition columns themselves
            dataset = ds.dataset(str(path), format="parquet")
    except (pa.ArrowInvalid, OSError) as exc:
        return Skipped(path.name, f"not readable Parquet: {exc}")

    def batches() -> Iterator[pl.DataFrame]:
        for record_batch in dataset.to_batches(batch_size=batch_rows):
            df = pl.from_arrow(record_batch)
            assert isinstance(df, pl.DataFrame)
            yield df

    size = sum(p.stat().st_size for p in path.rglob("*.parquet")) if path.is_dir() else path.stat().st_size
    return TablePart(path.name, batches, size_bytes=size)


def jsonl_table_part(path: Path, *, batch_rows: int = DEFAULT_BATCH_ROWS) -> Part:
    """JSON Lines of objects as a table (nested values become JSON text)."""
    notes = Notes()

    def batches() -> Iterator[pl.DataFrame]:
        rows: list[dict[str, Any]] = []
        for obj in _json_lines(path, notes):
            rows.append(
                {
                    k: v if isinstance(v, str | int | float | bool) or v is None else json.dumps(v, ensure_ascii=False)
                    for k, v in obj.items()
                }
            )
            if len(rows) >= batch_rows:
                yield _rows_frame(rows)
                rows = []
        if rows:
            yield _rows_frame(rows)

    if path.stat().st_size == 0:
        return Skipped(path.name, "empty file")
    return TablePart(path.name, batches, size_bytes=path.stat().st_size, notes=notes)


def _rows_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    return pl.DataFrame({k: [None if r.get(k) is None else str(r[k]) for r in rows] for k in keys})


def _json_lines(path: Path, notes: Notes) -> Iterator[dict[str, Any]]:
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8", errors="replace"))
            except json.JSONDecodeError:
                notes.add("bad_lines", count=1, first_line=number)
                continue
            if isinstance(obj, dict):
                yield obj
            else:
                notes.add("bad_lines", count=1, first_line=number)


def jsonl_text_part(path: Path, *, text_field: str, id_field: str | None) -> Part:
    """JSON Lines with a text field: each line is a record (its id from ``id_field`` or the line number)."""
    notes = Notes()

    def records() -> Iterator[tuple[str, str]]:
        for number, obj in enumerate(_json_lines(path, notes), start=1):
            text = obj.get(text_field)
            if not isinstance(text, str):
                notes.add("missing_text_field", field=text_field, first_record=number)
                continue
            rid = obj.get(id_field) if id_field else None
            yield (str(rid) if rid is not None else str(number)), text

    if path.stat().st_size == 0:
        return Skipped(path.name, "empty file")
    return TextPart(path.name, records, notes=notes)


def text_part(path: Path) -> Part:
    """A plain-text file: one record per line (id = line number)."""
    with path.open("rb") as f:
        head = f.read(1 << 20)
    if not head.strip():
        return Skipped(path.name, "empty file")
    encoding = detect_encoding(head)
    notes = Notes()

    def records() -> Iterator[tuple[str, str]]:
        with path.open("r", encoding=encoding, errors="replace") as f:
            for number, line in enumerate(f, start=1):
                if "\ufffd" in line:
                    notes.add("undecodable_cells", count=1, encoding=encoding)
                yield str(number), line.rstrip("\n")

    return TextPart(path.name, records, notes=notes)


# ---------------------------------------------------------------------------------------------- SQL


def is_database_url(location: str) -> bool:
    """``postgresql+psycopg://…``, ``sqlite:///…`` and other SQLAlchemy URLs."""
    head = location.split("://", 1)[0]
    return "://" in location and head.replace("+", "").replace("_", "").isalnum() and not head.startswith("http")


def safe_url(location: str) -> str:
    """A database URL with the password hidden (for messages and the inventory)."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(location).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is shown without its credentials part
        return location.split("@")[-1]


def database_parts(
    url: str, *, batch_rows: int = DEFAULT_BATCH_ROWS, tables: list[str] | None = None
) -> Iterator[Part]:
    """Every table of the database (or the named ones), streamed with server-side cursors."""
    from sqlalchemy import MetaData, Table, create_engine, inspect, select
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

    try:
        engine = create_engine(url, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise SourceError(f"not a usable database URL ({safe_url(url)}): {exc}") from None
    try:
        with engine.connect() as conn:
            names = inspect(conn).get_table_names()
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None) or exc
        raise SourceError(
            f"cannot reach the database {safe_url(url)}: {type(orig).__name__}: {str(orig).splitlines()[0][:300]}"
        ) from None
    finally:
        engine.dispose()
    for name in names:
        if tables and name not in tables:
            continue

        def batches(name: str = name) -> Iterator[pl.DataFrame]:
            table_engine = create_engine(url)
            try:
                with table_engine.connect().execution_options(stream_results=True, yield_per=batch_rows) as conn:
                    table = Table(name, MetaData(), autoload_with=conn)
                    result = conn.execute(select(table))
                    columns = list(result.keys())
                    for chunk in result.partitions(batch_rows):
                        yield pl.DataFrame(
                            {c: [None if r[i] is None else str(r[i]) for r in chunk] for i, c in enumerate(columns)},
                            schema=dict.fromkeys(columns, pl.String),
                        )
            finally:
                table_engine.dispose()

        yield TablePart(name, batches)


# ------------------------------------------------------------------------------------------- dispatch


def open_source(
    location: str, *, text_field: str | None = None, id_field: str | None = None, batch_rows: int = DEFAULT_BATCH_ROWS
) -> Iterator[Part]:
    """The parts of a file, folder or database URL."""
    if is_database_url(location):
        yield from database_parts(location, batch_rows=batch_rows)
        return
    path = Path(location)
    if not path.exists():
        raise SourceError(f"no such file or folder: {location}")
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        if files and all(p.suffix.lower() in (".parquet", ".pq") for p in files):
            yield parquet_part(path, batch_rows=batch_rows)
            return
        for file in files:
            yield from open_file(file, text_field=text_field, id_field=id_field, batch_rows=batch_rows)
        return
    yield from open_file(path, text_field=text_field, id_field=id_field, batch_rows=batch_rows)


def open_file(
    path: Path, *, text_field: str | None = None, id_field: str | None = None, batch_rows: int = DEFAULT_BATCH_ROWS
) -> Iterator[Part]:
    """The parts of one file, by its suffix."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        yield csv_part(path, batch_rows=batch_rows)
    elif suffix in (".xlsx", ".xlsm"):
        yield from excel_parts(path, batch_rows=batch_rows)
    elif suffix in (".parquet", ".pq"):
        yield parquet_part(path, batch_rows=batch_rows)
    elif suffix in (".jsonl", ".ndjson", ".json"):
        if text_field:
            yield jsonl_text_part(path, text_field=text_field, id_field=id_field)
        else:
            yield jsonl_table_part(path, batch_rows=batch_rows)
    elif suffix in TEXT_SUFFIXES:
        yield text_part(path)
    elif suffix == ".xls":
        yield Skipped(path.name, "old binary .xls workbooks are not supported; save as .xlsx")
    else:
        yield Skipped(path.name, f"unsupported file type {suffix or '(none)'}")


def reservoir(batches: Iterator[pl.DataFrame], n: int, *, seed: int = 0) -> Iterator[pl.DataFrame]:
    """A uniform random sample of ``n`` rows from a stream of batches (random keys; memory O(n + batch))."""
    rng = np.random.default_rng(seed)
    kept: pl.DataFrame | None = None
    for batch in batches:
        keyed = batch.with_columns(pl.Series("__key", rng.random(batch.height)))
        kept = keyed if kept is None else pl.concat([kept, keyed], how="diagonal_relaxed")
        if kept.height > n:
            kept = kept.sort("__key").head(n)
    if kept is not None:
        yield kept.drop("__key")
