"""What went wrong with Google, said so a person can fix it: share, re-key, check the link.

Every translation keeps the original exception as __cause__ (the caller raises `from`).
"""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import (
    BackendError,
    CredentialsError,
    QuotaExhaustedError,
    SheetsAccessError,
    SheetsNotFoundError,
    ToolkitError,
)


def translate(
    error: Exception,
    *,
    key: str,
    account: str | None,
    credentials: Path | None,
    doing: str,
) -> ToolkitError:
    """The ToolkitError for a failure while `doing` something to spreadsheet `key`.

    >>> translate(ValueError("x"), key="k", account=None, credentials=None, doing="reading")
    BackendError('Google Sheets failed while reading spreadsheet k: ValueError: x')
    """
    if isinstance(error, ToolkitError):
        return error
    refused = _refused_credentials(error, credentials)
    if refused is not None:
        return refused
    status, message, domain = _api_details(error)
    if status == 401:
        return CredentialsError(
            f"Google did not accept the credentials{_from(credentials)} ({message}). Create a "
            "new key for the service account (or sign in again) and run again."
        )
    if status == 403 and domain == "usageLimits":
        return QuotaExhaustedError(f"Google's usage limit was reached while {doing}: {message}")
    if status == 403:
        return SheetsAccessError(_no_access(key, account, doing))
    if status == 404:
        return SheetsNotFoundError(
            f"There is no spreadsheet with key {key} (Google answered 404 while {doing}). Check "
            "the URL: copy it from the browser's address bar while the spreadsheet is open."
        )
    if status == 429:
        return QuotaExhaustedError(f"Google Sheets quota exhausted while {doing}: {message}")
    if status:
        return BackendError(f"Google Sheets answered {status} while {doing}: {message}")
    return BackendError(
        f"Google Sheets failed while {doing} spreadsheet {key}: {type(error).__name__}: {error}"
    )


def _no_access(key: str, account: str | None, doing: str) -> str:
    who = account or "the Google account you signed in with"
    return (
        f"{who} may not {'edit' if 'writ' in doing else 'open'} spreadsheet {key}. Open the "
        f"spreadsheet in Google Sheets, click Share, add {who} as Editor, and run again."
    )


def _from(credentials: Path | None) -> str:
    return f" in {credentials}" if credentials else ""


def _refused_credentials(error: Exception, credentials: Path | None) -> ToolkitError | None:
    try:
        from google.auth.exceptions import RefreshError, TransportError
    except ImportError:  # google-auth missing: nothing of theirs can have been raised
        return None
    if isinstance(error, RefreshError):
        reason = error.args[0] if error.args else str(error)
        return CredentialsError(
            f"Google refused the credentials{_from(credentials)} ({reason}). The key may have "
            "been deleted or the file edited: download a new JSON key for the service account "
            "in the Google Cloud console (IAM > Service accounts > Keys) and run again."
        )
    if isinstance(error, TransportError):
        return CredentialsError(
            f"Cannot reach Google's sign-in service to use the credentials: {error}"
        )
    return None


def _api_details(error: Exception) -> tuple[int, str, str]:
    try:
        from gspread.exceptions import APIError
    except ImportError:
        return 0, str(error), ""
    if not isinstance(error, APIError):
        return 0, str(error), ""
    details = error.error if isinstance(error.error, dict) else {}
    reasons = details.get("errors") or [{}]
    domain = str(reasons[0].get("domain", "")) if isinstance(reasons[0], dict) else ""
    return error.response.status_code, str(details.get("message", error)), domain
