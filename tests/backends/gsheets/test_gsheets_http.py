"""The HTTP layer: the CUSTKIT_SHEETS_API rewrite, bounded retries, the rate limit."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from gspread.exceptions import APIError

from tests.backends.gsheets.conftest import FakeClock
from tests.sheets_standin import SheetsStandIn
from toolkit.backends.base import RunInfo
from toolkit.backends.gsheets import GoogleSheetsBackend
from toolkit.backends.gsheets.http import RateLimiter, RewriteAdapter, api_base, mount_rewrite
from toolkit.errors import BackendError, ConfigError, QuotaExhaustedError
from toolkit.plan import Plan, WriteSheet

Factory = Callable[..., GoogleSheetsBackend]
PLAN = Plan((WriteSheet("validation", "Validation", ("Row",), ((2,),)),))
RUN = RunInfo(("validate",), "2025-06-30T09:00:00")


def api_calls(standin: SheetsStandIn, endpoint: str) -> list[int]:
    return [r.status for r in standin.requests if r.endpoint == endpoint]


@pytest.mark.parametrize(
    "url",
    [
        "https://sheets.googleapis.com/v4/spreadsheets/abc",
        "https://www.googleapis.com/drive/v3/files",
        "https://oauth2.googleapis.com/token",
    ],
)
def test_every_google_host_is_sent_to_the_stand_in(standin: SheetsStandIn, url: str) -> None:
    session = requests.Session()
    mount_rewrite(session, standin.url)

    session.get(url, timeout=5)

    (seen,) = standin.requests
    assert seen.path == url.split(".com", 1)[1]
    assert not isinstance(session.get_adapter("https://example.com/"), RewriteAdapter)


@pytest.mark.parametrize(
    ("value", "base"),
    [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("https://proxy.example:443/", "https://proxy.example:443"),
        ("", None),
    ],
)
def test_api_base_accepts_scheme_and_host(value: str, base: str | None) -> None:
    assert api_base(value) == base


@pytest.mark.parametrize("value", ["127.0.0.1:8080", "ftp://host", "http://host/v4/"])
def test_api_base_refuses_anything_else(value: str) -> None:
    with pytest.raises(ConfigError, match="CUSTKIT_SHEETS_API"):
        api_base(value)


@pytest.mark.parametrize(
    ("endpoint", "status", "times"),
    [("spreadsheets.get", 429, 2), ("values.batchGet", 500, 1), ("values.batchGet", 503, 3)],
)
def test_reads_are_retried_with_growing_waits(
    sheets_backend_factory: Factory,
    standin: SheetsStandIn,
    clock: FakeClock,
    endpoint: str,
    status: int,
    times: int,
) -> None:
    backend = sheets_backend_factory([("Customers", [["Name"], ["Li"]])])
    standin.inject(endpoint, status=status, times=times)

    backend.read()

    assert api_calls(standin, endpoint) == [status] * times + [200]
    assert clock.sleeps == [0.75 * 2**n for n in range(times)]  # jitter fixed at 0.5


def test_a_structural_write_that_failed_with_500_is_not_sent_twice(
    sheets_backend_factory: Factory, standin: SheetsStandIn, clock: FakeClock
) -> None:
    backend = sheets_backend_factory([("Customers", [["Name"], ["Li"]])])
    backend.read()
    standin.inject("spreadsheets.batchUpdate", status=500)

    with pytest.raises(BackendError, match="500") as caught:
        backend.apply(PLAN, run=RUN)

    assert api_calls(standin, "spreadsheets.batchUpdate") == [500]
    assert isinstance(caught.value.__cause__, APIError)
    assert clock.sleeps == []


@pytest.mark.parametrize(
    ("endpoint", "status"), [("spreadsheets.batchUpdate", 429), ("values.batchUpdate", 503)]
)
def test_writes_are_retried_when_that_is_safe(
    sheets_backend_factory: Factory, standin: SheetsStandIn, endpoint: str, status: int
) -> None:
    backend = sheets_backend_factory([("Customers", [["Name"], ["Li"]])])
    backend.read()
    standin.inject(endpoint, status=status)

    backend.apply(PLAN, run=RUN)

    assert api_calls(standin, endpoint) == [status, 200]


def test_retries_stop_after_the_attempts_with_a_clear_message(
    sheets_backend_factory: Factory, standin: SheetsStandIn, clock: FakeClock
) -> None:
    backend = sheets_backend_factory([("Customers", [["Name"]])], attempts=4)
    standin.inject("spreadsheets.get", status=429, times=100)

    with pytest.raises(
        QuotaExhaustedError, match=r"429 Too Many Requests .* gave up after 4 attempts"
    ) as caught:
        backend.read()

    assert api_calls(standin, "spreadsheets.get") == [429] * 4
    assert len(clock.sleeps) == 3
    assert isinstance(caught.value.__cause__, APIError)


def test_retries_stop_when_the_time_budget_is_spent(
    sheets_backend_factory: Factory, standin: SheetsStandIn, clock: FakeClock
) -> None:
    backend = sheets_backend_factory([("Customers", [["Name"]])], attempts=50, budget=10.0)
    standin.inject("spreadsheets.get", status=503, times=100)

    with pytest.raises(QuotaExhaustedError, match="503"):
        backend.read()

    assert clock.now <= 10.0
    assert len(api_calls(standin, "spreadsheets.get")) == len(clock.sleeps) + 1


def test_retry_after_is_honoured(
    sheets_backend_factory: Factory, standin: SheetsStandIn, clock: FakeClock
) -> None:
    backend = sheets_backend_factory([("Customers", [["Name"]])])
    standin.inject("spreadsheets.get", status=429, headers={"Retry-After": "7"})

    backend.read()

    assert clock.sleeps == [7.0]


def test_a_slow_answer_times_out_and_the_read_is_retried(
    sheets_backend_factory: Factory, standin: SheetsStandIn, clock: FakeClock
) -> None:
    backend = sheets_backend_factory([("Customers", [["Name"], ["Li"]])])
    backend.client.timeout = (5.0, 0.2)
    standin.inject("values.batchGet", delay=1.0)

    raw = backend.read()

    assert raw.sheets[0].rows == [("Name",), ("Li",)]
    assert len(clock.sleeps) == 1
    assert (
        len(api_calls(standin, "values.batchGet")) == 2
    )  # the slow one, logged late, and the retry


def test_the_rate_limit_keeps_sixty_requests_in_any_minute() -> None:
    clock = FakeClock()
    limiter = RateLimiter(limit=60, window=60.0, sleep=clock.sleep, clock=clock.time)

    for _ in range(60):
        limiter.wait()
        clock.now += 0.5
    limiter.wait()

    assert clock.sleeps == [30.0]  # the first request of the minute left at t=0, now is t=30
