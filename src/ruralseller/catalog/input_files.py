"""Reading the files a partner gives us, with bounds: one reader for every file we read.

Catalogue, packaging and carrier data, templates and pictures all come through here, so each
is read the same careful way:

- only a regular file: a FIFO would block the read forever, a device (``/dev/zero``) never
  ends, a folder is not a file; the file is opened without blocking and checked on the open
  handle, so it cannot be swapped between the check and the read;
- only inside the folder it belongs to, when there is one: a symbolic link out of it (to
  ``/etc/passwd``, to a key file) is refused;
- only up to a size limit, and structured data only up to a nesting limit (deeper nesting
  would exhaust the parser's recursion);
- and each refusal is a :class:`~ruralseller.errors.FileRefusedError` naming the file, why,
  and what to do, or, for data files, a catalogue problem that says the same.

Example:
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "carriers.toml").write_text("[[services]]", encoding="utf-8")
    >>> read_text_file(folder / "carriers.toml", folder=folder)
    '[[services]]'
    >>> read_bytes_file("/dev/zero", what="picture")
    Traceback (most recent call last):
    ...
    ruralseller.errors.FileRefusedError: /dev/zero: it is not a regular file ...
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from ruralseller.errors import CatalogError, CatalogValidationError, FileRefusedError, Problem

__all__ = [
    "MAX_DATA_BYTES",
    "MAX_NESTING",
    "MAX_PICTURE_BYTES",
    "MAX_TEMPLATE_BYTES",
    "check_nesting",
    "loads_data",
    "read_bytes_file",
    "read_data_file",
    "read_text_file",
]

MAX_DATA_BYTES: Final = 20_000_000
"""The largest catalogue, packaging or carrier file we read (20 MB: 100 000 lots fit)."""

MAX_TEMPLATE_BYTES: Final = 1_000_000
"""The largest listing template we read (1 MB)."""

MAX_PICTURE_BYTES: Final = 50_000_000
"""The largest picture file we read (50 MB: a camera's largest JPEG is under 30 MB)."""

MAX_NESTING: Final = 32
"""The deepest nesting of tables and arrays a data file may have (ours need 4)."""

_KINDS: Final = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


_TOO_DEEP: Final = object()


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a link loop
        return False


def read_bytes_file(
    path: str | os.PathLike[str],
    *,
    folder: str | os.PathLike[str] | None = None,
    limit: int = MAX_DATA_BYTES,
    what: str = "file",
) -> bytes:
    """The bytes of a regular file inside ``folder`` (when given), of at most ``limit`` bytes.

    Raises:
        FileRefusedError: the path holds a NUL character, names no file or one that cannot
            be read, is not a regular file, leads out of ``folder``, or is over ``limit``.
    """
    name = os.fspath(path)
    if "\x00" in str(name):
        raise FileRefusedError(
            repr(name), f"the {what}'s path holds a NUL character", hint="fix the file name"
        )
    file = Path(name)
    if folder is not None and not _inside(file, Path(folder)):
        raise FileRefusedError(
            name,
            f"the {what} is outside its folder {os.fspath(folder)} (a symbolic link or a path "
            "that leads out of it)",
            hint=f"copy the {what} into the folder itself instead of linking to it",
        )
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(name, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise FileRefusedError(
            name, f"there is no {what} there", hint="check the path", missing=True
        ) from None
    except OSError as exc:
        raise FileRefusedError(
            name,
            f"the {what} cannot be read ({exc.strerror})",
            hint="check its permissions",
            missing=True,
        ) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise FileRefusedError(
            name,
            f"it is not a regular file but {_kind(info.st_mode)}",
            hint=f"name a regular {what}; pipes, devices and folders are not read",
        )
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > limit:
            raise _too_big(name, what, limit)
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise FileRefusedError(
                name, f"reading the {what} failed ({exc.strerror})", hint="check the disk"
            ) from None
    if len(data) > limit:  # it grew while we read it
        raise _too_big(name, what, limit)
    return data


def _too_big(name: str, what: str, limit: int) -> FileRefusedError:
    return FileRefusedError(
        name,
        f"the {what} is over {limit:,} bytes",
        hint=f"split it, or make it smaller; ruralseller reads a {what} of up to {limit:,} bytes",
    )


def read_text_file(
    path: str | os.PathLike[str],
    *,
    folder: str | os.PathLike[str] | None = None,
    limit: int = MAX_DATA_BYTES,
    what: str = "file",
) -> str:
    """The UTF-8 text of a file, read as :func:`read_bytes_file` does (a BOM is dropped).

    Raises:
        FileRefusedError: as :func:`read_bytes_file`, and when the file is not UTF-8 text.
    """
    data = read_bytes_file(path, folder=folder, limit=limit, what=what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefusedError(
            os.fspath(path),
            f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})",
            hint="save it as UTF-8 in your editor",
        ) from None


def read_data_file(file: Path, *, folder: Path | None = None, limit: int = MAX_DATA_BYTES) -> str:
    """The text of a catalogue, packaging or carrier file, each refusal as a catalogue problem.

    Raises:
        CatalogError: the file is missing or cannot be read.
        CatalogValidationError: it is not a regular file, leads out of ``folder``, is too
            big, or is not UTF-8 text (one problem naming the file and how to fix it).
    """
    try:
        return read_text_file(file, folder=folder, limit=limit)
    except FileRefusedError as exc:
        if exc.missing:
            raise CatalogError(f"cannot read {file}: {exc.reason}") from None
        raise CatalogValidationError(
            [Problem(file=str(file), path="", message=exc.reason, hint=exc.hint)]
        ) from None


def check_nesting(data: Any, *, limit: int = MAX_NESTING) -> bool:
    """Whether ``data`` (parsed TOML or JSON) nests tables and arrays at most ``limit`` deep."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((inner, depth + 1) for inner in item.values())
        elif isinstance(item, list):
            stack.extend((inner, depth + 1) for inner in item)
    return True


def loads_data(
    text: str,
    *,
    fmt: str = "toml",
    file: str = "<string>",
    sections: str = "[[section]]",
    toml_loads: Callable[..., Any] | None = None,
) -> Any:
    """Parse TOML or JSON data text, every failure one catalogue problem naming the file.

    Numbers with a fraction are read as :class:`~decimal.Decimal`. ``sections`` names the
    file's section headers for the hint (``[[services]]``).

    Raises:
        CatalogValidationError: the text is not valid TOML or JSON, or nests deeper than
            :data:`MAX_NESTING`.
    """
    if toml_loads is None:
        import tomllib  # noqa: PLC0415 - the default only

        toml_loads = tomllib.loads
    kind = fmt.upper()
    data: Any = _TOO_DEEP
    try:
        if fmt == "json":
            data = json.loads(text, parse_float=Decimal)
        else:
            data = toml_loads(text, parse_float=Decimal)
    except RecursionError:
        pass  # reported below, as too deep
    except ValueError as exc:  # TOMLDecodeError and JSONDecodeError are ValueErrors
        raise CatalogValidationError(
            [
                Problem(
                    file=file,
                    path="",
                    message=f"this is not valid {kind}: {exc}",
                    hint="fix the syntax at that line (quotes around text, = between key "
                    f"and value, {sections} headers)",
                )
            ]
        ) from None
    if data is _TOO_DEEP or not check_nesting(data):
        raise CatalogValidationError(
            [
                Problem(
                    file=file,
                    path="",
                    message=f"the {kind} nests tables or arrays more than {MAX_NESTING} deep",
                    hint="no catalogue needs that; check for a runaway of [ or { in the file",
                )
            ]
        )
    return data
