"""`retain demo` end to end: the store from real data, then the knowledge base and the models over it.

Each step is a function `step(settings, progress) -> dict` in the package that owns it; the pipeline only
orders them and reports what each did.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from typing import Any

from core.config import Settings

# (name, "module:function"), in order.
STEPS: list[tuple[str, str]] = [
    ("store", "shop.demo:build_demo"),
    ("knowledge", "vectorstore.build:build_knowledge_base"),
    ("churn", "retention.pipeline:train_and_score"),
    ("recommender", "retention.recommend:train_recommender"),
]


def _resolve(target: str) -> Callable[..., dict[str, Any]]:
    module, _, func = target.partition(":")
    fn: Callable[..., dict[str, Any]] = getattr(importlib.import_module(module), func)
    return fn


def build_demo_all(settings: Settings, progress: Any = None, log: Callable[[str], None] | None = None
                   ) -> dict[str, Any]:
    """Run every demo step in order; returns {step: {"seconds": s, **what it reported}}."""
    settings.ensure_dirs()
    report: dict[str, Any] = {}
    for name, target in STEPS:
        fn = _resolve(target)
        t0 = time.perf_counter()
        result = fn(settings, progress=progress)
        report[name] = {"seconds": round(time.perf_counter() - t0, 2), **(result or {})}
        if log:
            log(f"{name}: done in {report[name]['seconds']} s")
    return report
