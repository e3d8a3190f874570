"""`retain bench chat`: turn latency after warm-up, cold start, peak RSS; for a model provider also time to first
token and tokens/s (from the server's own timings)."""

from __future__ import annotations

import resource
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from core.config import Settings

POLICY = ["How long does delivery to Germany take?", "Can I return opened headphones?",
          "What payment methods do you accept?", "How do I reset my password?"]
STATUS = ["where is my order?", "show me #W9000002", "what's the status of my order #W9000002?"]


def run(settings: Settings, turns: int = 40, model: str = "offline") -> dict[str, Any]:
    from agent.runner import Assistant
    from core.errors import RetainError
    from core.session import Principal
    from shop.demo_personas import DEMO_PERSONAS

    if not settings.db_path.exists():
        raise RetainError(f"{settings.db_path}: no demo store; run `retain demo` first")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(settings.data_dir, data, symlinks=True)
        s = settings.model_copy(update={"data_dir": data, "model": model})
        t0 = time.perf_counter()
        bot = Assistant(s, Principal("shopper", DEMO_PERSONAS["returnable"].customer_id), thread_id="bench")
        bot.ask(POLICY[0])  # the warm-up turn
        cold = time.perf_counter() - t0
        stats = getattr(bot.model, "stats", None)
        if isinstance(stats, list):
            stats.clear()
        lat: dict[str, list[float]] = {"policy": [], "order_status": []}
        for i in range(turns):
            kind, texts = ("policy", POLICY) if i % 2 == 0 else ("order_status", STATUS)
            t = time.perf_counter()
            bot.ask(texts[i // 2 % len(texts)])
            lat[kind].append((time.perf_counter() - t) * 1000)
    out: dict[str, Any] = {"model": model, "turns": turns, "cold_start_s": round(cold, 2),
                           "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    for k, v in lat.items():
        out[f"{k}_p50_ms"] = round(float(np.percentile(v, 50)), 1)
        out[f"{k}_p95_ms"] = round(float(np.percentile(v, 95)), 1)
    if model == "offline":
        out["target_p95_ms"] = 300
    elif isinstance(stats, list):
        from agent.evaluate_chat import timing_summary

        out.update({k: v for k, v in timing_summary([{"model_stats": stats}]).items()
                    if k not in ("turns", "turn_p50_s", "turn_p95_s")})  # the turn times are above, per kind
    import os

    out["load_avg_1m"] = round(os.getloadavg()[0], 2)
    return out
