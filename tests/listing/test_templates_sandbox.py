"""A partner template can neither hang, flood, crash nor read outside its folder."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from ruralseller.catalog import load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.errors import InvalidValueError
from ruralseller.listing import generate_listing

SAMPLE = load_catalog(sample_path())
ON = dt.date(2026, 11, 21)


def _generate(folder: Path, title: str, **files: str) -> str:
    (folder / "en").mkdir(exist_ok=True)
    (folder / "en" / "title.txt.j2").write_text(title, "utf-8")
    for name, text in files.items():
        (folder / "en" / name).write_text(text, "utf-8")
    draft = generate_listing(SAMPLE, "WJ261120A", on=ON, locales=["en"], templates=folder)
    return draft.text("en").title


def _refused(folder: Path, title: str, *words: str, **files: str) -> str:
    started = time.monotonic()
    with pytest.raises(InvalidValueError) as caught:
        _generate(folder, title, **files)
    message = str(caught.value)
    assert time.monotonic() - started < 6, message
    assert "en/title.txt.j2" in message or "en/" in message, message
    for word in words:
        assert word in message, message
    return message


def test_a_template_in_the_folder_still_works(tmp_path: Path) -> None:
    assert _generate(tmp_path, "{{ 'Hen' * 2 }} {{ product.name }}").startswith("HenHen ")


def test_a_syntax_error_names_the_template_and_line(tmp_path: Path) -> None:
    _refused(tmp_path, "ok\n{% if product.name %}\nno end", "line", "syntax error")


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("{{ 'x' * 1000000000 }}", ("limit",)),
        ("{{ 'x' * 10 ** 9 }}", ("limit",)),
        ("{{ 9 ** 99999 }}", ("limit",)),
        ("{{ (9 ** 999) ** 999 }}", ("limit",)),
        ("{{ '%999999999d' % 1 }}", ("limit",)),
        ("{{ 'x' | center(1000000000) }}", ("limit",)),
        ("{{ 'x'.center(1000000000) }}", ("limit",)),
        ("{{ '{:>999999999}'.format(1) }}", ("limit",)),
        ("{% for a in range(99999) %}{% for b in range(99999) %}x{% endfor %}{% endfor %}", ()),
        (
            "{% set r = range(99999) %}{% for a in r %}{% for b in r %}{% endfor %}{% endfor %}",
            ("longer than",),
        ),
        ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", ()),
        ("{{ 10.0 ** 400 }}", ()),
        ("{{ 1 / 0 }}", ("ZeroDivisionError",)),
        ("{{ [1][5] }}", ()),
        ("{{ product.__class__ }}", ()),
        ("{{ range.__globals__ }}", ()),
        ("{{ nope.name }}", ("not there",)),
    ],
)
def test_a_hostile_template_is_a_clear_error(tmp_path: Path, title: str, words: tuple[str]) -> None:
    message = _refused(tmp_path, title, *words)
    assert "Traceback" not in message


def test_a_link_out_of_the_folder_cannot_be_included(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("root:x:0:0:secret", "utf-8")
    folder = tmp_path / "templates"
    (folder / "en").mkdir(parents=True)
    (folder / "en" / "leak.txt.j2").symlink_to(outside)
    message = _refused(folder, "{% include 'en/leak.txt.j2' %}", "outside its folder")
    assert "root:x" not in message
    (folder / "en" / "title.txt.j2").unlink()
    (folder / "en" / "title.txt.j2").symlink_to(outside)
    with pytest.raises(InvalidValueError, match="outside its folder"):
        generate_listing(SAMPLE, "WJ261120A", on=ON, locales=["en"], templates=folder)


def test_a_path_out_of_the_folder_is_not_found(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (tmp_path / "secret.j2").write_text("secret", "utf-8")
    message = _refused(folder, "{% include '../secret.j2' %}")
    assert "secret" not in message.replace("secret.j2", "")


def test_a_fifo_template_is_refused_at_once(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    os.mkfifo(tmp_path / "en" / "pipe.j2")
    _refused(tmp_path, "{% include 'en/pipe.j2' %}", "named pipe")


def test_a_flood_of_output_is_stopped(tmp_path: Path) -> None:
    _refused(tmp_path, "{% for a in range(99999) %}{{ 'x' * 99 }}{% endfor %}", "more than")
