"""A lot's story as a person reads it: what, when and where, one event a line, in time order."""

from __future__ import annotations

import datetime as dt
import itertools
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from ruralseller.catalog import Catalog, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.coldchain import CHINA_STANDARD_TIME, plan_shipment
from ruralseller.traceability import (
    EpcisDocument,
    TimelineRow,
    events_for_lot,
    read_document,
    timeline,
    timeline_text,
)

CHICKEN = "WJ261120A"
EGGS = "WE261118"
CREATED = dt.datetime(2026, 11, 25, 12, tzinfo=CHINA_STANDARD_TIME)


@cache
def catalog() -> Catalog:
    return load_catalog(sample_path())


@cache
def document(lot_id: str = CHICKEN) -> EpcisDocument:
    ship_at = dt.datetime(2026, 11, 21, 8, tzinfo=CHINA_STANDARD_TIME)
    best = plan_shipment(catalog(), lot_id, ["广州"], ship_at).destinations[0].best
    assert best is not None
    return events_for_lot(catalog(), lot_id, shipment=best, created=CREATED)


def test_a_slaughtered_lot_from_the_plant_to_the_buyer() -> None:
    rows = timeline(document())
    assert [row.step for row in rows] == [
        "slaughtered",
        "packed",
        "shipped",
        "left the hub",
        "received",
    ]
    slaughtered, packed, shipped, _, received = rows
    assert slaughtered.time == dt.datetime(2026, 11, 20, 6, 30, tzinfo=CHINA_STANDARD_TIME)
    assert slaughtered.place is not None
    assert slaughtered.place.startswith("泰和县禽类定点屠宰场, 江西省 吉安市 泰和县")
    assert "40 live birds in, 40 pieces of lot WJ261120A out" in slaughtered.details
    assert "quarantine certificate 3608261120000123" in slaughtered.details
    assert "raised by 吴家乌鸡养殖场" in slaughtered.details
    assert packed.details == ("40 pieces of lot WJ261120A",)
    assert shipped.place is not None
    assert shipped.place.startswith("吴家乌鸡养殖场")  # handed in at the village
    assert any(text.startswith("to buyer in 广州市") for text in shipped.details)
    assert any("°C over" in text and "simulated readings" in text for text in shipped.details)
    assert received.place is not None
    assert received.place.startswith("buyer in 广州市")


def test_eggs_are_laid() -> None:
    rows = timeline(document(EGGS))
    assert rows[0].step == "laid"
    assert "laid 2026-11-14 to 2026-11-18" in rows[0].details
    assert rows[0].place is not None
    assert "汪陂村" in rows[0].place


def test_the_text_has_one_line_per_event_in_time_order() -> None:
    rows = timeline(document())
    lines = timeline_text(rows).splitlines()
    assert len(lines) == len(document().events)
    stamps = [line[:23] for line in lines]
    assert stamps == [f"{row.time:%Y-%m-%d %H:%M} +08:00" for row in rows]
    assert [dt.datetime.strptime(s, "%Y-%m-%d %H:%M %z") for s in stamps] == sorted(
        dt.datetime.strptime(s, "%Y-%m-%d %H:%M %z") for s in stamps
    )
    steps = {line[25:].split("  ")[0].strip() for line in lines}
    assert steps == {"slaughtered", "packed", "shipped", "left the hub", "received"}
    # The steps line up, so the places start in one column.
    assert len({line.index(row.place or "") for line, row in zip(lines, rows, strict=True)}) == 1


def test_a_document_read_back_tells_the_same_story() -> None:
    again = read_document(document().to_json())
    assert timeline(again) == timeline(document())


def test_events_alone_name_places_by_their_ids() -> None:
    rows = timeline(document().events)
    assert rows[0].place == "urn:ruralseller:facility:B36082601"


@settings(max_examples=30, deadline=None)
@given(st.permutations(range(5)))
def test_the_order_of_the_events_does_not_matter(order: list[int]) -> None:
    events = document().events
    shuffled = EpcisDocument(
        [events[index] for index in order],
        creation_date=CREATED,
        locations=document().locations,
    )
    rows = timeline(shuffled)
    assert rows == timeline(document())
    assert all(earlier.time <= later.time for earlier, later in itertools.pairwise(rows))


def test_a_row_without_place_or_details() -> None:
    row = TimelineRow(time=CREATED, step="observed")
    assert row.line() == "2026-11-25 12:00 +08:00  observed"
