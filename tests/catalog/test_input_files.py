"""One bounded reader: regular files only, inside their folder, small enough, not too deep."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ruralseller.catalog import (
    MAX_NESTING,
    load_catalog,
    loads_data,
    read_bytes_file,
    read_data_file,
    read_text_file,
)
from ruralseller.catalog.samples import sample_path
from ruralseller.coldchain.services import load_services
from ruralseller.errors import CatalogError, CatalogValidationError, FileRefusedError
from ruralseller.packaging import load_materials


@pytest.fixture
def farm(tmp_path: Path) -> Path:
    folder = tmp_path / "farm"
    shutil.copytree(sample_path(), folder)
    return folder


def test_a_regular_file_inside_its_folder_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text("x = 1\n", encoding="utf-8")
    assert read_text_file(tmp_path / "a.toml", folder=tmp_path) == "x = 1\n"
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "b.toml").symlink_to(tmp_path / "a.toml")
    assert read_bytes_file(tmp_path / "inner" / "b.toml", folder=tmp_path) == b"x = 1\n"


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "catalog.toml"
    os.mkfifo(fifo)
    with pytest.raises(FileRefusedError, match=r"not a regular file but a named pipe \(FIFO\)"):
        read_text_file(fifo)
    with pytest.raises(CatalogValidationError, match="named pipe"):
        load_catalog(tmp_path)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused(tmp_path: Path, device: str) -> None:
    with pytest.raises(FileRefusedError, match="character device"):
        read_bytes_file(device)
    link = tmp_path / "catalog.toml"
    link.symlink_to(device)
    with pytest.raises(CatalogValidationError, match="outside its folder"):
        load_catalog(tmp_path)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileRefusedError, match="a folder"):
        read_bytes_file(tmp_path)


def test_a_link_out_of_the_folder_is_refused(farm: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("[[containers]]\nid = 'ssh-key'\n", encoding="utf-8")
    (farm / "packaging.toml").symlink_to(secret)
    with pytest.raises(CatalogValidationError, match="outside its folder") as caught:
        load_materials(farm)
    assert "ssh-key" not in str(caught.value)
    (farm / "carriers.toml").symlink_to(secret)
    with pytest.raises(CatalogValidationError, match="outside its folder"):
        load_services(farm)


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * 1001)
    with pytest.raises(FileRefusedError, match="over 1,000 bytes"):
        read_bytes_file(big, limit=1000)
    with pytest.raises(CatalogValidationError, match="over 1,000 bytes"):
        read_data_file(big, limit=1000)


def test_a_nul_in_a_path_is_refused() -> None:
    with pytest.raises(FileRefusedError, match="NUL character"):
        read_bytes_file("images/hen\x00.jpg")


def test_a_missing_file_is_a_catalog_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read"):
        read_data_file(tmp_path / "nothing.toml")


def test_text_that_is_not_utf8_is_one_problem(tmp_path: Path) -> None:
    file = tmp_path / "carriers.toml"
    file.write_bytes(b"name = '\xff\xfe'\n")
    with pytest.raises(CatalogValidationError, match="not UTF-8 text") as caught:
        read_data_file(file)
    assert caught.value.problems[0].hint == "save it as UTF-8 in your editor"


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("toml", "x = " + "[" * 5000 + "]" * 5000),
        ("toml", "x = " + "{a = " * 2000 + "1" + "}" * 2000),
        ("toml", "x = " + "[" * (MAX_NESTING + 2) + "]" * (MAX_NESTING + 2)),
        ("json", "[" * 100_000 + "]" * 100_000),
        ("json", '{"a":' * 50 + "1" + "}" * 50),
    ],
)
def test_nesting_beyond_the_limit_is_one_problem(fmt: str, text: str) -> None:
    with pytest.raises(CatalogValidationError, match=f"more than {MAX_NESTING} deep"):
        loads_data(text, fmt=fmt, file="deep")


def test_a_catalogue_nested_too_deep_is_refused_with_a_problem(farm: Path) -> None:
    (farm / "catalog.toml").write_text("format = " + "[" * 3000 + "]" * 3000, encoding="utf-8")
    with pytest.raises(CatalogValidationError, match="deep"):
        load_catalog(farm)


def test_a_picture_name_with_a_nul_is_a_problem(farm: Path) -> None:
    text = (farm / "catalog.toml").read_text(encoding="utf-8")
    first = text.index("images = [")
    text = (
        text[:first] + 'images = ["images/hen\\u0000.jpg"]\n' + text[text.index("\n", first) + 1 :]
    )
    (farm / "catalog.toml").write_text(text, encoding="utf-8")
    with pytest.raises(CatalogValidationError, match="NUL character"):
        load_catalog(farm)
