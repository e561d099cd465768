"""``gongzhi scan`` and ``gongzhi mask`` (files, folders, databases) and ``gongzhi datasec …`` (inventory)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from gongzhi.cli_support import cli_locale, console, fail, load_settings, t

app = typer.Typer(no_args_is_help=True)
datasec_app = typer.Typer(help=t("Data security: inventory, sources, profiles and checks."), no_args_is_help=True)
app.add_typer(datasec_app, name="datasec")

COLUMNS = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())


def _bar() -> Progress:
    return Progress(*COLUMNS, console=console, transient=False)


@app.command("scan", help=t("Find and grade sensitive data in files, folders or databases; write a JSON report."))
def scan(
    paths: Annotated[list[str], typer.Argument(help=t("Files, folders (Parquet datasets) or database URLs."))],
    json_out: Annotated[Path, typer.Option("--json", help=t("Write the report as JSON here."))],
    html_out: Annotated[Path | None, typer.Option("--html", help=t("Also write an HTML report here."))] = None,
    csv_out: Annotated[Path | None, typer.Option("--csv", help=t("Also write the columns as CSV here."))] = None,
    profile: Annotated[str | None, typer.Option(help=t("Grading profile id."))] = None,
    sample: Annotated[int | None, typer.Option(help=t("Scan a random sample of N rows per table."), min=1)] = None,
    text_field: Annotated[str | None, typer.Option(help=t("JSON Lines: the field that holds free text."))] = None,
    id_field: Annotated[str | None, typer.Option(help=t("JSON Lines: the field that identifies a record."))] = None,
    engine: Annotated[str, typer.Option(help=t("local, or ray for partitioned Parquet on a Ray cluster."))] = "local",
    address: Annotated[str | None, typer.Option(help=t("Ray cluster address (default: start a local one)."))] = None,
    batch_rows: Annotated[int, typer.Option(help=t("Rows per batch (bounds memory)."), min=1)] = 65_536,
) -> None:
    from gongzhi.datasec import engine as scan_engine
    from gongzhi.datasec.profiles import grading_profile
    from gongzhi.datasec.report import columns_csv, report_html
    from gongzhi.datasec.sources import SourceError
    from gongzhi.errors import GongzhiError

    settings = load_settings()
    try:
        profile_id, body = grading_profile(profile, settings.profile_dirs)
    except GongzhiError as exc:
        fail(exc.detail(cli_locale()))
    if engine not in ("local", "ray"):
        fail(t("Unknown engine {engine}; use local or ray.", engine=engine))
    options = scan_engine.ScanOptions(sample=sample, text_field=text_field, id_field=id_field, batch_rows=batch_rows)
    reports = []
    with _bar() as bar:
        task = bar.add_task(t("Scanning"), total=1.0)
        for i, path in enumerate(paths):

            def progress(fraction: float, name: str, i: int = i) -> None:
                bar.update(task, completed=(i + fraction) / len(paths), description=f"{t('Scanning')} {name}")

            try:
                if engine == "ray":
                    from gongzhi.datasec.distributed import ray_scan

                    reports.append(
                        ray_scan(
                            path,
                            body=body,
                            profile_id=profile_id,
                            options=options,
                            address=address,
                            locale=cli_locale(),
                            progress=progress,
                        )
                    )
                else:
                    reports.append(
                        scan_engine.scan_location(
                            path,
                            body=body,
                            profile_id=profile_id,
                            options=options,
                            locale=cli_locale(),
                            progress=progress,
                        )
                    )
            except SourceError as exc:
                fail(str(exc))
        bar.update(task, completed=1.0, description=t("Scanning"))
    report = reports[0] if len(reports) == 1 else merge_reports(reports)
    json_out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    if html_out is not None:
        html_out.write_text(report_html(report, cli_locale()), encoding="utf-8")
    if csv_out is not None:
        csv_out.write_text(columns_csv(report["columns"]), encoding="utf-8")
    _print_summary(report)


def merge_reports(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """Several sources' reports as one (tables, columns, records and skipped parts side by side)."""
    merged = dict(reports[0])
    merged["source"] = [r["source"] for r in reports]
    for key in ("tables", "columns", "texts", "records", "skipped"):
        merged[key] = [item for r in reports for item in r[key]]
    return merged


def _print_summary(report: dict[str, Any]) -> None:
    table = Table(t("Table"), t("Column"), t("Entity type"), t("Share"), t("Level"), t("Confidence"))
    for c in report["columns"]:
        if c["entity_type"]:
            table.add_row(
                c["table"], c["name"], c["entity_type"], f"{c['share']:.1%}", str(c["level"]), f"{c['confidence']:.2f}"
            )
    if report["columns"]:
        console.print(table)
    records = report["records"]
    if records:
        found = sum(len(r["findings"]) for r in records)
        console.print(t("{n} findings in {records} records.", n=found, records=len(records)))
    for s in report["skipped"]:
        console.print(f"[yellow]{t('Skipped')}[/] {s['name']}: {s['reason']}", highlight=False)
    console.print(t("Overall level: {level}", level=report["level"]))


@app.command("mask", help=t("Write a de-identified copy (CSV or Parquet) of a file, folder or database."))
def mask(
    source: Annotated[str, typer.Argument(help=t("File, folder or database URL to copy."))],
    out: Annotated[Path, typer.Argument(help=t("Output file (.csv or .parquet) or folder."))],
    policy: Annotated[str, typer.Option(help=t("Masking policy: a YAML/JSON file, inline JSON, or 'default'."))],
    engine: Annotated[str, typer.Option(help=t("local, or ray for partitioned Parquet on a Ray cluster."))] = "local",
    address: Annotated[str | None, typer.Option(help=t("Ray cluster address (default: start a local one)."))] = None,
    report_out: Annotated[Path | None, typer.Option("--report", help=t("Write what was done as JSON here."))] = None,
) -> None:
    from gongzhi.datasec.keys import pseudonym_key
    from gongzhi.datasec.maskio import MaskPolicy, PolicyError, mask_location
    from gongzhi.datasec.sources import SourceError

    settings = load_settings()
    try:
        the_policy = MaskPolicy.load(policy)
    except PolicyError as exc:
        fail(str(exc))
    key = pseudonym_key(settings)
    with _bar() as bar:
        task = bar.add_task(t("Masking"), total=1.0)

        def progress(fraction: float, name: str) -> None:
            bar.update(task, completed=fraction, description=f"{t('Masking')} {name}")

        try:
            if engine == "ray":
                from gongzhi.datasec.distributed import ray_mask

                result = ray_mask(source, out, the_policy, key, address=address, progress=progress)
            else:
                result = mask_location(source, out, the_policy, key, progress=progress)
        except (SourceError, PolicyError) as exc:
            fail(str(exc))
        bar.update(task, completed=1.0)
    if report_out is not None:
        report_out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    for item in result["tables"]:
        console.print(
            t(
                "{table}: {rows} rows written to {output}",
                table=item["table"],
                rows=item["rows"],
                output=item["output"],
            ),
            highlight=False,
        )
        anon = item.get("anonymity")
        if anon:
            console.print(
                t(
                    "k-anonymity: k = {k} (target {target}), {bad} classes too small",
                    k=anon["k"],
                    target=anon["k_target"],
                    bad=anon["violating_classes"],
                )
            )
    for s in result["skipped"]:
        console.print(f"[yellow]{t('Skipped')}[/] {s['name']}: {s['reason']}", highlight=False)


@datasec_app.command("entities", help=t("List the entity types the recognizers find."))
def entities() -> None:
    from gongzhi.datasec.entities import ENTITY_TYPES
    from gongzhi.datasec.recognizers import RECOGNIZERS

    table = Table(t("Entity type"), t("Label"), t("Recognizers"))
    for e in ENTITY_TYPES.values():
        ids = ", ".join(r.id for r in RECOGNIZERS if r.entity == e.name) or "-"
        table.add_row(e.name, t(e.label), ids)
    console.print(table)


@datasec_app.command("profiles", help=t("List the grading profiles."))
def profiles() -> None:
    from gongzhi.datasec.profiles import grading_profiles

    settings = load_settings()
    table = Table("id", t("Title"), t("Levels"), t("Verification"))
    for p in grading_profiles(settings.profile_dirs):
        table.add_row(
            p.id, p.header.title.get(cli_locale()), " > ".join(lv.id for lv in p.body.levels), p.header.verification
        )
    console.print(table)


@datasec_app.command("anonymity", help=t("Check k-anonymity and l-diversity of a table on chosen quasi-identifiers."))
def anonymity_check(
    path: Annotated[str, typer.Argument(help=t("File, folder or database URL."))],
    quasi: Annotated[str, typer.Option(help=t("Quasi-identifier columns, comma-separated."))],
    sensitive: Annotated[str | None, typer.Option(help=t("Sensitive column for l-diversity."))] = None,
    k: Annotated[int, typer.Option(help=t("Smallest allowed class size."), min=1)] = 5,
    l_target: Annotated[int, typer.Option("--l", help=t("Fewest distinct sensitive values per class."), min=1)] = 2,
) -> None:
    import polars as pl

    from gongzhi.datasec import anonymity, sources

    columns = [c.strip() for c in quasi.split(",") if c.strip()]
    try:
        parts = [p for p in sources.open_source(path) if isinstance(p, sources.TablePart)]
    except sources.SourceError as exc:
        fail(str(exc))
    for part in parts:
        counts: pl.DataFrame | None = None
        try:
            for batch in part.batches():
                c = anonymity.class_counts(batch, columns, sensitive)
                counts = c if counts is None else pl.concat([counts, c])
        except KeyError as exc:
            fail(str(exc))
        if counts is None:
            continue
        result = anonymity.summarise(counts, columns, sensitive, k, l_target)
        typer.echo(json.dumps({"table": part.name, **result}, ensure_ascii=False))
