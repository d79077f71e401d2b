"""The stand-in served over HTTP on 127.0.0.1, with a request log and fault injection.

    standin = SheetsStandIn().start()
    standin.url                                # http://127.0.0.1:PORT
    standin.inject("values.batchGet", status=429, times=2)
    standin.inject("values.batchGet", before=lambda: standin.edit(...), skip=1)
    standin.requests                           # every request: endpoint, method, path, size

Routes are matched on the path only, so the same server answers whatever host a client
believed it was calling (sheets.googleapis.com, www.googleapis.com, oauth2...).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.sheets_standin import batch_update, drive_api, sheets_api, values_api
from tests.sheets_standin.drive_api import Store, TokenError
from tests.sheets_standin.errors import ApiError, not_implemented

MAX_BODY = 2 * 1024 * 1024
_BOOK = r"/v4/spreadsheets/(?P<book>[^/:]+)"
ROUTES: list[tuple[str, str, re.Pattern[str]]] = [
    (name, method, re.compile(pattern + "$"))
    for name, method, pattern in [
        ("token", "POST", r"/token"),
        ("spreadsheets.batchUpdate", "POST", _BOOK + r":batchUpdate"),
        ("values.batchGet", "GET", _BOOK + r"/values:batchGet"),
        ("values.batchUpdate", "POST", _BOOK + r"/values:batchUpdate"),
        ("values.batchClear", "POST", _BOOK + r"/values:batchClear"),
        ("values.append", "POST", _BOOK + r"/values/(?P<range>[^/]+):append"),
        ("values.clear", "POST", _BOOK + r"/values/(?P<range>[^/]+):clear"),
        ("values.get", "GET", _BOOK + r"/values/(?P<range>[^/]+)"),
        ("values.update", "PUT", _BOOK + r"/values/(?P<range>[^/]+)"),
        ("spreadsheets.get", "GET", _BOOK),
        ("drive.files.list", "GET", r"/drive/v3/files"),
        ("drive.files.create", "POST", r"/drive/v3/files"),
        ("drive.files.get", "GET", r"/drive/v3/files/(?P<file>[^/]+)"),
        ("drive.files.delete", "DELETE", r"/drive/v3/files/(?P<file>[^/]+)"),
    ]
]


@dataclass
class Fault:
    """Something to do to requests of one endpoint ('*' for all)."""

    endpoint: str
    status: int | None = None  # answer this error instead of the real answer
    delay: float = 0.0  # seconds to wait before answering
    before: Callable[[], None] | None = None  # run just before the request is handled
    times: int = 1
    skip: int = 0  # let this many matching requests through first
    headers: dict[str, str] | None = None


@dataclass
class RequestRecord:
    endpoint: str  # route name, or "unimplemented"
    method: str
    path: str
    query: str
    body_size: int
    status: int  # 0 while the answer is still being prepared (a slow response)
    account: str


class SheetsStandIn:
    """A local Sheets v4 / Drive v3 / OAuth stand-in on 127.0.0.1."""

    def __init__(self, *, max_body: int = MAX_BODY) -> None:
        self.store = Store()
        self.requests: list[RequestRecord] = []
        self.faults: list[Fault] = []
        self.max_body = max_body
        self._server: ThreadingHTTPServer | None = None

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> SheetsStandIn:
        standin = self

        class Handler(_Handler):
            owner = standin

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        # a short poll keeps stop() quick: shutdown() waits for the loop to notice
        threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the stand-in first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def token_uri(self) -> str:
        return self.url + "/token"

    def reset(self) -> None:
        """Forget every spreadsheet, log and fault (accounts and keys stay)."""
        with self.store.lock:
            self.store.books.clear()
            self.requests.clear()
            self.faults.clear()

    # -- faults -----------------------------------------------------------------------------

    def inject(self, endpoint: str, **options: Any) -> Fault:
        fault = Fault(endpoint, **options)
        with self.store.lock:
            self.faults.append(fault)
        return fault

    def _take_fault(self, endpoint: str) -> Fault | None:
        with self.store.lock:
            for fault in self.faults:
                if fault.endpoint not in (endpoint, "*") or fault.times <= 0:
                    continue
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                fault.times -= 1
                return fault
        return None

    def count(self, endpoint: str | None = None, *, account_only: bool = True) -> int:
        """Requests seen for one endpoint (or every API request, token grants excluded)."""
        return sum(
            1
            for r in self.requests
            if (r.endpoint == endpoint if endpoint else r.endpoint != "token")
        )

    # -- dispatch ---------------------------------------------------------------------------

    def handle(
        self, method: str, raw_path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, Any, dict[str, str]]:
        parts = urlsplit(raw_path)
        path, query = parts.path, parse_qs(parts.query, keep_blank_values=True)
        endpoint, params = _route(method, path)
        fault = self._take_fault(endpoint)
        record = RequestRecord(endpoint, method, path, parts.query, len(body), 0, "")
        with self.store.lock:
            self.requests.append(record)
        status, payload, extra = 0, None, {}
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.before is not None:
            fault.before()
        if fault is not None and fault.status is not None:
            status, payload = fault.status, _fault_body(fault.status)
            extra = dict(fault.headers or {})
        elif len(body) > self.max_body:
            limit = f"Request payload size exceeds the limit: {self.max_body} bytes."
            status, payload = 413, ApiError(413, limit).body()
        else:
            with self.store.lock:
                status, payload, record.account = self._answer(
                    endpoint, method, params, query, headers, body
                )
        record.status = status
        return status, payload, extra

    def _answer(
        self,
        endpoint: str,
        method: str,
        params: dict[str, str],
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
    ) -> tuple[int, Any, str]:
        account = ""
        try:
            if endpoint == "unimplemented":
                raise not_implemented("this endpoint")
            if endpoint == "token":
                form = parse_qs(body.decode("utf-8"))
                return 200, drive_api.token(self.store, form, self.token_uri), ""
            account = self._account(headers)
            result = self._dispatch(endpoint, params, query, _json(body), account)
        except TokenError as error:
            return 400, error.body, account
        except ApiError as error:
            payload = error.body()
            drive_errors = getattr(error, "drive_errors", None)
            if drive_errors:
                payload = {
                    "error": {"errors": drive_errors, "code": error.code, "message": error.message}
                }
            return error.code, payload, account
        return (204, None, account) if result is None else (200, result, account)

    def _account(self, headers: dict[str, str]) -> str:
        auth = headers.get("authorization", "")
        account = self.store.tokens.get(auth.removeprefix("Bearer ").strip())
        if not auth.startswith("Bearer ") or account is None:
            raise ApiError(
                401,
                "Request had invalid authentication credentials. Expected OAuth 2 access token, "
                "login cookie or other valid authentication credential.",
            )
        return account

    def _dispatch(
        self,
        endpoint: str,
        params: dict[str, str],
        query: dict[str, list[str]],
        body: Any,
        account: str,
    ) -> Any:
        store = self.store
        if endpoint == "unimplemented":
            raise not_implemented("this endpoint")
        if endpoint.startswith("drive."):
            if endpoint == "drive.files.create":
                return drive_api.files_create(store, account, body)
            if endpoint == "drive.files.list":
                return drive_api.files_list(store, account, query)
            if endpoint == "drive.files.get":
                return drive_api.files_get(store, account, params["file"], query)
            return drive_api.files_delete(store, account, params["file"])
        book = store.book_for(params["book"], account)
        target = unquote(params.get("range", ""))
        result = _SHEETS[endpoint](book, target, query, body)
        if endpoint not in ("spreadsheets.get", "values.get", "values.batchGet"):
            book.modified = drive_api.now()
        return result


_SHEETS: dict[str, Callable[..., Any]] = {
    "spreadsheets.get": lambda book, target, query, body: sheets_api.spreadsheet_get(book, query),
    "spreadsheets.batchUpdate": lambda book, target, query, body: batch_update.batch_update(
        book, body
    ),
    "values.get": lambda book, target, query, body: values_api.values_get(book, target, query),
    "values.batchGet": lambda book, target, query, body: values_api.values_batch_get(book, query),
    "values.update": lambda book, target, query, body: values_api.values_update(
        book, target, query, body
    ),
    "values.batchUpdate": lambda book, target, query, body: values_api.values_batch_update(
        book, body
    ),
    "values.clear": lambda book, target, query, body: values_api.values_clear(book, target),
    "values.batchClear": lambda book, target, query, body: values_api.values_batch_clear(
        book, body
    ),
    "values.append": lambda book, target, query, body: values_api.values_append(
        book, target, query, body
    ),
}


def _route(method: str, path: str) -> tuple[str, dict[str, str]]:
    for name, route_method, pattern in ROUTES:
        match = pattern.match(path)
        if match and route_method == method:
            return name, match.groupdict()
    return "unimplemented", {}


def _json(body: bytes) -> Any:
    if not body:
        return {}
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ApiError(400, f"Invalid JSON payload received. {error}") from error


def _fault_body(status: int) -> dict[str, Any]:
    messages = {
        429: "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user' "
        "of service 'sheets.googleapis.com'.",
        500: "Internal error encountered.",
        503: "The service is currently unavailable.",
    }
    return ApiError(status, messages.get(status, "Injected fault.")).body()


class _Handler(BaseHTTPRequestHandler):
    owner: SheetsStandIn
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # one round trip per request, not a 40 ms delayed ACK

    def log_message(self, format: str, *args: Any) -> None:  # the test output stays quiet
        return

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, payload, extra = self.owner.handle(self.command, self.path, headers, body)
        data = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        if payload is not None:
            self.send_header("Content-Type", "application/json; charset=UTF-8")
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        try:
            self.end_headers()
            if data:
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve
