"""A JSON Schema of the catalogue format, made from the model itself.

Editors that understand JSON Schema (VS Code with Even Better TOML, PyCharm, taplo) use it to
complete field names and flag mistakes while a partner types. The schema is generated from the
attrs classes and the ``Attributes:`` sections of their docstrings, so it never drifts from
what :func:`~ruralseller.catalog.load_catalog` accepts.

Example:
    >>> schema = catalog_schema()
    >>> schema["properties"]["format"]
    {'const': 1, 'description': 'The version of the catalogue format.'}
    >>> sorted(schema["$defs"]["PoultryMeat"]["required"])
    ['id', 'kind', 'name', 'producer', 'species']
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import re
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ruralseller.catalog._catalog import AnyProduct
from ruralseller.catalog.files import FORMAT_VERSION
from ruralseller.catalog.gs1 import Gtin
from ruralseller.catalog.lot import Lot
from ruralseller.catalog.money import Money
from ruralseller.catalog.offer import Offer, SaleUnit
from ruralseller.catalog.producer import Producer
from ruralseller.catalog.product import Product
from ruralseller.catalog.units import Length, Mass, MassUnit, Temperature

__all__ = ["SCHEMA_ID", "catalog_schema"]

SCHEMA_ID = f"https://ruralseller.org/schema/catalog-{FORMAT_VERSION}.json"
"""The ``$id`` of the catalogue schema."""

_NUMBER = r"[-+]?(\d+(\.\d*)?|\.\d+)"
_MASS_UNITS = "|".join(
    sorted((re.escape(name) for name in MassUnit.lookup()), key=len, reverse=True)
)

_TEXT_TYPES: dict[Any, dict[str, Any]] = {
    Mass: {
        "type": "string",
        "pattern": rf"(?i)^\s*{_NUMBER}\s*({_MASS_UNITS})\s*$",
        "description": "A mass with its unit: g, kg, t, lb, oz, jin (斤, 500 g), liang, "
        "jin_tw (台斤, 600 g), liang_tw, catty_hk, tael_hk.",
        "examples": ["1.2 kg", "2.4 jin", "500 g"],
    },
    Length: {"type": "string", "description": "A length with its unit.", "examples": ["30 cm"]},
    Temperature: {
        "type": "string",
        "pattern": rf"^\s*{_NUMBER}\s*(°C|°F|K|C|F|℃|℉|degC|degF|celsius|fahrenheit|kelvin)\s*$",
        "description": "A temperature with its unit.",
        "examples": ["4 °C", "-18 °C", "40 °F"],
    },
    dt.timedelta: {
        "type": "string",
        "description": "A duration: a number and s, min, h, d or w; or ISO 8601 (P5DT12H).",
        "examples": ["5 d", "36 h", "90 min"],
    },
    Money: {
        "type": "string",
        "pattern": r"^\s*([A-Za-z]{3}\s*[-+]?[\d.]+|[-+]?[\d.]+\s*[A-Za-z]{3})\s*$",
        "description": "An amount and its ISO 4217 currency code.",
        "examples": ["68.00 CNY"],
    },
    SaleUnit: {
        "type": "string",
        "description": "What one price buys: 'piece', or a mass such as '1 kg' or '1 jin'.",
        "examples": ["piece", "1 jin", "1 kg"],
    },
    Gtin: {
        "type": "string",
        "pattern": r"^(\d{8}|\d{12,14})$",
        "description": "A GTIN-8, -12, -13 or -14 with its check digit (GS1 AI 01).",
        "examples": ["09526000160014"],
    },
    str: {"type": "string"},
    int: {"type": "integer"},
    bool: {"type": "boolean"},
    Decimal: {"type": ["number", "string"]},
    dt.date: {"type": "string", "format": "date"},
    dt.datetime: {
        "type": "string",
        "format": "date-time",
        "description": "A date and time with its UTC offset, e.g. 2026-11-20T06:30:00+08:00.",
    },
}


def _field_docs(cls: type) -> dict[str, str]:
    """The ``Attributes:`` entries of ``cls`` and its bases' docstrings."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        text = inspect.cleandoc(klass.__dict__.get("__doc__") or "")
        if "Attributes:" not in text:
            continue
        section = text.split("Attributes:", 1)[1]
        name = None
        for line in section.splitlines():
            if not line.strip():
                continue
            if not line.startswith(" "):
                break
            match = re.match(r"^ {4}(\w+): (.*)$", line)
            if match:
                name = match.group(1)
                docs[name] = match.group(2).strip()
            elif name is not None:
                docs[name] += " " + line.strip()
    return docs


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}

    def schema(self, tp: Any) -> dict[str, Any]:
        if tp in _TEXT_TYPES:
            return dict(_TEXT_TYPES[tp])
        if tp == AnyProduct:
            return {"oneOf": [self.schema(kind) for kind in typing.get_args(AnyProduct)]}
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            options = [arg for arg in args if arg is not type(None)]
            if len(options) == 1:
                return self.schema(options[0])
            return {"anyOf": [self.schema(arg) for arg in options]}
        if origin is tuple:
            return {"type": "array", "items": self.schema(args[0])}
        if origin in (Mapping, dict):
            return {"type": "object", "additionalProperties": self.schema(args[1])}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return self._enum(tp)
        if attrs.has(tp):
            return self._object(tp)
        raise TypeError(f"no schema rule for {tp!r}")  # pragma: no cover - a new field type

    def _enum(self, tp: type[enum.Enum]) -> dict[str, Any]:
        name = tp.__name__
        if name not in self.defs:
            self.defs[name] = {
                "enum": [member.value for member in tp],
                "description": (tp.__doc__ or "").strip().split("\n")[0],
            }
        return {"$ref": f"#/$defs/{name}"}

    def _object(self, tp: type) -> dict[str, Any]:
        name = tp.__name__
        if name in self.defs:
            return {"$ref": f"#/$defs/{name}"}
        self.defs[name] = {}  # placeholder against recursion
        hints = typing.get_type_hints(tp)
        docs = _field_docs(tp)
        properties: dict[str, Any] = {}
        required: list[str] = []
        if issubclass(tp, Product):
            properties["kind"] = {"const": tp.kind, "description": "The product kind."}
            required += ["kind", *tp.must_state]
        for field in attrs.fields(tp):
            if not field.init or field.name == "folder":
                continue
            prop = self.schema(hints[field.name])
            if field.name in docs:
                # Draft 2020-12 lets "description" stand beside "$ref".
                prop = {**prop, "description": docs[field.name]}
            properties[field.name] = prop
            if field.default is attrs.NOTHING:
                required.append(field.name)
        doc = inspect.cleandoc(tp.__doc__ or "").split("\n\n")[0]
        self.defs[name] = {
            "type": "object",
            "description": doc,
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
        return {"$ref": f"#/$defs/{name}"}


def catalog_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a catalogue file.

    It describes the JSON form exactly; TOML files map onto it with TOML's own dates and
    numbers standing for the date strings and decimals.
    """
    builder = _Builder()
    sections = {
        "producers": Producer,
        "products": AnyProduct,
        "lots": Lot,
        "offers": Offer,
    }
    properties: dict[str, Any] = {
        "format": {"const": FORMAT_VERSION, "description": "The version of the catalogue format."}
    }
    for section, tp in sections.items():
        properties[section] = {"type": "array", "items": builder.schema(tp)}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "ruralseller catalogue",
        "description": "Producers, products, lots and offers of a village partner's catalogue.",
        "type": "object",
        "properties": properties,
        "required": ["format"],
        "additionalProperties": False,
        "$defs": dict(sorted(builder.defs.items())),
    }
