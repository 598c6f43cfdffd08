"""Reading and writing catalogue files: round trips and every error message."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.strategies import catalogs

from ruralseller.catalog import (
    CATALOG_FILE,
    Catalog,
    Mass,
    Temperature,
    catalog_from_data,
    catalog_to_data,
    dumps_catalog,
    load_catalog,
    loads_catalog,
    write_catalog,
)
from ruralseller.catalog.files import quantity_text
from ruralseller.catalog.samples import sample_path
from ruralseller.errors import CatalogError, CatalogValidationError, Problem

SAMPLE = sample_path("black-chickens")
SAMPLE_TEXT = (SAMPLE / CATALOG_FILE).read_text(encoding="utf-8")


def problems_of(text: str, **kwargs: object) -> list[Problem]:
    with pytest.raises(CatalogValidationError) as info:
        loads_catalog(text, **kwargs)  # type: ignore[arg-type]
    return list(info.value.problems)


def only_problem(text: str) -> Problem:
    found = problems_of(text)
    assert len(found) == 1, found
    return found[0]


def edit(old: str, new: str, text: str = SAMPLE_TEXT) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


class TestRoundTrip:
    def test_sample_loads(self) -> None:
        """The bundled sample loads with its pictures."""
        catalog = load_catalog(SAMPLE)
        assert [p.id for p in catalog.products] == [
            "taihe-silkie-whole",
            "taihe-silkie-eggs-30",
            "hill-potatoes-5kg",
        ]
        assert catalog.folder == SAMPLE
        assert catalog.lot("WJ261120A").slaughter is not None

    @pytest.mark.parametrize("fmt", ["toml", "json"])
    def test_dump_and_load_give_equal_catalogues(self, fmt: str) -> None:
        """Loading what was written gives an equal catalogue, in both formats."""
        catalog = load_catalog(SAMPLE)
        again = loads_catalog(dumps_catalog(catalog, fmt), fmt=fmt)  # type: ignore[arg-type]
        assert again == catalog
        assert dumps_catalog(again, fmt) == dumps_catalog(catalog, fmt)  # type: ignore[arg-type]

    def test_write_to_folder_and_read_back(self, tmp_path: Path) -> None:
        """write_catalog writes catalog.toml into a folder; load_catalog reads it back."""
        catalog = loads_catalog(SAMPLE_TEXT)
        written = write_catalog(catalog, tmp_path / "farm")
        assert written == tmp_path / "farm" / CATALOG_FILE
        assert loads_catalog(written.read_text(encoding="utf-8")) == catalog

    def test_write_json_file(self, tmp_path: Path) -> None:
        """A .json target is written as JSON and reads back equal."""
        catalog = loads_catalog(SAMPLE_TEXT)
        written = write_catalog(catalog, tmp_path / "farm.json")
        data = json.loads(written.read_text(encoding="utf-8"))
        assert data["format"] == 1
        assert data["lots"][0]["slaughter"]["slaughtered_at"] == "2026-11-20T06:30:00+08:00"
        assert catalog_from_data(data, fmt="json") == catalog

    def test_failed_write_leaves_old_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A write that fails part way leaves the previous file intact and no temp file."""
        catalog = loads_catalog(SAMPLE_TEXT)
        target = tmp_path / CATALOG_FILE
        target.write_text("format = 1\n", encoding="utf-8")

        def broken(*_args: object) -> None:
            raise OSError("disk full")

        monkeypatch.setattr("os.fsync", broken)
        with pytest.raises(OSError, match="disk full"):
            write_catalog(catalog, target)
        assert target.read_text(encoding="utf-8") == "format = 1\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == [CATALOG_FILE]

    def test_quantities_written_exactly(self) -> None:
        """A quantity with no exact decimal in its unit is written in one where it has."""
        assert quantity_text(Temperature.parse("40 °F").to("°C")) == "40 °F"
        assert quantity_text(Mass.parse("1 g").to("lb")) == "1 g"
        assert quantity_text(Mass.parse("2.4 jin")) == "2.4 jin"

    def test_decimals_stay_exact(self) -> None:
        """TOML numbers are read as Decimal, never float."""
        text = edit('latitude = "26.7312"', "latitude = 26.7312")
        catalog = loads_catalog(text)
        coordinates = catalog.producers[0].place.coordinates
        assert coordinates is not None
        assert coordinates.latitude == Decimal("26.7312")

    def test_catalog_to_data_orders_id_and_kind_first(self) -> None:
        """Written records start with their kind and id, as a person reads them."""
        data = catalog_to_data(loads_catalog(SAMPLE_TEXT))
        assert list(data["products"][0])[:2] == ["kind", "id"]
        assert next(iter(data["lots"][0])) == "id"
        assert next(iter(data["producers"][0]["licences"][0])) == "kind"


class TestSyntaxAndLayout:
    def test_toml_syntax_error_names_the_line(self) -> None:
        """A TOML syntax error is one problem with the line and a hint."""
        problem = only_problem('format = 1\n[[producers]]\nid = "a\n')
        assert "not valid TOML" in problem.message
        assert "line 3" in problem.message
        assert "syntax" in problem.hint

    def test_json_syntax_error(self) -> None:
        """A JSON syntax error is reported as such."""
        (problem,) = problems_of('{"format": 1,', fmt="json")
        assert "not valid JSON" in problem.message

    def test_missing_format(self) -> None:
        """A catalogue without its format version says to add it."""
        problem = only_problem(
            '[[producers]]\nid = "x"\nname = "X"\nkind = "farmer"\nplace = { country = "CN" }\n'
        )
        assert problem.path == "format"
        assert "format = 1" in problem.hint

    def test_wrong_format(self) -> None:
        """A catalogue of another format version is refused with an upgrade hint."""
        problem = only_problem("format = 2\n")
        assert problem.path == "format"
        assert problem.value == 2
        assert "upgrade" in problem.hint

    def test_unknown_section_suggests_the_right_one(self) -> None:
        """A misspelt section name gets a did-you-mean."""
        problem = only_problem('format = 1\n[[product]]\nid = "x"\n')
        assert problem.path == "product"
        assert "did you mean 'products'" in problem.hint

    def test_section_must_be_a_list(self) -> None:
        """A section written as one table, not an array of tables, is explained."""
        problem = only_problem('format = 1\n[lots]\nid = "x"\n')
        assert problem.path == "lots"
        assert "[[lots]]" in problem.hint

    def test_not_a_table(self) -> None:
        """JSON that is not an object is refused."""
        (problem,) = problems_of("[1, 2]", fmt="json")
        assert "table of sections" in problem.message

    def test_file_name_in_every_problem(self, tmp_path: Path) -> None:
        """Every problem names the file it is in."""
        folder = tmp_path / "farm"
        shutil.copytree(SAMPLE, folder)
        (folder / CATALOG_FILE).write_text(edit('kind = "farmer"', 'kind = "famer"'), "utf-8")
        with pytest.raises(CatalogValidationError) as info:
            load_catalog(folder)
        assert {p.file for p in info.value.problems} == {str(folder / CATALOG_FILE)}
        assert str(folder / CATALOG_FILE) in str(info.value)


class TestFieldProblems:
    def test_unknown_enum_value_suggests(self) -> None:
        """A misspelt enum value gets a did-you-mean and the allowed values."""
        problem = only_problem(edit('kind = "farmer"', 'kind = "famer"'))
        assert problem.path == "producers[0].kind"
        assert problem.value == "famer"
        assert "did you mean 'farmer'" in problem.hint
        assert "'cooperative'" in problem.hint

    def test_unknown_field_suggests(self) -> None:
        """A misspelt field name is reported with the field it probably meant."""
        problem = only_problem(edit('breed = "Taihe silkie (泰和乌鸡)"', 'breeed = "Taihe"'))
        assert problem.path == "products[0].breeed"
        assert problem.message == "unknown field 'breeed'"
        assert "did you mean 'breed'" in problem.hint

    def test_missing_required_field(self) -> None:
        """A missing required field is named with its path."""
        problem = only_problem(edit('facility = "泰和县禽类定点屠宰场"\n', ""))
        assert problem.path == "lots[0].slaughter.facility"
        assert problem.message == "facility is required but missing"

    def test_text_where_a_number_belongs(self) -> None:
        """A quoted number where a whole number belongs says to drop the quotes."""
        problem = only_problem(edit("count = 40", 'count = "40"'))
        assert problem.path == "lots[0].quantity.count"
        assert problem.value == "40"
        assert "without quotes" in problem.hint

    def test_number_where_text_belongs(self) -> None:
        """A bare number where text belongs says to quote it."""
        problem = only_problem(
            edit('facility_licence = "B36082601"', "facility_licence = 36082601")
        )
        assert problem.path == "lots[0].slaughter.facility_licence"
        assert "quotes" in problem.hint

    def test_gtin_as_number_keeps_leading_zeros_in_hint(self) -> None:
        """A GTIN written as a number is refused with the quoted, padded GTIN as the fix."""
        problem = only_problem(edit('gtin = "09526000160021"', "gtin = 9526000160021"))
        assert problem.path == "products[1].gtin"
        assert '"09526000160021"' in problem.hint

    def test_bad_gtin_check_digit(self) -> None:
        """A GTIN with a wrong check digit is reported at its path."""
        problem = only_problem(edit('gtin = "99526000160017"', 'gtin = "99526000160014"'))
        assert problem.path == "products[0].gtin"
        assert "check digit" in problem.message

    def test_unknown_mass_unit(self) -> None:
        """A mass with an unknown unit lists the units we know."""
        problem = only_problem(edit('min = "1.0 kg"', 'min = "1.0 kilo"'))
        assert problem.path == "lots[0].quantity.piece_mass.min"
        assert "kilo" in problem.message
        assert "jin" in problem.message

    def test_mass_written_as_number(self) -> None:
        """A mass without its unit asks for text with a unit."""
        problem = only_problem(edit('min = "1.0 kg"', "min = 1.0"))
        assert problem.path == "lots[0].quantity.piece_mass.min"
        assert "'1.2 kg'" in problem.hint

    def test_bad_money(self) -> None:
        """Money with a symbol instead of a currency code explains why."""
        problem = only_problem(edit('price = "68.00 CNY"', 'price = "¥68"'))
        assert problem.path == "offers[2].price"
        assert "ambiguous" in problem.message

    def test_bad_date(self) -> None:
        """A date in the wrong shape says how to write it."""
        problem = only_problem(
            edit("production_date = 2026-11-20", 'production_date = "20/11/2026"')
        )
        assert problem.path == "lots[0].production_date"
        assert "YYYY-MM-DD" in problem.hint

    def test_datetime_where_a_date_belongs(self) -> None:
        """A date and time where only a date belongs suggests the date."""
        problem = only_problem(
            edit("production_date = 2026-11-20", "production_date = 2026-11-20T08:00:00")
        )
        assert problem.path == "lots[0].production_date"
        assert "2026-11-20" in problem.hint

    def test_time_without_zone(self) -> None:
        """A slaughter time without a UTC offset asks for one."""
        problem = only_problem(
            edit(
                "slaughtered_at = 2026-11-20T06:30:00+08:00", "slaughtered_at = 2026-11-20T06:30:00"
            )
        )
        assert problem.path == "lots[0].slaughter.slaughtered_at"
        assert "+08:00" in problem.hint

    def test_images_must_be_a_list(self) -> None:
        """A single picture name where a list belongs asks for brackets."""
        text = edit(
            'images = ["images/eggs-in-basket.jpg", "images/flock-in-the-village.jpg"]',
            'images = "images/eggs-in-basket.jpg"',
        )
        problem = only_problem(text)
        assert problem.path == "products[1].images"
        assert "brackets" in problem.hint

    def test_table_where_text_given(self) -> None:
        """Text where a table belongs shows the table's required fields."""
        text = edit(
            'chilling = { method = "air", core_temperature = "4 °C", within = "4 h" }',
            'chilling = "air"',
        )
        problem = only_problem(text)
        assert problem.path == "lots[0].slaughter.chilling"
        assert "method = ..." in problem.hint

    def test_unknown_product_kind(self) -> None:
        """An unknown product kind is never guessed: it lists the kinds."""
        problem = only_problem(edit('kind = "shell_eggs"', 'kind = "eggs"'))
        assert problem.path == "products[1].kind"
        assert problem.value == "eggs"
        assert "shell_eggs" in problem.hint

    def test_missing_product_kind(self) -> None:
        """A product without a kind asks for one."""
        problem = only_problem(edit('kind = "shell_eggs"\n', ""))
        assert problem.path == "products[1].kind"
        assert "add kind" in problem.hint

    def test_model_rule_points_at_its_field(self) -> None:
        """A rule checked by the model reports the exact field it concerns."""
        problem = only_problem(edit("use_by = 2026-11-25", "use_by = 2026-11-19"))
        assert problem.path == "lots[0].use_by"
        assert "not after the production date" in problem.message

    def test_nested_model_rule(self) -> None:
        """A rule of a nested record reports the nested path."""
        problem = only_problem(edit('max = "1.4 kg"', 'max = "0.9 kg"'))
        assert problem.path == "lots[0].quantity.piece_mass.min"
        assert "above max" in problem.message


class TestReferences:
    def test_unknown_product_lists_known_ones(self) -> None:
        """A lot naming an unknown product lists the products there are."""
        problem = only_problem(edit('product = "taihe-silkie-whole"', 'product = "silkie"'))
        assert problem.path == "lots[0].product"
        assert "taihe-silkie-eggs-30" in problem.hint

    def test_unknown_lot_in_offer(self) -> None:
        """An offer for a lot that does not exist is reported."""
        problem = only_problem(edit('lot = "WE261118"', 'lot = "WE261119"'))
        assert problem.path == "offers[2].lot"

    def test_broken_item_does_not_cascade(self) -> None:
        """A product that fails to load is not reported again as an unknown reference."""
        problem = only_problem(edit('species = "chicken"', 'species = "chiken"'))
        assert problem.path == "products[0].species"

    def test_duplicate_offer_for_a_lot(self) -> None:
        """Two offers for one lot are reported at the second one."""
        problem = only_problem(edit('lot = "WE261118"', 'lot = "WJ261120A"'))
        assert problem.path == "offers[2].lot"
        assert "one offer" in problem.hint

    def test_wrong_record_for_kind(self) -> None:
        """A laying record on a poultry-meat lot is a problem."""
        text = SAMPLE_TEXT + (
            '\n[[lots]]\nid = "X1"\nproduct = "taihe-silkie-whole"\n'
            "production_date = 2026-11-20\nquantity = { count = 1 }\n"
            "laying = { first_laid = 2026-11-19, last_laid = 2026-11-19 }\n"
        )
        problem = only_problem(text)
        assert problem.path == "lots[4].laying"
        assert "slaughter record" in problem.hint

    def test_stock_above_lot_count(self) -> None:
        """Offering more pieces than the lot holds is a problem."""
        problem = only_problem(edit("stock = 40", "stock = 41"))
        assert problem.path == "offers[0].stock"
        assert "40 or less" in problem.hint


class TestManyProblemsAtOnce:
    def test_five_problems_in_one_error(self) -> None:
        """A catalogue with five bad fields fails once, listing all five."""
        text = SAMPLE_TEXT
        text = edit('kind = "farmer"', 'kind = "famer"', text)
        text = edit("count = 40", 'count = "forty"', text)
        text = edit('price = "68.00 CNY"', 'price = "68"', text)
        text = edit("birds = 24", "birds = 0", text)
        text = edit('shell_colour = "cream"', 'shell_color = "cream"', text)
        problems = problems_of(text)
        assert [p.path for p in problems] == [
            "producers[0].kind",
            "products[1].shell_color",
            "lots[0].quantity.count",
            "lots[1].slaughter.birds",
            "offers[2].price",
        ]
        message = str(CatalogValidationError(problems))
        assert message.startswith("the catalogue has 5 problems:")


class TestFiles:
    def test_missing_folder(self, tmp_path: Path) -> None:
        """A path with no catalogue says how to create one."""
        with pytest.raises(CatalogError, match="ruralseller init"):
            load_catalog(tmp_path / "nowhere")

    def test_folder_without_catalog_file(self, tmp_path: Path) -> None:
        """A folder without catalog.toml names the file it looked for."""
        with pytest.raises(CatalogError, match=r"has no catalog\.toml"):
            load_catalog(tmp_path)

    def test_not_utf8(self, tmp_path: Path) -> None:
        """A file saved in another encoding asks to save it as UTF-8."""
        path = tmp_path / CATALOG_FILE
        path.write_bytes('format = 1\nname = "吴家"\n'.encode("gb18030"))
        with pytest.raises(CatalogValidationError) as info:
            load_catalog(path)
        assert "UTF-8" in info.value.problems[0].hint

    def test_missing_picture(self, tmp_path: Path) -> None:
        """A picture that is not there is named with where it should be."""
        folder = tmp_path / "farm"
        shutil.copytree(SAMPLE, folder)
        (folder / "images" / "eggs-in-basket.jpg").unlink()
        with pytest.raises(CatalogValidationError) as info:
            load_catalog(folder)
        (problem,) = info.value.problems
        assert problem.path == "products[1].images[0]"
        assert problem.message == "the picture file does not exist"

    def test_picture_outside_folder(self, tmp_path: Path) -> None:
        """A picture outside the catalogue folder is refused."""
        folder = tmp_path / "farm"
        shutil.copytree(SAMPLE, folder)
        text = edit('"images/eggs-in-basket.jpg"', '"../eggs.jpg"')
        (folder / CATALOG_FILE).write_text(text, encoding="utf-8")
        with pytest.raises(CatalogValidationError) as info:
            load_catalog(folder)
        assert info.value.problems[0].message == "the picture is outside the catalogue folder"

    def test_picture_of_unknown_type(self, tmp_path: Path) -> None:
        """A picture of a type we do not read lists the types we do."""
        folder = tmp_path / "farm"
        shutil.copytree(SAMPLE, folder)
        (folder / "images" / "eggs.gif").write_bytes(b"GIF89a")
        text = edit('"images/eggs-in-basket.jpg"', '"images/eggs.gif"')
        (folder / CATALOG_FILE).write_text(text, encoding="utf-8")
        with pytest.raises(CatalogValidationError) as info:
            load_catalog(folder)
        assert ".jpg" in info.value.problems[0].hint

    def test_constructing_in_code_checks_references(self) -> None:
        """A Catalog built in code checks references too, with paths."""
        catalog = loads_catalog(SAMPLE_TEXT)
        with pytest.raises(CatalogValidationError) as info:
            Catalog(products=catalog.products, lots=catalog.lots, offers=catalog.offers)
        assert {p.path for p in info.value.problems} == {
            "products[0].producer",
            "products[1].producer",
            "products[2].producer",
        }


class TestRoundTripProperty:
    @settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
    @given(catalog=catalogs(), fmt=st.sampled_from(["toml", "json"]))
    def test_any_catalogue_round_trips(self, catalog: Catalog, fmt: str) -> None:
        """Any valid catalogue, written and read back, is equal to itself."""
        text = dumps_catalog(catalog, fmt)  # type: ignore[arg-type]
        assert loads_catalog(text, fmt=fmt) == catalog  # type: ignore[arg-type]
