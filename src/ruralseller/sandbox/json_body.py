"""Reading a request's JSON body so that every malformed one is a 4xx answer, never a crash.

A body is refused (422, naming what is wrong) when it is not UTF-8, not JSON, nested deeper
than :data:`MAX_DEPTH`, holds a string with a lone surrogate, a number that is not finite, or
an integer beyond what a JSON reader can hold exactly. The last three follow I-JSON
(RFC 7493 §2.1: strings of Unicode characters only, no lone surrogates; §2.2: numbers within
IEEE 754 double precision, integers within ±(2**53 - 1)).

Example:
    >>> parse_request_json(b'{"stock": 3}', "invalid_listing")
    {'stock': 3}
    >>> parse_request_json(b'{"stock": 99999999999999999999}', "invalid_listing")
    Traceback (most recent call last):
    ...
    ruralseller.sandbox.api_errors.ApiError: the body has a value JSON readers cannot hold ...
"""

from __future__ import annotations

import json
import math
from typing import Any, Final

from ruralseller.sandbox.api_errors import ApiError

__all__ = ["MAX_DEPTH", "MAX_INTEGER", "parse_request_json"]

MAX_DEPTH: Final = 64
"""The deepest nesting of arrays and objects a request body may have (no real one needs 10)."""

MAX_INTEGER: Final = 2**53 - 1
"""The largest integer a body may hold (RFC 7493 §2.2)."""

_MAX_DIGITS: Final = 40


class _Refused(Exception):  # noqa: N818 - internal: becomes the ApiError of the caller's code
    def __init__(self, message: str, where: str, what: str) -> None:
        super().__init__(message)
        self.message, self.where, self.what = message, where, what


def _integer(text: str) -> int:
    if len(text) > _MAX_DIGITS:
        raise ValueError("an integer of more than 40 digits")
    return int(text)


def _constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _too_deep(where: str) -> _Refused:
    return _Refused(f"the body is nested more than {MAX_DEPTH} levels deep", where, "too deep")


def _out_of_range(where: str) -> _Refused:
    return _Refused(
        "the body has a value JSON readers cannot hold exactly (an integer beyond "
        f"±{MAX_INTEGER}, or a number too large); see RFC 7493 §2.2",
        where,
        "number out of range",
    )


def _check_text(text: str, where: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _Refused(
            "the body has a string with a lone surrogate (\\ud800-\\udfff without its pair), "
            "which is not Unicode text (RFC 7493 §2.1)",
            where,
            "not Unicode text",
        ) from None


def _check(value: Any) -> None:
    """Walk ``value`` without recursion, refusing what I-JSON does not allow."""
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep(where)
        if isinstance(item, dict):
            for key, inner in item.items():
                _check_text(key, where)
                stack.append((inner, f"{where}.{key}" if where else key, depth + 1))
        elif isinstance(item, list):
            stack.extend((inner, f"{where}[{n}]", depth + 1) for n, inner in enumerate(item))
        elif isinstance(item, str):
            _check_text(item, where)
        elif isinstance(item, bool) or item is None:
            continue
        elif (isinstance(item, int) and abs(item) > MAX_INTEGER) or (
            isinstance(item, float) and not math.isfinite(item)
        ):
            raise _out_of_range(where)


def _parse(body: bytes) -> Any:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Refused("the body is not JSON in UTF-8", "", str(exc)) from None
    try:
        value = json.loads(text, parse_int=_integer, parse_constant=_constant)
    except RecursionError:
        raise _too_deep("") from None
    except json.JSONDecodeError as exc:
        raise _Refused("the body is not JSON in UTF-8", "", str(exc)) from None
    except ValueError as exc:
        raise _out_of_range(str(exc)) from None
    _check(value)
    return value


def parse_request_json(body: bytes, code: str, *, status: int = 422) -> Any:
    """The JSON of a request body, or an :class:`ApiError` (``status``, ``code``)."""
    try:
        return _parse(body)
    except _Refused as refused:
        raise ApiError(
            status, code, refused.message, errors=[(refused.where, refused.what)]
        ) from None
