"""Which lots may still be sold, and first-expired-first-out allocation among them.

The question "may this lot still be sold on day D?" is asked in one place,
:func:`sellable_on`. Today it answers from the date printed on the lot's label (its use-by
or best-before date): a lot may be sold up to and including that day, never after. When the
catalogue learns a stricter sell-by cut-off, only :func:`last_sale_day` changes.

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> catalog = load_catalog(sample_path())
    >>> lot = catalog.lot("WJ261120A")
    >>> last_sale_day(lot), sellable_on(lot, dt.date(2026, 11, 26))
    (datetime.date(2026, 11, 25), False)
    >>> plan = allocate([LotAvailability(lot=lot, available=3)], 2, dt.date(2026, 11, 21))
    >>> plan.lines, plan.short
    ((('WJ261120A', 2),), 0)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from ruralseller.catalog import Catalog, Lot

__all__ = [
    "Allocation",
    "LotAvailability",
    "allocate",
    "last_sale_day",
    "lots_for_sku",
    "sellable_on",
]


def last_sale_day(lot: Lot) -> dt.date | None:
    """The last day ``lot`` may be sold: its use-by or best-before date (None: no date).

    The date printed on the label bounds selling (ARCHITECTURE: models may be stricter,
    never looser); a sell-by cut-off earlier than the label's date belongs here.
    """
    return lot.use_by or lot.best_before


def sellable_on(lot: Lot, day: dt.date) -> bool:
    """Whether ``lot`` may still be sold (and so allocated to an order) on ``day``.

    A lot not made yet may be sold ahead (slaughter to order); when it may first be ordered
    is the offer's business (``Offer.available_from``), not the lot's.
    """
    last = last_sale_day(lot)
    return last is None or day <= last


def lots_for_sku(catalog: Catalog, sku: str) -> tuple[Lot, ...]:
    """The lots an order for ``sku`` may be filled from.

    A listing's SKU is its lot code today (``generate_listing``), so that lot alone; an SKU
    that names a product instead draws on all its lots, first expired first.

    Returns:
        the lots, possibly none (an SKU the catalogue does not know).
    """
    by_id = [lot for lot in catalog.lots if lot.id == sku]
    if by_id:
        return tuple(by_id)
    return tuple(lot for lot in catalog.lots if lot.product == sku)


@attrs.frozen(kw_only=True)
class LotAvailability:
    """A lot and how many of its sale units are available (on hand less reserved)."""

    lot: Lot
    available: int


def _fefo_key(candidate: LotAvailability) -> tuple[dt.date, dt.date, str]:
    last = last_sale_day(candidate.lot) or dt.date.max
    return (last, candidate.lot.production_date, candidate.lot.id)


@attrs.frozen(kw_only=True)
class Allocation:
    """What an order gets from which lots.

    Attributes:
        lines: (lot code, units) taken from each lot, first expired first.
        short: units that could not be allocated (0 when the order is filled).
        expired: whether lots with stock were passed over because their date has passed.
    """

    lines: tuple[tuple[str, int], ...]
    short: int
    expired: bool = False

    @property
    def filled(self) -> bool:
        """Whether the whole quantity is allocated."""
        return self.short == 0


def allocate(candidates: Sequence[LotAvailability], quantity: int, day: dt.date) -> Allocation:
    """Allocate ``quantity`` units first-expired-first-out, never from a lot past its date.

    An order is filled whole or not at all: when the sellable lots cannot hold all of it,
    nothing is allocated and ``short`` says how many units are missing.
    """
    if quantity < 1:
        raise ValueError(f"an order's quantity must be at least 1, not {quantity!r}")
    lines: list[tuple[str, int]] = []
    needed = quantity
    expired = False
    for candidate in sorted(candidates, key=_fefo_key):
        if candidate.available <= 0:
            continue
        if not sellable_on(candidate.lot, day):
            expired = True
            continue
        take = min(needed, candidate.available)
        lines.append((candidate.lot.id, take))
        needed -= take
        if needed == 0:
            return Allocation(lines=tuple(lines), short=0, expired=expired)
    return Allocation(lines=(), short=quantity, expired=expired)
