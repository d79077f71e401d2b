"""Setting the stand-in's world up for a test, and looking at it afterwards.

Accounts with real credential files (an RSA key for a service account, a refresh token for a
person), spreadsheets seeded from rows of Python values (as a person would have typed them:
dates are dates), a concurrent editor, and typed reads of what a sheet holds now.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from tests.sheets_standin.model import Cell, Sheet, WriteRecord
from tests.sheets_standin.server import SheetsStandIn
from tests.sheets_standin.values import EPOCH, effective, serial

SERVICE_EMAIL = "custkit-bot@custkit-test.iam.gserviceaccount.com"
PERSON_EMAIL = "li.wei@example.com"


@cache
def _private_key() -> tuple[str, str]:
    """One RSA key pair per test session (generating one costs ~0.1 s)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def service_account_file(standin: SheetsStandIn, folder: Path, email: str = SERVICE_EMAIL) -> Path:
    """A service-account JSON key whose token_uri is the stand-in's, registered there."""
    private, public = _private_key()
    standin.store.service_keys[email] = public
    info = {
        "type": "service_account",
        "project_id": "custkit-test",
        "private_key_id": secrets.token_hex(20),
        "private_key": private,
        "client_email": email,
        "client_id": "1" + "0" * 20,
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": standin.token_uri,
    }
    path = folder / "service_account.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    return path


def authorized_user_file(standin: SheetsStandIn, folder: Path, email: str = PERSON_EMAIL) -> Path:
    """An OAuth 'authorized_user' file (what a person's browser sign-in leaves behind)."""
    refresh = "1//" + secrets.token_urlsafe(32)
    standin.store.refresh_tokens[refresh] = email
    info = {
        "type": "authorized_user",
        "client_id": "custkit-test.apps.googleusercontent.com",
        "client_secret": secrets.token_urlsafe(16),
        "refresh_token": refresh,
        "token_uri": standin.token_uri,
    }
    path = folder / "authorized_user.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    return path


def seed_spreadsheet(
    standin: SheetsStandIn,
    sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]],
    *,
    owner: str = PERSON_EMAIL,
    shared_with: Sequence[str] = (SERVICE_EMAIL,),
    title: str = "Customers",
) -> str:
    """A spreadsheet holding `sheets` (title, rows), shared with the service account."""
    with standin.store.lock:
        book = standin.store.new_book(title, owner)
        book.sheets.clear()
        book.shared_with.update(shared_with)
        for index, (name, rows) in enumerate(sheets):
            width = max((len(r) for r in rows), default=0)
            grid = {"rowCount": max(1000, len(rows)), "columnCount": max(26, width)}
            sheet = Sheet(
                {
                    "sheetId": index,
                    "title": name,
                    "index": index,
                    "sheetType": "GRID",
                    "gridProperties": grid,
                }
            )
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    cell = typed_cell(value)
                    if cell is not None:
                        sheet.cells[(r, c)] = cell
            book.sheets.append(sheet)
        return book.id


def typed_cell(value: Any) -> Cell | None:
    """The cell a person gets by typing `value`: dates carry a date format."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return Cell({"boolValue": value})
    if isinstance(value, int | float):
        return Cell({"numberValue": value})
    if isinstance(value, datetime):
        return Cell(
            {"numberValue": serial(value)},
            {"numberFormat": {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm:ss"}},
        )
    if isinstance(value, date):
        return Cell(
            {"numberValue": serial(value)},
            {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}},
        )
    if isinstance(value, time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return Cell(
            {"numberValue": seconds / 86400},
            {"numberFormat": {"type": "TIME", "pattern": "hh:mm:ss"}},
        )
    return Cell({"stringValue": str(value)})


def python_value(cell: Cell | None) -> Any:
    """What a cell holds, as a Python value (dates for date-formatted numbers)."""
    value = effective(cell)
    if value is None:
        return None
    if "numberValue" in value:
        number = value["numberValue"]
        kind = ((cell.fmt or {}).get("numberFormat") or {}).get("type") if cell else None
        if kind == "DATE":
            return (EPOCH + timedelta(days=number)).date()
        if kind == "DATE_TIME":
            return EPOCH + timedelta(days=number)
        return number
    return next(iter(value.values()))


def sheet_rows(standin: SheetsStandIn, book_id: str, title: str) -> list[list[Any]]:
    """Every row of a sheet up to its last value, padded to the same width."""
    with standin.store.lock:
        sheet = standin.store.books[book_id].sheet_by_title(title)
        assert sheet is not None, f"no sheet {title!r}"
        rows, columns = sheet.used_extent()
        return [[python_value(sheet.cell(r, c)) for c in range(columns)] for r in range(rows)]


def sheet(standin: SheetsStandIn, book_id: str, title: str) -> Sheet:
    with standin.store.lock:
        found = standin.store.books[book_id].sheet_by_title(title)
        assert found is not None, f"no sheet {title!r}"
        return found


def titles(standin: SheetsStandIn, book_id: str) -> list[tuple[str, bool]]:
    """(title, hidden) of every sheet, in order."""
    with standin.store.lock:
        return [
            (s.title, bool(s.props.get("hidden"))) for s in standin.store.books[book_id].ordered()
        ]


def edit(
    standin: SheetsStandIn, book_id: str, title: str, row: int, column: int, value: Any
) -> None:
    """Another person edits one cell (1-based row/column), as in the Sheets UI."""
    with standin.store.lock:
        book = standin.store.books[book_id]
        target = book.sheet_by_title(title)
        assert target is not None
        cell = typed_cell(value)
        book.put(target, row - 1, column - 1, cell or Cell(), "value")


def writes(standin: SheetsStandIn, book_id: str) -> list[WriteRecord]:
    with standin.store.lock:
        return list(standin.store.books[book_id].write_log)
