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
    data = json.loads(result.stdout)  # standard output is the document alone, for pipes
    assert data["type"] == "EPCISDocument"
    assert data["epcisBody"]["eventList"][0]["type"] == "TransformationEvent"
    # The person at the terminal reads the story on standard error.
    assert result.stderr.splitlines()[:2] == [
        "The story of lot WJ261120A:",
        (
            "2026-11-20 06:30 +08:00  slaughtered  泰和县禽类定点屠宰场, 江西省 吉安市 泰和县 "
            "澄江镇, CN: 40 live birds in, 40 pieces of lot WJ261120A out; raised by "
            "吴家乌鸡养殖场; quarantine certificate 3608261120000123; meat inspection "
            "certificate JX-TH-2026-112001; air chilling to 4 °C core within 4 h; use by "
            "2026-11-25"
        ),
    ]


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
    # The story, one event a line in time order, with where each happened.
    story = result.stdout.splitlines()
    assert story[0] == "The story of lot WJ261120A:"
    steps = [line[25:].split("  ")[0] for line in story[1:]]
    assert steps == ["slaughtered", "packed", "shipped", "left the hub", "received"]
    assert [line[:16] for line in story[1:]] == [
        "2026-11-20 06:30",
        "2026-11-20 10:30",
        "2026-11-21 08:00",
        "2026-11-22 17:00",
        "2026-11-25 05:00",
    ]
    assert "to buyer in 广州市" in story[3]
    assert "Wrote 5 EPCIS events" in result.stderr
    events = json.loads(out.read_text(encoding="utf-8"))["epcisBody"]["eventList"]
    shipping = [e for e in events if e.get("bizStep") == "shipping"]
    assert shipping
    assert shipping[0]["sensorElementList"][0]["sensorReport"][0]["uom"] == "CEL"


def test_unknown_lot_exits_2() -> None:
    """An unknown lot exits 2."""
    result = CliRunner().invoke(cli, ["trace", SAMPLE, "--lot", "NOPE"])
    assert result.exit_code == 2
