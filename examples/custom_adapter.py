"""A marketplace adapter of your own: the county co-op's shop, which has no idempotency keys.

What it shows: the whole of an adapter for a marketplace ruralseller does not know, the
"Taihe county co-op shop", whose API is as plain as many small shops' are:

* ``POST /products`` makes a new product every time, even for a SKU it already has;
* ``GET /products?sku=…`` finds products by SKU; ``PATCH /products/{id}`` changes one;
* an API key in a header.

The adapter subclasses ruralseller's ``Driver``, which owns the wiring once (the shared HTTP
layer: retries, rate limit, errors, secrets; settings, repr, profile, validate), maps a
``ListingDraft`` onto that API, and uses ``create_once`` so that
when the answer to a create is lost, it looks the SKU up before sending it again: the shop
never gets a duplicate. Then it publishes through the outbox, like any built-in adapter.

To make the example runnable anywhere, a small stand-in for the co-op's server runs inside
it (``httpx.MockTransport``), and it loses the answer to the first create on purpose.

Run it:  python examples/custom_adapter.py [OUTPUT_FOLDER]
To ship an adapter for others, register the class under the entry-point group
``ruralseller.marketplaces`` (see docs/write-an-adapter.md).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import attrs
import httpx

from ruralseller.catalog import Money, load_catalog
from ruralseller.listing import (
    ListingDraft,
    ProcessedImage,
    generate_listing,
    get_profile,
    process_images,
)
from ruralseller.marketplaces import (
    Capabilities,
    Driver,
    ListingState,
    RetryPolicy,
    Secret,
    create_once,
    image_name,
)
from ruralseller.publishing import Outbox, Publisher

CATALOGUE = Path(__file__).resolve().parent / "black-chickens"
API_KEY = "coop-demo-key"  # the stand-in server's key; a real one comes from the shop


# --- the adapter: everything a third party writes ---------------------------------------------


@attrs.frozen(kw_only=True)
class CoopSettings:
    """What the co-op shop needs to know: its address and the API key (never shown)."""

    api_key: Secret = attrs.field(repr=False)
    base_url: str = "https://shop.taihe-coop.example"


class CoopShop(Driver[CoopSettings]):
    """The Taihe county co-op's shop: products by SKU, created without idempotency keys.

    The Driver base owns the wiring (retries, rate budget, transport, timeout, a repr without
    the key, the profile and validate); the adapter is its settings, its auth and its calls.
    """

    name: ClassVar[str] = "coopshop"
    capabilities: ClassVar[Capabilities] = Capabilities(
        image_upload=True, native_idempotency=False, withdraw=True, stock_and_price=True
    )
    settings_class: ClassVar[type[CoopSettings]] = CoopSettings
    # The co-op has no rules of its own: the sandbox profile's limits will do.
    profile_name: ClassVar[str | None] = "sandbox"

    def make_auth(self) -> httpx.Auth:
        """The key in a header; the Driver scrubs it from every error message."""
        return _KeyAuth(self.settings.api_key)

    async def upsert(
        self, draft: ListingDraft, images: Sequence[ProcessedImage] = ()
    ) -> ListingState:
        """Create the product (once) or change it, with its pictures, and put it on sale."""
        body = _product(draft, [image_name(image) for image in images])
        found = await self._find(draft.sku)
        if found is None:
            # No idempotency key: after a lost answer, look the SKU up before a resend.
            found = await create_once(lambda: self._create(body), lambda: self._find(draft.sku))
        else:
            found = await self._patch(found["id"], body)
        await self.upload_images(draft.sku, images)
        return self._state(found)

    async def upload_images(self, sku: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        """Pictures go up under their content name, so a repeat changes nothing."""
        product = await self._find(sku)
        if product is None:
            raise ValueError(f"no product {sku!r} to add pictures to")
        for image in images:
            await self.http.request(
                "PUT",
                f"/products/{product['id']}/pictures/{image_name(image)}",
                idempotent=True,
                content=image.data,
                headers={"Content-Type": image.media_type},
            )
        return tuple(image_name(image) for image in images)

    async def set_stock(self, sku: str, stock: int, price: Money | None = None) -> ListingState:
        """Change the stock (and price) only."""
        product = await self._require(sku)
        change: dict[str, Any] = {"stock": stock}
        if price is not None:
            change["price"] = str(price.amount)
        return self._state(await self._patch(product["id"], change))

    async def withdraw(self, sku: str) -> ListingState:
        """Take the product off sale."""
        product = await self._require(sku)
        return self._state(await self._patch(product["id"], {"on_sale": False}))

    async def fetch(self, sku: str) -> ListingState | None:
        """The product as the shop holds it."""
        product = await self._find(sku)
        return None if product is None else self._state(product)

    # the API calls, each saying whether it is safe to repeat
    async def _find(self, sku: str) -> dict[str, Any] | None:
        response = await self.http.request("GET", "/products", idempotent=True, params={"sku": sku})
        products: list[dict[str, Any]] = response.json()["products"]
        return products[0] if products else None

    async def _require(self, sku: str) -> dict[str, Any]:
        product = await self._find(sku)
        if product is None:
            raise ValueError(f"the co-op shop has no product {sku!r}: publish it first")
        return product

    async def _create(self, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.http.request("POST", "/products", idempotent=False, json=body)
        created: dict[str, Any] = response.json()
        return created

    async def _patch(self, product_id: int, change: dict[str, Any]) -> dict[str, Any]:
        response = await self.http.request(
            "PATCH", f"/products/{product_id}", idempotent=True, json=change
        )
        patched: dict[str, Any] = response.json()
        return patched

    def _state(self, product: dict[str, Any]) -> ListingState:
        return ListingState(
            marketplace=self.name,
            sku=product["sku"],
            state="active" if product["on_sale"] else "withdrawn",
            stock=product["stock"],
            price=Money(Decimal(product["price"]), product["currency"]),
            url=f"https://shop.taihe-coop.example/p/{product['id']}",
            extra={"id": product["id"]},
        )


class _KeyAuth(httpx.Auth):
    def __init__(self, key: Secret) -> None:
        self._key = key

    def auth_flow(self, request: httpx.Request) -> Any:
        request.headers["X-Coop-Key"] = self._key.reveal()
        yield request


def _product(draft: ListingDraft, pictures: list[str]) -> dict[str, Any]:
    """Our draft in the co-op's words: its shop is in Chinese, so the zh-CN text."""
    text = draft.text("zh-CN")
    return {
        "sku": draft.sku,
        "title": text.title,
        "description": text.description,
        "price": str(draft.price.amount),
        "currency": draft.price.currency,
        "stock": draft.stock,
        "pictures": pictures,
        "on_sale": True,
    }


# --- a stand-in for the co-op's server, so the example runs offline --------------------------


class CoopServer:
    """Answers like the co-op's API, and loses the answer to the first create."""

    def __init__(self) -> None:
        self.products: dict[int, dict[str, Any]] = {}
        self.lose_next_create = True

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("X-Coop-Key") != API_KEY:
            return httpx.Response(401, json={"message": "bad key"})
        parts = request.url.path.strip("/").split("/")
        if request.method == "GET":
            sku = request.url.params["sku"]
            found = [p for p in self.products.values() if p["sku"] == sku]
            return httpx.Response(200, json={"products": found})
        if request.method == "POST":
            product = {**json.loads(request.content), "id": len(self.products) + 1}
            self.products[product["id"]] = product  # stored...
            if self.lose_next_create:
                self.lose_next_create = False
                raise httpx.ReadTimeout("the village line dropped", request=request)
            return httpx.Response(201, json=product)
        product = self.products[int(parts[1])]
        if request.method == "PATCH":
            product.update(json.loads(request.content))
        return httpx.Response(200, json=product)


# --- using it ---------------------------------------------------------------------------------


async def publish_to_coop(out: Path) -> CoopServer:
    """Publish the sample farm's listable lots to the co-op through the outbox."""
    catalog = load_catalog(CATALOGUE)
    spec = get_profile("sandbox").images
    items = []
    for lot in ("WJ261123A", "WE261118"):
        draft = generate_listing(catalog, lot, on=dt.date(2026, 11, 23))
        items.append((draft, process_images(draft.images, spec)))
    server = CoopServer()
    shop = CoopShop(
        api_key=API_KEY,
        transport=httpx.MockTransport(server),
        retry=RetryPolicy(base_delay=0.01, max_delay=0.05),
    )
    try:
        report = await Publisher(Outbox(out / "outbox.db"), shop).publish(items)
        for result in report.results:
            print(f"{result.sku}: {result.outcome} {result.url}")
        again = await Publisher(Outbox(out / "outbox.db"), shop).publish(items)
        print(f"Publishing again: {[r.outcome for r in again.results]}")
    finally:
        await shop.aclose()
    return server


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="ruralseller-"))
    out.mkdir(parents=True, exist_ok=True)
    server = asyncio.run(publish_to_coop(out))
    skus = sorted(p["sku"] for p in server.products.values())
    print(f"The co-op shop holds {len(skus)} products: {', '.join(skus)}")
    print(f"(the first create's answer was lost: {not server.lose_next_create})")
    return 0 if len(skus) == len(set(skus)) == 2 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
