"""What the listing routes do to the stored listings, apart from HTTP.

A listing is keyed by the account and our SKU. Its draft is stored as
:func:`~ruralseller.listing.draft_to_data` writes it; stock and price come from the draft
and may then be changed by an inventory update. ``version`` starts at 1 and grows by one at
each change; a request that changes nothing leaves it as it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

import attrs

from ruralseller.catalog import Money, converter
from ruralseller.catalog.files import problems_from_exception
from ruralseller.errors import InvalidValueError
from ruralseller.listing import (
    IssueSeverity,
    ListingDraft,
    draft_to_data,
    get_profile,
    validate_draft,
)
from ruralseller.sandbox.api_errors import ApiError
from ruralseller.sandbox.json_body import parse_request_json
from ruralseller.sandbox.storage import ImageRecord, ListingRecord, Transaction

__all__ = [
    "draft_image_names",
    "new_listing",
    "not_found",
    "parse_draft",
    "parse_inventory",
    "parse_json",
    "publish",
    "resource",
    "set_state",
    "updated_listing",
]


def not_found(sku: str) -> ApiError:
    """The 404 answer for a SKU the account has no listing of."""
    return ApiError(404, "not_found", f"this account has no listing with SKU {sku!r}")


def parse_json(body: bytes, code: str) -> Any:
    """The JSON of a request body, or a 422 answer with ``code`` (see :mod:`.json_body`)."""
    return parse_request_json(body, code)


def _check_stock(stock: object, errors: list[tuple[str, str]]) -> None:
    """The one rule for stock on every path: a whole number, zero or more."""
    if isinstance(stock, bool) or not isinstance(stock, int) or stock < 0:
        errors.append(("stock", "must be a whole number >= 0"))


def parse_draft(body: bytes, sku: str | None = None) -> tuple[ListingDraft, dict[str, Any]]:
    """The listing draft of a request body, checked against the ``sandbox`` profile.

    Returns:
        the draft and its data as stored.

    Raises:
        ApiError: 422 ``invalid_listing`` naming each bad field.
    """
    data = parse_json(body, "invalid_listing")
    if not isinstance(data, dict):
        raise ApiError(
            422, "invalid_listing", "the body must be a JSON object", errors=[("", "not an object")]
        )
    try:
        draft = converter("json").structure(data, ListingDraft)
    except Exception as exc:  # noqa: BLE001 - cattrs raises groups of anything a hook raised
        problems = problems_from_exception(exc, [], data)
        raise ApiError(
            422,
            "invalid_listing",
            f"the listing draft has {len(problems)} invalid field(s)",
            errors=[(p.path, f"{p.message}; {p.hint}" if p.hint else p.message) for p in problems],
        ) from None
    stock_errors: list[tuple[str, str]] = []
    _check_stock(draft.stock, stock_errors)
    if stock_errors:
        raise ApiError(
            422, "invalid_listing", "the listing's stock is invalid", errors=stock_errors
        )
    if sku is not None and draft.sku != sku:
        raise ApiError(
            422,
            "invalid_listing",
            f"the draft's SKU {draft.sku!r} is not the SKU of the URL {sku!r}",
            errors=[("sku", f"must be {sku!r}, as in the URL")],
        )
    issues = [
        issue
        for issue in validate_draft(draft, get_profile("sandbox"))
        if issue.severity is IssueSeverity.ERROR
    ]
    if issues:
        raise ApiError(
            422,
            "invalid_listing",
            f"the sandbox refuses the listing: {len(issues)} problem(s)",
            errors=[(i.field, f"{i.message}; fix: {i.fix}") for i in issues],
        )
    return draft, draft_to_data(draft)


def new_listing(account: str, draft: ListingDraft, data: dict[str, Any], now: str) -> ListingRecord:
    """A listing as first stored: a draft, version 1."""
    return ListingRecord(
        account=account,
        sku=draft.sku,
        state="draft",
        version=1,
        created_at=now,
        updated_at=now,
        draft=data,
        stock=draft.stock,
        price_amount=str(draft.price.amount),
        price_currency=draft.price.currency,
    )


def updated_listing(
    old: ListingRecord, draft: ListingDraft, data: dict[str, Any], now: str
) -> ListingRecord:
    """``old`` with a new draft (and its stock and price), or ``old`` when the draft is the same."""
    if data == old.draft:
        return old
    return attrs.evolve(
        old,
        version=old.version + 1,
        updated_at=now,
        draft=data,
        stock=draft.stock,
        price_amount=str(draft.price.amount),
        price_currency=draft.price.currency,
    )


def parse_inventory(body: bytes) -> tuple[int, Money | None]:
    """The stock and (optional) price of an inventory update, or a 422 answer."""
    data = parse_json(body, "invalid_inventory")
    errors: list[tuple[str, str]] = []
    stock = data.get("stock") if isinstance(data, dict) else None
    if isinstance(data, dict) and set(data) - {"stock", "price"}:
        unknown = ", ".join(sorted(set(data) - {"stock", "price"}))
        errors.append(("", f"unknown field(s) {unknown}; send stock and price only"))
    _check_stock(stock, errors)
    price = _price(data.get("price") if isinstance(data, dict) else None, errors)
    if errors:
        raise ApiError(422, "invalid_inventory", "the inventory update is invalid", errors=errors)
    assert isinstance(stock, int)  # noqa: S101 - checked above, for the type checker
    return stock, price


def _price(value: object, errors: list[tuple[str, str]]) -> Money | None:
    if value is None:
        return None
    amount = value.get("amount") if isinstance(value, dict) else None
    currency = value.get("currency") if isinstance(value, dict) else None
    if not isinstance(amount, str) or not isinstance(currency, str):
        errors.append(("price", 'write it as {"amount": "36.00", "currency": "CNY"}'))
        return None
    try:
        price = Money(amount, currency)
    except InvalidValueError as exc:
        errors.append(("price", exc.message))
        return None
    if price.amount <= Decimal(0):
        errors.append(("price.amount", "must be more than 0"))
        return None
    return price


def draft_image_names(draft: Mapping[str, Any]) -> list[str]:
    """The picture names a stored draft asks for: the file name of each of its images."""
    names = []
    for image in draft.get("images", ()):
        path = PureWindowsPath(image) if "\\" in image else PurePosixPath(image)
        names.append(path.name)
    return names


def _ordered_names(record: ListingRecord, images: Sequence[ImageRecord]) -> list[str]:
    uploaded = {image.name for image in images}
    wanted = [name for name in dict.fromkeys(draft_image_names(record.draft)) if name in uploaded]
    return wanted + sorted(uploaded - set(wanted))


def resource(tx: Transaction, record: ListingRecord) -> dict[str, Any]:
    """The listing as the API shows it."""
    return {
        "sku": record.sku,
        "state": record.state,
        "version": record.version,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "draft": record.draft,
        "images": _ordered_names(record, tx.images(record.account, record.sku)),
        "stock": record.stock,
        "price": {"amount": record.price_amount, "currency": record.price_currency},
        "page_url": f"/listings/{record.sku}",
    }


def set_state(record: ListingRecord, state: str, now: str) -> ListingRecord:
    """``record`` in ``state`` (a new version), or as it is when already there."""
    if record.state == state:
        return record
    return attrs.evolve(record, state=state, version=record.version + 1, updated_at=now)


def publish(tx: Transaction, record: ListingRecord, now: str) -> ListingRecord:
    """``record`` made active, once it has every picture its draft names (else a 422)."""
    uploaded = {image.name for image in tx.images(record.account, record.sku)}
    missing = [name for name in draft_image_names(record.draft) if name not in uploaded]
    errors = [(f"images/{name}", "named in the draft but not uploaded") for name in missing]
    if not uploaded:
        errors.insert(0, ("images", "upload at least one picture first"))
    if errors:
        raise ApiError(
            422,
            "not_publishable",
            f"upload the pictures first: PUT /v1/listings/{record.sku}/images/<name>",
            errors=errors,
        )
    return set_state(record, "active", now)
