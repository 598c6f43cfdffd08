"""What a package label must say, per jurisdiction and language.

:func:`label_particulars` lists the mandatory particulars for one lot: each with a stable key,
a heading in the label's language, the text to print, and the legal source. The packaging
stage lays them out; this module decides what they are.

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import Mass, load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> catalog = load_catalog(sample_path())
    >>> label = label_particulars(catalog, "WJ261120A", net_weight=Mass.parse("1.3 kg"))
    >>> [(p.heading, p.text) for p in label][:3]
    [('产品名称', '泰和乌鸡 整只 冰鲜'), ('净含量', '1.3 kg'), ('生产者', '吴家乌鸡养殖场')]
    >>> weighed = Mass.parse("1.3 kg")
    >>> us = label_particulars(catalog, "WJ261120A", jurisdiction="US", net_weight=weighed)
    >>> [p.text for p in us if p.key == "handling"]
    ['Keep Refrigerated']
"""

from __future__ import annotations

import contextvars
import datetime as dt
import os
from collections.abc import Iterator

import attrs

from ruralseller.catalog import (
    AnyProduct,
    Catalog,
    CuredMeat,
    LegalCategory,
    LicenceKind,
    Lot,
    Mass,
    PackagedFood,
    Producer,
    StorageClass,
    format_duration,
    legal_category,
)
from ruralseller.compliance.rules import Citation
from ruralseller.errors import InvalidValueError
from ruralseller.translations import Message, has_catalogue, message, translate

__all__ = ["DEFAULT_LOCALES", "Particular", "label_particulars"]

DEFAULT_LOCALES = {"CN": "zh-CN", "EU": "en", "US": "en"}
"""The label language used for each jurisdiction unless another is asked for."""


@attrs.frozen
class Particular:
    """One item a label must carry.

    Attributes:
        key: a stable key, e.g. ``name``, ``net_quantity``, ``storage``, ``date_mark``.
        heading: the heading in the label's language, e.g. ``产品名称``.
        text: what to print.
        citation: the rule that requires it.
    """

    key: str
    heading: str
    text: str
    citation: Citation


# Headings as English messages; the catalogues translate them (ruralseller.translations).
# A heading a language has no words for is printed in English.
_HEADINGS: dict[str, Message] = {
    "name": message("label heading", "Product name"),
    "net_quantity": message("label heading", "Net weight"),
    "producer": message("label heading", "Producer"),
    "address": message("label heading", "Address"),
    "contact": message("label heading", "Contact"),
    "origin": message("label heading", "Origin"),
    "production_date": message("label heading", "Production date"),
    "shelf_life": message("label heading", "Shelf life"),
    "date_mark": message("label heading", "Best before"),
    "use_by": message("label heading", "Use by"),
    "storage": message("label heading", "Storage"),
    "lot": message("label heading", "Lot"),
    "licence": message("label heading", "Production licence"),
    "quarantine": message("label heading", "Quarantine certificate"),
    "slaughter": message("label heading", "Slaughtered at"),
    "reared_in": message("label heading", "Reared in"),
    "slaughtered_in": message("label heading", "Slaughtered in"),
    "handling": message("label heading", "Handling"),
    "safe_handling": message("label heading", "Safe Handling Instructions"),
    "ingredients": message("label heading", "Ingredients"),
    "standard": message("label heading", "Product standard"),
    "nutrition": message("label heading", "Nutrition (per 100 g)"),
    "allergens": message("label heading", "Allergens"),
    "certificate": message("label heading", "Commitment certificate"),
}

_GB7718 = Citation("GB 7718-2011", "4.1")
_GB7718_2025 = Citation("GB 7718-2025", "mandatory particulars")
_GB7718_2025_IN_FORCE = dt.date(2027, 3, 16)
_GB28050 = Citation("GB 28050-2011", "nutrition panel")
_GB28050_2025 = Citation("GB 28050-2025", "nutrition panel")
_AGRICULTURAL = Citation(
    "食用农产品市场销售质量安全监督管理办法 (国家市场监督管理总局令第81号)",
    "packed edible agricultural products",
)
_CERTIFICATE = Citation("农产品质量安全承诺达标合格证管理办法 (农业农村部令2025年第4号)", "Art. 3")
_EU1169 = Citation("Reg. (EU) 1169/2011", "Art. 9(1)")
_EU1337 = Citation("Impl. Reg. (EU) 1337/2013", "Art. 5")
_US381 = Citation("9 CFR", "381.125(a)")
_US381B = Citation("9 CFR", "381.125(b)")
_US101 = Citation("21 CFR", "101.17(h)")
_US_NET = Citation("9 CFR", "381.121 (net quantity)")
_CN_QUARANTINE = Citation("动物防疫法 (2021)", "Art. 49 (检疫证明, 检疫标志)")

_STORAGE_TEXT = {
    StorageClass.CHILLED: message("label storage", "Keep refrigerated at 0-4 °C"),
    StorageClass.FROZEN: message("label storage", "Keep frozen at -18 °C or below"),
    StorageClass.COOL: message("label storage", "Keep cool, at or below 7 °C"),
    StorageClass.AMBIENT: message("label storage", "Store in a cool, dry place"),
    StorageClass.LIVE: message("label storage", "Live animals"),
}
_DAYS = message("shelf life, unit", "days")
_NONE = message("label: no allergens", "none")


# A folder of the partner's own catalogues, read before ours, while particulars are listed.
_TRANSLATIONS: contextvars.ContextVar[str | os.PathLike[str] | None] = contextvars.ContextVar(
    "label_translations", default=None
)


def _t(text: Message, locale: str) -> str:
    return translate(text, locale, _TRANSLATIONS.get())


def _language(locale: str) -> str:
    language = locale.replace("_", "-").split("-")[0].lower()
    name = _HEADINGS["name"]
    # A label is in a language when its catalogue names the particulars, not in English.
    extra = _TRANSLATIONS.get()
    translated = has_catalogue(locale, extra) and (
        language == "en" or translate(name, locale, extra) != name.text
    )
    if not translated:
        raise InvalidValueError(
            f"labels are not available in {locale!r} yet",
            field="locale",
            hint="use zh-CN or en, or translate the label headings in a catalogue for the "
            "language (docs/howto/add-a-language.md)",
        )
    return language


def _net_quantity(lot: Lot, net_weight: Mass | None) -> str:
    if net_weight is not None:
        if not net_weight:
            raise InvalidValueError("a net weight of zero", field="net_weight")
        return str(net_weight)
    piece = lot.quantity.piece_mass
    if piece is not None and not piece.variable:
        return str(piece.lightest)
    raise InvalidValueError(
        f"lot {lot.id} is sold by variable weight: each package needs its own net weight",
        field="net_weight",
        hint="weigh the package and pass net_weight (on the command line: --weight '1.3 kg')",
    )


def _address(producer: Producer, language: str) -> str:
    divisions = "".join(producer.place.divisions)
    if language == "zh":
        return divisions or producer.place.country_name("zh")
    country = producer.place.country_name(language)
    return f"{divisions}, {country}" if divisions else country


def _common(
    language: str, product: AnyProduct, producer: Producer, net: str, citation: Citation
) -> Iterator[tuple[str, str, Citation]]:
    yield "name", product.name_in("zh-CN" if language == "zh" else language), citation
    yield "net_quantity", net, citation
    yield "producer", producer.name, citation
    yield "address", _address(producer, language), citation
    if producer.contact:
        yield "contact", producer.contact, citation


def _cn(
    catalog: Catalog, lot: Lot, language: str, net: str, on: dt.date
) -> Iterator[tuple[str, str, Citation]]:
    product, producer = catalog.product_of(lot), catalog.producer_of(lot)
    # Label rules follow the legal category: GB 7718 for prepackaged food, the SAMR measures
    # for edible agricultural products (a chilled whole bird, eggs, potatoes).
    edition_2025 = on >= _GB7718_2025_IN_FORCE
    citation = _AGRICULTURAL
    if legal_category(product.kind, "CN") is LegalCategory.PREPACKAGED_FOOD:
        citation = _GB7718_2025 if edition_2025 else _GB7718
    yield from _common(language, product, producer, net, citation)
    processed = product if isinstance(product, CuredMeat | PackagedFood) else None
    if processed is not None and processed.ingredients:
        yield "ingredients", "、".join(processed.ingredients), citation
    yield "production_date", lot.production_date.isoformat(), citation
    basis = product.shelf_life_basis
    storage = product.storage_class
    if basis is not None:
        yield (
            "shelf_life",
            format_duration(basis.reference).replace(" d", f" {_t(_DAYS, language)}"),
            citation,
        )
    if lot.use_by or lot.best_before:
        yield "date_mark", (lot.use_by or lot.best_before).isoformat(), citation  # type: ignore[union-attr]
    yield "storage", _t(_STORAGE_TEXT[storage], language), citation
    yield "lot", lot.id, citation
    licence = producer.licence(LicenceKind.FOOD_PRODUCTION)
    if licence is not None:
        yield "licence", licence.number, citation
    if processed is not None:
        yield from _processed_items(processed, language, citation, edition_2025=edition_2025)
    if lot.slaughter is not None:
        yield "slaughter", lot.slaughter.facility, _CN_QUARANTINE
        if lot.slaughter.quarantine_certificate:
            yield "quarantine", lot.slaughter.quarantine_certificate, _CN_QUARANTINE
    if lot.certificate is not None and lot.certificate.number:
        yield "certificate", lot.certificate.number, _CERTIFICATE


def _processed_items(
    product: CuredMeat | PackagedFood, language: str, citation: Citation, *, edition_2025: bool
) -> Iterator[tuple[str, str, Citation]]:
    if product.standard:
        yield "standard", product.standard, citation
    if product.nutrition:
        panel = "; ".join(f"{name} {value}" for name, value in product.nutrition.items())
        yield "nutrition", panel, _GB28050_2025 if edition_2025 else _GB28050
    if edition_2025 and product.allergens is not None:
        none = _t(_NONE, language)
        yield "allergens", "、".join(product.allergens) or none, _GB7718_2025


def _eu(
    catalog: Catalog, lot: Lot, language: str, net: str, _on: dt.date
) -> Iterator[tuple[str, str, Citation]]:
    product, producer = catalog.product_of(lot), catalog.producer_of(lot)
    yield from _common(language, product, producer, net, _EU1169)
    if lot.use_by is not None:
        yield "use_by", lot.use_by.isoformat(), Citation("Reg. (EU) 1169/2011", "Art. 24")
    elif lot.best_before is not None:
        yield "date_mark", lot.best_before.isoformat(), _EU1169
    yield "storage", _t(_STORAGE_TEXT[product.storage_class], language), _EU1169
    yield "lot", lot.id, Citation("Directive 2011/91/EU", "Art. 1")
    if product.kind == "poultry_meat":
        reared = producer.place.country_name(language)
        facility = lot.slaughter.facility_place if lot.slaughter is not None else None
        slaughtered = (facility or producer.place).country_name(language)
        yield "reared_in", reared, _EU1337
        yield "slaughtered_in", slaughtered, _EU1337


def _us(
    catalog: Catalog, lot: Lot, language: str, net: str, _on: dt.date
) -> Iterator[tuple[str, str, Citation]]:
    product, producer = catalog.product_of(lot), catalog.producer_of(lot)
    for key, text, _ in _common(language, product, producer, net, _US_NET):
        yield key, text, _US_NET
    if lot.use_by is not None:
        yield "use_by", lot.use_by.isoformat(), _US_NET
    elif lot.best_before is not None:
        yield "date_mark", lot.best_before.isoformat(), _US_NET
    yield "lot", lot.id, _US_NET
    storage = product.storage_class
    if product.kind == "poultry_meat":
        handling = "Keep Frozen" if storage is StorageClass.FROZEN else "Keep Refrigerated"
        yield "handling", handling, _US381
        yield "safe_handling", _US_POULTRY_SHI, _US381B
    elif product.kind == "shell_eggs":
        yield "handling", "Keep Refrigerated", Citation("21 CFR", "101.17(h); 115.50")
        yield "safe_handling", _US_EGG_SHI, _US101
    else:
        yield "storage", _t(_STORAGE_TEXT[storage], language), _US_NET


# The statements the CFR prescribes, word for word (9 CFR 381.125(b)(2); 21 CFR 101.17(h)).
_US_POULTRY_SHI = (
    "This product was prepared from inspected and passed meat and/or poultry. Some food "
    "products may contain bacteria that can cause illness if the product is mishandled or "
    "cooked improperly. For your protection, follow these safe handling instructions. Keep "
    "refrigerated or frozen. Thaw in refrigerator or microwave. Keep raw meat and poultry "
    "separate from other foods. Wash working surfaces (including cutting boards), utensils, and "
    "hands after touching raw meat or poultry. Cook thoroughly. Keep hot foods hot. "
    "Refrigerate leftovers immediately or discard."
)
_US_EGG_SHI = (
    "To prevent illness from bacteria: keep eggs refrigerated, cook eggs until yolks are firm, "
    "and cook foods containing eggs thoroughly."
)

_BUILDERS = {"CN": _cn, "EU": _eu, "US": _us}


def label_particulars(  # noqa: PLR0913 - all but the first two are keyword-only
    catalog: Catalog,
    lot_id: str,
    *,
    jurisdiction: str = "CN",
    locale: str | None = None,
    net_weight: Mass | None = None,
    on: dt.date | None = None,
    translations: str | os.PathLike[str] | None = None,
) -> tuple[Particular, ...]:
    """The mandatory particulars of a package label for one lot.

    Args:
        catalog: the catalogue.
        lot_id: the lot packed.
        jurisdiction: whose labelling rules apply: ``CN``, ``EU`` or ``US``.
        locale: the label's language (``zh-CN`` or ``en``); the jurisdiction's usual one if None.
        net_weight: the weighed net weight of this package; needed for variable-weight lots.
        on: the packing day: which edition of a label standard applies (GB 7718-2025 from
            2027-03-16); today if None.
        translations: a folder of translation catalogues of your own, read before ours; a
            language whose catalogue translates the label headings (context
            ``label heading``) can be asked for (``docs/howto/add-a-language.md``).

    Raises:
        InvalidValueError: for a variable-weight lot without ``net_weight``, or a language or
            jurisdiction labels are not available for (with a hint).
        NotInCatalogError: when the lot is not in the catalogue.
    """
    day = on or dt.datetime.now(dt.UTC).date()
    code = jurisdiction.strip().upper()
    builder = _BUILDERS.get(code)
    if builder is None:
        raise InvalidValueError(
            f"no label rules for {jurisdiction!r}",
            field="jurisdiction",
            hint="use one of: " + ", ".join(_BUILDERS),
        )
    token = _TRANSLATIONS.set(translations)
    try:
        language = _language(locale or DEFAULT_LOCALES[code])
        lot = catalog.lot(lot_id)
        net = _net_quantity(lot, net_weight)
        return tuple(
            Particular(key=key, heading=_t(_HEADINGS[key], language), text=text, citation=cit)
            for key, text, cit in builder(catalog, lot, language, net, day)
        )
    finally:
        _TRANSLATIONS.reset(token)
