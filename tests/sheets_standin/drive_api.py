"""Drive v3 files (create/list/get/delete, as gspread uses them) and the OAuth token endpoint."""

from __future__ import annotations

import re
import secrets
import string
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tests.sheets_standin.errors import ApiError, not_implemented
from tests.sheets_standin.fieldmask import apply_mask, parse_mask
from tests.sheets_standin.model import DEFAULT_COLUMNS, DEFAULT_ROWS, Sheet, Spreadsheet

SHEETS_MIME = "application/vnd.google-apps.spreadsheet"
_ID_CHARS = string.ascii_letters + string.digits + "-_"
_CLAUSE = re.compile(
    r'^\s*(mimeType|name)\s*=\s*"((?:[^"\\]|\\.)*)"\s*$|^\s*"([^"]*)"\s+in\s+parents\s*$|^\s*parents\s+in\s+"([^"]*)"\s*$|^\s*trashed\s*=\s*false\s*$'
)


def now() -> str:
    return (
        datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{datetime.now(UTC).microsecond // 1000:03d}Z"
    )


@dataclass
class Store:
    """Everything the stand-in holds: spreadsheets, accounts and the tokens handed out."""

    books: dict[str, Spreadsheet] = field(default_factory=dict)
    service_keys: dict[str, str] = field(default_factory=dict)  # client email -> public key PEM
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # refresh token -> account
    tokens: dict[str, str] = field(default_factory=dict)  # access token -> account
    lock: threading.RLock = field(default_factory=threading.RLock)

    def issue_token(self, account: str) -> str:
        token = "standin-" + secrets.token_urlsafe(24)
        self.tokens[token] = account
        return token

    def new_book(self, title: str, owner: str, *, spreadsheet_id: str | None = None) -> Spreadsheet:
        book_id = spreadsheet_id or "1" + "".join(secrets.choice(_ID_CHARS) for _ in range(43))
        book = Spreadsheet(book_id, title, owner, now())
        book.sheets.append(
            Sheet(
                {
                    "sheetId": 0,
                    "title": "Sheet1",
                    "index": 0,
                    "sheetType": "GRID",
                    "gridProperties": {"rowCount": DEFAULT_ROWS, "columnCount": DEFAULT_COLUMNS},
                }
            )
        )
        self.books[book_id] = book
        return book

    def book_for(self, book_id: str, account: str) -> Spreadsheet:
        book = self.books.get(book_id)
        if book is None:
            raise ApiError(404, "Requested entity was not found.")
        if not book.can_open(account):
            raise ApiError(403, "The caller does not have permission")
        return book


def _file_json(book: Spreadsheet) -> dict[str, Any]:
    return {
        "kind": "drive#file",
        "id": book.id,
        "name": book.props["title"],
        "mimeType": SHEETS_MIME,
        "createdTime": book.created,
        "modifiedTime": book.modified,
    }


def _drive_not_found(file_id: str) -> ApiError:
    message = f"File not found: {file_id}."
    error = ApiError(404, message)
    error.details = None
    error.drive_errors = [  # type: ignore[attr-defined]
        {
            "message": message,
            "domain": "global",
            "reason": "notFound",
            "location": "fileId",
            "locationType": "parameter",
        }
    ]
    return error


def files_create(store: Store, account: str, body: dict[str, Any]) -> dict[str, Any]:
    if body.get("mimeType") != SHEETS_MIME:
        raise not_implemented(f"Drive files of type {body.get('mimeType')!r}")
    if body.get("parents"):
        raise not_implemented("Drive folders (parents)")
    book = store.new_book(body.get("name") or "Untitled spreadsheet", account)
    return {
        "kind": "drive#file",
        "id": book.id,
        "name": book.props["title"],
        "mimeType": SHEETS_MIME,
    }


def files_get(
    store: Store, account: str, file_id: str, query: dict[str, list[str]]
) -> dict[str, Any]:
    book = store.books.get(file_id)
    if book is None or not book.can_open(account):
        raise _drive_not_found(file_id)
    fields = (query.get("fields") or [""])[0]
    if not fields:
        return {
            k: v for k, v in _file_json(book).items() if k in ("kind", "id", "name", "mimeType")
        }
    return apply_mask(_file_json(book), parse_mask(fields))


def files_delete(store: Store, account: str, file_id: str) -> None:
    book = store.books.get(file_id)
    if book is None or not book.can_open(account):
        raise _drive_not_found(file_id)
    if book.owner != account:
        raise ApiError(403, "The user does not have sufficient permissions for this file.")
    del store.books[file_id]


def files_list(store: Store, account: str, query: dict[str, list[str]]) -> dict[str, Any]:
    if query.get("pageToken", [""])[0]:
        raise not_implemented("Drive files.list paging")
    wanted = _parse_q((query.get("q") or [""])[0])
    books = [b for b in store.books.values() if b.can_open(account)]
    if "name" in wanted:
        books = [b for b in books if b.props["title"] == wanted["name"]]
    if wanted.get("mimeType", SHEETS_MIME) != SHEETS_MIME:
        books = []
    books.sort(key=lambda b: (b.modified, b.created), reverse=True)
    listing = {
        "kind": "drive#fileList",
        "incompleteSearch": False,
        "files": [_file_json(b) for b in books],
    }
    fields = (query.get("fields") or [""])[0]
    if not fields:
        listing["files"] = [
            {k: f[k] for k in ("kind", "mimeType", "id", "name")} for f in listing["files"]
        ]
        return listing
    return apply_mask(listing, parse_mask(fields))


def _parse_q(q: str) -> dict[str, str]:
    wanted: dict[str, str] = {}
    if not q.strip():
        return wanted
    for clause in re.split(r"\s+and\s+", q):
        match = _CLAUSE.match(clause)
        if match is None:
            raise not_implemented(f"Drive query {clause!r}")
        if match[3] is not None or match[4] is not None:
            raise not_implemented("Drive folders (parents in ...)")
        if match[1]:
            wanted[match[1]] = match[2].replace('\\"', '"').replace("\\'", "'")
    return wanted


# -- OAuth --------------------------------------------------------------------------------


class TokenError(Exception):
    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.body = {"error": error, "error_description": description}


def token(store: Store, form: dict[str, list[str]], token_uri: str) -> dict[str, Any]:
    """The token endpoint: service-account JWT bearer grants and refresh-token grants."""
    grant = (form.get("grant_type") or [""])[0]
    if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
        account = _verify_assertion(store, (form.get("assertion") or [""])[0], token_uri)
    elif grant == "refresh_token":
        account = store.refresh_tokens.get((form.get("refresh_token") or [""])[0], "")
        if not account:
            raise TokenError("invalid_grant", "Token has been expired or revoked.")
    else:
        raise TokenError("unsupported_grant_type", f"Invalid grant_type: {grant}")
    return {"access_token": store.issue_token(account), "expires_in": 3599, "token_type": "Bearer"}


def _verify_assertion(store: Store, assertion: str, token_uri: str) -> str:
    from google.auth import jwt

    try:
        claims = jwt.decode(assertion, verify=False)
    except ValueError as error:
        raise TokenError("invalid_grant", f"Invalid JWT: {error}") from error
    email = str(claims.get("iss", ""))
    key = store.service_keys.get(email)
    if key is None:
        raise TokenError("invalid_grant", "Invalid grant: account not found")
    try:
        # google-auth always addresses the grant to Google's token endpoint, whatever token_uri is
        jwt.decode(
            assertion, certs=key, audience=[token_uri, "https://oauth2.googleapis.com/token"]
        )
    except ValueError as error:
        raise TokenError("invalid_grant", "Invalid JWT Signature.") from error
    return email
