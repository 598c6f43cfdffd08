"""Rules for selling farm food online in the European Union (EU).

Each rule cites the regulation and article it rests on, with a link to the text where one
was read, how well that was verified (``docs/explanations/compliance-sources.md`` lists them
all), and the days it is in force. Only rules whose source was verified block; the rest warn
and say so.
National rules (what "small quantities" of on-farm poultry are, the 50-hen egg exemption) vary
by Member State and are not checked. This is not legal advice.

Dates the egg rules switch on:

- sale to the final consumer within 21 days of laying until 2022-12-07, within 28 days from
  2022-12-08 (Del. Reg. (EU) 2022/2258, as the Austrian food-safety agency BAES reports, V);
- best-before at most 28 days after laying under Reg. (EC) 589/2008 Art. 13 until 2023-11-27,
  then under its successor Del. Reg. (EU) 2023/2465. That act was published in the Official
  Journal on 2023-11-08 and entered into force on the twentieth day after, 2023-11-28; we take
  589/2008 as repealed from that day. The repeal is verified (EUR-Lex marks 589/2008 "no
  longer in force"); the successor's article numbers and its date of application are not.

Poultrymeat marketing standards: Reg. (EC) 543/2008 until Del. Reg. (EU) 2026/343 (OJ L,
2026/343, 17.2.2026), which repeals it. Its entry into force is taken as the twentieth day
after publication, 2026-03-09, the usual formula: not read in the act (P).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

from ruralseller.catalog import LicenceKind, MeatState, PoultryMeat, StorageClass
from ruralseller.compliance.context import LotContext
from ruralseller.compliance.rules import (
    Citation,
    Issue,
    Rule,
    RulePack,
    SellerProfile,
    Severity,
    SourceStatus,
    Topic,
)
from ruralseller.compliance.wording import find_terms

__all__ = ["EU_MEMBER_STATES", "PACK"]

V, P, U = SourceStatus.VERIFIED, SourceStatus.PARTIAL, SourceStatus.UNVERIFIED

EU_MEMBER_STATES = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip
"""The 27 Member States as ISO 3166-1 alpha-2 codes (Greece is ``GR`` here, ``EL`` in EU texts)."""

# Kinds sold pre-packaged with a label (live birds are not food yet).
_FOOD = frozenset({"poultry_meat", "shell_eggs", "fresh_produce", "cured_meat", "packaged_food"})
# Products of animal origin that need a listed third country and establishment (C-EU-3).
_MEAT = frozenset({"poultry_meat", "cured_meat"})

# EU texts and marks write Greece as EL and the United Kingdom as UK, not GR and GB.
_EU_COUNTRY_CODE = {"GR": "EL", "GB": "UK"}

# Egg producer code: farming-method digit 0-3, country code, establishment number (format
# from several consistent consumer explainers, P). The establishment part is national; 3-12
# letters or digits is our own heuristic (U), loose enough for FR/IT numbers with letters.
_EGG_CODE = re.compile(
    r"(?P<method>[0-3])-?(?P<country>[A-Z]{2})-?(?P<establishment>[A-Z0-9]{3,12})"
)

# 1169/2011 Art. 55: the regulation applies from 13 December 2014.
_FIC_APPLIES = dt.date(2014, 12, 13)

# The texts on EUR-Lex, by their European Legislation Identifier (ELI).
_ELI_853 = "http://data.europa.eu/eli/reg/2004/853/oj"
_ELI_1169 = "http://data.europa.eu/eli/reg/2011/1169/oj"
_ELI_1337 = "http://data.europa.eu/eli/reg_impl/2013/1337/oj"
_ELI_1308 = "http://data.europa.eu/eli/reg/2013/1308/oj"
_ELI_405 = "http://data.europa.eu/eli/reg_impl/2021/405/oj"
_EURLEX_589 = "https://eur-lex.europa.eu/legal-content/EN/ALL/?uri=CELEX%3A02008R0589-20171125"
# Del. Reg. (EU) 2022/2258: 28 days instead of 21 from 2022-12-08 (BAES, V).
_EGG_28_DAYS = dt.date(2022, 12, 8)
# Del. Reg. (EU) 2023/2465: OJ 2023-11-08, in force 2023-11-28 (see the module docstring).
_EGG_MARKETING_2023 = dt.date(2023, 11, 28)
# Del. Reg. (EU) 2026/343: OJ 2026-02-17; assumed to apply from the twentieth day after (P).
_POULTRY_MARKETING_2026 = dt.date(2026, 3, 9)


# --- slaughter -----------------------------------------------------------------------------


def _approved_establishment(ctx: LotContext) -> Iterator[Issue]:
    record = ctx.lot.slaughter
    if record is None or record.on_farm or record.facility_licence is not None:
        return
    approval = ctx.producer.licence(LicenceKind.EU_APPROVED_ESTABLISHMENT)
    if approval is None:
        yield Issue(
            message=f"lot {ctx.lot.id} was slaughtered at {record.facility}, but neither the "
            "slaughter record nor the producer gives an EU approval number; poultry meat "
            "placed on the market must come from an establishment approved under "
            "Reg. 853/2004 and carry its oval health mark",
            remedy="enter the slaughterhouse's approval number (as in its health mark, e.g. "
            "'DE BY 12345 EG') as slaughter.facility_licence",
            field=ctx.path("slaughter", "facility_licence"),
        )
    elif not approval.is_valid_on(ctx.on):
        yield Issue(
            message=f"the EU approval {approval.number} of {ctx.producer.name} is not valid on "
            f"{ctx.on.isoformat()} (valid {approval.valid_from} to {approval.valid_until})",
            remedy="renew the approval, or have the birds slaughtered at an approved "
            "slaughterhouse and enter its approval number as slaughter.facility_licence",
            field=ctx.producer_path("licences"),
        )


def _on_farm_direct_supply(ctx: LotContext) -> Iterator[Issue]:
    record = ctx.lot.slaughter
    if record is None or not record.on_farm:
        return
    if ctx.profile is not SellerProfile.EU_PRIMARY_PRODUCER:
        yield Issue(
            message=f"lot {ctx.lot.id} was slaughtered on the farm, but {ctx.producer.name} is "
            f"a {ctx.producer.kind.value}: only the farmer who raised the birds may supply "
            "on-farm slaughtered poultry, in small quantities, outside an approved "
            "slaughterhouse",
            remedy="have the birds slaughtered at an approved slaughterhouse and enter its "
            "approval number as slaughter.facility_licence, or let the farmer sell them",
            field=ctx.producer_path("kind"),
        )
    destination = ctx.sale.destination
    home = ctx.producer.place.country
    if destination is not None and destination.country != home:
        yield Issue(
            message=f"lot {ctx.lot.id} was slaughtered on the farm in {home} and is sold to a "
            f"buyer in {destination.country}: on-farm slaughtered poultry may only go directly "
            "to the final consumer or to local retailers, not across the border",
            remedy=f"sell this lot only to buyers in {home} (locally), or have the birds "
            "slaughtered at an approved slaughterhouse",
            field=ctx.path("slaughter", "on_farm"),
        )


def _carcass_chilling(ctx: LotContext) -> Iterator[Issue]:
    record = ctx.lot.slaughter
    # On-farm slaughter under the Art. 1(3)(d) exemption is outside Reg. 853/2004; national
    # rules set its hygiene conditions.
    if record is None or record.on_farm or record.chilling is None:
        return
    reached = record.chilling.core_temperature
    if reached is not None and reached.celsius > 4:
        yield Issue(
            message=f"poultry carcasses must be chilled to 4 °C or below; lot {ctx.lot.id} "
            f"reached {reached}",
            remedy="chill the carcasses to a core temperature of 4 °C or below as soon as "
            "possible after evisceration, and record it as slaughter.chilling.core_temperature",
            field=ctx.path("slaughter", "chilling", "core_temperature"),
        )


# --- labelling -----------------------------------------------------------------------------


def _chilled_poultry(ctx: LotContext) -> bool:
    return ctx.product.kind == "poultry_meat" and ctx.product.storage_class is StorageClass.CHILLED


def _label_particulars(ctx: LotContext) -> Iterator[Issue]:
    place = ctx.producer.place
    if not (place.city or place.county or place.township or place.village):
        yield Issue(
            message=f"the label must give the name and address of the food business; "
            f"{ctx.producer.name}'s place gives only the country ({place.country})",
            remedy="add the town or village (city, county, township or village) and, if you "
            "have one, the postal code to the producer's place",
            field=ctx.producer_path("place"),
        )
    # Unpeeled, uncut fresh fruit and vegetables (potatoes) need no date mark
    # (1169/2011 Annex X pt 1(d)); every other food does.
    if ctx.product.kind == "fresh_produce":
        return
    if ctx.lot.best_before is None and ctx.lot.use_by is None:
        chilled = _chilled_poultry(ctx)
        yield Issue(
            message=f"lot {ctx.lot.id} has no "
            + ("'use by' date" if chilled else "best-before or 'use by' date")
            + "; the date is one of the mandatory label particulars",
            remedy="set use_by on the lot (chilled poultry meat spoils quickly)"
            if chilled
            else "set best_before on the lot (use_by for food that spoils quickly)",
            field=ctx.path("use_by" if chilled else "best_before"),
        )


def _use_by_poultry(ctx: LotContext) -> Iterator[Issue]:
    if _chilled_poultry(ctx) and ctx.lot.best_before is not None:
        yield Issue(
            message=f"lot {ctx.lot.id} of chilled poultry meat gives a best-before date "
            f"({ctx.lot.best_before}); fresh poultry meat is highly perishable and carries "
            "a 'use by' date instead",
            remedy=f"replace best_before with use_by = {ctx.lot.best_before} (or earlier) on "
            "the lot, and print 'use by' on the label",
            field=ctx.path("best_before"),
        )


def _distance_selling(ctx: LotContext) -> Iterator[Issue]:
    if ctx.offer is None:
        return
    yield Issue(
        message=f"lot {ctx.lot.id} is sold online: every mandatory label particular except "
        "the date (name, ingredients and allergens, net quantity, storage conditions, the "
        "producer's name and address, origin where required) must be shown before the buyer "
        "orders, and all of them, the date too, must be on the pack at delivery",
        remedy="put the label particulars in the listing text, and check the label on the pack",
        field=ctx.offer_path(),
    )


def _poultry_origin(ctx: LotContext) -> Iterator[Issue]:
    record = ctx.lot.slaughter
    if record is None:
        return
    reared = ctx.producer.place
    slaughtered = record.facility_place or reared
    yield Issue(
        message=f"the label of lot {ctx.lot.id} must read 'Reared in: "
        f"{reared.country_name('en')}' and 'Slaughtered in: {slaughtered.country_name('en')}' "
        f"(in the language of the country of sale), with the batch code {ctx.lot.id}",
        remedy="print both lines and the lot code on the label",
        field=ctx.path("slaughter", "facility_place")
        if record.facility_place is not None
        else ctx.producer_path("place", "country"),
    )


# "Fresh" in the languages a listing to EU buyers is likely to use; 冰鲜 ("ice-fresh") is
# how Chinese names say chilled-not-frozen, so it claims the same.
_FRESH = ("fresh", "frisch", "frais", "fraîche", "fresco", "fresca", "新鲜", "冰鲜")


def _fresh_term(ctx: LotContext) -> Iterator[Issue]:
    product = ctx.product
    frozen = product.storage_class is StorageClass.FROZEN or (
        isinstance(product, PoultryMeat) and product.state is MeatState.FROZEN
    )
    if frozen:
        why = "it is frozen"
    elif product.storage_class is not StorageClass.CHILLED:
        why = f"it is kept {product.storage_class.value}, not at -2 to +4 °C"
    else:
        return
    for path, term in find_terms(ctx.texts(), _FRESH):
        yield Issue(
            message=f"{path} calls {product.name} {term!r}, but {why}: only poultrymeat never "
            "frozen and kept at -2 to +4 °C may be sold as fresh",
            remedy="remove the word; sell it as 'frozen' poultrymeat",
            field=path,
        )


def _poultry_marketing(ctx: LotContext) -> Iterator[Issue]:
    product = ctx.product
    frozen = product.storage_class is StorageClass.FROZEN or (
        isinstance(product, PoultryMeat) and product.state is MeatState.FROZEN
    )
    state = "frozen (kept at -12 °C or below)" if frozen else "fresh (kept at -2 to +4 °C)"
    yield Issue(
        message=f"{product.name} is poultrymeat marketed in the EU: the label gives its class "
        f"(A or B) and its state, here {state}",
        remedy="print the class and the state on the label; use optional terms (free range, "
        "air chilled...) only if their conditions are met",
        field=ctx.product_path("kind"),
    )


# --- eggs ----------------------------------------------------------------------------------


def _sold_within(days: int) -> Callable[[LotContext], Iterator[Issue]]:
    limit = dt.timedelta(days=days)

    def check(ctx: LotContext) -> Iterator[Issue]:
        laying = ctx.lot.laying
        if laying is None:
            return
        deadline = laying.first_laid + limit
        until = ctx.offer.available_until if ctx.offer is not None else None
        last_day = until or ctx.on
        if last_day <= deadline:
            return
        when = f"the offer runs until {until}" if until else f"it is on sale on {ctx.on}"
        yield Issue(
            message=f"eggs of lot {ctx.lot.id} were first laid on {laying.first_laid} and must "
            f"reach the final consumer within {days} days of laying, by {deadline}; {when}",
            remedy=f"end the offer by {deadline}, leaving time for delivery "
            "(set available_until on the offer), or sell eggs laid more recently",
            field=ctx.offer_path("available_until") if until else ctx.path("laying", "first_laid"),
        )

    return check


def _best_before_28_days(ctx: LotContext) -> Iterator[Issue]:
    laying, best_before = ctx.lot.laying, ctx.lot.best_before
    if laying is None or best_before is None:
        return
    latest = laying.first_laid + dt.timedelta(days=28)
    if best_before > latest:
        yield Issue(
            message=f"lot {ctx.lot.id} gives best-before {best_before}, "
            f"{(best_before - laying.first_laid).days} days after the first egg was laid "
            f"({laying.first_laid}); it may be at most 28 days after laying",
            remedy=f"set best_before to {latest} or earlier",
            field=ctx.path("best_before"),
        )


def _egg_producer_code(ctx: LotContext) -> Iterator[Issue]:
    licences = [
        (index, licence)
        for index, licence in enumerate(ctx.producer.licences)
        if licence.kind is LicenceKind.EU_EGG_PRODUCER
    ]
    if not licences:
        yield Issue(
            message=f"{ctx.producer.name} has no egg producer code: eggs sold in the EU carry "
            "the producer code on the shell (farming method 0-3, country, establishment "
            "number, e.g. 1-DE-1234567)",
            remedy="register the laying-hen farm with the competent authority and add its "
            "producer code as a licence of kind 'eu_egg_producer'",
            field=ctx.producer_path("licences"),
        )
        return
    country = ctx.producer.place.country
    expected = {country, _EU_COUNTRY_CODE.get(country, country)}
    for index, licence in licences:
        field = ctx.producer_path(f"licences[{index}]", "number")
        found = _EGG_CODE.fullmatch(re.sub(r"[\s.]", "", licence.number.upper()))
        if found is None:
            yield Issue(
                message=f"{licence.number!r} is not an egg producer code: it is the farming "
                "method (0 organic, 1 free range, 2 barn, 3 cages), the country code and the "
                "establishment number",
                remedy="copy the code exactly as the authority issued it, e.g. 1-DE-1234567",
                field=field,
            )
        elif found["country"] not in expected:
            yield Issue(
                message=f"the egg producer code {licence.number} names the country "
                f"{found['country']}, but {ctx.producer.name} is in {country}",
                remedy="check the code against the registration of the laying-hen farm",
                field=field,
            )
        elif not licence.is_valid_on(ctx.on):
            yield Issue(
                message=f"the egg producer code {licence.number} is not valid on "
                f"{ctx.on.isoformat()} (valid {licence.valid_from} to {licence.valid_until})",
                remedy="renew the registration of the laying-hen farm",
                field=ctx.producer_path(f"licences[{index}]", "valid_until"),
            )


# --- claims --------------------------------------------------------------------------------

# 1169/2011 Art. 7(3): food may not claim to prevent, treat or cure a human disease. The
# words are chosen not to hit ordinary food words: "cure" and "cured" are how meat is made,
# "treats" are snacks and "soigné" means carefully made, so none of them is here.
_DISEASE = (
    # English
    "cures",
    "cure for",
    "heals",
    "healing",
    "medicinal",
    "remedy",
    "prevents disease",
    "prevent disease",
    "prevents cancer",
    "anti-cancer",
    "anticancer",
    "fights cancer",
    "treats disease",
    # German
    "heilt",
    "heilend",
    "Heilmittel",
    "Heilwirkung",
    "heilende Wirkung",
    "gegen Krebs",
    "beugt Krankheiten vor",
    # French
    "guérit",
    "guérir",
    "prévient les maladies",
    "contre le cancer",
    "vertus médicinales",
    "propriétés médicinales",
    "thérapeutique",
    # Chinese: listings to EU buyers often keep the producer's Chinese name and description.
    "治疗",
    "治愈",
    "根治",
    "抗癌",
    "防癌",
    "药用",
)


def _disease_claims(ctx: LotContext) -> Iterator[Issue]:
    for path, term in find_terms(ctx.texts(), _DISEASE):
        yield Issue(
            message=f"{path} uses {term!r}: food may not claim to prevent, treat or cure a "
            "disease, on the label or in the listing",
            remedy="remove the health or disease claim; only claims authorised under "
            "Reg. 1924/2006 may be made",
            field=path,
        )


# --- imports and shipping ------------------------------------------------------------------


def _third_country_listing(ctx: LotContext) -> Iterator[Issue]:
    destination = ctx.sale.destination
    origin = ctx.producer.place.country
    if destination is None or destination.country not in EU_MEMBER_STATES:
        return
    if origin in EU_MEMBER_STATES:
        return
    yield Issue(
        message=f"{ctx.product.name} is meat from {ctx.producer.place.country_name('en')} "
        f"({origin}) sold to a buyer in {destination.country}: meat from outside the EU may "
        "only enter from a listed country and establishment, with a veterinary certificate, "
        "and parcels of meat to private buyers are generally refused",
        remedy="do not sell this lot to EU buyers unless the country and the establishment "
        "are on the EU lists for this product and it travels with the official certificate",
        field=ctx.producer_path("place", "country"),
    )


def _dry_ice_by_air(ctx: LotContext) -> Iterator[Issue]:
    kg = ctx.dry_ice_kg()
    if ctx.sale.mode != "air" or kg is None or kg <= 0:
        return
    mass = f"{kg.normalize():f} kg"
    over = " (more than the 200 kg a package may hold)" if kg > 200 else ""
    yield Issue(
        message=f"the parcel of lot {ctx.lot.id} flies with {mass} of dry ice{over}: it must "
        f"be marked 'UN1845', 'Dry Ice' (or 'Carbon dioxide, solid') and the net mass "
        f"'{mass}', carry the Class 9 label, and be packed so the gas can escape",
        remedy="mark and label the parcel, use vented packaging, and tell the carrier or "
        "airline about the dry ice when booking",
        field="sale.dry_ice",
    )


_PACK_DESCRIPTION = (
    "Slaughter, labelling, poultry marketing terms, eggs, claims, imports and air shipping "
    "with dry ice for farm food sold online in the European Union. National rules (how many "
    "on-farm birds are 'small quantities', the 50-hen egg exemption) are not checked."
)

PACK = RulePack(
    jurisdiction="EU",
    name="European Union",
    description=_PACK_DESCRIPTION,
    rules=[
        Rule(
            code="EU-SLAUGHTER-APPROVED-ESTABLISHMENT",
            title="Poultry meat comes from an approved slaughterhouse",
            jurisdiction="EU",
            topic=Topic.SLAUGHTER,
            kinds={"poultry_meat"},
            citation=Citation("Reg. (EC) 853/2004", "Art. 4; Annex II Sec. I", _ELI_853),
            status=U,
            check=_approved_establishment,
            note="Checks that an approval number is given, not that it is a real EU approval; "
            "meat from outside the EU is covered by EU-IMPORT-THIRD-COUNTRY-LISTING.",
        ),
        Rule(
            code="EU-SLAUGHTER-ON-FARM-DIRECT-SUPPLY",
            title="On-farm slaughtered poultry goes only from the farmer to consumers or "
            "local retailers",
            jurisdiction="EU",
            topic=Topic.SLAUGHTER,
            kinds={"poultry_meat"},
            citation=Citation(
                "Reg. (EC) 853/2004",
                "Art. 1(3)(d), 1(4); restated in Reg. (EU) 2017/185 Art. 2",
                "https://www.legislation.gov.uk/eur/2017/185/article/2",
            ),
            status=V,
            check=_on_farm_direct_supply,
            note="Member States set what 'small quantities' means and the conditions "
            "(registration, records, labels); those are not checked.",
        ),
        Rule(
            code="EU-CARCASS-CHILLING-4C",
            title="Poultry carcasses are chilled to 4 °C or below",
            jurisdiction="EU",
            topic=Topic.SLAUGHTER,
            kinds={"poultry_meat"},
            citation=Citation(
                "Reg. (EC) 853/2004",
                "Annex III Sec. II Ch. IV pt 8",
                "https://www.legislation.gov.uk/eur/2004/853/annex/III/section/II",
            ),
            status=P,
            check=_carcass_chilling,
            note="Skipped when the chilling record gives no core temperature, and for on-farm "
            "slaughter under the Art. 1(3)(d) exemption.",
        ),
        Rule(
            code="EU-LABEL-PARTICULARS",
            title="The catalogue holds what the label must give: producer address and a date",
            jurisdiction="EU",
            topic=Topic.LABELLING,
            kinds=_FOOD,
            citation=Citation("Reg. (EU) 1169/2011", "Art. 9(1)", _ELI_1169),
            status=V,
            check=_label_particulars,
            effective_from=_FIC_APPLIES,
            note="Checks only the particulars the catalogue holds; fresh produce needs no date "
            "(Annex X pt 1(d), not read).",
        ),
        Rule(
            code="EU-LABEL-USE-BY-POULTRY",
            title="Chilled poultry meat carries a 'use by' date, not best-before",
            jurisdiction="EU",
            topic=Topic.LABELLING,
            kinds={"poultry_meat"},
            citation=Citation("Reg. (EU) 1169/2011", "Art. 24; Annex X", _ELI_1169),
            status=U,
            check=_use_by_poultry,
            effective_from=_FIC_APPLIES,
            note="Frozen meat must also show the date of freezing; the catalogue does not "
            "hold it, so it is not checked.",
        ),
        Rule(
            code="EU-DISTANCE-SELLING-PARTICULARS",
            title="Online listings show the mandatory particulars before purchase",
            jurisdiction="EU",
            topic=Topic.LABELLING,
            kinds=_FOOD,
            citation=Citation("Reg. (EU) 1169/2011", "Art. 14", _ELI_1169),
            status=P,
            severity=Severity.INFO,
            check=_distance_selling,
            effective_from=_FIC_APPLIES,
        ),
        Rule(
            code="EU-POULTRY-ORIGIN-LABEL",
            title="Poultry meat labels say where the birds were reared and slaughtered",
            jurisdiction="EU",
            topic=Topic.LABELLING,
            kinds={"poultry_meat"},
            citation=Citation("Impl. Reg. (EU) 1337/2013", "Art. 5(1)", _ELI_1337),
            status=V,
            severity=Severity.INFO,
            check=_poultry_origin,
            effective_from=dt.date(2015, 4, 1),
            note="The slaughter country is the facility's place, else the producer's.",
        ),
        Rule(
            code="EU-POULTRY-FRESH-TERM",
            title="Only never-frozen poultrymeat kept at -2 to +4 °C is called fresh",
            jurisdiction="EU",
            topic=Topic.LABELLING,
            kinds={"poultry_meat"},
            citation=Citation("Reg. (EU) 1308/2013", "Annex VII Part V", _ELI_1308),
            status=V,
            check=_fresh_term,
        ),
        Rule(
            code="EU-POULTRY-MARKETING-543-2008",
            title="Poultrymeat follows the EU marketing standards (Reg. 543/2008)",
            jurisdiction="EU",
            topic=Topic.LABELLING,
            kinds={"poultry_meat"},
            citation=Citation(
                "Reg. (EC) 543/2008",
                "Art. 5 (labelling), Art. 6 (frozen at -12 °C or below)",
                "https://www.legislation.gov.uk/eur/2008/543/introduction",
            ),
            status=P,
            severity=Severity.INFO,
            check=_poultry_marketing,
            effective_from=dt.date(2008, 7, 1),
            superseded_on=_POULTRY_MARKETING_2026,
            note="Art. 6 (frozen poultrymeat at -12 °C or below, rises of at most 3 °C) was "
            "read on legislation.gov.uk; the labelling articles were not. Repealed by Del. "
            "Reg. (EU) 2026/343.",
        ),
        Rule(
            code="EU-POULTRY-MARKETING-2026-343",
            title="Poultrymeat follows the EU marketing standards (Del. Reg. 2026/343)",
            jurisdiction="EU",
            topic=Topic.LABELLING,
            kinds={"poultry_meat"},
            citation=Citation(
                "Del. Reg. (EU) 2026/343",
                "marketing standards for poultrymeat (articles not read)",
                "http://data.europa.eu/eli/reg_del/2026/343/oj",
            ),
            status=P,
            severity=Severity.INFO,
            check=_poultry_marketing,
            effective_from=_POULTRY_MARKETING_2026,
            note="Supplements Reg. (EU) 1308/2013 and repeals 543/2008; published in OJ L on "
            "2026-02-17 (a corrigendum followed on 2026-04-08). The date it applies from is "
            "taken as 2026-03-09 (twentieth day after publication): not read in the act.",
        ),
        Rule(
            code="EU-EGGS-SALE-21-DAYS",
            title="Eggs reach the final consumer within 21 days of laying",
            jurisdiction="EU",
            topic=Topic.EGGS,
            kinds={"shell_eggs"},
            citation=Citation("Reg. (EC) 853/2004", "Annex III Sec. X Ch. I pt 3", _ELI_853),
            status=V,
            check=_sold_within(21),
            effective_from=dt.date(2006, 1, 1),
            superseded_on=_EGG_28_DAYS,
            note="Replaced by 28 days from 2022-12-08 (EU-EGGS-SALE-28-DAYS). 853/2004 applies "
            "from 2006-01-01 (Art. 18; from memory).",
        ),
        Rule(
            code="EU-EGGS-SALE-28-DAYS",
            title="Eggs reach the final consumer within 28 days of laying",
            jurisdiction="EU",
            topic=Topic.EGGS,
            kinds={"shell_eggs"},
            citation=Citation(
                "Reg. (EC) 853/2004 as amended by Del. Reg. (EU) 2022/2258",
                "Annex III Sec. X Ch. I pt 3",
                "https://baes.gv.at/en/details/aenderung-der-abgabefrist-von-frischeiern-an-verbraucherinnen",
            ),
            status=V,
            check=_sold_within(28),
            effective_from=_EGG_28_DAYS,
            note="Checked on the offer's last day (available_until), else the check date; "
            "delivery time is not added.",
        ),
        Rule(
            code="EU-EGGS-BEST-BEFORE-589-2008",
            title="Eggs' best-before is at most 28 days after laying",
            jurisdiction="EU",
            topic=Topic.EGGS,
            kinds={"shell_eggs"},
            citation=Citation("Reg. (EC) 589/2008", "Art. 13", _EURLEX_589),
            status=V,
            check=_best_before_28_days,
            effective_from=dt.date(2008, 7, 1),
            superseded_on=_EGG_MARKETING_2023,
            note="589/2008 is repealed by Del. Reg. (EU) 2023/2465 (EU-EGGS-BEST-BEFORE-2023). "
            "It applied from 2008-07-01 (from memory).",
        ),
        Rule(
            code="EU-EGGS-BEST-BEFORE-2023",
            title="Eggs' best-before is at most 28 days after laying",
            jurisdiction="EU",
            topic=Topic.EGGS,
            kinds={"shell_eggs"},
            citation=Citation(
                "Del. Reg. (EU) 2023/2465; Reg. (EC) 853/2004 as amended by Del. Reg. (EU) "
                "2022/2258",
                "best-before provision of 2023/2465 (article not read); 853/2004 Annex III "
                "Sec. X Ch. I pt 3",
                "http://data.europa.eu/eli/reg_del/2023/2465/oj",
            ),
            status=P,
            check=_best_before_28_days,
            effective_from=_EGG_MARKETING_2023,
            note="The 28-day delivery limit of 853/2004 as amended by 2022/2258 is verified "
            "(EU-EGGS-SALE-28-DAYS) and bounds the sale; that the same point fixes the "
            "best-before date, as an audit suggested, could not be confirmed, and the "
            "best-before article of 2023/2465 was not read.",
        ),
        Rule(
            code="EU-EGGS-PRODUCER-CODE",
            title="Eggs carry a valid producer code",
            jurisdiction="EU",
            topic=Topic.EGGS,
            kinds={"shell_eggs"},
            citation=Citation(
                "Reg. (EC) 589/2008 and Dir. 2002/4/EC",
                "Annex (589/2008 pt 2); now under Del. Reg. (EU) 2023/2465",
                _EURLEX_589,
            ),
            status=P,
            check=_egg_producer_code,
            note="Member States may exempt producers with at most 50 laying hens selling at "
            "a local market (E-EU-2); the catalogue does not hold the flock size.",
        ),
        Rule(
            code="EU-FOOD-DISEASE-CLAIMS",
            title="Food may not claim to prevent, treat or cure disease",
            jurisdiction="EU",
            topic=Topic.CLAIMS,
            kinds=_FOOD,
            citation=Citation("Reg. (EU) 1169/2011", "Art. 7(3); Reg. (EC) 1924/2006", _ELI_1169),
            status=U,
            check=_disease_claims,
            effective_from=_FIC_APPLIES,
        ),
        Rule(
            code="EU-IMPORT-THIRD-COUNTRY-LISTING",
            title="Meat from outside the EU needs a listed country and establishment",
            jurisdiction="EU",
            topic=Topic.LICENCES,
            kinds=_MEAT,
            citation=Citation(
                "Impl. Reg. (EU) 2021/405 (lists of third countries)", None, _ELI_405
            ),
            status=U,
            check=_third_country_listing,
            note="Skipped when the sale gives no destination.",
        ),
        Rule(
            code="EU-DRY-ICE-AIR-UN1845",
            title="Dry ice by air is marked UN1845 with its net mass",
            jurisdiction="EU",
            topic=Topic.SHIPPING,
            citation=Citation(
                "IATA Dangerous Goods Regulations",
                "Packing Instruction 954",
                "https://www.tempcontrolpack.com/ar/knowledge/dry-ice-packing-instruction-2025-pi-954-49-cfr",
            ),
            status=P,
            severity=Severity.INFO,
            check=_dry_ice_by_air,
            note="From a secondary summary of PI 954, not the DGR text; carriers may set "
            "lower limits.",
        ),
    ],
)
"""The European Union rule pack."""
