"""``gongzhi ledger``: export, verify (offline or the live database), sign, show records and proofs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from gongzhi.cli_support import console, err_console, fail, load_settings, t, unit_of_work
from gongzhi.identity.principal import SYSTEM
from gongzhi.ledger.verify import VerifyReport

app = typer.Typer(help=t("The tamper-evident ledger: export, verify, proofs."), no_args_is_help=True)


def _report(report: VerifyReport, as_json: bool) -> None:
    if as_json:
        from gongzhi.ledger.schemas import AuditOut

        typer.echo(AuditOut.of(report).model_dump_json(indent=2))
    if report.ok:
        if not as_json:
            verified = t("Verified")
            console.print(f"[green]{verified}[/]: {report.summary()}", highlight=False)
        return
    problem = report.problem
    assert problem is not None
    where = []
    if problem.seq is not None:
        where.append(t("first bad entry: {seq}", seq=problem.seq))
    if problem.tree_size is not None:
        where.append(t("tree size {size}", size=problem.tree_size))
    if problem.line is not None:
        where.append(t("line {line}", line=problem.line))
    failed = t("Verification FAILED")
    err_console.print(
        f"[bold red]{failed}[/] ({problem.kind}; {'; '.join(where)}): {problem.message}",
        highlight=False,
    )
    raise typer.Exit(1)


@app.command("verify", help=t("Verify every entry, the Merkle tree and every signature; name the first bad entry."))
def verify(
    export: Annotated[
        Path | None,
        typer.Option(help=t("Verify this export file offline instead of the database."), exists=True, dir_okay=False),
    ] = None,
    public_key: Annotated[
        Path | None,
        typer.Option(help=t("The public key (PEM) you trust, e.g. the published one."), exists=True, dir_okay=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=t("Print the report as JSON."))] = False,
) -> None:
    trusted_pem = public_key.read_text(encoding="ascii") if public_key else None
    if export is not None:
        # Offline: only the pure ledger modules are involved, no database and no settings.
        from gongzhi.ledger.signing import load_public_key_pem
        from gongzhi.ledger.verify import verify_export

        try:
            trusted = load_public_key_pem(trusted_pem) if trusted_pem else None
        except ValueError as exc:
            fail(str(exc))
        with export.open("rb") as lines:
            _report(verify_export(lines, trusted), as_json)
        return
    from gongzhi.ledger import keys
    from gongzhi.ledger.audit import audit

    settings = load_settings()
    with unit_of_work(settings) as session:
        report = audit(
            session, SYSTEM, signing_key_pem=keys.for_settings(settings).public_pem, trusted_key_pem=trusted_pem
        )
    _report(report, as_json)


@app.command("export", help=t("Write the whole ledger (entries and signed tree heads) as JSON Lines."))
def export(path: Annotated[Path, typer.Argument(help=t("Output file ('-' for standard output)."))]) -> None:
    from gongzhi.ledger import keys, service

    settings = load_settings()
    key = keys.for_settings(settings)
    with unit_of_work(settings) as session:
        service.sign_tree_head(session, key)
    count = 0
    with unit_of_work(settings) as session:
        lines = service.export_lines(session, SYSTEM, key.public_pem)
        if str(path) == "-":
            out = typer.get_binary_stream("stdout")
            for line in lines:
                out.write(line)
                count += 1
        else:
            with path.open("wb") as f:
                for line in lines:
                    f.write(line)
                    count += 1
    err_console.print(t("Wrote {n} lines.", n=count), highlight=False)


@app.command("sign", help=t("Sign a tree head for the ledger's current size (if it grew since the last one)."))
def sign() -> None:
    from gongzhi.ledger import keys, service

    settings = load_settings()
    key = keys.for_settings(settings)
    if key.warning:
        err_console.print(f"[yellow]{key.warning}[/]", highlight=False)
    with unit_of_work(settings) as session:
        sth = service.sign_tree_head(session, key)
    console.print(
        t("Signed tree head: size {size}, root {root}", size=sth.tree_size, root=sth.root_hash.hex()), highlight=False
    )


@app.command("show", help=t("Show one ledger entry as JSON."))
def show(seq: Annotated[int, typer.Argument(help=t("Sequence number."))]) -> None:
    from gongzhi.ledger import service
    from gongzhi.ledger.schemas import EntryOut

    with unit_of_work() as session:
        typer.echo(EntryOut.of(*service.get_entry(session, SYSTEM, seq)).model_dump_json(indent=2))


@app.command("proof", help=t("Print the inclusion proof of an entry against the newest signed tree head."))
def proof(seq: Annotated[int, typer.Argument(help=t("Sequence number."))]) -> None:
    from gongzhi.ledger import keys, service
    from gongzhi.ledger.schemas import InclusionProofOut

    settings = load_settings()
    with unit_of_work(settings) as session:
        sth = service.sign_tree_head(session, keys.for_settings(settings))
        result = service.inclusion_proof(session, SYSTEM, seq, sth.tree_size)
    typer.echo(json.dumps(InclusionProofOut.of(result, sth).model_dump(mode="json"), indent=2))


@app.command("public-key", help=t("Print the public key that signs tree heads (PEM)."))
def public_key_cmd() -> None:
    from gongzhi.ledger import keys

    key = keys.for_settings(load_settings())
    if key.warning:
        err_console.print(f"[yellow]{key.warning}[/]", highlight=False)
    typer.echo(key.public_pem, nl=False)
