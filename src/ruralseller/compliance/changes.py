"""What changes for me: the rules that enter or leave force between two days.

A partner preparing for next year asks which rules start or stop applying to the products
they sell, in the jurisdictions they sell in: :func:`rule_changes` answers from the dates
every rule carries (``effective_from`` and ``superseded_on``).

Example:
    >>> import datetime as dt
    >>> changes = rule_changes(dt.date(2026, 12, 1), dt.date(2027, 12, 31), jurisdictions=["CN"])
    >>> for change in changes:
    ...     print(change.on, change.change, change.rule.code)
    2027-03-16 enters CN-LABEL-NUTRITION-2025
    2027-03-16 enters CN-LABEL-PREPACKAGED-2025
    2027-03-16 leaves CN-LABEL-NUTRITION-2011
    2027-03-16 leaves CN-LABEL-PREPACKAGED-2011
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import attrs

from ruralseller.compliance.registry import available_rule_packs, rule_pack
from ruralseller.compliance.rules import Rule, RulePack
from ruralseller.errors import InvalidValueError

__all__ = ["RuleChange", "rule_changes"]


@attrs.frozen
class RuleChange:
    """One rule entering or leaving force on a day.

    Attributes:
        on: the first day the change holds (the rule's ``effective_from`` or
            ``superseded_on``).
        change: ``enters`` or ``leaves``.
        rule: the rule.
    """

    on: dt.date
    change: Literal["enters", "leaves"]
    rule: Rule

    def to_dict(self) -> dict[str, Any]:
        """The change as plain data (for JSON)."""
        rule = self.rule
        return {
            "on": self.on.isoformat(),
            "change": self.change,
            "rule": rule.code,
            "title": rule.title,
            "jurisdiction": rule.jurisdiction,
            "kinds": sorted(rule.kinds),
            "severity": rule.effective_severity.value,
            "status": rule.status.value,
            "citation": {
                "instrument": rule.citation.instrument,
                "article": rule.citation.article,
                "url": rule.citation.url,
            },
            "note": rule.note,
        }


def rule_changes(
    start: dt.date,
    end: dt.date,
    *,
    jurisdictions: Sequence[str] | None = None,
    kinds: Iterable[str] | None = None,
    packs: Sequence[RulePack] | None = None,
) -> tuple[RuleChange, ...]:
    """The rules that enter or leave force after ``start`` and up to ``end``.

    A rule *enters* on its first day in force and *leaves* on its first day no longer in
    force, so every change listed is one between how the law stands on ``start`` and how it
    stands on ``end``.

    Args:
        start: the first day (the law as it stands that day is the baseline).
        end: the last day, on or after ``start``.
        jurisdictions: the rule packs to look at by code; every installed pack when None.
        kinds: only rules that concern one of these product kinds (rules for every kind
            included); every rule when None.
        packs: rule packs to use instead of looking ``jurisdictions`` up.

    Returns:
        The changes in date order, then jurisdiction and rule code.

    Raises:
        InvalidValueError: when ``end`` is before ``start``.
        ComplianceError: when a jurisdiction has no installed rule pack.
    """
    if end < start:
        raise InvalidValueError(
            f"the period ends ({end}) before it starts ({start})",
            field="end",
            hint="give the earlier day first, e.g. --changes 2026-12-01 2027-12-31",
        )
    if packs is None:
        codes = jurisdictions if jurisdictions is not None else list(available_rule_packs())
        packs = [rule_pack(code) for code in codes]
    wanted = None if kinds is None else frozenset(kinds)
    found: list[RuleChange] = []
    for pack in packs:
        for rule in pack.rules:
            if wanted is not None and rule.kinds and not rule.kinds & wanted:
                continue
            if rule.effective_from is not None and start < rule.effective_from <= end:
                found.append(RuleChange(rule.effective_from, "enters", rule))
            if rule.superseded_on is not None and start < rule.superseded_on <= end:
                found.append(RuleChange(rule.superseded_on, "leaves", rule))
    found.sort(key=lambda c: (c.on, c.rule.jurisdiction, c.change, c.rule.code))
    return tuple(found)
