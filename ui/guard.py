"""What the public pages may not do, and how hard the staff logins may be tried.

- Files: every mounted Gradio app serves any file in Gradio's shared upload/cache folder from its own
  `/gradio_api/file=` route, so a CSV made in the staff console was downloadable through the public page. The
  public pages (`/`, `/widget`, `/tools`) show no files and take no uploads: both routes are refused there and
  work only under the login-protected `/staff` and `/marketing`.
- Logins: failed staff/marketing logins are counted per user name and per client address; after
  `login_max_failures` within `login_lock_seconds` further tries are refused (HTTP 429) until the window passes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from typing import Any

log = logging.getLogger("retain.guard")
PRIVATE_MOUNTS = ("/staff", "/marketing")
FILE_ROUTES = ("/gradio_api/file=", "/gradio_api/upload", "/file=", "/upload")


def is_private(path: str) -> bool:
    return any(path == m or path.startswith(m + "/") for m in PRIVATE_MOUNTS)


def refused_on_public(path: str) -> bool:
    """A file download or upload route outside the login-protected mounts."""
    return not is_private(path) and any(r in path for r in FILE_ROUTES)


class LoginThrottle:
    """Failures per key (a user name or a client address) in a sliding window; thread-safe."""

    def __init__(self, max_failures: int, window_s: float, clock: Any = time.monotonic):
        self.max_failures, self.window_s, self.clock = max_failures, window_s, clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and q[0] <= self.clock() - self.window_s:
            q.popleft()
        return q

    def wait_s(self, key: str) -> float:
        """Seconds until `key` may try again (0: now)."""
        with self._lock:
            q = self._recent(key)
            return max(0.0, q[0] + self.window_s - self.clock()) if len(q) >= self.max_failures else 0.0

    def failed(self, key: str) -> None:
        with self._lock:
            self._recent(key).append(self.clock())

    def check(self, user: str, password: str, logins: Any) -> bool:
        """Gradio's auth callable: a locked user is refused even with the right password."""
        key = f"user:{user}"
        if self.wait_s(key):
            log.warning("login refused for %r: too many failed attempts", user)
            return False
        if logins.check(user, password):
            return True
        self.failed(key)
        return False


def install(app: Any, throttle: LoginThrottle) -> None:
    """The middleware for both rules on the top-level FastAPI app."""
    from starlette.responses import JSONResponse

    @app.middleware("http")
    async def guard(request: Any, call_next: Any) -> Any:
        path = request.url.path
        if refused_on_public(path):
            return JSONResponse({"detail": "Files are not served or accepted on this page."}, status_code=403)
        login = request.method == "POST" and is_private(path) and path.rstrip("/").endswith("/login")
        client = f"client:{request.client.host if request.client else '?'}"
        if login and (wait := throttle.wait_s(client)):
            return JSONResponse({"detail": f"Too many failed logins; try again in {int(wait) + 1} s."},
                                status_code=429, headers={"Retry-After": str(int(wait) + 1)})
        response = await call_next(request)
        if login and response.status_code >= 400:
            throttle.failed(client)
        return response
