"""A map-like summary of a plan for the partner: by province, how many places, how cheap, how fast.

Planned to every county (:func:`~ruralseller.coldchain.destinations.all_counties`), a lot has
thousands of answers; :func:`by_province` folds them into one line per province: how many
destinations can be reached, the cheapest cost of reaching one and where, and the days that
takes on a typical and on a slow day.

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> from ruralseller.coldchain import CHINA_STANDARD_TIME, plan_shipment
    >>> catalog = load_catalog(sample_path())
    >>> ship_at = dt.datetime(2026, 11, 21, 8, tzinfo=CHINA_STANDARD_TIME)
    >>> plan = plan_shipment(catalog, "WJ261120A", ["南昌", "赣州", "黄山", "歙县"], ship_at)
    >>> [(row.province, row.reachable, row.destinations) for row in by_province(plan)]
    [('安徽省', 1, 2), ('江西省', 2, 2)]
    >>> by_province(plan)[0].cheapest_to
    '黄山市'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from ruralseller.catalog import Money
from ruralseller.coldchain.plan import DestinationPlan, ShipmentPlan
from ruralseller.coldchain.routes import find_province
from ruralseller.errors import PlaceError

__all__ = ["ProvinceSummary", "by_province", "summary_dict"]


@attrs.frozen(kw_only=True)
class ProvinceSummary:
    """One province of a plan.

    Attributes:
        province: the province's full name.
        destinations: the destinations planned there.
        reachable: how many of them at least one service reaches.
        cheapest: the lowest cost of reaching one of them, or None.
        cheapest_to: where that is.
        service: the service of the cheapest.
        days_p50: hand-in to door on a typical day for the cheapest, in days.
        days_p90: the same on a slow day.
    """

    province: str
    destinations: int
    reachable: int
    cheapest: Money | None = None
    cheapest_to: str | None = None
    service: str | None = None
    days_p50: float | None = None
    days_p90: float | None = None


def _where(plan: DestinationPlan) -> str:
    return plan.name


def _province_of(plan: DestinationPlan) -> str:
    return plan.destination.province or plan.destination.country


def _summary(province: str, plans: Sequence[DestinationPlan]) -> ProvinceSummary:
    best = [(plan, plan.best) for plan in plans if plan.best is not None]
    reachable = len(best)
    if not best:
        return ProvinceSummary(province=province, destinations=len(plans), reachable=0)
    plan, option = min(
        best,
        key=lambda pair: (pair[1].cost.amount if pair[1].cost is not None else 0, _where(pair[0])),
    )
    typical, slow = option.typical, option.slow
    return ProvinceSummary(
        province=province,
        destinations=len(plans),
        reachable=reachable,
        cheapest=option.cost,
        cheapest_to=_where(plan),
        service=option.service.id,
        days_p50=round(typical.duration.total_seconds() / 86400, 1) if typical else None,
        days_p90=round(slow.duration.total_seconds() / 86400, 1) if slow else None,
    )


def _code(province: str) -> str:
    try:
        return find_province(province).code
    except PlaceError:
        return "99"


def by_province(plan: ShipmentPlan) -> tuple[ProvinceSummary, ...]:
    """One :class:`ProvinceSummary` per province of ``plan``'s destinations, in code order."""
    groups: dict[str, list[DestinationPlan]] = {}
    for destination in plan.destinations:
        groups.setdefault(_province_of(destination), []).append(destination)
    ordered = sorted(groups, key=lambda name: (_code(name), name))
    return tuple(_summary(province, groups[province]) for province in ordered)


def summary_dict(plan: ShipmentPlan) -> dict[str, Any]:
    """The summary as plain data: the lot, the hand-in time, the totals, one entry per province.

    This is what ``ruralseller plan --to all-counties --format json`` prints.
    """
    rows = by_province(plan)
    return {
        "lot": plan.lot,
        "ship_at": plan.ship_at.isoformat(),
        "destinations": len(plan.destinations),
        "reachable": len(plan.reachable),
        "provinces": [
            {
                "province": row.province,
                "destinations": row.destinations,
                "reachable": row.reachable,
                "cheapest": str(row.cheapest) if row.cheapest is not None else None,
                "cheapest_to": row.cheapest_to,
                "service": row.service,
                "days_p50": row.days_p50,
                "days_p90": row.days_p90,
            }
            for row in rows
        ],
    }
