"""Rules for selling farm food in the United States under federal law (US).

Each rule cites the statute, regulation or guidance it rests on, how well that was verified
(``docs/explanations/compliance-sources.md`` lists them all) and the days it is in force. Only
rules whose source was verified block; the rest warn and say so. State law adds licensing and
labelling of its own and is not covered. This is not legal advice.

Which Poultry Products Inspection Act (PPIA) exemption a producer claims is read from the
``scope`` of its ``us_ppia_exemption`` licence, which must name exactly one of:

* ``1,000`` (or ``1000``): the producer/grower 1,000-bird exemption, for birds the producer
  raised itself;
* ``20,000`` (or ``20000``): the producer/grower 20,000-bird exemption, for birds the producer
  raised itself;
* ``PGOP`` (any case): the producer/grower or other person 20,000-bird exemption.

The token may stand among other words, e.g. ``scope = "1,000 birds, own flock"``. A scope with
none of them, or with more than one, is reported: no one may claim two exemptions in a year.
Birds are counted per calendar year across every lot of the producer in the catalogue.

A US state is the ``province`` of a :class:`~ruralseller.catalog.Place`, written as its name
(``Missouri``) or its postal code (``MO``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from decimal import Decimal

import attrs

from ruralseller.catalog import (
    Licence,
    LicenceKind,
    Mass,
    Place,
    Producer,
    ProducerKind,
    StorageClass,
    Temperature,
)
from ruralseller.compliance.context import LotContext
from ruralseller.compliance.rules import (
    Citation,
    Issue,
    Rule,
    RulePack,
    Severity,
    SourceStatus,
    Topic,
)
from ruralseller.compliance.wording import find_terms

__all__ = ["PACK"]

V, P, U = SourceStatus.VERIFIED, SourceStatus.PARTIAL, SourceStatus.UNVERIFIED

_MEAT = frozenset({"poultry_meat", "cured_meat"})

# An FSIS establishment number as printed in the inspection legend: "P-1234" for poultry,
# "M-1234" for meat, often after "EST." (9 CFR 381.127 shipping-container legend).
_POULTRY_ESTABLISHMENT = re.compile(r"(?:EST\.?\s*)?P-?\s?\d{1,6}[A-Z]?", re.IGNORECASE)
_MEAT_ESTABLISHMENT = re.compile(
    r"(?:EST\.?\s*(?:[MP]-?\s?)?|[MP]-?\s?)\d{1,6}[A-Z]?", re.IGNORECASE
)

# 21 CFR 115.50: shell eggs held at an ambient temperature of 45 °F (7.2 °C) or less.
_EGGS_MAX = Temperature(45, "°F")
# 9 CFR 381.129(b)(6): raw poultry ever below 26 °F may not be called fresh (unverified).
_FRESH_MIN = Temperature(26, "°F")
_FRESH = ("fresh", "新鲜", "冰鲜")
# USPS Publication 52: at most 5 lb of dry ice in one mailpiece sent by air (coldchain.md §2.4).
_USPS_AIR_DRY_ICE = Mass(5, "lb")

_US_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
    "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL",
    "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
    "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY",
    "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK",
    "oregon": "OR", "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC",
    "south dakota": "SD", "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT",
    "virginia": "VA", "washington": "WA", "west virginia": "WV", "wisconsin": "WI",
    "wyoming": "WY", "puerto rico": "PR", "guam": "GU", "american samoa": "AS",
    "northern mariana islands": "MP", "u.s. virgin islands": "VI", "virgin islands": "VI",
}  # fmt: skip


def _state(place: Place) -> str | None:
    """The state's postal code (``MO``), or the casefolded name if it is not a known state."""
    if place.province is None:
        return None
    name = " ".join(place.province.split()).casefold()
    if name.upper() in _US_STATES.values():
        return name.upper()
    return _US_STATES.get(name, name)


def _us_producer(ctx: LotContext) -> bool:
    return ctx.producer.place.country == "US"


def _us_market(ctx: LotContext) -> bool:
    """Whether the lot is sold in the US: to a US buyer, or by a US producer to no stated place."""
    destination = ctx.sale.destination
    if destination is not None:
        return destination.country == "US"
    return _us_producer(ctx)


def _touches_us(ctx: LotContext) -> bool:
    destination = ctx.sale.destination
    return _us_producer(ctx) or (destination is not None and destination.country == "US")


def _has_grant(producer: Producer, day: dt.date, facility_licence: str | None) -> bool:
    """Whether the producer's own FSIS-inspected establishment did the work on ``day``."""
    grant = producer.licence(LicenceKind.US_GRANT_OF_INSPECTION)
    return grant is not None and grant.is_valid_on(day) and facility_licence in {None, grant.number}


# --- PPIA exemptions -----------------------------------------------------------------------


@attrs.frozen
class _Exemption:
    token: str
    name: str
    limit: int
    own_birds: bool


_PG_1000 = _Exemption("1000", "producer/grower 1,000-bird exemption", 1000, own_birds=True)
_PG_20000 = _Exemption("20000", "producer/grower 20,000-bird exemption", 20000, own_birds=True)
_PGOP = _Exemption(
    "pgop", "producer/grower or other person (PGOP) 20,000-bird exemption", 20000, own_birds=False
)
_EXEMPTIONS = (_PG_1000, _PG_20000, _PGOP)
_SCOPE_HELP = (
    "write which exemption you claim in the us_ppia_exemption licence's scope: '1,000' for the "
    "producer/grower 1,000-bird exemption, '20,000' for the producer/grower 20,000-bird "
    "exemption, or 'PGOP' for the producer/grower or other person exemption"
)


@attrs.frozen
class _Claim:
    index: int
    licence: Licence
    named: tuple[_Exemption, ...]

    @property
    def exemption(self) -> _Exemption | None:
        """The exemption claimed, when the scope names exactly one."""
        return self.named[0] if len(self.named) == 1 else None


def _claim(ctx: LotContext) -> _Claim | None:
    """The PPIA exemption a US producer claims, if it holds a us_ppia_exemption licence."""
    if not _us_producer(ctx):
        return None
    for index, licence in enumerate(ctx.producer.licences):
        if licence.kind is LicenceKind.US_PPIA_EXEMPTION:
            # "1,000" and "20,000" are read without the thousands separator.
            text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", (licence.scope or "").casefold())
            named = tuple(e for e in _EXEMPTIONS if re.search(rf"\b{e.token}\b", text))
            return _Claim(index, licence, named)
    return None


def _claim_path(ctx: LotContext, claim: _Claim, *fields: str) -> str:
    return ctx.producer_path(f"licences[{claim.index}]", *fields)


# --- slaughter and inspection --------------------------------------------------------------


def _fsis_inspection(ctx: LotContext) -> Iterator[Issue]:
    record = ctx.lot.slaughter
    if record is None or not _us_producer(ctx):
        return
    claim = _claim(ctx)
    if claim is not None and claim.licence.is_valid_on(record.day):
        return  # the exemption rules judge it
    licence = record.facility_licence
    if (licence is not None and _POULTRY_ESTABLISHMENT.fullmatch(licence.strip())) or _has_grant(
        ctx.producer, record.day, licence
    ):
        return
    if claim is not None:
        yield Issue(
            message=f"{ctx.producer.name}'s PPIA exemption record {claim.licence.number!r} is "
            f"not valid on {record.day.isoformat()}, the day lot {ctx.lot.id} was slaughtered "
            f"(valid {claim.licence.valid_from} to {claim.licence.valid_until or 'open'}), and "
            "the birds were not slaughtered under FSIS inspection",
            remedy="correct the exemption's valid_from/valid_until dates, or have the birds "
            "slaughtered at an FSIS-inspected establishment",
            field=_claim_path(ctx, claim, "valid_from"),
        )
        return
    where = "on the farm" if record.on_farm else f"at {record.facility}"
    number = f"licence {licence!r}" if licence else "no establishment number"
    yield Issue(
        message=f"lot {ctx.lot.id} was slaughtered {where} ({number}) and "
        f"{ctx.producer.name} claims no PPIA exemption; poultry sold in the US must be "
        "slaughtered and processed under FSIS inspection",
        remedy="have the birds slaughtered at an FSIS-inspected establishment and enter its "
        "establishment number (e.g. P-1234) as slaughter.facility_licence; or, if you qualify "
        "for a PPIA exemption, add a us_ppia_exemption licence and " + _SCOPE_HELP,
        field=ctx.path("slaughter", "facility_licence"),
    )


def _exemption_claim(ctx: LotContext) -> Iterator[Issue]:
    claim = _claim(ctx)
    if claim is None or claim.exemption is not None:
        return
    scope = claim.licence.scope
    if claim.named:
        names = " and ".join(e.name for e in claim.named)
        message = (
            f"the PPIA exemption {claim.licence.number!r} names more than one exemption "
            f"({names}); no one may claim more than one exemption in a calendar year"
        )
    else:
        said = f"its scope {scope!r} names none" if scope else "it has no scope"
        message = (
            f"the PPIA exemption {claim.licence.number!r} does not say which exemption "
            f"{ctx.producer.name} claims ({said}), so the bird limit cannot be checked"
        )
    yield Issue(message=message, remedy=_SCOPE_HELP, field=_claim_path(ctx, claim, "scope"))


def _own_birds(ctx: LotContext) -> Iterator[Issue]:
    claim = _claim(ctx)
    if claim is None or claim.exemption is None or not claim.exemption.own_birds:
        return
    kind = ctx.producer.kind
    if kind is ProducerKind.PLANT:
        yield Issue(
            message=f"{ctx.producer.name} is a processing plant, but the "
            f"{claim.exemption.name} covers only birds the producer raised on its own farm; "
            "a plant may not process other people's birds under it",
            remedy="slaughter under FSIS inspection (apply for a grant of inspection), or, "
            "for a person buying live birds, claim the PGOP exemption (scope 'PGOP') if it fits",
            field=ctx.producer_path("kind"),
        )
    elif kind in {ProducerKind.COOPERATIVE, ProducerKind.WORKSHOP}:
        yield Issue(
            message=f"{ctx.producer.name} is a {kind.value}; the {claim.exemption.name} covers "
            "only birds the producer raised on its own farm, not birds bought in or raised "
            "by members",
            remedy="make sure every exempt bird was raised by the producer itself; otherwise "
            "slaughter under FSIS inspection or claim the PGOP exemption (scope 'PGOP')",
            field=ctx.producer_path("kind"),
            severity=Severity.WARNING,
        )


def _bird_limit(exemption: _Exemption) -> Callable[[LotContext], Iterator[Issue]]:
    def check(ctx: LotContext) -> Iterator[Issue]:
        record = ctx.lot.slaughter
        claim = _claim(ctx)
        if record is None or claim is None or claim.exemption is not exemption:
            return
        year = record.slaughtered_at.year
        total = ctx.birds_slaughtered_in(year)
        if total is None:
            missing = [
                (index, lot.id)
                for index, lot in enumerate(ctx.catalog.lots)
                if lot.slaughter is not None
                and lot.slaughter.slaughtered_at.year == year
                and lot.slaughter.birds is None
                and ctx.catalog.producer_of(lot).id == ctx.producer.id
            ]
            index = next((i for i, lot_id in missing if lot_id == ctx.lot.id), missing[0][0])
            yield Issue(
                message=f"the {exemption.name} allows at most {exemption.limit:,} birds in a "
                f"calendar year, but the number of birds is not recorded for lot(s) "
                f"{', '.join(lot_id for _, lot_id in missing)}, so the {year} total cannot be "
                "counted",
                remedy=f"enter slaughter.birds (how many birds were slaughtered) for every lot "
                f"slaughtered in {year}",
                field=f"lots[{index}].slaughter.birds",
                severity=Severity.WARNING,
            )
            return
        if total > exemption.limit:
            beyond = (
                "claim the producer/grower 20,000-bird exemption if you qualify (sales within "
                "your state only), or slaughter the birds above 1,000 at an FSIS-inspected "
                "establishment"
                if exemption is _PG_1000
                else "no exemption covers more than 20,000 birds a year: slaughter the rest at "
                "an FSIS-inspected establishment, or apply for a grant of inspection"
            )
            yield Issue(
                message=f"{ctx.producer.name} slaughtered {total:,} birds in {year} (this lot "
                f"{record.birds or 0:,}); the {exemption.name} allows at most "
                f"{exemption.limit:,} birds in a calendar year",
                remedy=beyond,
                field=ctx.path("slaughter", "birds"),
            )

    return check


def _intrastate(ctx: LotContext) -> Iterator[Issue]:
    claim = _claim(ctx)
    destination = ctx.sale.destination
    if claim is None or destination is None:
        return
    home = _state(ctx.producer.place)
    if destination.country != "US":
        where = destination.country_name("en")
    else:
        there = _state(destination)
        if home is None or there is None or there == home:
            return
        where = f"another state ({destination.province})"
    yield Issue(
        message=f"lot {ctx.lot.id} is exempt from inspection, and exempt poultry may be sold "
        f"only within the producer's own state ({ctx.producer.place.province or 'not given'}); "
        f"this sale goes to {where}",
        remedy="sell exempt poultry only to buyers in your own state, or have the birds "
        "slaughtered under FSIS inspection to sell across state lines or abroad",
        field="sale.destination",
    )


# --- labelling -----------------------------------------------------------------------------


def _handling_statement(ctx: LotContext) -> Iterator[Issue]:
    if not _us_market(ctx):
        return
    storage = ctx.product.storage_class
    statements = {StorageClass.CHILLED: "Keep Refrigerated", StorageClass.FROZEN: "Keep Frozen"}
    statement = statements.get(storage)
    if statement is not None:
        yield Issue(
            message=f"{ctx.product.name} is sold {storage.value}: the principal display panel "
            f"must carry the handling statement '{statement}'",
            remedy=f"print '{statement}' on the front of the label",
            field=ctx.product_path("storage"),
        )


def _safe_handling_poultry(ctx: LotContext) -> Iterator[Issue]:
    if not _us_market(ctx):
        return
    yield Issue(
        message=f"{ctx.product.name} is raw poultry: its label must carry a boxed panel headed "
        "'Safe Handling Instructions'",
        remedy="print the boxed 'Safe Handling Instructions' panel in letters at least 1/16 inch "
        "high: the reason sentence, then refrigerate or freeze and thaw safely, keep raw meat "
        "and poultry apart and wash surfaces and hands, cook thoroughly, keep hot foods hot "
        "and refrigerate leftovers, each with its icon; copy the exact wording from "
        "9 CFR 381.125(b)",
        field=ctx.product_path("kind"),
    )


def _exempt_label(ctx: LotContext) -> Iterator[Issue]:
    claim = _claim(ctx)
    if claim is None:
        return
    statement = (
        "and the exemption statement (often 'Exempt P.L. 90-492'; that wording is not "
        "verified, so check 9 CFR 381.10 and your state's rules)"
    )
    complete = True
    if ctx.producer.place.province is None:
        complete = False
        yield Issue(
            message=f"exempt poultry is labelled with the producer's name and address; "
            f"{ctx.producer.name}'s place has no state",
            remedy=f"add the state (province) to the producer's place, and print your name, "
            f"address {statement}",
            field=ctx.producer_path("place", "province"),
        )
    if ctx.producer.contact is None:
        complete = False
        yield Issue(
            message=f"exempt poultry is labelled with the producer's name and address; "
            f"{ctx.producer.name} has no contact",
            remedy=f"add contact (street address or phone) to the producer, and print your "
            f"name, address {statement}",
            field=ctx.producer_path("contact"),
        )
    if complete:
        yield Issue(
            message=f"{ctx.producer.name} sells under a PPIA exemption: the label carries its "
            f"name and address ({ctx.producer.place}) {statement}",
            remedy="print the producer's name, address and the exemption statement on the label",
            field=_claim_path(ctx, claim),
            severity=Severity.INFO,
        )


# --- claims --------------------------------------------------------------------------------


def _fresh_claim(ctx: LotContext) -> Iterator[Issue]:
    if not _us_market(ctx):
        return
    record = ctx.lot.slaughter
    chilling = record.chilling if record is not None else None
    if ctx.product.storage_class is StorageClass.FROZEN:
        why = "is sold frozen"
    elif (
        chilling is not None
        and chilling.core_temperature is not None
        and chilling.core_temperature < _FRESH_MIN
    ):
        why = f"was chilled to {chilling.core_temperature}, below 26 °F (-3.3 °C)"
    else:
        return
    for path, term in find_terms(ctx.texts(), _FRESH):
        yield Issue(
            message=f"{path} uses {term!r}, but lot {ctx.lot.id} {why}; raw poultry whose "
            "internal temperature has ever been below 26 °F (-3.3 °C) may not be called fresh",
            remedy="remove 'fresh' from the name and texts; say 'frozen' (or 'previously "
            "frozen') instead",
            field=path,
        )


# --- eggs ----------------------------------------------------------------------------------


def _eggs_45f(ctx: LotContext) -> Iterator[Issue]:
    if not _us_market(ctx):
        return
    storage = ctx.product.storage_class
    high = storage.limits[1]
    if high is not None and high <= _EGGS_MAX:
        return
    held = f"up to {high}" if high is not None else "with no upper temperature"
    yield Issue(
        message=f"{ctx.product.name} is stored {storage.value} ({held}); shell eggs must be "
        "held and displayed at 45 °F (7.2 °C) or colder",
        remedy="keep and ship the eggs at 45 °F (7.2 °C) or colder (storage 'cool' or "
        "'chilled', with ice packs in the parcel)",
        field=ctx.product_path("storage"),
    )


def _eggs_safe_handling(ctx: LotContext) -> Iterator[Issue]:
    if not _us_market(ctx):
        return
    yield Issue(
        message=f"unless the eggs of {ctx.product.name} were treated to destroy Salmonella, "
        "the carton must carry a statement headed 'SAFE HANDLING INSTRUCTIONS' (in bold)",
        remedy="print the 'SAFE HANDLING INSTRUCTIONS' statement on every carton: keep eggs "
        "refrigerated, cook eggs until yolks are firm, cook foods containing eggs thoroughly; "
        "copy the exact wording from 21 CFR 101.17(h)",
        field=ctx.product_path("kind"),
    )


def _eggs_refrigeration_label(ctx: LotContext) -> Iterator[Issue]:
    if not _us_market(ctx):
        return
    yield Issue(
        message=f"packed shell eggs ({ctx.product.name}) are stored and transported at an "
        "ambient 45 °F (7.2 °C) or colder, and the pack states that refrigeration is required",
        remedy="state on the carton that refrigeration is required (e.g. 'Keep Refrigerated') "
        "and ship the eggs at 45 °F (7.2 °C) or colder",
        field=ctx.product_path("storage"),
    )


# --- cured meat and imports ----------------------------------------------------------------


def _cured_meat_inspection(ctx: LotContext) -> Iterator[Issue]:
    record = ctx.lot.processing
    if record is None or not _us_producer(ctx):
        return
    licence = record.facility_licence
    if (licence is not None and _MEAT_ESTABLISHMENT.fullmatch(licence.strip())) or _has_grant(
        ctx.producer, record.day, licence
    ):
        return
    where = f"at {record.facility}" if record.facility else f"by {ctx.producer.name}"
    number = f"licence {licence!r}" if licence else "no establishment number"
    yield Issue(
        message=f"lot {ctx.lot.id} was {record.process.value.replace('_', ' ')} {where} "
        f"({number}); cured and smoked meat sold in the US is made under FSIS inspection",
        remedy="have the meat cured at an FSIS-inspected establishment and enter its "
        "establishment number (e.g. M-1234) as processing.facility_licence, or add your own "
        "grant of inspection (us_grant_of_inspection) to the producer",
        field=ctx.path("processing", "facility_licence"),
    )


def _imports(ctx: LotContext) -> Iterator[Issue]:
    destination = ctx.sale.destination
    if destination is None or destination.country != "US" or _us_producer(ctx):
        return
    place = ctx.producer.place
    country = place.country_name("en")
    if place.country == "CN" and ctx.product.kind == "cured_meat":
        why = (
            "China is eligible to export to the US only limited processed (cooked) poultry, and "
            "pork products from China are barred by animal-disease (African swine fever) rules"
        )
    elif place.country == "CN":
        why = "China is eligible to export to the US only limited processed (cooked) poultry"
    else:
        why = (
            "meat and poultry enter the US only from countries and establishments FSIS lists "
            "as eligible"
        )
    yield Issue(
        message=f"lot {ctx.lot.id} ({ctx.product.kind.replace('_', ' ')}) is made in {country} "
        f"and sold to a buyer in the US; {why}",
        remedy="do not send it to US buyers unless FSIS lists the country and the plant as "
        "eligible for this product; sell it at home instead",
        field=ctx.producer_path("place", "country"),
    )


# --- shipping ------------------------------------------------------------------------------


def _kg(ctx: LotContext) -> str:
    kg = ctx.dry_ice_kg() or Decimal(0)
    return format(kg.quantize(Decimal("0.01")).normalize(), "f")


def _dry_ice_usps(ctx: LotContext) -> Iterator[Issue]:
    ice = ctx.sale.dry_ice
    if ice is None or not ice or not _us_producer(ctx):
        return
    destination = ctx.sale.destination
    # The sale does not name the carrier, so a USPS limit can only warn.
    if destination is not None and destination.country != "US":
        yield Issue(
            message=f"the parcel holds {_kg(ctx)} kg of dry ice and goes to "
            f"{destination.country_name('en')}; USPS does not accept dry ice in international "
            "mail",
            remedy="if you use USPS, send it without dry ice (gel packs), or use a carrier "
            "that ships dry ice abroad under IATA packing instruction 954",
            field="sale.dry_ice",
            severity=Severity.WARNING,
        )
    elif ctx.sale.mode == "air" and ice > _USPS_AIR_DRY_ICE:
        yield Issue(
            message=f"the parcel holds {_kg(ctx)} kg ({ice.to('lb'):.1f}) of dry ice and goes "
            "by air; USPS takes at most 5 lb (2.27 kg) of dry ice in one mailpiece by air",
            remedy="if you use USPS, put at most 5 lb of dry ice in each parcel or send it by "
            "ground; otherwise use a carrier that accepts more (Class 9 label, UN1845)",
            field="sale.dry_ice",
            severity=Severity.WARNING,
        )


def _dry_ice_marking(ctx: LotContext) -> Iterator[Issue]:
    ice = ctx.sale.dry_ice
    if ice is None or not ice or not _touches_us(ctx):
        return
    air = " and, by air, tell the carrier" if ctx.sale.mode == "air" else ""
    yield Issue(
        message=f"the parcel holds {_kg(ctx)} kg of dry ice (UN1845): the package is marked "
        "'Dry Ice' or 'Carbon dioxide, solid' with the net mass of dry ice",
        remedy=f"mark the box 'Dry Ice', 'UN1845' and 'net {_kg(ctx)} kg', use a box that "
        f"lets the gas escape{air}",
        field="sale.dry_ice",
    )


def _egg_safety_rule(ctx: LotContext) -> Iterator[Issue]:
    if not _touches_us(ctx):
        return
    yield Issue(
        message=f"{ctx.product.name}: a farm with 3,000 or more laying hens that does not sell "
        "all its eggs directly to consumers needs a Salmonella Enteritidis prevention plan, "
        "must hold eggs at 45 °F (7.2 °C) or below from 36 hours after laying, and must "
        "register with the FDA",
        remedy="if your flock has 3,000 hens or more and some eggs go to shops or packers, "
        "write the SE prevention plan and register the farm with the FDA",
        field=ctx.product_path("kind"),
    )


def _egg_handler_registration(ctx: LotContext) -> Iterator[Issue]:
    if not _touches_us(ctx):
        return
    yield Issue(
        message=f"{ctx.product.name}: whoever grades and packs eggs for consumers registers "
        "with USDA as a shell egg handler, unless a producer-packer with 3,000 hens or fewer",
        remedy="if your flock is larger than 3,000 hens, register as a shell egg handler "
        "with USDA AMS before packing",
        field=ctx.product_path("kind"),
    )


_FSIS_EXEMPTION_GUIDANCE = (
    "FSIS Guidance for Determining Whether a Poultry Slaughter or Processing Operation is "
    "Exempt from Inspection Requirements of the PPIA (Rev. 1, April 2006)"
)
# The FSIS guidance, in the copy that was read (a published flipbook of the FSIS PDF).
_FSIS_GUIDANCE_URL = "https://pubhtml5.com/cbfn/eodv/basic"
_ECFR = "https://www.ecfr.gov/current/"
_CORNELL_118 = "https://www.law.cornell.edu/cfr/text/21/118.1"
_ECFR_57_690 = "https://www.ecfr.gov/current/title-7/section-57.690"
_USPS_PUB52 = Citation(
    "USPS Publication 52, Hazardous, Restricted, and Perishable Mail",
    "Ch. 7 (dry ice); Appendix C",
    "https://pe.usps.com/text/pub52/pub52c7_015.htm",
)

PACK = RulePack(
    jurisdiction="US",
    name="United States (federal)",
    description="Federal poultry inspection and PPIA exemptions (bird limits, sales within the "
    "state), poultry and egg labels, 'fresh' poultry, egg refrigeration, cured meat, imports "
    "and dry ice for farm food sold in the US. State rules (licences, labels, state "
    "inspection) are not covered.",
    rules=[
        Rule(
            code="US-POULTRY-FSIS-INSPECTION",
            title="Poultry is slaughtered under FSIS inspection unless an exemption applies",
            jurisdiction="US",
            topic=Topic.SLAUGHTER,
            kinds={"poultry_meat"},
            citation=Citation(
                _FSIS_EXEMPTION_GUIDANCE,
                "PPIA (21 U.S.C. 451 et seq.); 9 CFR 381",
                _FSIS_GUIDANCE_URL,
            ),
            status=V,
            check=_fsis_inspection,
            note="The structure (inspection unless exempt) is verified through "
            "the FSIS guidance; the statute section is not. State-inspected plants (intrastate "
            "only) are not recognised: only an FSIS P-number or the producer's own grant of "
            "inspection counts.",
        ),
        Rule(
            code="US-PPIA-EXEMPTION-CLAIM",
            title="A PPIA exemption says which one it is (one per year)",
            jurisdiction="US",
            topic=Topic.LICENCES,
            kinds={"poultry_meat"},
            citation=Citation(
                _FSIS_EXEMPTION_GUIDANCE,
                "How many exemptions may a person claim?",
                _FSIS_GUIDANCE_URL,
            ),
            status=P,
            severity=Severity.WARNING,
            check=_exemption_claim,
            note="Partly verified in the FSIS guidance. The scope tokens are this pack's "
            "convention (see the "
            "module docstring).",
        ),
        Rule(
            code="US-PPIA-OWN-BIRDS",
            title="Producer/grower exemptions cover only birds the producer raised",
            jurisdiction="US",
            topic=Topic.LICENCES,
            kinds={"poultry_meat"},
            citation=Citation(
                _FSIS_EXEMPTION_GUIDANCE,
                "producer/grower exemptions; 9 CFR 381.10",
                _FSIS_GUIDANCE_URL,
            ),
            status=V,
            check=_own_birds,
            note="The requirement is verified in the FSIS guidance; the 9 CFR 381.10 "
            "subsections are not. The "
            "catalogue does not record where birds were raised: plants are blocked, "
            "cooperatives and workshops warned.",
        ),
        Rule(
            code="US-PPIA-1000-BIRDS",
            title="The producer/grower 1,000-bird exemption: at most 1,000 birds a year",
            jurisdiction="US",
            topic=Topic.SLAUGHTER,
            kinds={"poultry_meat"},
            citation=Citation(
                _FSIS_EXEMPTION_GUIDANCE, "PPIA §15(c)(3) (21 U.S.C. 464(c)(3))", _FSIS_GUIDANCE_URL
            ),
            status=V,
            check=_bird_limit(_PG_1000),
            note="The limit is verified in the FSIS guidance, the statute section is not.",
        ),
        Rule(
            code="US-PPIA-20000-BIRDS",
            title="The producer/grower 20,000-bird exemption: at most 20,000 birds a year",
            jurisdiction="US",
            topic=Topic.SLAUGHTER,
            kinds={"poultry_meat"},
            citation=Citation(_FSIS_EXEMPTION_GUIDANCE, "9 CFR 381.10(a)(4)", _FSIS_GUIDANCE_URL),
            status=V,
            check=_bird_limit(_PG_20000),
            note="The limit is verified in the FSIS guidance. The subsection was given as "
            "381.10(c) until an audit pointed to (a)(4), the producer/grower exemption; "
            "(a)(4) was not read in the eCFR text either.",
        ),
        Rule(
            code="US-PPIA-PGOP-20000-BIRDS",
            title="The PGOP exemption: at most 20,000 birds a year",
            jurisdiction="US",
            topic=Topic.SLAUGHTER,
            kinds={"poultry_meat"},
            citation=Citation(_FSIS_EXEMPTION_GUIDANCE, "9 CFR 381.10(a)(5)", _FSIS_GUIDANCE_URL),
            status=V,
            check=_bird_limit(_PGOP),
            note="The limit is verified in the FSIS guidance, the CFR subsection is not. "
            "PGOP sales "
            "go only to households, restaurants, hotels and boarding houses, not to retail "
            "stores; the sale does not say who buys, so that is not checked.",
        ),
        Rule(
            code="US-PPIA-INTRASTATE",
            title="Exempt poultry is sold only within the producer's state",
            jurisdiction="US",
            topic=Topic.SHIPPING,
            kinds={"poultry_meat"},
            citation=Citation(
                _FSIS_EXEMPTION_GUIDANCE,
                "exempt product and interstate commerce",
                _FSIS_GUIDANCE_URL,
            ),
            status=P,
            check=_intrastate,
            note="Partly verified in the FSIS guidance, which states it for the 20,000-bird "
            "exemption (subsection not read).",
        ),
        Rule(
            code="US-LABEL-HANDLING-STATEMENT",
            title="Poultry labels say 'Keep Refrigerated' or 'Keep Frozen'",
            jurisdiction="US",
            topic=Topic.LABELLING,
            kinds={"poultry_meat"},
            citation=Citation("9 CFR Part 381", "§381.125(a)", _ECFR + "title-9/section-381.125"),
            status=V,
            severity=Severity.INFO,
            check=_handling_statement,
        ),
        Rule(
            code="US-LABEL-SAFE-HANDLING",
            title="Raw poultry labels carry the Safe Handling Instructions",
            jurisdiction="US",
            topic=Topic.LABELLING,
            kinds={"poultry_meat"},
            citation=Citation("9 CFR Part 381", "§381.125(b)", _ECFR + "title-9/section-381.125"),
            status=V,
            severity=Severity.INFO,
            check=_safe_handling_poultry,
        ),
        Rule(
            code="US-LABEL-EXEMPT-PRODUCER",
            title="Exempt poultry labels give the producer's name, address and exemption",
            jurisdiction="US",
            topic=Topic.LABELLING,
            kinds={"poultry_meat"},
            citation=Citation(
                _FSIS_EXEMPTION_GUIDANCE,
                "9 CFR 381.10 (label of exempt product)",
                _FSIS_GUIDANCE_URL,
            ),
            status=U,
            severity=Severity.WARNING,
            check=_exempt_label,
            note="The subsection and the exact statement ('Exempt P.L. 90-492') are unverified.",
        ),
        Rule(
            code="US-POULTRY-FRESH-CLAIM",
            title="Poultry ever below 26 °F is not called fresh",
            jurisdiction="US",
            topic=Topic.CLAIMS,
            kinds={"poultry_meat"},
            citation=Citation(
                "9 CFR Part 381", "§381.129(b)(6)", _ECFR + "title-9/section-381.129"
            ),
            status=U,
            check=_fresh_claim,
            note="Unverified. Checked for frozen products and for lots chilled below "
            "26 °F; the 0 °F 'frozen' labelling duty is not checked.",
        ),
        Rule(
            code="US-EGGS-45F",
            title="Shell eggs are held at 45 °F (7.2 °C) or colder",
            jurisdiction="US",
            topic=Topic.EGGS,
            kinds={"shell_eggs"},
            citation=Citation(
                "21 CFR Part 115 (65 FR 76091, 2000-12-05)",
                "§115.50",
                _ECFR + "title-21/section-115.50",
            ),
            status=V,
            check=_eggs_45f,
            effective_from=dt.date(2001, 6, 4),
        ),
        Rule(
            code="US-EGGS-SAFE-HANDLING",
            title="Cartons of untreated shell eggs carry the safe handling statement",
            jurisdiction="US",
            topic=Topic.LABELLING,
            kinds={"shell_eggs"},
            citation=Citation(
                "21 CFR Part 101 (65 FR 76091, 2000-12-05)",
                "§101.17(h)",
                _ECFR + "title-21/section-101.17",
            ),
            status=V,
            severity=Severity.INFO,
            check=_eggs_safe_handling,
            note="The catalogue does not record whether eggs were treated (in-shell "
            "pasteurised), so this is a reminder for every egg product.",
        ),
        Rule(
            code="US-EGGS-REFRIGERATION-LABEL",
            title="Packed shell eggs say refrigeration is required, and travel at 45 °F or colder",
            jurisdiction="US",
            topic=Topic.EGGS,
            kinds={"shell_eggs"},
            citation=Citation(
                "FSIS final rule 63 FR 45663 (1998), Egg Products Inspection Act 1991 amendments",
                None,
                "http://federal.elaws.us/fr/notice/63-fr-45675",
            ),
            status=V,
            severity=Severity.INFO,
            check=_eggs_refrigeration_label,
            note="The rule is verified in the FSIS final rule (63 FR 45663, 1998); its CFR "
            "section (9 CFR 590.50 / "
            "7 CFR 56 or 59) is not.",
        ),
        Rule(
            code="US-EGGS-SE-RULE",
            title="Farms of 3,000 hens or more follow the egg safety rule (21 CFR 118)",
            jurisdiction="US",
            topic=Topic.EGGS,
            kinds={"shell_eggs"},
            citation=Citation(
                "21 CFR Part 118", "§118.1 (who), §118.4(e) (36 h), §118.11", _CORNELL_118
            ),
            status=V,
            severity=Severity.INFO,
            check=_egg_safety_rule,
            effective_from=dt.date(2010, 7, 9),
            note="118.1 read on law.cornell.edu: producers with 3,000 or more laying hens at a "
            "farm that do not sell all their eggs directly to consumers. The catalogue does not "
            "hold the flock size, so this is a reminder. The compliance date (2010-07-09 for "
            "50,000 hens or more, 2012-07-09 from 3,000) is from memory.",
        ),
        Rule(
            code="US-EGGS-HANDLER-REGISTRATION",
            title="Egg handlers who grade and pack for consumers register with USDA",
            jurisdiction="US",
            topic=Topic.EGGS,
            kinds={"shell_eggs"},
            citation=Citation("7 CFR Part 57", "§57.690", _ECFR_57_690),
            status=V,
            severity=Severity.INFO,
            check=_egg_handler_registration,
            effective_from=dt.date(2004, 11, 23),
            note="Producer-packers with 3,000 hens or fewer are exempt; the catalogue does not "
            "hold the flock size, so this is a reminder. In force from the 2004 technical "
            "amendments (69 FR 57163, effective 2004-11-23).",
        ),
        Rule(
            code="US-CURED-MEAT-FSIS-INSPECTION",
            title="Cured and smoked meat is made under FSIS inspection",
            jurisdiction="US",
            topic=Topic.LICENCES,
            kinds={"cured_meat"},
            citation=Citation("9 CFR Part 424", "§424.21", _ECFR + "title-9/section-424.21"),
            status=U,
            check=_cured_meat_inspection,
            note="Unverified. Meat-inspection exemptions (custom, retail) are not "
            "covered; nitrite limits (424.21(c)) are not checked.",
        ),
        Rule(
            code="US-IMPORT-MEAT-POULTRY",
            title="Meat and poultry from abroad come from an FSIS-eligible country",
            jurisdiction="US",
            topic=Topic.LICENCES,
            kinds=_MEAT,
            citation=Citation(
                "FSIS list of countries and establishments eligible to export to the US",
                "9 CFR Part 94 (APHIS animal-disease restrictions)",
                _ECFR + "title-9/part-94",
            ),
            status=U,
            check=_imports,
            note="Unverified.",
        ),
        Rule(
            code="US-SHIP-DRY-ICE-USPS",
            title="USPS: at most 5 lb of dry ice by air, none internationally",
            jurisdiction="US",
            topic=Topic.SHIPPING,
            citation=_USPS_PUB52,
            status=V,
            check=_dry_ice_usps,
            note="Read on the USPS Publication 52 page. The sale does not name the carrier, "
            "so findings are warnings addressed to USPS users.",
        ),
        Rule(
            code="US-SHIP-DRY-ICE-MARKING",
            title="Parcels with dry ice are marked UN1845 with the net mass",
            jurisdiction="US",
            topic=Topic.SHIPPING,
            citation=Citation(
                "49 CFR Part 173", "§173.217(c)", "https://www.law.cornell.edu/cfr/text/49/173.217"
            ),
            status=V,
            severity=Severity.INFO,
            check=_dry_ice_marking,
        ),
    ],
)
"""The United States (federal) rule pack."""
