"""The demo world: one of each party, with one login per role (``gongzhi demo load``).

Passwords are random per instance and kept, owner-readable only, in ``<data_dir>/demo-logins.txt``
so that ``make run`` can print them again; nothing secret is in the repository.
"""

from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from rich.table import Table
from sqlalchemy import select

from gongzhi.areas import load_areas
from gongzhi.cli_support import console, t
from gongzhi.config import Settings
from gongzhi.db.engine import make_engine, make_session_factory, transaction
from gongzhi.identity import service
from gongzhi.identity.auth import principal_for
from gongzhi.identity.models import Organisation, User
from gongzhi.identity.principal import SYSTEM, OrgKind, Principal, Role


@dataclass(frozen=True)
class DemoOrg:
    key: str
    name: str
    name_en: str
    kind: OrgKind


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    org: str
    role: Role
    platform_admin: bool = False


ORGS = (
    DemoOrg("regulator", "示范市科学技术局", "Demo City Science and Technology Bureau", OrgKind.regulator),
    DemoOrg(
        "committee",
        "示范市人工智能伦理与安全专家委员会",
        "Demo City AI Ethics and Safety Expert Committee",
        OrgKind.expert_committee,
    ),
    DemoOrg("xinghe", "星河智能科技有限公司", "Xinghe Intelligent Technology Co., Ltd.", OrgKind.enterprise),
    DemoOrg("qingsong", "青松医疗人工智能有限公司", "Qingsong Medical AI Co., Ltd.", OrgKind.enterprise),
    DemoOrg("yunfan", "云帆金融科技有限公司", "Yunfan Fintech Co., Ltd.", OrgKind.enterprise),
    DemoOrg("lab", "示范市数据安全检测实验室", "Demo City Data Security Testing Lab", OrgKind.assessment_lab),
    DemoOrg("alliance", "示范市人工智能产业联盟", "Demo City AI Industry Alliance", OrgKind.industry_association),
    DemoOrg(
        "institute",
        "示范大学人工智能治理研究院",
        "Demo University Institute for AI Governance",
        OrgKind.research_institute,
    ),
)

USERS = (
    DemoUser("operator", "平台运维 Platform operator", "regulator", Role.admin, platform_admin=True),
    DemoUser("regulator", "李主管 Director Li", "regulator", Role.admin),
    DemoUser("officer", "王科员 Officer Wang", "regulator", Role.member),
    DemoUser("expert1", "陈专家 Expert Chen", "committee", Role.reviewer),
    DemoUser("expert2", "刘专家 Expert Liu", "committee", Role.reviewer),
    DemoUser("expert3", "赵专家 Expert Zhao", "committee", Role.reviewer),
    DemoUser("xinghe", "星河管理员 Xinghe admin", "xinghe", Role.admin),
    DemoUser("qingsong", "青松管理员 Qingsong admin", "qingsong", Role.admin),
    DemoUser("yunfan", "云帆管理员 Yunfan admin", "yunfan", Role.admin),
    DemoUser("lab", "实验室检测员 Lab tester", "lab", Role.admin),
    DemoUser("alliance", "联盟秘书处 Alliance secretariat", "alliance", Role.admin),
    DemoUser("institute", "研究院研究员 Institute researcher", "institute", Role.admin),
)


@dataclass(frozen=True)
class DemoWorld:
    """What an area's demo loader gets: the settings, the organisations and a principal per demo login."""

    settings: Settings
    org_ids: dict[str, int]
    principals: dict[str, Principal]


def credentials_file(settings: Settings) -> Path:
    return settings.instance_path("demo-logins.txt")


def load_demo(settings: Settings, *, only_if_empty: bool = False) -> dict[str, str] | None:
    """Create whatever of the demo world is missing; returns the new logins (None when skipped)."""
    engine = make_engine(settings.database_url)
    created: dict[str, str] = {}
    try:
        with transaction(make_session_factory(engine)) as session:
            if only_if_empty and service.count_users(session) > 0:
                return None
            org_ids: dict[str, int] = {}
            for org in ORGS:
                existing = session.scalar(select(Organisation).where(Organisation.name == org.name))
                org_ids[org.key] = (
                    existing
                    or service.create_organisation(session, SYSTEM, name=org.name, name_en=org.name_en, kind=org.kind)
                ).id
            for user in USERS:
                if session.scalar(select(User.id).where(User.username == user.username)) is not None:
                    continue
                password = f"{secrets.token_urlsafe(9)}-{secrets.randbelow(90) + 10}"
                service.create_user(
                    session,
                    SYSTEM,
                    org_id=org_ids[user.org],
                    username=user.username,
                    display_name=user.display_name,
                    password=password,
                    role=user.role,
                    is_platform_admin=user.platform_admin,
                )
                created[user.username] = password
            world = DemoWorld(
                settings=settings,
                org_ids=org_ids,
                principals={
                    u.username: principal_for(u)
                    for u in session.scalars(select(User).where(User.username.in_([d.username for d in USERS])))
                },
            )
            for area in load_areas():
                area.load_demo(session, world)
    finally:
        engine.dispose()
    if created:
        _append_credentials(credentials_file(settings), created)
    return created


def _append_credentials(path: Path, created: dict[str, str]) -> None:
    roles = {u.username: u for u in USERS}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "a", encoding="utf-8") as f:
        for username, password in created.items():
            user = roles[username]
            f.write(f"{username}\t{password}\t{user.org}\t{user.role.value}\n")


def read_credentials(path: Path) -> list[tuple[str, str, str, str]]:
    """The demo logins saved by :func:`load_demo` (username, password, organisation key, role)."""
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 4:
            rows.append((parts[0], parts[1], parts[2], parts[3]))
    return rows


def print_credentials(path: Path) -> None:
    """Print the demo logins as a table."""
    rows = read_credentials(path)
    if not rows:
        return
    names = {o.key: o for o in ORGS}
    table = Table(
        t("Username"),
        t("Password"),
        t("Organisation"),
        t("Role"),
        title=t("Demo logins (also in {path})", path=str(path)),
    )
    for username, password, org_key, role in rows:
        org = names.get(org_key)
        table.add_row(username, password, org.name if org else org_key, role)
    console.print(table)
