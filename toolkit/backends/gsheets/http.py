"""The HTTP layer under gspread: where requests go, how often, and what is retried.

- `CUSTKIT_SHEETS_API=http://127.0.0.1:8080` sends every Google API call (Sheets, Drive, OAuth)
  to that scheme and host instead, path kept: a transport adapter on the session rewrites the
  URL, so gspread itself is untouched. Tests point it at the local stand-in; a proxy works too.
- At most 60 requests per rolling minute leave this process (the Sheets per-user quota).
- 429 is retried for every request: Google refuses it before doing anything. 5xx, 408 and
  dropped connections are retried only for idempotent requests (reads, PUT, values writes): a
  structural batchUpdate that timed out may have been applied, and must not run twice.
  Backoff is exponential with jitter, bounded in attempts and in total time; gspread's own
  BackOffHTTPClient retries forever, so it is not used.
"""

from __future__ import annotations

import random
import time
from collections import deque
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from gspread.exceptions import APIError
from gspread.http_client import FileType, HTTPClient, ParamsType
from requests.adapters import HTTPAdapter

from toolkit.errors import ConfigError, ConfigProblem, QuotaExhaustedError

API_ENV = "CUSTKIT_SHEETS_API"
GOOGLE_HOSTS = ("sheets.googleapis.com", "www.googleapis.com", "oauth2.googleapis.com")
_IDEMPOTENT_POSTS = ("values:batchUpdate", "values:batchClear", ":clear", "values:batchGet")
_RETRY_STATUS = frozenset({408, 500, 502, 503, 504})


def api_base(value: str | None) -> str | None:
    """The validated CUSTKIT_SHEETS_API value: scheme://host[:port], no trailing slash.

    >>> api_base("http://127.0.0.1:8080/")
    'http://127.0.0.1:8080'
    """
    if not value:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        problem = f"{value!r} is not scheme://host[:port], e.g. http://127.0.0.1:8080"
        raise ConfigError([ConfigProblem("environment", API_ENV, problem)])
    return f"{parts.scheme}://{parts.netloc}"


class RewriteAdapter(HTTPAdapter):
    """Sends requests for Google API hosts to another scheme and host, path kept."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = urlsplit(base)

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        parts = urlsplit(request.url or "")
        if parts.hostname in GOOGLE_HOSTS:
            request.url = urlunsplit(
                (self.base.scheme, self.base.netloc, parts.path, parts.query, parts.fragment)
            )
        return super().send(request, *args, **kwargs)


def mount_rewrite(session: requests.Session, base: str | None) -> None:
    """Route the session's Google API calls to `base` (no-op when None).

    >>> session = requests.Session()
    >>> mount_rewrite(session, "http://127.0.0.1:8080")
    >>> type(session.get_adapter("https://sheets.googleapis.com/v4/spreadsheets/k")).__name__
    'RewriteAdapter'
    """
    if base is None:
        return
    adapter = RewriteAdapter(base)
    for host in GOOGLE_HOSTS:
        session.mount(f"https://{host}/", adapter)


@dataclass
class RetryPolicy:
    """Bounded exponential backoff with jitter; sleep, clock and jitter are injectable.

    >>> RetryPolicy(jitter=lambda: 1.0).delay(3)  # third retry: up to 4 s, here all of it
    4.0
    """

    attempts: int = 6
    base: float = 1.0
    cap: float = 32.0
    budget: float = 120.0  # seconds from the first attempt after which we stop retrying
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    jitter: Callable[[], float] = random.random

    def delay(self, attempt: int) -> float:
        """Wait before retry number `attempt` (1-based): half fixed, half random."""
        ceiling = min(self.cap, self.base * 2.0 ** (attempt - 1))
        return ceiling / 2 + self.jitter() * ceiling / 2


@dataclass
class RateLimiter:
    """At most `limit` requests in any `window` seconds (Sheets allows 60 a minute a user).

    >>> waits = []
    >>> limiter = RateLimiter(limit=2, sleep=waits.append, clock=lambda: 0.0)
    >>> limiter.wait(); limiter.wait(); limiter.wait(); waits
    [60.0]
    """

    limit: int = 60
    window: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    sent: deque[float] = field(default_factory=deque)

    def wait(self) -> None:
        now = self.clock()
        while self.sent and now - self.sent[0] >= self.window:
            self.sent.popleft()
        if len(self.sent) >= self.limit:
            self.sleep(self.window - (now - self.sent[0]))
            self.sent.popleft()
        self.sent.append(self.clock())


class SheetsHTTPClient(HTTPClient):
    """gspread's HTTP client with rate limiting and bounded retries.

    Build it with `SheetsHTTPClient(session)` where the session carries the credentials (an
    google.auth AuthorizedSession) and, when set, the URL rewrite.
    """

    def __init__(
        self,
        session: requests.Session,
        *,
        policy: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        timeout: float | tuple[float, float] = (10.0, 120.0),
    ) -> None:
        super().__init__(None, session=session)  # type: ignore[arg-type]  # session carries auth
        self.policy = policy or RetryPolicy()
        self.limiter = limiter or RateLimiter(sleep=self.policy.sleep, clock=self.policy.clock)
        self.timeout = timeout

    def request(
        self,
        method: str,
        endpoint: str,
        params: ParamsType | None = None,
        data: bytes | None = None,
        json: Mapping[str, Any] | None = None,
        files: FileType = None,
        headers: MutableMapping[str, str] | None = None,
    ) -> requests.Response:
        policy = self.policy
        started = policy.clock()
        attempt = 0
        while True:
            attempt += 1
            self.limiter.wait()
            try:
                return super().request(method, endpoint, params, data, json, files, headers)
            except APIError as error:
                failure: Exception = error
                status = error.response.status_code
                retry = status == 429 or (status in _RETRY_STATUS and _idempotent(method, endpoint))
                hint = _retry_after(error.response)
            except (requests.ConnectionError, requests.Timeout) as error:
                failure, status, hint = error, 0, 0.0
                retry = _idempotent(method, endpoint)
            if not retry:
                raise failure
            wait = max(policy.delay(attempt), hint)
            spent = policy.clock() - started
            if attempt >= policy.attempts or spent + wait > policy.budget:
                raise QuotaExhaustedError(
                    _exhausted(method, endpoint, status, attempt, spent)
                ) from failure
            policy.sleep(wait)


def _idempotent(method: str, endpoint: str) -> bool:
    verb = method.upper()
    if verb in ("GET", "HEAD", "PUT", "DELETE"):
        return True
    path = urlsplit(endpoint).path
    return verb == "POST" and path.endswith(_IDEMPOTENT_POSTS)


def _retry_after(response: requests.Response) -> float:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "0")))
    except ValueError:
        return 0.0


def _exhausted(method: str, endpoint: str, status: int, attempts: int, spent: float) -> str:
    path = urlsplit(endpoint).path
    what = {
        429: "429 Too Many Requests (the Sheets quota is 60 requests a minute per user)",
        0: "no answer (connection dropped or timed out)",
    }.get(status, f"{status} (Google's service is having trouble)")
    return (
        f"Google Sheets kept answering {what} to {method.upper()} {path}: gave up after "
        f"{attempts} attempts in {spent:.0f} s. Nothing more was sent; wait a few minutes and "
        "run custkit again (a run that stopped half way can be undone with `custkit undo`)."
    )
