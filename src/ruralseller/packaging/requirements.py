"""What a pack must do for a product: the packing requirements that follow from its kind.

Each requirement says what is needed, why, whether it is law or good practice, and its
source. :func:`~ruralseller.packaging.plan_pack` turns them into liners, inserts and the
coolants it may use.

Example:
    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> catalog = load_catalog(sample_path())
    >>> [r.code for r in packing_requirements(catalog.product("taihe-silkie-whole"))]
    ['food-contact', 'leak-proof', 'absorbent', 'keep-chilled', 'no-freezing']
    >>> [r.code for r in packing_requirements(catalog.product("taihe-silkie-eggs-30"))]
    ['food-contact', 'egg-dividers']
"""

from __future__ import annotations

import enum

import attrs

from ruralseller.catalog import AnyProduct, MeatState, StorageClass
from ruralseller.errors import InvalidValueError

__all__ = ["Basis", "Requirement", "packing_requirements"]


class Basis(enum.Enum):
    """Why a requirement holds."""

    LAW = "law"
    """A legal duty (the source says which)."""
    PRACTICE = "practice"
    """Good practice or carrier policy: no specific law was found."""
    PHYSICS = "physics"
    """What the product needs to arrive sound."""


@attrs.frozen
class Requirement:
    """One thing the pack must do.

    Attributes:
        code: a stable code, e.g. ``leak-proof``.
        need: what is needed, in plain words.
        basis: law, practice or physics.
        source: where it comes from.
    """

    code: str
    need: str
    basis: Basis
    source: str


_FOOD_CONTACT = Requirement(
    "food-contact",
    "everything touching the food is food-contact material (a food-grade bag or tray)",
    Basis.LAW,
    "GB 4806.1-2016 (CN); Reg. (EC) 1935/2004 Art. 3 (EU); 21 CFR 174-178 (US) (status U)",
)
_LEAK_PROOF = Requirement(
    "leak-proof",
    "raw meat goes in a sealed, leak-proof liner so juices cannot reach the box or other parcels",
    Basis.PRACTICE,
    "general hygiene duties (Reg. (EC) 852/2004 Annex II Ch. X; GB 31605) and carrier policies; "
    "no specific law found",
)
_ABSORBENT = Requirement(
    "absorbent",
    "an absorbent pad under raw meat takes up drip",
    Basis.PRACTICE,
    "carrier and platform practice for raw meat",
)
_EGG_DIVIDERS = Requirement(
    "egg-dividers",
    "eggs sit upright in pulp trays or dividers, padded against shocks",
    Basis.PHYSICS,
    "breakage is the main parcel risk for eggs (USDA FSIS, Shell Eggs from Farm to Table)",
)
_NO_COOLANT_CONTACT = Requirement(
    "no-coolant-contact",
    "eggs never touch gel packs or dry ice (cracked shells, condensation)",
    Basis.PHYSICS,
    "freezing cracks shells and cold eggs sweat in warm air "
    "(USDA FSIS, Shell Eggs from Farm to Table)",
)
_NO_FREEZING = Requirement(
    "no-freezing",
    "chilled meat must not freeze: no dry ice, and gel packs wrapped, not against the meat",
    Basis.LAW,
    "'fresh' poultrymeat is kept at -2 to +4 °C and never stiffened by cold (Reg. (EU) "
    "1308/2013 Annex VII Part V); chilled food stays above its freezing point (GB/T 24616-2019)",
)


def _keep(storage: StorageClass) -> Requirement:
    low, high = storage.limits
    band = " to ".join(str(t) for t in (low, high) if t is not None)
    return Requirement(
        f"keep-{storage.value}",
        f"the food stays {storage.value} ({band}) for the whole journey",
        Basis.LAW,
        "GB/T 24616-2019 (chilled < 8 °C, frozen <= -18 °C); storage class of the product kind",
    )


def packing_requirements(product: AnyProduct) -> tuple[Requirement, ...]:
    """The packing requirements for a product, from its kind and storage class.

    Raises:
        InvalidValueError: for live animals, which are not packed into parcels.
    """
    storage = product.storage_class
    if storage is StorageClass.LIVE:
        raise InvalidValueError(
            f"{product.name} is live animals: they are not packed into parcels",
            field="kind",
            hint="sell live birds for collection or local delivery, or sell them slaughtered",
        )
    found = [_FOOD_CONTACT]
    if product.kind == "poultry_meat":
        found += [_LEAK_PROOF, _ABSORBENT]
    if product.kind == "shell_eggs":
        found.append(_EGG_DIVIDERS)
    if storage is not StorageClass.AMBIENT:
        found.append(_keep(storage))
    if product.kind == "shell_eggs" and storage is not StorageClass.AMBIENT:
        found.append(_NO_COOLANT_CONTACT)
    if storage is StorageClass.CHILLED and getattr(product, "state", None) is not MeatState.FROZEN:
        found.append(_NO_FREEZING)
    return tuple(found)
