"""Checking a catalogue against rule packs, and the report that comes back.

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> report = check(load_catalog(sample_path()), jurisdictions=["CN"], on=dt.date(2026, 11, 21))
    >>> report.ok, len(report.blocking)
    (True, 0)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs

from ruralseller.catalog import Catalog
from ruralseller.compliance.context import LotContext, Sale
from ruralseller.compliance.freshness import freshness_rules
from ruralseller.compliance.registry import rule_pack
from ruralseller.compliance.rules import Finding, Issue, Rule, RulePack, Severity, SourceStatus

__all__ = ["REPORT_FORMAT", "Report", "check"]

REPORT_FORMAT = "ruralseller.compliance-report/1"
"""The ``format`` of the JSON report; it changes only when the JSON shape does."""


@attrs.frozen(kw_only=True)
class Report:
    """What a compliance check found, lot by lot.

    Iterate over it for every finding (lot by lot, the most serious first).

    Attributes:
        findings: every finding.
        jurisdictions: the jurisdictions checked.
        on: the day the check was for.
        lots: the lots checked, in catalogue order.
        rules_applied: how many (rule, lot) checks ran.
    """

    findings: tuple[Finding, ...]
    jurisdictions: tuple[str, ...]
    on: dt.date
    lots: tuple[str, ...]
    rules_applied: int = 0

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    @property
    def blocking(self) -> tuple[Finding, ...]:
        """The findings that block the sale."""
        return tuple(f for f in self.findings if f.severity is Severity.BLOCKING)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings to check."""
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def infos(self) -> tuple[Finding, ...]:
        """The findings that are only good to know."""
        return tuple(f for f in self.findings if f.severity is Severity.INFO)

    @property
    def ok(self) -> bool:
        """True when nothing blocks."""
        return not self.blocking

    def for_lot(self, lot_id: str) -> tuple[Finding, ...]:
        """The findings about one lot."""
        return tuple(f for f in self.findings if f.lot == lot_id)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data, in the documented JSON shape (``REPORT_FORMAT``)."""
        return {
            "format": REPORT_FORMAT,
            "on": self.on.isoformat(),
            "jurisdictions": list(self.jurisdictions),
            "lots": list(self.lots),
            "summary": {
                "ok": self.ok,
                "blocking": len(self.blocking),
                "warnings": len(self.warnings),
                "info": len(self.infos),
            },
            "findings": [_finding_dict(f) for f in self.findings],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON text (see :meth:`to_dict`)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_text(self) -> str:
        """The report as plain text, grouped by lot, for a terminal or a log."""
        return "\n".join(_lines(self, markdown=False)) + "\n"

    def to_markdown(self) -> str:
        """The report as Markdown, grouped by lot, for a ticket or a web page."""
        return "\n".join(_lines(self, markdown=True)) + "\n"


def _finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "title": finding.title,
        "jurisdiction": finding.jurisdiction,
        "severity": finding.severity.value,
        "message": finding.message,
        "remedy": finding.remedy,
        "citation": {
            "instrument": finding.citation.instrument,
            "article": finding.citation.article,
            "url": finding.citation.url,
        },
        "status": finding.status.value,
        "lot": finding.lot,
        "product": finding.product,
        "field": finding.field,
    }


_MARK = {Severity.BLOCKING: "BLOCKING", Severity.WARNING: "warning", Severity.INFO: "info"}


def _summary(report: Report) -> str:
    verdict = "nothing blocks the sale" if report.ok else "the sale is blocked"
    return (
        f"{verdict}: {len(report.blocking)} blocking, {len(report.warnings)} "
        f"warning{'' if len(report.warnings) == 1 else 's'}, {len(report.infos)} info "
        f"({', '.join(report.jurisdictions)}, {report.on.isoformat()})"
    )


def _lines(report: Report, *, markdown: bool) -> list[str]:
    lines = [f"# Compliance report: {_summary(report)}" if markdown else _summary(report)]
    for lot in report.lots:
        findings = report.for_lot(lot)
        head = f"lot {lot}: " + ("no findings" if not findings else f"{len(findings)} finding(s)")
        lines += ["", f"## {head}" if markdown else head]
        for finding in findings:
            mark = _MARK[finding.severity]
            where = f" [{finding.field}]" if finding.field else ""
            if markdown:
                lines.append(f"- **{mark}** `{finding.rule}`{where}: {finding.message}")
                lines.append(f"  - what to do: {finding.remedy}")
                lines.append(f"  - source: {finding.citation} (status {finding.status.value})")
            else:
                lines.append(f"  {mark:<8} {finding.rule}{where}")
                lines.append(f"           {finding.message}")
                lines.append(f"           what to do: {finding.remedy}")
                lines.append(
                    f"           source: {finding.citation} (status {finding.status.value})"
                )
    return lines


def _sort_key(finding: Finding, lot_order: dict[str, int]) -> tuple[int, int, str, str]:
    return (
        lot_order.get(finding.lot or "", -1),
        -finding.severity.rank,
        finding.rule,
        finding.field or "",
    )


def _run(rule: Rule, ctx: LotContext) -> list[Finding]:
    try:
        issues: Iterable[Issue] = list(rule.check(ctx))
    except Exception as exc:  # noqa: BLE001 - a broken rule must not stop the whole check
        return [
            Finding(
                rule=rule.code,
                title=rule.title,
                jurisdiction=rule.jurisdiction,
                severity=Severity.WARNING,
                message=f"the rule could not be checked: {type(exc).__name__}: {exc}",
                remedy="check this point by hand, and report the error to the rule pack's authors",
                citation=rule.citation,
                status=SourceStatus.UNVERIFIED,
                lot=ctx.lot.id,
                product=ctx.product.id,
            )
        ]
    return [rule.finding(issue, ctx) for issue in issues]


def check(  # noqa: PLR0913 - every argument but the catalogue is keyword-only
    catalog: Catalog,
    *,
    jurisdictions: Sequence[str] = ("CN",),
    lots: Sequence[str] | None = None,
    on: dt.date | None = None,
    sale: Sale | None = None,
    packs: Sequence[RulePack] | None = None,
) -> Report:
    """Check lots of a catalogue against the rules of one or more jurisdictions.

    Args:
        catalog: the catalogue.
        jurisdictions: the rule packs to apply by code (``CN``, ``EU``, ``US``, or any
            installed pack).
        lots: the lot ids to check; all lots when None.
        on: the day to check for (rules not in force that day are skipped); today if None.
        sale: where and how the lots are sold (destination, transport, listing texts).
        packs: rule packs to use instead of looking ``jurisdictions`` up.

    Returns:
        A :class:`Report`; ``report.ok`` is True when nothing blocks.

    Raises:
        ComplianceError: when a jurisdiction has no installed rule pack.
        NotInCatalogError: when a lot id is not in the catalogue.
    """
    day = on or dt.datetime.now(dt.UTC).date()
    chosen = list(packs) if packs is not None else [rule_pack(code) for code in jurisdictions]
    lot_ids = list(lots) if lots is not None else [lot.id for lot in catalog.lots]
    for lot_id in lot_ids:
        catalog.lot(lot_id)  # an unknown id is an error, before any work is done
    findings: list[Finding] = []
    applied = 0
    for pack in chosen:
        # The date on the label bounds the sale in every jurisdiction (freshness.py).
        in_force = [
            rule
            for rule in (*pack.rules, *freshness_rules(pack.jurisdiction))
            if rule.in_force_on(day)
        ]
        for lot_id in lot_ids:
            ctx = LotContext.of(catalog, lot_id, jurisdiction=pack.jurisdiction, on=day, sale=sale)
            for rule in in_force:
                if not rule.applies_to(ctx.product.kind, ctx.profile):
                    continue
                applied += 1
                findings += _run(rule, ctx)
    order = {lot_id: index for index, lot_id in enumerate(lot_ids)}
    findings.sort(key=lambda f: _sort_key(f, order))
    return Report(
        findings=tuple(findings),
        jurisdictions=tuple(pack.jurisdiction for pack in chosen),
        on=day,
        lots=tuple(lot_ids),
        rules_applied=applied,
    )
