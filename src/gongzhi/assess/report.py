"""From the report document (JSON) to a readable report in one language: HTML, PDF and the JSON bytes.

The JSON document is the record: language-neutral, canonical (sorted keys), validated against the
published schema (``report_model``). HTML and PDF are views of it in zh_CN or en.
"""

from __future__ import annotations

import json
from typing import Any

from gongzhi.assess.labels import (
    ANSWER_LABELS,
    FAMILY_LABELS,
    METRIC_LABELS,
    PERTURBATION_LABELS,
    STATUS_LABELS,
)
from gongzhi.i18n import N_, gettext
from gongzhi.reports import svg
from gongzhi.reports.document import Cell, Chart, Document, Facts, Note, Paragraph, Section, Table
from gongzhi.reports.render import render_html, render_pdf


def json_bytes(report: dict[str, Any]) -> bytes:
    """The canonical JSON of a report (sorted keys, UTF-8): its SHA-256 is what the ledger records."""
    return json.dumps(report, ensure_ascii=False, sort_keys=True, indent=1, allow_nan=False).encode("utf-8")


def _f(value: Any, digits: int = 4) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


class _Writer:
    def __init__(self, locale: str) -> None:
        self.locale = locale

    def t(self, message: str, **params: Any) -> str:
        return gettext(self.locale, message, **params)

    def loc(self, text: dict[str, str] | None) -> str:
        if not text:
            return ""
        return text.get(self.locale) or text.get("en") or next(iter(text.values()))

    def status(self, status: str) -> Cell:
        return Cell(self.t(STATUS_LABELS.get(status, status)), status)

    def metric(self, name: str) -> str:
        return self.t(METRIC_LABELS[name]) if name in METRIC_LABELS else name

    def message(self, item: dict[str, Any] | None) -> str:
        if not item:
            return ""
        params = dict(item.get("params") or {})
        try:
            return self.t(item["message"], **params)
        except (KeyError, IndexError):
            return self.t(item["message"])


def build_document(report: dict[str, Any], locale: str) -> Document:
    """The report as a document in ``locale`` (zh_CN or en)."""
    w = _Writer(locale)
    profile, subject, summary = report["profile"], report["subject"], report["summary"]
    title = report.get("title") or w.t("Trustworthy-AI assessment report")
    facts: list[tuple[str, str | Cell]] = [
        (w.t("Profile"), f"{w.loc(profile['title'])} ({profile['id']})"),
        (w.t("Verification of the encoded standard"), _verification(w, profile["verification"])),
        (w.t("Task"), w.t(_TASKS.get(subject["task"], subject["task"]))),
        (w.t("Test data"), f"{subject['data'].get('name', '')} · {w.t('{n} rows', n=subject['rows'])}"),
    ]
    if subject["data"].get("sha256"):
        facts.append((w.t("Test data SHA-256"), subject["data"]["sha256"]))
    if subject.get("model"):
        model = subject["model"]
        facts.append((w.t("Model"), f"{model.get('kind', '')} {model.get('name') or model.get('url') or ''}".strip()))
        if model.get("sha256"):
            facts.append((w.t("Model SHA-256"), model["sha256"]))
    facts += [
        (w.t("Target"), subject["target"]),
        (w.t("Sensitive features"), ", ".join(subject["sensitive"]) or "—"),
        (w.t("Generated"), report["generated_at"]),
    ]
    doc = Document(
        title=title,
        locale=locale,
        subtitle=w.t("Trustworthy-AI assessment (可信人工智能评估测试)")
        if locale == "en"
        else "可信人工智能评估测试报告",
        headline=Cell(
            w.t("Overall result: {status}", status=w.t(_OVERALL[summary["status"]])), _OVERALL_STATUS[summary["status"]]
        ),
        facts=facts,
        footer=f"{profile['id']} · sha256 {profile['sha256'][:16]}…",
    )
    doc.sections.append(_summary_section(w, report))
    doc.sections.append(_controls_section(w, report))
    tests = Section(w.t("Test results"), anchor="tests")
    for test in report["tests"]:
        tests.subsections.append(_test_section(w, test))
    doc.sections.append(tests)
    if report["process_checks"]:
        doc.sections.append(_process_section(w, report))
    doc.sections.append(_method_section(w, report))
    return doc


_TASKS = {
    "binary": N_("Binary classification"),
    "multiclass": N_("Multi-class classification"),
    "regression": N_("Regression"),
}
_OVERALL = {"pass": N_("all controls met"), "fail": N_("some controls not met"), "incomplete": N_("incomplete")}
_OVERALL_STATUS = {"pass": "pass", "fail": "fail", "incomplete": "incomplete"}


def _verification(w: _Writer, label: str) -> str:
    return {
        "V": w.t("V — verified against a retrievable source"),
        "S": w.t("S — secondary source only (medium confidence)"),
        "R": w.t("R — recalled, not checked against the official text (low confidence)"),
    }.get(label, label)


def _summary_section(w: _Writer, report: dict[str, Any]) -> Section:
    summary = report["summary"]
    section = Section(w.t("Summary"), anchor="summary")
    counts = summary["tests"]
    section.blocks.append(
        Facts(
            [(w.t(STATUS_LABELS.get(k, k)), str(v)) for k, v in sorted(counts.items())]
            + [
                (
                    w.t("Process checks answered"),
                    f"{summary['process_checks']['answered']} / {summary['process_checks']['total']}",
                )
            ]
        )
    )
    rows = []
    bars = []
    for p in report["principles"]:
        score = p["score"]
        rows.append(
            [
                w.loc(p["title"]),
                str(p["controls"]),
                str(p["passed"]),
                str(p["failed"]),
                "—" if score is None else f"{score:.0%}",
            ]
        )
        bars.append((w.loc(p["title"]), score, None))
    section.blocks.append(
        Table([w.t("Principle"), w.t("Controls"), w.t("Met"), w.t("Not met"), w.t("Score")], rows, numeric=(1, 2, 3, 4))
    )
    section.blocks.append(
        Chart(
            svg.bar_chart(bars, title=w.t("Share of assessed controls met, per principle"), max_value=1.0, digits=2),
            w.t("Controls with no evidence yet are not counted."),
        )
    )
    return section


def _controls_section(w: _Writer, report: dict[str, Any]) -> Section:
    keys = {item["key"]: item for item in report["tests"]}
    rows = []
    for c in report["controls"]:
        evidence = [w.t(keys[k]["title"]) for k in c["tests"]] + c["process_checks"]
        rows.append(
            [c["id"], w.loc(c["title"]), c.get("reference") or "", w.status(c["status"]), "; ".join(evidence) or "—"]
        )
    return Section(
        w.t("Controls"),
        [Table([w.t("Control"), w.t("Requirement"), w.t("Reference"), w.t("Result"), w.t("Evidence")], rows)],
        anchor="controls",
    )


def _test_section(w: _Writer, test: dict[str, Any]) -> Section:
    family = w.t(FAMILY_LABELS.get(test.get("family") or "", "")) if test.get("family") else ""
    section = Section(f"{w.t(test['title'])} · {family}" if family else w.t(test["title"]), anchor=test["key"])
    section.blocks.append(Facts([(w.t("Test"), test["test"]), (w.t("Result"), w.status(test["status"]))]))
    if test.get("error"):
        level = "info" if test["status"] == "skipped" else "error"
        section.blocks.append(Note(w.message(test["error"]), level))
        return section
    if test["thresholds"]:
        rows: list[list[str | Cell]] = []
        for th in test["thresholds"]:
            bound = " ".join(
                x
                for x in (
                    f"≤ {th['max']}" if th["max"] is not None else "",
                    f"≥ {th['min']}" if th["min"] is not None else "",
                )
                if x
            )
            rows.append(
                [
                    w.metric(th["metric"]),
                    _f(th["value"]),
                    bound,
                    w.status(th["outcome"] if th["outcome"] != "undefined" else "inconclusive"),
                ]
            )
        section.blocks.append(Table([w.t("Metric"), w.t("Value"), w.t("Threshold"), w.t("Result")], rows, numeric=(1,)))
    shown = [
        k for k, v in test["metrics"].items() if v is not None and k not in {th["metric"] for th in test["thresholds"]}
    ]
    if shown:
        section.blocks.append(
            Table([w.t("Metric"), w.t("Value")], [[w.metric(k), _f(test["metrics"][k])] for k in shown], numeric=(1,))
        )
    details = test["details"]
    renderer = _DETAILS.get(test["test"].split("@")[0])
    if renderer is not None:
        section.blocks += renderer(w, details)
    for warning in test.get("warnings", [])[:20]:
        section.blocks.append(Note(w.message(warning), "warning"))
    return section


def _performance(w: _Writer, d: dict[str, Any]) -> list[Any]:
    blocks: list[Any] = []
    cm = d.get("confusion_matrix")
    if cm:
        labels = [
            w.t(N_("negative")) if x == "negative" else w.t(N_("positive")) if x == "positive" else x
            for x in cm["labels"]
        ]
        blocks.append(
            Chart(
                svg.heatmap(cm["matrix"], labels, labels, title=w.t("Confusion matrix")),
                w.t("Rows: true class; columns: predicted class."),
            )
        )
    cal = d.get("calibration")
    if cal and cal["table"]:
        xs = [r["mean_score"] for r in cal["table"]]
        ys = [r["positive_rate"] for r in cal["table"]]
        blocks.append(
            Chart(
                svg.line_chart(
                    [(w.t("model"), xs, ys)],
                    title=w.t("Calibration"),
                    x_label=w.t("Mean predicted probability"),
                    y_label=w.t("Observed positive rate"),
                    diagonal=True,
                    x_range=(0, 1),
                    y_range=(0, 1),
                ),
                w.t("A well-calibrated model follows the diagonal."),
            )
        )
    return blocks


def _fairness(w: _Writer, d: dict[str, Any]) -> list[Any]:
    blocks: list[Any] = []
    for name, block in d.get("by_feature", {}).items():
        title = (
            w.t("Intersection of {features}", features=" × ".join(block.get("features", [])))
            if name.startswith("intersection")
            else name
        )
        blocks.append(Paragraph(w.t("Sensitive feature: {name}", name=title)))
        if "mae" in (block["groups"][0] if block["groups"] else {}):
            cols = ["count", "mae", "rmse", "mean_error"]
        else:
            cols = ["count", "selection_rate", "tpr", "fpr", "fnr", "ppv", "accuracy"] + (
                ["roc_auc"] if block["groups"] and "roc_auc" in block["groups"][0] else []
            )
        rows = [[g["label"], *[_f(g.get(c), 3) for c in cols]] for g in block["groups"]]
        blocks.append(Table([w.t("Group"), *[w.metric(c) for c in cols]], rows, numeric=tuple(range(1, len(cols) + 1))))
        if "selection_rate" in cols:
            blocks.append(
                Chart(
                    svg.bar_chart(
                        [(g["label"], g["selection_rate"], None) for g in block["groups"]],
                        title=w.t("Selection rate by group"),
                        max_value=1.0,
                    )
                )
            )
            ci = block.get("confidence_intervals") or {}
            rows = []
            for m in (
                "demographic_parity_difference",
                "demographic_parity_ratio",
                "equalized_odds_difference",
                "equal_opportunity_difference",
                "disparate_impact",
            ):
                interval = ci.get(m)
                rows.append(
                    [w.metric(m), _f(block.get(m)), "—" if not interval else f"[{interval[0]:.4f}, {interval[1]:.4f}]"]
                )
            level = block.get("confidence_level")
            caption = w.t("{level:.0%} bootstrap confidence intervals", level=level) if level else ""
            blocks.append(
                Table([w.t("Disparity"), w.t("Value"), w.t("Confidence interval")], rows, caption=caption, numeric=(1,))
            )
            if block.get("four_fifths_rule") is not None:
                blocks.append(
                    Facts([(w.t("Four-fifths rule"), w.status("pass" if block["four_fifths_rule"] else "fail"))])
                )
        else:
            blocks.append(
                Facts(
                    [
                        (w.metric(k), _f(block.get(k)))
                        for k in ("mae_difference", "mae_ratio", "rmse_difference", "rmse_ratio")
                    ]
                )
            )
    return blocks


def _quality(w: _Writer, d: dict[str, Any]) -> list[Any]:
    worst = sorted(d["missing"], key=lambda m: -m["share"])[:10]
    blocks: list[Any] = [
        Table(
            [w.t("Column"), w.t("Missing"), w.t("Share")],
            [[m["column"], _f(m["missing"]), f"{m['share']:.2%}"] for m in worst],
            caption=w.t("Columns with the most missing values"),
            numeric=(1, 2),
        )
    ]
    if d["class_balance"]:
        blocks.append(
            Chart(
                svg.bar_chart(
                    [(b["value"], b["share"], None) for b in d["class_balance"][:20]],
                    title=w.t("Class balance"),
                    max_value=1.0,
                )
            )
        )
    if d["groups"]:
        blocks.append(
            Chart(
                svg.bar_chart(
                    [(f"{g['feature']}={g['group']}", g["share"], None) for g in d["groups"][:30]],
                    title=w.t("Group representation"),
                    max_value=1.0,
                )
            )
        )
    return blocks


def _robustness(w: _Writer, d: dict[str, Any]) -> list[Any]:
    rows = []
    for c in d["cases"]:
        result = w.message({"message": c["error"], "params": c.get("error_params", {})}) if c.get("error") else ""
        rows.append(
            [
                w.t(PERTURBATION_LABELS.get(c["perturbation"], c["perturbation"])),
                _f(c["strength"], 2),
                _f(c["score"]),
                _f(c["flip_rate"]),
                result,
            ]
        )
    blocks: list[Any] = [
        Facts([(w.t("Baseline score"), _f(d["baseline"]))]),
        Table(
            [w.t("Perturbation"), w.t("Strength"), w.t("Score"), w.t("Flip rate"), w.t("Error")],
            rows,
            numeric=(1, 2, 3),
        ),
    ]
    series = []
    for kind in dict.fromkeys(c["perturbation"] for c in d["cases"]):
        points = [
            (c["strength"], c["flip_rate"])
            for c in d["cases"]
            if c["perturbation"] == kind and c["flip_rate"] is not None
        ]
        if points:
            series.append((w.t(PERTURBATION_LABELS.get(kind, kind)), [p[0] for p in points], [p[1] for p in points]))
    if series:
        blocks.append(
            Chart(
                svg.line_chart(
                    series,
                    title=w.t("Prediction-flip rate by strength"),
                    x_label=w.t("Strength"),
                    y_label=w.t("Flip rate"),
                    y_range=(0, max(0.05, max(y for s in series for y in s[2]))),
                )
            )
        )
    return blocks


def _importance(w: _Writer, d: dict[str, Any]) -> list[Any]:
    rows = d["permutation_importance"][:25]
    blocks: list[Any] = [
        Chart(
            svg.bar_chart(
                [(r["feature"], max(r["importance"], 0.0), None) for r in rows],
                title=w.t("Permutation importance (drop in score)"),
            )
        )
    ]
    for pd in d.get("partial_dependence", []):
        values = pd["values"]
        if values and all(isinstance(v, float) for v in values):
            blocks.append(
                Chart(
                    svg.line_chart(
                        [(pd["feature"], values, pd["average"])],
                        title=w.t("Partial dependence: {feature}", feature=pd["feature"]),
                        x_label=pd["feature"],
                        y_label=w.t("Average model output"),
                    )
                )
            )
        else:
            blocks.append(
                Chart(
                    svg.bar_chart(
                        [(str(v), a, None) for v, a in zip(values, pd["average"], strict=True)],
                        title=w.t("Partial dependence: {feature}", feature=pd["feature"]),
                    )
                )
            )
    return blocks


def _shap(w: _Writer, d: dict[str, Any]) -> list[Any]:
    return [
        Chart(
            svg.bar_chart(
                [(r["feature"], r["mean_abs_shap"], None) for r in d["shap"][:25]],
                title=w.t("Mean absolute SHAP value"),
            )
        )
    ]


def _membership(w: _Writer, d: dict[str, Any]) -> list[Any]:
    return [
        Facts([(w.t("Training rows used"), _f(d["members"])), (w.t("Test rows used"), _f(d["non_members"]))]),
        Paragraph(
            w.t(
                "The attack calls a row a training member when the model is at least this confident in its true "
                "label; an advantage near 0 means the attack cannot tell members from other rows."
            )
        ),
    ]


def _personal(w: _Writer, d: dict[str, Any]) -> list[Any]:
    if not d["columns"]:
        return [Paragraph(w.t("No personal-information columns were found."))]
    return [Table([w.t("Column"), w.t("Entity type")], [[c["column"], c["entity_type"]] for c in d["columns"]])]


_DETAILS = {
    "gongzhi.assess.performance": _performance,
    "gongzhi.assess.fairness": _fairness,
    "gongzhi.assess.data_quality": _quality,
    "gongzhi.assess.robustness": _robustness,
    "gongzhi.assess.explainability": _importance,
    "gongzhi.assess.shap": _shap,
    "gongzhi.assess.membership_inference": _membership,
    "gongzhi.assess.personal_information": _personal,
}


def _process_section(w: _Writer, report: dict[str, Any]) -> Section:
    rows = []
    for c in report["process_checks"]:
        answer = w.t(ANSWER_LABELS[c["answer"]]) if c["answer"] else w.t("Unanswered")
        evidence = ", ".join(f"{e.get('name', '')} ({str(e.get('sha256', ''))[:12]})" for e in c["evidence"]) or "—"
        rows.append(
            [c["id"], c["control"], w.loc(c["question"]), Cell(answer, c["status"]), c["elaboration"] or "—", evidence]
        )
    return Section(
        w.t("Process checks"),
        [
            Table(
                [w.t("Check"), w.t("Control"), w.t("Question"), w.t("Answer"), w.t("Elaboration"), w.t("Evidence")],
                rows,
            )
        ],
        anchor="process",
    )


def _method_section(w: _Writer, report: dict[str, Any]) -> Section:
    blocks: list[Any] = [
        Paragraph(
            w.t(
                "Thresholds come from the profile, not from the software. A test without thresholds is reported for "
                "information. A rate that is undefined for a group (for example the true positive rate of a group "
                "with no positive cases) is left out of the differences and named in a warning, never counted as "
                "zero."
            )
        ),
        Paragraph(
            w.t(
                "Fairness differences are the largest minus the smallest group value; ratios are the smallest "
                "divided by the largest, as in Fairlearn. Confidence intervals come from resampling the rows "
                "(bootstrap)."
            )
        ),
    ]
    if report["profile"]["verification"] != "V":
        blocks.append(
            Note(
                w.t(
                    "The encoded standard is not fully verified against its official text; read the results with the "
                    "confidence shown for each control."
                ),
                "warning",
            )
        )
    sources = [
        f"{s['id']}: {s['title']}" + (f" ({s['url']})" if s.get("url") else "")
        for s in report["profile"].get("sources", [])
    ]
    if sources:
        blocks.append(Facts([(w.t("Sources"), "; ".join(sources))]))
    return Section(w.t("Method and limitations"), blocks, anchor="method")


def render(report: dict[str, Any], locale: str, *, pdf: bool = False) -> bytes:
    """The report as HTML bytes (or PDF bytes) in ``locale``."""
    html = render_html(build_document(report, locale))
    return render_pdf(html) if pdf else html.encode("utf-8")
