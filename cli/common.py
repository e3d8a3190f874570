"""What every command module shares: the command groups, the Settings, and error reporting."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from core.config import Settings
from core.errors import RetainError

train_app = typer.Typer(help="Train models (churn, recommender, router).", no_args_is_help=True)
eval_app = typer.Typer(help="Evaluate against baselines on real data; --json prints one JSON object.",
                       no_args_is_help=True)
bench_app = typer.Typer(help="Performance benchmarks that print numbers.", no_args_is_help=True)

_settings: Settings | None = None


def settings() -> Settings:
    """The process's one Settings object (built on first use from env/.env and the global options)."""
    global _settings
    if _settings is None:
        set_settings(Settings())
    assert _settings is not None
    return _settings


def set_settings(s: Settings | None) -> None:
    """Use `s` from now on (None: forget it; the next settings() call reads env/.env again)."""
    global _settings
    _settings = s
    if s is not None and s.lang_dir is not None:  # a language added as files (core/catalogue.py)
        from core.catalogue import add_root

        add_root(s.lang_dir)


def cli_actor() -> str:
    """Who runs a command, for the audit log: cli:<login name of the process>."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):   # no login name (e.g. a container's uid without a passwd entry)
        return "cli:unknown"


F = TypeVar("F", bound=Callable[..., Any])


def friendly(fn: F) -> F:
    """Turn a RetainError into one clear line on stderr and exit status 2, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            if not isinstance(e, RetainError):  # a full, read-only or locked data dir is one line too
                from shop.db import as_store_error

                if (store := as_store_error(e)) is None:
                    raise
                e = store
            from rich.markup import escape

            # one line, never re-wrapped at the terminal's width (a path or column name stays whole for grep)
            # and never read as rich markup (a message may hold "[...]")
            err_console().print(f"[bold red]error:[/] {escape(str(e))}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def err_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def console() -> Any:
    from rich.console import Console

    return Console()


def print_json(obj: Any) -> None:
    """Exactly one JSON object on stdout (logs go to stderr)."""
    sys.stdout.write(json.dumps(obj, indent=2, default=str) + "\n")
    sys.stdout.flush()


def progress() -> Any:
    """A rich progress bar on stderr, so --json output on stdout stays clean."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err_console(), transient=False)
