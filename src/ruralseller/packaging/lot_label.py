"""The label of one package of a lot: particulars from compliance, GS1 data from the lot.

Example:
    >>> from ruralseller.catalog import Mass, load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> catalog = load_catalog(sample_path())
    >>> content = lot_label(catalog, "WJ261120A", net_weight=Mass.parse("1.3 kg"))
    >>> content.gs1.element_string()
    '(01)99526000160017(10)WJ261120A(11)261120(17)261125(3101)000013(422)156'
    >>> content.title
    '泰和乌鸡 整只 冰鲜'
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from ruralseller.catalog import Catalog, Gs1Data, Mass
from ruralseller.compliance import DEFAULT_LOCALES, label_particulars
from ruralseller.errors import InvalidValueError
from ruralseller.packaging.label import DEFAULT_DIGITAL_LINK_BASE, LabelContent

__all__ = ["NO_GTIN_HINT", "lot_label"]

NO_GTIN_HINT = (
    "to print GS1 barcodes, get a GS1 company prefix from your country's GS1 member "
    "organisation (in China: the Article Numbering Center of China, 中国物品编码中心, "
    'https://www.ancc.org.cn) and add gtin = "..." to the product'
)
"""How to get GTINs, for a product that has none."""

# ISO 3166-1 numeric codes for GS1 AI (422), country of origin, for the countries our
# jurisdictions and samples use; others are left out of the barcode rather than guessed.
_NUMERIC_COUNTRY = {"CN": "156", "TW": "158", "HK": "344", "US": "840", "DE": "276", "FR": "250"}


def lot_label(  # noqa: PLR0913 - all but the first two are keyword-only
    catalog: Catalog,
    lot_id: str,
    *,
    jurisdiction: str = "CN",
    locale: str | None = None,
    net_weight: Mass | None = None,
    digital_link_base: str = DEFAULT_DIGITAL_LINK_BASE,
    on: dt.date | None = None,
    story_base: str | None = None,
) -> LabelContent:
    """What the label of one package of lot ``lot_id`` carries.

    The particulars come from :func:`ruralseller.compliance.label_particulars`; the GS1 data
    (GTIN, lot, production date, best-before or use-by, net weight, origin) from the lot.
    A product without a GTIN gets a label without GS1 barcodes: the particulars (producer,
    product, lot, dates, weight, storage) and a QR code to the lot's story page at
    ``story_base``/``lot`` (an address the partner controls).

    Raises:
        InvalidValueError: when the product has no GTIN and no ``story_base`` is given (the
            hint says how to get a GS1 company prefix), or a variable-weight package has no
            weighed ``net_weight``.
    """
    lot = catalog.lot(lot_id)
    product = catalog.product_of(lot)
    if product.gtin is None and story_base is None:
        raise InvalidValueError(
            f"{product.name} has no GTIN, so its label can carry no GS1 barcode; give the "
            "address of the lot's story page for its QR code",
            field="story_base",
            hint=f"{NO_GTIN_HINT}; or print the label without barcodes with a story page you "
            "control: story_base (ruralseller label --story-base), e.g. "
            "https://your-site.example/lots",
        )
    particulars = label_particulars(
        catalog, lot_id, jurisdiction=jurisdiction, locale=locale, net_weight=net_weight, on=on
    )
    weight = net_weight
    if (
        weight is None
        and lot.quantity.piece_mass is not None
        and not lot.quantity.piece_mass.variable
    ):
        weight = lot.quantity.piece_mass.lightest
    language = locale or DEFAULT_LOCALES.get(jurisdiction.strip().upper(), "en")
    if product.gtin is None:
        assert story_base is not None  # noqa: S101 - checked above
        return LabelContent(
            particulars,
            None,
            title=product.name_in(language),
            language=language,
            story_url=f"{story_base.rstrip('/')}/{quote(lot.id, safe='')}",
        )
    origin = _NUMERIC_COUNTRY.get(catalog.producer_of(lot).place.country)
    gs1 = Gs1Data(
        product.gtin,
        lot=lot.id,
        production_date=lot.production_date,
        best_before=lot.best_before,
        expiry=lot.use_by,
        net_weight=weight,
        country_of_origin=origin,
    )
    return LabelContent(
        particulars,
        gs1,
        title=product.name_in(language),
        language=language,
        digital_link_base=digital_link_base,
    )
