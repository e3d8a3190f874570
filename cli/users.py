"""User commands: `retain users add|list|remove` (staff and marketing logins, stored hashed in the data dir)."""

from __future__ import annotations

import typer

from cli.common import console, friendly, settings

users_app = typer.Typer(help="Staff and marketing logins: users with a role, passwords stored as argon2id hashes.",
                        no_args_is_help=True)


@users_app.command("add")
@friendly
def add(
    name: str = typer.Argument(..., help="the login name (also the actor in audit rows)"),
    role: str = typer.Option(..., "--role", help="staff (staff console), marketer (campaign workbench) or admin "
                                                  "(both)"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="read the password from standard input "
                                                                      "instead of prompting"),
) -> None:
    """Add a user or replace one's password and role (asks for the password twice)."""
    import sys

    from ui.auth import add_user, users_path

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    add_user(settings(), name, password, role)
    console().print(f"{name} ({role}) saved in {users_path(settings())}", highlight=False)


@users_app.command("list")
@friendly
def list_() -> None:
    """The users and their roles (never the hashes)."""
    from ui.auth import read_users, users_path

    users = read_users(users_path(settings()))
    if not users:
        console().print("no users yet: `retain users add NAME --role staff|marketer|admin`")
    for name, user in sorted(users.items()):
        console().print(f"{name}\t{user.role}", highlight=False)


@users_app.command("remove")
@friendly
def remove(name: str = typer.Argument(...)) -> None:
    """Remove a user: their next login fails."""
    from ui.auth import remove_user

    remove_user(settings(), name)
    console().print(f"{name} removed", highlight=False)
