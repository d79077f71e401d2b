"""Fixtures for the Google Sheets backend: a stand-in per test and backends built on it.

`sheets_backend_factory(sheets)` seeds a spreadsheet in the stand-in from RawSheets (or
(title, rows) pairs) and returns a GoogleSheetsBackend pointed at it through
CUSTKIT_SHEETS_API, signed in with a real service-account key the stand-in verifies.
Retries sleep on a fake clock, so no test waits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.sheets_standin import SheetsStandIn
from tests.sheets_standin.world import seed_spreadsheet, service_account_file
from toolkit.backends.gsheets import GoogleSheetsBackend, open_spreadsheet
from toolkit.backends.gsheets.http import RetryPolicy
from toolkit.table import RawSheet


@dataclass
class FakeClock:
    """A clock that only moves when something sleeps on it."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def time(self) -> float:
        return self.now


@pytest.fixture
def standin() -> Iterator[SheetsStandIn]:
    server = SheetsStandIn().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def credentials(standin: SheetsStandIn, tmp_path: Path) -> Path:
    return service_account_file(standin, tmp_path)


@pytest.fixture
def sheets_env(standin: SheetsStandIn) -> dict[str, str]:
    return {"CUSTKIT_SHEETS_API": standin.url}


SheetsSpec = Sequence[RawSheet | tuple[str, Sequence[Sequence[Any]]]]


@pytest.fixture
def sheets_backend_factory(
    standin: SheetsStandIn, credentials: Path, sheets_env: dict[str, str], clock: FakeClock
) -> Callable[..., GoogleSheetsBackend]:
    """make(sheets, *, shared=True) -> a backend on a new spreadsheet holding `sheets`."""

    def make(sheets: SheetsSpec, *, shared: bool = True, **policy: Any) -> GoogleSheetsBackend:
        pairs = [(s.name, s.rows) if isinstance(s, RawSheet) else s for s in sheets]
        key = seed_spreadsheet(standin, pairs, shared_with=(_email(credentials),) if shared else ())
        retry = RetryPolicy(sleep=clock.sleep, clock=clock.time, jitter=lambda: 0.5, **policy)
        return open_spreadsheet(key, credentials=credentials, environ=sheets_env, policy=retry)

    return make


def _email(path: Path) -> str:
    import json

    return str(json.loads(path.read_text(encoding="utf-8"))["client_email"])
