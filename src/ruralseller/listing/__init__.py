"""Marketplace-neutral listings: text from templates, marketplace rules, images to spec.

:func:`generate_listing` turns a lot into a :class:`ListingDraft` (text per locale from
sandboxed Jinja2 templates, attributes with units, price, stock, shipping promise,
traceability link, compliance verdict); marketplace profiles say what each platform accepts
and :func:`validate_draft` checks a draft against one; :func:`process_image` brings pictures
to a profile's spec; :func:`render_preview` shows the partner the result.
"""

from ruralseller.listing.draft import Attribute, ListingDraft, LocalizedText, ShippingPromise
from ruralseller.listing.generate import (
    DEFAULT_LOCALES,
    TEMPLATE_NAMES,
    generate_listing,
    template_environment,
)
from ruralseller.listing.preview import render_preview

__all__ = [
    "DEFAULT_LOCALES",
    "TEMPLATE_NAMES",
    "Attribute",
    "ListingDraft",
    "LocalizedText",
    "ShippingPromise",
    "generate_listing",
    "render_preview",
    "template_environment",
]
