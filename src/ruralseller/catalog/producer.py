"""Producers and the papers they hold: licences and certifications.

Example:
    >>> import datetime as dt
    >>> farm = Producer(
    ...     id="wu-family-farm",
    ...     name="吴家乌鸡养殖场",
    ...     kind=ProducerKind.FARMER,
    ...     place=Place(country="CN", province="江西省", county="泰和县"),
    ...     licences=[
    ...         Licence(
    ...             kind=LicenceKind.ANIMAL_EPIDEMIC_PREVENTION,
    ...             number="(赣)动防合字第360826001号",
    ...             issuer="泰和县农业农村局",
    ...             valid_from=dt.date(2024, 3, 1),
    ...         )
    ...     ],
    ... )
    >>> farm.licence(LicenceKind.ANIMAL_EPIDEMIC_PREVENTION).is_valid_on(dt.date(2026, 11, 20))
    True
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from ruralseller.catalog import checks as _checks
from ruralseller.catalog.place import Place

__all__ = [
    "Certification",
    "CertificationKind",
    "Licence",
    "LicenceKind",
    "Producer",
    "ProducerKind",
]


class ProducerKind(enum.Enum):
    """What kind of business a producer is; rules differ for each."""

    FARMER = "farmer"
    """A farming household selling what it raises or grows itself."""
    COOPERATIVE = "cooperative"
    """A farmers' cooperative (农民专业合作社) selling its members' produce."""
    WORKSHOP = "workshop"
    """A small food workshop (食品小作坊), e.g. curing and smoking meat."""
    PLANT = "plant"
    """A licensed processing or slaughter plant."""


class LicenceKind(enum.Enum):
    """The kinds of licence a producer or facility can hold."""

    BUSINESS = "business"
    """Business licence (营业执照) or the local business registration."""
    FOOD_PRODUCTION = "food_production"
    """Food production licence (食品生产许可证, the "SC" number)."""
    FOOD_BUSINESS = "food_business"
    """Food business (trading) licence (食品经营许可证)."""
    SMALL_WORKSHOP = "small_workshop"
    """Provincial registration of a small food workshop (食品小作坊登记证)."""
    ANIMAL_EPIDEMIC_PREVENTION = "animal_epidemic_prevention"
    """Animal epidemic prevention conditions certificate (动物防疫条件合格证)."""
    DESIGNATED_SLAUGHTER = "designated_slaughter"
    """Designated slaughter licence (定点屠宰许可证) of a slaughter plant."""
    EU_APPROVED_ESTABLISHMENT = "eu_approved_establishment"
    """EU approval number of an establishment under Reg. (EC) 853/2004 Art. 4."""
    US_GRANT_OF_INSPECTION = "us_grant_of_inspection"
    """USDA FSIS grant of inspection (establishment number)."""
    US_PPIA_EXEMPTION = "us_ppia_exemption"
    """A producer exemption from inspection under the US Poultry Products Inspection Act."""
    EU_EGG_PRODUCER = "eu_egg_producer"
    """EU egg producer code: farming method, country and establishment, e.g. ``1-DE-1234567``."""
    OTHER = "other"
    """Any other licence; say what it is in ``scope``."""


class CertificationKind(enum.Enum):
    """Certifications a producer or product may carry."""

    ORGANIC = "organic"
    """Organic certification (e.g. GB/T 19630 in China, Reg. (EU) 2018/848, USDA NOP)."""
    GREEN_FOOD = "green_food"
    """China Green Food (绿色食品)."""
    GEOGRAPHICAL_INDICATION = "geographical_indication"
    """A geographical indication (地理标志产品 / PGI / PDO)."""
    HALAL = "halal"
    """Halal certification."""
    OTHER = "other"
    """Any other certification; say what it is in ``scope``."""


def _valid_until_after_from(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and value < instance.valid_from:
        raise _checks.fail(
            attribute,
            f"{attribute.name} {value} is before valid_from {instance.valid_from}",
            "check the dates on the document",
        )


@attrs.frozen(kw_only=True)
class _Document:
    number: str = attrs.field(validator=_checks.text)
    issuer: str = attrs.field(validator=_checks.text)
    valid_from: dt.date
    valid_until: dt.date | None = attrs.field(default=None, validator=_valid_until_after_from)
    scope: str | None = attrs.field(default=None, validator=_checks.optional_text)

    def is_valid_on(self, day: dt.date) -> bool:
        """Whether the document is in force on ``day``."""
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@attrs.frozen(kw_only=True)
class Licence(_Document):
    """A licence held by a producer or a facility.

    Attributes:
        kind: what the licence is for.
        number: the number printed on it.
        issuer: the authority that issued it.
        valid_from: first day it is valid.
        valid_until: last day it is valid; leave out if it does not expire.
        scope: what it covers, as written on it (e.g. "禽类屠宰").
    """

    kind: LicenceKind


@attrs.frozen(kw_only=True)
class Certification(_Document):
    """A certification such as organic, green food or a geographical indication.

    Attributes:
        kind: what is certified.
        number: the certificate number.
        issuer: the certifying body.
        valid_from: first day it is valid.
        valid_until: last day it is valid; leave out if it does not expire.
        scope: the products or land it covers.
    """

    kind: CertificationKind


def _unique_ids(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _checks.unique(attribute, (f"{item.kind.value} {item.number}" for item in value), "document")


@attrs.frozen(kw_only=True)
class Producer:
    """Someone who raises, grows or makes what is sold.

    Attributes:
        id: how products refer to this producer, e.g. ``wu-family-farm``.
        name: the producer's name, as on their papers.
        kind: farmer, cooperative, workshop or plant.
        place: where the farm or workshop is, down to the village if known.
        contact: a phone number or other contact for the partner, if the producer wants it known.
        licences: licences the producer holds.
        certifications: certifications the producer holds.
    """

    id: str = attrs.field(validator=_checks.identifier)
    name: str = attrs.field(validator=_checks.text)
    kind: ProducerKind
    place: Place
    contact: str | None = attrs.field(default=None, validator=_checks.optional_text)
    licences: tuple[Licence, ...] = attrs.field(
        default=(), converter=_checks.frozen_tuple, validator=_unique_ids
    )
    certifications: tuple[Certification, ...] = attrs.field(
        default=(), converter=_checks.frozen_tuple, validator=_unique_ids
    )

    def licence(self, kind: LicenceKind) -> Licence | None:
        """The producer's licence of ``kind``, or None if it holds none."""
        return next((lic for lic in self.licences if lic.kind is kind), None)
