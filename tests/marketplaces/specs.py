"""Check the requests our adapters send against the marketplaces' official API specs.

The fake servers in the adapter tests call :meth:`OpenApiSpec.check` on every request, so a
request the real platform would refuse for its shape (an unknown path or method, a missing
required header or query parameter, a body that does not match the schema, a field the schema
does not declare) fails the test that sent it. Swagger 2.0 (Amazon SP-API) and OpenAPI 3.0
(eBay, Etsy), as JSON or YAML, are read; :class:`GraphQLSpec` does the same for a GraphQL
schema (Shopify's Admin API SDL).

The specs live in ``tests/specs/`` (see each folder's SOURCE.md for where they came from).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jsonschema
import pytest
import yaml
from graphql import (
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    build_schema,
    parse,
    type_from_ast,
    validate,
)
from graphql.execution.values import get_variable_values
from graphql.language import OperationDefinitionNode
from graphql.validation import NoDeprecatedCustomRule, specified_rules
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPECS = Path(__file__).parents[1] / "specs"
_DOC = "urn:ruralseller:openapi"


class SpecViolationError(AssertionError):
    """A request the official spec does not allow; the message lists every problem."""


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


class OpenApiSpec:
    """One official OpenAPI / Swagger document, ready to check requests against.

    Args:
        document: the parsed spec.
        name: how messages name it (its file name).
        base_path: the path prefix the servers put before every spec path; read from the
            spec (OpenAPI 3 ``servers``, Swagger ``basePath``) unless given.
    """

    def __init__(self, document: dict[str, Any], name: str, base_path: str | None = None) -> None:
        self.swagger2 = str(document.get("swagger", "")).startswith("2")
        self.document = document if self.swagger2 else _nullable(document)
        self.name = name
        self.base_path = self._base_path() if base_path is None else base_path.rstrip("/")
        self._registry: Registry[Any] = Registry().with_resource(
            _DOC, Resource.from_contents(self.document, default_specification=DRAFT4)
        )
        self._templates = [
            (re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(p)) + "$"), p)
            for p in self.document["paths"]
        ]
        self.seen: list[str] = []
        self.patches: dict[str, str] = {}

    @classmethod
    def load(cls, relative: str, base_path: str | None = None) -> OpenApiSpec:
        """The spec at ``tests/specs/<relative>``; fails the test if it is missing."""
        return _load(relative, base_path)

    def _base_path(self) -> str:
        if self.swagger2:
            return str(self.document.get("basePath", "")).rstrip("/")
        servers = self.document.get("servers") or [{"url": ""}]
        url = servers[0]["url"]
        for key, variable in (servers[0].get("variables") or {}).items():
            url = url.replace("{" + key + "}", variable["default"])
        return urlsplit(url).path.rstrip("/")

    def with_patch(self, pointer: str, schema: dict[str, Any], because: str) -> OpenApiSpec:
        """A copy with the schema at ``pointer`` replaced, for a documented spec error.

        Official specs have mistakes the live API does not share (eBay's ``Product.aspects``
        is typed as a string but the API takes a map of lists). Each patch says why, so a
        reader can check the reason; everything else is checked as published.
        """
        if not because.strip():
            raise ValueError("say why the official spec is patched")
        document = json.loads(json.dumps(self.document))
        *parents, last = pointer.removeprefix("/").split("/")
        node = document
        for part in parents:
            node = node[part.replace("~1", "/").replace("~0", "~")]
        if last not in node:
            raise KeyError(f"{self.name} has nothing at {pointer} to patch")
        node[last] = schema
        patched = OpenApiSpec(document, self.name, self.base_path)
        patched.patches = {**self.patches, pointer: because}
        return patched

    # --- looking things up ---------------------------------------------------------------

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any], dict[str, str]]:
        """The spec path template, operation object and path parameters for a request."""
        if not path.startswith(self.base_path):
            raise SpecViolationError(f"{self.name}: {path} is not under {self.base_path}")
        local = path[len(self.base_path) :] or "/"
        matches = []
        for pattern, template in self._templates:
            found = pattern.match(local)
            if found:
                names = re.findall(r"\{([^}]+)\}", template)
                matches.append(
                    (template.count("{"), template, dict(zip(names, found.groups(), strict=True)))
                )
        if not matches:
            raise SpecViolationError(f"{self.name}: no path in the spec matches {local}")
        # A literal segment wins over a parameter (`/offer/get_listing_fees` vs `/offer/{id}`).
        for _, template, params in sorted(matches, key=lambda m: m[0]):
            item = self.document["paths"][template]
            op = item.get(method.lower())
            if op is not None:
                return template, op, params
        raise SpecViolationError(f"{self.name}: {method} is not an operation of {matches[0][1]}")

    def _parameters(self, template: str, op: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        shared = self.document["paths"][template].get("parameters", [])
        for parameter in [*shared, *op.get("parameters", [])]:
            yield self._deref(parameter)

    def _deref(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            pointer = node["$ref"].removeprefix("#/").split("/")
            node = self.document
            for part in pointer:
                node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    # --- checking ------------------------------------------------------------------------

    def check(self, request: httpx.Request) -> str:
        """Check ``request``; return its operation id, or raise :class:`SpecViolationError`."""
        path = request.url.path
        template, op, path_params = self.operation(request.method, path)
        operation_id = str(op.get("operationId", f"{request.method} {template}"))
        problems: list[str] = []
        for parameter in self._parameters(template, op):
            problems.extend(self._check_parameter(parameter, request, path_params))
        problems.extend(self._check_body(template, request.method.lower(), request))
        if problems:
            raise SpecViolationError(
                f"{self.name}: {request.method} {path} ({operation_id}) breaks the spec:\n  "
                + "\n  ".join(problems)
            )
        self.seen.append(operation_id)
        return operation_id

    def _check_parameter(
        self, parameter: dict[str, Any], request: httpx.Request, path_params: dict[str, str]
    ) -> Iterator[str]:
        where, name = parameter["in"], parameter["name"]
        if where == "path":
            value: str | None = path_params.get(name)
        elif where == "query":
            value = request.url.params.get(name)
        elif where == "header":
            value = request.headers.get(name)
        else:
            return
        if value is None:
            if parameter.get("required"):
                yield f"the required {where} parameter {name!r} is missing"
            return
        schema = parameter if self.swagger2 else parameter.get("schema", {})
        schema = self._deref(schema)
        enum = schema.get("enum")
        if enum is not None and _type(schema) != "array" and value not in map(str, enum):
            yield f"{where} parameter {name!r} is {value!r}, not one of {enum}"
        if _type(schema) == "integer" and not re.fullmatch(r"-?\d+", value):
            yield f"{where} parameter {name!r} is {value!r}, not an integer"

    def _body_schema(
        self, template: str, method: str, content_type: str
    ) -> tuple[str | None, bool, bool]:
        """The JSON pointer of the body schema, whether a body is required, whether allowed."""
        op = self.document["paths"][template][method]
        base = f"/paths/{_escape(template)}/{method}"
        if self.swagger2:
            for index, raw in enumerate(op.get("parameters", [])):
                parameter = self._deref(raw)
                if parameter.get("in") == "body":
                    return (
                        f"{base}/parameters/{index}/schema",
                        bool(parameter.get("required")),
                        True,
                    )
            return None, False, False
        body = self._deref(op.get("requestBody"))
        if not body:
            return None, False, False
        content = body.get("content", {})
        media = content_type.split(";", maxsplit=1)[0].strip().lower()
        for declared in content:
            if declared.lower() == media or declared == "*/*":
                pointer = f"{base}/requestBody/content/{_escape(declared)}/schema"
                return pointer, bool(body.get("required")), True
        raise SpecViolationError(
            f"{self.name}: {template} takes {', '.join(content)}, not {content_type or 'no type'}"
        )

    def _check_body(self, template: str, method: str, request: httpx.Request) -> Iterator[str]:
        content_type = request.headers.get("content-type", "")
        has_body = bool(request.content)
        if not has_body and not content_type:
            # Only a required body is a problem when none is sent.
            pointer, required, _ = self._body_schema(template, method, "application/json")
            if required:
                yield "the request needs a body and has none"
            return
        try:
            pointer, _, allowed = self._body_schema(template, method, content_type)
        except SpecViolationError as violation:
            yield str(violation)
            return
        if not allowed:
            yield "the operation takes no request body"
            return
        if pointer is None:
            return
        if "x-www-form-urlencoded" in content_type:
            yield from self.validate(self._form(request.content, pointer), "#" + pointer)
            return
        if "json" not in content_type:
            return
        try:
            instance = json.loads(request.content)
        except ValueError as exc:
            yield f"the body is not JSON: {exc}"
            return
        yield from self.validate(instance, "#" + pointer)

    def _form(self, content: bytes, pointer: str) -> dict[str, Any]:
        """A form body as the schema's types (forms carry only strings)."""
        schema = self._registry.resolver().lookup(_DOC + "#" + pointer).contents
        properties, _ = self._properties(schema)
        form: dict[str, Any] = {}
        for key, values in parse_qs(content.decode(), keep_blank_values=True).items():
            name = key.removesuffix("[]")
            kind = self._deref(properties.get(name, {}))
            if _type(kind) == "array":
                items = self._deref(kind.get("items", {}))
                parts = [p for v in values for p in v.split(",")]
                form[name] = [_typed(p, _type(items)) for p in parts]
            else:
                form[name] = _typed(values[-1], _type(kind))
        return form

    def validate(self, instance: Any, pointer: str) -> Iterator[str]:
        """Problems of ``instance`` against the schema at ``pointer`` in this spec."""
        validator = jsonschema.Draft4Validator({"$ref": _DOC + pointer}, registry=self._registry)
        for error in validator.iter_errors(instance):
            yield f"body{_where(error.absolute_path)}: {error.message}"
        schema = self._registry.resolver().lookup(_DOC + pointer).contents
        yield from self._unknown_fields(instance, schema, "")

    def _properties(self, schema: Any) -> tuple[dict[str, Any], bool]:
        """Declared properties (through allOf) and whether others are allowed."""
        schema = self._deref(schema)
        properties = dict(schema.get("properties", {}))
        open_ended = (
            "additionalProperties" in schema and schema["additionalProperties"] is not False
        )
        for part in schema.get("allOf", []):
            more, other_open = self._properties(part)
            properties.update(more)
            open_ended = open_ended or other_open
        if not properties:
            open_ended = True  # a free-form object
        return properties, open_ended

    def _unknown_fields(self, instance: Any, schema: Any, where: str) -> Iterator[str]:
        schema = self._deref(schema)
        if isinstance(instance, dict):
            properties, open_ended = self._properties(schema)
            extra = self._deref(schema.get("additionalProperties"))
            for key, value in instance.items():
                if key in properties:
                    yield from self._unknown_fields(value, properties[key], f"{where}.{key}")
                elif isinstance(extra, dict):
                    yield from self._unknown_fields(value, extra, f"{where}.{key}")
                elif not open_ended:
                    yield f"body{where}.{key}: not a field of the schema (typo, or not in this API)"
        elif isinstance(instance, list) and isinstance(schema.get("items"), dict):
            for index, item in enumerate(instance):
                yield from self._unknown_fields(item, schema["items"], f"{where}[{index}]")

    # --- answering like the spec ---------------------------------------------------------

    def response_example(self, method: str, path: str, status: int) -> Any:
        """The spec's example body for ``status`` of an operation, when it gives one."""
        _, op, _ = self.operation(method, self.base_path + path)
        response = self._deref(op.get("responses", {}).get(str(status), {}))
        if self.swagger2:
            return response.get("examples", {}).get("application/json")
        for media in response.get("content", {}).values():
            if "example" in media:
                return media["example"]
            for example in media.get("examples", {}).values():
                return self._deref(example).get("value")
        return None

    def response_problems(self, method: str, path: str, status: int, body: Any) -> list[str]:
        """Problems of a fake server's answer against the spec's response schema."""
        template, op, _ = self.operation(method, self.base_path + path)
        responses = op.get("responses", {})
        key = str(status) if str(status) in responses else "default"
        if key not in responses:
            return [f"{self.name}: {method} {template} declares no {status} response"]
        base = f"/paths/{_escape(template)}/{method.lower()}/responses/{key}"
        response = self._deref(responses[key])
        if "$ref" in responses[key]:
            base = responses[key]["$ref"].removeprefix("#")
        if self.swagger2:
            if "schema" not in response:
                return []
            return list(self.validate(body, "#" + base + "/schema"))
        for media in response.get("content", {}):
            if "json" in media and "schema" in response["content"][media]:
                return list(self.validate(body, f"#{base}/content/{_escape(media)}/schema"))
        return []


def _type(schema: Mapping[str, Any]) -> str | None:
    """The schema's type, ``null`` aside (a nullable field is still of its type)."""
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    return kind if isinstance(kind, str) else None


def _nullable(node: Any) -> Any:
    """OpenAPI 3.0's ``nullable: true`` as JSON Schema says it (``null`` among the types).

    Draft 4 does not know ``nullable``; without this, every ``null`` an API documents as
    allowed would count as a violation.
    """
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _nullable(value) for key, value in node.items()}
    if out.get("nullable") is True and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    return out


def _typed(value: str, kind: str | None) -> Any:
    """A form value as the schema type says, left as text when it does not parse."""
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        return value
    if kind == "boolean" and value in {"true", "false"}:
        return value == "true"
    return value


def _where(path: Any) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


@cache
def _load(relative: str, base_path: str | None) -> OpenApiSpec:
    file = SPECS / relative
    if not file.is_file():
        pytest.fail(f"the official spec is missing: expected {file} (see tests/specs/README.md)")
    text = file.read_text(encoding="utf-8")
    if file.suffix in {".yml", ".yaml"}:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        # YAML reads unquoted dates in examples as dates; JSON keeps them as text.
        document = json.loads(
            json.dumps(yaml.load(text, Loader=loader), default=str)  # noqa: S506 - safe loader
        )
    else:
        document = json.loads(text)
    return OpenApiSpec(document, file.name, base_path)


class GraphQLSpec:
    """One official GraphQL schema (SDL), ready to check GraphQL requests against.

    A request passes when its document validates against the schema (every field, argument,
    type and directive exists and fits), its variables coerce to the declared types (every
    input field known, every required one present, enums and scalars right), it uses nothing
    the schema marks ``@deprecated`` (deprecated parts are removed in a later version, so an
    adapter that asks for a newer version than the schema must not lean on them), and every
    mutation whose description says its idempotency key is required carries ``@idempotent``.

    Args:
        schema: the built schema.
        name: how messages name it (its file name).
    """

    def __init__(self, schema: GraphQLSchema, name: str) -> None:
        self.schema = schema
        self.name = name
        self.seen: list[str] = []

    @classmethod
    def load(cls, relative: str) -> GraphQLSpec:
        """The schema at ``tests/specs/<relative>``; fails the test if it is missing."""
        return _load_graphql(relative)

    def check(self, body: Mapping[str, Any]) -> str:
        """Check a GraphQL request body; return its operation name or raise."""

        name = str(body.get("operationName") or "")
        try:
            document = parse(str(body.get("query", "")))
        except GraphQLError as error:
            raise SpecViolationError(f"{self.name}: {name}: {error.message}") from None
        problems = [
            e.message
            for e in validate(self.schema, document, [*specified_rules, NoDeprecatedCustomRule])
        ]
        operations = [
            d
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode)
            and (not name or (d.name is not None and d.name.value == name))
        ]
        if not operations:
            problems.append(f"the document has no operation named {name!r}")
        for operation in operations:
            coerced = get_variable_values(
                self.schema, operation.variable_definitions or (), dict(body.get("variables") or {})
            )
            if isinstance(coerced, list):
                problems.extend(e.message for e in coerced)
            else:
                problems.extend(self._deprecated_inputs(operation, body.get("variables") or {}))
            problems.extend(self._idempotency(operation))
        if problems:
            raise SpecViolationError(
                f"{self.name}: {name or 'the request'} breaks the schema:\n  "
                + "\n  ".join(problems)
            )
        self.seen.append(name)
        return name

    def _deprecated_inputs(self, operation: Any, variables: Mapping[str, Any]) -> Iterator[str]:
        for definition in operation.variable_definitions or ():
            key = definition.variable.name.value
            if key in variables:
                kind = type_from_ast(self.schema, definition.type)
                yield from _deprecated_in(kind, variables[key], f"${key}")

    def _idempotency(self, operation: Any) -> Iterator[str]:
        if operation.operation.value != "mutation":
            return
        mutation = self.schema.mutation_type
        for selection in operation.selection_set.selections:
            field = mutation.fields.get(getattr(selection, "name", None) and selection.name.value)
            description = (field.description or "") if field is not None else ""
            needs_key = "idempotency key is required" in description
            has_key = any(d.name.value == "idempotent" for d in selection.directives or ())
            if needs_key and not has_key:
                yield (
                    f"{selection.name.value} needs @idempotent(key: ...): its description says "
                    "the idempotency key is required (from 2026-04)"
                )


def _deprecated_in(kind: Any, value: Any, where: str) -> Iterator[str]:
    """Input fields marked ``@deprecated`` that ``value`` sets, walking nested inputs."""
    while isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    if isinstance(kind, GraphQLList) and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _deprecated_in(kind.of_type, item, f"{where}[{index}]")
    elif isinstance(kind, GraphQLInputObjectType) and isinstance(value, dict):
        for key, item in value.items():
            field = kind.fields.get(key)
            if field is None:
                continue
            if field.deprecation_reason:
                yield f"{where}.{key} is deprecated: {field.deprecation_reason}"
            yield from _deprecated_in(field.type, item, f"{where}.{key}")


@cache
def _load_graphql(relative: str) -> GraphQLSpec:
    file = SPECS / relative
    if not file.is_file():
        pytest.fail(f"the official schema is missing: expected {file} (see tests/specs/README.md)")
    # assume_valid: graphql-core 3.3 checks rules newer than Shopify's schema keeps (a
    # deprecated field implementing an interface field that is not); the requests are what
    # is checked here, not the schema.
    schema = build_schema(file.read_text(encoding="utf-8"), assume_valid=True)
    return GraphQLSpec(schema, file.name)
