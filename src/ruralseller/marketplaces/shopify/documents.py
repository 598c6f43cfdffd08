"""The GraphQL documents the Shopify adapter sends."""

from __future__ import annotations

from urllib.parse import urlsplit

from ruralseller.marketplaces.shopify.constants import (
    MEDIA_PAGE,
)

__all__ = []

# --- the GraphQL documents ------------------------------------------------------------------

_PRODUCT_FIELDS = f"""
fragment ListingProduct on Product {{
  id handle status updatedAt onlineStoreUrl
  resourcePublicationsCount(onlyPublished: true) {{ count }}
  variants(first: 1) {{
    nodes {{ id sku price inventoryQuantity inventoryItem {{ id }} }}
  }}
  media(first: {MEDIA_PAGE}) {{
    nodes {{ id alt mediaContentType ... on MediaImage {{ image {{ url }} }} }}
  }}
}}
"""

_SHOP_CONTEXT = """
query ShopContext {
  shop { currencyCode }
  locations(first: 1) { nodes { id name } }
}
"""

_PRODUCT_BY_SKU = """
query ProductBySku($query: String!) {
  productVariants(first: 3, query: $query) { nodes { id sku product { id } } }
}
"""

_PRODUCT_BY_IDENTIFIER = (
    """
query ProductByIdentifier($identifier: ProductIdentifierInput!) {
  productByIdentifier(identifier: $identifier) { ...ListingProduct }
}
"""
    + _PRODUCT_FIELDS
)

_PRODUCT_SET = (
    """
mutation ProductSet($identifier: ProductSetIdentifiers, $input: ProductSetInput!,
                    $synchronous: Boolean!) {
  productSet(identifier: $identifier, input: $input, synchronous: $synchronous) {
    product { ...ListingProduct }
    userErrors { field message code }
  }
}
"""
    + _PRODUCT_FIELDS
)

_STAGED_UPLOADS = """
mutation StagedUploads($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) {
    stagedTargets { url resourceUrl parameters { name value } }
    userErrors { field message }
  }
}
"""

_INVENTORY_SET = """
mutation InventorySet($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
    inventoryAdjustmentGroup { reason }
    userErrors { field message code }
  }
}
"""

_VARIANT_PRICE = """
mutation VariantPrice($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants) {
    productVariants { id price }
    userErrors { field message code }
  }
}
"""

_PRODUCT_STATUS = (
    """
mutation ProductStatus($product: ProductUpdateInput!) {
  productUpdate(product: $product) {
    product { ...ListingProduct }
    userErrors { field message }
  }
}
"""
    + _PRODUCT_FIELDS
)

_PUBLICATIONS = """
query Publications {
  publications(first: 20) { nodes { id catalog { title } } }
}
"""

_PUBLISH = """
mutation Publish($id: ID!, $input: [PublicationInput!]!) {
  publishablePublish(id: $id, input: $input) {
    userErrors { field message }
  }
}
"""


def _shop_domain(shop: str) -> str:
    host = shop.strip().lower()
    if "://" in host:
        host = urlsplit(host).hostname or ""
    host = host.strip("/")
    if not host:
        raise ValueError("a Shopify shop needs its name, like 'village-hens'")
    return host if "." in host else f"{host}.myshopify.com"


def _picture_name(url: str) -> str:
    return url.split("?", 1)[0].rsplit("/", 1)[-1]
