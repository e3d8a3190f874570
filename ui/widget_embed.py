"""The one-line embed: `/widget.js` (ui/static/widget.js) and the script tag a shop's server renders for it.

The shop's server signs the identity (ui/identity.py) for each page it renders; the secret never reaches the page.
"""

from __future__ import annotations

import html
import time
from importlib import resources
from typing import Any

from core.config import Settings


def snippet(settings: Settings, base_url: str = "", customer_id: str | None = None, lang: str | None = None,
            lifetime_s: int = 3600, now: float | None = None) -> str:
    """`<script src=".../widget.js" ... async></script>`: signed for `customer_id` (expiring after `lifetime_s`),
    or anonymous without one."""
    from ui.identity import secret_of, sign

    attrs = [("src", f"{base_url.rstrip('/')}/widget.js")]
    if customer_id:
        secret = secret_of(settings)
        if secret is None:
            raise ValueError("a signed widget needs RETAIN_WIDGET_SECRET (demo mode makes one)")
        exp = int(now if now is not None else time.time()) + lifetime_s
        attrs += [("data-customer", customer_id), ("data-expires", str(exp)),
                  ("data-signature", sign(secret, customer_id, exp))]
    if lang:
        attrs.append(("data-lang", lang))
    return "<script " + " ".join(f'{k}="{html.escape(v)}"' for k, v in attrs) + " async></script>"


def widget_js() -> str:
    return resources.files("ui").joinpath("static/widget.js").read_text(encoding="utf-8")


def mount_widget_js(app: Any) -> None:
    from fastapi.responses import Response

    script = widget_js()

    @app.get("/widget.js", include_in_schema=False)
    def widget_script() -> Response:
        return Response(script, media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=300"})
