"""May these lots be sold in China, the EU and the US? And what if the farm were in Missouri?

What it shows: one compliance check of the whole catalogue against the built-in CN, EU and US
rule packs, summarised per lot and jurisdiction; then the same farm "moved" to a US state
with ``attrs.evolve`` (catalogue values are immutable: you change a copy), which brings the
US rules for US producers into play, and the two changes that clear them.

Key steps:
    1. ``check(catalog, jurisdictions=["CN", "EU", "US"], on=...)`` returns one report;
    2. ``report.for_lot(lot_id)`` and each finding's ``jurisdiction`` and ``severity`` give the
       compact table; ``blocking`` must be fixed, ``warning`` checked, ``info`` is advice;
    3. ``attrs.evolve`` a producer with a US place and re-check against US rules;
    4. add a PPIA 1,000-bird exemption and keep the eggs cool, and check again.

Assumptions: the check day is fixed (2026-11-21) because rules have dates in force. No buyer
destination is given, so rules that need one (imports, shipping) skip; the US rules for US
producers apply only once the farm is in the US. This is not legal advice: each finding cites
its source. The Missouri address and exemption record are made up.

Run it:  python examples/check_three_jurisdictions.py [OUTPUT_FOLDER]
(the reports are written there as Markdown; without a folder, to a new temporary folder).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

import attrs

from ruralseller.catalog import Licence, LicenceKind, Place, StorageClass, load_catalog
from ruralseller.compliance import Report, check

CATALOGUE = Path(__file__).resolve().parent / "black-chickens"
TODAY = dt.date(2026, 11, 21)
JURISDICTIONS = ["CN", "EU", "US"]


def cell(report: Report, lot_id: str, jurisdiction: str) -> str:
    """One lot in one jurisdiction: 'ok' or 'BLOCKED', with blocking/warning/info counts."""
    findings = [f for f in report.for_lot(lot_id) if f.jurisdiction == jurisdiction]
    counts = [sum(f.severity.value == s for f in findings) for s in ("blocking", "warning", "info")]
    verdict = "BLOCKED" if counts[0] else "ok"
    return f"{verdict} {counts[0]}/{counts[1]}/{counts[2]}"


def print_table(report: Report, lot_ids: list[str], jurisdictions: list[str]) -> None:
    print((f"{'lot':<10}" + "".join(f"{j:<14}" for j in jurisdictions)).rstrip())
    for lot_id in lot_ids:
        row = f"{lot_id:<10}" + "".join(f"{cell(report, lot_id, j):<14}" for j in jurisdictions)
        print(row.rstrip())


def print_blocking(report: Report) -> None:
    for finding in report.blocking:
        print(f"  {finding.lot} {finding.rule}: {finding.message}")


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="ruralseller-"))
    out.mkdir(parents=True, exist_ok=True)
    catalog = load_catalog(CATALOGUE)
    lot_ids = [lot.id for lot in catalog.lots]

    # 1. The farm as it is, in Jiangxi.
    report = check(catalog, jurisdictions=JURISDICTIONS, on=TODAY)
    print(f"Wu family farm in {catalog.producers[0].place} (blocking/warnings/info):")
    print_table(report, lot_ids, JURISDICTIONS)
    print("(US: no US buyer and no US producer, so the US rules find nothing to judge yet)")
    (out / "report-cn-eu-us.md").write_text(report.to_markdown(), encoding="utf-8")

    # 2. The same farm in Missouri. Only the producer's place changes; everything else, the
    #    county plant's licence included, stays as it was.
    farm = catalog.producers[0]
    in_missouri = attrs.evolve(
        farm, place=Place(country="US", province="Missouri", county="Boone County")
    )
    moved = attrs.evolve(catalog, producers=[in_missouri])
    us_report = check(moved, jurisdictions=["US"], on=TODAY)
    print("\nThe same farm in Missouri, US rules:")
    print_table(us_report, lot_ids, ["US"])
    print_blocking(us_report)

    # 3. What clears it: a small grower may slaughter its own birds under the PPIA
    #    producer/grower 1,000-bird exemption (the scope says which exemption), and US shell
    #    eggs must be kept at 45 °F (7.2 °C) or colder, the "cool" storage class.
    exemption = Licence(
        kind=LicenceKind.US_PPIA_EXEMPTION,
        number="MO-PPIA-2026-0042",
        issuer="Missouri Department of Agriculture",
        valid_from=dt.date(2026, 1, 1),
        scope="1,000",
    )
    exempt_farm = attrs.evolve(in_missouri, licences=[*in_missouri.licences, exemption])
    chicken, eggs, *others = catalog.products
    cool_eggs = attrs.evolve(eggs, storage=StorageClass.COOL)
    fixed = attrs.evolve(moved, producers=[exempt_farm], products=[chicken, cool_eggs, *others])
    fixed_report = check(fixed, jurisdictions=["US"], on=TODAY)
    print("\nWith a PPIA 1,000-bird exemption and eggs kept cool:")
    print_table(fixed_report, lot_ids, ["US"])
    (out / "report-us-missouri.md").write_text(fixed_report.to_markdown(), encoding="utf-8")
    print(f"\nUS verdict in Missouri: {'ok' if fixed_report.ok else 'still blocked'}")
    print(f"Reports are in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
