"""/shop-demo/ (demo mode only): a sample shop page that embeds the widget, with the one-line snippet, for a
signed-in demo customer (`?lang=zh` renders it for a Chinese-speaking shopper)."""

from __future__ import annotations

import html
from importlib import resources
from string import Template
from typing import Any

from core.config import Settings

SHOP_NAME = "Hearth & Home"   # the demo shop's name (settings.shop_name in demo mode unless set)
PERSONA = "16985"       # shop.demo_personas 'returnable' (Harry Fletcher)
LIFETIME_S = 3600


def page(settings: Settings, customer_id: str = PERSONA, name: str = "Harry Fletcher", lang: str | None = None) -> str:
    from ui.widget_embed import snippet

    embed = snippet(settings, "", customer_id, lang, LIFETIME_S)
    template = Template(resources.files("ui").joinpath("static/sample_shop.html").read_text(encoding="utf-8"))
    return template.substitute(name=html.escape(name), widget=embed, shop=html.escape(settings.shop_name),
                               lang="zh" if lang == "zh" else "en")


def mount_sample_shop(app: Any, settings: Settings) -> None:
    from fastapi.responses import HTMLResponse

    @app.get("/shop-demo/", response_class=HTMLResponse, include_in_schema=False)
    def sample_shop(lang: str | None = None) -> str:
        return page(settings, lang="zh" if lang == "zh" else None)
