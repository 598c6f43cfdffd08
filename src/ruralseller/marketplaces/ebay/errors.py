"""eBay's answers read as errors of the MarketplaceError family."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import httpx

from ruralseller.errors import (
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceConflictError,
    MarketplaceError,
    MarketplaceUnavailableError,
    RateLimitedError,
)
from ruralseller.marketplaces.ebay.constants import (
    _CONCURRENT,
    _FIELD_OF_ERROR,
    _FIELD_PATHS,
    _FIELD_WORDS,
    _NOT_FOUND,
    _USER_ERROR,
)
from ruralseller.marketplaces.retry import parse_retry_after
from ruralseller.marketplaces.secrets import Secret, redact_headers, redact_text

__all__ = [
    "OfferExistsError",
    "ebay_error",
]

# --- errors ----------------------------------------------------------------------------------


class OfferExistsError(MarketplaceConflictError):
    """eBay already has an offer for this SKU on this site (createOffer's errorId 25002).

    Attributes:
        offer_id: the existing offer's id, which eBay gives in the error's parameters.
    """

    def __init__(self, message: str, *, offer_id: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.offer_id = offer_id


def _errors(response: httpx.Response) -> list[dict[str, Any]]:
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return []
    found = body.get("errors") if isinstance(body, dict) else None
    return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []


def _parameters(error: Mapping[str, Any]) -> dict[str, str]:
    return {
        str(p.get("name")): str(p.get("value"))
        for p in error.get("parameters") or ()
        if isinstance(p, dict) and p.get("name") is not None
    }


def _field_of(error: Mapping[str, Any]) -> str | None:
    """Where in our payloads an eBay error points: its parameters, its words, or its id."""
    for value in _parameters(error).values():
        key = value.rsplit(".", maxsplit=1)[-1].strip().lower()
        if key in _FIELD_PATHS:
            return _FIELD_PATHS[key]
    for text in (error.get("message"), error.get("longMessage")):
        found = _FIELD_WORDS.search(str(text or ""))
        if found:
            return _FIELD_PATHS[found.group(1).lower()]
    return _FIELD_OF_ERROR.get(_error_id(error))


def _error_id(error: Mapping[str, Any]) -> int:
    try:
        return int(error.get("errorId", 0))
    except (TypeError, ValueError):
        return 0


def _said(errors: Iterable[Mapping[str, Any]], secrets: Sequence[Secret | str]) -> str:
    parts = []
    for error in errors:
        text = str(error.get("longMessage") or error.get("message") or "").strip()
        parts.append(f"{text} (errorId {error.get('errorId')})" if text else "")
    return redact_text("; ".join(p for p in parts if p), secrets)


def ebay_error(
    response: httpx.Response, *, secrets: Iterable[Secret | str] = ()
) -> MarketplaceError | None:
    """The error an Inventory API response stands for, from eBay's ``errors`` list.

    eBay answers ``{"errors": [{"errorId", "domain", "category", "message", "longMessage",
    "parameters": [{"name", "value"}]}]}``. Field errors are keyed by the payload path at
    fault (``product.title``); ``bulkUpdatePriceQuantity`` reports per-SKU failures inside a
    200 or 207 body, which are errors too. Returns ``None`` for a success, and for a failure
    without eBay's error list (the shared mapping of the status code then applies).

    >>> import httpx
    >>> too_long = httpx.Response(400, json={"errors": [{
    ...     "errorId": 25080, "domain": "API_INVENTORY", "category": "REQUEST",
    ...     "message": "The value of the title field is invalid. Field must not exceed 80 "
    ...                "characters.", "parameters": [{"name": "0", "value": "title"}]}]})
    >>> error = ebay_error(too_long)
    >>> type(error).__name__, error.field_errors, error.code
    ('ListingRejectedError', {'product.title': 'The value of the title field is invalid. Field must not exceed 80 characters.'}, '25080')
    """  # noqa: E501 - a doctest answer is one line
    secrets = list(secrets)
    status = response.status_code
    errors = _errors(response)
    if status < 400:
        return _bulk_error(response, secrets)
    if not errors:
        return None
    first = errors[0]
    code = str(first.get("errorId")) if first.get("errorId") is not None else None
    said = _said(errors, secrets)
    common: dict[str, Any] = {
        "marketplace": "ebay",
        "status": status,
        "code": code,
        "headers": redact_headers(response.headers),
    }
    ref = f" [HTTP {status}, errorId {code}]"
    if status in (401, 403):
        return MarketplaceAuthError(
            "ebay did not accept the access token: check that the seller granted the "
            "sell.inventory (and, for orders, sell.fulfillment) scopes and that the refresh "
            "token is still valid (they last about "
            f"18 months; sign the seller in again to get a new one) (ebay said: {said}){ref}",
            **common,
        )
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        wait = f"wait {retry_after:g} s and " if retry_after is not None else "wait and "
        return RateLimitedError(
            f"ebay is limiting how fast we send (the account's daily call limit or a burst "
            f"limit): {wait}try again (ebay said: {said}){ref}",
            retry_after=retry_after,
            **common,
        )
    offer_id = _parameters(first).get("offerId")
    if _error_id(first) == _USER_ERROR and offer_id:
        return OfferExistsError(
            f"ebay already has an offer for this SKU (offer {offer_id}); it is updated "
            f"instead of making a second one (ebay said: {said}){ref}",
            offer_id=offer_id,
            **common,
        )
    if status >= 500:
        again = "it is busy with this item" if _error_id(first) == _CONCURRENT else "server error"
        return MarketplaceUnavailableError(
            f"ebay is having trouble ({again}); nothing to fix on our side, try again later "
            f"(ebay said: {said}){ref}",
            **common,
        )
    if status == 404 or _error_id(first) in _NOT_FOUND:
        return MarketplaceError(
            f"ebay has no such item or offer (ebay said: {said}){ref}", **common
        )
    return _rejected(errors, secrets, common, ref)


def _rejected(
    errors: Sequence[Mapping[str, Any]],
    secrets: Sequence[Secret | str],
    common: dict[str, Any],
    ref: str,
) -> ListingRejectedError:
    fields: dict[str, str] = {}
    for error in errors:
        field = _field_of(error)
        if field is not None:
            text = str(error.get("longMessage") or error.get("message") or "").strip()
            fields.setdefault(field, redact_text(text, secrets))
    listed = "; ".join(f"{k}: {v}" for k, v in fields.items())
    return ListingRejectedError(
        "ebay rejected the listing: "
        + (listed or _said(errors, secrets) or "no reason given")
        + f"; fix these and publish again{ref}",
        field_errors=fields,
        **common,
    )


def _bulk_error(
    response: httpx.Response, secrets: Sequence[Secret | str]
) -> MarketplaceError | None:
    """A per-SKU failure inside bulkUpdatePriceQuantity's 200/207 answer (spec, that operation)."""
    if not response.request.url.path.endswith("/bulk_update_price_quantity"):
        return None
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return None
    for item in body.get("responses", []) if isinstance(body, dict) else []:
        status = int(item.get("statusCode") or 200)
        errors = [e for e in item.get("errors") or () if isinstance(e, dict)]
        if status >= 400 and errors:
            inner = httpx.Response(status, json={"errors": errors}, request=response.request)
            return ebay_error(inner, secrets=secrets)
    return None
