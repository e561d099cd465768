"""Alembic migrations, run from code (``gongzhi db upgrade``); the scripts live in ``migrations/``.

The platform's tables are the trunk (0001…). Each area's migrations form a branch of their own that
starts from the trunk (``branch_labels = ("registry",)``, ``down_revision = "0001"``), so areas built in
parallel never fight over one linear history; ``upgrade`` applies every branch ("heads").
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from gongzhi.db.engine import make_engine


def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url`` without an alembic.ini file."""
    config = Config()
    config.set_main_option("script_location", "gongzhi.db:migrations")
    config.attributes["database_url"] = url
    return config


def upgrade(url: str, revision: str = "heads") -> None:
    """Bring the database at ``url`` up to ``revision`` (every branch's newest by default)."""
    command.upgrade(alembic_config(url), revision)


def current_revisions(engine: Engine) -> set[str]:
    """The revisions the database is at (one per branch); empty for an empty database."""
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def head_revisions(url: str) -> set[str]:
    """The newest revision of every branch the code knows."""
    return set(ScriptDirectory.from_config(alembic_config(url)).get_heads())


def is_up_to_date(url: str) -> bool:
    """True when the database is at the newest revision of every branch."""
    engine = make_engine(url)
    try:
        return current_revisions(engine) == head_revisions(url)
    finally:
        engine.dispose()


def new_revision(url: str, message: str, branch: str | None = None) -> None:
    """Autogenerate a revision against the database at ``url`` (upgraded first).

    ``branch`` names an area: its first revision starts a new branch from the trunk; later ones extend it.
    Without ``branch`` the revision extends the trunk (the platform's own tables). An area's revision looks
    only at tables named ``<area>_…``, so areas built side by side never pick up each other's tables.
    """
    config = alembic_config(url)
    upgrade(url)
    script = ScriptDirectory.from_config(config)
    if branch is None:
        command.revision(config, message=message, autogenerate=True, head=_trunk(script))
        return
    config.attributes["table_prefix"] = f"{branch}_"  # only the area's own tables go into its revision
    labels = {label for rev in script.walk_revisions() for label in (rev.branch_labels or ())}
    if branch in labels:
        command.revision(config, message=message, autogenerate=True, head=f"{branch}@head")
    else:
        command.revision(
            config, message=message, autogenerate=True, head=_trunk(script), branch_label=branch, splice=True
        )


def _trunk(script: ScriptDirectory) -> str:
    """The newest revision of the trunk (revisions that descend from no area's branch label)."""
    revisions = list(script.walk_revisions())
    branch = {rev.revision for rev in revisions if rev.branch_labels}
    grew = True
    while grew:  # everything that descends from a labelled revision belongs to that area's branch
        grew = False
        for rev in revisions:
            if rev.revision not in branch and rev.down_revision in branch:
                branch.add(rev.revision)
                grew = True
    trunk = {rev.revision: rev for rev in revisions if rev.revision not in branch}
    heads = [rid for rid in trunk if not any(r.down_revision == rid for r in trunk.values())]
    return heads[0]
