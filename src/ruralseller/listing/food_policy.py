"""Each marketplace's food policy as cited data: may this food be sold there, to whom, how.

A :class:`FoodRule` says, for some product kinds, origins and buyer countries, what a
marketplace (or the law its buyers live under) decides: the sale is ``prohibited``, needs an
``approval`` or qualification, or needs a ``statement`` in the listing (how a perishable
reaches the buyer cold). Every rule carries its source and a status: ``verified`` (read in the
source), ``partial`` (the gist verified, a detail not) or ``unverified``.

:func:`check_food_policy` turns the rules that apply to a draft into :class:`FoodFinding`
values: a verified prohibition is blocking; anything less certain is a warning that says so.
Marketplace profiles carry their rules (``MarketplaceProfile.food_policy``), so
``validate_draft`` (and with it ``render`` and every adapter's ``validate``) reports them
before anything is sent. :func:`with_food_statements` writes a required statement into the
listing's text.

Where the buyers are is read from the draft: ``draft.extra[marketplace]["buyer_country"]``
when given, else the country of the price's currency (:data:`CURRENCY_COUNTRIES`: a price in
US dollars is for buyers in the US).

Example:
    >>> from ruralseller.catalog import Money
    >>> from ruralseller.listing.draft import Attribute, ListingDraft, LocalizedText
    >>> text = LocalizedText(locale="en", title="Silkie, chilled", description="A bird.",
    ...     description_html="<p>A bird.</p>",
    ...     attributes=[Attribute("origin", "Origin", "Taihe, Jiangxi", "江西省 吉安市, CN"),
    ...                 Attribute("storage", "Storage", "chilled, 0-4 °C", "chilled")])
    >>> draft = ListingDraft(sku="WJ1", lot="WJ1", product="silkie", kind="poultry_meat",
    ...     texts={"en": text}, price=Money("18.00", "USD"), sale_unit="piece", stock=3)
    >>> (finding,) = check_food_policy(draft, FOOD_POLICIES["amazon"], marketplace="amazon")
    >>> finding.blocking, finding.rule.code
    (True, 'US-IMPORT-POULTRY-CN')
"""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Mapping, Sequence
from typing import Final

import attrs

from ruralseller.catalog.checks import frozen_tuple
from ruralseller.listing.draft import ListingDraft, LocalizedText
from ruralseller.translations import format_message, has_catalogue, message, translate

__all__ = [
    "CURRENCY_COUNTRIES",
    "FOOD_POLICIES",
    "FoodFinding",
    "FoodRule",
    "FoodVerdict",
    "PolicyStatus",
    "check_food_policy",
    "cold_chain_statement",
    "with_food_statements",
]


class FoodVerdict(enum.Enum):
    """What a rule decides about a sale."""

    PROHIBITED = "prohibited"
    """The sale may not happen (unless the rule's remedy says how it can)."""
    APPROVAL = "approval"
    """The seller needs an approval or qualification first."""
    STATEMENT = "statement"
    """The listing must say something (how a perishable reaches the buyer)."""


class PolicyStatus(enum.Enum):
    """How far a rule was checked against its source."""

    VERIFIED = "verified"
    PARTIAL = "partial"
    UNVERIFIED = "unverified"


@attrs.frozen(kw_only=True)
class FoodRule:
    """One food rule of a marketplace, with its source.

    Attributes:
        code: a short stable name, e.g. ``US-IMPORT-POULTRY-CN``.
        kinds: the product kinds it covers (``poultry_meat``, ``shell_eggs``...).
        verdict: what it decides.
        reason: what it says, in a sentence a village partner can act on.
        source: where it comes from (regulation and article, policy page and its address).
        status: how far it was checked against that source.
        remedy: what to do about it.
        origins: the ISO countries of origin it covers; empty for any.
        buyers: the ISO countries of the buyers it covers; empty for any.
    """

    code: str
    kinds: tuple[str, ...] = attrs.field(converter=frozen_tuple)
    verdict: FoodVerdict
    reason: str
    source: str
    status: PolicyStatus
    remedy: str
    origins: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    buyers: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)

    def covers(self, kind: str, origin: str | None, buyer: str | None) -> bool:
        """Whether the rule applies to a sale of ``kind`` from ``origin`` to ``buyer``.

        An unknown buyer country is taken to be covered. An unknown origin is not: a rule
        about imports from a country is checked against the country the draft's ``origin``
        attribute names (``generate_listing`` always writes it), not guessed.
        """
        return (
            kind in self.kinds
            and (not self.origins or (origin is not None and origin in self.origins))
            and (not self.buyers or buyer is None or buyer in self.buyers)
        )


@attrs.frozen
class FoodFinding:
    """A rule that applies to a draft, and how hard it bites.

    Attributes:
        rule: the rule.
        blocking: whether it stops the sale (a verified prohibition).
        message: what it means for this draft, with the source and the rule's status.
    """

    rule: FoodRule
    blocking: bool
    message: str


#: The country of the buyers of a price in each currency (a store sells in its country's).
CURRENCY_COUNTRIES: Final[Mapping[str, str]] = {
    "USD": "US",
    "GBP": "GB",
    "CAD": "CA",
    "AUD": "AU",
    "CNY": "CN",
    "SGD": "SG",
    "MYR": "MY",
    "PHP": "PH",
    "THB": "TH",
    "VND": "VN",
    "IDR": "ID",
    "TWD": "TW",
    "BRL": "BR",
    "MXN": "MX",
    "JPY": "JP",
}

_PERISHABLE: Final = ("poultry_meat", "shell_eggs", "cured_meat")
_FSIS = (
    "Poultry Products Inspection Act sec. 17 (21 U.S.C. 466): no poultry may be imported "
    "unless it meets the Act's inspection standards; FSIS, 'Eligibility of the People's "
    "Republic of China (PRC) To Export to the United States Poultry Products From Birds "
    "Slaughtered in the PRC', final rule, 84 FR 60318 (2019-11-08): only poultry slaughtered "
    "and processed in PRC establishments certified for export to the US, reinspected at a US "
    "port of entry; FSIS list of eligible countries, "
    "https://www.fsis.usda.gov/inspection/import-export/import-export-library"
)
_US_POULTRY = FoodRule(
    code="US-IMPORT-POULTRY-CN",
    kinds=("poultry_meat",),
    origins=("CN",),
    buyers=("US",),
    verdict=FoodVerdict.PROHIBITED,
    reason=(
        "chilled poultry from China may not be sold to buyers in the US: FSIS admits poultry "
        "from China only when slaughtered in a PRC plant certified for export to the US and "
        "reinspected at a US port of entry, never as a parcel to a consumer"
    ),
    source=_FSIS,
    status=PolicyStatus.VERIFIED,
    remedy=(
        "sell this lot to buyers in China (taobao, the sandbox), or list it in a store whose "
        "buyers may receive it"
    ),
)
_US_EGGS = FoodRule(
    code="US-IMPORT-EGGS-CN",
    kinds=("shell_eggs",),
    origins=("CN",),
    buyers=("US",),
    verdict=FoodVerdict.PROHIBITED,
    reason=(
        "shell eggs from China may not be sent to US buyers: APHIS restricts eggs and poultry "
        "products from regions where highly pathogenic avian influenza or Newcastle disease "
        "exists, and imported shell eggs must meet the Egg Products Inspection Act"
    ),
    source=(
        "APHIS, 'Highly Pathogenic Avian Influenza', interim rule 76 FR 4046 (2011-01-24), "
        "9 CFR 94.6; Egg Products Inspection Act (21 U.S.C. 1046), 7 CFR 57"
    ),
    status=PolicyStatus.PARTIAL,
    remedy="sell the eggs to buyers in China",
)
_US_CURED = FoodRule(
    code="US-IMPORT-PORK-CN",
    kinds=("cured_meat",),
    origins=("CN",),
    buyers=("US",),
    verdict=FoodVerdict.PROHIBITED,
    reason=(
        "cured pork from China may not be sent to US buyers: China is on the FSIS list of "
        "eligible countries for poultry only, and APHIS restricts pork from regions with "
        "African swine fever"
    ),
    source=(
        "FSIS list of eligible countries (https://www.fsis.usda.gov/inspection/import-export/"
        "import-export-library); 9 CFR 94.8 (African swine fever)"
    ),
    status=PolicyStatus.PARTIAL,
    remedy="sell the cured meat to buyers in China",
)
_EU_MEAT = FoodRule(
    code="EU-IMPORT-MEAT-CN",
    kinds=("poultry_meat", "cured_meat", "shell_eggs"),
    origins=("CN",),
    buyers=("GB",),
    verdict=FoodVerdict.PROHIBITED,
    reason=(
        "meat, poultry and eggs from China may enter Great Britain only from listed third "
        "countries and approved establishments, with a health certificate"
    ),
    source=(
        "retained Regulation (EU) 2017/625 Art. 126-129 and Implementing Regulation (EU) "
        "2021/405 (lists of third countries), as applied in Great Britain"
    ),
    status=PolicyStatus.UNVERIFIED,
    remedy="check with the importing country's authority before listing it there",
)
_AMAZON_GROCERY = FoodRule(
    code="AMAZON-GROCERY-APPROVAL",
    kinds=(*_PERISHABLE, "fresh_produce", "packaged_food"),
    verdict=FoodVerdict.APPROVAL,
    reason=(
        "Amazon's Grocery & Gourmet Food category is gated: a seller needs Amazon's approval "
        "to list in it, and perishables need temperature-controlled delivery"
    ),
    source=(
        "Amazon Seller Central, 'Grocery & Gourmet Food' category requirements and 'Food and "
        "Beverage' policy (sellercentral.amazon.com help)"
    ),
    status=PolicyStatus.UNVERIFIED,
    remedy="request approval for Grocery & Gourmet Food in Seller Central before publishing",
)
_EBAY_PERISHABLE = FoodRule(
    code="EBAY-FOOD-PERISHABLE",
    kinds=_PERISHABLE,
    verdict=FoodVerdict.STATEMENT,
    reason=(
        "eBay's food policy asks that perishable food be packed and sent so it stays safe, "
        "and that the listing say how it reaches the buyer"
    ),
    source="eBay, 'Food policy' (https://www.ebay.com/help/policies/prohibited-restricted-items/food-policy)",
    status=PolicyStatus.PARTIAL,
    remedy=(
        "give the lot's storage in the catalogue (and plan its shipment), so the listing can "
        "say how it travels cold"
    ),
)
_TAOBAO_FOOD = FoodRule(
    code="TAOBAO-FOOD-QUALIFICATION",
    kinds=(*_PERISHABLE, "packaged_food"),
    buyers=("CN",),
    verdict=FoodVerdict.APPROVAL,
    reason=(
        "Taobao's food categories ask the seller for a food business licence (食品经营许可证) "
        "or, for own farm produce, proof of origin, and the listing's food safety fields"
    ),
    source=(
        "Food Safety Law of the PRC (2021) Art. 35 (licensing) and Art. 62 (platform "
        "duties); Taobao rules for food categories (淘宝网食品行业标准, rulechannel.taobao.com)"
    ),
    status=PolicyStatus.PARTIAL,
    remedy="upload the shop's food qualifications in Taobao's seller centre",
)
_SHOPEE_SG_MEAT = FoodRule(
    code="SG-IMPORT-MEAT-CN",
    kinds=("poultry_meat", "cured_meat", "shell_eggs"),
    origins=("CN",),
    buyers=("SG",),
    verdict=FoodVerdict.PROHIBITED,
    reason=(
        "meat, poultry and eggs may enter Singapore only from sources accredited by the "
        "Singapore Food Agency, with an import licence and permit per consignment"
    ),
    source=(
        "Singapore Food Agency, 'Import and export of meat and eggs' requirements; Wholesome "
        "Meat and Fish Act (Cap. 349A)"
    ),
    status=PolicyStatus.UNVERIFIED,
    remedy="check that the farm and slaughterhouse are SFA-accredited before listing in SG",
)
_COLD_STATEMENT = FoodRule(
    code="COLD-CHAIN-STATEMENT",
    kinds=_PERISHABLE,
    verdict=FoodVerdict.STATEMENT,
    reason="a perishable's listing should say how it reaches the buyer cold",
    source=(
        "good practice for parcels of perishables; GB/T 22918-2025 (temperature-controlled "
        "transport of perishable foodstuff) does not cover parcels"
    ),
    status=PolicyStatus.UNVERIFIED,
    remedy="give the lot's storage in the catalogue, so the listing can say how it travels",
)

#: The food rules of each built-in marketplace.
FOOD_POLICIES: Final[Mapping[str, tuple[FoodRule, ...]]] = {
    "amazon": (_US_POULTRY, _US_EGGS, _US_CURED, _EU_MEAT, _AMAZON_GROCERY),
    "ebay": (_US_POULTRY, _US_EGGS, _US_CURED, _EU_MEAT, _EBAY_PERISHABLE),
    "etsy": (_US_POULTRY, _US_EGGS, _US_CURED, _EU_MEAT, _COLD_STATEMENT),
    "shopify": (_US_POULTRY, _US_EGGS, _US_CURED, _COLD_STATEMENT),
    "woocommerce": (_US_POULTRY, _US_EGGS, _US_CURED, _COLD_STATEMENT),
    "shopee": (_SHOPEE_SG_MEAT, _US_POULTRY, _COLD_STATEMENT),
    "taobao": (_TAOBAO_FOOD, _COLD_STATEMENT),
    "sandbox": (_COLD_STATEMENT,),
}


def _origin(draft: ListingDraft) -> str | None:
    for text in draft.texts.values():
        found = text.attribute("origin")
        if found is not None and found.raw:
            match = re.search(r",\s*([A-Z]{2})\s*$", found.raw)
            if match:
                return match.group(1)
    return None


def _buyer(draft: ListingDraft, marketplace: str) -> str | None:
    extra = draft.extra.get(marketplace, {})
    given = extra.get("buyer_country") if isinstance(extra, Mapping) else None
    if isinstance(given, str) and given:
        return given.upper()
    return CURRENCY_COUNTRIES.get(draft.price.currency)


def check_food_policy(
    draft: ListingDraft, rules: Sequence[FoodRule], *, marketplace: str
) -> tuple[FoodFinding, ...]:
    """The rules of ``rules`` that apply to ``draft`` on ``marketplace``, as findings.

    A verified prohibition is blocking; one less than verified is a warning that says so.
    Approvals concern the seller's account, which a listing cannot see: a verified one is
    blocking until the draft says the seller holds it (the rule's code in
    ``draft.extra[marketplace]["approvals"]``); a less certain one is not reported (it stays
    in the data, for the partner to read). A statement rule is reported only when the listing
    cannot say it (:func:`cold_chain_statement` finds nothing to say): blocking when
    verified, a warning when partial.
    """
    origin, buyer = _origin(draft), _buyer(draft, marketplace)
    extra = draft.extra.get(marketplace, {})
    held = set(extra.get("approvals", ())) if isinstance(extra, Mapping) else set()
    findings = []
    for rule in rules:
        if not rule.covers(draft.kind, origin, buyer):
            continue
        sure = rule.status is PolicyStatus.VERIFIED
        if rule.verdict is FoodVerdict.APPROVAL and not sure:
            continue  # about the seller's account: reported only when verified
        if rule.verdict is FoodVerdict.STATEMENT:
            if rule.status is PolicyStatus.UNVERIFIED or all(
                cold_chain_statement(draft, text) for text in draft.texts.values()
            ):
                continue
            what = f"{rule.reason}, and the draft does not say how it is kept"
        elif rule.verdict is FoodVerdict.PROHIBITED:
            what = rule.reason if sure else f"{rule.reason} (likely, not verified)"
        else:
            if rule.code in held:
                continue
            what = rule.reason
        where = f" (origin {origin}, buyers in {buyer})" if rule.origins or rule.buyers else ""
        message = (
            f"{marketplace} food policy {rule.code}: {what}{where} "
            f"[source: {rule.source}; {rule.status.value}]"
        )
        findings.append(FoodFinding(rule, blocking=sure, message=message))
    return tuple(findings)


# The statement and its optional parts, as messages (ruralseller.translations); a language
# gets the statement when its catalogue translates it (English is the message itself).
_STATEMENT: Final = message(
    "cold chain statement",
    "How it reaches you: kept {storage}, packed in an insulated box with coolant and sent"
    "{by}{within}; keep it so when it arrives.",
)
# TRANSLATORS: put into the cold chain statement at {by}; mind the space before it.
_BY: Final = message("cold chain statement: the carriers", " by {services}")
# TRANSLATORS: put into the cold chain statement at {within}; mind the space before it.
_WITHIN: Final = message("cold chain statement: when", " within {days} days of your order")


def cold_chain_statement(
    draft: ListingDraft,
    text: LocalizedText,
    *,
    translations: str | os.PathLike[str] | None = None,
) -> str | None:
    r"""The sentence that says how a perishable reaches the buyer, in ``text``'s language.

    It is built from the draft's storage attribute and shipping promise; ``None`` when the
    draft says nothing about how the food is kept, or for a language whose catalogue has
    no words for it. ``translations`` is a folder of catalogues of your own, read first.

    >>> from ruralseller.catalog import Money
    >>> from ruralseller.listing.draft import Attribute, ListingDraft, LocalizedText
    >>> text = LocalizedText(locale="en", title="Silkie", description="A bird.",
    ...     description_html="<p>A bird.</p>",
    ...     attributes=[Attribute("storage", "Storage", "chilled, 0-4 °C", "chilled")])
    >>> draft = ListingDraft(sku="WJ1", lot="WJ1", product="silkie", kind="poultry_meat",
    ...     texts={"en": text}, price=Money("36", "CNY"), sale_unit="piece", stock=3)
    >>> print(cold_chain_statement(draft, text).replace("; ", ";\n"))
    How it reaches you: kept chilled, 0-4 °C, packed in an insulated box with coolant and sent;
    keep it so when it arrives.
    """
    storage = text.attribute("storage")
    locale = text.locale
    if storage is None or not storage.value or not has_catalogue(locale, translations):
        return None
    english = locale.replace("_", "-").split("-")[0].lower() == "en"
    if not english and translate(_STATEMENT, locale, translations) == _STATEMENT.text:
        return None  # no words for it in this language yet: better none than English
    by = within = ""
    if draft.shipping is not None:
        if draft.shipping.services:
            services = ", ".join(draft.shipping.services)
            by = format_message(_BY, locale, translations, services=services)
        days = max(1, round(draft.shipping.handling.total_seconds() / 86400))
        within = format_message(_WITHIN, locale, translations, days=str(days))
    return format_message(
        _STATEMENT, locale, translations, storage=storage.value, by=by, within=within
    )


def with_food_statements(
    draft: ListingDraft,
    rules: Sequence[FoodRule],
    *,
    marketplace: str,
    translations: str | os.PathLike[str] | None = None,
) -> ListingDraft:
    """``draft`` with each statement its rules require written into every text.

    The statement (:func:`cold_chain_statement`) is appended to the plain and HTML
    descriptions of each text that does not already carry it, for the statement rules that
    cover the draft and are verified or partly verified; otherwise ``draft`` comes back
    unchanged.

    >>> from ruralseller.catalog import Money
    >>> from ruralseller.listing.draft import Attribute, ListingDraft, LocalizedText
    >>> text = LocalizedText(locale="en", title="Silkie", description="A bird.",
    ...     description_html="<p>A bird.</p>",
    ...     attributes=[Attribute("storage", "Storage", "chilled, 0-4 °C", "chilled")])
    >>> draft = ListingDraft(sku="WJ1", lot="WJ1", product="silkie", kind="poultry_meat",
    ...     texts={"en": text}, price=Money("18", "USD"), sale_unit="piece", stock=3)
    >>> stated = with_food_statements(draft, FOOD_POLICIES["ebay"], marketplace="ebay")
    >>> stated.text("en").description.splitlines()[1][:40]
    'How it reaches you: kept chilled, 0-4 °C'
    >>> with_food_statements(stated, FOOD_POLICIES["ebay"], marketplace="ebay") == stated
    True
    """
    origin, buyer = _origin(draft), _buyer(draft, marketplace)
    if not any(
        rule.verdict is FoodVerdict.STATEMENT
        and rule.status is not PolicyStatus.UNVERIFIED
        and rule.covers(draft.kind, origin, buyer)
        for rule in rules
    ):
        return draft
    texts = {}
    for locale, text in draft.texts.items():
        statement = cold_chain_statement(draft, text, translations=translations)
        if statement is None or statement in text.description:
            texts[locale] = text
            continue
        escaped = statement.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        texts[locale] = attrs.evolve(
            text,
            description=f"{text.description}\n{statement}",
            description_html=f"{text.description_html}<p>{escaped}</p>",
        )
    return attrs.evolve(draft, texts=texts)
