"""Every ``ruralseller`` command named anywhere a user reads one exists and shows its help.

The places: docs/**/*.md and README.md (in backticks, after ``$ `` or as a line of a code
block), and the source's messages, hints and docstrings (in backticks or parentheses).
This found a hint naming ``ruralseller compliance report``, which never existed.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ruralseller.cli._app import COMMANDS, cli

ROOT = Path(__file__).resolve().parents[2]

# `ruralseller check`, $ ruralseller plan: a command's words; in the source's messages also
# (ruralseller check), as hints write it.
_NAMED = re.compile(r"(?:`|\$ )ruralseller((?: [a-z][a-z0-9-]*)+)")
_IN_PARENTHESES = re.compile(r"\(ruralseller((?: [a-z][a-z0-9-]*)+)")
_FENCE = re.compile(r"^```.*?$(.*?)^```", re.MULTILINE | re.DOTALL)
_LINE = re.compile(r"^\s*(?:\$ )?ruralseller((?: [a-z][a-z0-9-]*)+)", re.MULTILINE)


def _sources() -> list[Path]:
    return sorted(
        [
            ROOT / "README.md",
            *(ROOT / "docs").rglob("*.md"),
            *(ROOT / "src" / "ruralseller").rglob("*.py"),
        ]
    )


def named_commands() -> dict[tuple[str, ...], str]:
    """Each command named (its first two words at most) and one file that names it."""
    found: dict[tuple[str, ...], str] = {}
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        matches = list(_NAMED.finditer(text))
        if path.suffix == ".py":
            matches += _IN_PARENTHESES.finditer(text)
        if path.suffix == ".md":
            for block in _FENCE.finditer(text):
                matches += _LINE.finditer(block.group(1))
        for match in matches:
            words = tuple(match.group(1).split()[:2])
            found.setdefault(words, str(path.relative_to(ROOT)))
    return found


def _command_path(words: tuple[str, ...]) -> list[str]:
    """The words that name a command: a group's subcommand when the group has one so named."""
    command = cli.get_command(click.Context(cli), words[0])
    if command is None:
        return list(words)  # not a command: --help fails, and the test says where it is named
    if isinstance(command, click.Group):
        return list(words)  # a group's word that is not one of its commands fails below
    return [words[0]]


NAMED = named_commands()


def test_the_scan_finds_commands() -> None:
    """The scan is not empty: it sees the commands the README walks through."""
    first = {words[0] for words in NAMED}
    assert {"init", "validate", "check", "publish", "sync", "orders"} <= first


@pytest.mark.parametrize("words", sorted(NAMED), ids=" ".join)
def test_every_named_command_shows_its_help(words: tuple[str, ...]) -> None:
    path = _command_path(words)
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, (
        f"{NAMED[words]} names `ruralseller {' '.join(words)}`, which does not exist: "
        f"{result.output}"
    )
    assert "Usage:" in result.output


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_registered_and_loads(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert isinstance(command, click.Command)
    assert name in cli.list_commands(click.Context(cli))
