from __future__ import annotations

import time

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.sandbox.conftest import SandboxAuth, signature, signed_headers

from ruralseller.sandbox import DEMO_SECRET, SandboxConfig, create_app, running
from ruralseller.sandbox.auth import check_signature, sign


def test_no_headers_is_missing_credentials(anonymous: httpx.Client) -> None:
    answer = anonymous.get("/v1/listings")
    assert answer.status_code == 401
    assert answer.json()["code"] == "missing_credentials"
    assert len(answer.headers["X-Request-Id"]) == 32


def test_malformed_timestamp_is_missing_credentials(anonymous: httpx.Client) -> None:
    headers = signed_headers("GET", "/v1/listings") | {"X-Timestamp": "yesterday"}
    answer = anonymous.get("/v1/listings", headers=headers)
    assert (answer.status_code, answer.json()["code"]) == (401, "missing_credentials")


def test_unknown_key(anonymous: httpx.Client) -> None:
    headers = signed_headers("GET", "/v1/listings", key_id="nobody")
    answer = anonymous.get("/v1/listings", headers=headers)
    assert (answer.status_code, answer.json()["code"]) == (401, "unknown_key")


@pytest.mark.parametrize("skew", [-301, 301])
def test_stale_timestamp(anonymous: httpx.Client, skew: int) -> None:
    headers = signed_headers("GET", "/v1/listings", timestamp=int(time.time()) + skew)
    answer = anonymous.get("/v1/listings", headers=headers)
    assert (answer.status_code, answer.json()["code"]) == (401, "stale_timestamp")


def test_bad_signature(anonymous: httpx.Client) -> None:
    headers = signed_headers("GET", "/v1/listings", secret="not-the-secret")  # noqa: S106
    answer = anonymous.get("/v1/listings", headers=headers)
    assert (answer.status_code, answer.json()["code"]) == (401, "bad_signature")
    assert DEMO_SECRET not in answer.text


def test_signature_covers_the_query(anonymous: httpx.Client) -> None:
    headers = signed_headers("GET", "/v1/listings?limit=1")
    assert anonymous.get("/v1/listings?limit=1", headers=headers).status_code == 200
    assert anonymous.get("/v1/listings?limit=2", headers=headers).status_code == 401


def test_correct_signature_is_accepted(client: httpx.Client) -> None:
    answer = client.get("/v1/listings")
    assert answer.status_code == 200
    assert answer.json() == {"listings": [], "next": None}


def test_accounts_are_separate() -> None:
    app = create_app(accounts={"farm-a": "secret-a", "farm-b": "secret-b"})
    with running(app=app) as url:
        a = httpx.Client(base_url=url, auth=SandboxAuth("farm-a", "secret-a"))
        b = httpx.Client(base_url=url, auth=SandboxAuth("farm-b", "secret-b"))
        demo = httpx.Client(base_url=url, auth=SandboxAuth())
        with a, b, demo:
            assert demo.get("/v1/listings").json()["code"] == "unknown_key"
            assert a.get("/v1/listings/X").status_code == 404
            assert b.get("/v1/listings").status_code == 200
    app.state.sandbox.close()


def test_secrets_stay_out_of_reprs() -> None:
    config = SandboxConfig(accounts={"farm": "very-secret"})
    app = create_app(config)
    assert "very-secret" not in repr(config)
    assert "very-secret" not in repr(app.state.sandbox)
    assert "farm" in repr(config)


_methods = st.sampled_from(["GET", "PUT", "POST"])
_paths = st.from_regex(r"/v1/listings/[A-Za-z0-9-]{1,12}(\?[a-z]=[0-9]{1,3})?", fullmatch=True)
_bodies = st.binary(max_size=64)
_times = st.integers(min_value=0, max_value=2**40)


@given(_methods, _paths, _times, _bodies, st.text(min_size=1, max_size=20))
def test_the_right_signature_is_accepted(
    method: str, path: str, ts: int, body: bytes, secret: str
) -> None:
    assert check_signature(
        secret, method, path, ts, body, signature(secret, method, path, ts, body)
    )
    assert sign(secret, method, path, ts, body) == signature(secret, method, path, ts, body)


_requests = st.tuples(_paths, _times, _bodies)


@given(_methods, _requests, _requests)
def test_any_tampering_is_rejected(
    method: str, signed: tuple[str, int, bytes], sent: tuple[str, int, bytes]
) -> None:
    good = signature("s3cret", method, *signed)
    assert check_signature("s3cret", method, *sent, good) is (sent == signed)


@given(st.text(max_size=70))
def test_only_the_exact_signature_is_accepted(candidate: str) -> None:
    good = signature("s3cret", "GET", "/v1/listings", 1, b"")
    assert check_signature("s3cret", "GET", "/v1/listings", 1, b"", candidate) is (
        candidate == good
    )
