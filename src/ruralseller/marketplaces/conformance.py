"""The conformance tests every marketplace adapter passes, ours and third parties'.

Subclass :class:`MarketplaceConformance` in a pytest test module and say how to make your
adapter; pytest collects the inherited tests (fsspec's shared abstract tests are the model)::

    from ruralseller.marketplaces.conformance import MarketplaceConformance

    class TestVillageMart(MarketplaceConformance):
        def make_marketplace(self):
            return VillageMart(base_url=..., api_key=...)

The tests publish real listings (with unique SKUs) to whatever the adapter talks to, so point
it at a test account or a local server. They need pytest and Pillow, which tests have anyway.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import io
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import attrs
import pytest
from PIL import Image

from ruralseller.catalog import Money, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.errors import ListingRejectedError
from ruralseller.listing import (
    ImageSpec,
    IssueSeverity,
    ListingDraft,
    ProcessedImage,
    generate_listing,
    process_image,
)
from ruralseller.marketplaces.base import Capabilities, ListingState, Marketplace, SyncMarketplace

__all__ = ["MarketplaceConformance"]

T = TypeVar("T")


@functools.cache
def _sample_draft() -> ListingDraft:
    catalog = load_catalog(sample_path())
    return generate_listing(catalog, "WJ261120A", on=dt.date(2026, 11, 21))


@functools.cache
def _pictures(spec: ImageSpec) -> tuple[ProcessedImage, ...]:
    images = []
    for colour in ((40, 30, 30), (200, 180, 150)):
        buffer = io.BytesIO()
        Image.new("RGB", (1600, 1600), colour).save(buffer, "PNG")
        images.append(process_image(buffer.getvalue(), spec, name=f"hen-{colour[0]}.png"))
    return tuple(images)


class MarketplaceConformance:
    """The shared tests; subclass it and implement :meth:`make_marketplace`.

    Override :meth:`make_draft` when the default draft (a black-bone chicken lot from the
    bundled sample, in Chinese and English, priced in CNY) does not suit the marketplace.
    """

    def make_marketplace(self) -> Marketplace:
        """A fresh adapter for the marketplace under test."""
        raise NotImplementedError("subclasses say how to make their marketplace adapter")

    def make_draft(self, sku: str) -> ListingDraft:
        """A valid listing draft for this marketplace, under ``sku``."""
        draft = generate_listing(load_catalog(sample_path()), "WJ261120A", on=dt.date(2026, 11, 21))
        return attrs.evolve(draft, sku=sku, stock=12)

    def make_images(self, marketplace: Marketplace) -> list[ProcessedImage]:
        """Two pictures made to the marketplace's image spec."""
        images = []
        for colour in ((40, 30, 30), (200, 180, 150)):
            buffer = io.BytesIO()
            Image.new("RGB", (1600, 1600), colour).save(buffer, "PNG")
            spec = marketplace.profile.images
            images.append(process_image(buffer.getvalue(), spec, name=f"hen-{colour[0]}.png"))
        return images

    # --- helpers ---------------------------------------------------------------------------

    def new_sku(self) -> str:
        """A SKU no earlier run has used."""
        return f"CONF-{uuid.uuid4().hex[:12].upper()}"

    def run(self, work: Callable[[Marketplace], Awaitable[T]]) -> T:
        """Run ``work`` with a fresh adapter on a fresh event loop, closing the adapter after."""

        async def main() -> T:
            marketplace = self.make_marketplace()
            try:
                return await work(marketplace)
            finally:
                await marketplace.aclose()

        return asyncio.run(main())

    # --- the tests -------------------------------------------------------------------------

    def test_declares_itself(self) -> None:
        """It has a name, capabilities and a listing profile."""
        marketplace = self.make_marketplace()
        try:
            assert isinstance(marketplace, Marketplace)
            assert marketplace.name
            assert isinstance(marketplace.capabilities, Capabilities)
            assert marketplace.profile.name
        finally:
            asyncio.run(marketplace.aclose())

    def test_upsert_publishes_and_fetch_reads_it_back(self) -> None:
        """A new listing is published with its stock, price and pictures."""
        sku = self.new_sku()

        async def work(m: Marketplace) -> tuple[ListingState, ListingState | None, int]:
            images = self.make_images(m)
            written = await m.upsert(self.make_draft(sku), images)
            return written, await m.fetch(sku), len(images)

        written, fetched, image_count = self.run(work)
        assert written.sku == sku
        assert written.active
        assert fetched is not None
        assert fetched.sku == sku
        assert fetched.active
        assert fetched.stock == 12
        assert fetched.price == self.make_draft(sku).price
        assert len(fetched.images) == image_count

    def test_upsert_again_updates_the_same_listing(self) -> None:
        """Sending the same SKU again never makes a second listing."""
        sku = self.new_sku()

        async def work(m: Marketplace) -> tuple[ListingState, ListingState, ListingState | None]:
            images = self.make_images(m)
            draft = self.make_draft(sku)
            first = await m.upsert(draft, images)
            again = await m.upsert(draft, images)
            await m.upsert(attrs.evolve(draft, stock=3), images)
            return first, again, await m.fetch(sku)

        first, again, changed = self.run(work)
        assert first.sku == again.sku == sku
        assert again.active
        assert changed is not None
        assert changed.stock == 3

    def test_fetch_of_an_unknown_sku_is_none(self) -> None:
        """Asking for a listing that does not exist is not an error."""
        assert self.run(lambda m: m.fetch(self.new_sku())) is None

    def test_set_stock_and_price(self) -> None:
        """Stock and price change without resending the listing."""
        sku = self.new_sku()

        draft = self.make_draft(sku)
        new_price = Money("39.50", draft.price.currency)

        async def work(m: Marketplace) -> ListingState | None:
            if not m.capabilities.stock_and_price:
                pytest.skip("the marketplace changes stock only with the listing")
            await m.upsert(draft, self.make_images(m))
            await m.set_stock(sku, 0, new_price)
            return await m.fetch(sku)

        state = self.run(work)
        assert state is not None
        assert state.stock == 0
        assert state.price == new_price

    def test_withdraw(self) -> None:
        """A withdrawn listing is no longer on sale; withdrawing again changes nothing."""
        sku = self.new_sku()

        async def work(m: Marketplace) -> tuple[ListingState, ListingState]:
            if not m.capabilities.withdraw:
                pytest.skip("the marketplace cannot withdraw a listing")
            await m.upsert(self.make_draft(sku), self.make_images(m))
            return await m.withdraw(sku), await m.withdraw(sku)

        first, second = self.run(work)
        assert not first.active
        assert not second.active
        assert second.state == first.state

    def test_an_invalid_listing_is_rejected_with_the_field(self) -> None:
        """A title over the limit is found by validate() and refused by the marketplace."""
        sku = self.new_sku()

        async def work(m: Marketplace) -> tuple[tuple[str, ...], ListingRejectedError]:
            draft = self.make_draft(sku)
            limit = m.profile.title_max
            texts = {
                locale: attrs.evolve(text, title="乌" * (limit + 1))
                for locale, text in draft.texts.items()
            }
            bad = attrs.evolve(draft, texts=texts)
            fields = tuple(
                issue.field
                for issue in await m.validate(bad)
                if issue.severity is IssueSeverity.ERROR
            )
            with pytest.raises(ListingRejectedError) as caught:
                await m.upsert(bad, self.make_images(m))
            return fields, caught.value

        fields, error = self.run(work)
        assert any("title" in field for field in fields), fields
        assert any("title" in field for field in error.field_errors), error.field_errors
        assert "title" in str(error)

    def test_the_sync_facade_mirrors_the_adapter(self) -> None:
        """Scripts get the same methods without ``async``."""
        sku = self.new_sku()
        with SyncMarketplace(self.make_marketplace()) as sync:
            state = sync.upsert(self.make_draft(sku), self.make_images(sync.marketplace))
            assert state.active
            fetched = sync.fetch(sku)
            assert fetched is not None
            assert fetched.sku == sku
