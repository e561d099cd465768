"""``gongzhi standards``: list, show and validate profiles."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from gongzhi.cli_support import cli_locale, console, err_console, fail, load_settings, t
from gongzhi.standards import loader

app = typer.Typer(help=t("Standards encoded as profiles (GB/T, NIST, EU, ISO, local rules)."), no_args_is_help=True)


@app.command("list", help=t("List the profiles, optionally of one kind."))
def list_profiles(kind: Annotated[str | None, typer.Option(help=t("Only profiles of this kind."))] = None) -> None:
    settings = load_settings()
    try:
        profiles = loader.catalog(settings.profile_dirs).values()
    except loader.ProfileError as exc:
        fail(str(exc))
    for problem in loader.problems(settings.profile_dirs):
        err_console.print(f"[red]✗[/] {problem}", highlight=False)
    table = Table("id", t("Kind"), t("Title"), t("Verification"), t("Jurisdiction"))
    for p in sorted(profiles, key=lambda p: (p.kind, p.id)):
        if kind is None or p.kind == kind:
            table.add_row(
                p.id, p.kind, p.header.title.get(cli_locale()), p.header.verification, p.header.jurisdiction or ""
            )
    console.print(table)


@app.command("show", help=t("Print one profile's file."))
def show(profile_id: Annotated[str, typer.Argument(help=t("Profile id."))]) -> None:
    settings = load_settings()
    try:
        profile = loader.get(profile_id, settings.profile_dirs)
    except loader.ProfileError as exc:
        fail(str(exc))
    typer.echo(profile.path.read_text(encoding="utf-8"), nl=False)


@app.command("validate", help=t("Check profile files against their schema (e.g. local rules before use)."))
def validate(paths: Annotated[list[Path], typer.Argument(help=t("Profile files."), exists=True)]) -> None:
    schemas = loader.body_schemas()
    bad = 0
    for path in paths:
        try:
            profile = loader.read_profile(path, schemas)
        except loader.ProfileError as exc:
            bad += 1
            console.print(f"[red]✗[/] {exc}", highlight=False)
        else:
            console.print(f"[green]✓[/] {path}: {profile.id}", highlight=False)
    if bad:
        raise typer.Exit(1)
