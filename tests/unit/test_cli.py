"""The CLI's shape: help for every command, friendly errors, init."""

from pathlib import Path

from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def test_help_lists_the_foundation_commands() -> None:
    out = runner.invoke(app, ["--help"])
    assert out.exit_code == 0
    for cmd in ("init", "import", "demo", "serve", "train", "eval", "bench"):
        assert cmd in out.output


def test_init_creates_a_migrated_store(tmp_path: Path) -> None:
    out = runner.invoke(app, ["--data-dir", str(tmp_path / "d"), "init"])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "d" / "shop.duckdb").exists()


def test_help_does_not_import_heavy_libraries() -> None:
    import subprocess
    import sys

    code = ("import sys; from cli.main import app; "
            "heavy = [m for m in ('torch', 'chromadb', 'gradio', 'lightgbm', 'sentence_transformers', "
            "'pandas', 'duckdb', 'langchain', 'transformers') if m in sys.modules]; print(','.join(heavy))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "", f"retain --help imports heavy modules: {res.stdout}"


def test_an_error_is_one_whole_line_and_never_read_as_markup(tmp_path: Path) -> None:
    """However long the path, the error stays on one line (grep-able, no wrap inside a name), and brackets in
    a message are printed as written."""
    from cli.common import friendly
    from core.errors import RetainError

    path = tmp_path / ("a-rather-long-folder-name-" * 4) / "orders [copy].csv"

    @friendly
    def boom() -> None:
        raise RetainError(f"{path} line 2 column 'Quantity': not a number: 'x'")

    import typer

    cli = typer.Typer()
    cli.command()(boom)
    out = runner.invoke(cli, [], terminal_width=60)
    assert out.exit_code == 2
    lines = [ln for ln in out.output.splitlines() if ln.strip()]
    assert lines == [f"error: {path} line 2 column 'Quantity': not a number: 'x'"], out.output
