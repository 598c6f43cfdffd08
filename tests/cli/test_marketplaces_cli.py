"""`ruralseller marketplaces`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ruralseller.cli._app import cli


def test_lists_the_builtin_sandbox_with_capabilities() -> None:
    result = CliRunner().invoke(cli, ["marketplaces"])
    assert result.exit_code == 0, result.output
    assert "sandbox  built in, ruralseller.marketplaces.sandbox:SandboxMarketplace" in result.output
    assert "capabilities: multi_step_publish, image_upload, native_idempotency" in result.output


def test_json_lists_third_party_adapters_and_their_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = tmp_path / "broken_adapter-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-adapter\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[ruralseller.marketplaces]\nbroken = no_such_module:Adapter\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    result = CliRunner().invoke(cli, ["marketplaces", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.output)}
    assert rows["sandbox"]["problem"] is None
    assert "native_idempotency" in rows["sandbox"]["capabilities"]
    assert rows["broken"]["provider"] == "broken-adapter"
    assert rows["broken"]["capabilities"] is None
    assert "cannot be loaded" in rows["broken"]["problem"]
