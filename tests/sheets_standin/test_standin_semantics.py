"""The stand-in's own promises: RAW stays text, 501 for the unknown, faults on demand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gspread
import pytest
import requests
from google.auth.transport.requests import AuthorizedSession, Request
from google.oauth2.service_account import Credentials

from tests.sheets_standin import SheetsStandIn
from tests.sheets_standin.world import SERVICE_EMAIL, seed_spreadsheet, service_account_file, sheet
from toolkit.backends.gsheets.http import mount_rewrite

API = "/v4/spreadsheets"


@pytest.fixture
def standin() -> Iterator[SheetsStandIn]:
    server = SheetsStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def call(standin: SheetsStandIn) -> Any:
    """call(method, path, json=None, **params) -> requests.Response, signed in."""
    token = standin.store.issue_token(SERVICE_EMAIL)
    session = requests.Session()

    def send(method: str, path: str, json: Any = None, **params: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"}
        return session.request(
            method, standin.url + path, json=json, params=params, headers=headers, timeout=10
        )

    return send


@pytest.fixture
def key(standin: SheetsStandIn) -> str:
    return seed_spreadsheet(standin, [("Sheet1", [["a", "b"], ["c", "d"]])])


@pytest.mark.parametrize("text", ["=1+1", "+86 138", "-5", "@home", "0042", "TRUE", "2024-03-05"])
def test_raw_input_is_stored_as_the_text_it_is(
    call: Any, standin: SheetsStandIn, key: str, text: str
) -> None:
    call("PUT", f"{API}/{key}/values/Sheet1!A1", {"values": [[text]]}, valueInputOption="RAW")

    answer = call("GET", f"{API}/{key}/values/Sheet1!A1", valueRenderOption="FORMULA").json()

    assert sheet(standin, key, "Sheet1").cell(0, 0).entered == {"stringValue": text}  # type: ignore[union-attr]
    assert answer["values"] == [[text]]


def test_user_entered_input_is_parsed_as_typed(call: Any, key: str) -> None:
    call(
        "PUT",
        f"{API}/{key}/values/Sheet1!A1",
        {"values": [["=1+1", "0042", "2024-03-05"]]},
        valueInputOption="USER_ENTERED",
    )

    answer = call(
        "GET", f"{API}/{key}/values/Sheet1!A1:C1", valueRenderOption="UNFORMATTED_VALUE"
    ).json()

    assert answer["values"] == [[2, 42, 45356]]


def test_null_leaves_a_cell_and_empty_text_clears_it(call: Any, key: str) -> None:
    call(
        "PUT", f"{API}/{key}/values/Sheet1!A1:B1", {"values": [[None, ""]]}, valueInputOption="RAW"
    )

    assert call("GET", f"{API}/{key}/values/Sheet1").json()["values"] == [["a"], ["c", "d"]]


@pytest.mark.parametrize(
    ("method", "path", "body", "params"),
    [
        ("POST", "/v4/spreadsheets/{key}/sheets/0:copyTo", {"destinationSpreadsheetId": "x"}, {}),
        ("POST", "/v4/spreadsheets/{key}:batchUpdate", {"requests": [{"addBanding": {}}]}, {}),
        (
            "PUT",
            "/v4/spreadsheets/{key}/values/Sheet1!A1",
            {"values": [["=SUM(A2:A3)"]]},
            {"valueInputOption": "USER_ENTERED"},
        ),
        ("GET", "/drive/v3/files", None, {"q": "'folder' in parents"}),
    ],
)
def test_what_is_not_implemented_answers_501_and_changes_nothing(
    call: Any,
    standin: SheetsStandIn,
    key: str,
    method: str,
    path: str,
    body: Any,
    params: dict[str, str],
) -> None:
    before = dict(sheet(standin, key, "Sheet1").cells)

    answer = call(method, path.format(key=key), body, **params)

    assert answer.status_code == 501
    assert answer.json()["error"]["status"] == "UNIMPLEMENTED"
    assert sheet(standin, key, "Sheet1").cells == before


def test_a_failing_request_rolls_its_whole_batch_back(
    call: Any, standin: SheetsStandIn, key: str
) -> None:
    batch = {
        "requests": [
            {"addSheet": {"properties": {"title": "New"}}},
            {"deleteSheet": {"sheetId": 999}},
        ]
    }

    answer = call("POST", f"{API}/{key}:batchUpdate", batch)

    assert answer.status_code == 400
    assert [s.title for s in standin.store.books[key].sheets] == ["Sheet1"]


def test_values_outside_the_grid_are_refused(call: Any, key: str) -> None:
    answer = call(
        "PUT", f"{API}/{key}/values/Sheet1!AA1", {"values": [["x"]]}, valueInputOption="RAW"
    )

    assert answer.status_code == 400
    assert "exceeds grid limits" in answer.json()["error"]["message"]


def test_requests_without_a_token_are_refused(standin: SheetsStandIn, key: str) -> None:
    assert requests.get(f"{standin.url}{API}/{key}", timeout=5).status_code == 401


@pytest.mark.parametrize("status", [429, 500, 503])
def test_faults_are_injected_then_the_real_answer_comes(
    call: Any, standin: SheetsStandIn, key: str, status: int
) -> None:
    standin.inject("values.get", status=status, times=2)

    answers = [call("GET", f"{API}/{key}/values/Sheet1").status_code for _ in range(3)]

    assert answers == [status, status, 200]


def test_a_hook_runs_just_before_a_request_is_answered(
    call: Any, standin: SheetsStandIn, key: str
) -> None:
    standin.inject("values.get", skip=1, before=lambda: sheet(standin, key, "Sheet1").cells.clear())

    first = call("GET", f"{API}/{key}/values/Sheet1").json()
    second = call("GET", f"{API}/{key}/values/Sheet1").json()

    assert "values" in first and "values" not in second


def test_bodies_over_the_size_limit_are_refused(call: Any, key: str) -> None:
    answer = call(
        "PUT",
        f"{API}/{key}/values/Sheet1!A1",
        {"values": [["x" * 2_200_000]]},
        valueInputOption="RAW",
    )

    assert answer.status_code == 413


def test_field_masks_select_what_comes_back(call: Any, key: str) -> None:
    answer = call(
        "GET", f"{API}/{key}", fields="sheets(properties(title,gridProperties.rowCount))"
    ).json()

    assert answer == {
        "sheets": [{"properties": {"title": "Sheet1", "gridProperties": {"rowCount": 1000}}}]
    }


def test_the_real_gspread_client_creates_writes_and_reads(
    standin: SheetsStandIn, tmp_path: Path
) -> None:
    credentials = Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
        str(service_account_file(standin, tmp_path)),
        scopes=["https://www.googleapis.com/auth/spreadsheets"],
    )
    token_session = requests.Session()
    session = AuthorizedSession(credentials, auth_request=Request(token_session))  # type: ignore[no-untyped-call]
    mount_rewrite(session, standin.url)
    client = gspread.Client(None, session=session)  # type: ignore[arg-type]

    created = client.create("客户名单")
    created.sheet1.update([["姓名", "手机"], ["李雷", "013800138000"]], "A1", raw=True)
    again = client.open_by_key(created.id)

    assert again.sheet1.get_all_values() == [["姓名", "手机"], ["李雷", "013800138000"]]
    assert [f["name"] for f in client.list_spreadsheet_files()] == ["客户名单"]
    client.del_spreadsheet(created.id)
    assert standin.store.books == {}
