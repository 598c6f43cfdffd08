"""The ``ruralseller`` command: version, init, validate, schema."""

from __future__ import annotations

import builtins
import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

import ruralseller
from ruralseller.catalog import CATALOG_FILE
from ruralseller.catalog.samples import sample_path
from ruralseller.cli import main
from ruralseller.cli._app import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


class TestVersion:
    def test_version(self, runner: CliRunner) -> None:
        """--version prints the package version."""
        result = runner.invoke(cli, ["--version"])
        assert result.exit_code == 0
        assert result.output.strip() == f"ruralseller, version {ruralseller.__version__}"


class TestInit:
    def test_init_creates_a_valid_catalogue(self, runner: CliRunner, tmp_path: Path) -> None:
        """init writes the sample catalogue and its pictures, and it validates."""
        target = tmp_path / "my-farm"
        result = runner.invoke(cli, ["init", str(target)])
        assert result.exit_code == 0, result.output
        assert (target / CATALOG_FILE).is_file()
        assert (target / "images" / "whole-black-bone-chicken.jpg").is_file()
        assert f"ruralseller validate {target}" in result.output
        assert runner.invoke(cli, ["validate", str(target)]).exit_code == 0

    def test_init_answers_as_json(self, runner: CliRunner, tmp_path: Path) -> None:
        target = tmp_path / "my-farm"
        result = runner.invoke(cli, ["init", str(target), "--format", "json"])
        assert result.exit_code == 0, result.output
        answer = json.loads(result.output)
        assert answer["format"] == "ruralseller.init/1"
        assert Path(answer["folder"]) == target
        assert (target / CATALOG_FILE).is_file()

    def test_init_refuses_a_folder_with_files(self, runner: CliRunner, tmp_path: Path) -> None:
        """init never overwrites: a folder with files in it is refused, untouched."""
        (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
        result = runner.invoke(cli, ["init", str(tmp_path)])
        assert result.exit_code == 1
        assert "not an empty folder" in result.output
        assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]

    def test_init_into_empty_folder(self, runner: CliRunner, tmp_path: Path) -> None:
        """An existing empty folder is fine."""
        target = tmp_path / "empty"
        target.mkdir()
        assert runner.invoke(cli, ["init", str(target)]).exit_code == 0
        assert (target / CATALOG_FILE).is_file()

    def test_unknown_sample(self, runner: CliRunner, tmp_path: Path) -> None:
        """An unknown --sample lists the samples there are."""
        result = runner.invoke(cli, ["init", str(tmp_path / "x"), "--sample", "ducks"])
        assert result.exit_code == 2
        assert "black-chickens" in result.output


class TestValidate:
    def test_valid(self, runner: CliRunner) -> None:
        """A valid catalogue exits 0 with a one-line summary."""
        result = runner.invoke(cli, ["validate", str(sample_path())])
        assert result.exit_code == 0
        assert "is valid: 1 producer, 3 products, 4 lots, 4 offers." in result.output

    def test_problems_are_grouped(self, runner: CliRunner, tmp_path: Path) -> None:
        """Every problem is printed with its path and hint, and the exit code is 1."""
        folder = tmp_path / "farm"
        shutil.copytree(sample_path(), folder)
        file = folder / CATALOG_FILE
        text = file.read_text(encoding="utf-8")
        text = text.replace('kind = "farmer"', 'kind = "famer"').replace("count = 40", "count = -4")
        file.write_text(text, encoding="utf-8")
        result = runner.invoke(cli, ["validate", str(folder)])
        assert result.exit_code == 1
        assert "found 2 problems" in result.output
        assert str(file) in result.output
        assert "producers[0].kind" in result.output
        assert "did you mean 'farmer'" in result.output
        assert "lots[0].quantity.count" in result.output

    def test_json_output(self, runner: CliRunner, tmp_path: Path) -> None:
        """--json prints machine-readable problems."""
        file = tmp_path / CATALOG_FILE
        file.write_text("format = 3\n", encoding="utf-8")
        result = runner.invoke(cli, ["validate", "--json", str(file)])
        assert result.exit_code == 1
        data = json.loads(result.output)
        assert data["valid"] is False
        assert data["problems"][0]["path"] == "format"
        assert data["problems"][0]["value"] == 3

    def test_json_output_valid(self, runner: CliRunner) -> None:
        """--json on a valid catalogue says so."""
        result = runner.invoke(cli, ["validate", "--json", str(sample_path())])
        assert json.loads(result.output) == {
            "format": "ruralseller.validate/1",
            "valid": True,
            "summary": "1 producer, 3 products, 4 lots, 4 offers",
        }

    def test_missing_path(self, runner: CliRunner, tmp_path: Path) -> None:
        """A path with no catalogue is bad input (exit 2), a clear error, not a traceback."""
        result = runner.invoke(cli, ["validate", str(tmp_path / "nope")])
        assert result.exit_code == 2
        assert "no catalogue at" in result.output
        assert "Traceback" not in result.output

    def test_missing_path_json(self, runner: CliRunner, tmp_path: Path) -> None:
        """--json reports a missing catalogue as JSON too."""
        result = runner.invoke(cli, ["validate", "--json", str(tmp_path / "nope")])
        assert result.exit_code == 2
        assert "no catalogue at" in json.loads(result.output)["error"]


class TestSchema:
    def test_schema_is_valid_json_schema(self, runner: CliRunner) -> None:
        """schema prints a valid draft 2020-12 JSON Schema."""
        result = runner.invoke(cli, ["schema"])
        assert result.exit_code == 0
        jsonschema.Draft202012Validator.check_schema(json.loads(result.output))

    def test_schema_to_file(self, runner: CliRunner, tmp_path: Path) -> None:
        """schema -o writes the schema to a file."""
        out = tmp_path / "catalog.schema.json"
        result = runner.invoke(cli, ["schema", "-o", str(out)])
        assert result.exit_code == 0
        assert json.loads(out.read_text(encoding="utf-8"))["title"] == "ruralseller catalogue"


class TestWithoutTheCliExtra:
    def test_main_explains_how_to_install(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without click installed, the command says which extra to install."""
        real_import = builtins.__import__

        def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
            if name == "ruralseller.cli._app":
                raise ModuleNotFoundError("No module named 'click'", name="click")
            return real_import(name, *args, **kwargs)

        monkeypatch.setattr(builtins, "__import__", fake_import)
        with pytest.raises(SystemExit) as info:
            main()
        assert info.value.code == 2
        assert 'pip install "ruralseller[cli]"' in capsys.readouterr().err
