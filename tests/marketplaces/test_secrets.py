"""Secrets stay hidden in reprs, headers and texts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ruralseller.marketplaces import (
    REDACTED,
    Secret,
    is_sensitive_header,
    redact_headers,
    redact_text,
)


def test_secret_never_shows_itself() -> None:
    key = Secret("sk_live_village42")
    assert "village42" not in repr(key)
    assert "village42" not in str(key)
    assert "village42" not in f"{key} {[key]} { ({'k': key}) }"
    assert key.reveal() == "sk_live_village42"


def test_secret_equality_and_hash() -> None:
    assert Secret("a1") == Secret("a1")
    assert Secret("a1") != Secret("a2")
    assert Secret("a1") != "a1"
    assert len({Secret("a1"), Secret("a1")}) == 1


@pytest.mark.parametrize("bad", ["", None, 42])
def test_secret_must_be_a_non_empty_string(bad: object) -> None:
    with pytest.raises(ValueError, match="non-empty string"):
        Secret(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "sensitive"),
    [
        ("Authorization", True),
        ("X-Api-Key", True),
        ("x-sandbox-signature", True),
        ("Set-Cookie", True),
        ("X-Access-Token", True),
        ("Content-Type", False),
        ("Retry-After", False),
        ("X-Request-Id", False),
    ],
)
def test_sensitive_headers(name: str, sensitive: bool) -> None:
    assert is_sensitive_header(name) is sensitive


def test_redact_headers_keeps_the_rest() -> None:
    headers = {"Authorization": "Bearer abc", "X-Api-Key": "k", "Retry-After": "2"}
    assert redact_headers(headers) == {
        "Authorization": REDACTED,
        "X-Api-Key": REDACTED,
        "Retry-After": "2",
    }
    assert headers["Authorization"] == "Bearer abc"  # the input is not changed


def test_redact_text_replaces_longer_secrets_first() -> None:
    assert redact_text("key abc123 and abc", ["abc", Secret("abc123")]) == (
        f"key {REDACTED} and {REDACTED}"
    )


@given(
    secret=st.text(alphabet="0123456789ABCDEF", min_size=4, max_size=40),
    before=st.text(max_size=30),
    after=st.text(max_size=30),
)
def test_redacted_text_never_contains_the_secret(secret: str, before: str, after: str) -> None:
    text = redact_text(before + secret + after + secret, [Secret(secret)])
    assert secret not in text
    assert REDACTED in text
