"""The `retain` command line. Kept light: every heavy import happens inside a command."""

from __future__ import annotations

from pathlib import Path

import typer

from agent.commands import common
from agent.commands.common import bench_app, eval_app, train_app

app = typer.Typer(
    name="retain",
    help="retain: a retention copilot for an online shop (support agent, churn model, recommender, win-back).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(train_app, name="train")
app.add_typer(eval_app, name="eval")
app.add_typer(bench_app, name="bench")


@app.callback()
def main(
    data_dir: Path = typer.Option(None, "--data-dir", help="Data directory (default: $RETAIN_DATA_DIR or ./data)."),
) -> None:
    """Configure the process once; subcommands read the same Settings."""
    import os

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if data_dir is not None:
        from agent.config import Settings

        common.set_settings(Settings(data_dir=data_dir))


def _register() -> None:
    # Importing a command module registers its commands on `app` or on the groups above.
    from agent.commands import (
        campaign,  # noqa: F401
        chat,  # noqa: F401
        demo,  # noqa: F401
        knowledge,  # noqa: F401
        recommender,  # noqa: F401
        retention,  # noqa: F401
        scoring_bench,  # noqa: F401
        store,  # noqa: F401
        tau_replay,  # noqa: F401
        ui_bench,  # noqa: F401
    )


_register()

if __name__ == "__main__":
    app()
