"""One error handler for every ``ruralseller`` command: a clear message, never a traceback.

Commands handle the errors they expect themselves (a catalogue's problems, a pack that
cannot make the journey); whatever else escapes one ends here:

- a :class:`~ruralseller.errors.RuralSellerError` (a file refused, a broken outbox, a
  marketplace that refused) is printed as ``error: ...`` and the command exits 2;
- any other exception is a bug in ruralseller: one line says so (exit 70, ``EX_SOFTWARE``
  of sysexits.h), and the traceback goes to the log only (``--log-level debug``).

Every message passes through the same redaction as the log, so no credential is printed.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from ruralseller.cli._logging import configure_logging
from ruralseller.errors import RuralSellerError
from ruralseller.marketplaces import redact_text

__all__ = ["EXIT_BUG", "GuardedGroup"]

#: The exit status of an unexpected error (sysexits.h ``EX_SOFTWARE``).
EXIT_BUG = 70

logger = logging.getLogger("ruralseller.cli")


def _print_error(text: str) -> None:
    click.echo(f"error: {redact_text(text)}", err=True)


class GuardedGroup(click.Group):
    """A click group whose commands end with a clear message, never a traceback.

    It also carries the ``--log-level`` option (and ``RURALSELLER_LOG``), which turns on
    logging through the redacting filter before any command runs.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.append(
            click.Option(
                ["--log-level"],
                envvar="RURALSELLER_LOG",
                type=click.Choice(["debug", "info", "warning", "error"], case_sensitive=False),
                expose_value=False,
                is_eager=True,
                callback=lambda _ctx, _param, value: configure_logging(value),
                help="Log what happens (HTTP requests included) to stderr at this level, "
                "credentials redacted; also RURALSELLER_LOG. Default: no log.",
            )
        )

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted; what was queued is still in the outbox", err=True)
            raise SystemExit(130) from None
        except BrokenPipeError:
            raise SystemExit(1) from None
        except RuralSellerError as exc:
            logger.debug("command failed", exc_info=True)
            _print_error(str(exc))
            raise SystemExit(2) from None
        except (RecursionError, MemoryError) as exc:
            logger.debug("command failed", exc_info=True)
            _print_error(
                f"the input is too deeply nested or too large to handle ({type(exc).__name__}); "
                "check the files named on the command line"
            )
            raise SystemExit(2) from None
        except Exception as exc:
            logger.debug("unexpected error", exc_info=True)
            _print_error(
                f"unexpected {type(exc).__name__}: {exc}. This is a bug in ruralseller; please "
                "report it with the command you ran (`--log-level debug` shows the details)."
            )
            sys.stderr.flush()
            raise SystemExit(EXIT_BUG) from None
