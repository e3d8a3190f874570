"""`retain eval tau-replay`: τ-bench retail tasks replayed through the shop's tools (tools/tau_replay.py)."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.common import console, eval_app, friendly, print_json, progress, settings


@eval_app.command("tau-replay")
@friendly
def eval_tau_replay(
    tasks: Path = typer.Option(..., "--tasks", help="τ tasks with expected_diff (JSON list, plain or .gz)"),
    tau_db: Path = typer.Option(None, "--tau-db", help="the τ v1 database folder (users/orders/products JSON; "
                                                       "default: tau_bench/ beside the tasks' folder)"),
    limit: int = typer.Option(None, "--limit", help="only the first N tasks"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Replay each task's actions as its user (confirmations given) on a fresh τ store; compare the end state."""
    from tools.tau_replay import run_replay

    tau_db = tau_db or tasks.parent.parent / "tau_bench"
    with progress() as bar:
        job = bar.add_task("replaying τ tasks", total=None)
        report = run_replay(tasks, tau_db, settings(), limit=limit,
                            progress=lambda done, total: bar.update(job, completed=done, total=total))
    if as_json:
        print_json(report)
        return
    c = console()
    c.print(f"{report['matched']}/{report['tasks']} tasks match τ's end state ({report['match_rate']:.1%}); "
            f"τ-refused actions refused here too: {report['action_errors_refused']}/{report['action_error_tasks']} "
            "tasks")
    for field, n in report["mismatched_tasks_by_field"].items():
        c.print(f"  {field:32s} {n} task(s)")
    for f in report["failures"][:20]:
        c.print(f"[red]MISS[/] {f['id']}: {', '.join(f['fields']) or 'refusals differ'}", highlight=False)
