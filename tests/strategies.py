"""Hypothesis strategies shared by the whole test suite.

Every strategy here builds *valid* values of the domain model, spread across all the
shapes the model allows, so a property test can say "for any mass" and mean it. Tests that
need invalid input build it themselves, next to the error they expect.

Sections follow the package layout (numbers first, then one section per module); add new
strategies to the section of the module they build values for, and list them in
``__all__``.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

from hypothesis import strategies as st

from ruralseller.catalog import (
    Catalog,
    CommitmentBasis,
    CommitmentCertificate,
    Coordinates,
    CuredMeat,
    CureProcess,
    Cut,
    Gtin,
    LayingRecord,
    Licence,
    LicenceKind,
    Lot,
    LotQuantity,
    MeatState,
    Money,
    Offer,
    PieceMass,
    Place,
    PoultryMeat,
    PricingPolicy,
    ProcessingRecord,
    Producer,
    ProducerKind,
    QualityRecord,
    RemainingLife,
    SaleUnit,
    ShelfLife,
    ShellEggs,
    SlaughterRecord,
    Species,
    WeightBand,
)
from ruralseller.catalog.units import (
    Length,
    LengthUnit,
    Mass,
    MassUnit,
    Temperature,
    TemperatureUnit,
)
from ruralseller.traceability import (
    BIZ_STEPS,
    DISPOSITIONS,
    AggregationEvent,
    EpcisDocument,
    Location,
    ObjectEvent,
    OtherEvent,
    QuantityElement,
    SensorElement,
    SensorReading,
    TransformationEvent,
    lgtin,
    private_id,
)

__all__ = [
    "amounts",
    "catalogs",
    "decimal_amounts",
    "decimals_text",
    "durations",
    "epcis_documents",
    "epcis_events",
    "epcis_offsets",
    "length_units",
    "lengths",
    "mass_units",
    "masses",
    "temperature_units",
    "temperatures",
    "unit_spellings",
]

E = TypeVar("E", MassUnit, LengthUnit, TemperatureUnit)


# --- Numbers -----------------------------------------------------------------------------


@st.composite
def _decimals_text(draw: st.DrawFn, low: Decimal, high: Decimal, max_places: int) -> str:
    places = draw(st.integers(min_value=0, max_value=max_places))
    if math.ceil(low.scaleb(places)) > math.floor(high.scaleb(places)):
        places = max_places  # no number with this few places lies between the bounds
    # A whole number of 10**-places between the bounds, so the text never has an exponent.
    units = draw(
        st.integers(
            min_value=math.ceil(low.scaleb(places)), max_value=math.floor(high.scaleb(places))
        )
    )
    return f"{Decimal(units).scaleb(-places):f}"


def decimals_text(
    *, min_value: str = "0", max_value: str = "1000000", max_places: int = 12
) -> st.SearchStrategy[str]:
    """Plain decimal text such as ``"300"``, ``"12.50"`` or ``"0.000000000125"`` (no exponent).

    The number of decimal places varies from 0 to ``max_places``, so long values (more
    digits than Decimal's default 28-digit context keeps) are drawn too.
    """
    return _decimals_text(Decimal(min_value), Decimal(max_value), max_places)


def decimal_amounts(*, max_value: str = "1000000") -> st.SearchStrategy[Fraction]:
    """Non-negative exact amounts that have an exact decimal form (like 2.4, never 1/3)."""
    return decimals_text(max_value=max_value).map(lambda text: Fraction(Decimal(text)))


def amounts(*, max_value: int = 1_000_000) -> st.SearchStrategy[Fraction]:
    """Non-negative exact amounts, including ones with no decimal form (1/3, 2/7 ...)."""
    # Cheaper to draw than st.fractions(), and most of these denominators have factors
    # other than 2 and 5, so the amount has no decimal form.
    fractions = st.builds(
        Fraction,
        st.integers(min_value=0, max_value=max_value),
        st.integers(min_value=1, max_value=10_000),
    )
    return st.one_of(decimal_amounts(max_value=str(max_value)), fractions)


# --- ruralseller.catalog.units -----------------------------------------------------------


def mass_units() -> st.SearchStrategy[MassUnit]:
    """Any unit of mass, Chinese market units included."""
    return st.sampled_from(MassUnit)


def length_units() -> st.SearchStrategy[LengthUnit]:
    """Any unit of length, Chinese 尺 and 寸 included."""
    return st.sampled_from(LengthUnit)


def temperature_units() -> st.SearchStrategy[TemperatureUnit]:
    """Any unit of temperature."""
    return st.sampled_from(TemperatureUnit)


def unit_spellings(unit_type: type[E]) -> st.SearchStrategy[tuple[str, E]]:
    """A spelling of a unit as a partner might type it (any accepted name, any case), and the unit.

    ``unit_type`` is :class:`MassUnit`, :class:`LengthUnit` or :class:`TemperatureUnit`.
    """
    named = st.sampled_from(sorted(unit_type.lookup().items()))
    cased = st.sampled_from([str.lower, str.upper, str.title])
    padded = st.sampled_from(["", " ", "\t"])
    return st.tuples(named, cased, padded, padded).map(
        lambda drawn: (drawn[2] + drawn[1](drawn[0][0]) + drawn[3], drawn[0][1])
    )


def masses(*, decimal_only: bool = False) -> st.SearchStrategy[Mass]:
    """Masses in every unit; with ``decimal_only`` only values written exactly in decimals."""
    values = decimal_amounts() if decimal_only else amounts()
    return st.builds(Mass, values, mass_units())


def lengths(*, decimal_only: bool = False) -> st.SearchStrategy[Length]:
    """Lengths in every unit; with ``decimal_only`` only values written exactly in decimals."""
    values = decimal_amounts() if decimal_only else amounts()
    return st.builds(Length, values, length_units())


# The lowest value each temperature unit can hold: absolute zero.
_ABSOLUTE_ZERO = {
    TemperatureUnit.C: Fraction("-273.15"),
    TemperatureUnit.F: Fraction("-459.67"),
    TemperatureUnit.K: Fraction(0),
}


def _above_absolute_zero(unit: TemperatureUnit, above: Fraction) -> Temperature:
    return Temperature(_ABSOLUTE_ZERO[unit] + above, unit)


def temperatures(*, decimal_only: bool = False) -> st.SearchStrategy[Temperature]:
    """Temperatures from absolute zero up in °C, °F and K; ``decimal_only`` as for masses()."""
    above = decimal_amounts(max_value="2000") if decimal_only else amounts(max_value=2000)
    return st.builds(_above_absolute_zero, temperature_units(), above)


_DURATION_UNITS = [
    dt.timedelta(microseconds=1),
    dt.timedelta(seconds=1),
    dt.timedelta(minutes=1),
    dt.timedelta(hours=1),
    dt.timedelta(days=1),
    dt.timedelta(weeks=1),
]


def durations() -> st.SearchStrategy[dt.timedelta]:
    """Non-negative timedeltas: whole numbers of each unit, and anything down to a microsecond."""
    whole = st.builds(
        lambda count, unit: count * unit,
        st.integers(min_value=0, max_value=100_000),
        st.sampled_from(_DURATION_UNITS),
    )
    return st.one_of(whole, st.timedeltas(min_value=dt.timedelta(0)))


# --- Catalogues (catalog/_catalog.py and the modules it holds) -----------------------------

_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
).filter(str.strip)
_IDS = st.from_regex(r"[a-z0-9][a-z0-9-]{0,11}", fullmatch=True)
_LOT_IDS = st.from_regex(r"[A-Z0-9][A-Z0-9-]{0,9}", fullmatch=True)
_DAYS = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
_ZONES = st.sampled_from(
    [dt.UTC, dt.timezone(dt.timedelta(hours=8)), dt.timezone(dt.timedelta(hours=-5))]
)


def _places() -> st.SearchStrategy[Any]:

    coordinates = st.builds(
        Coordinates,
        latitude=st.decimals(min_value=-90, max_value=90, places=4),
        longitude=st.decimals(min_value=-180, max_value=180, places=4),
    )
    return st.builds(
        Place,
        country=st.sampled_from(["CN", "US", "DE", "TW", "HK"]),
        province=st.none() | _TEXT,
        county=st.none() | _TEXT,
        village=st.none() | _TEXT,
        coordinates=st.none() | coordinates,
    )


@st.composite
def _producer(draw: st.DrawFn, producer_id: str) -> Any:

    start = draw(_DAYS)
    licences = draw(
        st.lists(
            st.builds(
                Licence,
                kind=st.sampled_from(LicenceKind),
                number=_TEXT,
                issuer=_TEXT,
                valid_from=st.just(start),
                valid_until=st.none() | st.just(start + dt.timedelta(days=365)),
            ),
            max_size=2,
            unique_by=lambda lic: (lic.kind, lic.number),
        )
    )
    return Producer(
        id=producer_id,
        name=draw(_TEXT),
        kind=draw(st.sampled_from(ProducerKind)),
        place=draw(_places()),
        licences=licences,
    )


@st.composite
def _product(draw: st.DrawFn, product_id: str, producer_id: str) -> Any:

    common = {
        "id": product_id,
        "producer": producer_id,
        "name": draw(_TEXT),
        "names": draw(st.dictionaries(st.sampled_from(["en", "zh-CN", "de"]), _TEXT, max_size=2)),
        "gtin": draw(st.none() | st.from_regex(r"[0-9]{12}", fullmatch=True).map(Gtin.from_body)),
    }
    kind = draw(st.sampled_from(["poultry_meat", "shell_eggs", "cured_meat"]))
    if kind == "poultry_meat":
        return PoultryMeat(
            **common,
            species=draw(st.sampled_from(Species)),
            breed=draw(st.none() | _TEXT),
            black_bone=draw(st.booleans()),
            cut=draw(st.sampled_from(Cut)),
            state=draw(st.sampled_from(MeatState)),
            shelf_life=draw(
                st.none()
                | st.builds(ShelfLife, reference=durations().filter(lambda d: d > dt.timedelta(0)))
            ),
        )
    if kind == "shell_eggs":
        return ShellEggs(**common, washed=draw(st.booleans()))
    return CuredMeat(**common, meat=draw(_TEXT))


@st.composite
def _certificates(draw: st.DrawFn, day: dt.date) -> CommitmentCertificate:
    """A lot's commitment certificate issued on ``day``, with records before it."""
    basis = draw(st.lists(st.sampled_from(CommitmentBasis), min_size=1, max_size=4, unique=True))
    tested = [kind for kind in CommitmentBasis if kind.needs_record]
    records = draw(
        st.lists(
            st.builds(
                QualityRecord,
                kind=st.sampled_from(tested),
                reference=_TEXT,
                on=st.just(day - dt.timedelta(days=1)),
                by=st.none() | _TEXT,
                items=st.lists(_TEXT, max_size=2),
                result=st.none() | _TEXT,
            ),
            max_size=2,
        )
    )
    return CommitmentCertificate(
        issued_on=day, basis=basis, number=draw(st.none() | _TEXT), records=records
    )


@st.composite
def _lot(draw: st.DrawFn, lot_id: str, product: Any) -> Any:

    day = draw(_DAYS)
    low = draw(masses(decimal_only=True).filter(bool))
    piece = PieceMass(min=low, max=low + draw(masses(decimal_only=True)))
    quantity = LotQuantity(count=draw(st.integers(1, 500)), piece_mass=piece)
    records: dict[str, Any] = {}
    if product.kind == "poultry_meat":
        moment = dt.datetime.combine(day, dt.time(draw(st.integers(0, 23))), draw(_ZONES))
        records["slaughter"] = SlaughterRecord(
            facility=draw(_TEXT),
            slaughtered_at=moment,
            quarantine_certificate=draw(st.none() | _TEXT),
        )
    elif product.kind == "shell_eggs":
        records["laying"] = LayingRecord(first_laid=day - dt.timedelta(days=3), last_laid=day)
    else:
        records["processing"] = ProcessingRecord(
            process=draw(st.sampled_from(CureProcess)),
            started_on=day - dt.timedelta(days=20),
            finished_on=day,
            water_activity=draw(st.none() | st.decimals(min_value=0, max_value=1, places=3)),
        )
    return Lot(
        id=lot_id,
        product=product.id,
        production_date=day + dt.timedelta(days=1),
        best_before=draw(st.none() | st.just(day + dt.timedelta(days=10))),
        quantity=quantity,
        certificate=draw(st.none() | _certificates(day)),
        **records,
    )


@st.composite
def catalogs(draw: st.DrawFn) -> Any:
    """Valid catalogues: producers, products of several kinds, their lots and offers."""

    producer_ids = draw(st.lists(_IDS, min_size=1, max_size=2, unique=True))
    producers = [draw(_producer(pid)) for pid in producer_ids]
    product_ids = draw(st.lists(_IDS, min_size=1, max_size=3, unique=True))
    products = [draw(_product(pid, draw(st.sampled_from(producer_ids)))) for pid in product_ids]
    lot_ids = draw(st.lists(_LOT_IDS, max_size=4, unique=True))
    lots = [draw(_lot(lid, draw(st.sampled_from(products)))) for lid in lot_ids]
    offers = [draw(_offer(lot)) for lot in lots if draw(st.booleans())]
    return Catalog(producers=producers, products=products, lots=lots, offers=offers)


_REMAINING_LIFE = st.builds(
    RemainingLife,
    days=st.integers(0, 30),
    share=st.none() | st.decimals(min_value=0, max_value="0.99", places=2),
) | st.builds(RemainingLife, share=st.decimals(min_value=0, max_value="0.99", places=2))


@st.composite
def _offer(draw: st.DrawFn, lot: Lot) -> Offer:
    """An offer of ``lot``: per piece or by weight, with any pricing policy and unit words."""
    per = draw(st.sampled_from([SaleUnit(), SaleUnit.parse("1 jin"), SaleUnit.parse("1 kg")]))
    pricing = None if per.mass is None else draw(st.none() | st.sampled_from(PricingPolicy))
    bands: list[WeightBand] = []
    piece = lot.quantity.piece_mass
    if pricing is PricingPolicy.NOMINAL_WEIGHT and (piece is None or piece.nominal is None):
        pricing = PricingPolicy.UPPER_WEIGHT  # nominal pricing needs a nominal piece weight
    if pricing is PricingPolicy.WEIGHT_BANDS and piece is not None:
        bands.append(WeightBand(min=piece.lightest, max=piece.heaviest))
        if draw(st.booleans()):
            bands.append(WeightBand(min=piece.heaviest, max=piece.heaviest * 2))
    return Offer(
        lot=lot.id,
        price=Money(draw(decimals_text(min_value="0.01", max_value="9999", max_places=2)), "CNY"),
        per=per,
        stock=draw(st.integers(0, lot.quantity.count or 0)),
        unit=draw(st.dictionaries(st.sampled_from(["zh", "en", "es"]), _TEXT, max_size=2)),
        pricing=pricing,
        bands=bands,
        min_remaining_life=draw(st.none() | _REMAINING_LIFE),
        min_remaining_life_on=draw(
            st.dictionaries(st.sampled_from(["taobao", "shopify"]), _REMAINING_LIFE, max_size=1)
        ),
    )


# --- ruralseller.traceability (EPCIS events and documents) ---------------------------------


_EPCIS_ZONES = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)
_EPCIS_TIMES = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),  # noqa: DTZ001 - the zone is drawn below
    max_value=dt.datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=_EPCIS_ZONES,
)
_EPCIS_URIS = st.one_of(
    st.from_regex(r"urn:epc:id:sgtin:[0-9]{7}\.[0-9]{6}\.[0-9]{1,6}", fullmatch=True),
    st.builds(lgtin, st.from_regex(r"[0-9]{12}", fullmatch=True).map(Gtin.from_body), _LOT_IDS),
    st.builds(private_id, _IDS, _TEXT),
    st.uuids().map(lambda uuid: f"urn:uuid:{uuid}"),
)
_EPCIS_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
# Extension members are namespaced (EPCIS 2.0 §9.3), so they never clash with EPCIS's own.
_EPCIS_EXTRA = st.dictionaries(
    st.from_regex(r"example:[a-zA-Z]{1,8}", fullmatch=True), _EPCIS_JSON, max_size=2
)
_EPCIS_ILMD = st.dictionaries(
    st.from_regex(r"(cbvmda|rs):[a-zA-Z]{1,10}", fullmatch=True), _EPCIS_JSON, max_size=3
)


def epcis_offsets() -> st.SearchStrategy[str]:
    """UTC offsets as EPCIS writes them, ``-14:00`` to ``+14:00`` (``eventTimeZoneOffset``)."""
    return st.integers(min_value=-14 * 60, max_value=14 * 60).map(
        lambda minutes: (
            f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        )
    )


def _quantity_elements() -> st.SearchStrategy[QuantityElement]:
    # Up to 13 significant digits: a JSON number (a double) holds them exactly.
    amounts = decimals_text(min_value="-1000000", max_value="1000000", max_places=6).map(Decimal)
    counted = st.builds(
        QuantityElement,
        _EPCIS_URIS,
        amounts,
        st.none() | st.sampled_from(["KGM", "H87", "GRM", "LBR"]),
    )
    return st.builds(QuantityElement, _EPCIS_URIS) | counted


def _sensor_elements() -> st.SearchStrategy[SensorElement]:
    celsius = decimals_text(min_value="-40", max_value="60", max_places=3).map(Decimal)
    readings = st.lists(st.builds(SensorReading, _EPCIS_TIMES, celsius), min_size=1, max_size=3)
    return st.builds(
        SensorElement,
        readings=readings,
        device_id=st.none() | _EPCIS_URIS,
        data_processing_method=st.none() | _EPCIS_URIS,
    )


def _vocabulary(names: frozenset[str], kind: str) -> st.SearchStrategy[str | None]:
    private = st.from_regex(r"[a-z]{1,10}", fullmatch=True).map(
        lambda name: f"https://example.com/{kind}/{name}"
    )
    return st.none() | st.sampled_from(sorted(names)) | private


@st.composite
def epcis_events(draw: st.DrawFn) -> Any:
    """EPCIS events of every type we model, and others kept as JSON, with every member.

    Each event states its ``time_zone_offset`` (any offset, not only its time's own), as
    every event read from a document does.
    """
    common = {
        "event_time": draw(_EPCIS_TIMES),
        "time_zone_offset": draw(epcis_offsets()),
        "event_id": draw(st.none() | _EPCIS_URIS),
        "biz_step": draw(_vocabulary(BIZ_STEPS, "bizstep")),
        "disposition": draw(_vocabulary(DISPOSITIONS, "disposition")),
        "read_point": draw(st.none() | _EPCIS_URIS),
        "biz_location": draw(st.none() | _EPCIS_URIS),
        "sensor_elements": draw(st.lists(_sensor_elements(), max_size=2)),
        "extra": draw(_EPCIS_EXTRA),
    }
    actions = st.sampled_from(["ADD", "OBSERVE", "DELETE"])
    epcs = st.lists(_EPCIS_URIS, max_size=3, unique=True)
    quantities = st.lists(_quantity_elements(), max_size=3)
    kind = draw(st.sampled_from(["object", "aggregation", "transformation", "other"]))
    if kind == "object":
        epc_list, quantity_list = draw(epcs), draw(quantities)
        if not epc_list and not quantity_list:
            epc_list = [draw(_EPCIS_URIS)]
        return ObjectEvent(
            **common,
            action=draw(actions),
            epc_list=epc_list,
            quantity_list=quantity_list,
            ilmd=draw(_EPCIS_ILMD),
        )
    if kind == "aggregation":
        children, child_quantities = draw(epcs), draw(quantities)
        if not children and not child_quantities:
            child_quantities = [draw(_quantity_elements())]
        return AggregationEvent(
            **common,
            action=draw(actions),
            parent_id=draw(st.none() | _EPCIS_URIS),
            child_epcs=children,
            child_quantity_list=child_quantities,
        )
    if kind == "transformation":
        transformation_id = draw(st.none() | _EPCIS_URIS)
        inputs = draw(quantities.filter(bool) if transformation_id is None else quantities)
        outputs = draw(quantities.filter(bool) if transformation_id is None else quantities)
        return TransformationEvent(
            **common,
            input_epc_list=draw(epcs),
            input_quantity_list=inputs,
            output_epc_list=draw(epcs),
            output_quantity_list=outputs,
            transformation_id=transformation_id,
            ilmd=draw(_EPCIS_ILMD),
        )
    return OtherEvent(
        {
            "type": draw(st.sampled_from(["TransactionEvent", "AssociationEvent"])),
            "eventTime": common["event_time"].isoformat(),
            "eventTimeZoneOffset": common["time_zone_offset"],
            **common["extra"],
        }
    )


def epcis_documents() -> st.SearchStrategy[EpcisDocument]:
    """EPCIS documents: generated events, locations with master data, extension members."""
    locations = st.builds(
        Location, _EPCIS_URIS, name=st.none() | _TEXT, place=st.none() | _places()
    )
    return st.builds(
        EpcisDocument,
        st.lists(epcis_events(), max_size=4),
        creation_date=_EPCIS_TIMES,
        locations=st.lists(locations, max_size=2),
        extra=_EPCIS_EXTRA,
    )
