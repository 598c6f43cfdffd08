"""The demo, the CLI and the library make the same draft for the same lot and marketplace.

Each path goes through :func:`ruralseller.listing.prepare_listings`; this test holds them to
it from the outside: the demo's listing folder, ``ruralseller render``'s folder, ``ruralseller
publish --dry-run``'s payload, the library's :func:`~ruralseller.listing.write_listing` and
what :func:`~ruralseller.publishing.publish` queues in its outbox must agree on every field of
the draft (texts, unit, unit price, shipping weight...) and on every picture's bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ruralseller.catalog import load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli
from ruralseller.listing import draft_to_data, prepare_listings, write_listing
from ruralseller.marketplaces import image_name, marketplace_profile
from ruralseller.publishing import Outbox, publish

LOT = "WJ261123A"
DAY = "2026-11-23"  # the demo's story day of the sample, when every sample lot may be sold


def folder_contents(folder: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """A listing folder's draft.json and its pictures' SHA-256, by file name."""
    data = json.loads((folder / "draft.json").read_text(encoding="utf-8"))
    pictures = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((folder / "images").iterdir())
    }
    return data, pictures


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", "--no-serve", "-o", str(out), "--on", DAY])
    assert result.exit_code == 0, result.output
    return out


def test_demo_cli_and_library_make_the_same_draft(demo_folder: Path, tmp_path: Path) -> None:
    # The demo.
    demo, demo_pictures = folder_contents(demo_folder / "listings" / f"{LOT}-sandbox")

    # The CLI: render, and publish's dry run.
    rendered = tmp_path / "render"
    runner = CliRunner()
    result = runner.invoke(
        cli, ["render", str(sample_path()), "--lot", LOT, "-o", str(rendered), "--on", DAY]
    )
    assert result.exit_code == 0, result.output
    cli_data, cli_pictures = folder_contents(rendered)
    result = runner.invoke(
        cli,
        [
            *("publish", str(sample_path()), "--to", "sandbox", "--lot", LOT, "--dry-run"),
            *("--on", DAY, "--outbox", str(tmp_path / "dry.db")),
        ],
    )
    assert result.exit_code == 0, result.output
    (payload,) = json.loads(result.stdout)

    # The library: prepare_listings and write_listing, and publish() from the catalogue.
    catalog = load_catalog(sample_path())
    prepared = prepare_listings(
        catalog, [LOT], marketplace_profile("sandbox"), on=dt.date.fromisoformat(DAY)
    )
    library, library_pictures = folder_contents(write_listing(prepared.lots[0], tmp_path / "lib"))
    outbox = Outbox(tmp_path / "outbox.db")
    report = publish(
        outbox,
        "sandbox",
        catalog=catalog,
        lots=[LOT],
        on=dt.date.fromisoformat(DAY),
        offline=True,
        base_url="http://127.0.0.1:9",
    )
    assert report.results == ()
    (job,) = outbox.jobs()
    queued_pictures = {image_name(image): image.sha256 for image in outbox.pictures(job)}
    outbox.close()

    # Every path, the same draft: the whole draft.json, then the fields people look at.
    assert demo == cli_data == library
    for field in ("unit", "unit_price", "shipping_weight", "texts", "price", "sale_unit"):
        assert demo[field] is not None, field
    made = prepared.lots[0].draft
    assert made is not None
    assert demo["unit_price"] == str(made.price) == "108.00 CNY"
    assert demo["shipping_weight"] == str(made.shipping_weight)
    draft_only = {k: v for k, v in demo.items() if k not in ("unit_price", "marketplace", "issues")}
    assert payload["draft"] == draft_only
    assert draft_to_data(job.draft()) == draft_only
    # ... and the same pictures, byte for byte.
    assert demo_pictures == cli_pictures == library_pictures
    assert len(demo_pictures) == 3
    assert sorted(payload["pictures"]) == sorted(queued_pictures) == sorted(demo_pictures)
    assert sorted(queued_pictures.values()) == sorted(demo_pictures.values())
