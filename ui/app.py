"""The web app. For now a small page with store statistics; the UI issue replaces it."""

from __future__ import annotations

import os
from typing import Any

from agent.config import Settings


def build(settings: Settings) -> Any:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    from shop.db import connect, table_counts

    def stats() -> list[list[Any]]:
        if not settings.db_path.exists():
            return [["(no store yet: run `retain demo`)", 0]]
        con = connect(settings.db_path, read_only=True)
        try:
            return [[k, v] for k, v in table_counts(con).items()]
        finally:
            con.close()

    with gr.Blocks(title="retain") as demo:
        gr.Markdown("# retain\nStore statistics of the shop in `%s`." % settings.data_dir)
        table = gr.Dataframe(headers=["table", "rows"], value=stats)
        gr.Button("Refresh").click(stats, outputs=table)
    return demo


def launch(settings: Settings, host: str, port: int, mcp: bool = False) -> None:
    app = build(settings)
    app.queue().launch(server_name=host, server_port=port, share=False, mcp_server=mcp)
