"""A third-party adapter, as another company would ship it, for the tests.

VillageMart is an imaginary marketplace whose API has no idempotency keys: ``POST /items``
makes a new item every time, even for a SKU it already has. The adapter is what a third
party writes against ruralseller's public API: the protocol, the shared HTTP layer, and
``create_once`` so that a lost answer never becomes a duplicate listing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal
from typing import Any, ClassVar

import attrs
import httpx

from ruralseller.catalog import Money
from ruralseller.errors import ListingRejectedError
from ruralseller.listing import (
    ListingDraft,
    ListingIssue,
    MarketplaceProfile,
    ProcessedImage,
    get_profile,
    validate_draft,
)
from ruralseller.marketplaces import (
    AsyncMarketplaceHttp,
    Capabilities,
    ListingState,
    RetryPolicy,
    Secret,
    create_once,
    image_name,
)

PROFILE = attrs.evolve(
    get_profile("sandbox"),
    name="villagemart",
    title_max=80,
    source="VillageMart seller API v2 (an imaginary marketplace for the tests)",
)
STATES = {"live": "active", "ended": "withdrawn"}


class VillageMart:
    name: ClassVar[str] = "villagemart"
    capabilities: ClassVar[Capabilities] = Capabilities(
        image_upload=True, native_idempotency=False, withdraw=True, stock_and_price=True
    )

    def __init__(
        self,
        base_url: str = "https://api.villagemart.test",
        *,
        token: str = "vm-token",  # noqa: S107 - the fake API's test token
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        token_secret = Secret(token)
        self.http = AsyncMarketplaceHttp(
            self.name,
            base_url,
            auth=_Bearer(token_secret),
            secrets=[token_secret],
            transport=transport,
            retry=RetryPolicy(max_attempts=6, base_delay=0.01, max_delay=0.05),
            sleep=sleep,
        )

    def __repr__(self) -> str:
        return "VillageMart()"

    @property
    def profile(self) -> MarketplaceProfile:
        return PROFILE

    async def validate(self, draft: ListingDraft) -> tuple[ListingIssue, ...]:
        return validate_draft(draft, PROFILE, locale="en")

    async def upsert(
        self, draft: ListingDraft, images: Sequence[ProcessedImage] = ()
    ) -> ListingState:
        body = {
            "sku": draft.sku,
            "title": draft.text("en").title,
            "price": str(draft.price.amount),
            "currency": draft.price.currency,
            "stock": draft.stock,
        }
        found = await self._find(draft.sku)
        if found is None:

            async def create() -> dict[str, Any]:
                response = await self.http.request("POST", "/items", idempotent=False, json=body)
                return dict(response.json())

            found = await create_once(create, lambda: self._find(draft.sku))
        else:
            response = await self.http.request(
                "PATCH", f"/items/{found['id']}", idempotent=True, json={**body, "status": "live"}
            )
            found = response.json()
        await self._upload(found["id"], images)
        state = await self.fetch(draft.sku)
        assert state is not None
        return state

    async def upload_images(self, sku: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        found = await self._find(sku)
        if found is None:
            raise ListingRejectedError(f"villagemart has no listing {sku!r} to add pictures to")
        return await self._upload(found["id"], images)

    async def _upload(self, item_id: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        for image in images:
            await self.http.request(
                "PUT",
                f"/items/{item_id}/pictures/{image_name(image)}",
                idempotent=True,
                content=image.data,
            )
        return tuple(image_name(image) for image in images)

    async def set_stock(self, sku: str, stock: int, price: Money | None = None) -> ListingState:
        found = await self._require(sku)
        body: dict[str, Any] = {"stock": stock}
        if price is not None:
            body |= {"price": str(price.amount), "currency": price.currency}
        response = await self.http.request(
            "PATCH", f"/items/{found['id']}", idempotent=True, json=body
        )
        return self._state(response.json())

    async def withdraw(self, sku: str) -> ListingState:
        found = await self._require(sku)
        response = await self.http.request(
            "PATCH", f"/items/{found['id']}", idempotent=True, json={"status": "ended"}
        )
        return self._state(response.json())

    async def fetch(self, sku: str) -> ListingState | None:
        found = await self._find(sku)
        return None if found is None else self._state(found)

    async def aclose(self) -> None:
        await self.http.aclose()

    async def _find(self, sku: str) -> dict[str, Any] | None:
        response = await self.http.request("GET", "/items", idempotent=True, params={"sku": sku})
        items = response.json()["items"]
        return dict(items[0]) if items else None

    async def _require(self, sku: str) -> dict[str, Any]:
        found = await self._find(sku)
        if found is None:
            raise ListingRejectedError(f"villagemart has no listing {sku!r}", marketplace=self.name)
        return found

    def _state(self, item: dict[str, Any]) -> ListingState:
        return ListingState(
            marketplace=self.name,
            sku=item["sku"],
            state=STATES[item["status"]],
            version=str(item["revision"]),
            stock=item["stock"],
            price=Money(Decimal(item["price"]), item["currency"]),
            images=tuple(item["pictures"]),
            extra={"id": item["id"]},
        )


class _Bearer(httpx.Auth):
    def __init__(self, token: Secret) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Any:
        request.headers["Authorization"] = f"Bearer {self._token.reveal()}"
        yield request
