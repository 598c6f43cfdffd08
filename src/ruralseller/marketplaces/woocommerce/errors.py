"""WooCommerce's answers read as errors of the MarketplaceError family."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from ruralseller.errors import (
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceError,
)
from ruralseller.listing import (
    ListingDraft,
)
from ruralseller.marketplaces.http import error_from_response
from ruralseller.marketplaces.secrets import Secret, redact_text
from ruralseller.marketplaces.woocommerce.constants import (
    _NAME,
    _OUR_FIELDS,
    DUPLICATE_SKU_CODES,
)

__all__ = []

# --- errors -----------------------------------------------------------------------------------


class _SkuTakenError(ListingRejectedError):
    """A create refused because the store has a product with that SKU (``resource_id``)."""

    def __init__(self, message: str, *, resource_id: int, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.resource_id = resource_id


def _field_name(theirs: str) -> str:
    ours = _OUR_FIELDS.get(theirs.split("[", 1)[0])
    return f"{ours} ({theirs})" if ours and ours != theirs else theirs


def _wp_field_errors(code: str | None, message: str, data: Any) -> dict[str, str]:
    """Field errors of a WordPress REST error: ``data.params`` is ``{field: message}``."""
    fields: dict[str, str] = {}
    params = data.get("params") if isinstance(data, dict) else None
    if isinstance(params, dict):
        fields = {_field_name(str(k)): str(v) for k, v in params.items()}
    if not fields and code in DUPLICATE_SKU_CODES:
        fields = {"sku": message or "the store already has a product with this SKU"}
    elif not fields and code and "image" in code:
        fields = {"images": message}
    return fields


def _common(error: MarketplaceError) -> dict[str, Any]:
    return {
        "marketplace": error.marketplace,
        "status": error.status,
        "code": error.code,
        "request_id": error.request_id,
        "headers": error.headers,
    }


def _classify(response: httpx.Response, *, secrets: Sequence[Secret]) -> MarketplaceError | None:
    """Our error for a WordPress REST error body (``{"code", "message", "data"}``)."""
    base = error_from_response(_NAME, response, secrets=secrets)
    if base is None:
        return None
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        return base
    code = body.get("code") if isinstance(body.get("code"), str) else None
    data = body.get("data")
    ref = f" [HTTP {response.status_code}, {code}]" if code else f" [HTTP {response.status_code}]"
    said = redact_text(str(body.get("message") or ""), secrets)
    if isinstance(base, ListingRejectedError):
        fields = base.field_errors or _wp_field_errors(code, said, data)
        listed = "; ".join(f"{k}: {v}" for k, v in fields.items())
        message = (
            f"{_NAME} rejected the listing" + (f": {listed}" if listed else f" ({said})")
        ) + f"; fix these and publish again{ref}"
        resource_id = data.get("resource_id") if isinstance(data, dict) else None
        if code in DUPLICATE_SKU_CODES and isinstance(resource_id, int) and resource_id > 0:
            return _SkuTakenError(
                message, resource_id=resource_id, field_errors=fields, **_common(base)
            )
        return ListingRejectedError(message, field_errors=fields, **_common(base))
    if isinstance(base, MarketplaceAuthError):
        if "/wp-json/wp/" in response.request.url.path:
            hint = (
                "WordPress did not let these credentials upload pictures to the media "
                "library: WooCommerce consumer keys work only on /wp-json/wc/ unless the store "
                "allows them there; give media_username and media_password (a WordPress "
                "application password of a user who may upload files)"
            )
        else:
            hint = (
                "the store did not accept the consumer key: check the key and secret "
                "(WooCommerce > Settings > Advanced > REST API), that the key has Read/Write "
                "permission, and, on http:// stores, that this computer's clock is right "
                "(signatures older than 15 minutes are refused)"
            )
        tail = f" ({_NAME} said: {said})" if said else ""
        return MarketplaceAuthError(f"{_NAME}: {hint}{tail}{ref}", **_common(base))
    return base


def _item_error(sku: str, item: Mapping[str, Any]) -> ListingRejectedError:
    """The error of one product in a batch answer (HTTP 200 with ``{"error": {...}}``)."""
    found = item.get("error")
    error: Mapping[str, Any] = found if isinstance(found, dict) else {}
    code = str(error.get("code") or "") or None
    message = str(error.get("message") or "")
    given = error.get("data")
    data: Mapping[str, Any] = given if isinstance(given, dict) else {}
    fields = _wp_field_errors(code, message, data)
    listed = "; ".join(f"{k}: {v}" for k, v in fields.items()) or message
    status = data.get("status")
    common: dict[str, Any] = {
        "field_errors": fields,
        "marketplace": _NAME,
        "status": status if isinstance(status, int) else None,
        "code": code,
    }
    text = f"{_NAME} rejected the listing {sku}: {listed}; fix these and publish again [{code}]"
    resource_id = data.get("resource_id")
    if code in DUPLICATE_SKU_CODES and isinstance(resource_id, int) and resource_id > 0:
        return _SkuTakenError(text, resource_id=resource_id, **common)
    return ListingRejectedError(text, **common)


def _image_names(images: Any) -> tuple[str, ...]:
    if not isinstance(images, list):
        return ()
    return tuple(str(i.get("name") or i.get("src") or "") for i in images if isinstance(i, dict))


def _chunks(items: Sequence[ListingDraft], size: int) -> list[Sequence[ListingDraft]]:
    return [items[start : start + size] for start in range(0, len(items), size)]
