"""How a lot is packed for a parcel journey, how long the pack keeps it cold, and its label.

Packing requirements follow from the product (:func:`packing_requirements`); boxes, coolants
and liners are data partners can extend (:data:`BUILTIN`, :func:`load_materials`); the
thermal model says how long a pack holds (:func:`hold_time`, :func:`hold_time_profile`);
:func:`plan_pack` chooses the pack for a journey; :func:`render_label` draws the label;
:func:`save_certificate` prints a lot's commitment certificate (承诺达标合格证).
"""

from ruralseller.packaging.certificate import (
    CERTIFICATE_SIZE_MM,
    COMMITMENTS,
    CertificateContent,
    lot_certificate,
    render_certificate,
    save_certificate,
)
from ruralseller.packaging.label import (
    DEFAULT_DIGITAL_LINK_BASE,
    FONT_ENV_VAR,
    LABEL_SIZE_MM,
    LabelContent,
    render_label,
    save_label,
)
from ruralseller.packaging.lot_label import NO_GTIN_HINT, lot_label
from ruralseller.packaging.materials import (
    BUILTIN,
    PACKAGING_FILE,
    Container,
    ContainerKind,
    Coolant,
    CoolantKind,
    Liner,
    PackagingMaterials,
    load_materials,
    loads_materials,
)
from ruralseller.packaging.plan import (
    DEFAULT_DIVISOR,
    DEFAULT_MARGIN,
    DEFAULT_RATE,
    DryIceMarking,
    PackOption,
    PackPlan,
    ParcelRate,
    plan_pack,
)
from ruralseller.packaging.requirements import Basis, Requirement, packing_requirements
from ruralseller.packaging.thermal import (
    SOUTH_CHINA_SUMMER,
    SOUTH_CHINA_WINTER,
    AmbientProfile,
    HoldLimit,
    HoldTime,
    calibrate_from_ice_melt,
    conductance,
    coolant_needed,
    heat_gain,
    hold_time,
    hold_time_profile,
)

__all__ = [
    "BUILTIN",
    "CERTIFICATE_SIZE_MM",
    "COMMITMENTS",
    "DEFAULT_DIGITAL_LINK_BASE",
    "DEFAULT_DIVISOR",
    "DEFAULT_MARGIN",
    "DEFAULT_RATE",
    "FONT_ENV_VAR",
    "LABEL_SIZE_MM",
    "NO_GTIN_HINT",
    "PACKAGING_FILE",
    "SOUTH_CHINA_SUMMER",
    "SOUTH_CHINA_WINTER",
    "AmbientProfile",
    "Basis",
    "CertificateContent",
    "Container",
    "ContainerKind",
    "Coolant",
    "CoolantKind",
    "DryIceMarking",
    "HoldLimit",
    "HoldTime",
    "LabelContent",
    "Liner",
    "PackOption",
    "PackPlan",
    "PackagingMaterials",
    "ParcelRate",
    "Requirement",
    "calibrate_from_ice_melt",
    "conductance",
    "coolant_needed",
    "heat_gain",
    "hold_time",
    "hold_time_profile",
    "load_materials",
    "loads_materials",
    "lot_certificate",
    "lot_label",
    "packing_requirements",
    "plan_pack",
    "render_certificate",
    "render_label",
    "save_certificate",
    "save_label",
]
