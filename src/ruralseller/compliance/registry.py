"""Finding rule packs: the built-in ones, and third-party ones through entry points.

Built-in packs are a table of ``jurisdiction -> "module:attribute"`` loaded on first use.
A third-party package adds a pack by declaring an entry point in the group
``ruralseller.rulepacks`` whose name is the jurisdiction code and whose object is a
:class:`~ruralseller.compliance.RulePack` (or a function returning one)::

    [project.entry-points."ruralseller.rulepacks"]
    TAOBAO = "acme_rules.taobao:PACK"

Example:
    >>> sorted(available_rule_packs())[:3]
    ['CN', 'EU', 'US']
    >>> rule_pack("CN").name
    'China (mainland)'
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from importlib.metadata import EntryPoint, entry_points

from ruralseller.compliance.rules import RulePack
from ruralseller.errors import ComplianceError

__all__ = ["ENTRY_POINT_GROUP", "available_rule_packs", "rule_pack"]

ENTRY_POINT_GROUP = "ruralseller.rulepacks"
"""The entry-point group third-party rule packs register under."""

_BUILTIN = {
    "CN": "ruralseller.compliance.packs.cn:PACK",
    "EU": "ruralseller.compliance.packs.eu:PACK",
    "US": "ruralseller.compliance.packs.us:PACK",
}


def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name.upper(): ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def available_rule_packs() -> dict[str, str]:
    """Every installed rule pack: jurisdiction code -> where it comes from.

    Built-in packs win over a third-party pack of the same code, so installing a package
    can never silently replace the rules ruralseller ships.
    """
    found = {code: f"entry point {ep.value}" for code, ep in _entry_points().items()}
    found.update({code: f"built in ({target})" for code, target in _BUILTIN.items()})
    return dict(sorted(found.items()))


@cache
def rule_pack(jurisdiction: str) -> RulePack:
    """The rule pack for ``jurisdiction`` (``CN``, ``EU``, ``US`` or an installed one).

    Raises:
        ComplianceError: when no pack of that code is installed (the message lists those that
            are), or when a pack cannot be loaded or is not a RulePack.
    """
    code = jurisdiction.strip().upper()
    target = _BUILTIN.get(code)
    if target is not None:
        module, _, name = target.partition(":")
        loaded: object = getattr(import_module(module), name)
    else:
        ep = _entry_points().get(code)
        if ep is None:
            known = ", ".join(available_rule_packs())
            raise ComplianceError(
                f"no rule pack for {jurisdiction!r}; installed rule packs: {known}"
            )
        try:
            loaded = ep.load()
        except Exception as exc:
            raise ComplianceError(
                f"the rule pack {code} ({ep.value}) could not be loaded: {exc}"
            ) from exc
        if callable(loaded) and not isinstance(loaded, RulePack):
            loaded = loaded()
    if not isinstance(loaded, RulePack):
        raise ComplianceError(f"the rule pack {code} is a {type(loaded).__name__}, not a RulePack")
    return loaded
