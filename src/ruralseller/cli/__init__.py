"""The ``ruralseller`` command: a thin layer over the library.

The command needs the ``cli`` extra (click and rich): ``pip install "ruralseller[cli]"``.
Importing :mod:`ruralseller` never needs it.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["main"]


def __getattr__(name: str) -> Any:
    # ``ruralseller.cli.cli``, the click group, imported only when asked for (click is optional).
    if name == "cli":
        from ruralseller.cli._app import cli  # noqa: PLC0415

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Run the ``ruralseller`` command (the console-script entry point)."""
    try:
        from ruralseller.cli._app import cli  # noqa: PLC0415 - click is an optional extra
    except ModuleNotFoundError as exc:
        if exc.name not in {"click", "rich"}:
            raise
        sys.stderr.write(
            f"The ruralseller command needs {exc.name}, which is not installed.\n"
            'Install the command line extra:  pip install "ruralseller[cli]"\n'
        )
        raise SystemExit(2) from None
    cli()
