"""What is sent to Etsy, as pure functions of a draft."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ruralseller.catalog import Money
from ruralseller.errors import (
    InvalidValueError,
)
from ruralseller.listing import (
    ListingDraft,
    LocalizedText,
)
from ruralseller.marketplaces.etsy.settings import (
    _TAG_BAD,
    _TAG_MAX,
    WHEN_MADE,
    WHO_MADE,
)

__all__ = [
    "create_listing_form",
    "inventory_payload",
    "sku_tag",
    "update_listing_form",
]

# --- mapping: what is sent, as pure functions ------------------------------------------------


def sku_tag(sku: str) -> str:
    """The tag that marks a listing as ours: the SKU itself, when it can be an Etsy tag.

    Etsy cannot find a listing by SKU, and a create whose answer was lost has not had its
    inventory SKU set yet; the tag is what :meth:`EtsyMarketplace.fetch` and the lookup after
    a lost create search for.

    >>> sku_tag("WJ261120A")
    'WJ261120A'
    >>> sku_tag("WJ_26/11")
    Traceback (most recent call last):
    ...
    ruralseller.errors.InvalidValueError: the SKU 'WJ_26/11' cannot be an Etsy tag, ...

    Raises:
        InvalidValueError: when the SKU has characters a tag cannot hold, or is too long.
    """
    if not sku.strip() or len(sku) > _TAG_MAX or _TAG_BAD.search(sku):
        raise InvalidValueError(
            f"the SKU {sku!r} cannot be an Etsy tag, which is how ruralseller finds its "
            f"listings there (at most {_TAG_MAX} letters, digits, spaces, - and ')",
            field="sku",
            hint="use lot codes of letters, digits and hyphens, e.g. WJ261120A",
        )
    return sku


def _english(draft: ListingDraft) -> LocalizedText:
    try:
        return draft.text("en")
    except KeyError as error:
        raise InvalidValueError(
            f"the draft {draft.sku!r} has no English text; Etsy listings are written in "
            f"English (the draft has {', '.join(draft.texts) or 'no text'})",
            field="texts",
            hint="generate the listing with the 'en' locale",
        ) from error


def _choice(draft: ListingDraft, key: str, allowed: Sequence[str], default: str) -> str:
    value = str(_extra(draft).get(key, default))
    if value not in allowed:
        raise InvalidValueError(
            f"Etsy's {key} is {value!r}, not one of {', '.join(allowed)}",
            field=f"extra[etsy].{key}",
            hint=f"set draft.extra['etsy']['{key}'] to one of them",
        )
    return value


def _extra(draft: ListingDraft) -> Mapping[str, Any]:
    extra = draft.extra.get("etsy", {})
    return extra if isinstance(extra, Mapping) else {}


def _amount(money: Money) -> str:
    return str(money.rounded().amount)


def _who_when(draft: ListingDraft) -> dict[str, str]:
    # who_made, when_made and is_supply go together or not at all: with only some of them
    # Etsy fails with "images: array_too_short" (etsy/open-api#472, #511).
    return {
        "who_made": _choice(draft, "who_made", WHO_MADE, "i_did"),
        "when_made": _choice(draft, "when_made", WHEN_MADE, "made_to_order"),
        "is_supply": "true" if _extra(draft).get("is_supply") else "false",
    }


def create_listing_form(
    draft: ListingDraft,
    *,
    taxonomy_id: int,
    shipping_profile_id: int | None = None,
    readiness_state_id: int | None = None,
) -> dict[str, str]:
    """The form fields of ``createDraftListing`` for ``draft``.

    The English text gives the title and the plain-text description; the price is the price
    of one sale unit in the shop's currency (Etsy takes no currency here); our SKU is the
    listing's one tag (:func:`sku_tag`). ``who_made`` (default ``i_did``), ``when_made``
    (default ``made_to_order``) and ``is_supply`` (default false) come from
    ``draft.extra["etsy"]``. The packed weight of one unit (``draft.shipping_weight``), when
    known, is the listing's ``item_weight`` in grams, which calculated shipping uses.

    Args:
        draft: the listing draft.
        taxonomy_id: Etsy's category (seller taxonomy) id; ``draft.extra["etsy"]["taxonomy_id"]``
            wins when set.
        shipping_profile_id: the shop's shipping profile ("Required when listing type is
            ``physical``", createDraftListing).
        readiness_state_id: the shop's processing profile ("ready to ship in N days").

    Returns:
        The form, every value as text, in the order it is sent.

    Example:
        >>> import datetime as dt, attrs
        >>> from ruralseller.catalog import Money, load_catalog
        >>> from ruralseller.catalog.samples import sample_path
        >>> from ruralseller.listing import generate_listing
        >>> draft = generate_listing(load_catalog(sample_path()), "WJ261120A",
        ...                          on=dt.date(2026, 11, 21))
        >>> form = create_listing_form(attrs.evolve(draft, price=Money("5.20", "USD")),
        ...                            taxonomy_id=1047, shipping_profile_id=555)
        >>> form["price"], form["quantity"], form["tags"], form["who_made"], form["is_supply"]
        ('5.20', '40', 'WJ261120A', 'i_did', 'false')
    """
    text = _english(draft)
    form = {
        "quantity": str(draft.stock),
        "title": text.title,
        "description": text.description,
        "price": _amount(draft.price),
        **_who_when(draft),
        "taxonomy_id": str(int(_extra(draft).get("taxonomy_id", taxonomy_id))),
        "type": "physical",
        "tags": sku_tag(draft.sku),
    }
    if shipping_profile_id is not None:
        form["shipping_profile_id"] = str(shipping_profile_id)
    if readiness_state_id is not None:
        form["readiness_state_id"] = str(readiness_state_id)
    form.update(_weight_form(draft))
    return form


def _weight_form(draft: ListingDraft) -> dict[str, str]:
    if draft.shipping_weight is None:
        return {}
    grams = draft.shipping_weight.grams
    return {
        "item_weight": format(Decimal(grams.numerator) / Decimal(grams.denominator), "f"),
        "item_weight_unit": "g",
    }


def update_listing_form(
    draft: ListingDraft, *, taxonomy_id: int, shipping_profile_id: int | None = None
) -> dict[str, str]:
    """The form fields of ``updateListing`` that bring an existing listing up to ``draft``.

    Stock and price are not here: they go to the inventory (:func:`inventory_payload`).

    >>> import datetime as dt
    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> from ruralseller.listing import generate_listing
    >>> draft = generate_listing(load_catalog(sample_path()), "WJ261120A",
    ...                          on=dt.date(2026, 11, 21))
    >>> form = update_listing_form(draft, taxonomy_id=1047)
    >>> sorted(form)  # the weight is the sample's pack plan: one bird in a foam box with ice
    ['description', 'item_weight', 'item_weight_unit', 'tags', 'taxonomy_id', 'title']
    >>> form["item_weight"], form["item_weight_unit"]
    ('7000', 'g')
    """
    text = _english(draft)
    form = {
        "title": text.title,
        "description": text.description,
        "taxonomy_id": str(int(_extra(draft).get("taxonomy_id", taxonomy_id))),
        "tags": sku_tag(draft.sku),
    }
    if shipping_profile_id is not None:
        form["shipping_profile_id"] = str(shipping_profile_id)
    form.update(_weight_form(draft))
    return form


def inventory_payload(
    sku: str, stock: int, price: Money, *, readiness_state_id: int
) -> dict[str, Any]:
    """The JSON body of ``updateListingInventory``: one product with our SKU, one offering.

    Each offering carries the shop's processing profile (``readiness_state_id``, required
    there by today's description).

    >>> inventory_payload("WJ261120A", 12, Money("5.20", "USD"), readiness_state_id=7)
    {'products': [{'sku': 'WJ261120A', 'property_values': [], 'offerings': [{'price': 5.2, \
'quantity': 12, 'is_enabled': True, 'readiness_state_id': 7}]}]}
    """
    # The spec types the offering price as a JSON number (updateListingInventory); two
    # decimals survive the round trip through a float exactly enough for Etsy's cents.
    return {
        "products": [
            {
                "sku": sku,
                "property_values": [],
                "offerings": [
                    {
                        "price": float(price.rounded().amount),
                        "quantity": stock,
                        "is_enabled": True,
                        "readiness_state_id": readiness_state_id,
                    }
                ],
            }
        ]
    }
