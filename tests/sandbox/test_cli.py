"""`ruralseller sandbox serve`, found by the CLI through the `ruralseller.cli` entry point."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import ruralseller.sandbox.cli
from ruralseller.cli._app import cli


def test_the_cli_lists_the_sandbox_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0, result.output
    assert "sandbox" in result.output
    assert "The local sandbox marketplace" in result.output


def test_sandbox_serve_passes_its_options(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:

    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(
        ruralseller.sandbox.cli, "serve", lambda *args, **kwargs: calls.append((args, kwargs))
    )
    db = tmp_path / "shop.db"
    result = CliRunner().invoke(
        cli,
        ["sandbox", "serve", "--port", "9001", "--db", str(db), "--fault", "drop=0.2"],
    )
    assert result.exit_code == 0, result.output
    (args, kwargs) = calls[0]
    assert args == ("127.0.0.1", 9001)
    assert kwargs["db"] == str(db)
    assert kwargs["faults"].drop == 0.2
    assert kwargs["faults"].error_503 == 0.0
    assert "sandbox marketplace on http://127.0.0.1:9001" in result.output


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("drop", "expected KIND=RATE"),
        ("nope=0.1", "unknown fault 'nope'; the kinds are error_500"),
        ("drop=lots", "the rate of drop must be a number, got 'lots'"),
        ("drop=1.5", "Faults.drop must be a rate between 0 and 1"),
    ],
)
def test_sandbox_serve_explains_a_bad_fault(fault: str, message: str) -> None:
    result = CliRunner().invoke(cli, ["sandbox", "serve", "--fault", fault])
    assert result.exit_code == 2
    assert message in result.output


def test_the_demo_runs_end_to_end(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", "--no-serve", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "吴家乌鸡养殖场" in out
    assert "compliance (CN)  may be sold" in out
    # The oldest chickens have too little shelf life left to reach any city: not listed.
    assert "0 of 100 cities" in out
    assert "not listed: on a slow (P90) day the food is spoiled" in out
    assert "✓ 广州市: " in out
    assert "shelf life left on a slow day" in out
    # The pack, the label (with its GS1 data), the listing in both languages.
    assert "3 pack             EPS box" in out
    assert (tmp_path / "label-WJ261123A.png").is_file()
    assert "(01)99526000160017(10)WJ261123A" in out
    assert "5 listing (zh-CN) 泰和乌鸡 整只 冰鲜" in out
    assert "5 listing (en   ) Taihe black-bone silkie chicken" in out
    assert (tmp_path / "listing-WJ261123A.html").is_file()
    assert "WJ261123A: published  http://127.0.0.1:" in out
    assert "WE261118: published  http://127.0.0.1:" in out
    assert "WJ261120A: published" not in out
    assert (tmp_path / "outbox.db").is_file()
    # The lots' stories are captured where the labels' QR codes lead: the sandbox resolver.
    assert "WJ261123A: 5 events  http://127.0.0.1:" in out
    assert "/01/99526000160017/10/WJ261123A?" in out
    assert "Ctrl+C" not in out  # --no-serve: it ends


def test_the_demo_keeps_serving_until_interrupted(monkeypatch: pytest.MonkeyPatch) -> None:
    waited: list[bool] = []
    monkeypatch.setattr(ruralseller.sandbox.cli, "_wait_for_interrupt", lambda: waited.append(True))
    result = CliRunner().invoke(cli, ["sandbox", "demo"])
    assert result.exit_code == 0, result.output
    assert waited == [True]
    assert "Ctrl+C stops the sandbox" in result.output
