from pathlib import Path

import pytest

from core.config import Settings


def test_defaults_point_into_the_data_dir(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path)
    assert s.db_path == tmp_path / "shop.duckdb"
    assert s.chroma_path.parent == tmp_path
    assert s.model == "offline"
    assert s.ui_host == "127.0.0.1" and s.ui_port == 7860


def test_environment_and_dotenv_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("RETAIN_MODEL=openai:gpt-4o-mini\nRETAIN_UI_PORT=9001\n")
    monkeypatch.setenv("RETAIN_CHROMA_URL", "http://127.0.0.1:8123")
    monkeypatch.setenv("RETAIN_POLICY__RETURN_WINDOW_DAYS", "14")
    s = Settings()
    assert s.model == "openai:gpt-4o-mini"
    assert s.ui_port == 9001
    assert s.chroma_url == "http://127.0.0.1:8123"
    assert s.policy.return_window_days == 14


def test_bad_value_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETAIN_UI_PORT", "not-a-port")
    with pytest.raises(Exception, match="ui_port"):
        Settings()
