"""Reading assessment data: CSV (UTF-8 or GBK/GB18030, detected), Excel and Parquet, as Polars frames.

Pure file handling: no database, no settings. Errors are ``InvalidInput`` with a field name, so the
CLI, the API and a job all say the same thing about a bad file.

>>> import io, polars as pl
>>> detect_encoding("性别,label\\n男,1\\n".encode("gb18030"))
'gb18030'
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from gongzhi.errors import InvalidInput
from gongzhi.i18n import N_

FORMATS = ("csv", "excel", "parquet")
_EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # xlsx (zip) and legacy xls (OLE)
_PARQUET_MAGIC = b"PAR1"


def detect_format(path: Path, *, name: str | None = None) -> str:
    """csv, excel or parquet, from the file's first bytes (the extension, of ``name`` if given, only breaks ties)."""
    with path.open("rb") as f:
        head = f.read(8)
    suffix = Path(name).suffix.lower() if name else path.suffix.lower()
    if head.startswith(_PARQUET_MAGIC):
        return "parquet"
    if head.startswith(_EXCEL_MAGIC):
        return "excel"
    if suffix in (".parquet", ".xlsx", ".xls"):
        raise InvalidInput(
            N_("The file {name} is not a valid {kind} file."), field="data", name=name or path.name, kind=suffix
        )
    return "csv"


def detect_encoding(raw: bytes) -> str:
    """utf-8 (with or without BOM) when the bytes decode as UTF-8, else GB18030 (a superset of GBK)."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        raise InvalidInput(
            N_("The CSV file is neither UTF-8 nor GBK/GB18030 text; save it as UTF-8 and try again."), field="data"
        ) from None
    return "gb18030"


def read_table(path: Path, *, columns: Sequence[str] | None = None, name: str | None = None) -> pl.DataFrame:
    """The whole table (only ``columns`` when given; unknown names are a clear error)."""
    kind = detect_format(path, name=name)
    try:
        if kind == "parquet":
            schema = pl.read_parquet_schema(path)
            if columns:
                require_columns(list(schema), columns)
            return pl.read_parquet(path, columns=list(columns) if columns else None)
        if kind == "excel":
            frame = pl.read_excel(path, engine="calamine")
        else:
            raw = path.read_bytes()
            encoding = detect_encoding(raw)
            text = raw.decode(encoding).encode("utf-8") if encoding == "gb18030" else raw
            frame = pl.read_csv(io.BytesIO(text), infer_schema_length=10_000, try_parse_dates=False)
    except InvalidInput:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is the file's fault, said plainly
        raise InvalidInput(
            N_("The data file {name} cannot be read: {error}"),
            field="data",
            name=name or path.name,
            error=str(exc)[:300],
        ) from None
    if columns:
        require_columns(frame.columns, columns)
        frame = frame.select(columns)
    return frame


def table_columns(path: Path) -> list[str]:
    """The column names, reading as little as possible."""
    if detect_format(path) == "parquet":
        return list(pl.read_parquet_schema(path))
    return read_table(path).columns


def iter_parquet_batches(path: Path, columns: Sequence[str], batch_rows: int = 4_000_000) -> Iterator[pl.DataFrame]:
    """Stream a Parquet file in row batches of the named columns (bounded memory whatever its size)."""
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    require_columns(pf.schema_arrow.names, columns)
    for batch in pf.iter_batches(batch_size=batch_rows, columns=list(columns)):
        frame = pl.from_arrow(batch)
        assert isinstance(frame, pl.DataFrame)
        yield frame


def parquet_rows(path: Path) -> int:
    """Row count from the Parquet footer."""
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def require_columns(available: Sequence[str], wanted: Sequence[str]) -> None:
    """InvalidInput naming the first unknown column and the columns the table has."""
    have = set(available)
    for name in wanted:
        if name not in have:
            raise InvalidInput(
                N_("Unknown column {column}; the table has: {columns}."),
                field="columns",
                column=name,
                columns=", ".join(available)[:500],
            )


# --- labels ------------------------------------------------------------------------------------

_POSITIVE_WORDS = ("1", "true", "yes", "y", "是", "正", "positive")


def positive_label(values: Sequence[Any]) -> Any:
    """The positive class of a two-valued column: 1/True/yes/是 when present, else the larger value."""
    for value in values:
        if str(value).strip().lower() in _POSITIVE_WORDS:
            return value
    return sorted(values, key=str)[-1]


def binary(series: pl.Series, *, pos_label: Any = None, role: str = "target") -> tuple[np.ndarray, Any]:
    """A two-valued column as booleans (True = the positive class) and the positive label used.

    Missing values and a third value are clear errors: a binary metric never guesses.
    """
    missing = series.null_count()
    if missing:
        raise InvalidInput(
            N_("The {role} column {column} has {n} missing values; binary metrics need a value in every row."),
            field=role,
            role=role,
            column=series.name,
            n=missing,
        )
    values = series.unique().to_list()
    if pos_label is not None:
        matches = [v for v in values if v == pos_label or str(v) == str(pos_label)]
        if len(values) > 2 or (len(values) == 2 and not matches):
            raise InvalidInput(
                N_("The {role} column {column} is not binary with positive value {pos}: it holds {values}."),
                field=role,
                role=role,
                column=series.name,
                pos=pos_label,
                values=", ".join(map(str, sorted(values, key=str)[:10])),
            )
        label = matches[0] if matches else pos_label
    else:
        if len(values) > 2:
            raise InvalidInput(
                N_("The {role} column {column} has {n} distinct values; binary metrics need two."),
                field=role,
                role=role,
                column=series.name,
                n=len(values),
            )
        label = positive_label(values)
    if series.dtype == pl.Boolean:
        return series.to_numpy().astype(bool), label
    if series.dtype.is_numeric() and isinstance(label, int | float):
        return (series.to_numpy() == label), label
    return (series.cast(pl.String) == str(label)).to_numpy(), label


def binary_like(series: pl.Series, label: Any, *, role: str = "prediction") -> np.ndarray:
    """A prediction column as booleans against the target's positive label; a third value is an error."""
    return binary(series, pos_label=label, role=role)[0]
