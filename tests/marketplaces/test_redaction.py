"""No credential, in any form, reaches an error, a field error, a header or a log line."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import logging
from urllib.parse import quote, quote_plus

import httpx
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from ruralseller.cli._app import cli
from ruralseller.marketplaces import (
    REDACTED,
    RedactingFilter,
    Secret,
    get_marketplace,
    redact_text,
    settings_from_text,
)
from ruralseller.marketplaces.http import error_from_response

CLIENT_ID = "VillageF-ruralsel-PRD-1a2b3c4d5-6e7f8a9b"
CLIENT_SECRET = "PRD-a1b2c3d4e5f6-7a8b-9c0d-1e2f-3a4b"  # noqa: S105 - a made-up credential
REFRESH_TOKEN = "Atzr|IwEBIJ8kQx/Zm+3Q==&refresh"  # noqa: S105 - a made-up credential
CONSUMER_KEY = "ck_4f8a6b2c1d9e0f7a3b5c8d2e1f0a9b8c7d6e5f4a"
CONSUMER_SECRET = "cs_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d"  # noqa: S105 - a made-up credential


def _forms(value: str) -> list[str]:
    raw = value.encode()
    return [
        value,
        quote(value, safe=""),
        quote_plus(value),
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
    ]


def _assert_clean(text: str, *values: str) -> None:
    for value in values:
        for form in _forms(value):
            assert form not in text, (form, text)


def test_ebay_basic_credential_echoed_by_the_token_endpoint_is_redacted() -> None:
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    body = {
        "error": "invalid_client",
        "error_description": f"client authentication failed for Basic {basic}",
        "errors": [{"parameter": "authorization", "message": f"bad credential {basic}"}],
    }
    answer = httpx.Response(401, json=body, headers={"WWW-Authenticate": f"Basic realm=x {basic}"})
    error = error_from_response("ebay", answer, secrets=[Secret(CLIENT_SECRET)])
    assert error is not None
    shown = f"{error} {error.headers} {getattr(error, 'field_errors', '')}"
    _assert_clean(shown, CLIENT_SECRET, f"{CLIENT_ID}:{CLIENT_SECRET}")
    assert REDACTED in str(error)


def test_a_base64_run_is_redacted_even_without_the_basic_prefix() -> None:
    Secret(CLIENT_SECRET)  # made somewhere in this process, e.g. by the eBay settings
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert redact_text(f"echo={basic}!") == f"echo={REDACTED}!"


def test_amazon_refresh_token_echoed_url_encoded_is_redacted() -> None:
    for echoed in (quote(REFRESH_TOKEN, safe=""), quote_plus(REFRESH_TOKEN), REFRESH_TOKEN):
        body = {"error": "invalid_grant", "error_description": f"refresh_token {echoed} unknown"}
        answer = httpx.Response(400, json=body)
        error = error_from_response("amazon", answer, secrets=[Secret(REFRESH_TOKEN)])
        assert error is not None
        _assert_clean(str(error), REFRESH_TOKEN)
    lowercase = quote(REFRESH_TOKEN, safe="").replace("%7C", "%7c").replace("%2F", "%2f")
    _assert_clean(redact_text(f"got {lowercase}", [REFRESH_TOKEN]), REFRESH_TOKEN)


def test_httpx_request_lines_lose_the_consumer_key_in_the_query() -> None:
    Secret(CONSUMER_KEY)
    Secret(CONSUMER_SECRET)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    log = logging.getLogger("httpx")
    log.addHandler(handler)
    old_level = log.level
    log.setLevel(logging.DEBUG)
    try:
        transport = httpx.MockTransport(lambda _request: httpx.Response(200, json=[]))
        with httpx.Client(transport=transport) as client:
            client.get(
                "http://shop.example/wp-json/wc/v3/products",
                params={"consumer_key": CONSUMER_KEY, "consumer_secret": CONSUMER_SECRET},
            )
    finally:
        log.removeHandler(handler)
        log.setLevel(old_level)
    line = stream.getvalue()
    assert "HTTP Request: GET http://shop.example/wp-json/wc/v3/products?" in line
    _assert_clean(line, CONSUMER_KEY, CONSUMER_SECRET)


def test_credential_named_parameters_and_members_are_redacted_without_the_secret() -> None:
    text = redact_text(
        'POST /token?grant_type=x&client_secret=abc123XYZ body {"access_token": "tok-987654"}'
    )
    assert "abc123XYZ" not in text
    assert "tok-987654" not in text
    assert "grant_type=x" in text


def test_ordinary_text_is_left_alone() -> None:
    text = "the token expired; the key of the lot is WJ261120A; Basic auth is off"
    assert redact_text(text) == text


def _raise(text: str) -> None:
    raise RuntimeError(text)


def _failure(text: str) -> BaseException:
    try:
        _raise(text)
    except RuntimeError as exc:
        return exc
    raise AssertionError


def test_the_filter_scrubs_arguments_and_tracebacks() -> None:
    secret = Secret("s3cr3t-value-for-a-test")
    exc = _failure(f"failed with {json.dumps({'key': secret.reveal()})}")
    record = logging.LogRecord(
        "ruralseller",
        logging.ERROR,
        "",
        0,
        "sent %s",
        (secret.reveal(),),
        (RuntimeError, exc, exc.__traceback__),
    )
    RedactingFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert "RuntimeError" in formatted
    assert secret.reveal() not in formatted
    assert REDACTED in formatted


@given(
    secret=st.text(
        alphabet=st.characters(min_codepoint=33, max_codepoint=0x2FFF), min_size=8, max_size=40
    ),
    before=st.text(max_size=20),
)
def test_every_encoded_form_of_a_secret_is_redacted(secret: str, before: str) -> None:
    for form in [*_forms(secret), json.dumps(secret)[1:-1]]:
        text = redact_text(f"{before}{form} and more", [secret])
        assert form not in text or form in before


def test_log_level_option_is_checked() -> None:
    result = CliRunner().invoke(
        cli, ["marketplaces"], env={"RURALSELLER_LOG": "debug"}, catch_exceptions=False
    )
    assert result.exit_code == 0
    result = CliRunner().invoke(cli, ["--log-level", "loud", "marketplaces"])
    assert result.exit_code == 2
    assert "--log-level" in result.output


@pytest.mark.parametrize("name", ["woocommerce", "ebay", "amazon", "shopify", "sandbox"])
def test_no_adapter_repr_shows_a_credential(name: str) -> None:
    settings = {
        "woocommerce": {"consumer_key": CONSUMER_KEY, "consumer_secret": CONSUMER_SECRET},
        "ebay": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "refresh_token": REFRESH_TOKEN,
            "category_id": "1",
            "merchant_location_key": "farm",
            "fulfillment_policy_id": "1",
            "payment_policy_id": "1",
            "return_policy_id": "1",
        },
        "amazon": {
            "seller_id": "A1",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "refresh_token": REFRESH_TOKEN,
        },
        "shopify": {"shop": "farm", "access_token": CONSUMER_SECRET},
        "sandbox": {"secret": CLIENT_SECRET},
    }[name]
    base = {"base_url": "https://shop.example"} if name == "woocommerce" else {}
    adapter = get_marketplace(name, **settings_from_text(name, base | settings))
    try:
        shown = f"{adapter!r} {adapter!s}"
        _assert_clean(shown, CLIENT_SECRET, REFRESH_TOKEN, CONSUMER_SECRET, CONSUMER_KEY)
    finally:
        asyncio.run(adapter.aclose())
