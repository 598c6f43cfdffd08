"""Rules, findings and rule packs: the vocabulary of compliance checks.

A :class:`Rule` is a small policy object: a stable code, a title, the jurisdiction, which
product kinds and seller profiles it concerns, the legal citation and how well that source is
verified, the dates it is in force, and a check. The check looks at one lot in its context and
yields :class:`Issue` values; the engine turns each into a :class:`Finding` that carries the
rule's citation and a severity.

Severity follows the source: only a rule whose source is verified (status ``V``) can block.
A rule built on a partly verified or unverified source warns instead, and says so, because
telling a farmer "you may not sell this" needs a law we have actually read.

Example:
    >>> import datetime as dt
    >>> example = Rule(
    ...     code="XX-EXAMPLE",
    ...     title="Lots need a lot code",
    ...     jurisdiction="XX",
    ...     citation=Citation("Example Act", "Art. 1"),
    ...     status=SourceStatus.VERIFIED,
    ...     severity=Severity.BLOCKING,
    ...     check=lambda ctx: [],
    ...     effective_from=dt.date(2020, 1, 1),
    ... )
    >>> example.in_force_on(dt.date(2019, 12, 31)), example.in_force_on(dt.date(2026, 1, 1))
    (False, True)
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import attrs

from ruralseller.catalog import PRODUCT_KINDS

if TYPE_CHECKING:
    from ruralseller.compliance.context import LotContext

__all__ = [
    "Citation",
    "Finding",
    "Issue",
    "Rule",
    "RulePack",
    "SellerProfile",
    "Severity",
    "SourceStatus",
    "Topic",
]


class Severity(enum.Enum):
    """How much a finding matters. Ordered: blocking > warning > info."""

    BLOCKING = "blocking"
    """It may not be sold like this: fix it before publishing."""
    WARNING = "warning"
    """Probably a problem, or a rule we could not fully verify: check it."""
    INFO = "info"
    """Good to know; nothing to fix."""

    @property
    def rank(self) -> int:
        """2 for blocking, 1 for warning, 0 for info."""
        return {"blocking": 2, "warning": 1, "info": 0}[self.value]


class SourceStatus(enum.Enum):
    """How well the legal source of a rule was verified."""

    VERIFIED = "V"
    """Read in the regulation or an official page."""
    PARTIAL = "P"
    """From a secondary source, or the general rule seen but not the exact article."""
    UNVERIFIED = "U"
    """Background knowledge with no source found: a lead, not a fact."""


class SellerProfile(enum.Enum):
    """Who is selling, as the rules tell sellers apart."""

    FARMER = "farmer"
    """A farmer selling what they raised or grew themselves."""
    COOPERATIVE = "cooperative"
    """A farmers' cooperative selling its members' produce."""
    SMALL_WORKSHOP = "small_workshop"
    """A small food workshop (小作坊) without a full production licence."""
    LICENSED_PLANT = "licensed_plant"
    """A licensed processing or slaughter plant."""
    US_EXEMPT_PRODUCER = "us_exempt_producer"
    """A US producer selling under a Poultry Products Inspection Act exemption."""
    EU_PRIMARY_PRODUCER = "eu_primary_producer"
    """An EU primary producer supplying small quantities directly (Reg. 853/2004 Art. 1(3))."""


class Topic(enum.Enum):
    """What part of selling a rule is about."""

    SLAUGHTER = "slaughter"
    LABELLING = "labelling"
    CLAIMS = "claims"
    LICENCES = "licences"
    EGGS = "eggs"
    STORAGE = "storage"
    SHIPPING = "shipping"


@attrs.frozen
class Citation:
    """Where a rule comes from.

    Attributes:
        instrument: the law, regulation or standard, e.g. ``Reg. (EU) 1169/2011``.
        article: the article, section or clause, e.g. ``Art. 9(1)``.
        url: where the text (or the copy we read) can be found.
    """

    instrument: str
    article: str | None = None
    url: str | None = None

    def __str__(self) -> str:
        return f"{self.instrument} {self.article}" if self.article else self.instrument


@attrs.frozen
class Issue:
    """What a rule's check reports about one lot, before the engine adds the rule's details.

    Attributes:
        message: what is wrong (or worth knowing), naming the values concerned.
        remedy: what to do about it, in plain words.
        field: the path of the field concerned, e.g. ``lots[0].slaughter.facility_licence``.
        severity: a lower severity than the rule's, for a softer case of the same rule.
    """

    message: str
    remedy: str
    field: str | None = None
    severity: Severity | None = None


@attrs.frozen(kw_only=True)
class Finding:
    """One thing a check found: which rule, how serious, why, and what to do.

    Attributes:
        rule: the rule's code, e.g. ``CN-SLAUGHTER-QUARANTINE-CERT``.
        title: the rule's title.
        jurisdiction: where the rule applies (``CN``, ``EU``, ``US``...).
        severity: blocking, warning or info.
        message: what was found.
        remedy: what to do about it.
        citation: the legal source.
        status: how well that source is verified.
        lot: the lot concerned, if any.
        product: the product concerned, if any.
        field: the path of the field concerned, if any.
    """

    rule: str
    title: str
    jurisdiction: str
    severity: Severity
    message: str
    remedy: str
    citation: Citation
    status: SourceStatus
    lot: str | None = None
    product: str | None = None
    field: str | None = None

    @property
    def blocking(self) -> bool:
        """Whether this finding blocks the sale."""
        return self.severity is Severity.BLOCKING


def _known_kinds(
    _instance: object, _attribute: attrs.Attribute[Any], value: frozenset[str]
) -> None:
    unknown = sorted(value - set(PRODUCT_KINDS))
    if unknown:
        raise ValueError(
            f"unknown product kind(s) {unknown} in a rule; use: {', '.join(PRODUCT_KINDS)}"
        )


def _frozenset(value: Iterable[Any]) -> frozenset[Any]:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class Rule:
    """One compliance rule.

    Attributes:
        code: a stable code, e.g. ``CN-SLAUGHTER-QUARANTINE-CERT``; findings carry it.
        title: what the rule requires, in a few words.
        jurisdiction: ``CN``, ``EU``, ``US`` or another code a rule pack uses.
        topic: slaughter, labelling, claims, licences, eggs, storage or shipping.
        kinds: the product kinds it concerns; empty for every kind.
        profiles: the seller profiles it concerns; empty for every profile.
        citation: the legal source.
        status: how well the source is verified; only verified rules can block.
        severity: the severity of a breach when the source is verified.
        check: a function from a lot's context to the issues found.
        effective_from: the first day the rule is in force, if known.
        superseded_on: the first day the rule no longer applies (repealed or replaced).
        note: anything a reader of the rule table should know (e.g. what is unverified).
    """

    code: str
    title: str
    jurisdiction: str
    topic: Topic = Topic.LABELLING
    kinds: frozenset[str] = attrs.field(
        factory=frozenset, converter=_frozenset, validator=_known_kinds
    )
    profiles: frozenset[SellerProfile] = attrs.field(factory=frozenset, converter=_frozenset)
    citation: Citation
    status: SourceStatus
    severity: Severity = Severity.BLOCKING
    check: Callable[[LotContext], Iterable[Issue]] = attrs.field(eq=False, repr=False)
    effective_from: dt.date | None = None
    superseded_on: dt.date | None = None
    note: str = ""

    @property
    def effective_severity(self) -> Severity:
        """The severity a breach gets: blocking only when the source is verified."""
        if self.severity is Severity.BLOCKING and self.status is not SourceStatus.VERIFIED:
            return Severity.WARNING
        return self.severity

    def in_force_on(self, day: dt.date) -> bool:
        """Whether the rule applies on ``day`` (in force, and not yet superseded)."""
        if self.effective_from is not None and day < self.effective_from:
            return False
        return self.superseded_on is None or day < self.superseded_on

    def applies_to(self, kind: str, profile: SellerProfile) -> bool:
        """Whether the rule concerns this product kind and seller profile."""
        return (not self.kinds or kind in self.kinds) and (
            not self.profiles or profile in self.profiles
        )

    def finding(self, issue: Issue, ctx: LotContext) -> Finding:
        """The finding for one issue of this rule, with the rule's citation and severity."""
        severity = self.effective_severity
        if issue.severity is not None and issue.severity.rank < severity.rank:
            severity = issue.severity
        message = issue.message
        downgraded = issue.severity is None or issue.severity is Severity.BLOCKING
        if (
            downgraded
            and self.status is not SourceStatus.VERIFIED
            and self.severity is Severity.BLOCKING
        ):
            message += (
                f" (source status {self.status.value}: not fully verified, so this is a "
                "warning; check the cited text)"
            )
        return Finding(
            rule=self.code,
            title=self.title,
            jurisdiction=self.jurisdiction,
            severity=severity,
            message=message,
            remedy=issue.remedy,
            citation=self.citation,
            status=self.status,
            lot=ctx.lot.id,
            product=ctx.product.id,
            field=issue.field,
        )


def _unique_codes(
    _instance: object, _attribute: attrs.Attribute[Any], value: tuple[Rule, ...]
) -> None:
    seen: set[str] = set()
    for item in value:
        if item.code in seen:
            raise ValueError(f"rule code {item.code!r} appears twice in one rule pack")
        seen.add(item.code)


def _rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class RulePack:
    """The rules of one jurisdiction (or one platform), as data you can list and check with.

    Attributes:
        jurisdiction: the code findings carry, e.g. ``CN``.
        name: a human name, e.g. ``China (mainland)``.
        rules: the rules, each with a unique code.
        description: what the pack covers and what it leaves out.
    """

    jurisdiction: str
    name: str
    rules: tuple[Rule, ...] = attrs.field(converter=_rules, validator=_unique_codes)
    description: str = ""

    def rule(self, code: str) -> Rule:
        """The rule with ``code``."""
        for item in self.rules:
            if item.code == code:
                return item
        raise KeyError(f"no rule {code!r} in the {self.jurisdiction} pack")
