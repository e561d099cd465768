"""Pure rules of the register: tiering facts, filing numbers, versions, attachment types."""

from __future__ import annotations

import re
import string
from typing import Any

from gongzhi.errors import InvalidInput
from gongzhi.i18n import N_
from gongzhi.registry.fields import ALGORITHM_TYPE_CODES

#: The system fields a tiering profile may read.
FACT_FIELDS = (
    "algorithm_type",
    "deployment_scope",
    "sector",
    "model_kind",
    "public_opinion",
    "social_mobilisation",
    "processes_personal_info",
    "processes_sensitive_personal_info",
    "automated_decisions",
    "interacts_with_people",
    "general_purpose_model",
    "eu_annex_iii_area",
    "eu_practices",
    "monthly_active_users",
)


def facts_of(system: Any) -> dict[str, Any]:
    """The facts about a system that tiering rules read (enums as their values)."""
    facts: dict[str, Any] = {}
    for name in FACT_FIELDS:
        value = getattr(system, name, None)
        facts[name] = getattr(value, "value", value)
    facts["eu_practices"] = sorted(facts.get("eu_practices") or [])
    return facts


FORMAT_FIELDS = {"prefix", "year", "type_code", "seq", "region"}


def check_number_format(fmt: str) -> None:
    """Refuse a filing-number format with unknown placeholders or without {seq}."""
    names = {field for _, field, _, _ in string.Formatter().parse(fmt) if field}
    unknown = names - FORMAT_FIELDS
    if unknown or "seq" not in names:
        raise InvalidInput(
            N_("The filing number format needs {seq} and may use only {fields}."),
            field="registry_filing_number_format",
            seq="{seq}",
            fields=", ".join("{" + f + "}" for f in sorted(FORMAT_FIELDS)),
        )


def filing_number(fmt: str, *, prefix: str, year: int, algorithm_type: str, seq: int, region: str) -> str:
    """A filing number (备案编号) such as 示范算备2026SC00042."""
    check_number_format(fmt)
    return fmt.format(
        prefix=prefix, year=year, type_code=ALGORITHM_TYPE_CODES.get(algorithm_type, "XX"), seq=seq, region=region
    )


VERSION = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?([-+][0-9A-Za-z.\-]+)?$")


def check_version(text: str) -> str:
    """A version label: 1, 1.2, v2.0.1, 3.1-beta …"""
    label = text.strip()
    if not label or len(label) > 40 or not VERSION.match(label):
        raise InvalidInput(N_("A version looks like 1.0, 2.3.1 or v3."), field="version")
    return label


def major(text: str) -> int:
    """The major number of a version label."""
    match = VERSION.match(text.strip())
    return int(match.group(1)) if match else 0


def is_major_change(old: str, new: str) -> bool:
    """True when ``new`` has a higher major version than ``old`` (which calls for re-assessment)."""
    return major(new) > major(old)


#: Attachment kinds a filing accepts.
ATTACHMENT_KINDS = ("self_assessment", "model_card", "assessment_report", "commitment", "evidence")

#: Accepted file types, recognised by their first bytes (never by the name the browser sent).
_SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"PK\x03\x04", "application/zip"),  # .docx, .xlsx, .odt … are zip containers
]
_OFFICE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
}
_TEXT = {".txt": "text/plain", ".md": "text/markdown", ".csv": "text/csv", ".json": "application/json"}


def sniff(head: bytes, filename: str) -> str | None:
    """The content type of an accepted attachment, or None when the file is not one we accept."""
    suffix = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    for magic, content_type in _SIGNATURES:
        if head.startswith(magic):
            if content_type == "application/zip":
                return _OFFICE.get(suffix)  # a zip that is not an office document is refused
            return content_type
    if suffix in _TEXT:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # a multi-byte character cut at the end of the sample is fine
                return None
        return _TEXT[suffix] if b"\x00" not in head else None
    return None
