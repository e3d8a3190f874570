"""Conversation commands: chat, route, eval chat, eval intents, bench chat."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from cli.common import bench_app, console, eval_app, friendly, print_json, progress, settings

app = typer.Typer()  # merged into the `retain` app by cli.main


@app.command()
@friendly
def chat(
    role: str = typer.Option("shopper", "--role", help="shopper | staff | marketer"),
    customer: str = typer.Option(None, "--customer", help="shopper's customer id (unset: sign in within the chat)"),
    model: str = typer.Option(None, "--model", help="offline | openai:<m> | openai-compatible:<url>/<m> | local:<path>"),
    thread: str = typer.Option(None, "--thread", help="conversation thread id, kept across restarts (default: "
                                                     "one per role and customer; a fresh one when anonymous)"),
) -> None:
    """Chat with the agent in the terminal (empty line or Ctrl-D quits)."""
    from agent.runner import Assistant
    from core.session import ROLES, Principal

    if role not in ROLES:
        raise typer.BadParameter(f"role must be one of {', '.join(ROLES)}", param_hint="--role")
    s = settings()
    if model:
        s = s.model_copy(update={"model": model})
    if thread is None:   # never one thread for everybody: an anonymous chat must not resume a verified one
        import uuid

        thread = f"cli-{role}-{customer or 'cli'}" if customer or role != "shopper" else f"cli-anon-{uuid.uuid4().hex}"
    bot = Assistant(s, Principal(role, customer, staff_id="cli" if role != "shopper" else None),  # type: ignore[arg-type]
                    thread_id=thread)
    c = console()
    while True:
        try:
            text = input("you> ").strip()
        except EOFError:
            break
        if not text:
            break
        r = bot.ask(text)
        for call in r.tool_calls:
            c.print(f"[dim]  · {call['name']} {json.dumps(call['args'])}[/]", highlight=False)
        c.print(f"[bold]retain>[/] {r.text}", highlight=False)


@app.command()
@friendly
def route(text: str = typer.Argument(...), role: str = typer.Option("shopper", "--role")) -> None:
    """Print the offline engine's intent and slots for TEXT."""
    from agent.offline.router import route as route_text

    r = route_text(text, role)
    print_json({"intent": r.intent, "slots": r.slots, "confidence": r.confidence, "via": r.via})


@eval_app.command("chat")
@friendly
def eval_chat(
    model: str = typer.Option("offline", "--model"),
    cases: Path = typer.Option(None, "--cases", help="a conversation file or folder (default: the shipped suite)"),
    lang: str = typer.Option(None, "--lang", help="only the conversations in this language: en | zh"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Run the conversation suite; pass rates by role, category and language."""
    from agent.evaluate_chat import run_suite

    s = settings()
    if not s.db_path.exists():
        import tempfile

        from cli.pipeline import build_demo_all

        s = s.model_copy(update={"data_dir": Path(tempfile.mkdtemp(prefix="retain-eval-")) / "data"})
        with progress() as bar:
            build_demo_all(s, progress=bar)
    with progress() as bar:
        report = run_suite(s, model, cases, progress=bar, lang=lang)
    if as_json:
        print_json(report)
        return
    c = console()
    c.print(f"{report['cases']} conversations, pass rate {report['pass_rate']:.1%} ({model})")
    for k, v in {**report["by_role"], **report["by_category"], **report["by_lang"]}.items():
        c.print(f"  {k:20s} {v:.1%}")
    for f in report["failures"]:
        c.print(f"[red]FAIL[/] {f['id']}: {'; '.join(f['problems'])}", highlight=False)


@eval_app.command("intents")
@friendly
def eval_intents(
    path: Path = typer.Argument(..., help="CSV with columns text,intent"),
    mapping: Path = typer.Option(None, "--map", help="JSON {their_label: our_intent}"),
    role: str = typer.Option("shopper", "--role"),
    nearest: str = typer.Option(None, "--nearest", help="also use the nearest-example fallback with this embedder "
                                                         "(e.g. use-m, minilm, hash)"),
    misses: bool = typer.Option(False, "--misses", help="also list each misrouted message (for tuning on a dev "
                                                          "file, not the evaluation one)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Routing accuracy on a labelled CSV, through a label mapping."""
    import csv

    from agent.offline.router import route as route_text
    from core.errors import RetainError

    if not path.exists():
        raise RetainError(f"{path}: no such file")
    label_map = json.loads(mapping.read_text()) if mapping else {}
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    if not rows or not {"text", "intent"} <= set(rows[0]):
        raise RetainError(f"{path}: needs columns 'text' and 'intent'")
    nn = None
    if nearest:
        from agent.offline.router import NearestExamples
        from vectorstore.embeddings import load_embedder

        nn = NearestExamples(load_embedder(nearest))
    hits = 0
    per: dict[str, list[int]] = {}
    wrong: list[dict[str, str]] = []
    for r in rows:
        want = label_map.get(r["intent"], r["intent"])
        got = route_text(r["text"], role, nn=nn).intent
        ok = got == want
        hits += ok
        per.setdefault(want, [0, 0])
        per[want][0] += ok
        per[want][1] += 1
        if not ok:
            wrong.append({"text": r["text"], "want": want, "got": got})
    out: dict[str, Any] = {"file": str(path), "n": len(rows), "nearest": nearest,
                           "accuracy": round(hits / len(rows), 4),
                           "by_intent": {k: round(a / n, 4) for k, (a, n) in sorted(per.items())}}
    if misses:
        out["misses"] = wrong
    if as_json:
        print_json(out)
    else:
        console().print(out)


@bench_app.command("chat")
@friendly
def bench_chat(turns: int = typer.Option(40, "--turns"), as_json: bool = typer.Option(False, "--json")) -> None:
    """Offline turn latency (p50/p95 after warm-up), cold start and peak RSS."""
    from agent.bench_chat import run

    out = run(settings(), turns)
    if as_json:
        print_json(out)
    else:
        for k, v in out.items():
            console().print(f"{k}: {v}")
