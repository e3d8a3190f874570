"""The web app: one FastAPI server with several Gradio Blocks mounted on it.

    /           shopper support page (public; anonymous until verified in the chat or signed; demo: a picker)
    /widget     the same support chat, compact, for embedding in a shop page with a signed identity (see README);
                a cookie keeps its conversation across reloads (ui/widget_session.py)
    /widget.js  the one-line embed: a launcher bubble that opens the widget in a panel (ui/widget_embed.py)
    /shop-demo  (demo mode only) a sample shop page that embeds the widget for a signed-in persona
    /staff      staff console + analytics + knowledge admin (login)
    /marketing  campaign workbench + analytics (login)
    /tools      public, principal-free shopper tools (help-centre search); with --mcp also an MCP server
    /help/, /products/<id>   the help centre and product pages that answers cite (ui/pages.py)

Start-up stays light: the Blocks are built from the store only; models load on first use.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from core.config import Settings
from ui.auth import Logins, resolve_logins
from ui.context import AppContext, available, not_available

CSS = ".chip {flex: 0 0 auto !important; min-width: fit-content !important; white-space: nowrap}"


def _console(title: str, heading: str, tabs: list[tuple[str, Any]]) -> Any:
    """A console page: a heading, then one tab per (label, build function taking the page)."""
    import gradio as gr

    with gr.Blocks(title=title) as page:
        gr.Markdown(f"# {heading}")
        for label, build_tab in tabs:
            with gr.Tab(label):
                build_tab(page)
    return page


def build_staff(ctx: AppContext) -> Any:
    from ui.analytics import build_analytics_tab
    from ui.inbox import build_inbox_tab
    from ui.knowledge_admin import build_knowledge_tab
    from ui.staff import build_staff_tab

    return _console("retain staff console", "Staff console", [
        ("Customers", lambda _: build_staff_tab(ctx)), ("Inbox", lambda _: build_inbox_tab(ctx)),
        ("Analytics", lambda _: build_analytics_tab(ctx)), ("Knowledge", lambda _: build_knowledge_tab(ctx))])


def build_marketing(ctx: AppContext) -> Any:
    from ui.analytics import build_analytics_tab
    from ui.campaigns import build_campaigns_tab

    return _console("retain campaigns", "Campaign workbench", [
        ("Win-back campaign", lambda page: build_campaigns_tab(ctx, page)),
        ("Analytics", lambda _: build_analytics_tab(ctx))])


def build_tools(ctx: AppContext) -> Any:
    """Principal-free tools, as API endpoints (and MCP tools with --mcp)."""
    import gradio as gr

    with gr.Blocks(title="retain tools") as page:
        gr.Markdown("Tools API of the retain shop (help-centre search).")

        def search_help_centre(query: str, k: int = 3) -> list[dict[str, Any]]:
            """Search the shop's help centre and product pages; returns passages with their title, section and the
            URL of the page they come from (public: no retrieval score, no server path).

            Args:
                query: the question, in the shopper's words
                k: how many passages to return (1-10)
            """
            if not available("vectorstore.retriever"):
                return [{"error": not_available("Knowledge search", "vectorstore.retriever")}]
            from ui.knowledge_admin import public_search

            return public_search(ctx, query, max(1, min(10, int(k))))

        gr.api(search_help_centre, api_name="search_help_centre")
    return page


def build(settings: Settings, logins: Logins | None = None, mcp: bool = False) -> Any:
    """The FastAPI app with every page mounted (logins default to settings.ui_users)."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr
    from fastapi import FastAPI

    from ui import guard, widget_session
    from ui.identity import with_demo_secret
    from ui.pages import router
    from ui.shopper import build_shopper
    from ui.widget import FULL_CSS, WIDGET_CSS
    from ui.widget_embed import mount_widget_js
    from ui.widget_session import with_session_secret

    logins = logins or resolve_logins(settings)
    settings = with_session_secret(with_demo_secret(settings))
    if settings.demo and "shop_name" not in settings.model_fields_set:
        from ui.sample_shop import SHOP_NAME

        settings = settings.model_copy(update={"shop_name": SHOP_NAME})
    ctx = AppContext(settings)
    app = FastAPI(title="retain")
    app.include_router(router(ctx))  # /help/ and /products/ pages, before Gradio takes "/"
    throttle = guard.LoginThrottle(settings.login_max_failures, settings.login_lock_seconds)
    guard.install(app, throttle)
    widget_session.install(app, settings)
    mount_widget_js(app)
    def private(console: str) -> dict[str, Any]:
        """Login for one console: a right password (throttled) of a user whose role that console admits."""
        return {"auth": lambda user, password: throttle.check(user, password, logins)
                and logins.admits(console, user),
                "auth_message": f"{console.title()} login (users: `retain users add NAME --role ROLE`).",
                "css": CSS, "max_file_size": settings.max_upload_bytes}

    gr.mount_gradio_app(app, build_staff(ctx), "/staff", **private("staff"))
    gr.mount_gradio_app(app, build_marketing(ctx), "/marketing", **private("marketing"))
    gr.mount_gradio_app(app, build_tools(ctx), "/tools", mcp_server=mcp, max_file_size=1)
    if settings.demo:
        from ui.sample_shop import mount_sample_shop

        mount_sample_shop(app, settings)
    gr.mount_gradio_app(app, build_shopper(ctx, widget=True), "/widget", css=CSS + WIDGET_CSS, max_file_size=1,
                        footer_links=[])
    gr.mount_gradio_app(app, build_shopper(ctx), "/", css=CSS + FULL_CSS, max_file_size=1, footer_links=[])
    app.state.retain_ctx = ctx
    return app


def launch(settings: Settings, host: str, port: int, mcp: bool = False) -> None:
    """Serve the app (`retain serve`; `--demo` sets settings.demo)."""
    import uvicorn

    from ui.auth import demo_logins_path

    logins = resolve_logins(settings)
    if not logins.users:
        print("no staff or marketing users yet: add one with `retain users add NAME --role staff|marketer|admin`",
              file=sys.stderr, flush=True)
    elif settings.demo and demo_logins_path(settings).exists():
        print(f"demo logins (user password) are in {demo_logins_path(settings)}", file=sys.stderr, flush=True)
    app = build(settings, logins, mcp=mcp)
    print(f"retain app on http://{host}:{port}/ (staff: /staff, marketing: /marketing, widget: /widget, "
          "embed: /widget.js"
          + (", sample shop page: /shop-demo/" if settings.demo else "")
          + (f", MCP: http://{host}:{port}/tools/gradio_api/mcp/" if mcp else "") + ")", file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
