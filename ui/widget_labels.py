"""The support widget's labels in each shopper language, as data (ui/lang/<lang>/widget.toml, read through
core/catalogue.py: a key a language lacks comes from English), and the choice of language: the page's `lang`
parameter, else the signed-in customer's preferred language, else the browser's Accept-Language, else English."""

from __future__ import annotations

from core.catalogue import catalogue, exists
from core.catalogue import languages as catalogue_languages


def languages() -> tuple[str, ...]:
    """The languages the widget speaks: those with a ui/lang/<lang>/widget.toml (shipped or RETAIN_LANG_DIR)."""
    return tuple(lang for lang in catalogue_languages("ui") if exists(lang, "widget", "ui"))


def _supported(code: str | None) -> str | None:
    base = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return base if base in languages() else None


def from_accept_language(header: str | None) -> str | None:
    """The supported language the browser prefers most (q-values honoured), else None."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((header or "").split(",")[:20]):
        code, _, params = part.partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if (lang := _supported(code)) and q > 0:
            ranked.append((-q, i, lang))
    return min(ranked)[2] if ranked else None


def choose(param: str | None, preferred: str | None, accept_language: str | None) -> str:
    return _supported(param) or _supported(preferred) or from_accept_language(accept_language) or "en"


def labels(lang: str) -> dict[str, str]:
    """The widget's labels in `lang` (English for a language the widget does not speak), chips aside."""
    found = catalogue(lang if lang in languages() else "en", "widget", "ui")
    return {k: str(found[k]) for k in found if k != "chips"}


def chips(lang: str) -> list[str]:
    """The suggested questions shown under the greeting."""
    return [str(c) for c in catalogue(lang if lang in languages() else "en", "widget", "ui")["chips"]]
