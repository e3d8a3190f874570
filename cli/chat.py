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
    model: str = typer.Option(None, "--model", help="offline | llamacpp[:<url>] | openai:<m> | "
                              "openai-compatible:<url>/<m> | local:<path>"),
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

    c = console()
    if s.model == "llamacpp" or s.model.startswith("llamacpp:"):
        from agent.llm.llamacpp import warm_up

        with c.status("loading the model…"):
            c.print(f"[dim]model ready in {warm_up(s):.0f} s[/]")
    bot = Assistant(s, Principal(role, customer, staff_id="cli" if role != "shopper" else None),  # type: ignore[arg-type]
                    thread_id=thread)
    while True:
        try:
            text = input("you> ").strip()
        except EOFError:
            break
        if not text:
            break
        r, streamed = _turn(bot, text, c)
        for call in r.tool_calls:
            c.print(f"[dim]  · {call['name']} {json.dumps(call['args'])}[/]", highlight=False)
        if streamed.strip() != r.text.strip():  # the offline engine, or a streamed answer the check replaced
            c.print(f"[bold]retain>[/] {r.text}", highlight=False)


def _turn(bot: Any, text: str, c: Any) -> tuple[Any, str]:
    """One turn: a typing indicator until the first token, then a model provider's tokens as they come."""
    import sys

    streamed: list[str] = []
    status = c.status("retain is typing…")
    status.start()

    def on_token(tok: str) -> None:
        if not streamed:
            status.stop()
            sys.stdout.write("retain> (draft) ")
        streamed.append(tok)
        sys.stdout.write(tok)
        sys.stdout.flush()

    try:
        r = bot.ask(text, on_token=on_token)
    finally:
        status.stop()
    if streamed:
        sys.stdout.write("\n")
    return r, "".join(streamed)


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
    model: str = typer.Option("offline", "--model", help="offline | llamacpp[:<url>] | openai-compatible:<url>/<m> ..."),
    cases: str = typer.Option(None, "--cases", help="N (a sample of N cases spread over the suite), or a "
                                                   "conversation file or folder (default: the whole shipped suite)"),
    lang: str = typer.Option(None, "--lang", help="only the conversations in this language: en | zh"),
    baseline: bool = typer.Option(True, "--baseline/--no-baseline", help="for a model, also run the offline "
                                                                         "engine on the same cases"),
    log: Path = typer.Option(None, "--log", help="append each case's result to this JSONL file as it finishes"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Run the conversation suite; pass rates by role, category and language, tool-choice accuracy, turn times."""
    import os

    from agent.evaluate_chat import run_suite

    limit = int(cases) if cases and cases.isdigit() else None
    path = Path(cases) if cases and limit is None else None
    s = settings()
    if not s.db_path.exists():
        import tempfile

        from cli.pipeline import build_demo_all

        s = s.model_copy(update={"data_dir": Path(tempfile.mkdtemp(prefix="retain-eval-")) / "data"})
        with progress() as bar:
            build_demo_all(s, progress=bar)

    def append(result: dict[str, Any]) -> None:
        if log is not None:
            with log.open("a", encoding="utf-8") as f:
                f.write(json.dumps({"model": model, **result}, default=str) + "\n")

    with progress() as bar:
        report = run_suite(s, model, path, progress=bar, lang=lang, limit=limit, log=append)
        if model != "offline" and baseline:
            off = run_suite(s, "offline", path, lang=lang, limit=limit)
            report["offline"] = {k: off[k] for k in ("pass_rate", "tool_choice_accuracy", "by_category")}
            report["offline"]["failed"] = [f["id"] for f in off["failures"]]
    report["load_avg_1m_5m_15m"] = [round(x, 2) for x in os.getloadavg()]
    report["peak_server_rss_mb"] = _server_peak_rss()
    if as_json:
        print_json(report)
        return
    c = console()
    c.print(f"{report['cases']} conversations, pass rate {report['pass_rate']:.1%} ({model}), tool choice "
            f"{report['tool_choice_accuracy']:.1%} of {report['tool_choice_turns']} turns")
    if "offline" in report:
        c.print(f"  offline engine on the same cases: {report['offline']['pass_rate']:.1%}, tool choice "
                f"{report['offline']['tool_choice_accuracy']:.1%}")
    for k, v in {**report["by_role"], **report["by_category"], **report["by_lang"]}.items():
        c.print(f"  {k:20s} {v:.1%}")
    c.print(f"  timing {report['timing']}; load {report['load_avg_1m_5m_15m']}", highlight=False)
    for f in report["failures"]:
        c.print(f"[red]FAIL[/] {f['id']}: {'; '.join(f['problems'])}", highlight=False)


def _server_peak_rss() -> float | None:
    """Peak resident memory (MB) of the managed llama.cpp server this process started, if any."""
    from agent.llm.llamacpp_server import peak_rss_mb

    return peak_rss_mb()


@eval_app.command("intents")
@friendly
def eval_intents(
    path: Path = typer.Argument(..., help="CSV with columns text,intent (and optionally lang)"),
    mapping: Path = typer.Option(None, "--map", help="JSON {their_label: our_intent}"),
    role: str = typer.Option("shopper", "--role"),
    baseline: bool = typer.Option(False, "--baseline", help="also score the keyword-rules router, side by side"),
    risky: bool = typer.Option(False, "--risky", help="also the share of messages routed to a write intent (cancel, "
                                                      "return, address change; risky_strict: the order operations "
                                                      "too); a text-only CSV is enough"),
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
            rep.pop("risky_strict")
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
    keys: list[tuple[str, Any]] = [("accuracy", "accuracy"), ("clarify", "clarify"), ("risky", "risky"),
                                   ("risky (with operations)", "risky_strict")]
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
    save: bool = typer.Option(True, "--save/--no-save", help="--no-save: only print the card (to compare settings)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Fit the shopper router on the corpus in agent/offline/routing; write router.npz + router.json there."""
    from agent.offline.classifier import train

    clf, card = train(embedder, c, ngrams)
    if save:
        clf.save(card)
    print_json(card) if as_json else console().print(card)


@bench_app.command("chat")
@friendly
def bench_chat(
    turns: int = typer.Option(40, "--turns"),
    model: str = typer.Option("offline", "--model", help="offline | llamacpp[:<url>] | any model spec"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Turn latency (p50/p95 after warm-up), cold start and peak RSS; for a model also time to first token,
    tokens/s and the server's peak memory."""
    from agent.bench_chat import run

    out = run(settings(), turns, model=model)
    if model != "offline":
        out["peak_server_rss_mb"] = _server_peak_rss()
    if as_json:
        print_json(out)
    else:
        for k, v in out.items():
            console().print(f"{k}: {v}")
