"""The date printed on a lot's label bounds its sale, in every jurisdiction.

A lot carries one printed date: a use-by date (chilled meat) or a best-before date (eggs,
cured meat, produce). Whatever a shelf-life model says, a lot is not sold:

- after its printed date (``FRESH-PAST-DATE``), and
- after its **sell-by cut-off** (``FRESH-SELL-BY``): the printed date, less the longest
  delivery to the buyers it is sold to, less the minimum remaining life the partner sets for
  the offer (per marketplace, in days or as a share of the life from production to the
  printed date; when not set, it must arrive by the printed date).

:func:`freshness` works the dates out for one lot on one day; the rules here are added to
every rule pack's by :func:`~ruralseller.compliance.check`, so ``ruralseller check`` blocks
such lots whatever the jurisdiction.

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> catalog = load_catalog(sample_path())
    >>> state = freshness(catalog, "WJ261123A", on=dt.date(2026, 11, 26))
    >>> state.printed_date, state.sell_by, state.days_left, state.sellable
    (datetime.date(2026, 11, 28), datetime.date(2026, 11, 27), 2, True)
    >>> late = freshness(catalog, "WJ261123A", on=dt.date(2026, 11, 28))
    >>> late.sellable, late.reason.split(":")[0]
    (False, 'it cannot reach a buyer before its use-by date 2026-11-28')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs

from ruralseller.catalog import MIN_REMAINING_DAYS, Catalog, Lot, Offer, RemainingLife
from ruralseller.compliance.context import LotContext
from ruralseller.compliance.rules import Citation, Issue, Rule, Severity, SourceStatus, Topic

__all__ = [
    "DEFAULT_DELIVERY",
    "Freshness",
    "delivery_days",
    "freshness",
    "freshness_rules",
    "sell_by",
]

DEFAULT_DELIVERY = dt.timedelta(days=1)
"""The delivery assumed when no shipment plan says: a next-day parcel."""

_DAY = dt.timedelta(days=1)


def delivery_days(delivery: dt.timedelta) -> int:
    """Whole days a delivery takes, rounded up (a 30 h journey arrives on the second day)."""
    return -(-delivery // _DAY)


def sell_by(
    lot: Lot,
    offer: Offer | None = None,
    *,
    delivery: dt.timedelta = DEFAULT_DELIVERY,
    marketplace: str | None = None,
) -> dt.date | None:
    """The last day ``lot`` may be sold so the buyer gets the minimum remaining life.

    The printed date, less ``delivery`` (whole days, rounded up), less the offer's minimum
    remaining life for ``marketplace``. None when the lot has no printed date.
    """
    printed = lot.printed_date
    if printed is None:
        return None
    life = (
        offer.remaining_life(marketplace)
        if offer is not None
        else RemainingLife(days=MIN_REMAINING_DAYS)
    )
    keep = life.days_for((printed - lot.production_date).days)
    return printed - dt.timedelta(days=delivery_days(delivery) + keep)


@attrs.frozen(kw_only=True)
class Freshness:
    """Where one lot stands on one day against the date printed on its label.

    Attributes:
        lot: the lot id.
        on: the day looked at.
        printed_date: the use-by or best-before date on the label.
        date_kind: ``use_by`` or ``best_before``.
        days_left: days from ``on`` to the printed date (negative once past).
        min_remaining_days: the life the buyer must have left on arrival, in days.
        delivery_days: the longest delivery to the buyers, in whole days.
        sell_by: the sell-by cut-off: the last day it may be sold.
        sellable: whether ``on`` is on or before the cut-off.
        reason: why it may not be sold (empty when it may).
    """

    lot: str
    on: dt.date
    printed_date: dt.date
    date_kind: str
    days_left: int
    min_remaining_days: int
    delivery_days: int
    sell_by: dt.date
    sellable: bool
    reason: str = ""


_DATE_WORDS = {"use_by": "use-by date", "best_before": "best-before date"}


def freshness(
    catalog: Catalog,
    lot_id: str,
    *,
    on: dt.date,
    delivery: dt.timedelta = DEFAULT_DELIVERY,
    marketplace: str | None = None,
) -> Freshness | None:
    """How lot ``lot_id`` stands on day ``on`` against its printed date (None: no date).

    Args:
        catalog: the catalogue.
        lot_id: the lot.
        on: the day to judge (pass it: the answer depends on it).
        delivery: the longest delivery to the buyers it is sold to (a shipment plan's
            slowest P90 journey, with handling); a next-day parcel when not known.
        marketplace: the marketplace, for the offer's per-marketplace minimum.
    """
    lot = catalog.lot(lot_id)
    printed, kind = lot.printed_date, lot.printed_date_kind
    if printed is None or kind is None:
        return None
    offer = catalog.offer_for(lot_id)
    life = (
        offer.remaining_life(marketplace)
        if offer is not None
        else RemainingLife(days=MIN_REMAINING_DAYS)
    )
    keep = life.days_for((printed - lot.production_date).days)
    days = delivery_days(delivery)
    cutoff = printed - dt.timedelta(days=days + keep)
    words = _DATE_WORDS[kind]
    reason = ""
    if on > printed:
        reason = f"its {words} {printed} has passed ({on}: {(on - printed).days} day(s) ago)"
    elif on > cutoff:
        left = f"with {keep} day(s) left " if keep else ""
        reason = (
            f"it cannot reach a buyer {left}before its {words} {printed}: "
            f"a delivery takes up to {days} day(s), so its sell-by cut-off was {cutoff}"
        )
    return Freshness(
        lot=lot.id,
        on=on,
        printed_date=printed,
        date_kind=kind,
        days_left=(printed - on).days,
        min_remaining_days=keep,
        delivery_days=days,
        sell_by=cutoff,
        sellable=not reason,
        reason=reason,
    )


def _past_date(ctx: LotContext) -> Iterator[Issue]:
    printed, kind = ctx.lot.printed_date, ctx.lot.printed_date_kind
    if printed is None or kind is None or ctx.on <= printed:
        return
    yield Issue(
        message=f"lot {ctx.lot.id}'s {_DATE_WORDS[kind]} {printed} has passed "
        f"(checked for {ctx.on}); food past the date on its label may not be sold",
        remedy="take the lot off sale (ruralseller withdraw) and do not ship it; list the "
        "next lot instead",
        field=ctx.path(kind),
    )


def _sell_by(ctx: LotContext) -> Iterator[Issue]:
    printed = ctx.lot.printed_date
    if printed is None or ctx.on > printed:
        return  # past the date: FRESH-PAST-DATE says so
    state = freshness(
        ctx.catalog,
        ctx.lot.id,
        on=ctx.on,
        delivery=ctx.sale.delivery or DEFAULT_DELIVERY,
        marketplace=ctx.sale.marketplace,
    )
    if state is None or state.sellable:
        return
    yield Issue(
        message=f"lot {ctx.lot.id}: {state.reason}",
        remedy="stop selling it (ruralseller withdraw); sell it locally before its date, or "
        "lower the offer's min_remaining_life if buyers accept less",
        field=ctx.offer_path("min_remaining_life") if ctx.offer is not None else ctx.path(),
    )


# The block rests on the label itself: the producer printed the date, and selling past it
# tells the buyer something untrue. The laws behind it are named in the rule's note, from
# secondary sources (status P): 中华人民共和国食品安全法 Art. 34 forbids trading food past
# its shelf life (超过保质期的食品); in the EU, food past its "use by" date is deemed unsafe
# (Reg. (EU) No 1169/2011 Art. 24(1)).
_LAW_NOTE = {
    "CN": "see also 中华人民共和国食品安全法 Art. 34 (超过保质期的食品; source status P)",
    "EU": "see also Reg. (EU) No 1169/2011 Art. 24(1), use-by food deemed unsafe (status P)",
}
_LABEL = Citation("The date printed on the lot's label (the producer's own date marking)")
_OFFER = Citation("The partner's sale terms: the offer's min_remaining_life")


def freshness_rules(jurisdiction: str) -> tuple[Rule, ...]:
    """The date rules, under ``jurisdiction``'s code and citation, for every pack."""
    code = jurisdiction.upper()
    return (
        Rule(
            code="FRESH-PAST-DATE",
            title="Not sold after the date printed on its label",
            jurisdiction=code,
            topic=Topic.LABELLING,
            citation=_LABEL,
            status=SourceStatus.VERIFIED,
            severity=Severity.BLOCKING,
            check=_past_date,
            note=_LAW_NOTE.get(code, ""),
        ),
        Rule(
            code="FRESH-SELL-BY",
            title="Reaches the buyer with the minimum remaining life",
            jurisdiction=code,
            topic=Topic.SHIPPING,
            citation=_OFFER,
            status=SourceStatus.VERIFIED,
            severity=Severity.BLOCKING,
            check=_sell_by,
        ),
    )
