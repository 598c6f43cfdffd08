"""What is sent to Shopify, as pure functions of a draft."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from ruralseller.listing import (
    ListingDraft,
    LocalizedText,
    ProcessedImage,
)
from ruralseller.marketplaces.base import image_name
from ruralseller.marketplaces.shopify.constants import (
    _HANDLE_UNSAFE,
    _OPTION_NAME,
    _OPTION_VALUE,
)

__all__ = [
    "file_inputs",
    "inventory_set_input",
    "product_handle",
    "product_set_input",
    "sku_search_query",
    "staged_upload_input",
]

# --- the mapping: what is sent, as plain functions ------------------------------------------


def product_handle(sku: str) -> str:
    """The product handle a new listing gets: the SKU as Shopify writes handles.

    Handles are lower-case letters, digits and hyphens; when writing the SKU so changes it
    (upper case, other characters), a short hash of the exact SKU follows, so two SKUs that
    differ only in case never share a product. The handle is the upsert key of a new product:
    a ``productSet`` repeated after a lost answer finds the product by it.

    >>> product_handle("hen-2026-11")
    'hen-2026-11'
    >>> product_handle("WJ261120A")
    'wj261120a-4bad7bc7'
    """
    slug = _HANDLE_UNSAFE.sub("-", sku.lower()).strip("-") or "listing"
    if slug == sku:
        return slug
    return f"{slug}-{hashlib.sha256(sku.encode()).hexdigest()[:8]}"


def sku_search_query(sku: str) -> str:
    r"""The search query that finds a variant by SKU (Shopify search syntax, value quoted).

    >>> sku_search_query('HEN "1"')
    'sku:"HEN \\"1\\""'
    """
    escaped = sku.replace("\\", "\\\\").replace('"', '\\"')
    return f'sku:"{escaped}"'


def staged_upload_input(image: ProcessedImage) -> dict[str, Any]:
    """The ``StagedUploadInput`` asking Shopify where to upload one picture.

    ``POST`` targets take the bytes as a multipart form after the target's parameters
    (shopify.dev stagedUploadsCreate).

    >>> from ruralseller.listing import ProcessedImage
    >>> picture = ProcessedImage(data=b"...", format="JPEG", width=1, height=1,
    ...     sha256="0123456789abcdef" * 4, source="hen.jpg", quality=85, steps=())
    >>> staged_upload_input(picture)
    {'filename': '0123456789abcdef.jpg', 'mimeType': 'image/jpeg', 'httpMethod': 'POST', \
'resource': 'IMAGE', 'fileSize': '3'}
    """
    return {
        "filename": image_name(image),
        "mimeType": image.media_type,
        "httpMethod": "POST",
        "resource": "IMAGE",
        "fileSize": str(len(image.data)),
    }


def file_inputs(
    images: Sequence[ProcessedImage],
    *,
    existing: Mapping[str, str],
    uploaded: Mapping[str, str],
    alt: str,
) -> list[dict[str, Any]]:
    """The ``files`` of a ``productSet``, in the draft's order.

    Pictures the product already has go by media id, new ones by the staged upload's
    ``resourceUrl``. ``productSet`` replaces the whole list, so a picture left out is removed
    from the product.

    Args:
        images: the pictures, main picture first.
        existing: media id by picture name, for pictures the product already has.
        uploaded: staged ``resourceUrl`` by picture name, for pictures just uploaded.
        alt: the alt text for new pictures (the title: screen readers read it).
    """
    files: list[dict[str, Any]] = []
    for image in images:
        name = image_name(image)
        if name in existing:
            files.append({"id": existing[name]})
        else:
            files.append(
                {
                    "originalSource": uploaded[name],
                    "contentType": "IMAGE",
                    "alt": alt,
                    "filename": name,
                }
            )
    return files


def product_set_input(  # noqa: PLR0913 - keyword-only, each a plain value
    draft: ListingDraft,
    *,
    text: LocalizedText,
    location_id: str,
    files: Sequence[Mapping[str, Any]] | None = None,
    variant_id: str | None = None,
    handle: str | None = None,
    vendor: str | None = None,
) -> dict[str, Any]:
    """The ``ProductSetInput`` for a draft: one product, one variant with our SKU, active.

    The variant's price is the price of one sale unit; the packed weight of one unit
    (``draft.shipping_weight``), when known, is its inventory item's weight, which Shopify's
    shipping rates use.

    Args:
        draft: the listing draft.
        text: the draft's text in the shop's language (Shopify keeps one per product).
        location_id: the location whose ``available`` quantity is the draft's stock.
        files: the pictures (:func:`file_inputs`); ``None`` leaves the product's pictures
            as they are.
        variant_id: the variant to update, when the product exists (so it keeps its
            inventory item); ``None`` makes the variant anew.
        handle: the handle of a new product (:func:`product_handle`); ``None`` for an
            existing product, whose handle the merchant may have changed.
        vendor: the vendor; by default the draft's ``producer`` attribute.

    Example:
        >>> import datetime as dt
        >>> from ruralseller.catalog import load_catalog
        >>> from ruralseller.catalog.samples import sample_path
        >>> from ruralseller.listing import generate_listing
        >>> draft = generate_listing(load_catalog(sample_path()), "WJ261120A",
        ...                          on=dt.date(2026, 11, 21))
        >>> data = product_set_input(draft, text=draft.text("en"),
        ...                          location_id="gid://shopify/Location/1")
        >>> data["title"], data["status"], data["vendor"], data["productType"]
        ('Taihe black-bone silkie chicken, whole, chilled, 1-1.4 kg each, from Jiangxi', \
'ACTIVE', '吴家乌鸡养殖场', 'Poultry meat')
        >>> data["variants"][0]["sku"], data["variants"][0]["price"]  # 36.00 CNY/jin x 2.8 jin
        ('WJ261120A', '100.80')
        >>> data["variants"][0]["inventoryQuantities"]
        [{'locationId': 'gid://shopify/Location/1', 'name': 'available', 'quantity': 40}]
    """
    producer = text.attribute("producer")
    variant: dict[str, Any] = {
        "optionValues": [{"optionName": _OPTION_NAME, "name": _OPTION_VALUE}],
        "sku": draft.sku,
        "price": str(draft.price.amount),
        "inventoryItem": _inventory_item(draft),
        "inventoryPolicy": "DENY",
        "inventoryQuantities": [
            {"locationId": location_id, "name": "available", "quantity": draft.stock}
        ],
    }
    if draft.gtin:
        variant["barcode"] = draft.gtin
    if variant_id:
        variant["id"] = variant_id
    data: dict[str, Any] = {
        "title": text.title,
        "descriptionHtml": text.description_html,
        "productType": draft.kind.replace("_", " ").capitalize(),
        "status": "ACTIVE",
        "tags": ["ruralseller", draft.kind],
        "productOptions": [{"name": _OPTION_NAME, "values": [{"name": _OPTION_VALUE}]}],
        "variants": [variant],
    }
    if vendor or producer:
        data["vendor"] = vendor or (producer.value if producer else "")
    if handle:
        data["handle"] = handle
    if files is not None:
        data["files"] = [dict(item) for item in files]
    return data


def _inventory_item(draft: ListingDraft) -> dict[str, Any]:
    item: dict[str, Any] = {"tracked": True, "requiresShipping": True}
    if draft.shipping_weight is not None:
        grams = draft.shipping_weight.grams
        item["measurement"] = {
            "weight": {"value": float(grams.numerator) / grams.denominator, "unit": "GRAMS"}
        }
    return item


def inventory_set_input(inventory_item_id: str, location_id: str, stock: int) -> dict[str, Any]:
    """The ``InventorySetQuantitiesInput`` that sets the ``available`` stock, absolutely.

    ``changeFromQuantity: null`` skips the compare-and-swap check, "appropriate when your
    system is the source of truth for inventory" (InventoryQuantityInput, 2026-01); the
    catalogue is. ``ignoreCompareQuantity``, the old way, was removed in 2026-04.

    >>> inventory_set_input("gid://shopify/InventoryItem/7", "gid://shopify/Location/1", 5)
    {'name': 'available', 'reason': 'correction', \
'quantities': [{'inventoryItemId': 'gid://shopify/InventoryItem/7', \
'locationId': 'gid://shopify/Location/1', 'quantity': 5, 'changeFromQuantity': None}]}
    """
    return {
        "name": "available",
        "reason": "correction",
        "quantities": [
            {
                "inventoryItemId": inventory_item_id,
                "locationId": location_id,
                "quantity": stock,
                "changeFromQuantity": None,
            }
        ],
    }
