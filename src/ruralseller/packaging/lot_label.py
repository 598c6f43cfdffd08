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

from ruralseller.catalog import Catalog, Gs1Data, Mass
from ruralseller.compliance import DEFAULT_LOCALES, label_particulars
from ruralseller.errors import InvalidValueError
from ruralseller.packaging.label import DEFAULT_DIGITAL_LINK_BASE, LabelContent

__all__ = ["lot_label"]

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
) -> LabelContent:
    """What the label of one package of lot ``lot_id`` carries.

    The particulars come from :func:`ruralseller.compliance.label_particulars`; the GS1 data
    (GTIN, lot, production date, best-before or use-by, net weight, origin) from the lot.

    Raises:
        InvalidValueError: when the product has no GTIN, or a variable-weight package has no
            weighed ``net_weight``.
    """
    lot = catalog.lot(lot_id)
    product = catalog.product_of(lot)
    if product.gtin is None:
        raise InvalidValueError(
            f"{product.name} has no GTIN, so its label can carry no barcode",
            field="gtin",
            hint='add gtin = "..." to the product (a variable-weight item\'s GTIN starts with 9)',
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
    language = locale or DEFAULT_LOCALES.get(jurisdiction.strip().upper(), "en")
    return LabelContent(
        particulars,
        gs1,
        title=product.name_in(language),
        language=language,
        digital_link_base=digital_link_base,
    )
