"""Which legal category a product kind falls in, jurisdiction by jurisdiction.

Label rules follow the category, not the package. In mainland China a chilled whole bird,
shell eggs and potatoes are edible agricultural products (食用农产品) even when they are
boxed for a parcel: they are labelled under the rules for agricultural products (the SAMR
measures on their sale, the commitment certificate, the quarantine mark), not under the
prepackaged-food label standard GB 7718. Cured meat and other processed food are prepackaged
food (预包装食品) and carry the full GB 7718 label. In the EU and the US, food sold packed to a
consumer is prepacked or packaged food whatever it is, so every food kind is prepackaged there.

Example:
    >>> legal_category("poultry_meat", "CN").value, legal_category("cured_meat", "CN").value
    ('edible_agricultural_product', 'prepackaged_food')
    >>> legal_category("poultry_meat", "EU").value
    'prepackaged_food'
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from ruralseller.catalog.product import PRODUCT_KINDS
from ruralseller.errors import InvalidValueError

__all__ = ["LEGAL_CATEGORIES", "LegalCategory", "legal_category"]


class LegalCategory(enum.Enum):
    """What the law of a jurisdiction takes a product to be, for labels and licences."""

    PREPACKAGED_FOOD = "prepackaged_food"
    """Food packed in advance with a label (CN 预包装食品; EU prepacked food)."""
    EDIBLE_AGRICULTURAL_PRODUCT = "edible_agricultural_product"
    """A primary farm product not processed beyond washing, cutting, chilling or packing
    (CN 食用农产品)."""
    LIVE_ANIMAL = "live_animal"
    """Live animals: not food yet."""


_AGRICULTURAL = LegalCategory.EDIBLE_AGRICULTURAL_PRODUCT
_PREPACKAGED = LegalCategory.PREPACKAGED_FOOD
_LIVE = LegalCategory.LIVE_ANIMAL

LEGAL_CATEGORIES: Mapping[str, Mapping[str, LegalCategory]] = {
    "CN": {
        "poultry_meat": _AGRICULTURAL,
        "live_birds": _LIVE,
        "shell_eggs": _AGRICULTURAL,
        "fresh_produce": _AGRICULTURAL,
        "cured_meat": _PREPACKAGED,
        "packaged_food": _PREPACKAGED,
    },
}
"""The categories that differ from the default, by jurisdiction and product kind.

Any other jurisdiction: live birds are live animals, every other kind is prepackaged food.
"""


def legal_category(kind: str, jurisdiction: str) -> LegalCategory:
    """The legal category of products of ``kind`` under the law of ``jurisdiction``.

    Raises:
        InvalidValueError: for a kind that is not a product kind.
    """
    if kind not in PRODUCT_KINDS:
        raise InvalidValueError(
            f"unknown product kind {kind!r}", field="kind", hint="use " + ", ".join(PRODUCT_KINDS)
        )
    table = LEGAL_CATEGORIES.get(jurisdiction.strip().upper())
    if table is not None:
        return table[kind]
    return _LIVE if kind == "live_birds" else _PREPACKAGED
