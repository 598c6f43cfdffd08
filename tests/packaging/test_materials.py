"""Packaging materials: the built-in set, validation, and the partner's packaging.toml."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

from ruralseller.catalog import Length, Mass, Temperature
from ruralseller.errors import (
    CatalogError,
    CatalogValidationError,
    InvalidValueError,
    NotInCatalogError,
    QuantityError,
)
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

EPS_3CM = BUILTIN.container("eps-40x30x30-3cm")


def container(**changes: object) -> Container:
    """The 3 cm EPS box with some fields changed, built afresh so validators run."""
    fields = {f.name: getattr(EPS_3CM, f.name) for f in attrs.fields(Container)}
    return Container(**{**fields, **changes})


# --- the built-in set ------------------------------------------------------------------------


def test_builtin_has_the_boxes_coolants_and_liners_a_village_partner_uses() -> None:
    assert {c.id for c in BUILTIN.containers} == {
        "carton-40x30x30",
        "eps-40x30x30-3cm",
        "eps-40x30x30-5cm",
        "eps-30x20x20-2cm",
        "pu-10qt-3in",
        "vip-30x22x20-25mm",
    }
    assert {c.kind for c in BUILTIN.containers} == set(ContainerKind)
    assert {c.id for c in BUILTIN.coolants} == {"ice-1kg", "gel-400g", "gel-1kg", "dry-ice-1kg"}
    assert {c.kind for c in BUILTIN.coolants} == set(CoolantKind)
    assert {liner.id for liner in BUILTIN.liners} == {
        "pe-bag-2mil",
        "absorbent-pad",
        "egg-pulp-tray-30",
        "vacuum-pouch",
    }


def test_every_builtin_number_says_where_it_comes_from() -> None:
    sources = [c.source for c in BUILTIN.containers] + [c.source for c in BUILTIN.coolants]
    sources += [liner.source for liner in BUILTIN.liners]
    assert all(len(source) > 10 for source in sources)


def test_eps_boxes_are_40x30x30_outside_whatever_the_wall() -> None:
    for box_id in ("eps-40x30x30-3cm", "eps-40x30x30-5cm", "carton-40x30x30"):
        outer = BUILTIN.container(box_id).outer_dimensions
        assert outer == (Length(40, "cm"), Length(30, "cm"), Length(30, "cm"))
    assert BUILTIN.container("eps-30x20x20-2cm").outer_dimensions == (
        Length(30, "cm"),
        Length(20, "cm"),
        Length(20, "cm"),
    )


def test_areas_and_volumes_are_exact_and_match_the_research_table() -> None:
    # By hand: S 0.54 m², 19.6 L for the 3 cm box; 0.46 m², 12.0 L for 5 cm.
    assert EPS_3CM.inner_area == Fraction("0.4416")
    assert EPS_3CM.outer_area == Fraction("0.66")
    assert EPS_3CM.mean_area == pytest.approx(0.5399, abs=1e-4)
    assert EPS_3CM.inner_volume_litres == Fraction("19.584")
    assert EPS_3CM.outer_volume_litres == 36
    five = BUILTIN.container("eps-40x30x30-5cm")
    assert five.mean_area == pytest.approx(0.46, abs=0.005)
    assert five.inner_volume_litres == 12


def test_the_pu_anchor_box_holds_ten_quarts_behind_three_inch_walls() -> None:
    box = BUILTIN.container("pu-10qt-3in")
    ten_us_quarts = 9.4635
    assert float(box.inner_volume_litres) == pytest.approx(ten_us_quarts, rel=0.03)
    assert box.wall_thickness == Length("7.62", "cm")
    assert box.mean_area == pytest.approx(0.46, abs=0.005)


def test_coolants_carry_the_cited_constants() -> None:
    ice = BUILTIN.coolant("ice-1kg")
    assert ice.phase_temperature == Temperature(0, "°C")
    assert ice.heat_per_kg == 334
    gel = BUILTIN.coolant("gel-400g")
    assert gel.latent_heat == Decimal(334)
    assert gel.unit_mass == Mass(400, "g")
    dry = BUILTIN.coolant("dry-ice-1kg")
    assert dry.phase_temperature == Temperature("-78.5", "°C")
    assert dry.latent_heat == Decimal(573)
    assert dry.heat_per_kg == Decimal(614)
    assert dry.melt_specific_heat is None


def test_liners_say_what_they_are_good_for() -> None:
    bag = BUILTIN.liner("pe-bag-2mil")
    assert (bag.leak_proof, bag.absorbent, bag.food_contact) == (True, False, True)
    assert BUILTIN.liner("absorbent-pad").absorbent
    assert BUILTIN.liner("vacuum-pouch").leak_proof


def test_an_unknown_id_suggests_the_closest_one() -> None:
    with pytest.raises(NotInCatalogError, match=r"did you mean 'eps-40x30x30-3cm'"):
        BUILTIN.container("eps-40x30x30-3")
    with pytest.raises(NotInCatalogError, match="no coolant with id 'ice'"):
        BUILTIN.coolant("ice")


# --- validation ----------------------------------------------------------------------------------


def test_a_negative_wall_thickness_is_refused_by_the_length_itself() -> None:
    with pytest.raises(QuantityError, match="cannot be negative"):
        container(wall_thickness=Length(-3, "cm"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("wall_thickness", Length(0, "cm")),
        ("inner_height", Length(0, "mm")),
        ("wall_conductivity", Decimal(0)),
        ("max_payload", Mass(0, "kg")),
        ("measured_conductance", Decimal("-0.5")),
    ],
)
def test_sizes_and_conductivities_must_be_above_zero(field: str, value: object) -> None:
    with pytest.raises(InvalidValueError, match="must be above zero") as caught:
        container(**{field: value})
    assert caught.value.field == field


def test_a_float_conductivity_is_refused_as_inexact() -> None:
    with pytest.raises(QuantityError, match="not an exact number"):
        container(wall_conductivity=0.035)


def test_ids_follow_the_catalogue_rules() -> None:
    with pytest.raises(InvalidValueError, match="not a valid id") as caught:
        container(id="my box")
    assert caught.value.field == "id"


def test_a_container_needs_a_source() -> None:
    with pytest.raises(InvalidValueError, match="source must not be empty"):
        container(source=" ")


def _coolant(**changes: object) -> Coolant:
    dry = BUILTIN.coolant("dry-ice-1kg")
    fields = {f.name: getattr(dry, f.name) for f in attrs.fields(Coolant)}
    return Coolant(**{**fields, **changes})


def test_dry_ice_has_no_melt_and_water_ice_needs_one() -> None:
    with pytest.raises(InvalidValueError, match="leaves the pack as gas"):
        _coolant(melt_specific_heat="0.8")
    with pytest.raises(InvalidValueError, match="needs melt_specific_heat"):
        _coolant(kind=CoolantKind.GEL, usable_heat=None)


def test_usable_heat_cannot_be_below_the_latent_heat() -> None:
    with pytest.raises(InvalidValueError, match="below the latent heat"):
        _coolant(usable_heat=500)


def test_a_coolant_unit_must_weigh_something() -> None:
    with pytest.raises(InvalidValueError, match="unit_mass must be above zero"):
        _coolant(unit_mass=Mass(0, "g"))


def test_ids_are_unique_within_a_collection() -> None:
    with pytest.raises(InvalidValueError, match="appears twice"):
        PackagingMaterials(containers=[EPS_3CM, EPS_3CM])


def test_calibrated_keeps_four_significant_digits_and_notes_the_source() -> None:
    box = EPS_3CM.calibrated(0.65123456, source="ice-melt test, 2026-05-01")
    assert box.measured_conductance == Decimal("0.6512")
    assert box.source.endswith("U·S: ice-melt test, 2026-05-01")
    assert EPS_3CM.calibrated(Decimal("0.7"), source="x").measured_conductance == Decimal("0.7")


# --- merging and packaging.toml ------------------------------------------------------------------

VALID = """
format = 1

[[containers]]
id = "eps-40x30x30-3cm"
name = "Our village EPS box, measured"
kind = "eps"
inner_length = "34 cm"
inner_width = "24 cm"
inner_height = "24 cm"
wall_thickness = "3 cm"
wall_conductivity = 0.038
empty_mass = "0.45 kg"
max_payload = "11 kg"
measured_conductance = 0.61
source = "ice-melt test at 25 °C, 2026-05-01"

[[containers]]
id = "township-eps-2.5cm"
name = "乡镇泡沫箱"
kind = "eps"
inner_length = "35 cm"
inner_width = "25 cm"
inner_height = "20 cm"
wall_thickness = "2.5 cm"
wall_conductivity = 0.036
empty_mass = "300 g"
max_payload = "10 kg"
source = "supplier sheet"

[[coolants]]
id = "pcm-5c"
name = "PCM pack +5 °C for eggs"
kind = "gel"
phase_temperature = "5 °C"
latent_heat = 180
solid_specific_heat = 1.8
melt_specific_heat = 3.0
unit_mass = "500 g"
source = "supplier sheet"

[[liners]]
id = "kraft-paper"
name = "Kraft paper wrap"
leak_proof = false
absorbent = true
food_contact = false
mass = "20 g"
source = "weighed"
"""


def test_merge_replaces_by_id_in_place_and_adds_the_rest() -> None:
    own = loads_materials(VALID, base=PackagingMaterials())
    merged = BUILTIN.merge(own)
    ids = [c.id for c in merged.containers]
    assert ids == [c.id for c in BUILTIN.containers] + ["township-eps-2.5cm"]
    assert merged.container("eps-40x30x30-3cm").measured_conductance == Decimal("0.61")
    assert merged.coolants[-1].id == "pcm-5c"


def test_load_materials_without_a_packaging_file_gives_the_builtins(tmp_path: Path) -> None:
    assert load_materials(tmp_path) is BUILTIN


def test_load_materials_reads_and_merges_packaging_toml(tmp_path: Path) -> None:
    (tmp_path / PACKAGING_FILE).write_text(VALID, encoding="utf-8")
    materials = load_materials(tmp_path)
    assert len(materials.containers) == len(BUILTIN.containers) + 1
    township = materials.container("township-eps-2.5cm")
    assert township.inner_dimensions == (Length(35, "cm"), Length(25, "cm"), Length(20, "cm"))
    assert township.wall_conductivity == Decimal("0.036")
    assert materials.coolant("pcm-5c").phase_temperature == Temperature(5, "°C")
    assert materials.liner("kraft-paper") == Liner(
        id="kraft-paper",
        name="Kraft paper wrap",
        leak_proof=False,
        absorbent=True,
        food_contact=False,
        mass=Mass(20, "g"),
        source="weighed",
    )
    assert materials.coolant("dry-ice-1kg") is BUILTIN.coolant("dry-ice-1kg")
    assert load_materials(tmp_path / PACKAGING_FILE) == materials


BROKEN = """
format = 2

[[containers]]
id = "eps-thin"
name = "Thin box"
kind = "styrofoam"
inner_length = "-30 cm"
inner_width = 24
inner_height = "24 cm"
wall_thickness = "2 cm"
wall_conductivity = 0.035
empty_mass = "0.3 kg"
max_payload = "10 kg"
source = "guess"
colour = "white"

[[containers]]
id = "eps-zero"
name = "Zero wall"
kind = "eps"
inner_length = "30 cm"
inner_width = "20 cm"
inner_height = "20 cm"
wall_thickness = "0 cm"
wall_conductivity = 0.035
empty_mass = "0.3 kg"
max_payload = "10 kg"
source = "guess"

[[coolants]]
id = "dry"
name = "Dry ice"
kind = "dry_ice"
phase_temperature = "-78.5 °C"
latent_heat = 573
solid_specific_heat = 1.2
melt_specific_heat = 4.19
unit_mass = "1 kg"
source = "x"

[[liners]]
id = "bag"
name = "Bag"
leak_proof = "yes"
absorbent = false
mass = "30 g"
source = "x"

[[liners]]
id = "bag"
name = "Bag"
leak_proof = true
absorbent = false
food_contact = true
mass = "30 g"
source = "x"

[bags]
"""


def test_a_broken_packaging_file_reports_every_problem_at_once(tmp_path: Path) -> None:
    file = tmp_path / PACKAGING_FILE
    file.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(CatalogValidationError) as caught:
        load_materials(tmp_path)
    problems = {p.path: p for p in caught.value.problems}
    assert set(problems) == {
        "format",
        "bags",
        "containers[0].kind",
        "containers[0].inner_length",
        "containers[0].inner_width",
        "containers[0].colour",
        "containers[1].wall_thickness",
        "coolants[0].melt_specific_heat",
        "liners[0].leak_proof",
        "liners[0].food_contact",
        "liners[1].id",
    }
    assert all(p.file == str(file) for p in caught.value.problems)
    assert "did you mean" not in problems["containers[0].kind"].hint
    assert "'eps'" in problems["containers[0].kind"].hint
    assert problems["containers[0].inner_width"].value == 24
    assert problems["containers[1].wall_thickness"].message.startswith("wall_thickness must be")
    assert problems["liners[1].id"].message == "the id 'bag' is already used by liners[0]"
    assert "a packaging file has" in problems["bags"].hint
    assert "11 problems" in str(caught.value)


def test_a_file_that_is_not_toml_says_so() -> None:
    with pytest.raises(CatalogValidationError, match="not valid TOML"):
        loads_materials("format = 1\n[[containers]\n")


def test_a_file_that_is_not_utf8_says_how_to_fix_it(tmp_path: Path) -> None:
    (tmp_path / PACKAGING_FILE).write_bytes("name = '泡沫箱'".encode("gbk"))
    with pytest.raises(CatalogValidationError, match="save it as UTF-8"):
        load_materials(tmp_path)


def test_a_missing_folder_is_an_error_not_the_builtins(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="no catalogue folder or packaging file"):
        load_materials(tmp_path / "nowhere")


def test_a_packaging_file_must_state_its_format() -> None:
    with pytest.raises(CatalogValidationError, match="add format = 1"):
        loads_materials("[[liners]]\n")
