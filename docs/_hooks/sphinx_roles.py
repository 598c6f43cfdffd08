"""A griffe extension for the API reference: Sphinx roles in docstrings become links.

Our docstrings name other objects the way Python's own documentation does, with Sphinx
roles (``:class:`Lot```, ``:func:`~ruralseller.coldchain.plan_shipment```,
``:meth:`Place.parse <ruralseller.catalog.Place.parse>```): they read well in ``help()`` and
an editor. mkdocstrings knows no Sphinx roles, so the reference showed them raw. This
extension resolves each role's target the way Python would from where the docstring is
(the object, its parents, their imports; else the one object of that name in the package)
and writes an autorefs cross-reference, a link to the object's entry in the reference. A
target the reference does not show (a private helper) stays as code, without a link and
without a warning; a target that cannot be resolved at all is written as code too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from html import escape
from typing import Any

import griffe

ROLE = re.compile(
    r":(?:py:)?(?P<role>class|func|meth|attr|mod|exc|data|obj|const|type):"
    r"`(?P<body>[^`]+)`"
)
"""A Sphinx role of the Python domain, e.g. ``:class:`~pkg.Lot``` or ``:func:`t <pkg.f>```."""

_EXPLICIT = re.compile(r"(?P<title>.+?)\s*<(?P<target>[^<>]+)>\s*$")
_CALLABLE = frozenset({"func", "meth"})


def _objects(obj: griffe.Object) -> Iterator[griffe.Object]:
    """``obj`` and every object defined under it (aliases left out: they are seen where
    they are defined)."""
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _objects(member)  # type: ignore[arg-type]


class SphinxRoles(griffe.Extension):
    """Turn the Sphinx roles of every docstring in the package into cross-references."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:  # noqa: ARG002
        """Rewrite the docstrings once the whole package is loaded (so names resolve)."""
        by_name: dict[str, set[str]] = defaultdict(set)
        objects = list(_objects(pkg))
        for obj in objects:
            if not obj.name.startswith("_"):
                by_name[obj.name].add(obj.path)
        for obj in objects:
            if obj.docstring is not None and ":" in obj.docstring.value:
                obj.docstring.value = convert(obj.docstring.value, obj, by_name)


def _resolve(target: str, obj: griffe.Object, by_name: dict[str, set[str]]) -> str | None:
    """The full path ``target`` names, seen from ``obj``'s docstring, or None."""
    root = obj.package.name
    if target == root or target.startswith(f"{root}."):
        return target
    head, _, rest = target.partition(".")
    scope: griffe.Object | None = obj
    while scope is not None:
        try:
            found = scope.resolve(head)
        except griffe.NameResolutionError:
            scope = scope.parent
            continue
        return f"{found}.{rest}" if rest else found
    paths = by_name.get(target.rsplit(".", 1)[-1], set())
    suffix = f".{target}"
    matches = {path for path in paths if path.endswith(suffix)}
    return next(iter(matches)) if len(matches) == 1 else None


def _reference(match: re.Match[str], obj: griffe.Object, by_name: dict[str, set[str]]) -> str:
    role, body = match["role"], " ".join(match["body"].split())
    explicit = _EXPLICIT.match(body)
    if explicit:
        title, target = explicit["title"], explicit["target"].strip()
    else:
        target = body.lstrip("~!")
        title = target.rsplit(".", 1)[-1] if body.startswith("~") else target
        if role in _CALLABLE and not title.endswith(")"):
            title += "()"
    code = f"<code>{escape(title)}</code>"
    path = _resolve(target.lstrip("~!"), obj, by_name)
    if path is None:
        return code
    # mkdocstrings' own optional cross-reference: a link where the reference shows the
    # object (under its public or its defining path), plain code where it does not.
    return f'<autoref identifier="{escape(path)}" optional>{code}</autoref>'


def convert(text: str, obj: griffe.Object, by_name: dict[str, set[str]] | None = None) -> str:
    """``text`` with each Sphinx role outside code blocks turned into a cross-reference.

    A role may run over two lines (``:meth:`Offer.unit_price`` then
    ``<ruralseller.catalog.Offer.unit_price>``` on the next).
    """
    names = by_name if by_name is not None else {}
    chunks: list[list[str]] = [[]]
    fenced = [False]
    for line in text.split("\n"):
        fence = line.lstrip().startswith("```")
        if fence and not fenced[-1]:
            chunks.append([line])
            fenced.append(True)
        elif fence:
            chunks[-1].append(line)
            chunks.append([])
            fenced.append(False)
        else:
            chunks[-1].append(line)
    out = [
        "\n".join(lines)
        if code
        else ROLE.sub(lambda m: _reference(m, obj, names), "\n".join(lines))
        for lines, code in zip(chunks, fenced, strict=True)
    ]
    return "\n".join(chunk for chunk, lines in zip(out, chunks, strict=True) if lines)
