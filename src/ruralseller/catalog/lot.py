"""Lots: batches of one product, with the record of how they were made.

A lot carries exactly one record that fits its product's kind: a :class:`SlaughterRecord`
for poultry meat, a :class:`LayingRecord` for eggs, a :class:`HarvestRecord` for fresh
produce, a :class:`ProcessingRecord` for cured meat. The catalogue checks the fit, since the
lot names its product by id.

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import Mass
    >>> lot = Lot(
    ...     id="WJ261120A",
    ...     product="taihe-silkie-whole",
    ...     production_date=dt.date(2026, 11, 20),
    ...     quantity=LotQuantity(
    ...         count=40, piece_mass=PieceMass(min=Mass.parse("1.0 kg"), max=Mass.parse("1.4 kg"))
    ...     ),
    ...     slaughter=SlaughterRecord(
    ...         facility="泰和县禽类定点屠宰场",
    ...         slaughtered_at=dt.datetime.fromisoformat("2026-11-20T06:30:00+08:00"),
    ...         quarantine_certificate="3608261120000123",
    ...     ),
    ... )
    >>> lot.quantity.mass_range()
    (Mass('40 kg'), Mass('56 kg'))
    >>> lot.record_kind
    'slaughter'
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from decimal import Decimal
from typing import Any

import attrs

from ruralseller.catalog import checks as _checks
from ruralseller.catalog.certificate import CommitmentCertificate
from ruralseller.catalog.place import Place
from ruralseller.catalog.product import CureProcess
from ruralseller.catalog.units import Mass, Temperature

__all__ = [
    "RECORD_KINDS",
    "Chilling",
    "ChillingMethod",
    "HarvestRecord",
    "LayingRecord",
    "Lot",
    "LotQuantity",
    "PieceMass",
    "ProcessingRecord",
    "SlaughterRecord",
]

# GS1 AI (10) batch/lot is X..20 from the GS1 AI encodable character set 82 (GS1 General
# Specifications §7.11; gs1-syntax-dictionary.txt "10 ... X..20"). We take the subset that
# also reads cleanly in a URL and on a label.
_LOT_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,19}")


def _lot_code(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not _LOT_RE.fullmatch(value):
        raise _checks.fail(
            attribute,
            f"{value!r} is not a valid lot code",
            "a lot code goes into GS1 barcodes (AI 10): use 1 to 20 ASCII letters, digits, "
            "'-', '.', '_' or '/', starting with a letter or digit, e.g. 'WJ261120A'",
        )


def _not_after(other: str) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        limit = getattr(instance, other)
        if value is not None and limit is not None and value > limit:
            raise _checks.fail(attribute, f"{attribute.name} {value} is after {other} {limit}")

    return check


@attrs.frozen(kw_only=True)
class PieceMass:
    """The mass of one piece: fixed (``nominal`` only) or variable (``min``/``max``).

    Attributes:
        nominal: the usual or declared mass of one piece.
        min: the lightest piece.
        max: the heaviest piece.
    """

    nominal: Mass | None = None
    min: Mass | None = attrs.field(default=None, validator=_not_after("nominal"))
    max: Mass | None = None

    def __attrs_post_init__(self) -> None:
        fields = attrs.fields(PieceMass)
        if self.nominal is None and (self.min is None or self.max is None):
            raise _checks.fail(
                fields.nominal,
                "a piece mass needs nominal, or both min and max",
                'write e.g. piece_mass = { min = "1.0 kg", max = "1.4 kg" }',
            )
        if self.min is not None and self.max is not None and self.min > self.max:
            raise _checks.fail(fields.min, f"min {self.min} is above max {self.max}")
        if self.nominal is not None and self.max is not None and self.nominal > self.max:
            raise _checks.fail(fields.nominal, f"nominal {self.nominal} is above max {self.max}")
        for field, value in ((fields.nominal, self.nominal), (fields.min, self.min)):
            if value is not None and not value:
                raise _checks.fail(field, f"{field.name} must be above zero")

    @property
    def variable(self) -> bool:
        """Whether pieces differ in weight (priced or labelled per piece by weight)."""
        return self.min is not None and self.max is not None and self.min != self.max

    @property
    def lightest(self) -> Mass:
        """The lightest piece (``min``, else ``nominal``)."""
        found = self.min or self.nominal
        assert found is not None  # noqa: S101 - checked in __attrs_post_init__
        return found

    @property
    def heaviest(self) -> Mass:
        """The heaviest piece (``max``, else ``nominal``)."""
        found = self.max or self.nominal
        assert found is not None  # noqa: S101 - checked in __attrs_post_init__
        return found


@attrs.frozen(kw_only=True)
class LotQuantity:
    """How much a lot holds: a count of pieces, a total mass, or both.

    Attributes:
        count: the number of pieces (birds, eggs, packs).
        net_mass: the total net mass, if weighed.
        piece_mass: the mass of one piece, fixed or variable.
    """

    count: int | None = attrs.field(default=None, validator=_checks.positive)
    net_mass: Mass | None = None
    piece_mass: PieceMass | None = None

    def __attrs_post_init__(self) -> None:
        fields = attrs.fields(LotQuantity)
        if self.count is None and self.net_mass is None:
            raise _checks.fail(
                fields.count,
                "a lot's quantity needs a count, a net mass, or both",
                'write e.g. quantity = { count = 40 } or quantity = { net_mass = "50 kg" }',
            )
        if self.net_mass is not None and not self.net_mass:
            raise _checks.fail(fields.net_mass, "net_mass must be above zero")
        if self.piece_mass is not None and self.count is None:
            raise _checks.fail(fields.count, "piece_mass needs a count of pieces")
        if self.net_mass is not None and self.count is not None and self.piece_mass is not None:
            low, high = self.piece_mass.lightest * self.count, self.piece_mass.heaviest * self.count
            if not low <= self.net_mass <= high:
                raise _checks.fail(
                    fields.net_mass,
                    f"net_mass {self.net_mass} does not fit {self.count} pieces of "
                    f"{self.piece_mass.lightest} to {self.piece_mass.heaviest}",
                    f"it should be between {low} and {high}; check the count and weights",
                )

    def mass_range(self) -> tuple[Mass, Mass] | None:
        """The (lowest, highest) total mass, or None when it is not known."""
        if self.net_mass is not None:
            return (self.net_mass, self.net_mass)
        if self.piece_mass is not None and self.count is not None:
            return (self.piece_mass.lightest * self.count, self.piece_mass.heaviest * self.count)
        return None


class ChillingMethod(enum.Enum):
    """How carcasses were chilled after slaughter."""

    AIR = "air"
    WATER = "water"
    ICE = "ice"
    EVAPORATIVE = "evaporative"


@attrs.frozen(kw_only=True)
class Chilling:
    """How and how fast carcasses were chilled.

    Attributes:
        method: air, water, ice or evaporative chilling.
        core_temperature: the core temperature reached.
        within: how long after slaughter that temperature was reached.
    """

    method: ChillingMethod
    core_temperature: Temperature | None = None
    within: dt.timedelta | None = None


@attrs.frozen(kw_only=True)
class SlaughterRecord:
    """Where, when and under which papers birds were slaughtered.

    Attributes:
        facility: the slaughter plant's name (or the farm's, for on-farm slaughter).
        facility_licence: the plant's licence or approval number (e.g. its 定点屠宰许可证
            number, EU approval number or USDA establishment number).
        on_farm: whether the birds were slaughtered on the farm rather than at a plant.
        facility_place: where the plant is.
        slaughtered_at: date and time of slaughter, with its UTC offset.
        birds: how many birds were slaughtered for this lot.
        quarantine_certificate: the animal quarantine certificate number (动物检疫合格证明).
        inspection_certificate: the meat inspection certificate number (肉品品质检验合格证).
        chilling: how the carcasses were chilled.
    """

    facility: str = attrs.field(validator=_checks.text)
    facility_licence: str | None = attrs.field(default=None, validator=_checks.optional_text)
    on_farm: bool = False
    facility_place: Place | None = None
    slaughtered_at: dt.datetime = attrs.field(validator=_checks.aware)
    birds: int | None = attrs.field(default=None, validator=_checks.positive)
    quarantine_certificate: str | None = attrs.field(default=None, validator=_checks.optional_text)
    inspection_certificate: str | None = attrs.field(default=None, validator=_checks.optional_text)
    chilling: Chilling | None = None

    @property
    def day(self) -> dt.date:
        """The day of slaughter, in the plant's own time zone."""
        return self.slaughtered_at.date()


@attrs.frozen(kw_only=True)
class HarvestRecord:
    """When and where produce was harvested.

    Attributes:
        harvested_on: the day of harvest (the first day, for a harvest over several days).
        harvest_ended_on: the last day, for a harvest over several days.
        plot: the field or plot, as the farmer names it.
    """

    harvested_on: dt.date = attrs.field(validator=_not_after("harvest_ended_on"))
    harvest_ended_on: dt.date | None = None
    plot: str | None = attrs.field(default=None, validator=_checks.optional_text)

    @property
    def day(self) -> dt.date:
        """The last day of harvest."""
        return self.harvest_ended_on or self.harvested_on


@attrs.frozen(kw_only=True)
class LayingRecord:
    """When the eggs of a lot were laid.

    Attributes:
        first_laid: the day the oldest egg was laid.
        last_laid: the day the newest egg was laid.
        flock: the flock or house, as the farmer names it.
    """

    first_laid: dt.date = attrs.field(validator=_not_after("last_laid"))
    last_laid: dt.date
    flock: str | None = attrs.field(default=None, validator=_checks.optional_text)

    @property
    def day(self) -> dt.date:
        """The day the newest egg was laid."""
        return self.last_laid


def _fraction(_instance: object, attribute: attrs.Attribute[Any], value: Decimal | None) -> None:
    if value is not None and not Decimal(0) <= value <= Decimal(1):
        raise _checks.fail(attribute, f"{attribute.name} must be from 0 to 1, got {value}")


def _percent(_instance: object, attribute: attrs.Attribute[Any], value: Decimal | None) -> None:
    if value is not None and not Decimal(0) <= value <= Decimal(100):
        raise _checks.fail(attribute, f"{attribute.name} must be from 0 to 100, got {value}")


@attrs.frozen(kw_only=True)
class ProcessingRecord:
    """How cured, smoked or otherwise processed food was made.

    Attributes:
        process: cured, smoked or air-dried.
        started_on: the day processing began.
        finished_on: the day processing ended.
        facility: where it was done, if not at the producer's.
        facility_licence: that facility's licence number.
        salt_percent: salt content in percent of mass, if measured.
        water_activity: water activity (a_w, 0 to 1), if measured.
    """

    process: CureProcess
    started_on: dt.date = attrs.field(validator=_not_after("finished_on"))
    finished_on: dt.date | None = None
    facility: str | None = attrs.field(default=None, validator=_checks.optional_text)
    facility_licence: str | None = attrs.field(default=None, validator=_checks.optional_text)
    salt_percent: Decimal | None = attrs.field(default=None, validator=_percent)
    water_activity: Decimal | None = attrs.field(default=None, validator=_fraction)

    @property
    def day(self) -> dt.date:
        """The day processing ended (or began, if the end is not recorded)."""
        return self.finished_on or self.started_on


RECORD_KINDS = ("slaughter", "laying", "harvest", "processing")
"""The names of a lot's record fields, one per kind of making."""


@attrs.frozen(kw_only=True)
class Lot:
    """A batch of one product: its code, how much, when it was made and how.

    Attributes:
        id: the lot code, as printed on labels and in GS1 barcodes (AI 10).
        product: the id of the product.
        production_date: the production date as the label states it.
        best_before: the best-before date, if fixed already.
        use_by: the use-by date, for food that spoils quickly (chilled meat); a lot has a
            best-before or a use-by date, not both.
        quantity: how much the lot holds.
        slaughter: for poultry meat, the slaughter record.
        laying: for eggs, the laying record.
        harvest: for fresh produce, the harvest record.
        processing: for cured meat or packaged food, the processing record.
        images: pictures of this lot, relative to the catalogue folder.
        notes: anything else the partner wants to remember.
        certificate: the commitment certificate (承诺达标合格证) issued for the lot, with the
            records that back it.
    """

    id: str = attrs.field(validator=_lot_code)
    product: str = attrs.field(validator=_checks.identifier)
    production_date: dt.date
    best_before: dt.date | None = None
    use_by: dt.date | None = None
    quantity: LotQuantity
    slaughter: SlaughterRecord | None = None
    laying: LayingRecord | None = None
    harvest: HarvestRecord | None = None
    processing: ProcessingRecord | None = None
    images: tuple[str, ...] = attrs.field(default=(), converter=_checks.frozen_tuple)
    notes: str | None = attrs.field(default=None, validator=_checks.optional_text)
    certificate: CommitmentCertificate | None = None

    def __attrs_post_init__(self) -> None:
        fields = attrs.fields(Lot)
        given = [name for name in RECORD_KINDS if getattr(self, name) is not None]
        if len(given) > 1:
            raise _checks.fail(
                getattr(fields, given[1]),
                f"a lot has one record, but this one has {' and '.join(given)}",
                "keep the record that fits the product's kind",
            )
        if self.best_before is not None and self.use_by is not None:
            raise _checks.fail(
                fields.use_by,
                "a lot has a best-before or a use-by date, not both",
                "keep use_by for food that spoils quickly (chilled meat), else best_before",
            )
        for field, day in ((fields.best_before, self.best_before), (fields.use_by, self.use_by)):
            if day is not None and day <= self.production_date:
                raise _checks.fail(
                    field,
                    f"{field.name} {day} is not after the production date {self.production_date}",
                )
        record = self.record
        if record is not None and record.day > self.production_date:
            raise _checks.fail(
                fields.production_date,
                f"production_date {self.production_date} is before the {given[0]} "
                f"record's day {record.day}",
                "the production date is the day the lot was made or packed, not earlier "
                "than slaughter, laying, harvest or processing",
            )

    @property
    def printed_date(self) -> dt.date | None:
        """The date on the label that bounds the sale: the use-by, else the best-before."""
        return self.use_by or self.best_before

    @property
    def printed_date_kind(self) -> str | None:
        """``use_by`` or ``best_before``: which date the label carries (None: neither)."""
        if self.use_by is not None:
            return "use_by"
        return "best_before" if self.best_before is not None else None

    @property
    def record(self) -> SlaughterRecord | LayingRecord | HarvestRecord | ProcessingRecord | None:
        """The lot's record, whichever kind it is."""
        return self.slaughter or self.laying or self.harvest or self.processing

    @property
    def record_kind(self) -> str | None:
        """The name of the lot's record (``slaughter``, ``laying``...), or None."""
        return next((name for name in RECORD_KINDS if getattr(self, name) is not None), None)
