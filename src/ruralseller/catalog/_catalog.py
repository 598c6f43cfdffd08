"""The catalogue: producers, products, lots and offers, checked as a whole."""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

from ruralseller.catalog import checks as _checks
from ruralseller.catalog.lot import Lot
from ruralseller.catalog.offer import Offer
from ruralseller.catalog.pricing import PricingPolicy
from ruralseller.catalog.producer import Producer
from ruralseller.catalog.product import (
    CuredMeat,
    FreshProduce,
    LiveBirds,
    PackagedFood,
    PoultryMeat,
    Product,
    ShellEggs,
)
from ruralseller.errors import CatalogValidationError, NotInCatalogError, Problem

__all__ = ["AnyProduct", "Catalog", "catalog_of_checked_records", "reference_problems"]

T = TypeVar("T")

AnyProduct = PoultryMeat | LiveBirds | ShellEggs | FreshProduce | CuredMeat | PackagedFood
"""Any one product kind (the union catalogue files choose from with ``kind``)."""

# Which lot record each product kind needs (None: none) and which it may have.
_RECORD_FOR: dict[str, tuple[str | None, frozenset[str]]] = {
    PoultryMeat.kind: ("slaughter", frozenset({"slaughter"})),
    LiveBirds.kind: (None, frozenset()),
    ShellEggs.kind: ("laying", frozenset({"laying"})),
    FreshProduce.kind: ("harvest", frozenset({"harvest"})),
    CuredMeat.kind: ("processing", frozenset({"processing"})),
    PackagedFood.kind: (None, frozenset({"processing"})),
}


def _duplicates(
    items: Iterable[tuple[int, str]],
    section: str,
    field: str = "id",
    hint: str = "give each one its own id",
) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, key in items:
        if key in seen:
            yield Problem(
                file="",
                path=f"{section}[{index}].{field}",
                message=f"the {field} {key!r} is already used by {section}[{seen[key]}]",
                value=key,
                hint=hint,
            )
        else:
            seen[key] = index


def reference_problems(
    producers: Iterable[tuple[int, Producer]],
    products: Iterable[tuple[int, Product]],
    lots: Iterable[tuple[int, Lot]],
    offers: Iterable[tuple[int, Offer]],
    *,
    unchecked_ids: dict[str, set[str]] | None = None,
) -> list[Problem]:
    """Check how records refer to each other; return every problem found.

    Each argument pairs a record with its index in its section. ``unchecked_ids`` holds ids
    (by section) of records that failed to load: references to them are not reported again.
    """
    producers, products, lots, offers = list(producers), list(products), list(lots), list(offers)
    unchecked = unchecked_ids or {}
    problems: list[Problem] = []
    problems += _duplicates(((i, p.id) for i, p in producers), "producers")
    problems += _duplicates(((i, p.id) for i, p in products), "products")
    problems += _duplicates(((i, lot.id) for i, lot in lots), "lots")
    problems += _duplicates(
        ((i, o.lot) for i, o in offers),
        "offers",
        field="lot",
        hint="a lot has one offer: change the price or stock there instead",
    )

    producer_ids = {p.id for _, p in producers} | unchecked.get("producers", set())
    product_by_id = _first_by_id(products)
    product_ids = set(product_by_id) | unchecked.get("products", set())
    lot_by_id = _first_by_id(lots)
    lot_ids = set(lot_by_id) | unchecked.get("lots", set())

    for i, product in products:
        if product.producer not in producer_ids:
            problems.append(
                _missing(f"products[{i}].producer", product.producer, "producer", producer_ids)
            )
    for i, lot in lots:
        if lot.product not in product_ids:
            problems.append(_missing(f"lots[{i}].product", lot.product, "product", product_ids))
            continue
        maybe_product = product_by_id.get(lot.product)
        if maybe_product is not None:
            problems += _record_problems(i, lot, maybe_product)
    for i, offer in offers:
        if offer.lot not in lot_ids:
            problems.append(_missing(f"offers[{i}].lot", offer.lot, "lot", lot_ids))
            continue
        maybe_lot = lot_by_id.get(offer.lot)
        if maybe_lot is not None:
            problems += _offer_problems(i, offer, maybe_lot)
    return problems


def _first_by_id(items: Iterable[tuple[int, Any]]) -> dict[str, Any]:
    # The first record with an id is the real one; later ones are reported as duplicates.
    found: dict[str, Any] = {}
    for _, item in items:
        found.setdefault(item.id, item)
    return found


def _missing(path: str, value: str, what: str, known: Iterable[str]) -> Problem:
    names = ", ".join(sorted(known)) or "none yet"
    return Problem(
        file="",
        path=path,
        message=f"there is no {what} with id {value!r}",
        value=value,
        hint=f"use one of the {what} ids in this catalogue ({names}), or add the {what}",
    )


def _record_problems(index: int, lot: Lot, product: Product) -> Iterator[Problem]:
    needed, allowed = _RECORD_FOR[product.kind]
    kind = product.kind.replace("_", " ")
    have = lot.record_kind
    if have is not None and have not in allowed:
        yield Problem(
            file="",
            path=f"lots[{index}].{have}",
            message=f"a lot of {kind} ({product.id}) takes no {have} record",
            hint=(f"replace it with a {needed} record" if needed else "remove it")
            + f"; a {kind} lot takes: {', '.join(sorted(allowed)) or 'no record'}",
        )
    elif needed is not None and have is None:
        yield Problem(
            file="",
            path=f"lots[{index}].{needed}",
            message=f"a lot of {kind} ({product.id}) needs its {needed} record",
            hint=f"add a [lots.{needed}] table to this lot",
        )


def _offer_problems(index: int, offer: Offer, lot: Lot) -> Iterator[Problem]:
    count = lot.quantity.count
    if count is not None and offer.stock > count:
        yield Problem(
            file="",
            path=f"offers[{index}].stock",
            message=f"stock {offer.stock} is more than the {count} pieces in lot {lot.id}",
            value=offer.stock,
            hint=f"lower the stock to {count} or less",
        )
    if offer.per.mass is not None and lot.quantity.piece_mass is None:
        yield Problem(
            file="",
            path=f"offers[{index}].per",
            message=f"the price is per {offer.per}, but lot {lot.id} does not say what one "
            "piece weighs",
            value=str(offer.per),
            hint='add quantity.piece_mass to the lot, or price per piece (per = "piece")',
        )
    piece = lot.quantity.piece_mass
    if (
        offer.pricing is PricingPolicy.NOMINAL_WEIGHT
        and piece is not None
        and piece.nominal is None
    ):
        yield Problem(
            file="",
            path=f"offers[{index}].pricing",
            message=f"pricing = 'nominal_weight' charges lot {lot.id}'s nominal piece weight, "
            "but the lot gives none",
            value=offer.pricing.value,
            hint="add quantity.piece_mass.nominal to the lot, or use pricing = 'upper_weight'",
        )


# Set only while catalog_of_checked_records builds a catalogue whose records have just been
# checked by reference_problems; a context variable, so other threads and tasks building a
# Catalog at the same moment still check theirs.
_REFERENCES_CHECKED: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "ruralseller_catalog_references_checked", default=False
)


def _check_all(instance: Catalog, _attribute: attrs.Attribute[Any], _value: Any) -> None:
    # attrs runs validators after every field is set; this one runs last (offers).
    if _REFERENCES_CHECKED.get():
        return
    problems = reference_problems(
        enumerate(instance.producers),
        enumerate(instance.products),
        enumerate(instance.lots),
        enumerate(instance.offers),
    )
    if problems:
        raise CatalogValidationError(problems)


@attrs.frozen(kw_only=True)
class Catalog:
    """A village partner's catalogue: who produces what, which lots exist, what is on sale.

    Constructing one checks that every reference resolves and that each lot's record fits its
    product; all problems are raised together as a :class:`CatalogValidationError`.

    Attributes:
        producers: the producers.
        products: the products, each of one kind.
        lots: the lots, each of one product.
        offers: the offers, at most one per lot.
        folder: the folder the catalogue was read from (images are relative to it).
    """

    producers: tuple[Producer, ...] = attrs.field(default=(), converter=_checks.frozen_tuple)
    products: tuple[AnyProduct, ...] = attrs.field(default=(), converter=_checks.frozen_tuple)
    lots: tuple[Lot, ...] = attrs.field(default=(), converter=_checks.frozen_tuple)
    offers: tuple[Offer, ...] = attrs.field(
        default=(), converter=_checks.frozen_tuple, validator=_check_all
    )
    folder: Path | None = attrs.field(default=None, eq=False, repr=False)

    # Lookups by id go through indexes built once per catalogue: a check of 10,000 lots asks
    # for each lot several times, and a linear scan each time made checking quadratic.
    @functools.cached_property
    def _index(self) -> _Index:
        return _Index.of(self)

    def producer(self, producer_id: str) -> Producer:
        """The producer with ``producer_id``."""
        return _find(self._index.producers, self.producers, producer_id, "producer")

    def product(self, product_id: str) -> AnyProduct:
        """The product with ``product_id``."""
        return _find(self._index.products, self.products, product_id, "product")

    def lot(self, lot_id: str) -> Lot:
        """The lot with ``lot_id``."""
        return _find(self._index.lots, self.lots, lot_id, "lot")

    def offer_for(self, lot_id: str) -> Offer | None:
        """The offer for the lot ``lot_id``, or None if it is not on sale."""
        found = self._index.offers.get(lot_id)
        return None if found is None else self.offers[found]

    def position(self, section: str, key: str) -> int:
        """Where the record with id ``key`` (for offers: lot) stands in ``section``.

        Example:
            >>> from ruralseller.catalog import load_catalog
            >>> from ruralseller.catalog.samples import sample_path
            >>> load_catalog(sample_path()).position("lots", "WE261118")
            2
        """
        table: dict[str, int] = getattr(self._index, section)
        return table[key]

    def product_of(self, lot: Lot) -> AnyProduct:
        """The product a lot is of."""
        return self.product(lot.product)

    def producer_of(self, item: Lot | Product) -> Producer:
        """The producer of a lot or product."""
        product = self.product_of(item) if isinstance(item, Lot) else item
        return self.producer(product.producer)

    def path_of(self, image: str) -> Path:
        """The file of an image named in the catalogue."""
        if self.folder is None:
            return Path(image)
        return self.folder / image


def catalog_of_checked_records(
    *,
    producers: Iterable[Producer],
    products: Iterable[AnyProduct],
    lots: Iterable[Lot],
    offers: Iterable[Offer],
    folder: Path | None = None,
) -> Catalog:
    """Build a catalogue from records that :func:`reference_problems` found no problem in.

    For the catalogue loader only: it checks the references itself (to report them with
    every other problem in the file) and must not pay for the same check twice. Everything
    else builds a :class:`Catalog` directly, whose constructor runs the check.

    Args:
        producers: the producers, as checked.
        products: the products, as checked.
        lots: the lots, as checked.
        offers: the offers, as checked.
        folder: the folder the catalogue was read from.

    Returns:
        The catalogue, built without checking the references again.
    """
    token = _REFERENCES_CHECKED.set(True)
    try:
        return Catalog(
            producers=producers, products=products, lots=lots, offers=offers, folder=folder
        )
    finally:
        _REFERENCES_CHECKED.reset(token)


@attrs.frozen
class _Index:
    producers: dict[str, int]
    products: dict[str, int]
    lots: dict[str, int]
    offers: dict[str, int]

    @classmethod
    def of(cls, catalog: Catalog) -> _Index:
        def first(keys: Iterable[str]) -> dict[str, int]:
            found: dict[str, int] = {}
            for position, key in enumerate(keys):
                found.setdefault(key, position)
            return found

        return cls(
            producers=first(p.id for p in catalog.producers),
            products=first(p.id for p in catalog.products),
            lots=first(lot.id for lot in catalog.lots),
            offers=first(offer.lot for offer in catalog.offers),
        )


def _find(index: dict[str, int], items: Sequence[T], key: str, what: str) -> T:
    position = index.get(key)
    if position is not None:
        return items[position]
    known = ", ".join(index) or "none"
    raise NotInCatalogError(f"no {what} with id {key!r}; the catalogue has: {known}")
