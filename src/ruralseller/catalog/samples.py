"""Sample catalogues shipped with ruralseller, to start from or to try things on.

Example:
    >>> "black-chickens" in sample_names()
    True
    >>> from ruralseller.catalog import load_catalog
    >>> catalog = load_catalog(sample_path("black-chickens"))
    >>> [lot.id for lot in catalog.lots]
    ['WJ261120A', 'WJ261123A', 'WE261118', 'WP261115']
"""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from ruralseller.catalog.files import CATALOG_FILE
from ruralseller.errors import CatalogError

__all__ = ["DEFAULT_SAMPLE", "copy_sample", "sample_names", "sample_path"]

DEFAULT_SAMPLE = "black-chickens"
"""The sample ``ruralseller init`` starts from: a Jiangxi black-bone chicken farm."""


def _samples_root() -> Path:
    return Path(str(resources.files("ruralseller") / "samples"))


def sample_names() -> list[str]:
    """The names of the bundled sample catalogues."""
    root = _samples_root()
    return sorted(p.name for p in root.iterdir() if (p / CATALOG_FILE).is_file())


def sample_path(name: str = DEFAULT_SAMPLE) -> Path:
    """The folder of the bundled sample catalogue ``name`` (read it, do not write to it)."""
    path = _samples_root() / name
    if not (path / CATALOG_FILE).is_file():
        raise CatalogError(
            f"there is no sample catalogue {name!r}; the samples are: {', '.join(sample_names())}"
        )
    return path


def copy_sample(destination: str | os.PathLike[str], name: str = DEFAULT_SAMPLE) -> Path:
    """Copy a sample catalogue (file and pictures) into ``destination`` and return it.

    ``destination`` must not exist yet, or be an empty folder: nothing the user has is ever
    overwritten. The copy is made beside it first and moved into place, so an interrupted copy
    leaves nothing half-written.
    """
    source = sample_path(name)
    target = Path(destination)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CatalogError(
            f"{target} already exists and is not an empty folder; choose a new folder name "
            "so nothing in it is overwritten"
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as exc:
        raise CatalogError(
            f"cannot create {target}: {exc.strerror or exc}; choose a folder you can write to"
        ) from None
    try:
        shutil.copytree(
            source, staging, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
        )
        if target.exists():
            target.rmdir()
        staging.replace(target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise CatalogError(
            f"cannot create {target}: {exc.strerror or exc}; choose a folder you can write to"
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
