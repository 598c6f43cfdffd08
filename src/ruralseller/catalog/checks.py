"""Small attrs validators and converters shared by the model of every stage.

Each validator raises :class:`~ruralseller.errors.InvalidValueError` naming the field, so
file loading can report the exact path of a bad value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from ruralseller.errors import InvalidValueError

__all__ = [
    "aware",
    "fail",
    "frozen_mapping",
    "frozen_tuple",
    "identifier",
    "not_negative",
    "optional_text",
    "positive",
    "text",
    "unique",
]

_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def fail(attribute: attrs.Attribute[Any], message: str, hint: str = "") -> InvalidValueError:
    """Build the error for one field; catalogue loading puts the field into the path."""
    return InvalidValueError(message, field=attribute.name, hint=hint)


def identifier(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An id that other records refer to: letters, digits, ``.``, ``_``, ``-``; 64 at most."""
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):
        raise fail(
            attribute,
            f"{value!r} is not a valid id",
            "use 1 to 64 ASCII letters, digits, '.', '_' or '-', starting with a letter or "
            "digit, e.g. 'wu-family-farm'",
        )


def text(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Text that must say something."""
    if not isinstance(value, str) or not value.strip():
        raise fail(attribute, f"{attribute.name} must not be empty", "write some text here")


def optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Text that may be left out, but is not blank when given."""
    if value is not None:
        text(instance, attribute, value)


def positive(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A whole number above zero (or None)."""
    if value is not None and (not isinstance(value, int) or value <= 0):
        raise fail(attribute, f"{attribute.name} must be a whole number above zero, got {value!r}")


def not_negative(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A whole number of zero or more (or None)."""
    if value is not None and (not isinstance(value, int) or value < 0):
        raise fail(attribute, f"{attribute.name} must be a whole number, 0 or more, got {value!r}")


def aware(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A date and time that says which time zone it is in."""
    if isinstance(value, dt.datetime) and value.utcoffset() is None:
        raise fail(
            attribute,
            f"{attribute.name} {value.isoformat()} has no time zone",
            "add the UTC offset, e.g. 2026-11-20T06:30:00+08:00 for China Standard Time",
        )


def frozen_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Converter: any iterable to a tuple, so records stay immutable."""
    return tuple(value)


def frozen_mapping(value: Mapping[str, str] | None) -> Mapping[str, str]:
    """Converter: a read-only copy of a mapping."""
    return MappingProxyType(dict(value or {}))


def unique(attribute: attrs.Attribute[Any], values: Iterable[str], what: str) -> None:
    """Every value appears once."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise fail(attribute, f"{what} {value!r} appears twice", f"give each {what} once")
        seen.add(value)
