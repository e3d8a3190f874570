"""Intent routing for the offline engine.

Safety and slot rules come first (injection, abuse, another customer's data, identifying oneself, a language
request, an address given after being asked in a language whose routing.toml says `address_is_change`: Chinese).
A shopper's other messages go to the learned classifier (agent/offline/classifier.py); below its calibrated
confidence the route is `clarify`, naming the two likeliest intents, so that no write intent starts from a guess.
A write route that names another business's object and nothing of this shop's (agent/offline/write_veto.py:
'cancel my broadband order') becomes `out_of_scope`; one that names nothing of this shop's at all
(agent/offline/shop_object.py: 'please change my postal address') asks first; both read their words from
agent/lang/<lang>/writes.toml. Staff and marketer messages keep their keyword rules, and `learned=False` gives the
earlier keyword router (rules, then the optional nearest-example fallback) that `retain eval intents --baseline`
prints beside the learned one.

`route(text, role)` returns the intent and the slots; it is a pure function of the text, tested on its own and
scored by `retain eval intents`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from agent.language import requested
from agent.offline import ops
from agent.offline.shop_object import about_shop
from agent.offline.slots import extract
from agent.offline.write_veto import other_business, without_address
from core.catalogue import catalogue, exists, languages

# The routing rules of the languages other than English, as data (agent/lang/<lang>/routing.toml): their abuse,
# injection, greeting and other-customer patterns join the English ones; their rules and examples apply to
# messages in their script.
LOCAL = [catalogue(lang, "routing") for lang in languages() if lang != "en" and exists(lang, "routing")]


def _local(key: str) -> str:
    return "".join("|" + c.text(key) for c in LOCAL)


_LOCAL_RULES = [(re.compile(c["script"]), [(r["intent"], c.expand(r["pattern"])) for r in c["rules"]]) for c in LOCAL]


# the languages whose slot extractor finds an address only where one is given ('改为广东省深圳市…'; routing.toml
# `address_is_change`): a shopper's message in their script that holds an address gives it after being asked
_ADDRESS_GIVEN = [re.compile(c["script"]) for c in LOCAL if c.own("address_is_change")]


def local_rules(text: str) -> list[tuple[str, str]]:
    """The rules of the languages whose script `text` is written in (in priority order)."""
    return [rule for script, rules in _LOCAL_RULES if script.search(text) for rule in rules]


ABUSE = re.compile(r"\b(idiot|stupid|useless|shut up|damn you|f+u+c+k|shit|crap bot|moron)\b" + _local("abuse"),
                   re.I)
INJECTION = re.compile(r"ignore (all |any |the )?(previous|prior|above) (instructions|rules)|system prompt|"
                       r"you are now|developer mode|pretend (you are|to be)|act as (an? )?(admin|staff)"
                       + _local("injection"), re.I)
GREETING = re.compile(r"^\s*(hi|hello|hey|good (morning|afternoon|evening)|thanks|thank you|cheers)\b[\s!.,]*"
                      r"(?:there[\s!.]*)?$" + _local("greeting"), re.I)

# (intent, pattern) in priority order, per role; the first match wins.
RULES: dict[str, list[tuple[str, str]]] = {
    "shopper": [
        ("handoff", r"\b(human|real person|agent|representative|someone real|speak to (someone|a person)|"
                    r"talk to (someone|a person)|escalate|complain(t)? to a manager)\b"),
        ("policy", r"^(can|could|how|what|when|do|does|is|are)\b(?!.*(#?\bw\d{7}\b|\b\d{6}\b)).*\b(exchange|returns?|"
                   r"refunds?|policy|rules|invoices?|receipts?|vat)\b(?!.*\b(my|this|that) order\b)"),
        ("policy", r"\b(invoices?|receipts?|vat)\b"),
        ("cancel_order", r"\bcancel+\b(?!.*\b(policy|rules|can i|how)\b)"),
        ("change_address", r"\b(change|update|correct|fix)\b.*\baddress\b"),
        ("refund_status", r"\b(refund)\b.*\b(status|where|when|yet|received|arrive[ds]?)\b|\bwhere('s| is) my refund"),
        ("return_items", r"\b(return|send back|exchange)\b.*\b(my|this|that|it|order|#?w\d{7})\b"
                         r"(?!.*\b(policy|rules)\b)"),
        ("recommend", r"\b(recommend|suggest(ion)?s?|what else|would i like|gift ideas?|similar)\b"),
        ("product_options", r"\b(come in|comes in|available in|in stock|sizes?|colou?rs?|variants?|options)\b"),
        ("order_details", r"#?\bw\d{7}\b|\border\b.*\b\d{6}\b|\b(that|this|the same) order\b"),
        ("list_orders", r"\b(my orders?|order status|where('s| is) my (order|parcel|package)|track(ing)?|"
                        r"orders? i (placed|made)|recent orders?|purchase history)\b"),
        ("profile", r"\b(my (profile|details|account details|default address|payment methods?)|"
                    r"what address do you have|payment methods? (are |is )?on (my account|file))\b"),
    ],
    "staff": [
        ("retention_summary", r"\b(retention|summar(y|ise|ize)|churn|risk (of|for)|picture)\b.*\b(customer|client|\d{5}|"
                              r"[a-z]+_[a-z]+_\d{4})\b|\bcustomer\b.*\b(retention|summary|churn)"),
        ("at_risk", r"\b(at[- ]risk|slipping|likely to (churn|leave)|who is at risk|high[- ]risk)\b"),
        ("retention_summary", r"\b(retention|churn) (summary|picture|profile)\b"),
        ("customer_orders", r"\borders?\b.*\b(customer|client)\b|\b(customer|client)\b.*\borders?\b"),
        ("search_customers", r"\b(find|search|look up|lookup)\b.*\b(customer|client|email)\b"),
        ("audience", r"\b(how many|segment sizes?|counts?)\b"),
    ],
    "marketer": [
        ("campaign", r"\b(draft|win[- ]?back|campaign|email blast|holdout|uplift)\b"),
        ("audience", r"\b(how many|audience|segment sizes?|counts?|size of)\b"),
        ("at_risk", r"\b(at[- ]risk|slipping|likely to (churn|leave)|high[- ]risk)\b"),
    ],
}
# exchanges, item and payment changes, the default address (agent/offline/ops.py): after the handoff and policy
# rules, before cancel, address change and return
_AT = next(i for i, (intent, _) in enumerate(RULES["shopper"]) if intent == "cancel_order")
RULES["shopper"][_AT:_AT] = ops.RULES

EXAMPLES_EN: dict[str, list[str]] = {
    "policy": ["what is your return policy", "how long does delivery take", "do you ship to Germany",
               "how do I reset my password", "which payment methods do you accept", "how do I get an invoice",
               "how do loyalty points work", "can I use two coupons", "how do I delete my account",
               "how do I unsubscribe from the newsletter", "what does the warranty cover"],
    "list_orders": ["where is my stuff", "has my parcel shipped", "show me what I bought", "status of my purchase"],
    "cancel_order": ["I don't want the order anymore", "please stop my order", "call off my purchase"],
    "return_items": ["I want to send the item back", "the shirt doesn't fit, I want my money back for it"],
    "recommend": ["what should I buy next", "anything you think I'd like", "ideas for a present"],
    "handoff": ["let me talk to your staff", "I need a person to help", "get me a manager"],
}
EXAMPLES: dict[str, list[str]] = {k: v + [t for c in LOCAL for t in c["examples"].get(k, [])]
                                  for k, v in EXAMPLES_EN.items()}


# A question about one order already named ("that order", "这个订单"): the planner fills in the remembered id.
THAT_ORDER = re.compile(r"\b(that|this|the same) order\b|(这个|那个|这笔|那笔|同一个?)订单", re.I)


@dataclass
class Route:
    intent: str
    slots: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0
    via: str = "rule"
    alternatives: list[tuple[str, float]] = field(default_factory=list)  # the learned router's top intents


class NearestExamples:
    """Cosine nearest neighbour over labelled example utterances (embedded once)."""

    def __init__(self, embedder: Any, examples: dict[str, list[str]] = EXAMPLES):
        self.embedder = embedder
        self.labels = [i for i, texts in examples.items() for _ in texts]
        self.matrix = embedder.embed([t for texts in examples.values() for t in texts])

    def nearest(self, text: str) -> tuple[str, float]:
        v = self.embedder.embed([text])[0]
        sims = self.matrix @ v
        best = int(np.argmax(sims))
        return self.labels[best], float(sims[best])


def _doubted_write(clf: Any, text: str, slots: dict[str, Any], intent: str, ranked: list[tuple[str, float]]) -> bool:
    """A write route that the classifier finds close to out_of_scope; the words of an address in the message ('5 Bank
    Street') are no business's, so such a message is judged again without them."""
    if not clf.doubts_write(intent, ranked):
        return False
    if "address" in slots:
        return bool(clf.doubts_write(intent, clf.rank(without_address(text, slots["address"]))))
    return True


def learned(text: str, slots: dict[str, Any]) -> Route | None:
    """The classifier's route, `clarify` when it is unsure; None when no model ships."""
    from agent.offline.classifier import shipped

    clf = shipped()
    if clf is None:
        return None
    ranked = clf.rank(text)
    intent, p = ranked[0]
    if not clf.accepts(intent, p):
        return Route("clarify", slots, confidence=p, via="learned", alternatives=ranked[:2])
    if _doubted_write(clf, text, slots, intent, ranked):  # a write, or another business's request? ask, never guess
        return Route("clarify", slots, confidence=p, via="learned",
                     alternatives=[(intent, p), ("out_of_scope", dict(ranked)["out_of_scope"])])
    if intent == "list_orders" and ("order_id" in slots or THAT_ORDER.search(text)):
        intent = "order_details"  # "where is #W9000002", "the status of that order": that order, not the list
    return Route(intent, slots, confidence=p, via="learned", alternatives=ranked[:2])


# The classifier knows the coarse order intents; exchanges, item and payment changes and the default address
# (agent/offline/ops.py, not yet in its corpus) are told apart from them by ops' rules, applied only where the
# classifier chose an order intent or was unsure, never over policy, greetings or out-of-scope.
OPS_REFINES = {"return_items", "cancel_order", "change_address", "profile", "order_details", "list_orders",
               "refund_status", "clarify"}  # 'clarify' too: the classifier has never seen these intents, and each
# rule is specific (an order reference and what to change); the write still waits for the shopper's explicit yes.
# Until the corpus has these intents, a low-confidence route can end in one of them only through such a rule.


def _ops_override(r: Route, low: str) -> Route | None:
    if r.intent not in OPS_REFINES:
        return None
    for intent, pattern in ops.RULES:
        if re.search(pattern, low, re.I):
            return Route(intent, r.slots, confidence=r.confidence, via="ops-rule", alternatives=r.alternatives)
    return None


WRITES = {"cancel_order", "return_items", "change_address", *ops.INTENTS}


def route(text: str, role: str = "shopper", nn: NearestExamples | None = None, threshold: float = 0.55,
          learn: bool = True) -> Route:
    r = _route(text, role, nn, threshold, learn)
    asked = r.alternatives[0][0] if r.intent == "clarify" and r.alternatives else r.intent  # a question: its first guess
    if learn and role == "shopper" and asked in WRITES and \
            (what := other_business(text, asked, "order_id" in r.slots, r.slots.get("address"))) is not None:
        # another business's object (a flight, a SIM, a bank card) and nothing of this shop's: no write here, nor a
        # question whether one was meant (the keyword baseline, learn=False, stays the earlier router it is kept to be
        # compared with)
        return Route("out_of_scope", {**r.slots, "other_business": what}, confidence=r.confidence, via="write-veto",
                     alternatives=r.alternatives)
    if learn and role == "shopper" and r.intent in WRITES and not about_shop(text, r.intent, r.slots) and \
            not (r.via == "rule" and r.intent == "change_address"):  # a Chinese address given after being asked
        # nothing of this shop's named (no order, parcel, product, pronoun): ask whether it is about an order here
        return Route("clarify", r.slots, confidence=r.confidence, via="shop-object",
                     alternatives=[(r.intent, r.confidence), ("out_of_scope", 0.0)])
    return r


def _route(text: str, role: str, nn: NearestExamples | None, threshold: float, learn: bool) -> Route:
    slots = extract(text)
    low = text.lower().strip()
    if INJECTION.search(text):
        return Route("injection", slots)
    if ABUSE.search(text):
        return Route("abusive", slots)
    shopper_learned = learn and role == "shopper"
    if not shopper_learned and GREETING.match(text.strip()):
        return Route("greeting", slots)
    if role == "shopper" and ("email" in slots or ("zip" in slots and "first_name" in slots)) and \
            len(low.split()) <= 14 and len(text) <= 80 and \
            not re.search(r"\b(order|cancel|return|refund)\b" + _local("account_words"), low):
        return Route("identify", slots)
    if role == "shopper" and (slots.get("customer_id") or re.search(r"\b(someone else|another customer|"
                                                                    r"other customers?|my (friend|neighbou?r|wife|"
                                                                    r"husband)'s)\b" + _local("other_customer"), low)):
        return Route("other_customer", slots)
    if role == "shopper" and (lang := requested(text)):
        return Route("set_language", {**slots, "language": lang})
    if role == "shopper" and "address" in slots and any(script.search(text) for script in _ADDRESS_GIVEN):
        # "改为广东省深圳市…，邮编518057" after being asked
        return Route("change_address", slots)
    if shopper_learned and (r := learned(text, slots)) is not None:
        return _ops_override(r, low) or r
    rules = (local_rules(text) if role == "shopper" else []) + RULES.get(role, [])
    for intent, pattern in rules:
        if re.search(pattern, low, re.I):
            return Route(intent, slots)
    if nn is not None and role == "shopper":
        intent, sim = nn.nearest(text)
        if sim >= threshold:
            return Route(intent, slots, confidence=sim, via="nearest")
    return Route("policy", slots, confidence=0.5, via="default")
