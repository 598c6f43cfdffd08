"""Turning a lot into a :class:`~ruralseller.listing.ListingDraft`, text from templates.

The text comes from Jinja2 templates shipped with the package, one folder per locale
(``title.txt.j2``, ``description.txt.j2``, ``description.html.j2``, ``bullets.txt.j2``).
A partner overrides any of them by putting a file of the same name in their own template
folder (``templates/zh-CN/title.txt.j2``). Every template runs in Jinja2's sandbox with
undefined names as errors, and the HTML template escapes every value: a product named
``<script>`` is shown, never run.

The words around the facts (attribute labels, storage, measure words, price phrases, the
English templates' sentences) are messages translated by gettext catalogues
(:mod:`ruralseller.translations`): a language with a catalogue gets listings in its words,
and ``translations=`` adds a folder of catalogues of your own.

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

import collections
import contextvars
import datetime as dt
import gettext
import os
import threading
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
    format_duration,
    measure_word,
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
from ruralseller.translations import (
    Message,
    format_message,
    format_plural,
    has_catalogue,
    message,
    plural_message,
    translate,
)
from ruralseller.translations import translations as gettext_translations

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

# The words of listings, as English messages; the catalogues in ruralseller/locale translate
# them (ruralseller.translations). A message's context says where it is used.
_LABELS = {
    "breed": message("attribute", "Breed"),
    "species": message("attribute", "Species"),
    "cut": message("attribute", "Cut"),
    "net_weight": message("attribute", "Net weight"),
    "storage": message("attribute", "Storage"),
    "shelf_life": message("attribute", "Shelf life"),
    "origin": message("attribute", "Origin"),
    "production_date": message("attribute", "Production date"),
    "producer": message("attribute", "Producer"),
    "certifications": message("attribute", "Certifications"),
}
_STORAGE = {
    StorageClass.CHILLED: message("storage", "chilled, 0-4 °C"),
    StorageClass.FROZEN: message("storage", "frozen, -18 °C or below"),
    StorageClass.COOL: message("storage", "cool, at most 7 °C"),
    StorageClass.AMBIENT: message("storage", "room temperature, cool and dry"),
    StorageClass.LIVE: message("storage", "live animals"),
}
_CERTIFICATIONS = {
    CertificationKind.ORGANIC: message("certification", "organic"),
    CertificationKind.GREEN_FOOD: message("certification", "China Green Food"),
    CertificationKind.GEOGRAPHICAL_INDICATION: message("certification", "geographical indication"),
    CertificationKind.HALAL: message("certification", "halal"),
    CertificationKind.OTHER: message("certification", "certified"),
}
_JIN = message("unit", "jin")
_DAYS_WORD = message("shelf life, unit", "days")
# How a locale writes dates: "iso" (2026-11-21), else a CLDR date format of babel's
# (short, medium, long, full) or a date pattern.
# TRANSLATORS: "iso" writes 2026-11-21; or give short, medium, long, full or a CLDR pattern.
_DATE_STYLE = message("date style: iso, short, medium, long, full or a CLDR pattern", "iso")
# TRANSLATORS: {weight} is "1-1.4 kg"; {word} the measure word of one unit (bird, 只).
_WEIGHT_EACH = message("net weight of one unit ({word}: its measure word)", "{weight} each")
_PRICE_PER = message("price of one unit or mass", "{price} per {unit}")
# The mass a price of a unit is also given for ("¥2.50/斤"), as ruralseller writes masses.
# TRANSLATORS: a mass as ruralseller reads it: "1 kg", "1 jin", "500 g", "1 lb".
_REFERENCE_MASS = message("reference mass of a price by weight", "1 kg")
# TRANSLATORS: {price} is "¥2.50/斤", given after the price of one unit; zh: "折合 {price}".
_EQUIVALENT = message("price by weight given for reference", "{price}")
_PRICE_WITH_POLICY = message(
    "unit price, price by weight and pricing policy", "{price} ({by_weight}; {rule})"
)
_POLICY_TEXT = {
    PricingPolicy.UPPER_WEIGHT: message(
        "pricing policy", "charged at {weight}, the difference refunded after weighing"
    ),
    PricingPolicy.NOMINAL_WEIGHT: message(
        "pricing policy", "charged at the nominal weight of {weight}"
    ),
    PricingPolicy.WEIGHT_BANDS: message(
        "pricing policy", "each weight band charged at its upper weight"
    ),
}
_DESCRIBE = message("one unit", "one {word}: {name}")
_DESCRIBE_WEIGHT = message("one unit", "one {word}: {name} ({weight})")
_SHELF_LIFE_AT = message("shelf life at a temperature", "{duration} at {temperature}")
# Where each language's shipped templates are (another language uses the English ones,
# whose words are messages too), and the babel locale of its numbers and money.
_FOLDER = {"zh": "zh-CN", "en": "en", "es": "es", "pt": "pt-BR"}
_BABEL = {"zh": "zh_CN", "en": "en_US", "es": "es", "pt": "pt_BR"}
# Spanish and Portuguese (for Mercado Libre) write durations in words, dates in words,
# numbers with their locale's separators, and name products from their facts: grammar
# written in code, with the words in the catalogues.
_IN_WORDS = frozenset({"es", "pt"})
# Duration units in words, by format_duration's code.
_DURATION_WORDS = {
    "d": plural_message("duration", "{number} day", "{number} days"),
    "h": plural_message("duration", "{number} hour", "{number} hours"),
    "min": plural_message("duration", "{number} minute", "{number} minutes"),
    "s": plural_message("duration", "{number} second", "{number} seconds"),
}
# Product names from the facts, for a product without a name in Spanish or Portuguese: the
# bird as meat ({sp}; {Sp} capitalised) with the ending its gender gives words ({o}), the
# layer of eggs, and a pattern per cut and state.
_MEAT_SPECIES = {
    Species.CHICKEN: message("bird, as meat", "chicken"),
    Species.DUCK: message("bird, as meat", "duck"),
    Species.GOOSE: message("bird, as meat", "goose"),
    Species.PIGEON: message("bird, as meat", "pigeon"),
    Species.QUAIL: message("bird, as meat", "quail"),
    Species.TURKEY: message("bird, as meat", "turkey"),
}
# TRANSLATORS: the ending ({o}) words agreeing with the bird take: es "o" for pollo,
# "a" for codorniz (used by es and pt only, which name products from their facts).
_GENDER_ENDING = {
    Species.CHICKEN: message("ending of words agreeing with the bird", "chicken"),
    Species.DUCK: message("ending of words agreeing with the bird", "duck"),
    Species.GOOSE: message("ending of words agreeing with the bird", "goose"),
    Species.PIGEON: message("ending of words agreeing with the bird", "pigeon"),
    Species.QUAIL: message("ending of words agreeing with the bird", "quail"),
    Species.TURKEY: message("ending of words agreeing with the bird", "turkey"),
}
_LAYERS = {
    Species.CHICKEN: message("bird that laid the eggs", "chicken"),
    Species.DUCK: message("bird that laid the eggs", "duck"),
    Species.GOOSE: message("bird that laid the eggs", "goose"),
    Species.PIGEON: message("bird that laid the eggs", "pigeon"),
    Species.QUAIL: message("bird that laid the eggs", "quail"),
    Species.TURKEY: message("bird that laid the eggs", "turkey"),
}
# TRANSLATORS: {Sp} is the bird (capitalised), {sp} the bird, {o} its gender ending:
# es "{Sp} enter{o} refrigerad{o}" (Pollo entero refrigerado).
_CUTS = {
    (Cut.WHOLE, MeatState.CHILLED): message("product named from its facts", "{Sp}, whole, chilled"),
    (Cut.WHOLE, MeatState.FROZEN): message("product named from its facts", "{Sp}, whole, frozen"),
    (Cut.HALF, MeatState.CHILLED): message("product named from its facts", "{Sp}, half, chilled"),
    (Cut.HALF, MeatState.FROZEN): message("product named from its facts", "{Sp}, half, frozen"),
    (Cut.BREAST, MeatState.CHILLED): message(
        "product named from its facts", "{Sp}, breast, chilled"
    ),
    (Cut.BREAST, MeatState.FROZEN): message("product named from its facts", "{Sp}, breast, frozen"),
    (Cut.LEG, MeatState.CHILLED): message("product named from its facts", "{Sp}, leg, chilled"),
    (Cut.LEG, MeatState.FROZEN): message("product named from its facts", "{Sp}, leg, frozen"),
    (Cut.WING, MeatState.CHILLED): message("product named from its facts", "{Sp}, wings, chilled"),
    (Cut.WING, MeatState.FROZEN): message("product named from its facts", "{Sp}, wings, frozen"),
    (Cut.FEET, MeatState.CHILLED): message("product named from its facts", "{Sp}, feet, chilled"),
    (Cut.FEET, MeatState.FROZEN): message("product named from its facts", "{Sp}, feet, frozen"),
    (Cut.GIBLETS, MeatState.CHILLED): message(
        "product named from its facts", "{Sp}, giblets, chilled"
    ),
    (Cut.GIBLETS, MeatState.FROZEN): message(
        "product named from its facts", "{Sp}, giblets, frozen"
    ),
    (Cut.PARTS, MeatState.CHILLED): message(
        "product named from its facts", "{Sp}, in parts, chilled"
    ),
    (Cut.PARTS, MeatState.FROZEN): message(
        "product named from its facts", "{Sp}, in parts, frozen"
    ),
}
_BLACK_BONE = message("bird, as meat", "black-bone {bird}")
_LIVE = message("product named from its facts", "live {sp}")
_EGGS_OF = message("product named from its facts", "{layer} eggs")
# A folder of the partner's own catalogues, read before ours, while a listing is generated.
_TRANSLATIONS: contextvars.ContextVar[str | os.PathLike[str] | None] = contextvars.ContextVar(
    "listing_translations", default=None
)


def _t(text: Message, locale: str) -> str:
    return translate(text, locale, _TRANSLATIONS.get())


def _f(text: Message, locale: str, **values: str) -> str:
    return format_message(text, locale, _TRANSLATIONS.get(), **values)


def template_environment(templates: str | os.PathLike[str] | None = None) -> SandboxedEnvironment:
    """The sandboxed Jinja2 environment: the partner's folder first, then ours.

    Undefined names are errors (a typo in a partner template fails loudly), and templates
    whose name ends in ``.html.j2`` escape every value. Each call makes a new environment,
    which compiles each template again on first use; :func:`generate_listing` keeps its
    environments between calls instead.
    """
    return _new_environment(None if templates is None else _template_folder(templates))


def _template_folder(templates: str | os.PathLike[str]) -> Path:
    folder = Path(templates)
    if not folder.is_dir():
        raise InvalidValueError(
            f"the template folder {folder} does not exist",
            field="templates",
            hint="give a folder holding zh-CN/ and en/ subfolders with your .j2 files",
        )
    return folder


def _new_environment(folder: Path | None) -> SandboxedEnvironment:
    loaders: list[jinja2.BaseLoader] = []
    if folder is not None:
        loaders.append(TemplateFolderLoader(folder))
    loaders.append(jinja2.PackageLoader("ruralseller.listing", "templates"))
    return LimitedSandbox(
        loader=jinja2.ChoiceLoader(loaders),
        # Templates of languages without their own folder say their words with _("...").
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        keep_trailing_newline=False,
    )


# Compiling the four templates of a locale was most of a listing's time (issue 25), so the
# environments, each with its compiled templates, are kept: one per template folder as it is
# now (every file's path, modification time and size, so a partner's edit, new file or
# removed file is seen at the next listing), locale and translations. Jinja2 itself checks
# a kept template's file before each use too (auto_reload).
_KEPT_ENVIRONMENTS = 32
_MAX_STAMPED_FILES = 2000
_environments: collections.OrderedDict[tuple[object, ...], SandboxedEnvironment] = (
    collections.OrderedDict()
)
_environments_lock = threading.Lock()


def _folder_stamp(folder: Path) -> tuple[tuple[str, int, int], ...] | None:
    """Each file under ``folder`` with its modification time and size; None when too many."""
    found: list[tuple[str, int, int]] = []
    pending = [str(folder)]
    while pending:
        try:
            with os.scandir(pending.pop()) as entries:
                listed = list(entries)
        except OSError:
            continue
        for entry in listed:
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                    continue
                stat = entry.stat()
            except OSError:
                stat = None
            found.append(
                (entry.path, -1, -1)
                if stat is None
                else (entry.path, stat.st_mtime_ns, stat.st_size)
            )
            if len(found) > _MAX_STAMPED_FILES:
                return None
    return tuple(sorted(found))


def _environment(
    folder: Path | None, stamp: object, locale: str, found: gettext.NullTranslations
) -> SandboxedEnvironment:
    """The kept environment for the folder as ``stamp`` found it, with ``found`` installed."""
    key = (folder, stamp, locale, found)
    with _environments_lock:
        env = _environments.get(key)
        if env is not None:
            _environments.move_to_end(key)
            return env
    env = _new_environment(folder)
    # jinja2.ext.i18n adds the method: _("...") in templates reads the locale's catalogue.
    env.install_gettext_translations(found, newstyle=True)  # type: ignore[attr-defined]
    with _environments_lock:
        _environments[key] = env
        while len(_environments) > _KEPT_ENVIRONMENTS:
            _environments.popitem(last=False)
    return env


def _language(locale: str) -> str:
    language = locale.replace("_", "-").split("-")[0].lower()
    if not has_catalogue(locale, _TRANSLATIONS.get()):
        available = ", ".join(LOCALES[:-1]) + f" or {LOCALES[-1]}"
        raise InvalidValueError(
            f"listings are not available in {locale!r} yet",
            field="locales",
            hint=f"use {available}, or add a translation catalogue for the language "
            "(docs/howto/add-a-language.md)",
        )
    return language


def _babel_locale(locale: str) -> str:
    language = _language(locale)
    if language in _BABEL:
        return _BABEL[language]
    return str(babel.Locale.parse(locale.replace("-", "_")))


def _romance(language: str) -> bool:
    """Whether the language is one of the Mercado Libre ones (es, pt), written alike here."""
    return language in _IN_WORDS


def _date(day: dt.date, locale: str) -> str:
    """A day as the locale writes it: ISO for zh and en, in words for es and pt."""
    style = _t(_DATE_STYLE, locale)
    if style == "iso":
        return day.isoformat()
    return str(babel.dates.format_date(day, style, locale=_babel_locale(locale)))


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
        text += f" ({_masses(low, high, 'jin', locale)} {_t(_JIN, locale)})"
    return _f(_WEIGHT_EACH, locale, weight=text, word=words.get(language, words["en"]))


def _piece_mass(lot: Lot, locale: str, *, jin: bool) -> str | None:
    """The mass of one piece alone (``1,1-1,5 kg``), for titles that say no more."""
    piece = lot.quantity.piece_mass
    if piece is None:
        return None
    low, high = piece.lightest, piece.heaviest
    text = f"{_masses(low, high, 'kg', locale)} kg"
    if jin:
        text += f" ({_masses(low, high, 'jin', locale)} {_t(_JIN, locale)})"
    return text


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
    return _measure_words(offer, product, ("zh-CN", "en", "es", "pt-BR"))


def _measure_words(offer: Offer, product: AnyProduct, locales: Sequence[str]) -> dict[str, str]:
    """The measure words by language for ``locales`` and English: the offer's own, else ours."""
    whole = getattr(product, "cut", Cut.WHOLE) in {Cut.WHOLE, Cut.HALF}
    words = {
        _language(locale): measure_word(
            product.kind, locale, whole=whole, translations=_TRANSLATIONS.get()
        )
        for locale in ("en", *locales)
    }
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


def _per(locale: str, price: str, what: str) -> str:
    return _f(_PRICE_PER, locale, price=price, unit=what)


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
        head = _per(locale, offer.price.format(babel_locale), word)
        goods = _goods_mass(lot)
        if goods is None or not goods:
            return head
        reference = Mass.parse(_t(_REFERENCE_MASS, locale))
        each = rounded_half_up(offer.price * (reference / goods))
        equivalent = _per(locale, each.format(babel_locale), _per_mass_text(reference, locale))
        return f"{head} ({_f(_EQUIVALENT, locale, price=equivalent)})"
    by_weight = _per(locale, offer.price.format(babel_locale), _per_mass_text(per, locale))
    billed = offer.billed_weight(lot)
    if billed is None or billed == per:
        return by_weight
    policy = offer.policy
    assert policy is not None  # noqa: S101 - priced by weight, so a policy is in force
    if policy is PricingPolicy.WEIGHT_BANDS:
        bands = ", ".join(
            f"{_masses(band.min, band.max, 'kg', locale)} kg: "
            f"{_per(locale, price.format(babel_locale), word)}"
            for band, price in offer.band_prices()
        )
        head = bands
    else:
        head = _per(locale, offer.unit_price(lot).format(babel_locale), word)
    # The weight charged, exactly (1.234 kg, not 1.23): the price was computed from it.
    exact = Decimal(decimal_text(billed.in_unit("kg")))
    weight = f"{babel.numbers.format_decimal(exact, locale=babel_locale)} kg"
    rule = _f(_POLICY_TEXT[policy], locale, weight=weight)
    return _f(_PRICE_WITH_POLICY, locale, price=head, by_weight=by_weight, rule=rule)


def _price_per_kg(offer: Offer, lot: Lot) -> Money | None:
    if offer.per.mass is not None:
        return rounded_half_up(offer.price * (Fraction(1000) / offer.per.mass.grams))
    goods = _goods_mass(lot)
    if goods is None or not goods:
        return None
    return rounded_half_up(offer.price * (Fraction(1000) / goods.grams))


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
        name = _name(product, locale)
        descriptions[locale] = (
            _f(_DESCRIBE_WEIGHT, locale, word=word, name=name, weight=weight)
            if weight
            else _f(_DESCRIBE, locale, word=word, name=name)
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
        country = place.country_name("en" if language == "en" else _babel_locale(locale))
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
    return [
        f"{_t(_CERTIFICATIONS[item.kind], locale)} ({item.number})"
        for item in producer.certifications
        if item.is_valid_on(on)
    ]


def _shelf_life(product: AnyProduct, locale: str) -> str | None:
    basis = product.shelf_life_basis
    if basis is None:
        return None
    if _romance(_language(locale)):
        duration = _duration(basis.reference, locale)
        temperature = None if basis.at is None else _temperature(basis.at, locale)
    else:
        duration = format_duration(basis.reference).replace(" d", f" {_t(_DAYS_WORD, locale)}")
        temperature = None if basis.at is None else str(basis.at)
    if temperature is None:
        return duration
    return _f(_SHELF_LIFE_AT, locale, duration=duration, temperature=temperature)


def _duration(delta: dt.timedelta, locale: str) -> str:
    """A duration in words: ``5 días``, ``1 dia``, ``36 horas``."""
    number, code = format_duration(delta).split(" ")
    if "." in number:
        number, count = number.replace(".", ","), 2  # a fraction is counted as many
    else:
        count = 1 if number == "1" else 2
    return format_plural(_DURATION_WORDS[code], count, locale, _TRANSLATIONS.get(), number=number)


def _name(product: AnyProduct, locale: str) -> str:
    """The product's name in ``locale``: its own, else (es, pt) one made from its facts."""
    language = _language(locale)
    tag = locale.replace("_", "-").casefold()
    own = {key.replace("_", "-").casefold() for key in product.names}
    if not _romance(language) or tag in own or language in own:
        return product.name_in(locale)
    made = _name_from_facts(product, locale)
    return made if made is not None else product.name_in("en")


def _name_from_facts(product: AnyProduct, locale: str) -> str | None:
    if isinstance(product, ShellEggs):
        return _f(_EGGS_OF, locale, layer=_t(_LAYERS[product.species], locale))
    if isinstance(product, PoultryMeat | LiveBirds):
        noun = _t(_MEAT_SPECIES[product.species], locale)
        ending = _t(_GENDER_ENDING[product.species], locale)
        bird = _f(_BLACK_BONE, locale, bird=noun) if getattr(product, "black_bone", False) else noun
        words = {"Sp": bird[:1].upper() + bird[1:], "sp": bird, "o": ending}
        if isinstance(product, LiveBirds):
            return _f(_LIVE, locale, **words)
        return _f(_CUTS[product.cut, product.state], locale, **words)
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
    found: list[tuple[str, str | None, str | None]] = [
        ("breed", getattr(product, "breed", None), getattr(product, "breed", None)),
        ("net_weight", _weight(lot, words, locale, jin=jin), _raw_weight(lot)),
        ("storage", _t(_STORAGE[product.storage_class], locale), product.storage_class.value),
        ("shelf_life", _shelf_life(product, locale), None),
        ("origin", _origin(producer.place, locale)["full"], str(producer.place)),
        ("production_date", _date(lot.production_date, locale), lot.production_date.isoformat()),
        ("producer", producer.name, producer.id),
    ]
    certifications = _certifications(producer, locale, on)
    if certifications:
        found.append(("certifications", ", ".join(certifications), None))
    return [
        Attribute(key=key, label=_t(_LABELS[key], locale), value=value, raw=raw)
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
            template = env.get_template(f"{_FOLDER.get(_language(locale), 'en')}/{name}")
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
    words = _measure_words(offer, product, [locale])
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
        "storage": _t(_STORAGE[product.storage_class], locale),
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
    translations: str | os.PathLike[str] | None = None,
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
        translations: a folder of translation catalogues of your own
            (``<folder>/<language>/LC_MESSAGES/ruralseller.po``), read before ours: it adds
            a language or changes words (see ``docs/howto/add-a-language.md``).

    The draft's ``price`` is the price of one unit (:meth:`Offer.unit_price
    <ruralseller.catalog.Offer.unit_price>`): a price by weight on pieces is multiplied by
    the billed weight of the offer's pricing policy and rounded half up to the fen or cent.

    Raises:
        InvalidValueError: when the lot is not on offer, a locale has no translations, a
            translation catalogue cannot be read (naming the file), or a partner template
            fails (naming the template).
    """
    token = _TRANSLATIONS.set(translations)
    try:
        return _generate_listing(
            catalog,
            lot_id,
            locales=locales,
            templates=templates,
            jurisdiction=jurisdiction,
            shipment=shipment,
            jin=jin,
            traceability_base=traceability_base,
            dispatch_days=dispatch_days,
            price=price,
            on=on,
            pack=pack,
        )
    finally:
        _TRANSLATIONS.reset(token)


def _generate_listing(  # noqa: PLR0913 - generate_listing's arguments
    catalog: Catalog,
    lot_id: str,
    *,
    locales: Sequence[str],
    templates: str | os.PathLike[str] | None,
    jurisdiction: str,
    shipment: ShipmentPlan | None,
    jin: bool,
    traceability_base: str | None,
    dispatch_days: Sequence[str],
    price: Money | None,
    on: dt.date | None,
    pack: PackPlan | None,
) -> ListingDraft:
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
    words = _measure_words(offer, product, locales)
    folder = None if templates is None else _template_folder(templates)
    stamp = None if folder is None else _folder_stamp(folder)
    texts: dict[str, LocalizedText] = {}
    for locale in locales:
        _language(locale)  # a locale without translations fails before anything is rendered
        found = gettext_translations(locale, _TRANSLATIONS.get())
        if folder is not None and stamp is None:  # too many files to watch: a fresh one
            env = _new_environment(folder)
            env.install_gettext_translations(found, newstyle=True)  # type: ignore[attr-defined]
        else:
            env = _environment(folder, stamp, locale, found)
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
