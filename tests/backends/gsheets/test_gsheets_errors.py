"""Errors a user can act on: share with which email, which link, which key file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from gspread.exceptions import APIError

from tests.sheets_standin import SheetsStandIn
from tests.sheets_standin.world import (
    PERSON_EMAIL,
    SERVICE_EMAIL,
    authorized_user_file,
    seed_spreadsheet,
)
from toolkit.backends.gsheets import GoogleSheetsBackend, open_spreadsheet, spreadsheet_key
from toolkit.backends.gsheets.credentials import find_credentials
from toolkit.errors import CredentialsError, SheetsAccessError, SheetsNotFoundError

Factory = Callable[..., GoogleSheetsBackend]


def test_a_spreadsheet_not_shared_with_us_says_which_email_to_share_it_with(
    sheets_backend_factory: Factory,
) -> None:
    backend = sheets_backend_factory([("Customers", [["Name"]])], shared=False)

    with pytest.raises(
        SheetsAccessError, match=f"click Share, add {SERVICE_EMAIL} as Editor"
    ) as caught:
        backend.read()

    assert isinstance(caught.value.__cause__, APIError)


def test_an_unknown_key_is_not_found(
    standin: SheetsStandIn, credentials: Path, sheets_env: dict[str, str]
) -> None:
    backend = open_spreadsheet("1" + "x" * 43, credentials=credentials, environ=sheets_env)

    with pytest.raises(SheetsNotFoundError, match="no spreadsheet with key 1xxx") as caught:
        backend.read()

    assert isinstance(caught.value.__cause__, APIError)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (None, "Cannot read the credentials file"),
        ("{not json", "is not JSON"),
        ("[1, 2]", "not a credentials object"),
        ('{"type": "external_account"}', "'external_account'"),
        ('{"type": "service_account", "client_email": "x@y"}', "cannot be used"),
    ],
)
def test_a_bad_credentials_file_says_what_is_wrong(
    tmp_path: Path, sheets_env: dict[str, str], content: str | None, said: str
) -> None:
    path = tmp_path / "key.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")

    with pytest.raises(CredentialsError, match=said):
        open_spreadsheet("1" + "k" * 43, credentials=path, environ=sheets_env)


def test_credentials_google_refuses_are_reported_as_such(
    standin: SheetsStandIn, credentials: Path, sheets_env: dict[str, str]
) -> None:
    standin.store.service_keys.clear()  # the key was deleted in the Cloud console
    key = seed_spreadsheet(standin, [("Customers", [["Name"]])])
    backend = open_spreadsheet(key, credentials=credentials, environ=sheets_env)

    with pytest.raises(CredentialsError, match="Google refused the credentials") as caught:
        backend.read()

    assert type(caught.value.__cause__).__name__ == "RefreshError"


def test_a_person_signed_in_with_oauth_reads_their_spreadsheet(
    standin: SheetsStandIn, tmp_path: Path, sheets_env: dict[str, str]
) -> None:
    person = authorized_user_file(standin, tmp_path)
    key = seed_spreadsheet(
        standin, [("客户", [["姓名"], ["李雷"]])], owner=PERSON_EMAIL, shared_with=()
    )
    other = seed_spreadsheet(standin, [("Sheet1", [])], owner="someone@example.com", shared_with=())

    assert open_spreadsheet(key, credentials=person, environ=sheets_env).read().sheets[0].rows[
        1
    ] == ("李雷",)
    with pytest.raises(SheetsAccessError, match="the Google account you signed in with"):
        open_spreadsheet(other, credentials=person, environ=sheets_env).read()


def test_credentials_are_looked_for_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    default = tmp_path / ".config" / "gspread" / "service_account.json"
    flag, env = tmp_path / "flag.json", tmp_path / "env.json"

    with pytest.raises(CredentialsError, match="No Google credentials found"):
        find_credentials(None, {})
    default.parent.mkdir(parents=True)
    default.write_text(json.dumps({"type": "service_account"}), encoding="utf-8")

    assert find_credentials(None, {}) == default
    assert find_credentials(None, {"GOOGLE_APPLICATION_CREDENTIALS": str(env)}) == env
    assert find_credentials(flag, {"GOOGLE_APPLICATION_CREDENTIALS": str(env)}) == flag


@pytest.mark.parametrize(
    ("target", "key"),
    [
        (
            "https://docs.google.com/spreadsheets/d/1AbC_dEf-123456789012345/edit#gid=0",
            "1AbC_dEf-123456789012345",
        ),
        (
            "https://docs.google.com/spreadsheets/d/1AbC_dEf-123456789012345",
            "1AbC_dEf-123456789012345",
        ),
        ("1AbC_dEf-123456789012345", "1AbC_dEf-123456789012345"),
    ],
)
def test_a_url_or_a_key_names_the_spreadsheet(target: str, key: str) -> None:
    assert spreadsheet_key(target) == key


@pytest.mark.parametrize("target", ["customers.xlsx", "https://example.com/sheet", ""])
def test_anything_else_is_refused_with_how_to_get_the_url(target: str) -> None:
    with pytest.raises(SheetsNotFoundError, match="address bar"):
        spreadsheet_key(target)
