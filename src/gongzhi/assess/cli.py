"""``gongzhi assess``: fairness of a predictions table, full profile runs with reports, the profile list.

These commands work on local files and need no database; nothing they do is recorded. To record an
assessment (stored inputs, a job, reports and their digests in the ledger) use the web pages or
``POST /api/v1/assess/assessments``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from gongzhi.cli_support import cli_locale, console, fail, load_settings, t
from gongzhi.errors import GongzhiError

app = typer.Typer(
    help=t("Trustworthy-AI assessment of ML models (fairness, robustness, explainability, privacy)."),
    no_args_is_help=True,
)


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _write(path: Path, data: bytes) -> None:
    if str(path) == "-":
        typer.echo(data.decode("utf-8"))
    else:
        path.write_bytes(data)


@app.command("fairness", help=t("Group fairness of a predictions table, per sensitive feature and their intersection."))
def fairness_command(
    data: Annotated[
        Path, typer.Option(help=t("CSV (UTF-8 or GBK), Excel or Parquet file."), exists=True, dir_okay=False)
    ],
    target: Annotated[str, typer.Option(help=t("Column with the true label."))],
    prediction: Annotated[str, typer.Option(help=t("Column with the predicted label."))],
    sensitive: Annotated[str, typer.Option(help=t("Sensitive feature columns, comma-separated."))],
    score: Annotated[str | None, typer.Option(help=t("Column with the positive-class probability."))] = None,
    pos_label: Annotated[
        str | None, typer.Option(help=t("The positive label (default: 1, true, yes or the larger value)."))
    ] = None,
    bootstrap: Annotated[int, typer.Option(help=t("Bootstrap replicates for confidence intervals (0 = none)."))] = 0,
    min_group_size: Annotated[int, typer.Option(help=t("Groups smaller than this are flagged."))] = 30,
    json_out: Annotated[
        Path | None, typer.Option("--json", help=t("Write the full result as JSON to this file (- = stdout)."))
    ] = None,
) -> None:
    from gongzhi.assess import fairness, streaming, tables

    columns = _split(sensitive)
    options: dict[str, Any] = {"bootstrap": bootstrap, "min_group_size": min_group_size}
    try:
        if not columns:
            fail(t("Name at least one sensitive feature."))
        if tables.detect_format(data) == "parquet":
            if score:
                fail(t("--score is not supported for streamed Parquet input; use CSV or leave it out."))
            result = streaming.parquet_fairness(
                data, target=target, prediction=prediction, sensitive=columns, pos_label=pos_label, **options
            )
        else:
            frame = tables.read_table(data)
            result = fairness.table_fairness(
                frame,
                target=target,
                prediction=prediction,
                sensitive=columns,
                score=score,
                pos_label=pos_label,
                **options,
            )
    except GongzhiError as exc:
        fail(exc.detail(cli_locale()))
    table = Table(t("Feature"), t("Groups"), "DPD", "DPR", "EOD", "EOpD", t("Four-fifths rule"))
    for name, block in result["by_feature"].items():
        table.add_row(
            name,
            str(len(block["groups"])),
            *[
                "—" if block.get(k) is None else f"{block[k]:.4f}"
                for k in (
                    "demographic_parity_difference",
                    "demographic_parity_ratio",
                    "equalized_odds_difference",
                    "equal_opportunity_difference",
                )
            ],
            "—" if block.get("four_fifths_rule") is None else ("✓" if block["four_fifths_rule"] else "✗"),
        )
    console.print(table)
    if json_out is not None:
        _write(json_out, json.dumps(result, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8"))


@app.command("profiles", help=t("List the assessment profiles."))
def profiles_command() -> None:
    from gongzhi.standards import loader

    settings = load_settings()
    table = Table("id", t("Title"), t("Jurisdiction"), t("Verification"), t("Tests"), t("Process checks"))
    try:
        found = loader.of_kind("assessment", settings.profile_dirs)
    except loader.ProfileError as exc:
        fail(str(exc))
    for p in found:
        table.add_row(
            p.id,
            p.header.title.get(cli_locale()),
            p.header.jurisdiction or "",
            p.header.verification,
            str(len(p.body.tests)),
            str(len(p.body.process_checks)),
        )
    console.print(table)


def read_answers(path: Path | None) -> dict[str, Any]:
    """Process-check answers from a YAML or JSON file: ``{check_id: {answer, elaboration, evidence: [files]}}``."""
    from gongzhi.assess.engine import Answer

    if path is None:
        return {}
    import yaml

    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        fail(t("The answers file must map check ids to answers."))
    answers: dict[str, Answer] = {}
    for check_id, value in raw.items():
        value = value if isinstance(value, dict) else {"answer": value}
        answer = str(value.get("answer", "")).lower().replace(" ", "_")
        answer = {
            "y": "yes",
            "true": "yes",
            "n": "no",
            "false": "no",
            "na": "not_applicable",
            "n/a": "not_applicable",
        }.get(answer, answer)
        if answer not in ("yes", "no", "not_applicable"):
            fail(t("Answer of {check} must be yes, no or not_applicable.", check=check_id))
        evidence = []
        for item in value.get("evidence") or []:
            file = (path.parent / str(item)).resolve()
            if not file.is_file():
                fail(t("Evidence file {path} does not exist.", path=file))
            evidence.append({"name": file.name, "sha256": hashlib.sha256(file.read_bytes()).hexdigest()})
        answers[str(check_id)] = Answer(answer, str(value.get("elaboration") or ""), evidence)  # type: ignore[arg-type]
    return answers


@app.command("run", help=t("Run an assessment profile on test data (and a model or endpoint); write the reports."))
def run_command(
    profile: Annotated[str, typer.Option(help=t("Profile id (see gongzhi assess profiles)."))],
    data: Annotated[
        Path, typer.Option(help=t("Test data: CSV (UTF-8 or GBK), Excel or Parquet."), exists=True, dir_okay=False)
    ],
    target: Annotated[str, typer.Option(help=t("Column with the true label."))],
    prediction: Annotated[
        str | None, typer.Option(help=t("Column with the predicted label (predictions mode)."))
    ] = None,
    sensitive: Annotated[str | None, typer.Option(help=t("Sensitive feature columns, comma-separated."))] = None,
    score: Annotated[str | None, typer.Option(help=t("Column with the positive-class probability."))] = None,
    model: Annotated[
        Path | None,
        typer.Option(help=t("Model file: skops or ONNX (pickle/joblib are refused)."), exists=True, dir_okay=False),
    ] = None,
    endpoint: Annotated[str | None, typer.Option(help=t("REST prediction endpoint (JSON batch protocol)."))] = None,
    features: Annotated[
        str | None, typer.Option(help=t("Model input columns, comma-separated (default: all others)."))
    ] = None,
    train: Annotated[
        Path | None,
        typer.Option(help=t("Training data, for the membership-inference test."), exists=True, dir_okay=False),
    ] = None,
    answers: Annotated[
        Path | None, typer.Option(help=t("Process-check answers (YAML or JSON)."), exists=True, dir_okay=False)
    ] = None,
    pos_label: Annotated[
        str | None, typer.Option(help=t("The positive label (default: 1, true, yes or the larger value)."))
    ] = None,
    title: Annotated[str, typer.Option(help=t("Report title."))] = "",
    lang: Annotated[
        str | None, typer.Option(help=t("Report language: zh_CN or en (default: the command line's)."))
    ] = None,
    out: Annotated[Path | None, typer.Option(help=t("Write the HTML report here."))] = None,
    pdf: Annotated[Path | None, typer.Option(help=t("Write the PDF report here."))] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help=t("Write the JSON report here (- = stdout)."))] = None,
    timeout: Annotated[float, typer.Option(help=t("Seconds per endpoint request."))] = 10.0,
    seed: Annotated[int, typer.Option(help=t("Random seed (sampling, bootstrap, perturbations)."))] = 0,
) -> None:
    from gongzhi.assess import predictors, report, tables
    from gongzhi.assess.engine import AssessmentInputs, run_profile
    from gongzhi.standards import loader

    settings = load_settings()
    locale = lang or cli_locale()
    if locale not in ("zh_CN", "en"):
        fail(t("The report language must be zh_CN or en."))
    if model is not None and endpoint:
        fail(t("Give either --model or --endpoint, not both."))
    try:
        chosen = loader.get(profile, settings.profile_dirs, kind="assessment")
    except loader.ProfileError as exc:
        fail(str(exc))
    try:
        frame = tables.read_table(data)
        predictor = None
        model_info = None
        if model is not None:
            predictor = predictors.load_model(model)
            model_info = {
                "kind": predictor.kind,
                "name": model.name,
                "sha256": hashlib.sha256(model.read_bytes()).hexdigest(),
            }
        elif endpoint:
            predictor = predictors.EndpointPredictor(endpoint, features=_split(features) or None, timeout=timeout)
            model_info = {"kind": "endpoint", "url": endpoint}
        inputs = AssessmentInputs(
            data=frame,
            target=target,
            prediction=prediction,
            score=score,
            sensitive=_split(sensitive),
            features=_split(features) or None,
            predictor=predictor,
            train=tables.read_table(train) if train is not None else None,
            pos_label=pos_label,
            seed=seed,
            title=title,
            data_info={
                "name": data.name,
                "sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
                "rows": frame.height,
            },
            model_info=model_info,
        )
        given = read_answers(answers)
        columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task(t("Assessing"), total=1.0)

            def progress(fraction: float, message: str, params: dict[str, Any]) -> None:
                bar.update(task, completed=fraction, description=t(message, **params)[:70])

            result = run_profile(chosen, inputs, answers=given, progress=progress)
            bar.update(task, completed=1.0, description=t("Done"))
    except GongzhiError as exc:
        fail(exc.detail(cli_locale()))
    if json_out is not None:
        _write(json_out, report.json_bytes(result))
    if out is not None:
        out.write_bytes(report.render(result, locale))
    if pdf is not None:
        pdf.write_bytes(report.render(result, locale, pdf=True))
    summary = result["summary"]
    table = Table(t("Test"), t("Result"))
    for test in result["tests"]:
        table.add_row(test["test"], test["status"])
    console.print(table)
    console.print(t("Overall: {status}", status=summary["status"]))
