"""/shop-demo/ (demo mode only): a sample shop page that embeds the widget for a signed-in demo customer."""

from __future__ import annotations

import html
import time
from importlib import resources
from string import Template
from typing import Any

from core.config import Settings

PERSONA = "16985"       # shop.demo_personas 'returnable' (Harry Fletcher)
LIFETIME_S = 3600


def page(settings: Settings, customer_id: str = PERSONA, name: str = "Harry Fletcher") -> str:
    from ui.identity import query, secret_of

    secret = secret_of(settings)
    if secret is None:
        raise ValueError("the sample shop needs a widget secret (demo mode makes one)")
    src = "/widget/?" + query(secret, customer_id, int(time.time()) + LIFETIME_S)
    template = Template(resources.files("ui").joinpath("static/sample_shop.html").read_text(encoding="utf-8"))
    return template.substitute(name=html.escape(name), widget=html.escape(src))


def mount_sample_shop(app: Any, settings: Settings) -> None:
    from fastapi.responses import HTMLResponse

    @app.get("/shop-demo/", response_class=HTMLResponse, include_in_schema=False)
    def sample_shop() -> str:
        return page(settings)
