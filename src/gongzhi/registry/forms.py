"""The algorithm filing form (算法备案表), after the filing system's fields (SPEC 3.1, S).

Fields marked ``confidential`` never leave the regulator, the enterprise and cleared reviewers; the
public parts (``*Public``) are what the register publishes — including the public disclosure of
Art. 16 (basic principle, mechanism, scenarios, purpose).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from gongzhi.i18n import N_

CONFIDENTIAL: dict[str, JsonValue] = {"confidential": True}


class ProviderRole(StrEnum):
    service_provider = "service_provider"  # 服务提供者
    technical_supporter = "technical_supporter"  # 服务技术支持者


class Person(BaseModel):
    """A named responsible person; identity numbers and contacts are confidential."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="", max_length=100, json_schema_extra=CONFIDENTIAL)
    id_type: str = Field(default="", max_length=40, json_schema_extra=CONFIDENTIAL)
    id_number: str = Field(default="", max_length=40, json_schema_extra=CONFIDENTIAL)
    mobile: str = Field(default="", max_length=30, json_schema_extra=CONFIDENTIAL)
    email: str = Field(default="", max_length=254, json_schema_extra=CONFIDENTIAL)


class Entity(BaseModel):
    """主体信息: the provider as a legal entity."""

    model_config = ConfigDict(extra="forbid")

    uscc: str = Field(default="", max_length=18, description="unified social credit code")
    registered_place: str = Field(default="", max_length=200)
    website: str = Field(default="", max_length=300)
    address: str = Field(default="", max_length=300, json_schema_extra=CONFIDENTIAL)
    legal_representative: Person = Field(default_factory=Person, json_schema_extra=CONFIDENTIAL)
    algorithm_safety_officer: Person = Field(default_factory=Person, json_schema_extra=CONFIDENTIAL)


class Algorithm(BaseModel):
    """算法基础属性与详细属性."""

    model_config = ConfigDict(extra="forbid")

    role: ProviderRole = ProviderRole.service_provider
    launch_date: dt.date | None = None
    application_domain: str = Field(default="", max_length=300)
    summary: str = Field(default="", max_length=4000)
    use_scenarios: str = Field(default="", max_length=4000)
    input_modalities: list[str] = Field(default_factory=list, max_length=10)
    output_modalities: list[str] = Field(default_factory=list, max_length=10)
    model_and_training_data: str = Field(default="", max_length=8000, json_schema_extra=CONFIDENTIAL)
    strategy: str = Field(default="", max_length=8000, json_schema_extra=CONFIDENTIAL)
    risks_and_safeguards: str = Field(default="", max_length=8000, json_schema_extra=CONFIDENTIAL)


class Product(BaseModel):
    """产品及功能信息."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200)
    service_form: str = Field(default="", max_length=100, description="app, website, mini-program, API…")
    access_url: str = Field(default="", max_length=300)
    target_users: str = Field(default="", max_length=300)
    real_name_required: bool = False


class PublicDisclosure(BaseModel):
    """拟公示内容: what the provider publishes about the algorithm (Art. 16)."""

    model_config = ConfigDict(extra="forbid")

    basic_principle: str = Field(default="", max_length=4000)
    operating_mechanism: str = Field(default="", max_length=4000)
    application_scenarios: str = Field(default="", max_length=4000)
    purpose: str = Field(default="", max_length=4000)


class FilingForm(BaseModel):
    """The whole form of one filing."""

    model_config = ConfigDict(extra="forbid")

    entity: Entity = Field(default_factory=Entity)
    algorithm: Algorithm = Field(default_factory=Algorithm)
    products: list[Product] = Field(default_factory=list, max_length=50)
    public_disclosure: PublicDisclosure = Field(default_factory=PublicDisclosure)


#: What must be filled before a filing can be submitted (dotted paths), with a label for the message.
REQUIRED_TO_SUBMIT: dict[str, str] = {  # labels are message ids
    "entity.uscc": N_("unified social credit code"),
    "entity.algorithm_safety_officer.name": N_("algorithm safety officer"),
    "algorithm.launch_date": N_("launch date"),
    "algorithm.application_domain": N_("application domain"),
    "algorithm.summary": N_("algorithm summary"),
    "public_disclosure.basic_principle": N_("basic principle (public disclosure)"),
    "public_disclosure.operating_mechanism": N_("operating mechanism (public disclosure)"),
    "public_disclosure.application_scenarios": N_("application scenarios (public disclosure)"),
    "public_disclosure.purpose": N_("purpose (public disclosure)"),
}


def missing_required(form: FilingForm) -> list[str]:
    """The dotted paths of required fields that are empty."""
    data = form.model_dump()
    missing = []
    for path in REQUIRED_TO_SUBMIT:
        value: Any = data
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value in (None, "", [], {}):
            missing.append(path)
    return missing


def confidential_paths(model: type[BaseModel] = FilingForm, prefix: str = "") -> list[str]:
    """Dotted paths of every confidential field (a confidential section counts as a whole)."""
    paths: list[str] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if extra.get("confidential"):
            paths.append(path)
            continue
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            paths += confidential_paths(annotation, f"{path}.")
    return paths


def public_part(form: FilingForm) -> dict[str, Any]:
    """The form without any confidential field (what the public register may show)."""
    data = form.model_dump(mode="json")
    for path in confidential_paths():
        *parents, leaf = path.split(".")
        node: Any = data
        for part in parents:
            node = node.get(part, {})
        if isinstance(node, dict):
            node.pop(leaf, None)
    return data
