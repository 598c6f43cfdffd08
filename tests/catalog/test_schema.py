"""The JSON Schema of catalogue files agrees with what the loader accepts."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from tests.strategies import catalogs

from ruralseller.catalog import Catalog, dumps_catalog, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.catalog.schema import SCHEMA_ID, catalog_schema

VALIDATOR = jsonschema.Draft202012Validator(catalog_schema())


def sample_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(dumps_catalog(load_catalog(sample_path()), "json"))
    return data


class TestSchema:
    def test_is_a_valid_schema(self) -> None:
        """The schema itself is valid draft 2020-12."""
        jsonschema.Draft202012Validator.check_schema(catalog_schema())
        assert catalog_schema()["$id"] == SCHEMA_ID

    def test_sample_is_valid(self) -> None:
        """The bundled sample, as JSON, satisfies the schema."""
        assert list(VALIDATOR.iter_errors(sample_data())) == []

    @settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
    @given(catalog=catalogs())
    def test_any_catalogue_is_valid(self, catalog: Catalog) -> None:
        """Every catalogue the model accepts satisfies the schema."""
        assert list(VALIDATOR.iter_errors(json.loads(dumps_catalog(catalog, "json")))) == []

    @pytest.mark.parametrize(
        ("where", "change"),
        [
            ("unknown field", lambda d: d["products"][0].update(breeed="x")),
            ("unknown kind", lambda d: d["products"][0].update(kind="eggs")),
            ("bad enum", lambda d: d["producers"][0].update(kind="famer")),
            ("missing field", lambda d: d["lots"][0]["slaughter"].pop("facility")),
            ("bad mass", lambda d: d["lots"][0]["quantity"]["piece_mass"].update(min="1 kilo")),
            ("bad gtin", lambda d: d["products"][0].update(gtin="12345")),
            ("wrong format", lambda d: d.update(format=2)),
        ],
    )
    def test_schema_rejects_what_the_loader_rejects(self, where: str, change: Any) -> None:
        """Mistakes the loader refuses are flagged by the schema too (in an editor)."""
        data = sample_data()
        change(data)
        assert list(VALIDATOR.iter_errors(data)), where

    def test_descriptions_come_from_docstrings(self) -> None:
        """Field descriptions are taken from the model's docstrings."""
        lot = catalog_schema()["$defs"]["Lot"]["properties"]
        assert lot["id"]["description"].startswith("the lot code")
        poultry = catalog_schema()["$defs"]["PoultryMeat"]["properties"]
        assert poultry["name"]["description"] == "the product's name in the producer's language."
        assert poultry["kind"] == {"const": "poultry_meat", "description": "The product kind."}
