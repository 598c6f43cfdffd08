"""Keeping API keys, app secrets and tokens out of logs, reprs and error messages.

A :class:`Secret` holds a credential and shows only stars; :func:`redact_headers` and
:func:`redact_text` scrub what a marketplace sends back before it reaches an error or a log,
and :class:`RedactingFilter` does the same for every log record.

A credential travels in many forms, and each is scrubbed: as it is, URL-encoded (a refresh
token echoed in an error body), JSON-escaped, base64-encoded alone or inside HTTP Basic
auth's ``id:secret`` (RFC 7617), and as the value of a query parameter whose name says it is
one (``consumer_secret=...`` in a request line). Every ``Secret`` made in this process is
remembered, so text can be scrubbed even where the secrets are not at hand (a log filter).

Example:
    >>> key = Secret("sk_live_village42")
    >>> key
    Secret('********')
    >>> key.reveal()
    'sk_live_village42'
    >>> redact_text("bad key sk_live_village42", [key])
    'bad key [redacted]'
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import logging
import re
import threading
from collections.abc import Iterable, Mapping
from urllib.parse import quote, quote_plus

__all__ = [
    "REDACTED",
    "RedactingFilter",
    "Secret",
    "is_sensitive_header",
    "redact_headers",
    "redact_text",
]

#: What replaces a secret wherever one would have been shown.
REDACTED = "[redacted]"

# Header names whose values are credentials, whatever the marketplace calls them.
_SENSITIVE_EXACT = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
_SENSITIVE_PARTS = ("key", "secret", "token", "signature", "password", "session", "auth")

# Every secret made in this process (newest kept when there are very many), for scrubbing
# text where the secrets themselves are not at hand. Short values are left out: redacting
# every "abc" in every message would hide more than credentials.
_KNOWN: dict[str, None] = {}
_KNOWN_LOCK = threading.Lock()
_KNOWN_MAX = 4096
_KNOWN_MIN_LENGTH = 8

# A query parameter or form field whose name says it holds a credential, and its value.
_SENSITIVE_PARAM = re.compile(
    r"(?i)((?:^|[?&;\s\"'])[\w.\-\[\]]*(?:key|secret|token|signature|sign|password|passwd"
    r"|auth|session|code_verifier|assertion)[\w.\-\[\]]*=)([^&;\s\"'#<>]+)"
)
# An HTTP credential scheme followed by its credential, wherever it is written.
_AUTH_SCHEME = re.compile(r"(?i)\b(basic|bearer|digest)(\s+)([A-Za-z0-9._~+/\-]{8,}=*)")
# A JSON member whose name says it holds a credential, and its string value.
_SENSITIVE_JSON = re.compile(
    r'(?i)("[\w.\-]*(?:key|secret|token|password|signature|auth)[\w.\-]*"\s*:\s*")'
    r'((?:[^"\\]|\\.)+)(")'
)
# Runs of base64 (standard or URL-safe) long enough to hide a credential.
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_\-]{8,}={0,2}")


class Secret:
    """A credential that never shows itself by accident.

    ``str()``, ``repr()`` and f-strings show stars; only :meth:`reveal` gives the value, so
    every place that sends it is easy to find. Two secrets are equal when their values are.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str) or not value:
            raise ValueError("a secret must be a non-empty string; check the credential you set")
        self._value = value
        if len(value) >= _KNOWN_MIN_LENGTH:
            with _KNOWN_LOCK:
                _KNOWN.pop(value, None)
                _KNOWN[value] = None
                while len(_KNOWN) > _KNOWN_MAX:
                    del _KNOWN[next(iter(_KNOWN))]

    def reveal(self) -> str:
        """The credential itself, for the one place that sends it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def is_sensitive_header(name: str) -> bool:
    """Whether a header's value is a credential (``Authorization``, ``X-Api-Key``, ...).

    >>> is_sensitive_header("X-Sandbox-Signature"), is_sensitive_header("Content-Type")
    (True, False)
    """
    lowered = name.lower()
    return lowered in _SENSITIVE_EXACT or any(part in lowered for part in _SENSITIVE_PARTS)


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``headers`` with every credential value replaced by :data:`REDACTED`.

    >>> redact_headers({"Authorization": "Bearer abc", "Retry-After": "2"})
    {'Authorization': '[redacted]', 'Retry-After': '2'}
    """
    return {
        name: (REDACTED if is_sensitive_header(name) else value) for name, value in headers.items()
    }


@functools.lru_cache(maxsize=4096)
def _forms(value: str) -> frozenset[str]:
    """The ways ``value`` may be written in a text we show: as is, encoded or escaped."""
    forms = {value, quote(value, safe=""), quote(value), quote_plus(value)}
    forms |= {re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), form) for form in forms}
    forms.add(json.dumps(value)[1:-1])
    raw = value.encode()
    for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
        text = encoded.decode()
        forms |= {text, text.rstrip("=")}
    return frozenset(form for form in forms if form)


@functools.lru_cache(maxsize=64)
def _pattern(values: frozenset[str]) -> re.Pattern[str]:
    """One pattern matching every form of every value, longest first."""
    forms = sorted({form for value in values for form in _forms(value)}, key=len, reverse=True)
    return re.compile("|".join(re.escape(form) for form in forms))


def _decoded(run: str) -> str:
    """A base64 run decoded as text, or ``""`` when it is not base64 of text."""
    padded = run + "=" * (-len(run) % 4)
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            return decode(padded).decode("utf-8")
        except (binascii.Error, ValueError):
            continue
    return ""


def redact_text(text: str, secrets: Iterable[Secret | str] = ()) -> str:
    """``text`` with every credential replaced by :data:`REDACTED`.

    Scrubbed are: each secret given and each :class:`Secret` made in this process (of 8
    characters or more) in every form (as is, URL-encoded, JSON-escaped, base64, and any
    base64 run whose decoding contains one, such as HTTP Basic's ``id:secret``); whatever
    follows an HTTP auth scheme (``Basic ...``, ``Bearer ...``); and the value of every query
    parameter or form field named like a credential (``consumer_key=...``).

    Marketplaces sometimes echo the key they refused; this keeps it out of our messages.
    Longer secrets are replaced first so that one secret containing another is fully hidden.

    >>> redact_text("GET /products?consumer_key=ck_123&page=2")
    'GET /products?consumer_key=[redacted]&page=2'
    >>> redact_text("echo: Basic aWQ6dmlsbGFnZS1zZWNyZXQ=")
    'echo: Basic [redacted]'
    >>> redact_text("token=a%2Fb%2Bc", ["a/b+c"])
    'token=[redacted]'
    """
    if not text:
        return text
    given = [s.reveal() if isinstance(s, Secret) else s for s in secrets]
    with _KNOWN_LOCK:
        known = list(_KNOWN)
    values = frozenset(v for v in (*given, *known) if v)
    if values:

        def _hide_encoded(match: re.Match[str]) -> str:
            decoded = _decoded(match.group(0))
            return REDACTED if decoded and any(v in decoded for v in values) else match.group(0)

        # Whole base64 runs first (Basic auth's id:secret), then every form of each value.
        text = _BASE64_RUN.sub(_hide_encoded, text)
        text = _pattern(values).sub(REDACTED, text)
        while REDACTED + REDACTED in text:
            text = text.replace(REDACTED + REDACTED, REDACTED)
    text = _AUTH_SCHEME.sub(
        lambda m: m.group(0) if m.group(3) == REDACTED else f"{m.group(1)}{m.group(2)}{REDACTED}",
        text,
    )
    text = _SENSITIVE_JSON.sub(lambda m: f"{m.group(1)}{REDACTED}{m.group(3)}", text)
    return _SENSITIVE_PARAM.sub(_hide_parameter, text)


# Parameters named like a credential that carry none (OAuth 1.0a's, RFC 5849 §3.1).
_PLAIN_PARAMETERS = ("_method", "_timestamp", "_version", "_type", "_expires_in", "_callback")


def _hide_parameter(match: re.Match[str]) -> str:
    name = match.group(1).lstrip("?&; \t\"'").rstrip("=").lower()
    if name.endswith(_PLAIN_PARAMETERS):
        return match.group(0)
    return f"{match.group(1)}{REDACTED}"


class RedactingFilter(logging.Filter):
    """A log filter that scrubs every credential from a record (see :func:`redact_text`).

    Put it on a handler to cover every logger whose records reach it (httpx's request lines
    included): the message, its arguments and any traceback are redacted before formatting.

    >>> import logging
    >>> record = logging.LogRecord(
    ...     "httpx", logging.INFO, "", 0, "HTTP Request: %s", ("GET /p?consumer_secret=cs_1",), None
    ... )
    >>> RedactingFilter().filter(record), record.getMessage()
    (True, 'HTTP Request: GET /p?consumer_secret=[redacted]')
    """

    def __init__(self, secrets: Iterable[Secret | str] = ()) -> None:
        super().__init__()
        self._secrets = tuple(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        """Scrub the record in place; never drops one."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: show its parts, scrubbed
            message = f"{record.msg!s} {record.args!r}"
        record.msg = redact_text(message, self._secrets)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text, self._secrets)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info, self._secrets)
        return True
