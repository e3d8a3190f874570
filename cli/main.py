"""The `retain` command line. Kept light: every heavy import happens inside a command."""

from __future__ import annotations

from pathlib import Path

import typer

from cli import common
from cli.common import bench_app, eval_app, train_app

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
        from core.config import Settings

        common.set_settings(Settings(data_dir=data_dir))


# The one place where commands are registered. Each command module owns a nameless Typer (merged here) and/or
# adds commands to the shared train/eval/bench groups in cli.common; none imports this module, so there is no
# cycle back to the app object.
from cli import (  # noqa: E402
    campaign,
    chat,
    demo,
    knowledge,
    recommender,  # noqa: F401  (eval/train group commands only)
    retention,
    scoring_bench,  # noqa: F401  (bench group)
    store,
    tau_replay,  # noqa: F401  (eval group)
    ui_bench,  # noqa: F401  (bench group)
    users,
)

for _module in (campaign, chat, demo, knowledge, retention, store):
    app.add_typer(_module.app)
app.add_typer(users.users_app, name="users")

if __name__ == "__main__":
    app()
