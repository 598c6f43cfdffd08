"""The bundled sample catalogues and copying them."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from ruralseller.catalog import CATALOG_FILE, load_catalog
from ruralseller.catalog.samples import DEFAULT_SAMPLE, copy_sample, sample_names, sample_path
from ruralseller.errors import CatalogError

EXAMPLES = Path(__file__).parents[2] / "examples"


def _tree(folder: Path) -> list[str]:
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if "__pycache__" not in p.parts
    )


class TestSamples:
    def test_default_sample_is_listed(self) -> None:
        """The default sample is among the sample names."""
        assert DEFAULT_SAMPLE in sample_names()

    def test_unknown_sample(self) -> None:
        """Asking for a sample that does not exist lists the ones that do."""
        with pytest.raises(CatalogError, match="black-chickens"):
            sample_path("ducks")

    @pytest.mark.parametrize("name", sample_names())
    def test_every_sample_loads(self, name: str) -> None:
        """Every bundled sample is a valid catalogue with its pictures."""
        catalog = load_catalog(sample_path(name))
        assert catalog.products

    def test_examples_folder_matches_the_bundled_sample(self) -> None:
        """examples/black-chickens is the same catalogue the package ships."""
        bundled = sample_path("black-chickens")
        example = EXAMPLES / "black-chickens"
        assert _tree(example) == _tree(bundled)
        _, mismatch, errors = filecmp.cmpfiles(
            bundled, example, [p for p in _tree(bundled) if (bundled / p).is_file()], shallow=False
        )
        assert (mismatch, errors) == ([], [])


class TestCopySample:
    def test_copy_into_new_folder(self, tmp_path: Path) -> None:
        """A sample copied to a new folder loads from there."""
        target = copy_sample(tmp_path / "a" / "farm")
        assert (target / CATALOG_FILE).is_file()
        assert load_catalog(target).folder == target

    def test_refuses_a_file(self, tmp_path: Path) -> None:
        """A destination that is a file is refused."""
        file = tmp_path / "farm"
        file.write_text("x", encoding="utf-8")
        with pytest.raises(CatalogError, match="not an empty folder"):
            copy_sample(file)
        assert file.read_text(encoding="utf-8") == "x"

    def test_nothing_left_behind_on_failure(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An interrupted copy leaves neither the target nor a staging folder."""

        def broken(*_args: object, **_kwargs: object) -> None:
            raise OSError("disk full")

        monkeypatch.setattr("shutil.copytree", broken)
        with pytest.raises(CatalogError, match=r"cannot create .*farm: disk full"):
            copy_sample(tmp_path / "farm")
        assert list(tmp_path.iterdir()) == []
