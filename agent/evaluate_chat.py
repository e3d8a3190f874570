"""The conversation suite: scripted multi-turn cases with expected tool calls, facts that must appear, things
that must not happen, and checks on the store afterwards. Each case runs on its own copy of the demo store."""

from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

from core.config import Settings
from core.errors import RetainError
from core.language import available

SUITE_DIR = Path(__file__).resolve().parents[1] / "tests" / "eval" / "conversations"


def load_cases(path: Path | None = None, lang: str | None = None) -> list[dict[str, Any]]:
    """The suite's cases; lang ('en' | 'zh') keeps one language (a case's `lang`, else zh for zh_*.yaml files)."""
    import yaml

    root = path or SUITE_DIR
    files = sorted(root.glob("*.yaml")) if root.is_dir() else [root]
    if not files:
        raise RetainError(f"{root}: no conversation files (*.yaml)")
    cases = []
    for f in files:
        for case in yaml.safe_load(f.read_text(encoding="utf-8")) or []:
            case.setdefault("file", f.name)
            prefix = f.name.split("_", 1)[0]  # zh_*.yaml: Chinese conversations (a language's code, else English)
            case.setdefault("lang", prefix if "_" in f.name and prefix in available() else "en")
            cases.append(case)
    if lang is not None:
        if lang not in available():
            raise RetainError(f"--lang must be one of {', '.join(available())}, not {lang!r}")
        cases = [c for c in cases if c["lang"] == lang]
        if not cases:
            raise RetainError(f"{root}: no conversations in language {lang!r}")
    return cases


def _customer(case: dict[str, Any]) -> str | None:
    from shop.demo_personas import DEMO_PERSONAS

    who = case.get("customer")
    if who is None:
        return None
    return DEMO_PERSONAS[who].customer_id if who in DEMO_PERSONAS else str(who)


def _check_turn(turn: dict[str, Any], reply: Any) -> list[str]:
    problems = []
    names = [c["name"] for c in reply.tool_calls]
    text = reply.text.lower()
    for t in turn.get("expect_tools", []):
        if t not in names:
            problems.append(f"expected tool {t}, got {names}")
    for t in turn.get("forbid_tools", []):
        if t in names:
            problems.append(f"forbidden tool {t} was called")
    for s in turn.get("expect_text", []):
        if str(s).lower() not in text:
            problems.append(f"reply lacks {s!r}: {reply.text[:160]!r}")
    for s in turn.get("forbid_text", []):
        if str(s).lower() in text:
            problems.append(f"reply contains forbidden {s!r}")
    if turn.get("expect_citation") and not reply.citations:
        problems.append("no citation")
    if "expect_confirmation" in turn and bool(turn["expect_confirmation"]) != reply.needs_confirmation:
        problems.append(f"needs_confirmation is {reply.needs_confirmation}")
    return problems


def run_case(case: dict[str, Any], base: Settings, model_spec: str, workdir: Path) -> dict[str, Any]:
    from agent.llm import load_chat_model
    from agent.runner import Assistant
    from core.session import Principal
    from shop.db import connect

    data = workdir / case["id"]
    data.mkdir(parents=True)
    shutil.copy(base.db_path, data / "shop.duckdb")
    for sub in ("chroma", "models", "helpcentre"):
        if (base.data_dir / sub).exists():
            (data / sub).symlink_to((base.data_dir / sub).resolve())
    s = base.model_copy(update={"data_dir": data, "model": model_spec})
    problems: list[str] = []
    seconds: list[float] = []
    tool_turns: list[bool] = []
    stats: list[dict[str, Any]] = []
    con = connect(s.db_path)
    try:
        model = load_chat_model(model_spec, s)
        assistant = Assistant(s, Principal(case.get("role", "shopper"), _customer(case), staff_id="eval"),
                              model=model, con=con, thread_id=case["id"])
        for i, turn in enumerate(case["turns"], start=1):
            reply = assistant.ask(turn["user"])
            turn_problems = _check_turn(turn, reply)
            problems += [f"turn {i}: {p}" for p in turn_problems]
            seconds.append(reply.seconds)
            if turn.get("expect_tools") or turn.get("forbid_tools"):
                tool_turns.append(not any("tool" in p for p in turn_problems))
        stats = list(getattr(model, "stats", None) or [])
        for chk in case.get("expect_state", []):
            got = [r[0] for r in con.execute(chk["sql"]).fetchall()]
            want = chk["equals"]
            if (got[0] if len(got) == 1 else got) != want:
                problems.append(f"state: {chk['sql']} gave {got}, expected {want!r}")
    except Exception as e:  # a crash is a failed case, reported, not a crashed suite
        problems.append(f"crashed: {type(e).__name__}: {e}")
    finally:
        con.close()
    return {"id": case["id"], "role": case.get("role", "shopper"), "category": case.get("category", "other"),
            "lang": case.get("lang", "en"), "passed": not problems, "problems": problems,
            "turn_seconds": seconds, "tool_turns": tool_turns, "model_stats": stats}


def sample(cases: list[dict[str, Any]], n: int | None) -> list[dict[str, Any]]:
    """n cases spread evenly over the suite's order (every len/n-th case, from the first), or all of them."""
    if not n or n >= len(cases):
        return cases
    return [cases[i * len(cases) // n] for i in range(n)]


def timing_summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Turn p50/p95 and, for model providers, time to first token and generation speed."""
    import numpy as np

    turns = [t for r in results for t in r.get("turn_seconds", [])]
    stats = [x for r in results for x in r.get("model_stats", [])]
    ttft = [x["ttft_s"] for x in stats if x.get("ttft_s")]
    tps = [x["tokens_per_s"] for x in stats if x.get("tokens_per_s")]
    pps = [x["prompt_tokens_per_s"] for x in stats if x.get("prompt_tokens_per_s")]

    def pct(xs: list[float], q: int) -> float | None:
        return round(float(np.percentile(xs, q)), 2) if xs else None

    return {"turns": len(turns), "turn_p50_s": pct(turns, 50), "turn_p95_s": pct(turns, 95),
            "model_requests": len(stats), "ttft_p50_s": pct(ttft, 50), "ttft_p95_s": pct(ttft, 95),
            "tokens_per_s_median": pct(tps, 50), "prompt_tokens_per_s_median": pct(pps, 50)}


def run_suite(base: Settings, model_spec: str = "offline", path: Path | None = None,
              progress: Any = None, lang: str | None = None, limit: int | None = None,
              log: Any = None) -> dict[str, Any]:
    if not base.db_path.exists():
        raise RetainError(f"{base.db_path}: no demo store; run `retain demo` first (or pass --data-dir)")
    cases = sample(load_cases(path, lang), limit)
    results = []
    task = progress.add_task("conversations", total=len(cases)) if progress is not None else None
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            results.append(run_case(case, base, model_spec, Path(tmp)))
            if log is not None:
                log(results[-1])
            if progress is not None:
                progress.advance(task)
    by_role: dict[str, list[bool]] = defaultdict(list)
    by_cat: dict[str, list[bool]] = defaultdict(list)
    by_lang: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        by_role[r["role"]].append(r["passed"])
        by_cat[r["category"]].append(r["passed"])
        by_lang[r["lang"]].append(r["passed"])

    def rate(xs: list[bool]) -> float:
        return round(sum(xs) / len(xs), 4) if xs else 0.0

    tool_turns = [t for r in results for t in r["tool_turns"]]
    return {"model": model_spec, "cases": len(results), "case_ids": [r["id"] for r in results],
            "pass_rate": rate([r["passed"] for r in results]),
            "tool_choice_accuracy": rate(tool_turns), "tool_choice_turns": len(tool_turns),
            "timing": timing_summary(results),
            "by_role": {k: rate(v) for k, v in sorted(by_role.items())},
            "by_category": {k: rate(v) for k, v in sorted(by_cat.items())},
            "by_lang": {k: rate(v) for k, v in sorted(by_lang.items())},
            "failures": [{k: r[k] for k in ("id", "role", "category", "lang", "problems")}
                         for r in results if not r["passed"]]}


del resources
