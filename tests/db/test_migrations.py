"""The migrations build exactly the tables the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from gongzhi.areas import import_models
from gongzhi.db.base import Base
from gongzhi.db.migrate import current_revisions, head_revisions


def test_database_is_at_the_newest_revision(engine: Engine, db_url: str) -> None:
    assert current_revisions(engine) == head_revisions(db_url)


def test_models_and_migrations_agree(engine: Engine) -> None:
    import_models()
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    assert diff == [], f"models differ from the migrations; run `make migration m=...`: {diff}"


def test_every_table_either_is_ledgered_or_says_why_not() -> None:
    import_models()
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        reason = getattr(cls, "__ledger_exempt__", None)
        assert reason is None or (isinstance(reason, str) and len(reason) > 10), cls.__name__
