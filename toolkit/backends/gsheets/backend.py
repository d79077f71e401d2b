"""The Google Sheets backend: read, plan, apply and undo a spreadsheet through gspread.

A run costs a fixed number of requests whatever the number of rows (one more per ~2 MB of
values written): read = 1 metadata + 1 batched values read; apply = 1 re-read of the sheets
the plan relies on (refusing if anyone changed them meanwhile) + 1 structural batchUpdate
(backups, journal, new sheets, formats, charts, atomically) + 1 values.batchUpdate (RAW);
undo = 1 metadata + 1 journal read + 1 check that nobody edited what we wrote + 1 batchUpdate.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from toolkit.backends.base import ApplyResult, RunInfo, UndoResult
from toolkit.backends.gsheets.batches import MAX_REQUEST_BYTES, request_batches, value_batches
from toolkit.backends.gsheets.changes import Write, build_write
from toolkit.backends.gsheets.errors import translate
from toolkit.backends.gsheets.snapshot import (
    METADATA_FIELDS,
    SHEET_FIELDS,
    VALUE_OPTIONS,
    Snapshot,
    add_values,
    describe_changes,
    grid_titles,
    parse_metadata,
    quote,
)
from toolkit.backends.gsheets.state import BACKUP_PREFIX, STATE_SHEET, Journal, read_sheet
from toolkit.backends.gsheets.undo import edited_since, undo_requests, written_range
from toolkit.errors import (
    BackendError,
    SheetsNotFoundError,
    ToolkitError,
    UndoError,
    UnsafeWriteError,
    WorkbookChangedError,
)
from toolkit.plan import Plan
from toolkit.table import RawWorkbook

if TYPE_CHECKING:
    from toolkit.backends.gsheets.http import RetryPolicy, SheetsHTTPClient

CELL_LIMIT = 10_000_000  # cells per spreadsheet, empty grid cells included
_URL_KEY = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]{20,}$")
T = TypeVar("T")


def spreadsheet_key(target: str) -> str:
    """The key of a spreadsheet from its URL (or the key itself).

    >>> spreadsheet_key("https://docs.google.com/spreadsheets/d/1AbC_dEf-123456789012345/edit#gid=0")
    '1AbC_dEf-123456789012345'
    """
    match = _URL_KEY.search(target)
    if match:
        return match.group(1)
    if _BARE_KEY.match(target.strip()):
        return target.strip()
    raise SheetsNotFoundError(
        f"'{target}' is neither a Google Sheets URL nor a spreadsheet key. Copy the URL from the "
        "browser's address bar while the spreadsheet is open."
    )


class GoogleSheetsBackend:
    """A Google spreadsheet as a custkit backend (see the module docstring for the requests).

    Build it with `open_spreadsheet(url)`, or directly from a client for tests.
    """

    def __init__(
        self,
        client: SheetsHTTPClient,
        key: str,
        *,
        account: str | None = None,
        credentials: Path | None = None,
        max_request_bytes: int = MAX_REQUEST_BYTES,
        cell_limit: int = CELL_LIMIT,
    ) -> None:
        self.client = client
        self.key = key
        self.account = account
        self.credentials = credentials
        self.max_request_bytes = max_request_bytes
        self.cell_limit = cell_limit
        self._snapshot: Snapshot | None = None

    @property
    def url(self) -> str:
        return f"https://docs.google.com/spreadsheets/d/{self.key}"

    def _call(self, doing: str, action: Callable[[], T]) -> T:
        try:
            return action()
        except ToolkitError:
            raise
        except Exception as error:  # gspread, google-auth and requests raise many kinds
            raise translate(
                error, key=self.key, account=self.account, credentials=self.credentials, doing=doing
            ) from error

    # -- read -------------------------------------------------------------------------------

    def read(self) -> RawWorkbook:
        """Every sheet's values, in two requests (metadata with formats, then values)."""
        metadata = self._call(
            "reading",
            lambda: self.client.fetch_sheet_metadata(self.key, params={"fields": METADATA_FIELDS}),
        )
        snapshot = parse_metadata(self.key, dict(metadata))
        titles = grid_titles(snapshot)
        answer = self._call(
            "reading",
            lambda: self.client.values_batch_get(
                self.key, [quote(t) for t in titles], params=dict(VALUE_OPTIONS)
            ),
        )
        add_values(snapshot, titles, answer.get("valueRanges", []))
        self._snapshot = snapshot
        return snapshot.raw()

    # -- apply ------------------------------------------------------------------------------

    def apply(self, plan: Plan, *, run: RunInfo) -> ApplyResult:
        """Write the plan; refuse, untouched, if the rows it relies on changed since `read`."""
        if plan.is_empty:
            return ApplyResult(self.url, 0)
        if self._snapshot is None:
            self.read()
        snapshot = self._snapshot
        assert snapshot is not None
        write = build_write(snapshot, plan, run)
        self._check_cell_limit(snapshot, write)
        self._check_unchanged(snapshot, write.touched)
        self._snapshot = None  # whatever happens next, the next apply must read again
        for requests in request_batches(write.requests, self.max_request_bytes):
            body = {"requests": requests}
            self._call("writing", partial(self.client.batch_update, self.key, body))
        self._write_values(write)
        return ApplyResult(
            self.url,
            write.cells_written,
            tuple(write.sheets_written),
            f"hidden sheets {STATE_SHEET} and {BACKUP_PREFIX}* of {self.url} (custkit undo)",
        )

    def _check_cell_limit(self, snapshot: Snapshot, write: Write) -> None:
        now = sum(s.cells for s in snapshot.sheets)
        after = now + write.cells_added
        if after > self.cell_limit:
            raise UnsafeWriteError(
                f"This run would take the spreadsheet to {after:,} cells, over Google's limit of "
                f"{self.cell_limit:,} a spreadsheet (it has {now:,}; empty cells of each sheet's "
                "grid count too). Nothing was written. Delete unused rows, columns or sheets, or "
                "work on a copy with fewer sheets."
            )

    def _check_unchanged(self, snapshot: Snapshot, titles: list[str]) -> None:
        """Re-read the sheets the plan relies on; refuse if anyone edited or moved their rows."""
        if not titles:
            return
        try:
            answer = self.client.values_batch_get(
                self.key, [quote(t) for t in titles], params=dict(VALUE_OPTIONS)
            )
        except Exception as error:
            if getattr(getattr(error, "response", None), "status_code", None) == 400:
                raise WorkbookChangedError(
                    f"A sheet custkit is about to write ({', '.join(titles)}) was renamed or "
                    "deleted while it worked. Nothing was written; run custkit again."
                ) from error
            raise translate(
                error,
                key=self.key,
                account=self.account,
                credentials=self.credentials,
                doing="checking for edits",
            ) from error
        changes = []
        for title, value_range in zip(titles, answer.get("valueRanges", []), strict=True):
            now = [list(row) for row in value_range.get("values", [])]
            if now != snapshot.values.get(title, []):
                changes.append(describe_changes(title, snapshot.values.get(title, []), now))
        if changes:
            raise WorkbookChangedError(
                "Someone changed the spreadsheet while custkit worked on it: "
                + "; ".join(changes)
                + ". Nothing was written, so no row can get another row's results; run "
                "custkit again."
            )

    def _write_values(self, write: Write) -> None:
        for data in value_batches(write.values, self.max_request_bytes):
            body = {"valueInputOption": "RAW", "data": data}
            try:
                self._call(
                    "writing values",
                    partial(self.client.values_batch_update, self.key, body),
                )
            except ToolkitError as error:
                message = (
                    f"{error} The run stopped half way: the backups, new sheets and colours are "
                    f"in, some values are not. `custkit undo {self.url}` puts everything back."
                )
                raise type(error)(message) from error

    # -- undo -------------------------------------------------------------------------------

    def _check_not_edited(self, snapshot: Snapshot, journal: Journal) -> None:
        """Refuse to undo over cells someone edited after the run wrote them."""
        if not journal.written:
            return
        ranges = [written_range(snapshot, w.block) for w in journal.written]
        checked = self._call(
            "undoing",
            lambda: self.client.values_batch_get(self.key, ranges, params=dict(VALUE_OPTIONS)),
        )
        answers = [list(vr.get("values", [])) for vr in checked.get("valueRanges", [])]
        edited = edited_since(snapshot, journal, answers)
        if edited:
            raise UndoError(
                f"Cells custkit wrote were edited after its run ({', '.join(edited[:5])}); "
                "undo would overwrite that work, so nothing was restored. Go back with File > "
                "Version history in Google Sheets instead."
            )

    def undo(self) -> UndoResult:
        """Restore what custkit's last run changed, if nobody edited those cells since."""
        metadata = self._call(
            "undoing",
            lambda: self.client.fetch_sheet_metadata(self.key, params={"fields": SHEET_FIELDS}),
        )
        snapshot = parse_metadata(self.key, dict(metadata))
        if snapshot.info(STATE_SHEET) is None:
            raise UndoError(
                f"custkit has never changed {self.url} (no hidden {STATE_SHEET} sheet): "
                "nothing to undo."
            )
        answer = self._call(
            "undoing",
            lambda: self.client.values_batch_get(
                self.key, [quote(STATE_SHEET)], params=dict(VALUE_OPTIONS)
            ),
        )
        rows = answer.get("valueRanges", [{}])[0].get("values", [])
        _, journal = read_sheet(rows)
        if journal is None:
            raise UndoError(
                f"Nothing to undo in {self.url}: custkit's last run there was already undone."
            )
        self._check_not_edited(snapshot, journal)
        for requests in request_batches(
            undo_requests(snapshot, journal, len(rows)), self.max_request_bytes
        ):
            body = {"requests": requests}
            self._call("undoing", partial(self.client.batch_update, self.key, body))
        self._snapshot = None
        return UndoResult(self.url, f"hidden backup sheets of {self.url}", journal.started)


def open_spreadsheet(
    target: str,
    *,
    credentials: Path | None,
    environ: Mapping[str, str] = os.environ,
    policy: RetryPolicy | None = None,
) -> GoogleSheetsBackend:
    """A backend for the spreadsheet at `target` (URL or key), signed in with `credentials`.

    Credentials come from the flag, else GOOGLE_APPLICATION_CREDENTIALS, else gspread's
    default files; CUSTKIT_SHEETS_API redirects every Google API call (tests, proxies).

    >>> open_spreadsheet("not a sheet", credentials=None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    toolkit.errors.SheetsNotFoundError: 'not a sheet' is neither a Google Sheets URL nor ...
    """
    key = spreadsheet_key(target)
    from toolkit.backends.gsheets.credentials import (
        account_email,
        find_credentials,
        load_credentials,
    )

    path = find_credentials(credentials, environ)
    try:
        from google.auth.transport.requests import AuthorizedSession, Request
        from requests import Session

        from toolkit.backends.gsheets.http import API_ENV, SheetsHTTPClient, api_base, mount_rewrite
    except ImportError as error:
        raise BackendError(
            "Google Sheets support is not installed: pip install 'custkit[sheets]'"
        ) from error
    loaded = load_credentials(path)
    base = api_base(environ.get(API_ENV))
    token_session = Session()
    mount_rewrite(token_session, base)
    session = AuthorizedSession(loaded, auth_request=Request(token_session))  # type: ignore[no-untyped-call]
    mount_rewrite(session, base)
    client = SheetsHTTPClient(session, policy=policy)
    return GoogleSheetsBackend(client, key, account=account_email(loaded), credentials=path)
