"""Everything a partner checks before publishing a lot on one marketplace, written to a folder.

Example:
    >>> import datetime as dt, pathlib, tempfile
    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> result = render_listing(
    ...     load_catalog(sample_path()), "WJ261120A", folder, on=dt.date(2026, 11, 21)
    ... )
    >>> result.valid, sorted(p.name for p in result.folder.iterdir())
    (True, ['draft.json', 'images', 'preview.html'])
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs

from ruralseller.catalog import Catalog, Money, converter
from ruralseller.listing.draft import ListingDraft
from ruralseller.listing.generate import DEFAULT_LOCALES, LOCALES, generate_listing
from ruralseller.listing.images import ProcessedImage, process_images
from ruralseller.listing.preview import render_preview
from ruralseller.listing.profiles import (
    IssueSeverity,
    ListingIssue,
    MarketplaceProfile,
    get_profile,
    validate_draft,
)

__all__ = ["RenderResult", "draft_to_data", "profile_locales", "render_listing"]


@attrs.frozen(kw_only=True)
class RenderResult:
    """What :func:`render_listing` made.

    Attributes:
        draft: the listing draft.
        images: the pictures processed to the marketplace's spec.
        issues: what the marketplace profile found wrong (empty when valid).
        folder: the folder written.
    """

    draft: ListingDraft
    images: tuple[ProcessedImage, ...]
    issues: tuple[ListingIssue, ...]
    folder: Path

    @property
    def valid(self) -> bool:
        """Whether the draft has no errors for the marketplace (warnings allowed)."""
        return not any(issue.severity is IssueSeverity.ERROR for issue in self.issues)


def draft_to_data(draft: ListingDraft) -> dict[str, Any]:
    """The draft as plain JSON-ready data."""
    data: dict[str, Any] = converter("json").unstructure(draft)
    return data


def render_listing(  # noqa: PLR0913 - everything after the folder is keyword-only
    catalog: Catalog,
    lot_id: str,
    folder: str | os.PathLike[str],
    *,
    marketplace: str = "sandbox",
    locales: Sequence[str] | None = None,
    templates: str | os.PathLike[str] | None = None,
    price: Money | None = None,
    on: dt.date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> RenderResult:
    """Generate, check and write a lot's listing for one marketplace.

    ``price`` overrides the offer's price, e.g. in the currency of a marketplace abroad.
    Writes ``draft.json`` (the draft, with ``unit``, ``unit_price`` and ``shipping_weight``),
    ``images/`` (the pictures processed to the marketplace's image
    spec, named by content hash) and ``preview.html`` into ``folder``. The folder is filled
    beside it first and swapped in at the end, so an interrupted run never leaves half a
    listing behind; an existing folder's earlier output is replaced.

    Raises:
        InvalidValueError: for an unknown marketplace, a lot not on offer, a broken partner
            template, or a damaged picture (naming the file).
    """
    profile = get_profile(marketplace)
    chosen = tuple(locales) if locales else profile_locales(profile)
    draft = generate_listing(
        catalog, lot_id, locales=chosen, templates=templates, price=price, on=on
    )
    images = process_images(draft.images, profile.images, progress=progress)
    issues = tuple(
        issue for locale in draft.locales for issue in validate_draft(draft, profile, locale=locale)
    )
    issues = tuple(dict.fromkeys(issues))
    target = Path(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        (staging / "images").mkdir()
        for image in images:
            (staging / "images" / f"{image.sha256[:16]}{image.extension}").write_bytes(image.data)
        data = draft_to_data(draft)
        # The price of one unit as money text, beside ``unit`` (what one unit is, its
        # measure words) and ``shipping_weight`` (its packed weight, e.g. "1.9 kg").
        data["unit_price"] = str(draft.price)
        data["marketplace"] = profile.name
        data["issues"] = [
            {"field": i.field, "message": i.message, "fix": i.fix, "severity": i.severity.value}
            for i in issues
        ]
        (staging / "draft.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        page = render_preview(
            draft,
            images=[(image.data, image.media_type) for image in images],
            issues=[(i.severity.value, i.field, f"{i.message} ({i.fix})") for i in issues],
            title=f"{draft.sku} on {profile.name}",
        )
        (staging / "preview.html").write_text(page, encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staging.replace(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return RenderResult(draft=draft, images=images, issues=issues, folder=target)


def profile_locales(profile: MarketplaceProfile) -> tuple[str, ...]:
    """The locales to write for a marketplace when none are asked for.

    >>> from ruralseller.listing import get_profile
    >>> profile_locales(get_profile("sandbox")), profile_locales(get_profile("mercadolibre"))
    (('zh-CN', 'en'), ('es', 'pt-BR'))
    """
    return _profile_locales(profile.locales)


def _profile_locales(allowed: Sequence[str] | None) -> tuple[str, ...]:
    """The locales to write when none are asked for: ours that the marketplace sells in.

    Chinese and English come first, as before; a marketplace that takes neither (Mercado
    Libre: ``es``, ``pt-BR``) gets its own locales of the other languages we write, as it
    names them (``es-MX`` stays ``es-MX``, written with the Spanish templates).
    """
    if not allowed:
        return DEFAULT_LOCALES
    ours = [
        locale
        for locale in DEFAULT_LOCALES
        if any(locale == a or a == locale.split("-")[0] for a in allowed)
    ]
    if ours:
        return tuple(ours)
    languages = {locale.split("-")[0] for locale in LOCALES} - {
        locale.split("-")[0] for locale in DEFAULT_LOCALES
    }
    theirs = [a for a in allowed if a.replace("_", "-").split("-")[0].lower() in languages]
    return tuple(dict.fromkeys(theirs)) or ("en",)
