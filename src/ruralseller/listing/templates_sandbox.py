"""Partner templates run in a box: their folder only, bounded time, output and sizes.

A partner's listing templates are code we run. Jinja2's sandbox already refuses unsafe
attribute access (``__class__``, ``mro``...) and caps ``range()``; this adds what it leaves
open, so that no template can hang a run, exhaust memory, or read a file it should not:

- :class:`TemplateFolderLoader` reads a template only as a regular file inside the partner's
  folder, under :data:`~ruralseller.catalog.MAX_TEMPLATE_BYTES` (a symbolic link in the folder
  to ``/etc/passwd`` is refused, as ``{% include %}`` of it would put the file in the listing);
- :class:`LimitedSandbox` refuses ``*``, ``**`` and ``%`` whose result would be huge, and
  filter arguments that ask for huge output (``center(10**9)``);
- :func:`render_template` renders under a time limit (checked on every line the template
  runs) and an output limit, and turns every failure (syntax, an undefined name, an unsafe
  call, a limit, any error a filter raised, a recursion) into an
  :class:`~ruralseller.errors.InvalidValueError` naming the template and the line.

Example:
    >>> env = LimitedSandbox()
    >>> render_template(env.from_string("{{ 'ab' * 2 }}"), {}, name="t.j2")
    'abab'
    >>> render_template(env.from_string("{{ 'ab' * 10**8 }}"), {}, name="t.j2")
    Traceback (most recent call last):
    ...
    ruralseller.errors.InvalidValueError: the template t.j2, line 1, went over a limit: ...
"""

from __future__ import annotations

import contextvars
import functools
import operator
import os
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import FrameType
from typing import Any, Final

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from ruralseller.catalog import MAX_TEMPLATE_BYTES, read_text_file
from ruralseller.errors import FileRefusedError, InvalidValueError

__all__ = [
    "MAX_TEMPLATE_OUTPUT",
    "MAX_TEMPLATE_SECONDS",
    "MAX_TEMPLATE_VALUE",
    "LimitedSandbox",
    "TemplateFolderLoader",
    "TemplateLimitError",
    "render_template",
    "template_error",
]

MAX_TEMPLATE_OUTPUT: Final = 200_000
"""The most characters one template may write (a long listing description is 10 000)."""

MAX_TEMPLATE_VALUE: Final = 200_000
"""The longest text or list one expression in a template may make."""

MAX_TEMPLATE_SECONDS: Final = 2.0
"""How long one template may run (ours take a few milliseconds)."""

_WIDTH_METHODS: Final = frozenset(
    {"format", "format_map", "center", "ljust", "rjust", "zfill", "expandtabs"}
)
_FORMAT_WIDTH: Final = re.compile(r"%[-#0 +]*(\d+)?(?:\.(\d+))?")


class TemplateLimitError(SecurityError):
    """A template went over a limit: time, output size, or the size of a value it made."""


class TemplateFolderLoader(jinja2.BaseLoader):
    """Loads templates from a partner's folder through the bounded reader.

    A template must be a regular file inside ``folder`` (no symbolic link out of it, no
    ``..``), of at most ``limit`` bytes, in UTF-8.
    """

    def __init__(self, folder: str | os.PathLike[str], *, limit: int = MAX_TEMPLATE_BYTES) -> None:
        self.folder = Path(folder)
        self.limit = limit

    def get_source(
        self, _environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        """The template's text, its file name, and whether it is still the same."""
        pieces = split_template_path(template)  # refuses ".." with TemplateNotFound
        file = self.folder.joinpath(*pieces)
        if not file.exists() and not file.is_symlink():
            raise jinja2.TemplateNotFound(template)
        try:
            source = read_text_file(file, folder=self.folder, limit=self.limit, what="template")
        except FileRefusedError as exc:
            raise InvalidValueError(
                f"the template {template} cannot be used: {exc.reason}",
                field="templates",
                hint=exc.hint,
            ) from None
        mtime = file.stat().st_mtime
        return source, str(file), lambda: file.exists() and file.stat().st_mtime == mtime


def _too_big(what: str) -> TemplateLimitError:
    return TemplateLimitError(
        f"{what} would be longer than {MAX_TEMPLATE_VALUE:,}; a listing needs far less"
    )


def _size(value: object) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple) else 0


def _check_repeat(left: object, right: object) -> None:
    for seq, times in ((left, right), (right, left)):
        if isinstance(times, int) and _size(seq) * max(times, 0) > MAX_TEMPLATE_VALUE:
            raise _too_big("a repeated text or list")


def _check_power(base: object, exponent: object) -> None:
    if isinstance(exponent, int | float) and isinstance(base, int | float):
        magnitude = abs(base) if base else 0
        bits = abs(exponent) * int(max(magnitude, 2)).bit_length()
        if abs(exponent) > 1000 or (magnitude > 1 and bits > 10_000):
            raise TemplateLimitError("a power too large to compute; a listing needs small numbers")


def _check_format(text: object) -> None:
    if isinstance(text, str):
        for width, precision in _FORMAT_WIDTH.findall(text):
            if int(width or 0) > 1000 or int(precision or 0) > 1000:
                raise TemplateLimitError("a %-format width or precision over 1000")


def _huge_number(value: object) -> bool:
    return (
        isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEMPLATE_VALUE
    )


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        for value in (*args, *kwargs.values()):
            if _huge_number(value):
                raise TemplateLimitError(f"the filter {name} was given {value}, too large")
            if name == "format":
                _check_format(value)
        result = function(*args, **kwargs)
        if _size(result) > MAX_TEMPLATE_VALUE:
            raise _too_big(f"what the filter {name} made")
        return result

    return bounded


class LimitedSandbox(SandboxedEnvironment):
    """Jinja2's sandbox, with limits on the values a template's expressions make."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters = {
            name: _bounded_filter(name, function) for name, function in self.filters.items()
        }

    def getattr(self, obj: Any, attribute: str) -> Any:
        """An attribute, as the sandbox allows, while the template has time left."""
        _check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """An item, as the sandbox allows, while the template has time left."""
        _check_time()
        return super().getitem(obj, argument)

    def call_binop(
        self, context: jinja2.runtime.Context, operator_: str, left: Any, right: Any
    ) -> Any:
        """Compute ``left operator right`` unless the result would be too large."""
        _check_time()
        if operator_ == "*":
            _check_repeat(left, right)
            return operator.mul(left, right)
        if operator_ == "**":
            _check_power(left, right)
            return operator.pow(left, right)
        if operator_ == "%":
            _check_format(left)
        if operator_ == "+" and _size(left) + _size(right) > MAX_TEMPLATE_VALUE:
            raise _too_big("joined text or lists")
        return super().call_binop(context, operator_, left, right)

    def call(
        self,
        __context: jinja2.runtime.Context,
        __obj: Any,
        /,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """Call a function from a template, refusing huge widths and results."""
        _check_time()
        if getattr(__obj, "__name__", "") in _WIDTH_METHODS:
            for value in (*args, *kwargs.values()):
                if isinstance(value, int) and abs(value) > MAX_TEMPLATE_VALUE:
                    raise TemplateLimitError("a width too large for a listing")
        result = super().call(__context, __obj, *args, **kwargs)
        if _size(result) > MAX_TEMPLATE_VALUE:
            raise _too_big("what a call made")
        return result


def _template_line(exc: BaseException, filename: str | None) -> int | None:
    """The line of the template where ``exc`` happened, from its traceback."""
    line = getattr(exc, "lineno", None)
    if isinstance(line, int):
        return line
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if (filename and frame.filename == filename) or frame.filename.endswith(".j2"):
            found = frame.lineno
    return found


class _Deadline:
    """A trace function that stops a template running past its time (line by line)."""

    def __init__(self, seconds: float, filename: str | None) -> None:
        self.seconds = seconds
        self.until = time.monotonic() + seconds
        self.filename = filename
        self.last: tuple[str, int] = ("", 0)

    def _is_template(self, frame: FrameType) -> bool:
        name = frame.f_code.co_filename
        return name == self.filename or name.endswith(".j2") or name == "<template>"

    def global_trace(self, frame: FrameType, event: str, _arg: object) -> Any:
        if event == "call" and self._is_template(frame):
            return self.local_trace
        return None

    def local_trace(self, frame: FrameType, event: str, _arg: object) -> Any:
        if event == "line":
            self.last = (frame.f_code.co_filename, frame.f_lineno)
            if time.monotonic() > self.until:
                raise TemplateLimitError(f"it ran longer than {MAX_TEMPLATE_SECONDS:g} s")
        return self.local_trace

    def template_line(self, template: jinja2.Template) -> int | None:
        """The template line running last, when it was a line of ``template`` itself."""
        filename, python_line = self.last
        if python_line and filename in (template.filename, "<template>"):
            return template.get_corresponding_lineno(python_line)
        return None


def _render_chunks(template: jinja2.Template, context: Mapping[str, Any]) -> Iterator[str]:
    return template.generate(dict(context))


_running: contextvars.ContextVar[_Deadline | None] = contextvars.ContextVar(
    "template_deadline", default=None
)


def _check_time() -> None:
    """Stop a template past its time (for when the line tracer cannot be used)."""
    deadline = _running.get()
    if deadline is not None and time.monotonic() > deadline.until:
        raise TemplateLimitError(f"it ran longer than {deadline.seconds:g} s")


def _check_progress(written: int, max_output: int, deadline: _Deadline, seconds: float) -> None:
    if written > max_output:
        raise TemplateLimitError(f"it wrote more than {max_output:,} characters")
    if time.monotonic() > deadline.until:
        raise TemplateLimitError(f"it ran longer than {seconds:g} s")


def render_template(
    template: jinja2.Template,
    context: Mapping[str, Any],
    *,
    name: str,
    seconds: float = MAX_TEMPLATE_SECONDS,
    max_output: int = MAX_TEMPLATE_OUTPUT,
) -> str:
    """Render ``template`` within the limits, every failure a clear error.

    Raises:
        InvalidValueError: naming the template (``name``) and the line, with what went
            wrong: a name that is not there, an unsafe call, a limit, or an error raised
            while rendering.
    """
    deadline = _Deadline(seconds, template.filename)
    previous = sys.gettrace()
    if previous is None:  # a debugger's or coverage's tracer is left alone
        sys.settrace(deadline.global_trace)
    token = _running.set(deadline)
    parts: list[str] = []
    written = 0
    try:
        for chunk in _render_chunks(template, context):
            written += len(chunk)
            _check_progress(written, max_output, deadline, seconds)
            parts.append(chunk)
    except InvalidValueError:
        raise
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        sys.settrace(previous)
        line = deadline.template_line(template)
        raise template_error(exc, name, template.filename, line=line) from None
    finally:
        sys.settrace(previous)
        _running.reset(token)
    return "".join(parts)


def template_error(
    exc: BaseException, name: str, filename: str | None = None, *, line: int | None = None
) -> InvalidValueError:
    """The clear error for anything that went wrong loading or rendering template ``name``.

    ``line`` is where it was running, for an error that does not say (a limit).
    """
    line = _template_line(exc, filename) or line
    where = f"the template {name}" + (f", line {line}," if line else "")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return InvalidValueError(
            f"{where} has a syntax error: {exc.message}",
            field="templates",
            hint="check the {{ }} and {% %} tags on that line: each opened block needs its end",
        )
    if isinstance(exc, jinja2.UndefinedError):
        return InvalidValueError(
            f"{where} uses a name that is not there: {exc.message}",
            field="templates",
            hint="check the spelling against the names in the listing docs",
        )
    if isinstance(exc, TemplateLimitError):
        return InvalidValueError(
            f"{where} went over a limit: {exc}",
            field="templates",
            hint="a listing template writes a few lines; remove the loop or value that grows",
        )
    if isinstance(exc, SecurityError):
        return InvalidValueError(
            f"{where} tried something templates may not do: {exc}",
            field="templates",
            hint="templates may use the listing's values and filters only",
        )
    if isinstance(exc, RecursionError):
        return InvalidValueError(
            f"{where} calls itself (a macro or include) without end",
            field="templates",
            hint="make the recursion stop, or write it without recursion",
        )
    detail = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
    return InvalidValueError(
        f"{where} failed: {type(exc).__name__}: {detail}",
        field="templates",
        hint="fix the expression on that line",
    )
