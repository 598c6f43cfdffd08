"""Etsy's answers read as errors: its bodies, the fields they name, its throttling."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx

from ruralseller.errors import (
    ListingRejectedError,
    MarketplaceError,
    RateLimitedError,
)
from ruralseller.marketplaces.etsy.settings import (
    _FIELD_WORD,
    ETSY_DAILY_LIMIT,
    ETSY_RATE,
)
from ruralseller.marketplaces.http import (
    error_from_response,
)
from ruralseller.marketplaces.retry import parse_retry_after
from ruralseller.marketplaces.secrets import Secret, redact_headers, redact_text

__all__ = [
    "classify_response",
]

# --- errors ---------------------------------------------------------------------------------


def _etsy_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (ValueError, UnicodeDecodeError):
        return None


def _field_errors(body: Any) -> tuple[str, dict[str, str]]:
    """Etsy's own words and the fields they name.

    Etsy answers ``{"error": "..."}`` (spec, ``ErrorSchema``), and for invalid fields often a
    list of ``{"path": "/title/1", "type": "...", "message": "..."}`` (etsy/open-api#622,
    #472), sometimes under ``error_list``.
    """
    items: list[Any] = []
    said = ""
    if isinstance(body, list):
        items = body
    elif isinstance(body, dict):
        said = str(body.get("error_description") or body.get("error") or "")
        if isinstance(body.get("error_list"), list):
            items = body["error_list"]
    fields: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        path = str(item.get("path") or "").strip("/")
        field = path.split("/", maxsplit=1)[0] or "listing"
        reason = " ".join(str(item[k]) for k in ("type", "message") if item.get(k))
        fields[field] = f"{fields[field]}; {reason}" if field in fields else reason
    if not fields and said:
        for name in dict.fromkeys(word.lower() for word in _FIELD_WORD.findall(said)):
            fields[name] = said
    if not said:
        said = "; ".join(f"{k}: {v}" for k, v in fields.items())
    return said, fields


def _throttle(
    response: httpx.Response, said: str, secrets: Iterable[Secret | str]
) -> RateLimitedError:
    headers = response.headers
    retry_after = parse_retry_after(headers.get("retry-after"))
    if headers.get("x-remaining-today") == "0":
        what = (
            f"the daily limit of {headers.get('x-limit-per-day', str(ETSY_DAILY_LIMIT))} requests"
        )
        advice = "the outbox will send the rest when the 24-hour window has room again"
    else:
        what = (
            f"the limit of {headers.get('x-limit-per-second', f'{ETSY_RATE:g}')} requests a second"
        )
        advice = "wait a moment and try again"
        if retry_after is None and headers.get("x-remaining-this-second") == "0":
            retry_after = 1.0  # the per-second window is at most a second away
    wait = f" (Etsy asks to wait {retry_after:g} s)" if retry_after is not None else ""
    tail = f" (etsy said: {redact_text(said, secrets)})" if said else ""
    return RateLimitedError(
        f"etsy is limiting how fast we send: this app used {what}{wait}; {advice}{tail} "
        f"[HTTP {response.status_code}]",
        retry_after=retry_after,
        marketplace="etsy",
        status=response.status_code,
        code="rate_limited",
        headers=redact_headers(response.headers),
    )


def classify_response(
    response: httpx.Response, *, secrets: Iterable[Secret | str] = ()
) -> MarketplaceError | None:
    """The error an Etsy response stands for, or ``None`` for a success.

    Adds to :func:`~ruralseller.marketplaces.http.error_from_response` what Etsy does its
    own way: its error bodies (``{"error": ...}`` or a list of ``{path, type, message}``),
    the fields they name, and its rate-limit headers on 429 (``retry-after``,
    ``x-remaining-this-second``, ``x-remaining-today``; developers.etsy.com "Rate limits").

    >>> r = httpx.Response(400, json=[{"path": "/title", "type": "string_too_long",
    ...                                "message": "cannot be longer than 140 characters"}])
    >>> error = classify_response(r)
    >>> error.field_errors
    {'title': 'string_too_long cannot be longer than 140 characters'}
    >>> classify_response(httpx.Response(429, headers={"x-remaining-this-second": "0"}))
    RateLimitedError('etsy is limiting how fast we send: ...')
    """
    if response.status_code < 400:
        return None
    secrets = list(secrets)
    said, fields = _field_errors(_etsy_body(response))
    said = redact_text(said, secrets)
    if response.status_code == 429:
        return _throttle(response, said, secrets)
    error = error_from_response("etsy", response, secrets=secrets)
    if error is None:  # pragma: no cover - every status from 400 up is an error there
        return None
    if isinstance(error, ListingRejectedError):
        fields = {k: redact_text(v, secrets) for k, v in fields.items()}
        listed = "; ".join(f"{k}: {v}" for k, v in fields.items()) or said
        message = (
            "etsy rejected the listing"
            + (f": {listed}" if listed else "")
            + f"; fix these and publish again [HTTP {response.status_code}]"
        )
        return ListingRejectedError(
            message,
            field_errors=fields,
            marketplace="etsy",
            status=error.status,
            code=error.code,
            request_id=error.request_id,
            headers=error.headers,
        )
    if said and said not in error.message:
        error.message = f"{error.message} (etsy said: {said})"
        error.args = (error.message,)
    return error
