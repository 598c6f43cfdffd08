"""One pipeline from lots to drafts and pictures for one marketplace, with every problem.

:func:`prepare_listings` is what every way of listing goes through: ``ruralseller publish``,
``ruralseller render`` (:func:`~ruralseller.listing.render_listing`), the library's
:func:`~ruralseller.publishing.publish` and the demo. For each lot it checks that the lot is
made and that the date printed on its label still lets it reach a buyer, writes its texts in
the marketplace's locales (with the sale unit and the unit price, and the compliance verdict
of the texts and the lot), processes its pictures to the marketplace's own image spec and
validates the draft against the marketplace's profile. Problems of a lot never stop the
others: each lot comes back with all of its problems, and the library never prints.

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> prepared = prepare_listings(
    ...     load_catalog(sample_path()), ["WJ261120A", "WJ261123A"], "sandbox",
    ...     on=dt.date(2026, 11, 26),
    ... )
    >>> [lot.lot for lot in prepared.ready], [lot.lot for lot in prepared.refused]
    (['WJ261123A'], ['WJ261120A'])
    >>> print(prepared.refused[0].errors[0].field)
    lots.use_by
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs

from ruralseller.catalog import Catalog, Money
from ruralseller.coldchain import ShipmentPlan
from ruralseller.compliance import DEFAULT_DELIVERY, freshness
from ruralseller.errors import RuralSellerError
from ruralseller.listing.draft import ListingDraft
from ruralseller.listing.generate import DEFAULT_LOCALES, LOCALES, generate_listing
from ruralseller.listing.images import ProcessedImage, process_images, process_images_many
from ruralseller.listing.picture_cache import PictureCache
from ruralseller.listing.profiles import (
    IssueSeverity,
    ListingIssue,
    MarketplaceProfile,
    get_profile,
    validate_draft,
)

__all__ = [
    "PrepareProgress",
    "Prepared",
    "PreparedLot",
    "prepare_listings",
    "profile_locales",
]


@attrs.frozen(kw_only=True)
class PreparedLot:
    """One lot made ready for one marketplace, or why it cannot be listed.

    Attributes:
        lot: the lot id.
        marketplace: the marketplace it was prepared for.
        draft: the listing draft (None when the lot could not be written at all, e.g. not on
            offer or a partner template failed: see ``issues``).
        images: the pictures processed to the marketplace's image spec.
        issues: every problem found, errors and warnings, each with its fix.
    """

    lot: str
    marketplace: str
    draft: ListingDraft | None
    images: tuple[ProcessedImage, ...] = ()
    issues: tuple[ListingIssue, ...] = ()

    @property
    def errors(self) -> tuple[ListingIssue, ...]:
        """The problems that keep the lot off the marketplace."""
        return tuple(i for i in self.issues if i.severity is IssueSeverity.ERROR)

    @property
    def ok(self) -> bool:
        """Whether the lot may be listed (a draft, and no errors; warnings allowed)."""
        return self.draft is not None and not self.errors


@attrs.frozen(kw_only=True)
class Prepared:
    """What :func:`prepare_listings` made: one :class:`PreparedLot` per lot, in order.

    Attributes:
        marketplace: the marketplace the lots were prepared for.
        profile: its listing profile, which the drafts and pictures were checked against.
        lots: each lot, ready or refused.
    """

    marketplace: str
    profile: MarketplaceProfile
    lots: tuple[PreparedLot, ...]

    @property
    def ready(self) -> tuple[PreparedLot, ...]:
        """The lots that may be listed."""
        return tuple(lot for lot in self.lots if lot.ok)

    @property
    def refused(self) -> tuple[PreparedLot, ...]:
        """The lots that may not be listed, each with its errors."""
        return tuple(lot for lot in self.lots if not lot.ok)

    @property
    def items(self) -> list[tuple[ListingDraft, tuple[ProcessedImage, ...]]]:
        """The ready drafts with their pictures, as a publisher's outbox takes them."""
        return [(lot.draft, lot.images) for lot in self.lots if lot.ok and lot.draft is not None]

    @property
    def ok(self) -> bool:
        """Whether every lot may be listed."""
        return all(lot.ok for lot in self.lots)


@attrs.frozen(kw_only=True)
class PrepareProgress:
    """Sent to :func:`prepare_listings`' progress callback as the work advances.

    Attributes:
        lot: the lot being prepared.
        lots_done: lots finished so far (this one included when ``step`` is ``"lot"``).
        lots_total: lots in all.
        step: ``"picture"`` (one of the lot's pictures is processed) or ``"lot"`` (the lot
            is finished).
        pictures_done: the lot's pictures processed so far.
        pictures_total: the lot's pictures in all.
        name: the picture's name, for ``"picture"``.
    """

    lot: str
    lots_done: int
    lots_total: int
    step: str
    pictures_done: int = 0
    pictures_total: int = 0
    name: str = ""


def prepare_listings(  # noqa: PLR0913 - everything after the marketplace is keyword-only
    catalog: Catalog,
    lot_ids: Iterable[str] | None,
    profile: MarketplaceProfile | str,
    *,
    on: dt.date,
    marketplace: str | None = None,
    prices: Mapping[str, Money] | None = None,
    delivery: dt.timedelta = DEFAULT_DELIVERY,
    locales: Sequence[str] | None = None,
    templates: str | os.PathLike[str] | None = None,
    shipments: Mapping[str, ShipmentPlan] | None = None,
    progress: Callable[[PrepareProgress], None] | None = None,
    cache: PictureCache | None = None,
    workers: int | None = 1,
) -> Prepared:
    """Prepare lots for one marketplace: drafts, pictures to its spec, and every problem.

    For each lot, in order: is it made by ``on``; may it still be sold on ``on`` (the date
    printed on its label, less a ``delivery`` and the minimum remaining life, see
    :func:`~ruralseller.compliance.freshness`); its texts in the marketplace's locales with
    the sale unit and unit price (``prices`` overrides the offer's, e.g. in the currency of
    a marketplace abroad) and the compliance verdict; its pictures processed to the
    profile's image spec; the draft validated against the profile. A lot's problems (not on
    offer, past its date, a broken template or picture, a title too long...) come back in
    its :attr:`PreparedLot.issues` and never stop the other lots.

    Args:
        catalog: the catalogue.
        lot_ids: the lots to prepare; None or empty: every lot of the catalogue.
        profile: the marketplace's listing profile, the adapter's own (a built-in or an
            installed adapter's: :func:`ruralseller.marketplaces.marketplace_profile`); a
            name is looked up among the built-in profiles only, never guessed.
        on: the day the listing is for (pass it: freshness and certifications depend on it).
        marketplace: the marketplace's name, for the offer's per-marketplace minimum
            remaining life and in the results (default: the profile's name).
        prices: the price per lot on this marketplace, when it differs from the offer's.
        delivery: the longest delivery to the buyers (default: a next-day parcel).
        locales: the locales to write (default: ours that the marketplace sells in).
        templates: a folder of partner templates overriding ours.
        shipments: a shipment plan per lot, for the shipping promise (regions served) and
            the packed weight; lots without one are packed for a 48-hour journey.
        progress: called as each picture and each lot is done (the library never prints).
        cache: pictures already made (:class:`~ruralseller.listing.PictureCache`, e.g.
            ``PictureCache.beside(outbox)``); a picture shared by many lots is made once.
        workers: processes for the pictures. 1 (the default) makes them in this process;
            None uses every core (:func:`~ruralseller.listing.process_images_many`; a
            script doing so needs the ``if __name__ == "__main__":`` guard). The pictures
            come out the same byte for byte either way.

    Raises:
        NotInCatalogError: a lot id is not in the catalogue (checked before any work).
        InvalidValueError: ``profile`` names no built-in profile (pass the adapter's own).
    """
    chosen = get_profile(profile) if isinstance(profile, str) else profile
    name = marketplace or chosen.name
    ids = tuple(lot_ids or ()) or tuple(lot.id for lot in catalog.lots)
    for lot_id in ids:
        catalog.lot(lot_id)  # an id that is not there is bad input, not a lot's problem
    words = tuple(locales) if locales else profile_locales(chosen)
    results = []
    for done, lot_id in enumerate(ids):

        def picture(
            count: int, total: int, picture: str, lot_id: str = lot_id, done: int = done
        ) -> None:
            if progress is not None:
                progress(
                    PrepareProgress(
                        lot=lot_id,
                        lots_done=done,
                        lots_total=len(ids),
                        step="picture",
                        pictures_done=count,
                        pictures_total=total,
                        name=picture,
                    )
                )

        result = _prepare_lot(
            catalog,
            lot_id,
            chosen,
            marketplace=name,
            on=on,
            price=(prices or {}).get(lot_id),
            delivery=delivery,
            locales=words,
            templates=templates,
            shipment=(shipments or {}).get(lot_id),
            progress=picture,
            cache=cache,
            pictures=workers == 1,
        )
        results.append(result)
        if progress is not None:
            progress(
                PrepareProgress(lot=lot_id, lots_done=done + 1, lots_total=len(ids), step="lot")
            )
    if workers != 1:
        results = _batch_pictures(results, chosen, cache=cache, workers=workers)
    return Prepared(marketplace=name, profile=chosen, lots=tuple(results))


def _batch_pictures(
    results: list[PreparedLot],
    profile: MarketplaceProfile,
    *,
    cache: PictureCache | None,
    workers: int | None,
) -> list[PreparedLot]:
    """Every drafted lot's pictures in one batch, on ``workers`` processes, then validated."""
    drafted = [result for result in results if result.draft is not None]
    made = process_images_many(
        [result.draft.images for result in drafted if result.draft is not None],
        profile.images,
        cache=cache,
        workers=workers,
    )
    pictures = {id(result): images for result, images in zip(drafted, made, strict=True)}
    finished = []
    for result in results:
        if result.draft is None:
            finished.append(result)
            continue
        finished.append(_with_pictures(result, pictures[id(result)], profile))
    return finished


def _with_pictures(
    result: PreparedLot,
    images: tuple[ProcessedImage, ...] | RuralSellerError | OSError,
    profile: MarketplaceProfile,
) -> PreparedLot:
    """A drafted lot with its pictures (or why it has none), validated in every locale."""
    issues = list(result.issues)
    if not isinstance(images, tuple):
        issues.append(_issue(images, "images"))
        images = ()
    if result.draft is not None:
        for locale in result.draft.locales:
            issues.extend(validate_draft(result.draft, profile, locale=locale))
    return attrs.evolve(result, images=images, issues=tuple(dict.fromkeys(issues)))


def _prepare_lot(  # noqa: PLR0913 - one lot, everything keyword-only
    catalog: Catalog,
    lot_id: str,
    profile: MarketplaceProfile,
    *,
    marketplace: str,
    on: dt.date,
    price: Money | None,
    delivery: dt.timedelta,
    locales: Sequence[str],
    templates: str | os.PathLike[str] | None,
    shipment: ShipmentPlan | None,
    progress: Callable[[int, int, str], None],
    cache: PictureCache | None,
    pictures: bool,
) -> PreparedLot:
    """One lot's draft; its pictures and validation too when ``pictures`` (else batched)."""
    issues = _dates(catalog, lot_id, on=on, delivery=delivery, marketplace=marketplace)
    try:
        draft = generate_listing(
            catalog,
            lot_id,
            locales=locales,
            templates=templates,
            price=price,
            on=on,
            shipment=shipment,
        )
    except (RuralSellerError, OSError) as error:
        issues.append(_issue(error, "lot"))
        return PreparedLot(lot=lot_id, marketplace=marketplace, draft=None, issues=tuple(issues))
    drafted = PreparedLot(lot=lot_id, marketplace=marketplace, draft=draft, issues=tuple(issues))
    if not pictures:
        return drafted
    made: tuple[ProcessedImage, ...] | RuralSellerError | OSError
    try:
        made = process_images(draft.images, profile.images, progress=progress, cache=cache)
    except (RuralSellerError, OSError) as error:
        made = error
    return _with_pictures(drafted, made, profile)


def _dates(
    catalog: Catalog, lot_id: str, *, on: dt.date, delivery: dt.timedelta, marketplace: str
) -> list[ListingIssue]:
    """Whether the lot is made by ``on`` and its printed date still lets it be sold."""
    lot = catalog.lot(lot_id)
    issues = []
    made = lot.slaughter.slaughtered_at.date() if lot.slaughter is not None else None
    if lot.production_date > on or (made is not None and made > on):
        issues.append(
            ListingIssue(
                field="lots.production_date",
                message=f"on {on} lot {lot_id} is not made yet ({lot.production_date})",
                fix=f"list it from {lot.production_date}, or check the lot's dates",
            )
        )
    fresh = freshness(catalog, lot_id, on=on, delivery=delivery, marketplace=marketplace)
    if fresh is not None and not fresh.sellable:
        # The date on the label rules: such a lot is never listed.
        issues.append(
            ListingIssue(
                field=f"lots.{fresh.date_kind}",
                message=fresh.reason,
                fix="do not list it; withdraw it where it is listed and sell the next lot",
            )
        )
    return issues


def _issue(error: RuralSellerError | OSError, where: str) -> ListingIssue:
    """A lot's problem raised by a stage, as an issue with its fix."""
    message = getattr(error, "message", None) or str(error)
    field = getattr(error, "field", None) or where
    hint = getattr(error, "hint", "") or "fix what the message says and prepare it again"
    return ListingIssue(field=field, message=message, fix=hint)


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
