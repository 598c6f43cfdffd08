"""Turning a lot into a :class:`~ruralseller.listing.ListingDraft`, text from templates.

The text comes from Jinja2 templates shipped with the package, one folder per locale
(``title.txt.j2``, ``description.txt.j2``, ``description.html.j2``, ``bullets.txt.j2``).
A partner overrides any of them by putting a file of the same name in their own template
folder (``templates/zh-CN/title.txt.j2``). Every template runs in Jinja2's sandbox with
undefined names as errors, and the HTML template escapes every value: a product named
``<script>`` is shown, never run.

Units and money are written the way each locale reads them (babel): ``¥36.00/斤`` for
zh-CN, ``CN¥36.00 per jin (500 g)`` for English, ``36,00 CNY por jin (500 g)`` for Spanish
and ``R$ 36,00 por jin (500 g)`` (in reais) for Brazilian Portuguese; with ``jin=True`` masses
are given in 斤 too, with the conversion shown. Spanish and Portuguese texts, for Mercado
Libre, name the product in the catalogue's ``names`` for the language, or else by its facts
(``Pollo de huesos negros entero refrigerado``), and write dates in words.

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> catalog = load_catalog(sample_path())
    >>> draft = generate_listing(catalog, "WJ261120A", on=dt.date(2026, 11, 21))
    >>> draft.text("zh-CN").title
    '泰和乌鸡 整只 冰鲜 1-1.4 kg/只'
    >>> draft.text("en").title
    'Taihe black-bone silkie chicken, whole, chilled, 1-1.4 kg each, from Jiangxi'
    >>> draft.compliance_ok, str(draft.price), draft.sale_unit
    (True, '100.80 CNY', 'piece')
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import babel.dates
import babel.numbers
import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ruralseller.catalog import (
    AnyProduct,
    Catalog,
    CertificationKind,
    Cut,
    Gs1Data,
    LiveBirds,
    Lot,
    Mass,
    MeatState,
    Money,
    Offer,
    Place,
    PoultryMeat,
    PricingPolicy,
    Producer,
    SaleUnit,
    ShellEggs,
    Species,
    StorageClass,
    Temperature,
    default_measure_words,
    format_duration,
    rounded_half_up,
)
from ruralseller.catalog.units import decimal_text
from ruralseller.coldchain import ShipmentPlan, outside_for
from ruralseller.compliance import Sale, check
from ruralseller.errors import InvalidValueError, RuralSellerError
from ruralseller.listing.draft import (
    Attribute,
    ListingDraft,
    LocalizedText,
    ShippingPromise,
    UnitOfSale,
    Variation,
)
from ruralseller.listing.templates_sandbox import (
    LimitedSandbox,
    TemplateFolderLoader,
    render_template,
    template_error,
)
from ruralseller.packaging import PACKAGING_FILE, PackPlan, plan_pack

__all__ = [
    "DEFAULT_LOCALES",
    "DEFAULT_PACK_JOURNEY",
    "LOCALES",
    "TEMPLATE_NAMES",
    "generate_listing",
    "measure_words",
    "template_environment",
]

DEFAULT_LOCALES = ("zh-CN", "en")
"""The locales a draft has text in unless asked otherwise."""

LOCALES = ("zh-CN", "en", "es", "pt-BR")
"""The locales ruralseller ships templates and labels for (another region of one of these
languages, such as ``es-MX``, uses its language's)."""

TEMPLATE_NAMES = ("title.txt.j2", "description.txt.j2", "description.html.j2", "bullets.txt.j2")
"""The templates each locale folder holds; a partner may override any of them."""

_LABELS = {
    "zh": {
        "breed": "品种",
        "species": "禽种",
        "cut": "部位",
        "net_weight": "净重",
        "storage": "储存",
        "shelf_life": "保质期",
        "origin": "产地",
        "production_date": "生产日期",
        "producer": "生产者",
        "certifications": "认证",
    },
    "en": {
        "breed": "Breed",
        "species": "Species",
        "cut": "Cut",
        "net_weight": "Net weight",
        "storage": "Storage",
        "shelf_life": "Shelf life",
        "origin": "Origin",
        "production_date": "Production date",
        "producer": "Producer",
        "certifications": "Certifications",
    },
    "es": {
        "breed": "Raza",
        "species": "Especie",
        "cut": "Corte",
        "net_weight": "Peso neto",
        "storage": "Conservación",
        "shelf_life": "Vida útil",
        "origin": "Origen",
        "production_date": "Fecha de producción",
        "producer": "Productor",
        "certifications": "Certificaciones",
    },
    "pt": {
        "breed": "Raça",
        "species": "Espécie",
        "cut": "Corte",
        "net_weight": "Peso líquido",
        "storage": "Conservação",
        "shelf_life": "Validade",
        "origin": "Origem",
        "production_date": "Data de produção",
        "producer": "Produtor",
        "certifications": "Certificações",
    },
}
_STORAGE = {
    "zh": {
        StorageClass.CHILLED: "0~4 °C 冷藏",
        StorageClass.FROZEN: "-18 °C 以下冷冻",
        StorageClass.COOL: "阴凉处, 不高于 7 °C",
        StorageClass.AMBIENT: "常温, 阴凉干燥处",
        StorageClass.LIVE: "活禽",
    },
    "en": {
        StorageClass.CHILLED: "chilled, 0-4 °C",
        StorageClass.FROZEN: "frozen, -18 °C or below",
        StorageClass.COOL: "cool, at most 7 °C",
        StorageClass.AMBIENT: "room temperature, cool and dry",
        StorageClass.LIVE: "live animals",
    },
    "es": {
        StorageClass.CHILLED: "en refrigeración, entre 0 y 4 °C",
        StorageClass.FROZEN: "en congelación, a -18 °C o menos",
        StorageClass.COOL: "en lugar fresco, a 7 °C como máximo",
        StorageClass.AMBIENT: "a temperatura ambiente, en lugar fresco y seco",
        StorageClass.LIVE: "animales vivos",
    },
    "pt": {
        StorageClass.CHILLED: "sob refrigeração, entre 0 e 4 °C",
        StorageClass.FROZEN: "sob congelamento, a -18 °C ou menos",
        StorageClass.COOL: "em local fresco, a no máximo 7 °C",
        StorageClass.AMBIENT: "em temperatura ambiente, em local fresco e seco",
        StorageClass.LIVE: "animais vivos",
    },
}
_CERTIFICATIONS = {
    "zh": {
        CertificationKind.ORGANIC: "有机",
        CertificationKind.GREEN_FOOD: "绿色食品",
        CertificationKind.GEOGRAPHICAL_INDICATION: "地理标志产品",
        CertificationKind.HALAL: "清真",
        CertificationKind.OTHER: "认证",
    },
    "en": {
        CertificationKind.ORGANIC: "organic",
        CertificationKind.GREEN_FOOD: "China Green Food",
        CertificationKind.GEOGRAPHICAL_INDICATION: "geographical indication",
        CertificationKind.HALAL: "halal",
        CertificationKind.OTHER: "certified",
    },
    "es": {
        CertificationKind.ORGANIC: "orgánico",
        CertificationKind.GREEN_FOOD: "China Green Food",
        CertificationKind.GEOGRAPHICAL_INDICATION: "indicación geográfica",
        CertificationKind.HALAL: "halal",
        CertificationKind.OTHER: "certificado",
    },
    "pt": {
        CertificationKind.ORGANIC: "orgânico",
        CertificationKind.GREEN_FOOD: "China Green Food",
        CertificationKind.GEOGRAPHICAL_INDICATION: "indicação geográfica",
        CertificationKind.HALAL: "halal",
        CertificationKind.OTHER: "certificado",
    },
}
_PIECE = {"zh": "只", "en": "each"}
_JIN = {"zh": "斤", "en": "jin", "es": "jin", "pt": "jin"}
_DAYS_WORD = {"zh": "天", "en": "days"}
# Where each language's shipped templates are, and the babel locale of its numbers and money.
_FOLDER = {"zh": "zh-CN", "en": "en", "es": "es", "pt": "pt-BR"}
_BABEL = {"zh": "zh_CN", "en": "en_US", "es": "es", "pt": "pt_BR"}
# Spanish and Portuguese: what one piece is, by product kind ("1,25 kg por caja").
_PER_PIECE = {
    "es": {"poultry_meat": "unidad", "live_birds": "ave", "shell_eggs": "caja"},
    "pt": {"poultry_meat": "unidade", "live_birds": "ave", "shell_eggs": "caixa"},
}
_PER_PIECE_DEFAULT = {"es": "unidad", "pt": "unidade"}
_PER = {"es": "por", "pt": "por"}
_AT = {"es": "a", "pt": "a"}
# Duration units in words, singular and plural, by format_duration's code.
_DURATION_WORDS = {
    "es": {
        "d": ("día", "días"),
        "h": ("hora", "horas"),
        "min": ("minuto", "minutos"),
        "s": ("segundo", "segundos"),
    },
    "pt": {
        "d": ("dia", "dias"),
        "h": ("hora", "horas"),
        "min": ("minuto", "minutos"),
        "s": ("segundo", "segundos"),
    },
}
# Product names from the facts, for a product without a name in Spanish or Portuguese: the
# bird as meat (noun, gender ending "o"/"a"), as the layer of eggs, and the words around it.
_MEAT_SPECIES = {
    "es": {
        Species.CHICKEN: ("pollo", "o"),
        Species.DUCK: ("pato", "o"),
        Species.GOOSE: ("ganso", "o"),
        Species.PIGEON: ("pichón", "o"),
        Species.QUAIL: ("codorniz", "a"),
        Species.TURKEY: ("pavo", "o"),
    },
    "pt": {
        Species.CHICKEN: ("frango", "o"),
        Species.DUCK: ("pato", "o"),
        Species.GOOSE: ("ganso", "o"),
        Species.PIGEON: ("pombo", "o"),
        Species.QUAIL: ("codorna", "a"),
        Species.TURKEY: ("peru", "o"),
    },
}
_LAYERS = {
    "es": {
        Species.CHICKEN: "gallina",
        Species.DUCK: "pato",
        Species.GOOSE: "gansa",
        Species.PIGEON: "paloma",
        Species.QUAIL: "codorniz",
        Species.TURKEY: "pava",
    },
    "pt": {
        Species.CHICKEN: "galinha",
        Species.DUCK: "pata",
        Species.GOOSE: "gansa",
        Species.PIGEON: "pomba",
        Species.QUAIL: "codorna",
        Species.TURKEY: "perua",
    },
}
# Each cut: the name's pattern ({Sp}/{sp}: the bird, {o}: the bird's gender ending, {state}:
# chilled or frozen) and the ending the state agrees with (None: the bird's).
_CUTS: dict[str, dict[Cut, tuple[str, str | None]]] = {
    "es": {
        Cut.WHOLE: ("{Sp} enter{o} {state}", None),
        Cut.HALF: ("Medi{o} {sp} {state}", None),
        Cut.BREAST: ("Pechuga de {sp} {state}", "a"),
        Cut.LEG: ("Pierna de {sp} {state}", "a"),
        Cut.WING: ("Alas de {sp} {state}", "as"),
        Cut.FEET: ("Patas de {sp} {state}", "as"),
        Cut.GIBLETS: ("Menudencias de {sp} {state}", "as"),
        Cut.PARTS: ("{Sp} {state} en piezas", None),
    },
    "pt": {
        Cut.WHOLE: ("{Sp} inteir{o} {state}", None),
        Cut.HALF: ("Mei{o} {sp} {state}", None),
        Cut.BREAST: ("Peito de {sp} {state}", "o"),
        Cut.LEG: ("Coxa de {sp} {state}", "a"),
        Cut.WING: ("Asas de {sp} {state}", "as"),
        Cut.FEET: ("Pés de {sp} {state}", "os"),
        Cut.GIBLETS: ("Miúdos de {sp} {state}", "os"),
        Cut.PARTS: ("{Sp} {state} em pedaços", None),
    },
}
_STATE_STEM = {
    "es": {MeatState.CHILLED: "refrigerad", MeatState.FROZEN: "congelad"},
    "pt": {MeatState.CHILLED: "resfriad", MeatState.FROZEN: "congelad"},
}
_BLACK_BONE = {"es": "de huesos negros", "pt": "de ossos pretos"}
_LIVE = {"es": "viv", "pt": "viv"}
_EGGS_OF = {"es": "Huevos de", "pt": "Ovos de"}


def template_environment(templates: str | os.PathLike[str] | None = None) -> SandboxedEnvironment:
    """The sandboxed Jinja2 environment: the partner's folder first, then ours.

    Undefined names are errors (a typo in a partner template fails loudly), and templates
    whose name ends in ``.html.j2`` escape every value.
    """
    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        folder = Path(templates)
        if not folder.is_dir():
            raise InvalidValueError(
                f"the template folder {folder} does not exist",
                field="templates",
                hint="give a folder holding zh-CN/ and en/ subfolders with your .j2 files",
            )
        loaders.append(TemplateFolderLoader(folder))
    loaders.append(jinja2.PackageLoader("ruralseller.listing", "templates"))
    return LimitedSandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        keep_trailing_newline=False,
    )


def _language(locale: str) -> str:
    language = locale.replace("_", "-").split("-")[0].lower()
    if language not in _LABELS:
        available = ", ".join(LOCALES[:-1]) + f" or {LOCALES[-1]}"
        raise InvalidValueError(
            f"listings are not available in {locale!r} yet",
            field="locales",
            hint=f"use {available} (or add templates and labels for the language)",
        )
    return language


def _babel_locale(locale: str) -> str:
    return _BABEL[_language(locale)]


def _romance(language: str) -> bool:
    """Whether the language is one of the Mercado Libre ones (es, pt), written alike here."""
    return language in _PER_PIECE


def _date(day: dt.date, locale: str) -> str:
    """A day as the locale writes it: ISO for zh and en, in words for es and pt."""
    if not _romance(_language(locale)):
        return day.isoformat()
    return str(babel.dates.format_date(day, "long", locale=_babel_locale(locale)))


def _temperature(temperature: Temperature, locale: str) -> str:
    return f"{_number(temperature.value, locale)} {temperature.unit.code}"


def _number(value: Fraction | Decimal, locale: str) -> str:
    exact = (
        Decimal(value.numerator) / Decimal(value.denominator)
        if isinstance(value, Fraction)
        else value
    )
    rounded = exact.quantize(Decimal("0.01")).normalize()
    return str(babel.numbers.format_decimal(rounded, locale=_babel_locale(locale)))


def _masses(low: Mass, high: Mass, unit: str, locale: str) -> str:
    first, last = _number(low.in_unit(unit), locale), _number(high.in_unit(unit), locale)
    return first if first == last else f"{first}-{last}"


def _weight(lot: Lot, words: Mapping[str, str], locale: str, *, jin: bool) -> str | None:
    piece = lot.quantity.piece_mass
    language = _language(locale)
    if piece is None:
        return None
    low, high = piece.lightest, piece.heaviest
    text = f"{_masses(low, high, 'kg', locale)} kg"
    if jin:
        text += f" ({_masses(low, high, 'jin', locale)} {_JIN[language]})"
    if language == "zh":
        return f"{text}/{words['zh']}"
    if _romance(language):
        return f"{text} {_PER[language]} {words[language]}"
    return f"{text} {_PIECE[language]}"


def _piece_mass(lot: Lot, locale: str, *, jin: bool) -> str | None:
    """The mass of one piece alone (``1,1-1,5 kg``), for titles that say no more."""
    piece = lot.quantity.piece_mass
    if piece is None:
        return None
    low, high = piece.lightest, piece.heaviest
    text = f"{_masses(low, high, 'kg', locale)} kg"
    if jin:
        text += f" ({_masses(low, high, 'jin', locale)} {_JIN[_language(locale)]})"
    return text


def _piece_word(kind: str, language: str) -> str:
    return _PER_PIECE[language].get(kind, _PER_PIECE_DEFAULT[language])


def measure_words(offer: Offer, product: AnyProduct) -> dict[str, str]:
    """The measure word of one unit by language (zh, en, es, pt).

    The offer's own words, else the product kind's (只/bird, 盒/box, 袋/bag, 块/piece; 份/pack
    for poultry in parts).

    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> catalog = load_catalog(sample_path())
    >>> lot = catalog.lot("WE261118")
    >>> measure_words(catalog.offer_for(lot.id), catalog.product_of(lot))["zh"]
    '盒'
    """
    whole = getattr(product, "cut", Cut.WHOLE) in {Cut.WHOLE, Cut.HALF}
    words = dict(default_measure_words(product.kind, whole=whole))
    for key, word in offer.unit.items():
        words[key.replace("_", "-").split("-")[0].lower()] = word
    return words


def _per_mass_text(per: Mass, locale: str) -> str:
    """What a price by weight buys: ``斤``, ``jin (500 g)``, ``kg``, ``2 kg``."""
    language = _language(locale)
    if language == "zh":
        return (
            per.unit.symbol if per.value == 1 else f"{_number(per.value, locale)}{per.unit.symbol}"
        )
    if per.unit.code in {"jin", "liang"}:
        grams = _number(per.to("g").value, locale)
        head = per.unit.code if per.value == 1 else f"{_number(per.value, locale)} {per.unit.code}"
        return f"{head} ({grams} g)"
    symbol = per.unit.symbol
    return symbol if per.value == 1 else f"{_number(per.value, locale)} {symbol}"


def _per(language: str, price: str, what: str) -> str:
    if language == "zh":
        return f"{price}/{what}"
    if _romance(language):
        return f"{price} {_PER[language]} {what}"
    return f"{price} per {what}"


_POLICY_TEXT = {
    "zh": {
        PricingPolicy.UPPER_WEIGHT: "按 {weight} 计价, 称重后多退少补",
        PricingPolicy.NOMINAL_WEIGHT: "按标称重量 {weight} 计价",
        PricingPolicy.WEIGHT_BANDS: "按所选重量档的上限计价",
    },
    "en": {
        PricingPolicy.UPPER_WEIGHT: "charged at {weight}, the difference refunded after weighing",
        PricingPolicy.NOMINAL_WEIGHT: "charged at the nominal weight of {weight}",
        PricingPolicy.WEIGHT_BANDS: "each weight band charged at its upper weight",
    },
    "es": {
        PricingPolicy.UPPER_WEIGHT: "se cobra a {weight} y se reembolsa la diferencia tras pesar",
        PricingPolicy.NOMINAL_WEIGHT: "se cobra al peso nominal de {weight}",
        PricingPolicy.WEIGHT_BANDS: "cada rango de peso se cobra a su peso máximo",
    },
    "pt": {
        PricingPolicy.UPPER_WEIGHT: "cobrado a {weight}, a diferença é reembolsada após a pesagem",
        PricingPolicy.NOMINAL_WEIGHT: "cobrado pelo peso nominal de {weight}",
        PricingPolicy.WEIGHT_BANDS: "cada faixa de peso é cobrada pelo seu peso máximo",
    },
}
_EQUIVALENT = {"zh": "折合 ", "en": "", "es": "", "pt": ""}


def _goods_mass(lot: Lot) -> Mass | None:
    """The mass of one piece when it is fixed (for a reference price by weight)."""
    piece = lot.quantity.piece_mass
    if piece is not None:
        return piece.nominal if piece.nominal is not None and not piece.variable else None
    quantity = lot.quantity
    if quantity.net_mass is not None and quantity.count:
        per_piece: Mass = quantity.net_mass / quantity.count
        return per_piece
    return None


def _price_text(offer: Offer, lot: Lot, locale: str, words: Mapping[str, str]) -> str:
    """The unit price, then the price by weight (and the pricing policy) in brackets.

    ``¥108.00/只 (¥36.00/斤, 按 1.5 kg 计价, 称重后多退少补)``; ``¥25.00/袋 (折合 ¥2.50/斤)``.
    """
    language = _language(locale)
    babel_locale = _babel_locale(locale)
    word = words.get(language, words["en"])
    per = offer.per.mass
    if per is None:
        head = _per(language, offer.price.format(babel_locale), word)
        goods = _goods_mass(lot)
        if goods is None or not goods:
            return head
        reference = Mass(1, "jin") if language == "zh" else Mass(1, "kg")
        each = rounded_half_up(offer.price * (reference / goods))
        return (
            f"{head} ({_EQUIVALENT[language]}"
            f"{_per(language, each.format(babel_locale), _per_mass_text(reference, locale))})"
        )
    by_weight = _per(language, offer.price.format(babel_locale), _per_mass_text(per, locale))
    billed = offer.billed_weight(lot)
    if billed is None or billed == per:
        return by_weight
    policy = offer.policy
    assert policy is not None  # noqa: S101 - priced by weight, so a policy is in force
    if policy is PricingPolicy.WEIGHT_BANDS:
        bands = ", ".join(
            f"{_masses(band.min, band.max, 'kg', locale)} kg: "
            f"{_per(language, price.format(babel_locale), word)}"
            for band, price in offer.band_prices()
        )
        head = bands
    else:
        head = _per(language, offer.unit_price(lot).format(babel_locale), word)
    # The weight charged, exactly (1.234 kg, not 1.23): the price was computed from it.
    exact = Decimal(decimal_text(billed.in_unit("kg")))
    weight = f"{babel.numbers.format_decimal(exact, locale=babel_locale)} kg"
    rule = _POLICY_TEXT[language][policy].format(weight=weight)
    return f"{head} ({by_weight}; {rule})" if language != "zh" else f"{head} ({by_weight}, {rule})"


def _price_per_kg(offer: Offer, lot: Lot) -> Money | None:
    if offer.per.mass is not None:
        return rounded_half_up(offer.price * (Fraction(1000) / offer.per.mass.grams))
    goods = _goods_mass(lot)
    if goods is None or not goods:
        return None
    return rounded_half_up(offer.price * (Fraction(1000) / goods.grams))


_DESCRIBE = {
    "zh": "每{word}: {name}{weight}",
    "en": "one {word}: {name}{weight}",
    "es": "1 {word}: {name}{weight}",
    "pt": "1 {word}: {name}{weight}",
}


def _unit_of_sale(  # noqa: PLR0913 - the facts of one unit, keyword flags after
    offer: Offer,
    lot: Lot,
    product: AnyProduct,
    locales: Sequence[str],
    words: Mapping[str, str],
    *,
    jin: bool,
) -> UnitOfSale:
    piece = lot.quantity.piece_mass
    goods_min = goods_max = None
    if piece is not None:
        goods_min, goods_max = piece.lightest, piece.heaviest
    elif (goods := _goods_mass(lot)) is not None:
        goods_min = goods_max = goods
    descriptions = {}
    measure = {}
    for locale in locales:
        language = _language(locale)
        word = words.get(language, words["en"])
        measure[locale] = word
        weight = _piece_mass(lot, locale, jin=jin)
        descriptions[locale] = _DESCRIBE[language].format(
            word=word,
            name=_name(product, locale),
            weight=(f" ({weight})" if language != "zh" else f", {weight}") if weight else "",
        )
    per = offer.per.mass
    variations = [
        Variation(
            key=f"{_masses(band.min, band.max, 'kg', 'en')} kg",
            min=band.min,
            max=band.max,
            price=price,
        )
        for band, price in offer.band_prices()
    ]
    policy = offer.policy
    return UnitOfSale(
        measure_words=measure,
        descriptions=descriptions,
        goods_min=goods_min,
        goods_max=goods_max,
        pricing=policy.value if policy is not None and piece is not None else None,
        price_by_weight=offer.price if per is not None else None,
        per=str(per) if per is not None else None,
        billed_weight=offer.billed_weight(lot),
        variations=variations,
    )


DEFAULT_PACK_JOURNEY = dt.timedelta(hours=48)
"""The journey a listing's shipping weight is packed for when no shipment plan says."""


# Lots of one product pack alike: the default pack is planned once per product, piece
# weights, chilling, season and packaging file (a bulk publish lists many such lots).
_PACKED: dict[tuple[object, ...], Mass | None] = {}
_PACKED_MAX = 512


def _default_pack_gross(catalog: Catalog, lot: Lot, day: dt.date) -> Mass | None:
    """The gross mass of the pack for :data:`DEFAULT_PACK_JOURNEY` in the season of ``day``."""
    ambient = outside_for(day)
    materials = catalog.folder / PACKAGING_FILE if catalog.folder is not None else None
    stamp = materials.stat().st_mtime_ns if materials is not None and materials.exists() else 0
    chilling = lot.slaughter.chilling if lot.slaughter is not None else None
    key: tuple[object, ...] = (
        str(catalog.folder),
        stamp,
        catalog.product_of(lot),
        lot.quantity,
        chilling,
        ambient.name,
    )
    try:
        if key in _PACKED:
            return _PACKED[key]
    except TypeError:  # an unhashable part: plan it every time
        key = ()
    try:
        gross: Mass | None = plan_pack(
            catalog, lot.id, journey=DEFAULT_PACK_JOURNEY, ambient=ambient
        ).gross
    except RuralSellerError:
        gross = None  # live birds, or no box holds: the goods' own weight is the floor
    if key:
        if len(_PACKED) >= _PACKED_MAX:
            _PACKED.clear()
        _PACKED[key] = gross
    return gross


def _shipping_weight(
    catalog: Catalog,
    lot: Lot,
    *,
    pack: PackPlan | None,
    shipment: ShipmentPlan | None,
    day: dt.date,
) -> Mass | None:
    """The packed weight of one unit: the pack plan's gross mass, never under the goods.

    Rounded up to 0.1 kg, so the buyer's postage is never under-quoted.
    """
    piece = lot.quantity.piece_mass
    goods = piece.heaviest if piece is not None else _goods_mass(lot)
    if pack is None and shipment is not None:
        # The heaviest pack the plan ships to any destination it serves.
        planned = [
            option.pack
            for destination in shipment.destinations
            if (option := destination.best) is not None and option.pack is not None
        ]
        pack = max(planned, key=lambda plan: plan.gross, default=None)
    gross = pack.gross if pack is not None else _default_pack_gross(catalog, lot, day)
    mass = gross if gross is not None else goods
    if mass is None:
        return None
    if goods is not None and goods > mass:
        mass = goods
    tenths = mass.in_unit("kg") * 10
    return Mass(Fraction(-(-tenths.numerator // tenths.denominator), 10), "kg")


def _origin(place: Place, locale: str) -> dict[str, Any]:
    from ruralseller.coldchain import find_province  # noqa: PLC0415 - only for English names

    province_en = None
    if place.province and place.country == "CN":
        try:
            province_en = find_province(place.province).en
        except InvalidValueError:
            province_en = None
    language = _language(locale)
    divisions = "".join(place.divisions)
    if _romance(language):
        country = place.country_name(_babel_locale(locale))
        # Readable first (the province in pinyin), then the address in Chinese for the record.
        if province_en:
            full = f"{province_en}, {country}" + (f" ({divisions})" if divisions else "")
        else:
            written = divisions if place.country == "CN" else ", ".join(place.divisions)
            full = f"{written}, {country}" if written else country
    else:
        country = place.country_name("zh_CN" if language == "zh" else "en")
        full = (
            divisions if language == "zh" else (f"{divisions}, {country}" if divisions else country)
        )
    county = place.county or ""
    return {
        "county_short": county[:-1] if county[-1:] in {"县", "区", "市", "旗"} else county,
        "country": country,
        "province": place.province,
        "province_en": province_en,
        "city": place.city,
        "county": place.county,
        "village": place.village,
        "full": full,
    }


def _certifications(producer: Producer, locale: str, on: dt.date) -> list[str]:
    language = _language(locale)
    return [
        f"{_CERTIFICATIONS[language][item.kind]} ({item.number})"
        for item in producer.certifications
        if item.is_valid_on(on)
    ]


def _shelf_life(product: AnyProduct, locale: str) -> str | None:
    basis = product.shelf_life_basis
    if basis is None:
        return None
    language = _language(locale)
    if _romance(language):
        text = _duration(basis.reference, language)
        if basis.at is not None:
            text += f" {_AT[language]} {_temperature(basis.at, locale)}"
        return text
    text = format_duration(basis.reference).replace(" d", f" {_DAYS_WORD[language]}")
    if basis.at is not None:
        text += f" ({basis.at})" if language == "zh" else f" at {basis.at}"
    return text


def _duration(delta: dt.timedelta, language: str) -> str:
    """A duration in words: ``5 días``, ``1 dia``, ``36 horas``."""
    number, code = format_duration(delta).split(" ")
    one, many = _DURATION_WORDS[language][code]
    if "." in number:
        return f"{number.replace('.', ',')} {many}"
    return f"{number} {one if number == '1' else many}"


def _name(product: AnyProduct, locale: str) -> str:
    """The product's name in ``locale``: its own, else (es, pt) one made from its facts."""
    language = _language(locale)
    tag = locale.replace("_", "-").casefold()
    own = {key.replace("_", "-").casefold() for key in product.names}
    if not _romance(language) or tag in own or language in own:
        return product.name_in(locale)
    made = _name_from_facts(product, language)
    return made if made is not None else product.name_in("en")


def _name_from_facts(product: AnyProduct, language: str) -> str | None:
    if isinstance(product, ShellEggs):
        return f"{_EGGS_OF[language]} {_LAYERS[language][product.species]}"
    if isinstance(product, PoultryMeat | LiveBirds):
        noun, ending = _MEAT_SPECIES[language][product.species]
        bird = f"{noun} {_BLACK_BONE[language]}" if getattr(product, "black_bone", False) else noun
        if isinstance(product, LiveBirds):
            return f"{bird[:1].upper()}{bird[1:]} {_LIVE[language]}{ending}"
        pattern, agrees = _CUTS[language][product.cut]
        state = _STATE_STEM[language][product.state] + (agrees or ending)
        return pattern.format(Sp=bird[:1].upper() + bird[1:], sp=bird, o=ending, state=state)
    return None


def _attributes(  # noqa: PLR0913 - the facts of one lot, keyword flags after
    product: AnyProduct,
    producer: Producer,
    lot: Lot,
    locale: str,
    words: Mapping[str, str],
    *,
    jin: bool,
    on: dt.date,
) -> list[Attribute]:
    language = _language(locale)
    labels = _LABELS[language]
    found: list[tuple[str, str | None, str | None]] = [
        ("breed", getattr(product, "breed", None), getattr(product, "breed", None)),
        ("net_weight", _weight(lot, words, locale, jin=jin), _raw_weight(lot)),
        ("storage", _STORAGE[language][product.storage_class], product.storage_class.value),
        ("shelf_life", _shelf_life(product, locale), None),
        ("origin", _origin(producer.place, locale)["full"], str(producer.place)),
        ("production_date", _date(lot.production_date, locale), lot.production_date.isoformat()),
        ("producer", producer.name, producer.id),
    ]
    certifications = _certifications(producer, locale, on)
    if certifications:
        found.append(("certifications", ", ".join(certifications), None))
    return [
        Attribute(key=key, label=labels[key], value=value, raw=raw)
        for key, value, raw in found
        if value
    ]


def _raw_weight(lot: Lot) -> str | None:
    piece = lot.quantity.piece_mass
    if piece is None:
        return None
    return f"{piece.lightest}..{piece.heaviest}"


def _render(env: SandboxedEnvironment, locale: str, name: str, context: Mapping[str, Any]) -> str:
    try:
        try:
            template = env.get_template(f"{locale}/{name}")
        except jinja2.TemplateNotFound:
            template = env.get_template(f"{_FOLDER[_language(locale)]}/{name}")
    except jinja2.TemplateSyntaxError as exc:
        raise template_error(exc, exc.name or f"{locale}/{name}", exc.filename) from None
    rendered = render_template(template, context, name=template.name or f"{locale}/{name}")
    # Optional parts leave empty lines behind; a listing has none.
    return "\n".join(line.rstrip() for line in rendered.splitlines() if line.strip())


def _context(  # noqa: PLR0913 - the facts of one lot, keyword flags after
    catalog: Catalog, lot: Lot, locale: str, offer: Offer, *, jin: bool, on: dt.date
) -> dict[str, Any]:
    product = catalog.product_of(lot)
    producer = catalog.producer_of(lot)
    words = measure_words(offer, product)
    attributes = _attributes(product, producer, lot, locale, words, jin=jin, on=on)
    slaughter = lot.slaughter
    return {
        "product": {
            "name": _name(product, locale),
            "description": product.description if _language(locale) == "zh" else None,
            "breed": getattr(product, "breed", None),
            "kind": product.kind,
        },
        "producer": {"name": producer.name},
        "origin": _origin(producer.place, locale),
        "weight": _weight(lot, words, locale, jin=jin),
        "piece_mass": _piece_mass(lot, locale, jin=jin),
        "storage": _STORAGE[_language(locale)][product.storage_class],
        "attributes": [
            {"key": item.key, "label": item.label, "value": item.value} for item in attributes
        ],
        "price_text": _price_text(offer, lot, locale, words),
        "unit": {
            "word": words.get(_language(locale), words["en"]),
            "price": offer.unit_price(lot).format(_babel_locale(locale)),
        },
        "slaughter": None
        if slaughter is None
        else {
            "facility": slaughter.facility,
            "day": _date(slaughter.day, locale),
            "quarantine": slaughter.quarantine_certificate,
        },
        "laying": None
        if lot.laying is None
        else {
            "first": _date(lot.laying.first_laid, locale),
            "last": _date(lot.laying.last_laid, locale),
        },
        "lot": {"id": lot.id, "production_date": _date(lot.production_date, locale)},
        "_attributes": attributes,
    }


def _shipping(
    plan: ShipmentPlan | None, product: AnyProduct, dispatch: Sequence[str]
) -> ShippingPromise | None:
    if plan is None:
        return None
    services = []
    for destination in plan.destinations:
        best = destination.best
        if best is not None and best.service.name not in services:
            services.append(best.service.name)
    return ShippingPromise(
        temperature_class=product.storage_class.value,
        regions=[d.name for d in plan.destinations if d.feasible],
        excluded=[d.name for d in plan.destinations if not d.feasible],
        dispatch_days=dispatch,
        services=services,
    )


def _traceability(product: AnyProduct, lot: Lot, base: str | None) -> str | None:
    if base is None or product.gtin is None:
        return None
    data = Gs1Data(product.gtin, lot=lot.id, best_before=lot.best_before, expiry=lot.use_by)
    return data.digital_link(base)


def _draft_sale_unit(offer: Offer, lot: Lot) -> str:
    """What the draft's price buys: a piece, or (goods sold loose by weight) the mass."""
    if offer.per.mass is not None and offer.billed_weight(lot) == offer.per.mass:
        return str(offer.per)
    return SaleUnit.PIECE_TEXT


def generate_listing(  # noqa: PLR0913 - everything but the lot is keyword-only
    catalog: Catalog,
    lot_id: str,
    *,
    locales: Sequence[str] = DEFAULT_LOCALES,
    templates: str | os.PathLike[str] | None = None,
    jurisdiction: str = "CN",
    shipment: ShipmentPlan | None = None,
    jin: bool = False,
    traceability_base: str | None = "https://id.gs1.org",
    dispatch_days: Sequence[str] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat"),
    price: Money | None = None,
    on: dt.date | None = None,
    pack: PackPlan | None = None,
) -> ListingDraft:
    """Build the marketplace-neutral listing draft of one lot.

    The texts are checked with the compliance rule packs of ``jurisdiction`` (banned absolute
    terms, disease and health claims) together with the lot itself; the result is in
    :attr:`ListingDraft.compliance_ok` and :attr:`ListingDraft.compliance_findings`.

    Args:
        catalog: the catalogue.
        lot_id: the lot to list; it must be on offer.
        locales: the locales to write text in: zh-CN, en, es, pt-BR (see :data:`LOCALES`).
        templates: a folder of partner templates overriding ours.
        jurisdiction: whose compliance rules the draft is checked against.
        shipment: a shipment plan, for the shipping promise (regions served).
        jin: also give masses in 斤, with the conversion.
        traceability_base: the GS1 Digital Link resolver of the lot's link (None: no link).
        dispatch_days: weekdays parcels leave the village.
        price: the offer's price on this marketplace, when it differs from the offer's
            (another currency for a marketplace abroad); it buys what the offer's price buys
            (``per``), and the unit price follows from it by the offer's pricing policy.
        on: the day the listing is for (certifications valid, rules in force, the season the
            parcel is packed for); today if None.
        pack: the pack plan of one unit, for its shipping weight; when None, the shipment
            plan's heaviest pack, else a pack for :data:`DEFAULT_PACK_JOURNEY` in the
            season of ``on``. The shipping weight is never below the goods' upper weight.

    The draft's ``price`` is the price of one unit (:meth:`Offer.unit_price
    <ruralseller.catalog.Offer.unit_price>`): a price by weight on pieces is multiplied by
    the billed weight of the offer's pricing policy and rounded half up to the fen or cent.

    Raises:
        InvalidValueError: when the lot is not on offer, a locale has no labels, or a partner
            template fails (naming the template).
    """
    day = on or dt.datetime.now(dt.UTC).date()
    lot = catalog.lot(lot_id)
    offer = catalog.offer_for(lot_id)
    if offer is None:
        raise InvalidValueError(
            f"lot {lot_id} is not on offer, so it has no price or stock to list",
            field="offers",
            hint=f'add an [[offers]] entry with lot = "{lot_id}", a price and the stock',
        )
    if price is not None:
        offer = attrs.evolve(offer, price=price)
    product = catalog.product_of(lot)
    producer = catalog.producer_of(lot)
    words = measure_words(offer, product)
    env = template_environment(templates)
    texts: dict[str, LocalizedText] = {}
    for locale in locales:
        context = _context(catalog, lot, locale, offer, jin=jin, on=day)
        attributes = context.pop("_attributes")
        bullets = [
            line.strip() for line in _render(env, locale, "bullets.txt.j2", context).splitlines()
        ]
        texts[locale] = LocalizedText(
            locale=locale,
            title=" ".join(_render(env, locale, "title.txt.j2", context).split()),
            description=_render(env, locale, "description.txt.j2", context),
            description_html=_render(env, locale, "description.html.j2", context),
            bullets=[line for line in bullets if line],
            attributes=attributes,
            price_text=context["price_text"],
        )
    listing_texts = {
        f"{locale}.{part}": text
        for locale, localized in texts.items()
        for part, text in (("title", localized.title), ("description", localized.description))
    }
    report = check(
        catalog,
        jurisdictions=[jurisdiction],
        lots=[lot_id],
        on=day,
        sale=Sale(texts=listing_texts),
    )
    return ListingDraft(
        sku=lot.id,
        lot=lot.id,
        product=product.id,
        kind=product.kind,
        gtin=str(product.gtin) if product.gtin else None,
        texts=texts,
        certifications=_certifications(producer, locales[0] if locales else "en", day),
        price=offer.unit_price(lot),
        sale_unit=_draft_sale_unit(offer, lot),
        price_per_kg=_price_per_kg(offer, lot),
        unit=_unit_of_sale(offer, lot, product, locales, words, jin=jin),
        shipping_weight=_shipping_weight(catalog, lot, pack=pack, shipment=shipment, day=day),
        stock=offer.stock,
        min_order=offer.min_order,
        max_order=offer.max_order,
        shipping=_shipping(shipment, product, dispatch_days),
        images=[str(catalog.path_of(image)) for image in (*product.images, *lot.images)],
        traceability_url=_traceability(product, lot, traceability_base),
        compliance_ok=report.ok,
        compliance_findings=sorted({f.rule for f in report.blocking}),
    )
