"""Reading and writing catalogue files (TOML, and JSON for machines).

A catalogue is a folder holding ``catalog.toml`` and the pictures it names. Loading reports
every problem in the file at once, each with the file, the path to the field (such as
``lots[2].slaughter.quarantine_certificate``), the value found there and a hint; writing goes
through a temporary file, so a failed write never leaves a half-written catalogue behind.

There is one cattrs converter per format (:func:`converter`); both share the rules for our
types: quantities are text with units (``"1.2 kg"``), money is ``"68.00 CNY"``, durations are
``"5 d"``, product kinds are tagged with ``kind``.

Example:
    >>> text = '''
    ... format = 1
    ... [[producers]]
    ... id = "wu-family-farm"
    ... name = "吴家乌鸡养殖场"
    ... kind = "farmer"
    ... place = { country = "CN", province = "江西省", county = "泰和县" }
    ... '''
    >>> catalog = loads_catalog(text)
    >>> catalog.producer("wu-family-farm").place.county
    '泰和县'
    >>> loads_catalog(text.replace('"farmer"', '"famer"'))
    Traceback (most recent call last):
    ...
    ruralseller.errors.CatalogValidationError: the catalogue has 1 problem:
      - <string>: producers[0].kind: 'famer' is not a producer kind (got 'famer')
        hint: did you mean 'farmer'? use one of: 'farmer', 'cooperative', 'workshop', 'plant'
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import enum
import gc
import importlib
import json
import os
import re
import tempfile
import tomllib
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

import attrs
import cattrs
import tomli_w
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn

from ruralseller.catalog._catalog import (
    AnyProduct,
    Catalog,
    catalog_of_checked_records,
    reference_problems,
)
from ruralseller.catalog.gs1 import Gtin
from ruralseller.catalog.input_files import loads_data, read_data_file
from ruralseller.catalog.lot import Lot
from ruralseller.catalog.money import Money
from ruralseller.catalog.offer import Offer, SaleUnit
from ruralseller.catalog.producer import Producer
from ruralseller.catalog.product import PRODUCT_KINDS, Product
from ruralseller.catalog.units import (
    Length,
    Mass,
    Temperature,
    exact_decimal,
    format_duration,
    parse_duration,
)
from ruralseller.errors import (
    CatalogError,
    CatalogValidationError,
    InvalidValueError,
    Problem,
)

__all__ = [
    "CATALOG_FILE",
    "FORMAT_VERSION",
    "IMAGE_SUFFIXES",
    "Format",
    "catalog_from_data",
    "catalog_to_data",
    "converter",
    "dumps_catalog",
    "load_catalog",
    "loads_catalog",
    "problems_from_exception",
    "structure_sections",
    "structuring_failures",
    "write_catalog",
]

# tomli 2.4 and later read TOML 1.1 (tomli's changelog, 2.4.0: "TOML v1.1.0 compatibility"),
# which accepts files that Python 3.11's tomllib (TOML 1.0.0) refuses.
_TOMLI_TOML_1_1 = (2, 4)


def _toml_reader() -> types.ModuleType:
    """The TOML parser: the installed ``tomli`` when it reads TOML 1.0, else ``tomllib``.

    tomli's mypyc-compiled wheels (from 2.2.0) parse the same text 2.5 to 3.5 times as fast
    as the standard library's pure-Python tomllib (benchmarks/RESULTS.md, 2026-11-26), with
    the same results and the same errors ("<message> (at line L, column C)"). A tomli that
    reads TOML 1.1 is not used: whether a catalogue loads must not depend on what else is
    installed.
    """
    try:
        tomli = importlib.import_module("tomli")
    except ImportError:
        return tomllib
    version = re.match(r"(\d+)\.(\d+)", str(getattr(tomli, "__version__", "")))
    if version is None or (int(version[1]), int(version[2])) >= _TOMLI_TOML_1_1:
        return tomllib
    return tomli


toml_reader = _toml_reader()
"""The module :func:`loads_catalog` parses TOML with (``tomli`` or ``tomllib``)."""

Format = Literal["toml", "json"]

CATALOG_FILE = "catalog.toml"
"""The name of the catalogue file inside a catalogue folder."""

FORMAT_VERSION = 1
"""The version of the catalogue format this release reads and writes."""

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp"})
"""Picture file types a catalogue may name."""

_SECTIONS: dict[str, Any] = {
    "producers": Producer,
    "products": AnyProduct,
    "lots": Lot,
    "offers": Offer,
}
_TOP_LEVEL = ("format", *_SECTIONS)


def _fail(message: str, hint: str = "") -> InvalidValueError:
    return InvalidValueError(message, hint=hint)


# --- structuring rules shared by both formats -------------------------------------------


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise _fail(f"expected text, got {value!r}", f'put it in quotes: "{value}"')
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(f"expected a whole number, got {value!r}", "write it without quotes, e.g. 40")
    return value


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise _fail(f"expected true or false, got {value!r}", "write true or false, no quotes")
    return value


def _structure_decimal(value: object, _: type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise _fail(f"expected a number, got {value!r}", "write a number such as 0.089")
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except ArithmeticError:
        raise _fail(f"expected a number, got {value!r}", "write a number such as 0.089") from None
    if not number.is_finite():
        raise _fail(f"expected a finite number, got {value!r}")
    return number


def _structure_date(value: object, _: type) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _fail(
            f"expected a date, got the date and time {value.isoformat()}",
            f"write only the date: {value.date().isoformat()}",
        )
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(f"expected a date, got {value!r}", "write it as YYYY-MM-DD, e.g. 2026-11-20")


def _structure_datetime(value: object, _: type) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(
        f"expected a date and time, got {value!r}",
        "write it as YYYY-MM-DDTHH:MM:SS+08:00, e.g. 2026-11-20T06:30:00+08:00",
    )


# Distinct texts read per type and converter: a catalogue repeats a few prices and sale
# units ("36.00 CNY", "1 jin") thousands of times.
_TEXT_CACHE_SIZE = 4096


def _from_text(
    parse: Callable[[str], Any], example: str, *, cached: bool = False
) -> Callable[[object, type], Any]:
    """The hook for a type written as text; ``cached`` for types whose values are frozen.

    A cached hook reads each distinct text once and shares the value; an invalid text raises
    again on every call (lru_cache keeps no exceptions).
    """
    read = lru_cache(maxsize=_TEXT_CACHE_SIZE)(parse) if cached else parse

    def structure(value: object, _: type) -> Any:
        if not isinstance(value, str):
            raise _fail(f"expected text like {example}, got {value!r}", f"write e.g. {example}")
        return read(value)

    return structure


def _structure_gtin(value: object, _: type) -> Gtin:
    if isinstance(value, int) and not isinstance(value, bool):
        raise _fail(
            f"a GTIN must be text, got the number {value}",
            f'put it in quotes, with its leading zeros: gtin = "{value:014d}"',
        )
    return Gtin(_structure_str(value, str))


def _enum_hook(cls: type[enum.Enum]) -> Callable[[object, type], enum.Enum]:
    values = [member.value for member in cls]
    what = (cls.__doc__ or cls.__name__).split("\n")[0].rstrip(".")

    def structure(value: object, _: type) -> enum.Enum:
        try:
            return cls(value)
        except ValueError:
            pass
        close = difflib.get_close_matches(str(value), [str(v) for v in values], n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise _fail(
            f"{value!r} is not {_article(cls.__name__)} {_words(cls.__name__)}",
            hint + "use one of: " + ", ".join(repr(v) for v in values),
        )

    structure.__doc__ = what
    return structure


def _words(name: str) -> str:
    return "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()


def _article(name: str) -> str:
    return "an" if name[:1].lower() in "aeiou" else "a"


def _is_homogeneous_tuple(cls: Any) -> bool:
    args = typing.get_args(cls)
    return typing.get_origin(cls) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_hook(cls: Any, conv: cattrs.Converter) -> Callable[[object, type], tuple[Any, ...]]:
    item_type = typing.get_args(cls)[0]
    inner: Callable[[Any, Any], list[Any]] = conv.get_structure_hook(
        list[item_type]  # type: ignore[valid-type]
    )

    def structure(value: object, _: type) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise _fail(
                f"expected a list, got {value!r}", f"write it in brackets: [{_toml_repr(value)}]"
            )
        return tuple(inner(value, list))

    return structure


def _is_mapping_of_str(cls: Any) -> bool:
    return typing.get_origin(cls) in {Mapping, dict} and typing.get_args(cls) == (str, str)


def _structure_names(value: object, _: type) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise _fail(
            f"expected a table of names by language, got {value!r}",
            'write e.g. names = { en = "Black-bone chicken" }',
        )
    bad = [key for key, text in value.items() if not isinstance(text, str) or not text.strip()]
    if bad:
        raise _fail(f"the name for {bad[0]!r} must be non-empty text")
    return dict(value)


def _attrs_hook(cls: type, conv: cattrs.Converter) -> Callable[[object, type], Any]:
    inner: Callable[[Any, Any], Any] = make_dict_structure_fn(
        cls, conv, _cattrs_forbid_extra_keys=True
    )

    def structure(value: object, _: type) -> Any:
        # Parsed files give plain dicts: checking for one first skips the slower ABC check.
        if type(value) is not dict and not isinstance(value, Mapping):
            raise _fail(
                f"expected a table of fields, got {value!r}",
                f"write it as a table, e.g. {{ {', '.join(_required(cls))} }}",
            )
        return inner(value, cls)

    return structure


def _is_optional(cls: Any) -> bool:
    args = typing.get_args(cls)
    return (
        typing.get_origin(cls) in {typing.Union, types.UnionType}
        and len(args) == 2
        and type(None) in args
    )


def _optional_hook(cls: Any, conv: cattrs.Converter) -> Callable[[object, type], Any]:
    """``X | None``: None, or what the hook for ``X`` makes of the value.

    cattrs' own hook looks the hook for ``X`` up again on every value; this one finds it
    once, when the converter first meets the type. The result is the same.
    """
    first, second = typing.get_args(cls)
    other = first if second is type(None) else second
    inner: Callable[[object, Any], Any] = conv.get_structure_hook(other)

    def structure(value: object, _: type) -> Any:
        return None if value is None else inner(value, other)

    return structure


def _required(cls: type) -> list[str]:
    return [f"{f.name} = ..." for f in attrs.fields(cls) if f.default is attrs.NOTHING]


def _structure_product(value: object, _: type) -> Product:
    if not isinstance(value, Mapping):
        raise _fail(f"expected a table describing a product, got {value!r}")
    kinds = ", ".join(repr(k) for k in PRODUCT_KINDS)
    if "kind" not in value:
        raise InvalidValueError(
            "a product needs its kind", field="kind", hint=f"add kind = one of {kinds}"
        )
    kind = value["kind"]
    cls = PRODUCT_KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        close = difflib.get_close_matches(str(kind), list(PRODUCT_KINDS), n=1)
        raise InvalidValueError(
            f"{kind!r} is not a product kind",
            field="kind",
            hint=(f"did you mean {close[0]!r}? " if close else "") + f"use one of: {kinds}",
        )
    fields = {key: item for key, item in value.items() if key != "kind"}
    product: Product = _converter_for_products.structure(fields, cls)
    return product


_converter_for_products: cattrs.Converter


# --- unstructuring ------------------------------------------------------------------------


def quantity_text(quantity: Mass | Length | Temperature) -> str:
    """Write a quantity exactly, in its own unit if it can, else in one where it can.

    A value has no exact decimal form in some units (40 °F is 4.444… °C); then the first unit
    where it has one is used, so writing and reading back never loses anything.

    Example:
        >>> quantity_text(Mass.parse("2.4 jin"))
        '2.4 jin'
        >>> quantity_text(Temperature.parse("40 °F").to("°C"))
        '40 °F'
    """
    units = [quantity.unit, *type(quantity.unit)]
    for unit in units:
        candidate = quantity.to(unit)
        if exact_decimal(candidate.value) is not None:
            return str(candidate)
    return str(quantity)


def _toml_repr(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _unstructure_product(product: Product, conv: cattrs.Converter) -> dict[str, Any]:
    data = conv.unstructure(product, unstructure_as=type(product))
    return {"kind": product.kind, **data}


def _drop_empty(cls: type, conv: cattrs.Converter) -> Callable[[Any], dict[str, Any]]:
    # Ids and kinds first: that is how a person reads a record. The annotations are strings
    # until resolved (``from __future__ import annotations``), and hooks dispatch on types.
    attrs.resolve_types(cls)
    fields = sorted(attrs.fields(cls), key=lambda f: f.name not in {"id", "kind"})

    def unstructure(obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field in fields:
            if not field.init or field.name == "folder":
                continue
            value = getattr(obj, field.name)
            if value is None or (isinstance(value, tuple | Mapping | str) and not value):
                continue
            out[field.name] = conv.unstructure(value, unstructure_as=field.type)
        return out

    return unstructure


@cache
def converter(fmt: Format = "toml") -> cattrs.Converter:
    """The cattrs converter for one file format (``"toml"`` or ``"json"``).

    TOML keeps dates and decimals native; JSON writes them as ISO text and decimal text.
    """
    if fmt not in ("toml", "json"):
        raise CatalogError(f"unknown catalogue format {fmt!r}; use 'toml' or 'json'")
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_structure_hook(dt.datetime, _structure_datetime)
    conv.register_structure_hook(dt.timedelta, _from_text(parse_duration, "'5 d' or '36 h'"))
    conv.register_structure_hook(Mass, _from_text(Mass.parse, "'1.2 kg' or '2.4 jin'"))
    conv.register_structure_hook(Length, _from_text(Length.parse, "'30 cm'"))
    conv.register_structure_hook(Temperature, _from_text(Temperature.parse, "'4 °C'"))
    # Money and sale units are frozen attrs classes: one value may be shared by many offers.
    conv.register_structure_hook(Money, _from_text(Money.parse, "'68.00 CNY'", cached=True))
    conv.register_structure_hook(
        SaleUnit, _from_text(SaleUnit.parse, "'piece' or '1 kg'", cached=True)
    )
    conv.register_structure_hook(Gtin, _structure_gtin)
    conv.register_structure_hook_factory(
        lambda cls: isinstance(cls, type) and issubclass(cls, enum.Enum), _enum_hook
    )
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_hook)
    conv.register_structure_hook_func(_is_mapping_of_str, _structure_names)
    conv.register_structure_hook_factory(attrs.has, _attrs_hook)
    conv.register_structure_hook_factory(_is_optional, _optional_hook)
    conv.register_structure_hook(AnyProduct, _structure_product)

    def to_text(value: Any) -> str:
        return str(value)

    for text_type in (Money, SaleUnit, Gtin):
        conv.register_unstructure_hook(text_type, to_text)
    for quantity_type in (Mass, Length, Temperature):
        conv.register_unstructure_hook(quantity_type, quantity_text)
    conv.register_unstructure_hook(dt.timedelta, format_duration)
    conv.register_unstructure_hook(Fraction, to_text)
    conv.register_unstructure_hook_func(_is_mapping_of_str, dict)
    conv.register_unstructure_hook_func(
        lambda cls: isinstance(cls, type) and issubclass(cls, enum.Enum), lambda e: e.value
    )
    conv.register_unstructure_hook_factory(
        lambda cls: attrs.has(cls) and not issubclass(cls, Product),
        lambda cls: _drop_empty(cls, conv),
    )
    conv.register_unstructure_hook_factory(
        lambda cls: isinstance(cls, type) and issubclass(cls, Product) and cls is not Product,
        lambda cls: _drop_empty(cls, conv),
    )
    conv.register_unstructure_hook(AnyProduct, lambda p: _unstructure_product(p, conv))
    if fmt == "json":
        conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
        conv.register_unstructure_hook(dt.datetime, lambda d: d.isoformat())
        conv.register_unstructure_hook(Decimal, to_text)
    else:
        for native in (dt.date, dt.datetime, Decimal):
            conv.register_unstructure_hook(native, lambda value: value)
    return conv


_converter_for_products = converter("toml")


# --- turning cattrs' exception groups into problems ---------------------------------------


def _value_at(data: object, path: Sequence[str | int]) -> object:
    for key in path:
        in_table = isinstance(data, Mapping) and isinstance(key, str) and key in data
        in_list = isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data)
        if not (in_table or in_list):
            return None
        data = data[key]  # type: ignore[index]
    return data


def _key(index: object) -> str | int:
    return index if isinstance(index, int | str) else str(index)


def _path_text(path: Sequence[str | int]) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else key)
    return out


def problems_from_exception(
    exc: BaseException, path: list[str | int], data: object
) -> list[Problem]:
    """Turn what structuring raised into Problems with paths, values and hints.

    ``exc`` is what a cattrs converter of :func:`converter` raised while structuring the
    record at ``path`` of ``data`` (the parsed file); every nested field error becomes one
    :class:`~ruralseller.errors.Problem`. Other stages reading their own files use it so
    that every file reports problems alike.
    """
    return [
        problem
        for failure, where, _owner in structuring_failures(exc, path)
        for problem in _leaf_problems(failure, where, data)
    ]


def structuring_failures(
    exc: BaseException,
    path: Sequence[str | int] = (),
    *,
    rename: Callable[[type, str], str] | None = None,
) -> Iterator[tuple[BaseException, list[str | int], type | None]]:
    """Every single failure inside what a cattrs converter raised, with where it happened.

    cattrs groups the errors of a class's fields (``ClassValidationError``) and of a list's
    items (``IterableValidationError``), noting each one's field name or index; this walks
    those groups (the one walker every file format shares) and yields each failure with the
    path to it and the class whose own check raised it (``None`` for a field's failure).
    ``rename`` turns a field name into the name the file uses (``bizStep`` for
    ``biz_step``).
    """
    if isinstance(exc, ClassValidationError):
        fields, rest = exc.group_exceptions()
        for sub, note in fields:
            name = rename(exc.cl, note.name) if rename else note.name
            yield from structuring_failures(sub, [*path, name], rename=rename)
        for sub in rest:
            for failure, where, owner in structuring_failures(sub, path, rename=rename):
                yield failure, where, owner or exc.cl
    elif isinstance(exc, IterableValidationError):
        items, others = exc.group_exceptions()
        for sub, item in items:
            yield from structuring_failures(sub, [*path, _key(item.index)], rename=rename)
        for sub in others:
            yield from structuring_failures(sub, path, rename=rename)
    else:
        yield exc, list(path), None


def _leaf_problems(exc: BaseException, path: list[str | int], data: object) -> list[Problem]:
    if isinstance(exc, ForbiddenExtraKeysError):
        known = [f.name for f in attrs.fields(exc.cl)] if attrs.has(exc.cl) else []
        if isinstance(exc.cl, type) and issubclass(exc.cl, Product):
            known.append("kind")
        out = []
        for key in sorted(exc.extra_fields):
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            out.append(
                Problem(
                    file="",
                    path=_path_text([*path, key]),
                    message=f"unknown field {key!r}",
                    hint=hint + "fields here: " + ", ".join(known),
                )
            )
        return out
    if isinstance(exc, KeyError) and path:
        name = path[-1]
        return [
            Problem(
                file="",
                path=_path_text(path),
                message=f"{name} is required but missing",
                hint=f"add {name} = ...",
            )
        ]
    if isinstance(exc, CatalogValidationError):
        return list(exc.problems)
    if isinstance(exc, InvalidValueError):
        full = [*path, exc.field] if exc.field else path
        return [
            Problem(
                file="",
                path=_path_text(full),
                message=exc.message,
                value=_value_at(data, full),
                hint=exc.hint,
            )
        ]
    if isinstance(exc, ValueError | TypeError):
        return [
            Problem(file="", path=_path_text(path), message=str(exc), value=_value_at(data, path))
        ]
    raise exc


# --- reading -----------------------------------------------------------------------------


def _section_problems(data: Mapping[str, Any]) -> tuple[dict[str, list[Any]], list[Problem]]:
    problems = _file_header(data, "catalogue", FORMAT_VERSION, _TOP_LEVEL)
    sections: dict[str, list[Any]] = {}
    for name in _SECTIONS:
        raw = data.get(name, [])
        if not isinstance(raw, list):
            problems.append(
                Problem(
                    file="",
                    path=name,
                    message=f"{name} must be a list of tables",
                    hint=f"write each one under its own [[{name}]] header",
                )
            )
            raw = []
        sections[name] = raw
    return sections, problems


def catalog_from_data(
    data: Mapping[str, Any],
    *,
    fmt: Format = "toml",
    file: str = "<data>",
    folder: Path | None = None,
) -> Catalog:
    """Build a catalogue from parsed TOML or JSON data, checking everything at once.

    Raises:
        CatalogValidationError: listing every problem, each with its path and a hint.
    """
    return _catalog_from_data(data, fmt=fmt, file=file, folder=folder, release=False)


def _catalog_from_data(
    data: Mapping[str, Any], *, fmt: Format, file: str, folder: Path | None, release: bool
) -> Catalog:
    """:func:`catalog_from_data`; with ``release``, each parsed record is let go once read.

    The parsed tree of a large file weighs more than the catalogue made from it (100,000
    lots: about 3 KB a lot of dicts, strings and numbers against 1 KB), so
    :func:`loads_catalog`, whose tree nobody else holds, drops each record from its section
    as soon as it is structured: the tree shrinks while the catalogue grows. A record that
    fails stays, for its problems' values.
    """
    conv = converter(fmt)
    if not isinstance(data, Mapping):
        raise CatalogValidationError(
            [Problem(file=file, path="", message="the catalogue must be a table of sections")]
        )
    sections, problems = _section_problems(data)
    loaded: dict[str, list[tuple[int, Any]]] = {name: [] for name in _SECTIONS}
    unchecked: dict[str, set[str]] = {name: set() for name in _SECTIONS}
    for name, target in _SECTIONS.items():
        for index, raw in enumerate(sections[name]):
            try:
                loaded[name].append((index, conv.structure(raw, target)))
                if release:
                    sections[name][index] = None
            except Exception as exc:  # noqa: BLE001 - every failure becomes a Problem
                problems += problems_from_exception(exc, [name, index], data)
                key_field = "lot" if name == "offers" else "id"
                key = raw.get(key_field) if isinstance(raw, dict) else None
                if isinstance(key, str):
                    unchecked[name].add(key)
    # The references are checked here, once, with the ids of records that failed to load,
    # so that every problem is reported together; the catalogue built below skips the same
    # check in its constructor.
    problems += reference_problems(
        loaded["producers"],
        loaded["products"],
        loaded["lots"],
        loaded["offers"],
        unchecked_ids=unchecked,
    )
    if folder is not None:
        problems += _image_problems(folder, loaded)
    if problems:
        raise CatalogValidationError([attrs.evolve(p, file=file) for p in problems])
    return catalog_of_checked_records(
        producers=[item for _, item in loaded["producers"]],
        products=[item for _, item in loaded["products"]],
        lots=[item for _, item in loaded["lots"]],
        offers=[item for _, item in loaded["offers"]],
        folder=folder,
    )


def _image_problems(folder: Path, loaded: Mapping[str, list[tuple[int, Any]]]) -> list[Problem]:
    problems = []
    root = folder.resolve()
    for section in ("products", "lots"):
        for index, item in loaded[section]:
            for number, name in enumerate(item.images):
                path = f"{section}[{index}].images[{number}]"
                if "\x00" in name:
                    problems.append(
                        Problem(
                            file="",
                            path=path,
                            message="the picture's name holds a NUL character",
                            value=name,
                            hint="fix the file name",
                        )
                    )
                    continue
                target = (folder / name).resolve()
                if not target.is_relative_to(root):
                    problems.append(
                        Problem(
                            file="",
                            path=path,
                            message="the picture is outside the catalogue folder",
                            value=name,
                            hint="copy it into the catalogue folder (e.g. images/) and name "
                            "it relative to the folder",
                        )
                    )
                elif target.suffix.lower() not in IMAGE_SUFFIXES:
                    problems.append(
                        Problem(
                            file="",
                            path=path,
                            message=f"{target.suffix or 'a file without a suffix'} is not a "
                            "picture type we read",
                            value=name,
                            hint="use " + ", ".join(sorted(IMAGE_SUFFIXES)),
                        )
                    )
                elif not target.is_file():
                    problems.append(
                        Problem(
                            file="",
                            path=path,
                            message="the picture file does not exist",
                            value=name,
                            hint=f"put the file at {folder / name}, or fix the name",
                        )
                    )
    return problems


def loads_catalog(
    text: str, *, fmt: Format = "toml", file: str = "<string>", folder: Path | None = None
) -> Catalog:
    """Read a catalogue from TOML or JSON text.

    Raises:
        CatalogValidationError: when the text cannot be parsed or has problems.
    """
    with _collector_paused():
        data = loads_data(
            text, fmt=fmt, file=file, sections="[[section]]", toml_loads=toml_reader.loads
        )
        return _catalog_from_data(data, fmt=fmt, file=file, folder=folder, release=True)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold Python's cyclic garbage collector off while a catalogue is read.

    Reading builds hundreds of thousands of objects that all live on, and the collector,
    triggered by every 700 new ones, walks the ever larger heap again and again for nothing:
    with it paused, 50,000 lots load in about a third less time (benchmarks/bench_catalog.py).
    It runs again as soon as reading ends, and then frees whatever cycles reading left (the
    tracebacks of the problems reported, say).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _catalog_file(path: Path) -> Path:
    return path / CATALOG_FILE if path.is_dir() else path


def load_catalog(path: str | os.PathLike[str]) -> Catalog:
    """Load a catalogue from a folder (its ``catalog.toml``) or from a .toml or .json file.

    Raises:
        CatalogError: when the file cannot be read.
        CatalogValidationError: listing every problem in the catalogue.
    """
    file = _catalog_file(Path(path))
    if not file.exists():
        where = Path(path)
        hint = (
            f"the folder has no {CATALOG_FILE}; create one with `ruralseller init {where}`"
            if where.is_dir()
            else "check the path, or create a catalogue with `ruralseller init DIR`"
        )
        raise CatalogError(f"no catalogue at {file}: {hint}")
    fmt: Format = "json" if file.suffix.lower() == ".json" else "toml"
    text = read_data_file(file, folder=file.parent)
    return loads_catalog(text, fmt=fmt, file=str(file), folder=file.parent)


# --- writing -----------------------------------------------------------------------------


def catalog_to_data(catalog: Catalog, fmt: Format = "toml") -> dict[str, Any]:
    """The catalogue as plain data for ``fmt``, ready for ``tomli_w`` or ``json``."""
    conv = converter(fmt)
    data: dict[str, Any] = {"format": FORMAT_VERSION}
    for name, target in _SECTIONS.items():
        items = getattr(catalog, name)
        if items:
            data[name] = [conv.unstructure(item, unstructure_as=target) for item in items]
    return data


def dumps_catalog(catalog: Catalog, fmt: Format = "toml") -> str:
    """The catalogue as TOML or JSON text; loading it back gives an equal catalogue."""
    data = catalog_to_data(catalog, fmt)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return _toml_document(data)


# tomli-w writes short arrays of tables inline and puts them before every [table]; a
# catalogue reads better with each record under its own [[header]], in section order, and
# small flat tables (piece_mass, coordinates) inline. tomli-w still writes every value.
_INLINE_WIDTH = 100


def _toml_value(value: object) -> str:
    return tomli_w.dumps({"v": value}, multiline_strings=False)[len("v = ") :].rstrip("\n")


def _is_flat(value: Mapping[str, Any]) -> bool:
    return not any(isinstance(item, Mapping | list) for item in value.values())


def _toml_document(data: Mapping[str, Any]) -> str:
    lines: list[str] = []
    _toml_table(data, [], lines)
    return "\n".join(lines).lstrip("\n") + "\n"


def _inline(value: object) -> str | None:
    """The value written on one line, or None when it needs a [table] of its own."""
    if isinstance(value, Mapping):
        if not _is_flat(value):
            return None
        pairs = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return f"{{ {pairs} }}"
    if isinstance(value, list) and any(isinstance(item, Mapping) for item in value):
        return None
    return _toml_value(value)


def _toml_table(table: Mapping[str, Any], path: list[str], lines: list[str]) -> None:
    later: list[tuple[str, Any]] = []
    for key, value in table.items():
        inline = _inline(value)
        too_wide = isinstance(value, Mapping) and len(f"{key} = {inline}") > _INLINE_WIDTH
        if inline is None or too_wide:
            later.append((key, value))
        else:
            lines.append(f"{_toml_key(key)} = {inline}")
    for key, value in later:
        name = ".".join(_toml_key(part) for part in [*path, key])
        if isinstance(value, list):
            for item in value:
                lines.extend(["", f"[[{name}]]"])
                _toml_table(item, [*path, key], lines)
        else:
            lines.extend(["", f"[{name}]"])
            _toml_table(value, [*path, key], lines)


def _toml_key(key: str) -> str:
    bare = (
        key.replace("_", "").replace("-", "").isascii()
        and key.replace("_", "a").replace("-", "a").isalnum()
    )
    return key if bare else _toml_value(key)


def write_catalog(catalog: Catalog, path: str | os.PathLike[str]) -> Path:
    """Write the catalogue to a folder (as ``catalog.toml``) or a .toml/.json file.

    The file is written to a temporary file first and then moved into place, so a failure
    never leaves a half-written catalogue. Pictures are not copied. Returns the file written.
    """
    target = Path(path)
    if target.suffix.lower() not in {".toml", ".json"}:
        target.mkdir(parents=True, exist_ok=True)
        target = target / CATALOG_FILE
    fmt: Format = "json" if target.suffix.lower() == ".json" else "toml"
    text = dumps_catalog(catalog, fmt)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temp).replace(target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


# --- other data files that live beside a catalogue -----------------------------------------


def structure_sections(  # noqa: PLR0913 - one data file's description, all keyword-only
    data: object,
    *,
    file: str,
    what: str,
    version: int,
    sections: Mapping[str, Any],
    conv: cattrs.Converter | None = None,
    duplicate_hint: str = "give each one its own id",
) -> dict[str, list[tuple[int, Any]]]:
    """Structure a data file made of ``[[section]]`` lists of records, reporting every problem.

    Used by the files that live beside a catalogue (``packaging.toml``, ``carriers.toml``) so
    that they report mistakes exactly as ``catalog.toml`` does: the format version, unknown
    sections (with a did-you-mean), sections that are not lists, repeated ids, and every field
    problem with its path, value and hint.

    Args:
        data: the parsed file.
        file: the file's name, for the problems.
        what: what the file is, e.g. ``"packaging file"``.
        version: the format version this release reads.
        sections: section name -> the type of its records.
        conv: the converter to structure with (the TOML converter when None).
        duplicate_hint: the hint for a repeated id.

    Returns:
        section name -> (index, record) for each record.

    Raises:
        CatalogValidationError: listing every problem found.
    """
    if not isinstance(data, Mapping):
        raise CatalogValidationError(
            [Problem(file=file, path="", message=f"the {what} must be a table")]
        )
    structure = conv or converter("toml")
    problems = _file_header(data, what, version, ("format", *sections))
    loaded = {
        name: _section_records(data, name, target, structure, duplicate_hint, problems)
        for name, target in sections.items()
    }
    if problems:
        raise CatalogValidationError([attrs.evolve(p, file=file) for p in problems])
    return loaded


def _file_header(
    data: Mapping[str, Any], what: str, version: int, top_level: tuple[str, ...]
) -> list[Problem]:
    problems: list[Problem] = []
    found = data.get("format")
    if found is None:
        problems.append(
            Problem(
                file="",
                path="format",
                message=f"the {what} does not say its format version",
                hint=f"add format = {version} as the first line",
            )
        )
    elif isinstance(found, bool) or found != version:
        problems.append(
            Problem(
                file="",
                path="format",
                message=f"format {found!r} is not one this ruralseller reads",
                value=found,
                hint=f"this release reads format = {version}; upgrade ruralseller or convert "
                "the file",
            )
        )
    for key in data:
        if key not in top_level:
            close = difflib.get_close_matches(key, top_level, n=1)
            problems.append(
                Problem(
                    file="",
                    path=key,
                    message=f"unknown section {key!r}",
                    hint=(f"did you mean {close[0]!r}? " if close else "")
                    + f"a {what} has: "
                    + ", ".join(top_level),
                )
            )
    return problems


def _section_records(  # noqa: PLR0913, PLR0917 - the parts of one section
    data: Mapping[str, Any],
    name: str,
    target: Any,
    structure: cattrs.Converter,
    duplicate_hint: str,
    problems: list[Problem],
) -> list[tuple[int, Any]]:
    raw = data.get(name, [])
    if not isinstance(raw, list):
        problems.append(
            Problem(
                file="",
                path=name,
                message=f"{name} must be a list of tables",
                hint=f"write each one under its own [[{name}]] header",
            )
        )
        return []
    loaded: list[tuple[int, Any]] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        key = item.get("id") if isinstance(item, dict) else None
        if isinstance(key, str) and key in seen:
            problems.append(
                Problem(
                    file="",
                    path=f"{name}[{index}].id",
                    message=f"the id {key!r} is already used by {name}[{seen[key]}]",
                    value=key,
                    hint=duplicate_hint,
                )
            )
        elif isinstance(key, str):
            seen[key] = index
        try:
            loaded.append((index, structure.structure(item, target)))
        except Exception as exc:  # noqa: BLE001 - every failure becomes a Problem
            problems += problems_from_exception(exc, [name, index], data)
    return loaded
