"""``gongzhi registry``: list, show and export the register; re-tier; refresh reminders."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table

from gongzhi.cli_support import console, err_console, load_settings, t, unit_of_work
from gongzhi.identity.principal import SYSTEM
from gongzhi.registry import filings, register, reminders, service
from gongzhi.registry.workflow import FilingState

app = typer.Typer(help=t("The register of AI systems and algorithm filings."), no_args_is_help=True)


@app.command("list", help=t("List filings (all, or those in one state)."))
def list_filings(
    state: Annotated[FilingState | None, typer.Option(help=t("Only filings in this state."))] = None,
    limit: Annotated[int, typer.Option(help=t("How many to show."))] = 100,
) -> None:
    with unit_of_work() as session:
        page = filings.list_filings(session, SYSTEM, mine=False, states=[state] if state else None, limit=limit)
        table = Table("id", t("System"), t("Version"), t("Provider"), t("Status"), t("Filing number"))
        for f in page.items:
            table.add_row(
                str(f.id),
                f.system.name,
                f.version.version,
                f.system.organisation.name,
                f.state.value,
                f.filing_number or "",
            )
        console.print(table)


@app.command("show", help=t("Show one filing as JSON (everything, as the regulator sees it)."))
def show(filing_id: Annotated[int, typer.Argument(help=t("Filing id."))]) -> None:
    with unit_of_work() as session:
        typer.echo(filings.filing_out(SYSTEM, filings.get_filing(session, SYSTEM, filing_id)).model_dump_json(indent=2))


@app.command("export", help=t("Export the public register (public fields only) as JSON or CSV."))
def export(
    format: Annotated[Literal["json", "csv"], typer.Option(help=t("json or csv."))] = "json",
    output: Annotated[Path | None, typer.Option(help=t("Output file (standard output if omitted)."))] = None,
) -> None:
    with unit_of_work() as session:
        rows = register.export_all(session, SYSTEM)
        out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            count = 0
            if format == "csv":
                for chunk in register.to_csv(rows):
                    out.write(chunk)
                    count += 1
                count -= 1
            else:
                out.write('{"items": [')
                for i, entry in enumerate(rows):
                    out.write(("," if i else "") + entry.model_dump_json())
                    count += 1
                out.write("]}\n")
        finally:
            if output:
                out.close()
    err_console.print(t("Exported {n} public entries.", n=count), highlight=False)


@app.command("retier", help=t("Apply the tiering profiles to every system again (after a profile changed)."))
def retier() -> None:
    settings = load_settings()
    with unit_of_work(settings) as session:
        profiles = service.configured_tiering_profiles(settings)
        changed = service.retier_all(session, SYSTEM, profiles=profiles)
    console.print(t("Tiering done: {n} outcomes changed.", n=changed))


@app.command("reminders", help=t("Create the reminders now due (the worker does this every hour)."))
def refresh_reminders() -> None:
    with unit_of_work() as session:
        new = reminders.refresh(session)
    console.print(t("{n} new reminders.", n=new))
