"""Held-out figures for the learned write gate (agent/offline/write_gate.py): `python -m tools.gate_experiment`.

Two held-out sets of other businesses' messages, never trained on in their experiment:
  H1: nine whole kinds of business of gate_other_dev.csv (the gate is trained on the rest and other_domains_dev*);
  H2: other_domains_dev*.csv (the gate is trained on gate_other_dev.csv only).
Shop writes held out in both: 30 % of gate_shop_dev.csv and shop_writes_dev*.csv. The threshold is chosen by
cross-validation on each experiment's training rows only.
"""

from __future__ import annotations

import csv
import json
import random
import sys

import numpy as np

from agent.offline import router
from agent.offline import write_gate as g
from agent.offline.router import WRITES, route


def rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader((g.DATA / name).open(encoding="utf-8")))


def main(c: float = 10.0) -> None:
    rng = random.Random(7)
    other = rows("gate_other_dev.csv")
    kinds = sorted({r["domain"] for r in other})
    held_kinds = set(rng.sample(kinds, 9))
    od = [r["text"] for p in sorted(g.DATA.glob("other_domains_dev*.csv")) for r in csv.DictReader(p.open(encoding="utf-8"))]
    shop = rows("gate_shop_dev.csv")
    rng.shuffle(shop)
    cut = int(0.3 * len(shop))
    shop_held = [r["text"] for r in shop[:cut]] + g.shop_texts(sorted(g.DATA.glob("shop_writes_dev*.csv")), corpus=False)
    shop_train = [r["text"] for r in shop[cut:]] + \
        [r["text"] for p in ("intents_en.csv", "intents_zh.csv") for r in csv.DictReader((g.DATA / p).open(encoding="utf-8"))
         if r["intent"] in g.WRITE_INTENTS]
    h1 = [r["text"] for r in other if r["domain"] in held_kinds]
    mine = [r["text"] for r in other if r["domain"] not in held_kinds]
    experiments = {"H1 (9 unseen kinds: " + ", ".join(sorted(held_kinds)) + ")": (mine + od, h1),
                   "H2 (other_domains_dev*)": ([r["text"] for r in other], od)}
    router.write_gate = lambda: None  # type: ignore[assignment]
    routes = {t: route(t) for t in set(h1 + od + shop_held)}
    out: dict[str, object] = {}
    for name, (train_other, held_other) in experiments.items():
        x = g._features(train_other + shop_train)
        y = np.array([1] * len(train_other) + [0] * len(shop_train))
        t, cv = g.cv_threshold(x, y, c)
        w, b = g.fit(x, y, c)
        gate = g.WriteGate(w, b, t)

        def reach(texts: list[str], gate: g.WriteGate = gate) -> tuple[float, float, list[str]]:
            router.write_gate = lambda: gate  # type: ignore[assignment]
            kept = [s for s in texts if route(s).intent in WRITES]
            router.write_gate = lambda: None  # type: ignore[assignment]
            return sum(routes[s].intent in WRITES for s in texts) / len(texts), len(kept) / len(texts), kept

        ob, oa, leaks = reach(held_other)
        sb, sa, _ = reach(shop_held)
        out[name] = {"threshold": round(t, 4), **cv, "other_rows": len(held_other),
                     "other_reach_write_before": round(ob, 4), "other_reach_write_after": round(oa, 4),
                     "shop_rows": len(shop_held), "shop_lose_write_before": round(1 - sb, 4),
                     "shop_lose_write_after": round(1 - sa, 4), "leaks_after": leaks[:15]}
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 10.0)
