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
    assert "The story of 2026-11-23 (the sample's story day" in out
    # The oldest chickens would arrive after their use-by date anywhere: not listed.
    assert "0 of 100 cities" in out
    assert "not listed: on a slow (P90) day it arrives on 2026-11-29, after the lot's use-by" in out
    # One bird at its upper weight, the policy stated; eggs by the box, potatoes by the bag.
    assert "¥108.00/只 (¥36.00/斤, 按 1.5 kg 计价, 称重后多退少补)" in out
    assert "¥68.00/盒" in out
    assert "¥25.00/袋" in out
    assert "✓ 广州市: " in out
    assert "shelf life left on a slow day" in out
    # The pack, the label (with its GS1 data), the listing in both languages.
    assert "3 pack             EPS box" in out
    assert (tmp_path / "label-WJ261123A.png").is_file()
    assert "(01)99526000160017(10)WJ261123A" in out
    assert "5 listing (zh-CN) 泰和乌鸡 整只 冰鲜" in out
    assert "5 listing (en   ) Taihe black-bone silkie chicken" in out
    assert (tmp_path / "listings" / "WJ261123A-sandbox" / "preview.html").is_file()
    assert "WJ261123A: published  http://127.0.0.1:" in out
    assert "WE261118: published  http://127.0.0.1:" in out
    assert "WJ261120A: published" not in out
    assert (tmp_path / "outbox.db").is_file()
    # The lots' stories are captured where the labels' QR codes lead: the sandbox resolver.
    assert "WJ261123A: 5 events  http://127.0.0.1:" in out
    assert "/01/99526000160017/10/WJ261123A?" in out
    # Buyers on two shops, the stock falling on both, one order shipped, the statement.
    assert "3 buyers ordered 6 birds of WJ261123A on 2 shops" in out
    assert "shops show 24/23 → 18/17" in out
    assert "8 shipped          2 birds, 2.61 kg" in out
    assert (tmp_path / "wu-family-farm-2026-11-CNY.pdf").is_file()
    assert "Ctrl+C" not in out  # --no-serve: it ends


def test_the_demo_keeps_serving_until_interrupted(monkeypatch: pytest.MonkeyPatch) -> None:
    waited: list[bool] = []
    monkeypatch.setattr(ruralseller.sandbox.cli, "_wait_for_interrupt", lambda: waited.append(True))
    result = CliRunner().invoke(cli, ["sandbox", "demo"])
    assert result.exit_code == 0, result.output
    assert waited == [True]
    assert "Ctrl+C stops the sandbox" in result.output


def test_the_demo_runs_on_a_partner_catalogue_on_any_day(tmp_path: Path) -> None:
    """Today's (or --on's) story of the partner's own catalogue: lots that cannot sell that
    day say why, lots not made yet too, and nothing ends in a traceback."""
    farm = tmp_path / "my-farm"
    assert CliRunner().invoke(cli, ["init", str(farm)]).exit_code == 0
    for day, expected in (
        ("2026-12-07", "BLOCKED on 2026-12-07: lot WJ261123A's use-by date 2026-11-28 has passed"),
        ("2026-11-19", "not listed: on 2026-11-19 lot WJ261123A is not made yet"),
    ):
        out = tmp_path / day
        result = CliRunner().invoke(
            cli, ["demo", str(farm), "--no-serve", "-o", str(out), "--on", day]
        )
        assert result.exit_code == 0, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert f"The story of {day} (as asked with --on)" in result.output
        assert expected in result.output
        assert "Traceback" not in result.output


def test_the_demo_on_a_broken_catalogue_says_why(tmp_path: Path) -> None:
    (tmp_path / "catalog.toml").write_text("format = 1\n[[lots]]\nid = 3\n", "utf-8")
    result = CliRunner().invoke(cli, ["demo", str(tmp_path), "--no-serve"])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert "cannot be read" in result.output
