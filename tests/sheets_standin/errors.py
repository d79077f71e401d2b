"""Errors the stand-in answers, in the API's own JSON shape."""

from __future__ import annotations

from typing import Any

_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
}


class ApiError(Exception):
    """An error response: HTTP code, message, and the API's status word."""

    def __init__(self, code: int, message: str, *, details: list[Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "status": _STATUS.get(self.code, "UNKNOWN"),
        }
        if self.details is not None:
            error["details"] = self.details
        return {"error": error}


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def not_found() -> ApiError:
    return ApiError(404, "Requested entity was not found.")


def not_implemented(what: str) -> ApiError:
    """501: the stand-in does not implement `what`; never a silent success."""
    return ApiError(501, f"The Sheets stand-in does not implement {what}.")


def invalid_field(field: str, value: Any, proto: str = "google.protobuf.ListValue") -> ApiError:
    """400 for a JSON value of the wrong type, worded as the API words it."""
    import json

    shown = json.dumps(value, ensure_ascii=False)
    message = f"Invalid value at '{field}' (type.googleapis.com/{proto}), {shown}"
    details = [
        {
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [{"field": field, "description": message}],
        }
    ]
    return ApiError(400, message, details=details)
