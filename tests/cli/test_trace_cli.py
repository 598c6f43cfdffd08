"""`ruralseller trace`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli

SAMPLE = str(sample_path())


def test_prints_epcis_document() -> None:
    """trace prints an EPCIS 2.0 document with the lot's events."""
    result = CliRunner().invoke(cli, ["trace", SAMPLE, "--lot", "WJ261120A"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["type"] == "EPCISDocument"
    assert data["epcisBody"]["eventList"][0]["type"] == "TransformationEvent"


def test_writes_file_with_readings(tmp_path: Path) -> None:
    """With --to and -o, the shipping event carries temperature readings and the file is written."""
    out = tmp_path / "events.jsonld"
    result = CliRunner().invoke(
        cli,
        [
            "trace",
            SAMPLE,
            "--lot",
            "WJ261120A",
            "--to",
            "广州",
            "--ship-at",
            "2026-11-21T08:00+08:00",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    events = json.loads(out.read_text(encoding="utf-8"))["epcisBody"]["eventList"]
    shipping = [e for e in events if e.get("bizStep") == "shipping"]
    assert shipping
    assert shipping[0]["sensorElementList"][0]["sensorReport"][0]["uom"] == "CEL"


def test_unknown_lot_exits_2() -> None:
    """An unknown lot exits 2."""
    result = CliRunner().invoke(cli, ["trace", SAMPLE, "--lot", "NOPE"])
    assert result.exit_code == 2
