"""Keeping API keys, app secrets and tokens out of logs, reprs and error messages.

A :class:`Secret` holds a credential and shows only stars; :func:`redact_headers` and
:func:`redact_text` scrub what a marketplace sends back before it reaches an error or a log.

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

from collections.abc import Iterable, Mapping

__all__ = ["REDACTED", "Secret", "is_sensitive_header", "redact_headers", "redact_text"]

#: What replaces a secret wherever one would have been shown.
REDACTED = "[redacted]"

# Header names whose values are credentials, whatever the marketplace calls them.
_SENSITIVE_EXACT = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
_SENSITIVE_PARTS = ("key", "secret", "token", "signature", "password", "session", "auth")


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


def redact_text(text: str, secrets: Iterable[Secret | str]) -> str:
    """``text`` with every occurrence of each secret's value replaced by :data:`REDACTED`.

    Marketplaces sometimes echo the key they refused; this keeps it out of our messages.
    Longer secrets are replaced first so that one secret containing another is fully hidden.
    """
    values = [s.reveal() if isinstance(s, Secret) else s for s in secrets]
    for value in sorted((v for v in values if v), key=len, reverse=True):
        text = text.replace(value, REDACTED)
    return text
