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
from ruralseller.compliance import DEFAULT_DELIVERY
from ruralseller.errors import InvalidValueError
from ruralseller.listing.draft import ListingDraft
from ruralseller.listing.images import ProcessedImage
from ruralseller.listing.prepare import (
    PreparedLot,
    PrepareProgress,
    prepare_listings,
    profile_locales,
)
from ruralseller.listing.preview import render_preview
from ruralseller.listing.profiles import IssueSeverity, ListingIssue, MarketplaceProfile

__all__ = ["RenderResult", "draft_to_data", "profile_locales", "render_listing", "write_listing"]


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
    marketplace: str | MarketplaceProfile = "sandbox",
    locales: Sequence[str] | None = None,
    templates: str | os.PathLike[str] | None = None,
    price: Money | None = None,
    on: dt.date | None = None,
    delivery: dt.timedelta = DEFAULT_DELIVERY,
    progress: Callable[[int, int, str], None] | None = None,
) -> RenderResult:
    """Generate, check and write a lot's listing for one marketplace.

    The listing is made by :func:`~ruralseller.listing.prepare_listings`, as ``ruralseller
    publish`` makes it, so what is written here is what would be sent; a lot that may no
    longer be sold on ``on`` (its printed date, less ``delivery``) is written with that
    error. ``marketplace`` is a built-in marketplace's name or a profile (an installed
    adapter's: :func:`ruralseller.marketplaces.marketplace_profile`). ``price`` overrides the
    offer's price, e.g. in the currency of a marketplace abroad. The folder is written by
    :func:`write_listing`. ``progress`` is called after each picture with the number done,
    the number in all and the picture's name.

    Raises:
        InvalidValueError: for an unknown marketplace, or a lot whose listing cannot be
            written at all (not on offer, a broken partner template, an unknown locale).
        NotInCatalogError: a lot that is not in the catalogue.
    """
    day = on or dt.datetime.now(dt.UTC).date()

    def pictures(step: PrepareProgress) -> None:
        if progress is not None and step.step == "picture":
            progress(step.pictures_done, step.pictures_total, step.name)

    prepared = prepare_listings(
        catalog,
        [lot_id],
        marketplace,
        on=day,
        prices={lot_id: price} if price is not None else None,
        delivery=delivery,
        locales=locales,
        templates=templates,
        progress=pictures,
    )
    lot = prepared.lots[0]
    if lot.draft is None:
        stopped = lot.issues[-1]  # what stopped the lot: the last problem found
        raise InvalidValueError(stopped.message, field=stopped.field, hint=stopped.fix)
    target = write_listing(lot, folder)
    return RenderResult(draft=lot.draft, images=lot.images, issues=lot.issues, folder=target)


def write_listing(lot: PreparedLot, folder: str | os.PathLike[str]) -> Path:
    """Write a prepared lot's listing into ``folder``; return the folder.

    Writes ``draft.json`` (the draft, with ``unit``, ``unit_price``, ``shipping_weight``,
    the ``marketplace`` and the ``issues``), ``images/`` (the pictures processed to the
    marketplace's image spec, named by content hash) and ``preview.html``. The folder is
    filled beside it first and swapped in at the end, so an interrupted run never leaves
    half a listing behind; an existing folder's earlier output is replaced.

    Raises:
        InvalidValueError: the lot has no draft (see its issues).
    """
    draft = lot.draft
    if draft is None:
        raise InvalidValueError(
            f"lot {lot.lot} has no listing to write for {lot.marketplace}",
            field="lot",
            hint="fix its issues first: " + "; ".join(i.message for i in lot.errors),
        )
    target = Path(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        (staging / "images").mkdir()
        for image in lot.images:
            (staging / "images" / f"{image.sha256[:16]}{image.extension}").write_bytes(image.data)
        data = draft_to_data(draft)
        # The price of one unit as money text, beside ``unit`` (what one unit is, its
        # measure words) and ``shipping_weight`` (its packed weight, e.g. "1.9 kg").
        data["unit_price"] = str(draft.price)
        data["marketplace"] = lot.marketplace
        data["issues"] = [
            {"field": i.field, "message": i.message, "fix": i.fix, "severity": i.severity.value}
            for i in lot.issues
        ]
        (staging / "draft.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        page = render_preview(
            draft,
            images=[(image.data, image.media_type) for image in lot.images],
            issues=[(i.severity.value, i.field, f"{i.message} ({i.fix})") for i in lot.issues],
            title=f"{draft.sku} on {lot.marketplace}",
        )
        (staging / "preview.html").write_text(page, encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staging.replace(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
