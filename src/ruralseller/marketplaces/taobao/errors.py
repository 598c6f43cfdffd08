"""Taobao's answers read as errors of the MarketplaceError family."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import httpx

from ruralseller.errors import (
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceError,
    MarketplaceUnavailableError,
    RateLimitedError,
)
from ruralseller.marketplaces.secrets import Secret, redact_headers, redact_text
from ruralseller.marketplaces.taobao.constants import (
    MAX_CLOCK_SKEW,
)

__all__ = [
    "top_error",
]

# --- errors ----------------------------------------------------------------------------------

# TOP's platform error codes (below 100), from its error-code table (open.taobao.com
# "错误码一览") as copied in blog.unvs.cn/archives/taobao-oauth-top-error-code.html (2012).
_THROTTLE_CODES = frozenset({4, 5, 6, 7, 8})  # user/session/partner/app call limits, frequency
_AUTH_CODES = frozenset({11, 12, 13, 24, 25, 26, 27, 28, 29})  # permissions, sign, session, key
_CLOCK_CODES = frozenset({30, 31})  # missing or invalid timestamp
_ARGUMENT_CODES = frozenset({40, 41, 43})  # missing or invalid arguments
_UNAVAILABLE_CODES = frozenset({10})  # service currently unavailable
_BAN = re.compile(r"(\d+(?:\.\d+)?)\s*(?:more\s+seconds?|秒)", re.IGNORECASE)
_FIELD_SUB_CODE = re.compile(r"^isv\.(?:invalid|missing)-(?:parameter|argument)s?:(.+)$")


def _error_body(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return None
    found = body.get("error_response") if isinstance(body, dict) else None
    return dict(found) if isinstance(found, dict) else None


def top_error(
    response: httpx.Response, *, secrets: Iterable[Secret | str] = ()
) -> MarketplaceError | None:
    """The error an ``error_response`` body stands for, or ``None`` when there is none.

    TOP answers HTTP 200 with ``{"error_response": {"code", "msg", "sub_code", "sub_msg",
    "request_id"}}``. Codes 4 to 8 are call limits (the ban time is in ``sub_msg``), codes
    11-13 and 24-29 are permissions, signature, session and app key, ``isp.*`` sub-codes are
    trouble on TOP's side, and ``isv.invalid-parameter:<field>`` names the field at fault.

    Example:
        >>> body = {"error_response": {"code": 15, "msg": "Remote service error",
        ...     "sub_code": "isv.invalid-parameter:title", "sub_msg": "标题过长",
        ...     "request_id": "iz1"}}
        >>> error = top_error(httpx.Response(200, json=body))
        >>> type(error).__name__, error.field_errors
        ('ListingRejectedError', {'title': '标题过长'})
    """
    found = _error_body(response)
    if found is None:
        return None
    secrets = list(secrets)
    code = found.get("code")
    number = int(code) if isinstance(code, int | str) and str(code).isdigit() else None
    sub_code = str(found.get("sub_code") or "")
    said = redact_text(
        "; ".join(str(found[k]) for k in ("msg", "sub_msg") if found.get(k)), secrets
    )
    sub_msg = redact_text(str(found.get("sub_msg") or found.get("msg") or ""), secrets)
    request_id = str(found["request_id"]) if found.get("request_id") else None
    common: dict[str, Any] = {
        "marketplace": "taobao",
        "status": response.status_code,
        "code": ":".join(part for part in (str(code), sub_code) if part and part != "None"),
        "request_id": request_id,
        "headers": redact_headers(response.headers),
    }
    tail = f" (taobao said: {said}; code {common['code']})" + (
        f" [request id {request_id}]" if request_id else ""
    )
    field = _FIELD_SUB_CODE.match(sub_code)
    lowered = sub_code.lower()
    throttled = "limit" in lowered or "flow-control" in lowered or "flowcontrol" in lowered
    if number in _THROTTLE_CODES or (lowered.startswith(("isp.", "accesscontrol.")) and throttled):
        ban = _BAN.search(sub_msg)
        retry_after = float(ban.group(1)) if ban else None
        wait = f"wait {retry_after:g} s and " if retry_after is not None else "wait and "
        return RateLimitedError(
            f"taobao is limiting this app's calls: {wait}try again, or ask for a higher "
            f"quota in the TOP console{tail}",
            retry_after=retry_after,
            **common,
        )
    if number in _AUTH_CODES:
        return MarketplaceAuthError(
            "taobao did not accept the credentials: check the app key and secret, that the "
            "seller's session key has not expired (authorise the app again to get a new one), "
            f"and that the app may call this API{tail}",
            **common,
        )
    if number in _CLOCK_CODES:
        return MarketplaceAuthError(
            "taobao refused the request's timestamp: set this computer's clock right (TOP "
            f"accepts at most {MAX_CLOCK_SKEW.seconds // 60} minutes off){tail}",
            **common,
        )
    if field is not None or number in _ARGUMENT_CODES:
        name = field.group(1) if field else (sub_code or "arguments")
        return ListingRejectedError(
            f"taobao rejected the listing: {name}: {sub_msg}; fix it and publish again{tail}",
            field_errors={name: sub_msg},
            **common,
        )
    if number in _UNAVAILABLE_CODES or lowered.startswith("isp."):
        return MarketplaceUnavailableError(
            f"taobao is having trouble on its side; nothing to fix here, try again later{tail}",
            **common,
        )
    return MarketplaceError(f"taobao refused the request{tail}", **common)
