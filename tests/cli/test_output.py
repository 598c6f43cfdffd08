"""What the commands print: JSON with its format field, and tables that fit any width."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli
from ruralseller.cli._output import Column, fit_table, json_format
from ruralseller.sandbox import running

SAMPLE = str(sample_path())
CHICKENS = ("WJ261120A", "WJ261123A")
LOTS = (*CHICKENS, "WE261118", "WP261115")
STORY_DAY = "2026-11-23"
WIDTHS = (50, 80, 120)


def invoke(*args: str, width: int | None = None) -> tuple[int, str]:
    env = {"COLUMNS": str(width)} if width else None
    result = CliRunner().invoke(cli, list(args), env=env)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture
def farm(tmp_path: Path) -> Path:
    folder = tmp_path / "farm"
    shutil.copytree(sample_path(), folder)
    return folder


# --- JSON ---------------------------------------------------------------------------------


def test_validate_json_and_its_deprecated_alias() -> None:
    code, output = invoke("validate", SAMPLE, "--format", "json")
    assert code == 0
    data = json.loads(output)
    assert data["format"] == json_format("validate") == "ruralseller.validate/1"
    assert data["valid"] is True
    assert json.loads(invoke("validate", SAMPLE, "--json")[1]) == data
    assert "--json" not in invoke("validate", "--help")[1]  # hidden, still accepted


def test_validate_of_a_missing_folder_is_bad_input(tmp_path: Path) -> None:
    code, output = invoke("validate", str(tmp_path / "nope"), "--format", "json")
    assert code == 2
    assert "no catalogue at" in json.loads(output)["error"]


def test_label_json(tmp_path: Path) -> None:
    out = tmp_path / "label.png"
    code, output = invoke(
        "label", SAMPLE, "--lot", "WJ261120A", "--weight", "1.3 kg", "-o", str(out),
        "--on", STORY_DAY, "--format", "json",
    )  # fmt: skip
    assert code == 0, output
    data = json.loads(output)
    assert data["format"] == "ruralseller.label/1"
    assert data["lot"] == "WJ261120A"
    assert Path(data["file"]).is_file()
    assert data["barcode"].startswith("(01)")
    assert data["qr"].startswith("https://")


def test_render_json(tmp_path: Path) -> None:
    code, output = invoke(
        "render", SAMPLE, "--lot", "WJ261120A", "--marketplace", "Sandbox",
        "-o", str(tmp_path / "listing"), "--on", STORY_DAY, "--format", "json",
    )  # fmt: skip
    data = json.loads(output)
    assert code == (0 if data["valid"] else 1)
    assert data["format"] == "ruralseller.render/1"
    assert data["marketplace"] == "sandbox"
    assert data["draft"]["sku"] == "WJ261120A"
    assert (tmp_path / "listing" / "preview.html").is_file()


def test_trace_json(tmp_path: Path) -> None:
    target = tmp_path / "events.jsonld"
    code, output = invoke(
        "trace", SAMPLE, "--lot", "WJ261120A", "-o", str(target), "--format", "json"
    )
    assert code == 0, output
    data = json.loads(output)
    assert data["format"] == "ruralseller.trace/1"
    assert data["file"] == str(target)
    assert data["events"]
    assert data["document"] == json.loads(target.read_text(encoding="utf-8"))


def test_plan_json() -> None:
    code, output = invoke(
        "plan", SAMPLE, "--lot", "WJ261120A", "--to", "广州", "--ship-at",
        "2026-11-21T08:00+08:00", "--format", "json",
    )  # fmt: skip
    assert code == 0, output
    data = json.loads(output)
    assert data["format"] == "ruralseller.plan/1"
    assert data["destinations"][0]["destination"] == "广州市"


def test_status_json() -> None:
    code, output = invoke("status", SAMPLE, "--on", STORY_DAY, "--format", "json")
    assert code == 0
    data = json.loads(output)
    assert data["format"] == "ruralseller.status/1"
    assert [lot["lot"] for lot in data["lots"]] == list(LOTS)


# --- tables at 50, 80 and 120 columns -----------------------------------------------------


def assert_whole(output: str, words: tuple[str, ...]) -> None:
    assert "…" not in output, output
    for word in words:
        assert word in output, (word, output)


@pytest.mark.parametrize("width", WIDTHS)
def test_check_at_any_width(width: int) -> None:
    code, output = invoke("check", SAMPLE, "--on", STORY_DAY, width=width)
    assert code == 0, output
    assert_whole(output, LOTS)


@pytest.mark.parametrize("width", WIDTHS)
def test_plan_keeps_days_and_cost_at_any_width(width: int) -> None:
    code, output = invoke(
        "plan", SAMPLE, "--lot", "WJ261120A", "--to", "广州", "--to", "乌鲁木齐",
        "--ship-at", "2026-11-21T08:00+08:00", width=width,
    )  # fmt: skip
    assert code == 0, output
    assert_whole(output, ("WJ261120A", "days", "cost", "CNY", "广州市", "乌鲁木齐市"))
    table = output[output.index("days") : output.index("✓")]
    assert max(cell_len(line) for line in table.splitlines()) <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_status_at_any_width(width: int) -> None:
    code, output = invoke("status", SAMPLE, "--on", STORY_DAY, width=width)
    assert code == 0, output
    assert_whole(output, (*LOTS, "days left", "sells"))
    lines = output.splitlines()[1:]  # the title, the catalogue's path, may be longer
    assert all(cell_len(line) <= width for line in lines), output


@pytest.mark.parametrize("width", WIDTHS)
def test_outbox_at_any_width(farm: Path, width: int) -> None:
    with running() as url:
        pass  # nothing listens there any more: every listing waits, with a long error
    code, _ = invoke(
        "publish", str(farm), "--to", "sandbox", "-o", f"base_url={url}", "--on", STORY_DAY
    )
    assert code == 1
    code, output = invoke("outbox", str(farm), width=width)
    assert code == 0
    assert_whole(output, (*LOTS, "failed_retryable", "last error"))
    lines = output.splitlines()[1:]  # the title, the outbox's path, may be longer
    assert all(cell_len(line) <= width for line in lines), output
    if width >= 120:
        assert "sandbox" in output  # every column has room


# --- the table itself ---------------------------------------------------------------------

_ID = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=14)
_WORDS = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12), max_size=12
).map(" ".join)


@given(
    rows=st.lists(st.tuples(_ID, _ID, _WORDS, _WORDS), min_size=1, max_size=6),
    width=st.integers(min_value=40, max_value=160),
)
def test_kept_columns_are_never_cut(rows: list[tuple[str, str, str, str]], width: int) -> None:
    """Ids and the numbers that matter are whole at any width; the rest folds or gives way."""
    console = Console(width=width, record=True, file=io.StringIO())
    columns = [
        Column("lot"),
        Column("cost", justify="right"),
        Column("why", keep=1, wrap=True),
        Column("note", keep=2, wrap=True),
    ]
    table, hidden = fit_table(console, columns, [list(row) for row in rows])
    console.print(table)
    text = console.export_text()
    assert "…" not in text
    assert all(cell_len(line) <= width for line in text.splitlines())
    lines = text.splitlines()
    for lot, cost, _, _ in rows:
        assert any(lot in line and cost in line for line in lines), (lot, cost, text)
    assert set(hidden) <= {"why", "note"}
