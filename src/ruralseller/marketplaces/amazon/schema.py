"""Checking a listing against Amazon's product type schema, and naming its issues."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ruralseller.marketplaces.amazon.constants import (
    _HOW,
    ATTRIBUTE_FIELDS,
)
from ruralseller.marketplaces.secrets import Secret

__all__: list[str] = []


def _issue_key(attribute: str) -> str:
    field = ATTRIBUTE_FIELDS.get(attribute)
    return f"{field} ({attribute})" if field and field != attribute else attribute


def _issues_by_field(issues: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for issue in issues:
        message = str(issue.get("message", ""))
        names = issue.get("attributeNames") or [f"issue {issue.get('code', '?')}"]
        for name in names:
            key = _issue_key(str(name))
            found[key] = f"{found[key]}; {message}" if key in found else message
    return found


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _schema_errors(validator: Any, attributes: Mapping[str, Any]) -> dict[str, str]:
    """Each attribute the product type schema refuses, with jsonschema's reason."""
    found: dict[str, str] = {}
    for error in validator.iter_errors(attributes):
        if error.validator == "required" and not error.path:
            for name in error.validator_value:
                if name not in attributes:
                    found[_issue_key(name)] = f"'{name}' is required but not supplied: " + _HOW.get(
                        name,
                        f"give it in draft.extra['amazon']['attributes']['{name}'] as the "
                        "product type's definition describes it",
                    )
            continue
        attribute = str(error.path[0]) if error.path else "attributes"
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.path)
        found.setdefault(_issue_key(attribute), _short(f"{where.lstrip('.')}: {error.message}"))
    return found


def _schema_validator(schema: Mapping[str, Any]) -> Any:
    """A jsonschema validator for an Amazon product type schema (draft 2019-09).

    Amazon's meta-schema adds keywords (Product Type Definitions "meta-schema" docs); the byte
    limits are checked here, the others (``selectors``, ``editable``...) are left to Amazon.
    """
    try:
        import jsonschema  # type: ignore[import-untyped]  # noqa: PLC0415 - optional
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        raise ImportError(
            "checking listings against Amazon's product type schema needs jsonschema: "
            "`pip install 'ruralseller[amazon]'`, or make the adapter with schema_check=False"
        ) from exc

    def byte_length(check: Callable[[int, int], bool], words: str) -> Any:
        def keyword(_validator: Any, limit: int, instance: Any, _schema: Any) -> Any:
            if isinstance(instance, str) and not check(len(instance.encode()), limit):
                yield jsonschema.ValidationError(f"is {words} {limit} bytes in UTF-8")

        return keyword

    validator_class = jsonschema.validators.extend(
        jsonschema.Draft201909Validator,
        {
            "maxUtf8ByteLength": byte_length(lambda n, limit: n <= limit, "longer than"),
            "minUtf8ByteLength": byte_length(lambda n, limit: n >= limit, "shorter than"),
        },
    )
    return validator_class(schema)


def _secret(value: Secret | str) -> Secret:
    return value if isinstance(value, Secret) else Secret(value)


# Product type schemas by checksum (Base64 MD5, getDefinitionsProductType), for the process.
_SCHEMAS: dict[str, Any] = {}
