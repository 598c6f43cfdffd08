"""`ruralseller db` and every store-naming option with a PostgreSQL URL as well as a file."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli
from ruralseller.publishing import outbox as outbox_module
from ruralseller.sandbox import create_app, running

LOT = "WJ261120A"
ON = ("--on", "2026-11-21")


@pytest.fixture
def farm(tmp_path: Path) -> Path:
    folder = tmp_path / "farm"
    shutil.copytree(sample_path(), folder)
    return folder


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_db_status_and_upgrade_of_a_file(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    code, output = invoke("db", "status", str(path))
    assert (code, "there is no store here" in output) == (2, True)
    with sqlite3.connect(path) as old:  # an outbox from before schema steps and leases
        old.executescript(outbox_module._SCHEMA.replace("    lease_owner TEXT,\n", ""))
    old.close()
    code, output = invoke("db", "status", str(path))
    assert code == 1, output
    assert "to upgrade" in output
    code, output = invoke("db", "upgrade", str(path))
    assert code == 0, output
    assert "upgraded from step 0" in output
    code, output = invoke("db", "status", str(path))
    assert (code, "up to date" in output) == (0, True)
    assert "not made yet" in output  # the order tables: made by the first orders command


def test_db_answers_as_json(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    code, output = invoke("db", "upgrade", str(path), "--format", "json")
    assert code == 0, output
    document = json.loads(output)
    assert document["format"] == "ruralseller.db.upgrade/1"
    parts = {part["part"]: part for part in document["parts"]}
    assert parts["outbox"]["state"] == "upgraded"
    assert parts["outbox"]["step"] == parts["outbox"]["latest"]
    assert parts["orders"] == {
        "part": "orders",
        "step": None,
        "latest": parts["orders"]["latest"],
        "state": "not made",
        "from": None,
    }
    code, output = invoke("db", "status", str(path), "--format", "json")
    assert code == 0, output
    assert [p["state"] for p in json.loads(output)["parts"]] == ["up to date", "not made"]


def test_db_status_refuses_a_folder(tmp_path: Path) -> None:
    code, output = invoke("db", "status", str(tmp_path))
    assert code == 2
    assert "is a folder" in output


def test_a_county_centre_on_postgresql(farm: Path, postgres_url: str) -> None:
    code, output = invoke("db", "status", postgres_url)
    assert code == 0, output
    assert output.count("not made yet") == 2
    code, output = invoke("db", "upgrade", postgres_url)
    assert code == 0, output
    store = ("--outbox", postgres_url)
    app = create_app()
    with running(app=app) as url:
        sandbox = ("--to", "sandbox", "-o", f"base_url={url}")
        code, output = invoke(
            "publish", str(farm), "--lot", LOT, "--offline", *sandbox, *store, *ON
        )
        assert code == 0, output
        assert "queued 1 listing(s)" in output
        # nothing went to the default file (the pictures made are kept in the folder)
        assert not (farm / ".ruralseller" / "outbox.db").exists()
        assert (farm / ".ruralseller" / "pictures-cache").is_dir()
        code, output = invoke("sync", str(farm), *sandbox, *store, *ON)
        assert code == 0, output
        code, output = invoke("outbox", str(farm), *store)
        assert "published" in output
        bought = httpx.post(f"{url}/v1/shop/demo/orders", json={"sku": LOT, "quantity": 2})
        assert bought.status_code == 201
        code, output = invoke(
            "orders", "sync", str(farm), "--from", "sandbox", "-o", f"base_url={url}", *store, *ON
        )
        assert code == 0, output
        assert "1 new order(s)" in output
    code, output = invoke("stock", str(farm), "--format", "json", *store, *ON)
    assert code == 0, output
    rows = {row["lot"]: row for row in json.loads(output)}
    assert (rows[LOT]["on_hand"], rows[LOT]["reserved"]) == (40, 2)
    code, output = invoke("status", str(farm), "--format", "json", *store, *ON)
    assert "sandbox" in output
    code, output = invoke("db", "status", postgres_url)
    assert (code, output.count("up to date")) == (0, 2)


def test_an_unreachable_database_is_one_line_without_the_password(
    farm: Path, postgres_url: str
) -> None:
    url = postgres_url.replace("postgresql://postgres@", "postgresql://nobody:pa55word@")
    for command in (
        ("db", "status", url),
        ("db", "upgrade", url),
        ("outbox", str(farm), "--outbox", url),
        ("publish", str(farm), "--lot", LOT, "--to", "sandbox", "--offline", "--outbox", url),
        ("stock", str(farm), "--outbox", url, *ON),
    ):
        code, output = invoke(*command)
        assert code == 2, (command, output)
        assert "pa55word" not in output
        assert "nobody:***@" in output, output
