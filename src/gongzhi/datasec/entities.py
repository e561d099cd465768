"""Entity types (实体类型): the kinds of sensitive data the recognizers find, with stable upper-case names.

Each type names its group (what a grading profile maps to a category) and the masking strategy used by
default for masked examples and de-identified copies.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongzhi.i18n import N_


@dataclass(frozen=True)
class EntityType:
    """One kind of sensitive data."""

    name: str
    label: str  # English message id
    group: str  # identity, contact, financial, organisation, device, location, person, sensitive, other
    mask: str  # default strategy id in gongzhi.datasec.masking


ENTITY_TYPES: dict[str, EntityType] = {
    e.name: e
    for e in (
        EntityType("CN_RESIDENT_ID", N_("Resident ID number"), "identity", "partial"),
        EntityType("CN_RESIDENCE_PERMIT", N_("HK/Macao/Taiwan residence permit"), "identity", "partial"),
        EntityType("PASSPORT", N_("Passport number"), "identity", "partial"),
        EntityType("CN_HMT_PERMIT", N_("Home-return permit (HK/Macao)"), "identity", "partial"),
        EntityType("CN_HK_MACAO_PASS", N_("Mainland permit to HK/Macao"), "identity", "partial"),
        EntityType("CN_TW_PERMIT", N_("Taiwan residents' permit"), "identity", "partial"),
        EntityType("HK_ID", N_("Hong Kong identity card"), "identity", "partial"),
        EntityType("US_SSN", N_("US Social Security number"), "identity", "partial"),
        EntityType("CN_MOBILE", N_("Mainland mobile number"), "contact", "partial"),
        EntityType("CN_LANDLINE", N_("Mainland landline number"), "contact", "partial"),
        EntityType("US_PHONE", N_("US phone number"), "contact", "partial"),
        EntityType("EMAIL", N_("Email address"), "contact", "partial"),
        EntityType("BANK_CARD", N_("Bank card number"), "financial", "partial"),
        EntityType("CREDIT_CARD", N_("Credit card number"), "financial", "partial"),
        EntityType("IBAN", N_("IBAN"), "financial", "partial"),
        EntityType("CN_USCC", N_("Unified social credit code"), "organisation", "keep"),
        EntityType("CN_ORG_CODE", N_("Organisation code"), "organisation", "keep"),
        EntityType("CN_PLATE", N_("Vehicle plate"), "location", "partial"),
        EntityType("IPV4", N_("IPv4 address"), "device", "partial"),
        EntityType("IPV6", N_("IPv6 address"), "device", "partial"),
        EntityType("MAC_ADDRESS", N_("MAC address"), "device", "partial"),
        EntityType("IMEI", N_("IMEI"), "device", "partial"),
        EntityType("URL", N_("URL"), "device", "suppress"),
        EntityType("GPS_COORDINATES", N_("GPS coordinates"), "location", "generalise"),
        EntityType("DATE_OF_BIRTH", N_("Date of birth"), "person", "generalise"),
        EntityType("PERSON_NAME", N_("Person name"), "person", "partial"),
        EntityType("ADDRESS", N_("Postal address"), "location", "generalise"),
        EntityType("SENSITIVE_HEALTH", N_("Health information"), "sensitive", "suppress"),
        EntityType("SENSITIVE_RELIGION", N_("Religious belief"), "sensitive", "suppress"),
        EntityType("SENSITIVE_BIOMETRIC", N_("Biometric information"), "sensitive", "suppress"),
        EntityType("SENSITIVE_FINANCE", N_("Financial account information"), "sensitive", "suppress"),
    )
}


def entity_label(name: str | None) -> str:
    """The English label of an entity type (message id), or the name itself when unknown."""
    if name is None:
        return N_("None")
    found = ENTITY_TYPES.get(name)
    return found.label if found else name
