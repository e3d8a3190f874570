"""The validator every draft passes before it can be approved: facts match the store, required elements are
present, forbidden content is absent, and the channel's length limits hold. Returns findings; none = valid."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.config import Policy
from retention.campaigns import channels as ch
from retention.campaigns.drafts import unsubscribe_url
from retention.campaigns.facts import CatalogEntry, load_catalog
from retention.campaigns.models import CampaignSpec, Draft, Issue
from retention.campaigns.offers import cap_for, offer_code

if TYPE_CHECKING:
    import duckdb

URGENCY = re.compile(
    r"last chance|only today|today only|ends today|ends tonight|expires today|final hours|last few hours|"
    r"hurry|act now|before it'?s gone|only \d+ left|while stocks last|24 hours|"
    r"最后机会|仅限今天|今天截止|今日截止|即将售罄|手慢无|赶快|马上抢", re.I)
CLAIMS = re.compile(
    r"guarantee[ds]?|best price|lowest price|cheapest|risk[- ]free|100% satisfaction|number one|#1|"
    r"clinically proven|free gift|保证|最低价|全网最低|第一名|零风险", re.I)
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
OTHER_CURRENCY = re.compile(r"[$€¥]\s?\d|\b(?:USD|EUR|RMB|CNY)\b|\d\s?元")
LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\bNone\b|\bnan\b|\bundefined\b")
DATE_EN = re.compile(r"\b(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? (\d{4})\b")
DATE_ZH = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
BULLET = re.compile(r"^•\s*(.+?)\s*[（(]", re.M)
_MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                       "Nov", "Dec"), start=1)}
URGENCY_OK_DAYS = 1     # "ends today"/"last chance" is true only when the offer really ends within a day


@dataclass
class CustomerRef:
    first_name: str | None
    last_name: str | None
    email: str | None
    consent: bool
    unsubscribed: bool
    top_tier: bool = False


@dataclass
class ValidationContext:
    """What the store says, loaded once per campaign."""

    today: dt.date
    policy: Policy
    spec: CampaignSpec
    campaign_id: str
    catalog: dict[str, CatalogEntry]
    customers: dict[str, CustomerRef]
    full_names: dict[str, str] = field(default_factory=dict)   # "first last" (lower) -> customer_id
    first_names: set[str] = field(default_factory=set)          # lower

    def __post_init__(self) -> None:
        for cid, c in self.customers.items():
            if c.first_name:
                self.first_names.add(c.first_name.lower())
                if c.last_name:
                    self.full_names[f"{c.first_name} {c.last_name}".lower()] = cid

    @classmethod
    def from_store(cls, con: duckdb.DuckDBPyConnection, spec: CampaignSpec, policy: Policy, today: dt.date,
                   campaign_id: str) -> ValidationContext:
        tiers = {r[0]: bool(r[1]) for r in con.execute(
            "SELECT customer_id, top_tier FROM campaign_audience WHERE campaign_id = ?", [campaign_id]).fetchall()}
        customers = {r[0]: CustomerRef(r[1], r[2], r[3], bool(r[4]), bool(r[5]), tiers.get(r[0], False))
                     for r in con.execute("SELECT customer_id, first_name, last_name, email, marketing_consent, "
                                          "unsubscribed FROM customers").fetchall()}
        return cls(today, policy, spec, campaign_id, load_catalog(con), customers)


def _dates(text: str, expires: dt.date) -> list[tuple[str, dt.date | None]]:
    """Every date written in the text, parsed (None when it is not a real date)."""
    out: list[tuple[str, dt.date | None]] = []

    def mk(y: int, m: int, d: int) -> dt.date | None:
        try:
            return dt.date(y, m, d)
        except ValueError:
            return None
    for m in DATE_EN.finditer(text):
        out.append((m.group(0), mk(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))))
    for m in DATE_ZH.finditer(text):
        year = int(m.group(1)) if m.group(1) else expires.year
        out.append((m.group(0), mk(year, int(m.group(2)), int(m.group(3)))))
    for m in DATE_ISO.finditer(text):
        out.append((m.group(0), mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
    return out


def validate(d: Draft, ctx: ValidationContext) -> list[Issue]:  # noqa: C901 - one list of rules, read top down
    """All findings for one draft (empty list = valid)."""
    issues: list[Issue] = []

    def flag(code: str, where: str, msg: str) -> None:
        issues.append(Issue(code=code, field=where, message=msg))

    fields = {"subject": d.subject or "", "preheader": d.preheader or "", "body": d.body}
    text = "\n".join(v for v in fields.values() if v)
    sym = ctx.policy.currency_symbol
    cust = ctx.customers.get(d.customer_id)
    # -- the customer ---------------------------------------------------------------------------------------
    if cust is None:
        flag("unknown_customer", "customer_id", f"customer {d.customer_id!r} is not in the store")
    elif not cust.consent or cust.unsubscribed:
        flag("no_consent", "customer_id", f"customer {d.customer_id} has no marketing consent or unsubscribed")
    if cust is not None and (d.first_name or None) != (cust.first_name or None):
        flag("wrong_name", "first_name", f"first name {d.first_name!r} is not the customer's "
                                         f"({cust.first_name!r})")
    # -- required fields and leftovers ----------------------------------------------------------------------
    if not d.body.strip():
        flag("missing_field", "body", "the body is empty")
    if d.channel == "email":
        for f in ("subject", "preheader"):
            if not fields[f].strip():
                flag("missing_field", f, f"the email has no {f}")
    if d.channel == "push" and not fields["subject"].strip():
        flag("missing_field", "subject", "the push notification has no title")
    for name, value in fields.items():
        m = LEFTOVER.search(value)
        if m:
            flag("template_leftover", name, f"{name} contains a template leftover {m.group(0)!r}")
    # -- the offer -------------------------------------------------------------------------------------------
    o = d.offer
    top = cust.top_tier if cust else False
    cap = cap_for(ctx.policy, top)
    if o.kind == "percent" and not 0 < o.discount_pct <= cap:
        flag("discount_over_cap", "offer", f"{o.discount_pct}% is outside the cap of {cap}% "
                                           f"for {'top-tier' if top else 'regular'} customers")
    if o.kind == "free_shipping" and o.discount_pct:
        flag("discount_mismatch", "offer", "a free-shipping offer carries a percent discount")
    if o.expires_on <= ctx.today:
        flag("offer_expired", "offer", f"the offer expires on {o.expires_on}, not after today ({ctx.today})")
    elif o.expires_on > ctx.today + dt.timedelta(days=ctx.policy.offer_validity_days):
        flag("expiry_too_far", "offer", f"the offer expires on {o.expires_on}, beyond the "
                                        f"{ctx.policy.offer_validity_days}-day validity")
    if o.code != offer_code(ctx.campaign_id, d.customer_id):
        flag("wrong_offer_code", "offer", f"code {o.code} is not this customer's code for this campaign")
    if o.code not in d.body:
        flag("missing_offer_code", "body", f"the body does not give the offer code {o.code}")
    for m in PERCENT.finditer(text):
        v = float(m.group(1))
        if o.kind != "percent" or v != o.discount_pct:
            code = "discount_over_cap" if v > cap else "discount_mismatch"
            flag(code, "body", f"the text says {m.group(0)} but the offer is "
                               f"{str(o.discount_pct) + '%' if o.kind == 'percent' else 'free shipping'}")
    dates = _dates(text, o.expires_on)
    for raw, when in dates:
        if when != o.expires_on:
            flag("expiry_mismatch", "body", f"the text gives the date {raw!r}; the offer expires on {o.expires_on}")
    if not dates:
        flag("missing_expiry", "body", "the text does not say when the offer expires")
    # -- products and prices ---------------------------------------------------------------------------------
    allowed_prices = {round(ctx.policy.free_shipping_threshold, 2)}
    names = set()
    for p in d.products:
        c = ctx.catalog.get(p.product_id)
        names.add(p.name)
        if c is None:
            flag("unknown_product", "products", f"product {p.product_id!r} ({p.name}) is not in the catalogue")
            continue
        if not c.available or c.price is None:
            flag("unavailable_product", "products", f"{c.name} ({p.product_id}) is not available")
            continue
        if abs(c.price - p.price) > 0.005:
            flag("price_mismatch", "products", f"{c.name} costs {sym}{c.price:.2f}, not {sym}{p.price:.2f}")
        if p.name != c.name:
            flag("product_name_mismatch", "products", f"{p.product_id} is called {c.name!r}, not {p.name!r}")
        allowed_prices.add(round(c.price, 2))
        if p.name not in d.body:
            flag("product_not_in_text", "body", f"featured product {p.name!r} is not in the text")
    for m in re.finditer(re.escape(sym) + r"\s?(\d{1,3}(?:,\d{3})*(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)", text):
        if round(float(m.group(1).replace(",", "")), 2) not in allowed_prices:
            flag("price_mismatch", "body", f"the text quotes {m.group(0)}, which is no featured product's price")
    m2 = OTHER_CURRENCY.search(text)
    if m2:
        flag("wrong_currency", "body", f"{m2.group(0)!r}: prices must be in {ctx.policy.currency}")
    for m in BULLET.finditer(d.body):
        if m.group(1) not in names:
            flag("unknown_product", "body", f"the text lists {m.group(1)!r}, which is not a featured product")
    # -- required elements -----------------------------------------------------------------------------------
    if d.channel == "email":
        expected = unsubscribe_url(ctx.spec.shop_url, ctx.campaign_id, d.customer_id)
        if d.unsubscribe_url != expected or expected not in d.body:
            flag("missing_unsubscribe", "body", "the email lacks this customer's unsubscribe link")
        if d.sender_email != ctx.spec.sender_email or ctx.spec.sender_name not in d.body \
                or ctx.spec.shop_name not in d.body:
            flag("missing_sender", "body", f"the email must be from {ctx.spec.sender_name} "
                                           f"<{ctx.spec.sender_email}> and name {ctx.spec.shop_name}")
    elif d.channel == "sms":
        if not (d.body.startswith(f"{ctx.spec.shop_name}:") or d.body.startswith(f"【{ctx.spec.shop_name}】")):
            flag("missing_sender", "body", f"an SMS must start with the shop name {ctx.spec.shop_name!r}")
        if "STOP" not in d.body and "退订" not in d.body:
            flag("missing_opt_out", "body", "an SMS must say how to opt out (Reply STOP / 回TD退订)")
    elif ctx.spec.shop_name not in text:
        flag("missing_sender", "body", f"a push notification must name the shop {ctx.spec.shop_name!r}")
    # -- forbidden content -----------------------------------------------------------------------------------
    m3 = URGENCY.search(text)
    if m3 and (o.expires_on - ctx.today).days > URGENCY_OK_DAYS:
        flag("false_urgency", "body", f"{m3.group(0)!r} is not true: the offer runs until {o.expires_on}")
    m4 = CLAIMS.search(text)
    if m4:
        flag("unsupported_claim", "body", f"{m4.group(0)!r} is a claim the shop cannot support")
    own_email = (cust.email or "").lower() if cust else ""
    for m in EMAIL.finditer(text):
        if m.group(0).lower() not in (ctx.spec.sender_email.lower(), own_email):
            flag("other_customer_data", "body", f"the text contains an email address {m.group(0)!r}")
    own = f"{cust.first_name} {cust.last_name}".lower() if cust and cust.first_name and cust.last_name else ""
    words = WORD.findall(text)
    for a, b in zip(words, words[1:], strict=False):
        pair = f"{a} {b}".lower()
        if pair in ctx.full_names and pair != own:
            flag("other_customer_data", "body", f"the text names another customer ({a} {b})")
    own_first = (cust.first_name or "").lower() if cust else ""
    allowed = {w.lower() for w in WORD.findall(f"{ctx.spec.shop_name} {ctx.spec.sender_name}")} | {
        "hi", "hello", "dear", "hey", "there"}
    first_line = d.body.split("\n", 1)[0] if d.channel != "push" else fields["subject"]
    for w in WORD.findall(first_line):
        lw = w.lower()
        if lw in ctx.first_names and lw != own_first and lw not in allowed:
            flag("wrong_name", "body", f"the greeting names {w!r}, but this customer is "
                                       f"{cust.first_name if cust else '?'!r}")
    # -- lengths ---------------------------------------------------------------------------------------------
    if d.channel == "email":
        for f, limit in (("subject", ch.EMAIL_SUBJECT_MAX), ("preheader", ch.EMAIL_PREHEADER_MAX),
                         ("body", ch.EMAIL_BODY_MAX)):
            if len(fields[f]) > limit:
                flag("too_long", f, f"the {f} has {len(fields[f])} characters (limit {limit})")
    elif d.channel == "sms":
        n = ch.sms_length(d.body)
        if not n.ok:
            flag("too_long", "body", f"the SMS is {n.units} {n.encoding} characters (limit {n.limit})")
    else:
        for f, limit in (("subject", ch.PUSH_TITLE_MAX), ("body", ch.PUSH_BODY_MAX)):
            if len(fields[f]) > limit:
                flag("too_long", f, f"the push {'title' if f == 'subject' else 'body'} has {len(fields[f])} "
                                    f"characters (limit {limit})")
    return issues
