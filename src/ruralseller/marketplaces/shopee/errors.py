"""Shopee's answers read as errors of the MarketplaceError family."""

from __future__ import annotations

import logging
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import httpx

from ruralseller.errors import (
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceError,
    MarketplaceUnavailableError,
    RateLimitedError,
)
from ruralseller.marketplaces.retry import parse_retry_after
from ruralseller.marketplaces.secrets import Secret, redact_headers, redact_text
from ruralseller.marketplaces.shopee.payloads import (
    _FIELD_RE,
    _FIELDS,
)

if TYPE_CHECKING:
    from ruralseller.marketplaces.shopee.adapter import ShopeeMarketplace

__all__ = [
    "shopee_error",
]

# --- errors: Shopee's body -> our error tree -------------------------------------------------

# Shopee's codes for a token that is expired or wrong; "invalid_acceess_token" is Shopee's own
# spelling, seen by many integrators (e.g. the token-refresh checks in public Shopee clients).
_TOKEN_CODES = frozenset({"invalid_access_token", "invalid_acceess_token", "error_token"})
_AUTH_CODES = frozenset({"error_auth", "error_sign", "error_permission", "invalid_partner_id"})
_RATE_CODES = frozenset({"error_rate_limit", "error_too_many_request", "error_frequency"})
_SERVER_CODES = frozenset({"error_server", "error_inner", "error_network", "error_system"})
_RATE_WORDS = ("too many request", "rate limit", "too frequent", "frequency limit")
_HTTP_TOO_MANY = 429
_HTTP_SERVER_ERROR = 500


class _TokenRejectedError(MarketplaceAuthError):
    """The access token expired or was revoked: the adapter refreshes it and tries again."""


def _is_token_problem(code: str, message: str) -> bool:
    lowered = message.lower()
    return code in _TOKEN_CODES or (
        code in {"error_auth", "error_param"} and "access_token" in lowered.replace(" ", "_")
    )


def _field_errors(message: str, code: str) -> dict[str, str]:
    found = {m.group(1).lower() for m in _FIELD_RE.finditer(message)}
    if not found:
        return {code: message}
    return {f"{name} ({_FIELDS[name]})": message for name in sorted(found)}


def shopee_error(
    response: httpx.Response, *, secrets: Iterable[Secret | str] = ()
) -> MarketplaceError | None:
    """The error a Shopee response stands for, or ``None`` when its ``error`` is empty.

    Shopee answers ``{"error": "...", "message": "...", "request_id": "..."}``, often with
    HTTP 200; an empty ``error`` means success ("API calls" guide, API response parameters).
    A response without that body is left to the shared status-code mapping.

    Example:
        >>> import httpx
        >>> error = shopee_error(httpx.Response(200, json={
        ...     "error": "product.error_param", "request_id": "r1",
        ...     "message": "item_name length should be less than 100"}))
        >>> type(error).__name__, error.field_errors
        ('ListingRejectedError', {'item_name (title)': 'item_name length should be less than 100'})
    """
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        body = None
    status = response.status_code
    code = str(body.get("error") or "") if isinstance(body, dict) else ""
    if not code:
        return None
    secrets = list(secrets)
    said = redact_text(str(body.get("message") or ""), secrets)
    request_id = body.get("request_id") or response.headers.get("x-request-id")
    common: dict[str, Any] = {
        "marketplace": "shopee",
        "status": status,
        "code": code,
        "request_id": str(request_id) if request_id else None,
        "headers": redact_headers(response.headers),
    }
    tail = f" (shopee said: {code}: {said})" if said else f" (shopee said: {code})"
    ref = f" [HTTP {status}" + (f", request id {request_id}]" if request_id else "]")
    bare = code.rsplit(".", 1)[-1]
    lowered = f"{code} {said}".lower()
    if (
        status == _HTTP_TOO_MANY
        or bare in _RATE_CODES
        or any(word in lowered for word in _RATE_WORDS)
    ):
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        wait = f"wait {retry_after:g} s and " if retry_after is not None else "wait and "
        return RateLimitedError(
            f"shopee is limiting how fast we send: {wait}try again{tail}{ref}",
            retry_after=retry_after,
            **common,
        )
    if _is_token_problem(bare, said):
        return _TokenRejectedError(
            "shopee did not accept the shop's access token: it expired or was revoked; give "
            "the adapter a refresh_token so it renews it, or authorise the shop again"
            f"{tail}{ref}",
            **common,
        )
    if bare in {"error_param", "error_auth"} and "timestamp" in said.lower():
        return MarketplaceAuthError(
            "shopee refused the request's timestamp (it must be within 5 minutes of Shopee's "
            f"clock): set this computer's clock right, then try again{tail}{ref}",
            **common,
        )
    if bare in _AUTH_CODES:
        return MarketplaceAuthError(
            "shopee did not accept the credentials: check the partner id and partner key of "
            f"the app, and that the shop has authorised it{tail}{ref}",
            **common,
        )
    if bare in _SERVER_CODES or status >= _HTTP_SERVER_ERROR:
        return MarketplaceUnavailableError(
            "shopee is having trouble (server error); nothing to fix on our side, try again "
            f"later{tail}{ref}",
            **common,
        )
    if "param" in bare or bare.startswith(("error_item", "error_data", "error_category")):
        fields = _field_errors(said, code)
        listed = "; ".join(f"{k}: {v}" for k, v in fields.items())
        return ListingRejectedError(
            f"shopee rejected the listing: {listed}; fix these and publish again{ref}",
            field_errors=fields,
            **common,
        )
    return MarketplaceError(f"shopee refused the request{tail}{ref}", **common)


class _RedactHttpxLog(logging.Filter):
    """Keeps the access token out of httpx's request log (Shopee puts it in the URL)."""

    def __init__(self, marketplace: ShopeeMarketplace) -> None:
        super().__init__()
        self._marketplace = weakref.ref(marketplace)

    def filter(self, record: logging.LogRecord) -> bool:
        marketplace = self._marketplace()
        if marketplace is not None:
            text = record.getMessage()
            redacted = redact_text(text, marketplace._secrets())  # noqa: SLF001 - its own helper
            if redacted != text:
                record.msg, record.args = redacted, ()
        return True
