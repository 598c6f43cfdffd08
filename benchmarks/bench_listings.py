"""Preparing many lots for a marketplace: listing texts with templates compiled once.

``prepare_listings`` writes each lot's texts from Jinja2 templates (four per locale, two
locales for the sandbox marketplace). Compiling a template costs far more than rendering it,
and before issue 25's second pass every lot compiled its eight templates again. This
benchmark prepares 10, 100 and 300 lots of a generated catalogue (``bench_catalog.py``'s,
lots without pictures: pictures are ``bench_picture_cache.py``'s) for the sandbox marketplace,
side by side in one run, alternating which row goes first:

* ``fresh``: the kept environments are dropped after every lot, so each lot compiles its
  templates again, as before;
* ``kept``: as ``prepare_listings`` runs now, templates compiled once per process;
* ``kept, partner folder``: the same with a partner template folder overriding one template
  (its files' times and sizes are looked at for every lot, so an edit is seen at once).

It prints CPU seconds for each run and per lot, fresh over each row, and whether every row
made the same drafts. Per lot, ``kept`` should stay flat as lots grow. Nothing is asserted.

    .venv/bin/python benchmarks/bench_listings.py [--quick] [--lots 10,100,300]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_catalog import CHECK_DAY, catalogue_text

from ruralseller.catalog import Catalog, loads_catalog
from ruralseller.listing import PrepareProgress, prepare_listings
from ruralseller.listing import generate as generate_module

FULL_LOTS = (10, 100, 300)
QUICK_LOTS = (10, 30)
PARTNER_TITLE = "{{ product.name }} {{ piece_mass or '' }} {{ lot.id }}\n"


def _forget(update: PrepareProgress) -> None:
    """After each lot, drop the kept environments (the code before keeping them, if any)."""
    kept = getattr(generate_module, "_environments", None)
    if update.step == "lot" and kept is not None:
        kept.clear()


def _run(
    catalog: Catalog,
    ids: list[str],
    *,
    templates: Path | None = None,
    progress: Callable[[PrepareProgress], None] | None = None,
) -> tuple[float, object]:
    kept = getattr(generate_module, "_environments", None)
    if kept is not None:
        kept.clear()  # every row starts cold: its first lot compiles
    start = time.process_time()
    prepared = prepare_listings(
        catalog, ids, "sandbox", on=CHECK_DAY, templates=templates, progress=progress
    )
    seconds = time.process_time() - start
    return seconds, [lot.draft for lot in prepared.lots]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"lots: {QUICK_LOTS}")
    parser.add_argument("--lots", help="comma-separated lot counts, e.g. 10,100,300")
    args = parser.parse_args()
    counts = (
        tuple(int(n) for n in args.lots.split(","))
        if args.lots
        else (QUICK_LOTS if args.quick else FULL_LOTS)
    )
    catalog = loads_catalog(catalogue_text(int(max(counts) * 1.25) + 10))
    offered = [lot.id for lot in catalog.lots if catalog.offer_for(lot.id) is not None]
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; load average "
        f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}; sandbox profile, locales zh-CN "
        f"and en; {len(catalog.lots)} lots in the catalogue\n"
    )
    head = f"{'lots':>5} {'row':<22} {'CPU s':>7} {'ms / lot':>9} {'fresh/x':>8} {'same':>5}"
    print(head)
    print("-" * len(head))
    # Imports, translations, babel's data and the pack plan of each product are made once
    # per process whatever the templates cost: made here, before anything is measured.
    _run(catalog, offered[: max(counts)])
    with tempfile.TemporaryDirectory(prefix="bench-listings-") as tmp:
        partner = Path(tmp)
        (partner / "en").mkdir()
        (partner / "en" / "title.txt.j2").write_text(PARTNER_TITLE, "utf-8")
        for number, count in enumerate(counts):
            ids = offered[:count]
            rows: list[tuple[str, Callable[[], tuple[float, object]]]] = [
                ("fresh", lambda ids=ids: _run(catalog, ids, progress=_forget)),
                ("kept", lambda ids=ids: _run(catalog, ids)),
            ]
            if number % 2:
                rows.reverse()
            rows.append(
                ("kept, partner folder", lambda ids=ids: _run(catalog, ids, templates=partner))
            )
            results = {name: run() for name, run in rows}
            fresh_seconds, fresh_drafts = results["fresh"]
            for name in ("fresh", "kept", "kept, partner folder"):
                seconds, drafts = results[name]
                same = "" if name == "kept, partner folder" else str(drafts == fresh_drafts).lower()
                print(
                    f"{count:>5} {name:<22} {seconds:>7.2f} {seconds / count * 1000:>9.1f} "
                    f"{fresh_seconds / seconds:>7.1f}× {same:>5}"
                )
    print(
        f"\nload average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}. "
        "same: every draft equal to fresh's (the partner row writes another English title)."
    )


if __name__ == "__main__":
    main()
