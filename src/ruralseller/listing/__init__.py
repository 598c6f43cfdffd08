"""Marketplace-neutral listings: text from templates, marketplace rules, images to spec.

:func:`generate_listing` turns a lot into a :class:`ListingDraft` (text per locale from
sandboxed Jinja2 templates, attributes with units, price, stock, shipping promise,
traceability link, compliance verdict); marketplace profiles say what each platform accepts
and :func:`validate_draft` checks a draft against one; :func:`process_image` brings pictures
to a profile's spec; :func:`render_preview` shows the partner the result.
:func:`prepare_listings` is the one pipeline from lots to drafts, pictures and every problem
for one marketplace that ``ruralseller publish``, :func:`render_listing` and the demo share.
to a profile's spec (:func:`process_images_many` many listings' on every core, each distinct
picture once, with a :class:`PictureCache` across runs); :func:`render_preview` shows the
partner the result.
"""

from ruralseller.listing.draft import (
    Attribute,
    ListingDraft,
    LocalizedText,
    ShippingPromise,
    UnitOfSale,
    Variation,
)
from ruralseller.listing.food_policy import (
    FOOD_POLICIES,
    FoodFinding,
    FoodRule,
    FoodVerdict,
    PolicyStatus,
    check_food_policy,
    with_food_statements,
)
from ruralseller.listing.generate import (
    DEFAULT_LOCALES,
    DEFAULT_PACK_JOURNEY,
    LOCALES,
    TEMPLATE_NAMES,
    generate_listing,
    measure_words,
    template_environment,
)
from ruralseller.listing.images import (
    DEFAULT_MAX_PIXELS,
    OUTPUT_FORMATS,
    SOURCE_FORMATS,
    ImageSpec,
    ProcessedImage,
    picture_key,
    process_image,
    process_images,
    process_images_many,
)
from ruralseller.listing.picture_cache import PIPELINE_VERSION, PictureCache, PictureCacheStats
from ruralseller.listing.prepare import (
    Prepared,
    PreparedLot,
    PrepareProgress,
    prepare_listings,
    profile_locales,
)
from ruralseller.listing.preview import render_preview
from ruralseller.listing.profiles import (
    PROFILES,
    IssueSeverity,
    ListingIssue,
    MarketplaceProfile,
    get_profile,
    shorten_title,
    title_length,
    validate_draft,
)
from ruralseller.listing.render import (
    RenderResult,
    draft_to_data,
    render_listing,
    write_listing,
)
from ruralseller.listing.templates_sandbox import (
    MAX_TEMPLATE_OUTPUT,
    MAX_TEMPLATE_SECONDS,
    LimitedSandbox,
    TemplateFolderLoader,
    render_template,
)

__all__ = [
    "DEFAULT_LOCALES",
    "DEFAULT_MAX_PIXELS",
    "DEFAULT_PACK_JOURNEY",
    "FOOD_POLICIES",
    "LOCALES",
    "MAX_TEMPLATE_OUTPUT",
    "MAX_TEMPLATE_SECONDS",
    "OUTPUT_FORMATS",
    "PIPELINE_VERSION",
    "PROFILES",
    "SOURCE_FORMATS",
    "TEMPLATE_NAMES",
    "Attribute",
    "FoodFinding",
    "FoodRule",
    "FoodVerdict",
    "ImageSpec",
    "IssueSeverity",
    "LimitedSandbox",
    "ListingDraft",
    "ListingIssue",
    "LocalizedText",
    "MarketplaceProfile",
    "PictureCache",
    "PictureCacheStats",
    "PolicyStatus",
    "PrepareProgress",
    "Prepared",
    "PreparedLot",
    "ProcessedImage",
    "RenderResult",
    "ShippingPromise",
    "TemplateFolderLoader",
    "UnitOfSale",
    "Variation",
    "check_food_policy",
    "draft_to_data",
    "generate_listing",
    "get_profile",
    "measure_words",
    "picture_key",
    "prepare_listings",
    "process_image",
    "process_images",
    "process_images_many",
    "profile_locales",
    "render_listing",
    "render_preview",
    "render_template",
    "shorten_title",
    "template_environment",
    "title_length",
    "validate_draft",
    "with_food_statements",
    "write_listing",
]
