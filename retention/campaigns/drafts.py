"""Deterministic win-back drafts from the templates in prompts/winback (Jinja, StrictUndefined).

Variation is real but reproducible: every phrasing slot picks among several phrasings with a random generator
seeded by (campaign seed, campaign, customer, channel, attempt). Chinese templates serve customers whose
preferred_language is 'zh'; any other language gets English.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from pathlib import Path
from typing import Any

from core.config import Policy
from core.errors import ConfigError
from retention.campaigns.facts import CustomerFacts
from retention.campaigns.models import CampaignSpec, Draft, Offer, Variant

LANGUAGES: tuple[str, ...] = ("en", "zh")
_MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def unsubscribe_url(shop_url: str, campaign_id: str, customer_id: str) -> str:
    token = hashlib.blake2b(f"unsub|{campaign_id}|{customer_id}".encode(), digest_size=6).hexdigest()
    return f"{shop_url.rstrip('/')}/unsubscribe/{token}"


def format_date(d: dt.date, language: str, short: bool = False) -> str:
    if language == "zh":
        return f"{d.month}月{d.day}日" if short else f"{d.year}年{d.month}月{d.day}日"
    return f"{d.day} {_MONTHS_SHORT[d.month - 1]} {d.year}" if short else f"{d.day} {d.strftime('%B')} {d.year}"


def opening_key(facts: CustomerFacts) -> str:
    """Which opening fits: an apology for a late delivery first, else the top churn driver."""
    if facts.late_delivery:
        return "apology"
    for d in facts.drivers:
        name = f"{d.get('feature', '')} {d.get('text', '')}".lower()
        if any(w in name for w in ("review", "sentiment", "rating")):
            return "feedback"
        if any(w in name for w in ("ticket", "complaint", "return")):
            return "service"
        if any(w in name for w in ("recen", "days_since", "days since", "last order")):
            return "recency"
        if any(w in name for w in ("frequen", "n_orders", "orders")):
            return "frequency"
    return "default"


class Renderer:
    """Renders drafts for one campaign. Templates and phrase books are compiled once and cached."""

    def __init__(self, spec: CampaignSpec, policy: Policy, campaign_id: str):
        import jinja2

        self.spec, self.policy, self.campaign_id = spec, policy, campaign_id
        self.variants = {v.name: v for v in spec.variants}
        if spec.template_dir:
            loader: jinja2.BaseLoader = jinja2.FileSystemLoader(spec.template_dir)
            self.where = spec.template_dir
        else:
            loader = jinja2.PackageLoader("prompts", "winback")
            self.where = "prompts/winback"
        self.env = jinja2.Environment(loader=loader, undefined=jinja2.StrictUndefined, autoescape=False,
                                      keep_trailing_newline=False)
        self._phrases: dict[str, dict[str, Any]] = {}
        self._compiled: dict[str, Any] = {}

    # -- loading -------------------------------------------------------------------------------------------
    def _template(self, name: str) -> Any:
        import jinja2

        if name not in self._compiled:
            try:
                self._compiled[name] = self.env.get_template(name)
            except jinja2.TemplateNotFound:
                raise ConfigError(f"{self.where}/{name}: template not found") from None
            except jinja2.TemplateSyntaxError as e:
                raise ConfigError(f"{self.where}/{name} line {e.lineno}: {e.message}") from None
        return self._compiled[name]

    def phrases(self, lang: str) -> dict[str, Any]:
        if lang not in self._phrases:
            name = f"phrases.{lang}.json"
            try:
                src, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
            except Exception:
                raise ConfigError(f"{self.where}/{name}: phrase book not found") from None
            try:
                self._phrases[lang] = json.loads(src)
            except json.JSONDecodeError as e:
                raise ConfigError(f"{self.where}/{name} line {e.lineno}: {e.msg}") from None
        return self._phrases[lang]

    def _render(self, name: str, source: str | None, ctx: dict[str, Any]) -> str:
        import jinja2

        key = f"{name}\0{source}" if source is not None else name
        try:
            tpl = self._compiled.get(key)
            if tpl is None:
                tpl = self._compiled[key] = self.env.from_string(source) if source is not None \
                    else self._template(name)
            return str(tpl.render(**ctx)).strip()
        except jinja2.UndefinedError as e:
            raise ConfigError(f"{self.where}/{name}: {e.message}; the template may use only: "
                              f"{', '.join(sorted(ctx))}") from None
        except jinja2.TemplateSyntaxError as e:
            raise ConfigError(f"{self.where}/{name}: {e.message}") from None

    def _pick(self, rng: random.Random, lang: str, ctx: dict[str, Any], *path: str) -> str:
        node: Any = self.phrases(lang)
        for p in path:
            if not isinstance(node, dict) or p not in node:
                raise ConfigError(f"{self.where}/phrases.{lang}.json: missing phrase {'.'.join(path)!r}")
            node = node[p]
        text = rng.choice(node) if isinstance(node, list) else node
        return self._render(f"phrases.{lang}.json:{'.'.join(path)}", str(text), ctx)

    # -- drafting ------------------------------------------------------------------------------------------
    def render(self, facts: CustomerFacts, offer: Offer, arm: str, channel: str, attempt: int = 1) -> Draft:
        """One draft. Attempt 2 (after a validator failure) re-picks the phrasings and uses the compact SMS."""
        variant: Variant = self.variants.get(arm) or Variant(name=arm)
        lang = facts.language if facts.language in LANGUAGES else "en"
        rng = random.Random(f"{self.spec.seed}|{self.campaign_id}|{facts.customer_id}|{channel}|{attempt}")
        sym = self.policy.currency_symbol
        named = "named" if facts.first_name else "anonymous"
        ctx: dict[str, Any] = {
            "first_name": facts.first_name or "", "shop_name": self.spec.shop_name,
            "shop_url": self.spec.shop_url, "sender_name": self.spec.sender_name,
            "sender_email": self.spec.sender_email, "code": offer.code, "discount_pct": offer.discount_pct,
            "expires": format_date(offer.expires_on, lang), "expires_short": format_date(offer.expires_on, lang, True),
            "unsubscribe_url": unsubscribe_url(self.spec.shop_url, self.campaign_id, facts.customer_id),
            "bought": facts.bought[0] if facts.bought else "", "tone": variant.tone,
        }
        ctx["headline"] = self._pick(rng, lang, ctx, "headline", offer.kind)
        ctx["who"] = facts.first_name or ("您" if lang == "zh" else "friend")
        ctx["opt_out"] = self._pick(rng, lang, ctx, "opt_out")
        products = [{"name": p.name, "price": p.price, "price_text": f"{sym}{p.price:,.2f}", "reason": p.reason}
                    for p in facts.featured]
        subject = preheader = None
        if channel == "email":
            ctx.update(
                greeting=self._pick(rng, lang, ctx, "greeting", named),
                opening=self._pick(rng, lang, ctx, "opening", opening_key(facts)),
                bought_line=self._pick(rng, lang, ctx, "bought") if facts.bought else "",
                offer_line=self._pick(rng, lang, ctx, "offer", offer.kind),
                picks_intro=self._pick(rng, lang, ctx, "picks_intro"),
                closing=self._pick(rng, lang, ctx, "closing", variant.tone),
                products=products)
            subject = self._pick(rng, lang, ctx, "subject", variant.tone)
            subject = subject[:1].upper() + subject[1:]
            preheader = self._pick(rng, lang, ctx, "preheader")
        elif channel == "sms":
            ctx["hello"] = self._pick(rng, lang, ctx, "hello_short", named)
            ctx["sms_line"] = self._pick(rng, lang, ctx, "sms" if attempt == 1 else "sms_compact", offer.kind)
        elif channel == "push":
            subject = self._pick(rng, lang, ctx, "push_title", named if attempt == 1 else "anonymous")
            ctx["push_body"] = self._pick(rng, lang, ctx, "push_body")
        else:
            raise ConfigError(f"unknown channel {channel!r}; channels: email, sms, push")
        body = self._render(f"{channel}.{lang}.j2", None, ctx)
        return Draft(campaign_id=self.campaign_id, customer_id=facts.customer_id, channel=channel,  # type: ignore[arg-type]
                     arm=arm, language=lang, subject=subject, preheader=preheader, body=body, offer=offer,
                     products=list(facts.featured) if channel == "email" else [],
                     first_name=facts.first_name, sender_name=self.spec.sender_name,
                     sender_email=self.spec.sender_email, shop_name=self.spec.shop_name,
                     unsubscribe_url=ctx["unsubscribe_url"], attempt=attempt)


def template_path(name: str) -> Path:
    """Where a shipped template lives (for error messages and docs)."""
    return Path(__file__).resolve().parents[2] / "prompts" / "winback" / name
