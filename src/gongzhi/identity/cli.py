"""``gongzhi orgs|users|tokens``: the operator's identity commands (they act as the system principal)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongzhi.cli_support import console, fail, load_settings, read_secret, t, unit_of_work
from gongzhi.identity import policy, service
from gongzhi.identity.models import Organisation, User
from gongzhi.identity.principal import SYSTEM, OrgKind, Role

app = typer.Typer(no_args_is_help=True)
orgs = typer.Typer(help=t("Organisations (parties)."), no_args_is_help=True)
users = typer.Typer(help=t("User accounts."), no_args_is_help=True)
tokens = typer.Typer(help=t("API tokens."), no_args_is_help=True)
app.add_typer(orgs, name="orgs")
app.add_typer(users, name="users")
app.add_typer(tokens, name="tokens")


def find_org(session: Session, ref: str) -> Organisation:
    """An organisation by id or exact name."""
    org = session.get(Organisation, int(ref)) if ref.isdigit() else None
    org = org or session.scalar(select(Organisation).where(Organisation.name == ref))
    if org is None:
        fail(t("No organisation {ref}.", ref=ref))
    return org


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        fail(t("No user {username}.", username=username))
    return user


@orgs.command("create", help=t("Create an organisation."))
def orgs_create(
    name: Annotated[str, typer.Argument(help=t("Name of the organisation."))],
    kind: Annotated[OrgKind, typer.Option(help=t("Kind of party."))],
    name_en: Annotated[str | None, typer.Option(help=t("English name."))] = None,
    credit_code: Annotated[str | None, typer.Option(help=t("Unified social credit code."))] = None,
) -> None:
    with unit_of_work() as session:
        org = service.create_organisation(
            session, SYSTEM, name=name, kind=kind, name_en=name_en, credit_code=credit_code
        )
        console.print(t("Created organisation {id}: {name}", id=org.id, name=org.name), highlight=False)


@orgs.command("list", help=t("List organisations."))
def orgs_list() -> None:
    with unit_of_work() as session:
        table = Table("id", t("Name"), t("Kind"), t("Active"))
        cursor: str | None = None
        while True:
            page = service.list_organisations(session, SYSTEM, cursor=cursor, limit=500)
            for org in page.items:
                table.add_row(str(org.id), org.name, org.kind.value, "yes" if org.active else "no")
            if not (cursor := page.next_cursor):
                break
        console.print(table)


@users.command("create", help=t("Create a user; the password is asked for (or read from standard input)."))
def users_create(
    username: Annotated[str, typer.Argument(help=t("Sign-in name (lower-case letters, digits, . _ -)."))],
    org: Annotated[str, typer.Option(help=t("Organisation id or name."))],
    display_name: Annotated[str | None, typer.Option(help=t("Name shown to others."))] = None,
    role: Annotated[Role, typer.Option(help=t("Role inside the organisation."))] = Role.member,
    email: Annotated[str | None, typer.Option(help=t("E-mail address."))] = None,
    platform_admin: Annotated[bool, typer.Option(help=t("Make the user a platform administrator."))] = False,
    password_stdin: Annotated[bool, typer.Option(help=t("Read the password from standard input."))] = False,
) -> None:
    password = read_secret(t("Password"), from_stdin=password_stdin)
    with unit_of_work() as session:
        organisation = find_org(session, org)
        user = service.create_user(
            session,
            SYSTEM,
            org_id=organisation.id,
            username=username,
            display_name=display_name or username,
            password=password,
            role=role,
            email=email,
            is_platform_admin=platform_admin,
        )
        console.print(t("Created user {id}: {username}", id=user.id, username=user.username), highlight=False)


@users.command("list", help=t("List the users of an organisation."))
def users_list(org: Annotated[str, typer.Option(help=t("Organisation id or name."))]) -> None:
    with unit_of_work() as session:
        organisation = find_org(session, org)
        table = Table("id", t("Username"), t("Name"), t("Role"), t("Active"))
        page = service.list_users(session, SYSTEM, org_id=organisation.id, limit=500)
        for user in page.items:
            table.add_row(
                str(user.id), user.username, user.display_name, user.role.value, "yes" if user.active else "no"
            )
        console.print(table)


@tokens.command("create", help=t("Create an API token. It is printed once; only its hash is stored."))
def tokens_create(
    user: Annotated[str, typer.Option(help=t("Username the token acts for."))],
    name: Annotated[str, typer.Option(help=t("What the token is for."))],
    scope: Annotated[list[str], typer.Option(help=t("A scope the token gets (repeat for more)."))],
    days: Annotated[int | None, typer.Option(help=t("Days until the token expires."))] = None,
) -> None:
    settings = load_settings()
    with unit_of_work(settings) as session:
        owner = find_user(session, user)
        token, plaintext = service.create_token(
            session,
            SYSTEM,
            user_id=owner.id,
            name=name,
            scopes=scope,
            expires_in_days=days or settings.token_default_days,
        )
        console.print(
            t(
                "Token {id} for {username}, expires {expires}. Copy it now; it is not shown again:",
                id=token.id,
                username=owner.username,
                expires=token.expires_at.date().isoformat(),
            ),
            highlight=False,
        )
        typer.echo(plaintext)


@tokens.command("list", help=t("List a user's API tokens (never their secrets)."))
def tokens_list(user: Annotated[str, typer.Option(help=t("Username."))]) -> None:
    with unit_of_work() as session:
        owner = find_user(session, user)
        table = Table("id", t("Name"), t("Prefix"), t("Scopes"), t("Expires"), t("Revoked"))
        for token in service.list_tokens(session, SYSTEM, user_id=owner.id):
            table.add_row(
                str(token.id),
                token.name,
                token.prefix,
                " ".join(token.scopes),
                token.expires_at.date().isoformat(),
                token.revoked_at.date().isoformat() if token.revoked_at else "",
            )
        console.print(table)


@tokens.command("revoke", help=t("Revoke an API token at once."))
def tokens_revoke(token_id: Annotated[int, typer.Argument(help=t("Token id."))]) -> None:
    with unit_of_work() as session:
        service.revoke_token(session, SYSTEM, token_id)
        console.print(t("Token {id} revoked.", id=token_id))


@tokens.command("scopes", help=t("List the scopes a token can be given, and the actions each allows."))
def tokens_scopes() -> None:
    table = Table(t("Scope"), t("Actions"))
    by_scope: dict[str, list[str]] = {}
    for act in policy.actions().values():
        by_scope.setdefault(act.scope, []).append(act.name)
    for scope_name in sorted(by_scope):
        table.add_row(scope_name, ", ".join(sorted(by_scope[scope_name])))
    console.print(table)
