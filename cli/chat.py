"""Conversation commands: chat, route, eval chat, eval intents, train router, bench chat."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from cli.common import bench_app, console, eval_app, friendly, print_json, progress, settings, train_app

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
    print_json({"intent": r.intent, "slots": r.slots, "confidence": round(r.confidence, 4), "via": r.via,
                "alternatives": [[i, round(p, 4)] for i, p in r.alternatives]})


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
    path: Path = typer.Argument(..., help="CSV with columns text,intent (and optionally lang)"),
    mapping: Path = typer.Option(None, "--map", help="JSON {their_label: our_intent}"),
    role: str = typer.Option("shopper", "--role"),
    baseline: bool = typer.Option(False, "--baseline", help="also score the keyword-rules router, side by side"),
    risky: bool = typer.Option(False, "--risky", help="also the share of messages routed to a write intent (cancel, "
                                                      "return, address change); a text-only CSV is enough"),
    nearest: str = typer.Option(None, "--nearest", help="the baseline's nearest-example fallback embedder "
                                                         "(e.g. use-m, minilm, hash)"),
    misses: bool = typer.Option(False, "--misses", help="also list each misrouted message (for tuning on a dev "
                                                          "file, not the evaluation one)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Routing accuracy on a labelled CSV (through a label mapping): the learned router, per intent and language."""
    import csv

    from agent.offline.intent_eval import score
    from agent.offline.router import route as route_text
    from core.errors import RetainError

    if not path.exists():
        raise RetainError(f"{path}: no such file")
    label_map = json.loads(mapping.read_text()) if mapping else {}
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    if not rows or "text" not in rows[0] or ("intent" not in rows[0] and not risky):
        raise RetainError(f"{path}: needs columns 'text' and 'intent' ('text' alone with --risky)")
    nn = None
    if nearest:
        from agent.offline.router import NearestExamples
        from vectorstore.embeddings import load_embedder

        nn = NearestExamples(load_embedder(nearest))
    routers = {"learned": lambda t: route_text(t, role).intent}
    if baseline or nearest:
        routers["rules"] = lambda t: route_text(t, role, nn=nn, learn=False).intent
    reports = {k: score(rows, fn, label_map, misses) for k, fn in routers.items()}
    for rep in reports.values():
        if not risky:
            rep.pop("risky")
    out: dict[str, Any] = {"file": str(path), **reports["learned"]}
    if "rules" in reports:
        out["baseline"] = {"router": "rules" + (f"+nearest:{nearest}" if nearest else ""), **reports["rules"]}
    if as_json:
        print_json(out)
        return
    _print_side_by_side(out)


def _print_side_by_side(out: dict[str, Any]) -> None:
    from rich.table import Table

    base = out.get("baseline", {})
    t = Table(title=f"{out['file']}: {out['n']} messages")
    t.add_column("")
    t.add_column("learned", justify="right")
    if base:
        t.add_column(base["router"], justify="right")
    keys: list[tuple[str, Any]] = [("accuracy", "accuracy"), ("clarify", "clarify"), ("risky", "risky")]
    keys += [(f"lang {k}", ("by_lang", k)) for k in out.get("by_lang", {})]
    keys += [(f"  {k}", ("by_intent", k)) for k in out.get("by_intent", {})]
    for label, key in keys:
        def cell(rep: dict[str, Any], key: Any = key) -> str:
            v = rep.get(key) if isinstance(key, str) else rep.get(key[0], {}).get(key[1])
            v = v["accuracy"] if isinstance(v, dict) else v
            return "" if v is None else f"{v:.1%}"
        if cell(out) or (base and cell(base)):
            t.add_row(label, cell(out), *([cell(base)] if base else []))
    c = console()
    c.print(t)
    for m in out.get("misses", []):
        c.print(f"  want {m['want']:15s} got {m['got']:15s} {m['text']}", highlight=False)


@train_app.command("router")
@friendly
def train_router(
    embedder: str = typer.Option("use-m", "--embedder", help="use-m | minilm | minilm+use-m (vectors side by side)"),
    c: float = typer.Option(10.0, "--C", help="inverse regularisation of the logistic regression"),
    ngrams: bool = typer.Option(True, "--ngrams/--no-ngrams", help="character n-gram tf-idf beside the embedding"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Fit the shopper router on the corpus in agent/offline/routing; write router.npz + router.json there."""
    from agent.offline.classifier import train

    clf, card = train(embedder, c, ngrams)
    clf.save(card)
    print_json(card) if as_json else console().print(card)


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
