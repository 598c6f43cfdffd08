"""The sandbox's error answers: ``{"code", "message", "errors"}`` with an HTTP status.

Example:
    >>> error = ApiError(404, "not_found", "no listing has SKU 'HEN-1'")
    >>> error.body()
    {'code': 'not_found', 'message': "no listing has SKU 'HEN-1'"}
    >>> ApiError(422, "invalid_listing", "bad", errors=[("sku", "differs")]).body()["errors"]
    [{'field': 'sku', 'message': 'differs'}]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from starlette.responses import JSONResponse

__all__ = ["ApiError", "json_response"]


class ApiError(Exception):
    """An error answer: status, snake_case code, message, and field errors for a 422."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        errors: Iterable[tuple[str, str]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = tuple(errors)
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        """The JSON body of the answer."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.errors or self.status == 422:
            body["errors"] = [{"field": f, "message": m} for f, m in self.errors]
        return body

    def response(self) -> JSONResponse:
        """The answer."""
        return json_response(self.body(), self.status, self.headers)


def json_response(
    body: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """A JSON answer in UTF-8, non-ASCII text kept as is."""
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))
