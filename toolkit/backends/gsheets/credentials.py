"""Which Google credentials a run uses, loaded with a message a person can act on.

Looked for in order: the --credentials flag, GOOGLE_APPLICATION_CREDENTIALS, then gspread's
default files (~/.config/gspread/service_account.json, then authorized_user.json). A
service-account key, an authorized-user file (a person's OAuth sign-in) and an OAuth client
file (which starts the browser sign-in once and keeps the result) are understood.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.errors import CredentialsError

if TYPE_CHECKING:
    from google.auth.credentials import Credentials

SCOPES = (
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive",
)
_SETUP = "See docs/google-sheets.md, 'Credentials', for the steps."


def gspread_config_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """gspread's folder for credentials: %APPDATA%\\gspread or ~/.config/gspread.

    >>> gspread_config_dir().name
    'gspread'
    """
    if os.name == "nt" and environ.get("APPDATA"):
        return Path(environ["APPDATA"]) / "gspread"
    return Path.home() / ".config" / "gspread"


def find_credentials(flag: Path | None, environ: Mapping[str, str] = os.environ) -> Path:
    """The credentials file to use, or CredentialsError listing where we looked.

    >>> find_credentials(Path("key.json")).name
    'key.json'
    """
    if flag is not None:
        return flag
    from_env = environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    if from_env:
        return Path(from_env)
    folder = gspread_config_dir(environ)
    for name in ("service_account.json", "authorized_user.json", "credentials.json"):
        if (folder / name).is_file():
            return folder / name
    raise CredentialsError(
        "No Google credentials found. Give a service-account JSON key with --credentials "
        "KEY.json, or set GOOGLE_APPLICATION_CREDENTIALS, or save it as "
        f"{folder / 'service_account.json'}. {_SETUP}"
    )


def load_credentials(path: Path) -> Credentials:
    """Credentials from a JSON file of any of the three kinds; CredentialsError otherwise.

    >>> load_credentials(Path("/nonexistent/key.json"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    toolkit.errors.CredentialsError: Cannot read the credentials file /nonexistent/key.json: ...
    """
    info = _read_json(path)
    kind = info.get("type") or ("client" if {"installed", "web"} & info.keys() else None)
    try:
        if kind == "service_account":
            from google.oauth2.service_account import Credentials as ServiceAccount

            account: Credentials = ServiceAccount.from_service_account_info(  # type: ignore[no-untyped-call]
                info, scopes=SCOPES
            )
            return account
        if kind == "authorized_user":
            from google.oauth2.credentials import Credentials as UserCredentials

            person: Credentials = UserCredentials.from_authorized_user_info(  # type: ignore[no-untyped-call]
                info, scopes=list(SCOPES)
            )
            return person
        if kind == "client":
            return _browser_sign_in(path)
    except (ValueError, KeyError) as error:
        raise CredentialsError(
            f"{path} looks like a {kind} file but cannot be used ({error}). Download a fresh "
            f"one from the Google Cloud console. {_SETUP}"
        ) from error
    raise CredentialsError(
        f"{path} is not a Google credentials file (its 'type' is {kind!r}; expected a "
        f"service-account key or an OAuth file). {_SETUP}"
    )


def account_email(credentials: Credentials) -> str | None:
    """The email the spreadsheet must be shared with (a service account's), if known.

    >>> from types import SimpleNamespace
    >>> account_email(SimpleNamespace(service_account_email="bot@p.iam.gserviceaccount.com"))
    'bot@p.iam.gserviceaccount.com'
    """
    email = getattr(credentials, "service_account_email", None)
    return str(email) if email else None


def _read_json(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CredentialsError(
            f"Cannot read the credentials file {path}: {error}. {_SETUP}"
        ) from error
    try:
        info = json.loads(text)
    except json.JSONDecodeError as error:
        raise CredentialsError(
            f"{path} is not JSON ({error.msg} at line {error.lineno}); it should be the key file "
            f"downloaded from the Google Cloud console, unchanged. {_SETUP}"
        ) from error
    if not isinstance(info, dict):
        raise CredentialsError(f"{path} is JSON but not a credentials object. {_SETUP}")
    return info


def _browser_sign_in(client_file: Path) -> Credentials:
    """Run the OAuth sign-in in a browser once; keep the result beside gspread's files."""
    from google_auth_oauthlib.flow import InstalledAppFlow  # type: ignore[import-untyped]

    stored = gspread_config_dir() / "authorized_user.json"
    if stored.is_file():
        return load_credentials(stored)
    flow = InstalledAppFlow.from_client_secrets_file(str(client_file), list(SCOPES))
    credentials = flow.run_local_server(port=0)
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_text(credentials.to_json(strip=["token"]), encoding="utf-8")
    result: Credentials = credentials
    return result
