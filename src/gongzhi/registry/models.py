"""Tables of the register: AI systems and versions, filings and their revisions, attachments,
expert reviews, tiering results and reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gongzhi.db.base import Base, utcnow
from gongzhi.identity.models import Organisation
from gongzhi.registry.fields import AlgorithmType, DeploymentScope, ModelKind, Sector
from gongzhi.registry.workflow import FilingState


def _enum(cls: type, length: int = 40) -> Enum:
    return Enum(cls, native_enum=False, length=length)


class AISystem(Base):
    """An AI system (人工智能系统) as deployed by a provider, with its versions."""

    __tablename__ = "registry_systems"
    __table_args__ = (Index("ix_registry_systems_org_name", "org_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    sector: Mapped[Sector] = mapped_column(_enum(Sector))
    deployment_scope: Mapped[DeploymentScope] = mapped_column(_enum(DeploymentScope))
    region: Mapped[str] = mapped_column(String(200))
    expected_users: Mapped[str] = mapped_column(String(300), default="")
    model_kind: Mapped[ModelKind] = mapped_column(_enum(ModelKind))
    algorithm_type: Mapped[AlgorithmType] = mapped_column(_enum(AlgorithmType))
    public_opinion: Mapped[bool] = mapped_column(default=False)
    social_mobilisation: Mapped[bool] = mapped_column(default=False)
    processes_personal_info: Mapped[bool] = mapped_column(default=False)
    processes_sensitive_personal_info: Mapped[bool] = mapped_column(default=False)
    automated_decisions: Mapped[bool] = mapped_column(default=False)
    interacts_with_people: Mapped[bool] = mapped_column(default=False)
    general_purpose_model: Mapped[bool] = mapped_column(default=False)
    eu_annex_iii_area: Mapped[str | None] = mapped_column(String(40))
    eu_practices: Mapped[list[str]] = mapped_column(default=list)
    #: The current tier by tiering profile id (the newest row of registry_tierings for each profile).
    tiers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # confidential
    data_sources: Mapped[str] = mapped_column(Text, default="")
    monthly_active_users: Mapped[int | None] = mapped_column(BigInteger)
    technical_contact: Mapped[str] = mapped_column(String(300), default="")
    internal_notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    versions: Mapped[list[SystemVersion]] = relationship(
        back_populates="system", order_by="SystemVersion.id", lazy="selectin"
    )


class SystemVersion(Base):
    """One version of a system; a new major version calls for re-assessment."""

    __tablename__ = "registry_system_versions"
    __table_args__ = (UniqueConstraint("system_id", "version", name="uq_registry_system_versions_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("registry_systems.id"), index=True)
    version: Mapped[str] = mapped_column(String(40))
    released_on: Mapped[dt.date | None]
    changes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    system: Mapped[AISystem] = relationship(back_populates="versions")


class Filing(Base):
    """A filing (备案): the submission of one system version for review, with its state."""

    __tablename__ = "registry_filings"
    __table_args__ = (
        Index("ix_registry_filings_state_id", "state", "id"),
        Index("ix_registry_filings_public", "state", "decided_at"),
        # The register's LIKE '%term%' search: a trigram index on PostgreSQL (plain, and unused, elsewhere).
        Index(
            "ix_registry_filings_search",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("registry_systems.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("registry_system_versions.id"))
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    state: Mapped[FilingState] = mapped_column(_enum(FilingState, 30), default=FilingState.draft)
    form: Mapped[dict[str, Any]] = mapped_column(default=dict)
    revision: Mapped[int] = mapped_column(default=0)
    filing_number: Mapped[str | None] = mapped_column(String(80), unique=True)
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    declared_at: Mapped[dt.datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[dt.datetime | None]
    decided_at: Mapped[dt.datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(Text)
    review_due_at: Mapped[dt.datetime | None]
    reassessment_due_at: Mapped[dt.datetime | None]
    #: The ledger entry of the latest decision (its proof is what the public register links to).
    decision_seq: Mapped[int | None] = mapped_column(BigInteger)
    #: Lower-case text the public register searches (names, provider, number, purpose); set on decisions.
    search_text: Mapped[str] = mapped_column(Text, default="")

    system: Mapped[AISystem] = relationship(lazy="joined")
    version: Mapped[SystemVersion] = relationship(lazy="joined")
    reviews: Mapped[list[Review]] = relationship(back_populates="filing", order_by="Review.id", lazy="selectin")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="filing", order_by="Attachment.id", lazy="selectin"
    )


class FilingRevision(Base):
    """What was submitted each time (a frozen copy of the form and the attachment hashes)."""

    __tablename__ = "registry_filing_revisions"
    __table_args__ = (UniqueConstraint("filing_id", "number", name="uq_registry_filing_revisions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("registry_filings.id"), index=True)
    number: Mapped[int]
    form: Mapped[dict[str, Any]]
    attachments: Mapped[list[str]] = mapped_column(default=list)
    sha256: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Attachment(Base):
    """A document attached to a filing, stored by content hash (never executed, never unpickled)."""

    __tablename__ = "registry_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("registry_filings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    #: An assessment report of the platform (assess area), when the attachment is one.
    report_ref: Mapped[str | None] = mapped_column(String(100))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    filing: Mapped[Filing] = relationship(back_populates="attachments")


class Review(Base):
    """An expert's review (评审) of a filing: assignment, conflict declaration, opinion."""

    __tablename__ = "registry_reviews"
    __table_args__ = (UniqueConstraint("filing_id", "expert_id", name="uq_registry_reviews_expert"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("registry_filings.id"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    due_at: Mapped[dt.datetime]
    #: None until declared; True = a conflict of interest (recused), False = declared free of conflicts.
    conflict: Mapped[bool | None]
    conflict_statement: Mapped[str | None] = mapped_column(Text)
    declared_at: Mapped[dt.datetime | None]
    opinion: Mapped[str | None] = mapped_column(String(20))
    reasons: Mapped[str | None] = mapped_column(Text)
    opinion_at: Mapped[dt.datetime | None]
    #: The filing revision the opinion is about.
    revision: Mapped[int | None]

    filing: Mapped[Filing] = relationship(back_populates="reviews")
    expert: Mapped[Any] = relationship("User", foreign_keys=[expert_id], lazy="joined")


class TieringRecord(Base):
    """The result of tiering a system with one profile at one time (the history is kept)."""

    __tablename__ = "registry_tierings"
    __table_args__ = (Index("ix_registry_tierings_system_profile", "system_id", "profile_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("registry_systems.id"))
    profile_id: Mapped[str] = mapped_column(String(100))
    profile_sha256: Mapped[str] = mapped_column(String(64))
    tier: Mapped[str] = mapped_column(String(60))
    rank: Mapped[int]
    result: Mapped[dict[str, Any]]
    facts_sha256: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Reminder(Base):
    """A reminder to a user: a review or a re-assessment coming due."""

    __tablename__ = "registry_reminders"
    __ledger_exempt__ = "notifications derived from due dates that are themselves ledgered"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_registry_reminders_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    key: Mapped[str] = mapped_column(String(120))
    message: Mapped[str] = mapped_column(String(300))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    link: Mapped[str] = mapped_column(String(300))
    due_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    dismissed_at: Mapped[dt.datetime | None]
