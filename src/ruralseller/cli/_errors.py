"""One error handler for every ``ruralseller`` command: a clear message, never a traceback.

The exit status says what happened, the same for every command:

====  ===========================================================================
0     done; the answer is "yes" (valid, nothing blocks, every listing published)
1     the answer is "no" (problems found, a sale blocked, a listing failed or waits)
2     bad input: a file, value, option or outbox that cannot be used
70    a bug in ruralseller (``EX_SOFTWARE`` of sysexits.h); please report it
130   interrupted (Ctrl+C); ``publish`` and ``sync`` say how to resume
====  ===========================================================================

Commands say "yes" or "no" themselves (:class:`Answer`); whatever escapes one ends here:

- a :class:`~ruralseller.errors.CatalogValidationError` prints every problem of the
  catalogue, grouped by file, and exits 2;
- any other :class:`~ruralseller.errors.RuralSellerError` (a file refused, a broken outbox,
  a marketplace that refused) or a file that cannot be written is printed as
  ``error: ...`` with its hint, and the command exits 2;
- Ctrl+C exits 130;
- any other exception is a bug in ruralseller: one line says so (exit 70), and the
  traceback goes to the log only (``--log-level debug``).

Every message passes through the same redaction as the log, so no credential is printed.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from ruralseller.cli._logging import configure_logging
from ruralseller.cli._output import print_problems, reset_width
from ruralseller.errors import CatalogValidationError, RuralSellerError
from ruralseller.marketplaces import redact_text

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_BUG",
    "EXIT_INTERRUPTED",
    "EXIT_NO",
    "EXIT_OK",
    "GuardedGroup",
    "answer",
]

#: Done, and the answer is "yes".
EXIT_OK = 0
#: The answer is "no": problems found, a sale blocked, a listing failed or waits.
EXIT_NO = 1
#: The input cannot be used: a file, a value, an option, an outbox.
EXIT_BAD_INPUT = 2
#: The exit status of an unexpected error (sysexits.h ``EX_SOFTWARE``).
EXIT_BUG = 70
#: Interrupted with Ctrl+C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130

logger = logging.getLogger("ruralseller.cli")


def _print_error(text: str) -> None:
    click.echo(f"error: {redact_text(text)}", err=True)


def answer(yes: bool) -> SystemExit:
    """The end of a command that answers a question: exit 0 for "yes", 1 for "no".

    ``raise answer(report.ok)``
    """
    return SystemExit(EXIT_OK if yes else EXIT_NO)


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
        reset_width()
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            raise SystemExit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            raise SystemExit(EXIT_NO) from None
        except CatalogValidationError as exc:
            logger.debug("command failed", exc_info=True)
            print_problems(exc.problems)
            raise SystemExit(EXIT_BAD_INPUT) from None
        except RuralSellerError as exc:
            logger.debug("command failed", exc_info=True)
            message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            text, hint, field = str(message), getattr(exc, "hint", ""), getattr(exc, "field", "")
            if field and field not in text:
                text += f" ({field})"
            _print_error(text + (f"\n  hint: {hint}" if hint and hint not in text else ""))
            raise SystemExit(EXIT_BAD_INPUT) from None
        except OSError as exc:  # a file to write that cannot be written
            logger.debug("command failed", exc_info=True)
            _print_error(str(exc))
            raise SystemExit(EXIT_BAD_INPUT) from None
        except (RecursionError, MemoryError) as exc:
            logger.debug("command failed", exc_info=True)
            _print_error(
                f"the input is too deeply nested or too large to handle ({type(exc).__name__}); "
                "check the files named on the command line"
            )
            raise SystemExit(EXIT_BAD_INPUT) from None
        except Exception as exc:
            logger.debug("unexpected error", exc_info=True)
            _print_error(
                f"unexpected {type(exc).__name__}: {exc}. This is a bug in ruralseller; please "
                "report it with the command you ran (`--log-level debug` shows the details)."
            )
            sys.stderr.flush()
            raise SystemExit(EXIT_BUG) from None
