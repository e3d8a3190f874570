"""The help-centre and product pages that citations link to (ui/pages.py)."""

from __future__ import annotations

from typing import Any

import pytest

from core.config import Settings
from ui.context import AppContext


@pytest.fixture()
def client(tmp_path: Any) -> Any:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from ui.pages import router

    ctx = AppContext(Settings(data_dir=tmp_path))
    app = FastAPI()
    app.include_router(router(ctx))
    app.state.ctx = ctx
    return TestClient(app)


def test_every_article_is_served_with_its_title_and_section_anchors(client: Any) -> None:
    from vectorstore.helpcentre import anchor, slugs

    index = client.get("/help/")
    assert index.status_code == 200 and 'href="/help/returns-policy"' in index.text
    for slug in sorted(slugs()):
        assert client.get(f"/help/{slug}").status_code == 200, slug
    page = client.get("/help/returns-policy")
    assert "<title>Returns policy</title>" in page.text and "30 days" in page.text
    assert f'id="{anchor("Condition of returned items")}"' in page.text
    zh = client.get("/zh/help/returns-policy")
    assert zh.status_code == 200 and "退货" in zh.text


def test_unknown_pages_are_404(client: Any) -> None:
    assert client.get("/help/no-such-article").status_code == 404
    assert client.get("/zh/help/no-such-article").status_code == 404
    assert client.get("/products/P1").status_code == 404  # no store here


def test_article_text_is_escaped(client: Any) -> None:
    ctx = client.app.state.ctx
    ctx.cache["pages:help:en"] = {"x": "# Hi <script>alert(1)</script>\n\n## A & B\nSee ![p](https://evil.example/p.png)"}
    html = client.get("/help/x").text
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "<img" not in html


def test_product_page_from_the_store(settings: Settings) -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from shop.db import connect
    from ui.pages import router

    settings.data_dir.mkdir(parents=True)
    con = connect(settings.db_path)
    con.execute("INSERT INTO products VALUES ('P1', 'Notebook <b>Paris</b> ![x](https://evil.example/x.png)', "
                "'Stationery', NULL, 'test')")
    con.execute("""INSERT INTO product_variants VALUES ('I1', 'P1', '{"colour": "red"}', 3.5, TRUE),
                   ('I2', 'P1', '{"colour": "blue"}', 4.0, FALSE)""")
    con.close()
    app = FastAPI()
    app.include_router(router(AppContext(settings)))
    page = TestClient(app).get("/products/P1")
    assert page.status_code == 200 and "Options, prices and stock" in page.text
    assert "Notebook &lt;b&gt;Paris&lt;/b&gt;" in page.text and "<img" not in page.text
    assert "colour: red" in page.text and "out of stock" in page.text and "£3.50" in page.text
