"""Drafts and pictures for the publishing tests."""

from __future__ import annotations

import datetime as dt
import functools
import io

import attrs
from PIL import Image

from ruralseller.catalog import load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.listing import (
    ListingDraft,
    ProcessedImage,
    generate_listing,
    get_profile,
    process_image,
)


@functools.cache
def base_draft() -> ListingDraft:
    return generate_listing(load_catalog(sample_path()), "WJ261120A", on=dt.date(2026, 11, 21))


@functools.cache
def picture(colour: tuple[int, int, int] = (30, 28, 30)) -> ProcessedImage:
    buffer = io.BytesIO()
    Image.new("RGB", (1300, 1300), colour).save(buffer, "PNG")
    return process_image(buffer.getvalue(), get_profile("sandbox").images, name="hen.png")


def draft(sku: str, **changes: object) -> ListingDraft:
    return attrs.evolve(base_draft(), sku=sku, **changes)  # type: ignore[arg-type]
