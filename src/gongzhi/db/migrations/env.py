"""Alembic environment: the URL comes from the caller, the tables from every installed area."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import JSON

from gongzhi.areas import import_models
from gongzhi.db.base import Base
from gongzhi.db.engine import make_engine


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """When generating an area's revision, look only at that area's tables (named ``<area>_…``)."""
    prefix = context.config.attributes.get("table_prefix")
    if not prefix or type_ != "table":
        return True
    return bool(name and name.startswith(prefix))


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write our shared column types by name, so generated scripts import nothing dialect-specific."""
    if type_ == "type" and isinstance(obj, JSON) and getattr(obj, "_variant_mapping", None):
        return "gongzhi.db.base.JSONDocument"
    return False


import_models()
target_metadata = Base.metadata
url = context.config.attributes.get("database_url") or context.config.get_main_option("sqlalchemy.url")
if not url:
    raise RuntimeError("no database URL given to the migrations")

if context.is_offline_mode():
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=True,
                compare_type=True,
                render_item=render_item,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()
