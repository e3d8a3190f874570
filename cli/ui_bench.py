"""`retain bench ui`: a bounded load test of the shopper page through the Gradio API (gradio_client)."""

from __future__ import annotations

import typer

from cli.common import bench_app, console, friendly, print_json, settings

QUESTIONS = ["Where is my order?", "What is your return policy?", "How long do refunds take?"]


def _percentile(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))] if s else float("nan")


def _text(history: list) -> str:
    last = history[-1]["content"]
    return str(last[0]["text"]) if isinstance(last, list) else str(last)


@bench_app.command("ui")
@friendly
def bench_ui(
    sessions: int = typer.Option(20, "--sessions", min=1, max=50, help="concurrent shopper sessions"),
    turns: int = typer.Option(3, "--turns", min=1, max=10, help="questions per session"),
    timeout: float = typer.Option(240.0, "--timeout", help="give up after this many seconds in all"),
    url: str = typer.Option(None, "--url", help="an app already running (default: start one on a free port)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """N concurrent shopper sessions (verify in the chat as a demo customer, then ask T questions) against
    127.0.0.1; p50/p95 per question turn (the verification turn is reported apart)."""
    import socket
    import statistics
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor, wait

    from core.errors import NotFoundError

    s = settings()
    if not s.db_path.exists():
        raise NotFoundError(f"no shop store at {s.db_path}: run `retain demo` first")
    server = None
    if url is None:
        import uvicorn

        from ui.app import build
        from ui.auth import resolve_logins

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(build(s, resolve_logins(s)), host="127.0.0.1", port=port,
                                               log_level="error"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}/"
    from gradio_client import Client

    from ui.context import AppContext

    customers = [(r["email"], r["zip"]) for r in AppContext(s).rows(
        "SELECT c.email, min(a.zip) AS zip FROM customers c JOIN addresses a USING (customer_id) WHERE c.is_synthetic "
        "AND c.email IS NOT NULL GROUP BY c.customer_id, c.email ORDER BY c.customer_id LIMIT 50")]
    if not customers:
        raise NotFoundError(f"no demo customer with an email and an address in {s.db_path}")
    latencies: list[float] = []
    verify: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        try:
            c = Client(url, verbose=False)
            email, zip_code = customers[i % len(customers)]
            t0 = time.perf_counter()
            history: list = c.predict(f"my email is {email}, postcode {zip_code}", [], api_name="/ask")[0]
            with lock:
                verify.append(time.perf_counter() - t0)
                if "verified" not in _text(history):
                    errors.append(f"session {i}: not verified: {_text(history)[:150]}")
            for t in range(turns):
                t0 = time.perf_counter()
                out = c.predict(QUESTIONS[(i + t) % len(QUESTIONS)], history, api_name="/ask")
                dt = time.perf_counter() - t0
                history = out[0]
                text = _text(history)
                with lock:
                    latencies.append(dt)
                    if text.startswith("Sorry, something went wrong"):
                        errors.append(text[:200])
        except Exception as e:  # counted, reported
            with lock:
                errors.append(f"session {i}: {type(e).__name__}: {e}"[:200])

    t0 = time.perf_counter()
    with ThreadPoolExecutor(sessions) as pool:
        done, pending = wait([pool.submit(one, i) for i in range(sessions)], timeout=timeout)
        for f in pending:
            f.cancel()
    wall = time.perf_counter() - t0
    if server is not None:
        server.should_exit = True
    report = {"url": url, "sessions": sessions, "turns_per_session": turns, "requests": len(latencies),
              "errors": len(errors) + len(pending), "error_samples": errors[:5], "timed_out_sessions": len(pending),
              "wall_seconds": round(wall, 2),
              "p50_s": round(_percentile(latencies, 0.5), 3), "p95_s": round(_percentile(latencies, 0.95), 3),
              "mean_s": round(statistics.fmean(latencies), 3) if latencies else None,
              "verify_p50_s": round(_percentile(verify, 0.5), 3),
              "throughput_rps": round(len(latencies) / wall, 2) if wall else None}
    if as_json:
        print_json(report)
    else:
        console().print(report)
