from __future__ import annotations

import pytest

from gongzhi.errors import InvalidInput
from gongzhi.registry import rules
from gongzhi.registry.forms import FilingForm, confidential_paths, missing_required, public_part


def test_filing_numbers_follow_the_configured_format() -> None:
    number = rules.filing_number(
        "{prefix}{year}{type_code}{seq:05d}",
        prefix="示范算备",
        year=2026,
        algorithm_type="generation_synthesis",
        seq=42,
        region="示范市",
    )
    assert number == "示范算备2026SC00042"
    with pytest.raises(InvalidInput):
        rules.filing_number("{prefix}{year}", prefix="x", year=2026, algorithm_type="x", seq=1, region="")
    with pytest.raises(InvalidInput):
        rules.check_number_format("{seq}{__class__}")


@pytest.mark.parametrize(
    ("old", "new", "major"),
    [("1.0", "2.0", True), ("1.2", "1.9", False), ("v2", "3.0.1", True), ("2.1", "2.1-hotfix", False)],
)
def test_major_versions(old: str, new: str, major: bool) -> None:
    assert rules.is_major_change(old, new) is major


def test_bad_versions_are_refused() -> None:
    for bad in ("", "latest", "1.x", "x" * 50):
        with pytest.raises(InvalidInput):
            rules.check_version(bad)


@pytest.mark.parametrize(
    ("head", "name", "expected"),
    [
        (b"%PDF-1.7 ...", "report.pdf", "application/pdf"),
        (b"%PDF-1.7 ...", "report.txt", "application/pdf"),  # the content decides, not the name
        (b"\x89PNG\r\n\x1a\n....", "chart.png", "image/png"),
        (b"PK\x03\x04....", "card.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (b"PK\x03\x04....", "tool.zip", None),
        (b"MZ\x90\x00 executable", "setup.exe", None),
        (b"MZ\x90\x00 executable", "notes.txt", None),
        ("自评估报告".encode(), "notes.md", "text/markdown"),
        ("自评估报告".encode("gbk"), "notes.txt", None),
        (b"\x80\x02cos\nsystem\n", "model.pkl", None),
        (b"<script>alert(1)</script>", "page.html", None),
    ],
)
def test_attachments_are_recognised_by_content(head: bytes, name: str, expected: str | None) -> None:
    assert rules.sniff(head, name) == expected


def test_the_public_part_of_a_form_has_no_confidential_field() -> None:
    form = FilingForm.model_validate(
        {
            "entity": {
                "uscc": "91330100MA2DEMO001",
                "address": "SECRET-ADDRESS",
                "algorithm_safety_officer": {"name": "SECRET-NAME"},
            },
            "algorithm": {"strategy": "SECRET-STRATEGY", "summary": "public summary"},
        }
    )
    public = public_part(form)
    assert "SECRET" not in str(public) and public["algorithm"]["summary"] == "public summary"
    assert public["entity"]["uscc"] == "91330100MA2DEMO001"
    assert set(confidential_paths()) >= {"entity.address", "algorithm.strategy", "entity.algorithm_safety_officer"}


def test_missing_required_fields_are_listed() -> None:
    assert "public_disclosure.purpose" in missing_required(FilingForm())
