"""A library of hostile inputs for the reliability suite, written or generated here.

Each kind the reliability review found (files we read, catalogues, templates, outboxes,
option values, echoed credentials) has a maker here; :mod:`test_reliability` runs every
CLI command against them. Generated inputs are deterministic (a fixed seed), so a failure
is always reproducible.
"""

from __future__ import annotations

import base64
import os
import random
import shutil
import sqlite3
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import tomli_w

from ruralseller.catalog.samples import sample_path

LOT = "WJ261120A"

# --- files we read ----------------------------------------------------------------------------


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _link(target: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.symlink_to(target)

    return make


def _bytes(data: bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(data)

    return make


def _folder(path: Path) -> None:
    path.mkdir()


#: Ways a data file (catalogue, packaging, carriers) can be hostile, by name.
HOSTILE_FILES: dict[str, Callable[[Path], None]] = {
    "fifo": _fifo,
    "link to /dev/zero": _link("/dev/zero"),
    "link to /dev/urandom": _link("/dev/urandom"),
    "link out of the folder": _link("/etc/passwd"),
    "dangling link": _link("/nonexistent/ruralseller"),
    "a folder": _folder,
    "empty": _bytes(b""),
    "binary": _bytes(bytes(range(256)) * 64),
    "NUL bytes": _bytes(b"format = 1\x00\x00\n[[producers]]\x00"),
    "UTF-16": _bytes("format = 1\n".encode("utf-16")),
    "deep arrays": _bytes(b"format = " + b"[" * 100_000 + b"]" * 100_000),
    "deep inline tables": _bytes(b"x = " + b"{a = " * 3_000 + b"1" + b"}" * 3_000),
    "huge integer": _bytes(b"format = " + b"9" * 5_000),
    "lone surrogate escape": _bytes(b'format = "\\ud800"'),
    "endless line": _bytes(b"# " + b"x" * 3_000_000),
}


# --- catalogues --------------------------------------------------------------------------------


def sample_data() -> dict[str, Any]:
    return tomllib.loads((sample_path() / "catalog.toml").read_text(encoding="utf-8"))


def copy_farm(folder: Path) -> Path:
    shutil.copytree(sample_path(), folder)
    return folder


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _leaves(value, (*path, index))
    else:
        yield path


class _Delete:
    def __repr__(self) -> str:
        return "<deleted>"


_DELETE = _Delete()

#: Values put in place of a catalogue's fields.
HOSTILE_VALUES: tuple[Any, ...] = (
    _DELETE,
    "",
    "\x00",
    "x" * 200_000,
    "乌" * 1_000_000,
    -1,
    2**63 - 1,
    1e308,
    [],
    {},
    True,
    "1e999 kg",
    "-0 °C",
    "2026-02-30",
    "../../../../etc/passwd",
    "\u202eevil",
    [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],
)


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    if value is _DELETE:
        del data[path[-1]]
    else:
        data[path[-1]] = value


def mutated_catalogues(count: int, seed: int = 21) -> list[tuple[str, str]]:
    """``count`` catalogues, each the sample with one field replaced by a hostile value."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test inputs, not secrets
    base = sample_data()
    paths = list(_leaves(base))
    made = []
    for _ in range(count):
        path = rng.choice(paths)
        value = rng.choice(HOSTILE_VALUES)
        data = sample_data()
        _set(data, path, value)
        try:
            text = tomli_w.dumps(data)
        except (TypeError, ValueError):  # a value TOML cannot write: write it as JSON instead
            continue
        made.append((f"{'.'.join(map(str, path))}={str(value)[:20]!r}", text))
    return made


# --- templates -------------------------------------------------------------------------------

#: Partner title templates that try to hang, flood, crash or escape.
HOSTILE_TEMPLATES: tuple[str, ...] = (
    "{% if %}",
    "{{ }}",
    "{% for x in %}",
    "{{ nope.name }}",
    "{{ product.__class__.__mro__[1].__subclasses__() }}",
    "{{ 'x' * 1000000000 }}",
    "{{ 9 ** 99999 }}",
    "{{ 10.0 ** 400 }}",
    "{{ 1 / 0 }}",
    "{{ [1][9] }}",
    "{{ '%999999999d' % 1 }}",
    "{{ 'x' | center(1000000000) }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{% set r = range(99999) %}{% for a in r %}{% for b in r %}{% endfor %}{% endfor %}",
    "{% for a in range(99999) %}{{ 'x' * 99 }}{% endfor %}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{% include 'leak.txt.j2' %}",
    "{% include '../../../../etc/passwd' %}",
    "{% include 'pipe.j2' %}",
    "{% extends 'title.txt.j2' %}",
)


def template_folder(folder: Path, title: str) -> Path:
    (folder / "en").mkdir(parents=True)
    (folder / "zh-CN").mkdir()
    for locale in ("en", "zh-CN"):
        (folder / locale / "title.txt.j2").write_text(title, encoding="utf-8")
    (folder / "en" / "leak.txt.j2").symlink_to("/etc/passwd")
    (folder / "leak.txt.j2").symlink_to("/etc/passwd")
    os.mkfifo(folder / "pipe.j2")
    return folder


# --- outboxes --------------------------------------------------------------------------------


def _truncated(path: Path) -> None:
    from tests.publishing.conftest import draft, picture  # noqa: PLC0415 - test helpers

    from ruralseller.publishing import Outbox  # noqa: PLC0415

    box = Outbox(path)
    for n in range(3):
        box.enqueue("sandbox", draft(f"HEN-{n}"), [picture()])
    box.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _foreign(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (text TEXT)")
    db.commit()
    db.close()


#: Ways an outbox file can be broken, by name.
HOSTILE_OUTBOXES: dict[str, Callable[[Path], None]] = {
    "empty": _bytes(b""),
    "not a database": _bytes(b"<html>hello</html>" * 100),
    "zeros": _bytes(b"\x00" * 8192),
    "truncated": _truncated,
    "another program's database": _foreign,
    "a folder": _folder,
    "fifo": _fifo,
    "link to /dev/null": _link("/dev/null"),
    "link to /dev/zero": _link("/dev/zero"),
}


# --- option values ---------------------------------------------------------------------------

#: Text given to options that take a value.
HOSTILE_TEXT: tuple[str, ...] = (
    "",
    " ",
    "\x00",
    "-1",
    "1e999",
    "9" * 5_000,
    "NaN kg",
    "-40 kg",
    "inf °C",
    "1e308 °C",
    "2026-13-45",
    "9999-12-31T25:61",
    "x" * 100_000,
    "../../../../etc/passwd",
    "乌鸡\u202e",
    "=",
    "A=B=C",
    "WJ261120A=",
    "WJ261120A=1e999 CNY",
    "WJ261120A=-5 CNY",
)


# --- credentials ---------------------------------------------------------------------------

#: Made-up credentials given to adapters; none may appear in any output, log or file.
CREDENTIALS = {
    "client_id": "VillageF-ruralsel-PRD-1a2b3c4d5-6e7f",
    "client_secret": "PRD-a1b2c3d4e5f6-7a8b-9c0d-1e2f-3a4b",
    "refresh_token": "Atzr|IwEBIJ8kQx/Zm+3Q==&refresh#v^1.1",
    "consumer_key": "ck_4f8a6b2c1d9e0f7a3b5c8d2e1f0a9b8c",
    "consumer_secret": "cs_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b",
    "access_token": "shpat_0123456789abcdef0123456789abcdef",
}


def secret_forms(value: str) -> set[str]:
    """Every form a credential may take in text."""
    raw = value.encode()
    forms = {
        value,
        quote(value, safe=""),
        quote_plus(value),
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
    }
    return {form for form in forms if len(form) >= 8}


def basic_forms(user: str, password: str) -> set[str]:
    pair = f"{user}:{password}".encode()
    return {base64.b64encode(pair).decode(), quote(base64.b64encode(pair).decode(), safe="")}


def all_secret_forms() -> set[str]:
    forms = {form for value in CREDENTIALS.values() for form in secret_forms(value)}
    forms -= secret_forms(CREDENTIALS["client_id"])  # an id is not a secret on its own
    forms |= basic_forms(CREDENTIALS["client_id"], CREDENTIALS["client_secret"])
    forms |= basic_forms(CREDENTIALS["consumer_key"], CREDENTIALS["consumer_secret"])
    return forms


def adapter_options(marketplace: str, url: str) -> list[str]:
    """``-o KEY=VALUE`` settings pointing ``marketplace`` at the echo server ``url``."""
    c = CREDENTIALS
    common = {
        "woocommerce": {
            "base_url": url,
            "consumer_key": c["consumer_key"],
            "consumer_secret": c["consumer_secret"],
        },
        "ebay": {
            "base_url": url,
            "token_url": f"{url}/identity/v1/oauth2/token",
            "client_id": c["client_id"],
            "client_secret": c["client_secret"],
            "refresh_token": c["refresh_token"],
            "category_id": "1",
            "merchant_location_key": "farm",
            "fulfillment_policy_id": "1",
            "payment_policy_id": "1",
            "return_policy_id": "1",
            "image_base_url": "https://pictures.example.org/farm",
        },
        "amazon": {
            "seller_id": "A1SELLER",
            "base_url": url,
            "token_url": f"{url}/auth/o2/token",
            "client_id": c["client_id"],
            "client_secret": c["client_secret"],
            "refresh_token": c["refresh_token"],
            "image_base_url": "https://pictures.example.org/farm",
        },
        "shopify": {"shop": "farm", "base_url": url, "access_token": c["access_token"]},
    }[marketplace]
    return [part for key, value in common.items() for part in ("-o", f"{key}={value}")]
