"""The documentation site builds with no warnings (``mkdocs build --strict``).

Strict mode fails on a broken link between pages, a page missing from the navigation, an
anchor that does not exist, and an API reference entry mkdocstrings cannot render; the code
in the pages is run separately, by Sybil (conftest.py).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_site_builds_strictly(tmp_path: Path) -> None:
    if importlib.util.find_spec("mkdocs") is None:
        pytest.fail("mkdocs is not installed: pip install -e '.[test]' (or '.[docs]')")
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed command
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert (tmp_path / "tutorial" / "index.html").is_file()
    reference = (tmp_path / "reference" / "catalog" / "index.html").read_text(encoding="utf-8")
    assert "load_catalog" in reference  # the API reference is generated from docstrings
    assert "&gt;&gt;&gt;" in reference or ">>>" in reference  # examples shown as sessions
