"""The repository stands alone: nothing in it reads or cites the project's notes folder.

The notes folder (kept beside the repository while the project is developed) is not part of a
clone. Code that reads it fails on a fresh clone; a citation of it sends a reader to a file
they do not have. Facts are cited from their original source (URL, document, article), and
the official specs the tests check against live in ``tests/specs/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("src", "tests", "docs", "examples", "benchmarks", "scripts", ".ci")
FILES = ("README.md", "CHANGELOG.md", "pyproject.toml", "mkdocs.yml", "conftest.py")
# Verbatim copies of official documents: their text is theirs, not ours.
VERBATIM = ROOT / "tests" / "specs"
SUFFIXES = {".py", ".md", ".toml", ".txt", ".yml", ".yaml", ".json", ".cfg", ".ini", ".sh", ""}

# Written in pieces so this file does not match itself.
_NOTES = "sha" + "red"
_RESEARCH = "rese" + "arch"
PATTERNS = (
    re.compile(rf"\.\./{_NOTES}\b"),
    re.compile(rf"\b{_NOTES}/(specs|{_RESEARCH}|tools|hooks)\b"),
    re.compile(rf"\b{_NOTES} notes\b", re.IGNORECASE),
    re.compile(rf"\b{_RESEARCH}/\w+\.md\b"),
    re.compile(rf"\b{_RESEARCH} (§|notes\b)", re.IGNORECASE),
    re.compile(rf"\b{_NOTES}\W+{_NOTES}/", re.IGNORECASE),
    re.compile(r"parents\[3\]\s*/\s*\"" + _NOTES),
)


def _files() -> list[Path]:
    found = [ROOT / name for name in FILES if (ROOT / name).is_file()]
    for folder in FOLDERS:
        found.extend(
            path
            for path in sorted((ROOT / folder).rglob("*"))
            if path.is_file()
            and path.suffix in SUFFIXES
            and VERBATIM not in path.parents
            and ".venv" not in path.parts
            and "__pycache__" not in path.parts
        )
    return found


def test_the_scan_covers_the_repository() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in _files()}
    assert "src/ruralseller/catalog/product.py" in names
    assert "docs/index.md" in names
    assert "tests/marketplaces/specs.py" in names


@pytest.mark.parametrize(
    "line",
    [
        'SPECS = Path(__file__).parents[3] / "' + _NOTES + '" / "specs"',
        "see ../" + _NOTES + "/specs/ebay/SOURCE.txt",
        "(" + _RESEARCH + "/coldchain.md §2.1)",
        "as the " + _RESEARCH + " notes say",
        "(" + _RESEARCH + " §4)",
        "ARCHITECTURE.md of the project's " + _NOTES + " notes",
    ],
)
def test_each_way_of_citing_the_notes_is_caught(line: str) -> None:
    assert any(pattern.search(line) for pattern in PATTERNS)


def test_nothing_reads_or_cites_the_notes_folder() -> None:
    problems = []
    for path in _files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if any(pattern.search(line) for pattern in PATTERNS):
                where = path.relative_to(ROOT).as_posix()
                problems.append(f"{where}:{number}: {line.strip()[:120]}")
    assert not problems, (
        "these lines read or cite the notes folder, which a clone does not have; cite the "
        "original source (URL, document, article) or copy the spec into tests/specs/:\n"
        + "\n".join(problems)
    )
