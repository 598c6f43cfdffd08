"""The exception tree drawn in the docs is the one in the code."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import ruralseller.errors

ROOT = Path(__file__).resolve().parents[1]


def _drawn_tree() -> str:
    doc = inspect.getdoc(ruralseller.errors) or ""
    start = doc.index("::\n\n") + 3
    block = doc[start : doc.index("\n\nMessages are written")]
    return "\n".join(line[4:] for line in block.strip("\n").splitlines())


def test_docs_draw_the_same_tree_as_the_module() -> None:
    assert _drawn_tree() in (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")


def test_tree_names_every_exception_with_its_real_parent() -> None:
    tree = _drawn_tree()
    exceptions = {
        name: obj
        for name in ruralseller.errors.__all__
        if isinstance(obj := getattr(ruralseller.errors, name), type) and issubclass(obj, Exception)
    }
    drawn: dict[str, int] = {}
    parents: list[tuple[int, str]] = []
    for line in tree.splitlines():
        match = re.match(r"^([│ ├└─]*)(\w+)", line)
        assert match, line
        depth, name = len(match.group(1)) // 4, match.group(2)
        drawn[name] = depth
        parents = [p for p in parents if p[0] < depth]
        if parents:
            assert issubclass(exceptions[name], exceptions[parents[-1][1]]), name
        parents.append((depth, name))
    assert set(drawn) == set(exceptions)
