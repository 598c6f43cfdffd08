"""`ruralseller certificate`: the farmer's papers from the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image

from ruralseller.catalog import CATALOG_FILE
from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_prints_a_png(runner: CliRunner, tmp_path: Path) -> None:
    """The sample's egg lot: a PNG whose QR code opens the lot's story."""
    target = tmp_path / "eggs.png"
    result = runner.invoke(
        cli, ["certificate", str(sample_path()), "--lot", "WE261118", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote the commitment certificate of lot WE261118" in result.output
    assert "commissioned_test, internal_quality_control" in result.output
    with Image.open(target) as image:
        codes = [b.text for b in zxingcpp.read_barcodes(image.convert("L"))]
    assert codes == ["https://id.gs1.org/01/09526000160021/10/WE261118"]


def test_answers_as_json(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "eggs.png"
    args = ["certificate", str(sample_path()), "--lot", "WE261118", "-o", str(target)]
    result = runner.invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer == {
        "format": "ruralseller.certificate/1",
        "lot": "WE261118",
        "file": str(target),
        "dpi": 300,
        "basis": ["commissioned_test", "internal_quality_control"],
        "story_url": "https://id.gs1.org/01/09526000160021/10/WE261118",
    }
    assert target.is_file()


def test_prints_a_pdf_with_own_resolver(runner: CliRunner, tmp_path: Path) -> None:
    """--link-base points the QR code to the partner's resolver; PDF by the file name."""
    target = tmp_path / "chicken.pdf"
    result = runner.invoke(
        cli,
        [
            "certificate",
            str(sample_path()),
            "--lot",
            "WJ261120A",
            "-o",
            str(target),
            "--link-base",
            "https://id.example.cn",
        ],
    )
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF")
    assert "https://id.example.cn/01/99526000160017/10/WJ261120A" in result.output


def test_lot_without_certificate_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    """A lot with no certificate record: exit 2, the field and how to add it, no traceback."""
    farm = tmp_path / "farm"
    shutil.copytree(sample_path(), farm)
    file = farm / CATALOG_FILE
    text = file.read_text(encoding="utf-8")
    start = text.index("[lots.certificate]\nissued_on = 2026-11-18")
    end = text.index("[[lots]]", start)
    file.write_text(text[:start] + text[end:], encoding="utf-8")
    result = runner.invoke(
        cli, ["certificate", str(farm), "--lot", "WE261118", "-o", str(tmp_path / "c.png")]
    )
    assert result.exit_code == 2
    assert "no commitment certificate record (lots[2].certificate)" in result.output
    assert "hint:" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lot", "NOPE", "-o", "c.png"], "no lot with id 'NOPE'"),
        (["--lot", "WE261118", "-o", "c.txt"], "cannot tell how to write a certificate"),
    ],
)
def test_bad_input_exits_2(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    """An unknown lot or file type exits 2 with a message."""
    args = [str(tmp_path / arg) if arg.startswith("c.") else arg for arg in args]
    result = runner.invoke(cli, ["certificate", str(sample_path()), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_listed_in_help(runner: CliRunner) -> None:
    """The command is registered on the ruralseller group."""
    result = runner.invoke(cli, ["--help"])
    assert "certificate" in result.output
