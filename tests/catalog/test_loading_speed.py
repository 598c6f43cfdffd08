"""What the catalogue-loading speed-ups (issue 13) must not change.

The loader checks references once (not again in the Catalog constructor), the Catalog built
directly still checks them, quantities read from text are shared, and TOML is parsed by the
compiled tomli when a TOML 1.0 one is installed, with tomllib's error messages.
"""

from __future__ import annotations

import datetime as dt
import importlib
import tomllib
import types
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from ruralseller.catalog import (
    Catalog,
    Length,
    Mass,
    Temperature,
    catalog_from_data,
    load_catalog,
    loads_catalog,
    parse_duration,
)
from ruralseller.catalog import _catalog as catalog_module
from ruralseller.catalog import files as files_module
from ruralseller.catalog.samples import sample_path
from ruralseller.catalog.units import LengthUnit, MassUnit, decimal_text
from ruralseller.errors import CatalogValidationError, QuantityError

_HEAD = """\
format = 1

[[producers]]
id = "wu-family-farm"
name = "吴家乌鸡养殖场"
kind = "farmer"
place = { country = "CN", province = "江西省", county = "泰和县" }

[[products]]
kind = "shell_eggs"
id = "eggs"
producer = "wu-family-farm"
name = "乌鸡蛋"
"""

_LOT = """
[[lots]]
id = "WE261118"
product = "{product}"
production_date = 2026-11-18

[lots.quantity]
count = 30
piece_mass = {{ nominal = "1.25 kg" }}

[lots.laying]
first_laid = 2026-11-16
last_laid = 2026-11-18
"""


def _text(product: str = "eggs") -> str:
    return _HEAD + _LOT.format(product=product)


# --- references are checked once, and still always ---------------------------------------


def test_loader_checks_references_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = catalog_module.reference_problems

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(catalog_module, "reference_problems", counted)
    monkeypatch.setattr(files_module, "reference_problems", counted)
    catalog = load_catalog(sample_path())
    assert catalog.lots
    assert len(calls) == 1


def test_loader_reports_bad_reference_with_file_path_and_hint() -> None:
    with pytest.raises(CatalogValidationError) as caught:
        loads_catalog(_text(product="no-such-product"), file="catalog.toml")
    [problem] = caught.value.problems
    assert problem.file == "catalog.toml"
    assert problem.path == "lots[0].product"
    assert problem.value == "no-such-product"
    assert "eggs" in problem.hint


def test_catalog_built_directly_still_checks_references() -> None:
    good = loads_catalog(_text())
    with pytest.raises(CatalogValidationError) as caught:
        Catalog(producers=good.producers, products=(), lots=good.lots, offers=())
    assert [p.path for p in caught.value.problems] == ["lots[0].product"]


def test_catalog_checks_again_after_a_load() -> None:
    # The loader's "already checked" state ends with the catalogue it builds.
    good = loads_catalog(_text())
    with pytest.raises(CatalogValidationError):
        Catalog(producers=(), products=good.products, lots=(), offers=())


def test_checked_factory_resets_after_a_failure() -> None:
    with pytest.raises(TypeError):
        catalog_module.catalog_of_checked_records(
            producers=None,  # type: ignore[arg-type]
            products=(),
            lots=(),
            offers=(),
        )
    good = loads_catalog(_text())
    with pytest.raises(CatalogValidationError):
        Catalog(producers=(), products=good.products)


def test_loaded_catalog_equals_one_built_directly() -> None:
    loaded = loads_catalog(_text())
    built = Catalog(
        producers=loaded.producers,
        products=loaded.products,
        lots=loaded.lots,
        offers=loaded.offers,
    )
    assert built == loaded


# --- quantities read once and shared ----------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "text"),
    [(Mass, "1.2 kg"), (Mass, "2.4 斤"), (Length, "30 cm"), (Temperature, "4 °C")],
)
def test_parse_shares_one_frozen_value(cls: Any, text: str) -> None:
    first = cls.parse(text)
    assert cls.parse(text) is first
    assert cls.parse(f" {text} ") == first


def test_parse_of_a_subclass_gives_the_subclass() -> None:
    class Weight(Mass):
        pass

    assert type(Weight.parse("1 kg")) is Weight
    assert type(Mass.parse("1 kg")) is Mass


@pytest.mark.parametrize("value", ["1.2 furlongs", "kg", "", "-1 kg"])
def test_bad_mass_raises_every_time(value: str) -> None:
    for _ in range(2):
        with pytest.raises(QuantityError):
            Mass.parse(value)


@pytest.mark.parametrize("value", [None, 12, ["1 kg"], {"kg": 1}])
def test_parse_of_non_text_still_raises_quantity_error(value: object) -> None:
    with pytest.raises(QuantityError):
        Mass.parse(value)  # type: ignore[arg-type]
    with pytest.raises(QuantityError):
        Temperature.parse(value)  # type: ignore[arg-type]
    with pytest.raises(QuantityError):
        parse_duration(value)  # type: ignore[arg-type]


def test_duration_is_shared_and_bad_ones_raise() -> None:
    assert parse_duration("36 h") is parse_duration("36 h")
    assert parse_duration("36 h") == dt.timedelta(hours=36)
    for _ in range(2):
        with pytest.raises(QuantityError):
            parse_duration("5 fortnights")


def test_decimal_text_keeps_types_apart() -> None:
    assert decimal_text(Fraction(1, 3)) == "0.3333333333333"
    assert decimal_text(Fraction(1, 2)) == decimal_text(Fraction(1, 2)) == "0.5"
    assert decimal_text(Fraction(5)) == "5"


@pytest.mark.parametrize("unit", list(MassUnit))
def test_mass_comparisons_in_one_unit_match_the_base(unit: MassUnit) -> None:
    values = [Decimal(0), Decimal("0.5"), Decimal(1), Decimal("1.25"), Decimal(3)]
    for a in values:
        for b in values:
            x, y = Mass(a, unit), Mass(b, unit)
            assert (x < y, x <= y, x > y, x >= y, x == y) == (
                x.base < y.base,
                x.base <= y.base,
                x.base > y.base,
                x.base >= y.base,
                x.base == y.base,
            )


def test_comparisons_across_units_still_convert() -> None:
    assert Mass.parse("1 kg") == Mass.parse("1000 g")
    assert Mass.parse("1 jin") < Mass.parse("1 jin_tw")
    assert Mass.parse("2 jin") >= Mass.parse("1 kg")
    assert Length(1, LengthUnit.CHI) > Length(33, LengthUnit.CM)
    with pytest.raises(TypeError):
        _ = Mass.parse("1 kg") < Length.parse("1 m")  # type: ignore[operator]


def test_money_and_sale_units_from_files_are_shared() -> None:
    text = (
        _text() + '\n[[offers]]\nlot = "WE261118"\nprice = "36.00 CNY"\nper = "piece"\nstock = 3\n'
    )
    first, second = loads_catalog(text), loads_catalog(text)
    assert first.offers[0].price is second.offers[0].price
    assert first == second


# --- the TOML parser ----------------------------------------------------------------------------

_BAD_TOML = [
    "format = 1\n[[producers]]\nid = \n",
    "format = 1\n[[producers]\nid = 'x'\n",
    "format = 1\nformat = 2\n",
    'format = 1\nname = "unterminated\n',
    "a = 1 b = 2\n",
    "a = { b = 1, b = 2 }\n",
    "[a]\n[a]\n",
    "a = [1, 2\n",
    'a = "\\q"\n',
    "a = 1\n\n\n   b = \n",
    # valid TOML 1.1, not 1.0: refused whichever parser is used
    "a = 1979-05-27T07:32\n",
    "a = { x = 1,\n y = 2 }\n",
    'a = "\\e"\n',
]


def _tomllib_message(text: str) -> str:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return f"this is not valid TOML: {exc}"
    raise AssertionError(text)  # pragma: no cover - every text above is invalid


@pytest.mark.parametrize("text", _BAD_TOML)
def test_syntax_errors_read_as_tomllib_gives_them(text: str) -> None:
    with pytest.raises(CatalogValidationError) as caught:
        loads_catalog(text, file="catalog.toml")
    [problem] = caught.value.problems
    assert problem.file == "catalog.toml"
    assert problem.message == _tomllib_message(text)


def test_syntax_error_names_line_and_column() -> None:
    with pytest.raises(CatalogValidationError) as caught:
        loads_catalog("format = 1\n[[producers]]\nid = \n")
    assert caught.value.problems[0].message.endswith("Invalid value (at line 3, column 6)")


@pytest.mark.parametrize("text", _BAD_TOML)
def test_standard_library_fallback_gives_the_same(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setattr(files_module, "toml_reader", tomllib)
    with pytest.raises(CatalogValidationError) as caught:
        loads_catalog(text)
    assert caught.value.problems[0].message == _tomllib_message(text)


def test_both_parsers_load_the_sample_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (sample_path() / "catalog.toml").read_text(encoding="utf-8")
    with_installed = loads_catalog(text)
    monkeypatch.setattr(files_module, "toml_reader", tomllib)
    assert loads_catalog(text) == with_installed


def _fake_tomli(version: str) -> types.ModuleType:
    module = types.ModuleType("tomli")
    module.__version__ = version  # type: ignore[attr-defined]
    return module


@pytest.mark.parametrize(
    ("version", "used"),
    [("2.2.1", True), ("2.3.2", True), ("2.4.0", False), ("2.5.0", False), ("3.0", False)],
)
def test_tomli_used_only_while_it_reads_toml_1_0(
    monkeypatch: pytest.MonkeyPatch, version: str, *, used: bool
) -> None:
    fake = _fake_tomli(version)
    monkeypatch.setattr(importlib, "import_module", lambda _name: fake)
    assert (files_module._toml_reader() is fake) is used


def test_tomllib_when_tomli_is_missing_or_unversioned(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> types.ModuleType:
        raise ImportError(name)

    monkeypatch.setattr(importlib, "import_module", missing)
    assert files_module._toml_reader() is tomllib
    monkeypatch.setattr(importlib, "import_module", types.ModuleType)
    assert files_module._toml_reader() is tomllib


def test_the_reader_in_use() -> None:
    try:
        tomli = importlib.import_module("tomli")
    except ImportError:
        assert files_module.toml_reader is tomllib
    else:
        major, minor = (int(part) for part in tomli.__version__.split(".")[:2])
        expected = tomli if (major, minor) < (2, 4) else tomllib
        assert files_module.toml_reader is expected


class TestParsedRecordsLetGo:
    """loads_catalog drops each parsed record once read; catalog_from_data keeps the caller's."""

    def test_catalog_from_data_leaves_the_data_alone(self) -> None:
        """The data a caller passes is not changed by reading it."""
        data = tomllib.loads(sample_path().joinpath("catalog.toml").read_text("utf-8"))
        before = repr(data)
        catalog = catalog_from_data(data)
        assert repr(data) == before
        assert catalog == load_catalog(sample_path())

    def test_records_are_let_go_as_they_are_read(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Every record read is gone from the parsed sections; a failing one stays, and its
        problem still quotes its value."""
        seen: list[dict[str, Any]] = []
        real = files_module._catalog_from_data

        def keep(data: dict[str, Any], **kwargs: Any) -> Catalog:
            seen.append(data)
            return real(data, **kwargs)

        monkeypatch.setattr(files_module, "_catalog_from_data", keep)
        text = sample_path().joinpath("catalog.toml").read_text("utf-8")
        loads_catalog(text)
        assert all(record is None for record in seen[0]["lots"])
        assert all(record is None for record in seen[0]["producers"])
        bad = text.replace('nominal = "1.25 kg"', 'nominal = "1.25 kilo-furlongs"', 1)
        assert bad != text
        with pytest.raises(CatalogValidationError, match="kilo-furlongs"):
            loads_catalog(bad)
        assert any(isinstance(record, dict) for record in seen[1]["lots"])
