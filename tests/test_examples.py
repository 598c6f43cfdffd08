"""Every example runs: each ``examples/*.py`` as a partner would run it, and every catalogue."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ruralseller.catalog import CATALOG_FILE, load_catalog

EXAMPLES = Path(__file__).parents[1] / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))
CATALOGUES = sorted(path.parent for path in EXAMPLES.glob(f"*/{CATALOG_FILE}"))
TIMEOUT = 60  # seconds per script; each takes a few seconds

# For each script: lines its output must contain, and files it must write to its folder.
EXPECTED: dict[str, tuple[list[str], list[str]]] = {
    "list_black_chickens.py": (
        [
            "CN compliance: ok",
            "✓ 广州市",
            "Listing: listing-sandbox/ (meets",
            "5 events",
            "Published: WJ261120A published at http://127.0.0.1:",
        ],
        [
            "label-WJ261120A-1.3kg.png",
            "listing-sandbox/preview.html",
            "WJ261120A.epcis.jsonld",
            "outbox.db",
        ],
    ),
    "bulk_publish_and_resume.py": (
        [
            "60 listings to publish",
            "Interrupted after 25 listings",
            "Outbox after resuming: {'published': 60}",
            "Marketplace holds 60 listings for 60 SKUs",
            "After the price change: 30 stock_and_price, 30 unchanged",
        ],
        ["outbox.db"],
    ),
    "custom_adapter.py": (
        [
            "WJ261123A: published https://shop.taihe-coop.example/p/",
            "Publishing again: ['unchanged', 'unchanged']",
            "The co-op shop holds 2 products: WE261118, WJ261123A",
            "(the first create's answer was lost: True)",
        ],
        ["outbox.db"],
    ),
    "check_three_jurisdictions.py": (
        ["BLOCKED 1/", "US-POULTRY-FSIS-INSPECTION", "US verdict in Missouri: ok"],
        ["report-cn-eu-us.md", "report-us-missouri.md"],
    ),
    "plan_cold_chain.py": (
        ["of 100 cities reachable", "广东省: 10 of 10", "Chart: WJ261120A-to-guangzhou.png"],
        ["WJ261120A-to-guangzhou.png", "plan.json"],
    ),
    "print_labels.py": (
        ["(01)99526000160017(10)WJ261120A", "Safe Handling Instructions"],
        [
            f"label-{name}.{ext}"
            for name in ("WJ261120A-CN-zh", "WE261118-US-en")
            for ext in ("png", "pdf")
        ],
    ),
    "eggs_and_smoked_meat.py": (
        ["no coolant", "✓ ambient-express", "CN-SMALL-WORKSHOP-ONLINE"],
        ["TL261115-to-urumqi.json"],
    ),
}


def test_every_example_has_expectations() -> None:
    """A new example gets its key lines here, so the test below checks more than exit 0."""
    assert sorted(EXPECTED) == [script.name for script in SCRIPTS]


@pytest.mark.parametrize("script", SCRIPTS, ids=[script.name for script in SCRIPTS])
def test_example_runs(script: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    # Run from an unrelated folder: scripts find their catalogues relative to themselves.
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "MPLBACKEND": "Agg"}
    result = subprocess.run(  # noqa: S603 - our own script, run with this interpreter
        [sys.executable, str(script), str(out)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines, files = EXPECTED[script.name]
    for line in lines:
        assert line in result.stdout, f"{line!r} not in the output:\n{result.stdout}"
    for name in files:
        assert (out / name).is_file(), f"{script.name} did not write {name}"


@pytest.mark.parametrize("folder", CATALOGUES, ids=[folder.name for folder in CATALOGUES])
def test_example_catalogue_is_valid(folder: Path) -> None:
    """What `ruralseller validate` checks: every catalogue folder under examples/ loads."""
    catalog = load_catalog(folder)
    assert catalog.lots
    assert all(catalog.offer_for(lot.id) is not None for lot in catalog.lots)


def test_the_smoked_meat_catalogue_is_there() -> None:
    assert {folder.name for folder in CATALOGUES} >= {"black-chickens", "smoked-meat"}
