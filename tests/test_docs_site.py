"""The documentation site builds with no warnings (``mkdocs build --strict``).

Strict mode fails on a broken link between pages, a page missing from the navigation, an
anchor that does not exist, and an API reference entry mkdocstrings cannot render; the code
in the pages is run separately, by Sybil (conftest.py).
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


ROLE = re.compile(r":(?:py:)?(?:class|func|meth|attr|mod|exc|data|obj|const):(?:<code>|`)")
"""A Sphinx role left raw in a page, as Markdown renders it (``:class:<code>Lot</code>``)."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once for the tests of this module."""
    if importlib.util.find_spec("mkdocs") is None:
        pytest.fail("mkdocs is not installed: pip install -e '.[test]' (or '.[docs]')")
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed command
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return out


def test_the_site_builds_strictly(site: Path) -> None:
    assert (site / "tutorial" / "index.html").is_file()
    reference = (site / "reference" / "catalog" / "index.html").read_text(encoding="utf-8")
    assert "load_catalog" in reference  # the API reference is generated from docstrings
    assert "&gt;&gt;&gt;" in reference or ">>>" in reference  # examples shown as sessions


def test_the_reference_shows_no_raw_sphinx_role(site: Path) -> None:
    raw = {
        str(page.relative_to(site)): len(ROLE.findall(page.read_text(encoding="utf-8")))
        for page in site.rglob("*.html")
    }
    assert {page: count for page, count in raw.items() if count} == {}


def test_roles_became_links_to_the_reference(site: Path) -> None:
    page = (site / "reference" / "traceability" / "index.html").read_text(encoding="utf-8")
    # ":func:`events_for_lot`" in the package's docstring: a link on the same page...
    assert re.search(
        r'<a class="autorefs autorefs-internal"[^>]* href="#ruralseller\.traceability\.'
        r'events_for_lot"><code>events_for_lot\(\)</code></a>',
        page,
    )
    # ...and ":func:`~ruralseller.coldchain.plan_shipment`": a link to another page.
    assert re.search(
        r'href="\.\./coldchain/#ruralseller\.coldchain\.plan_shipment"><code>plan_shipment\(\)',
        page,
    )
    links = sum(
        page.read_text(encoding="utf-8").count('class="autorefs autorefs-internal"')
        for page in (site / "reference").rglob("*.html")
    )
    assert links > 600  # 492 from signatures and types alone, before the roles were links
