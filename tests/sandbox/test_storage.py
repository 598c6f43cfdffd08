from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from tests.sandbox.conftest import SKU, SandboxAuth

from ruralseller.sandbox import create_app, running


def test_a_database_file_keeps_the_listings(tmp_path: Path, draft_data: dict[str, Any]) -> None:
    db = tmp_path / "sandbox.db"
    first = create_app(db=db)
    with running(app=first) as url, httpx.Client(base_url=url, auth=SandboxAuth()) as client:
        assert client.put(f"/v1/listings/{SKU}", json=draft_data).status_code == 201
    first.state.sandbox.close()
    second = create_app(db=db)
    assert second.state.sandbox.count_listings() == 1
    with running(app=second) as url, httpx.Client(base_url=url, auth=SandboxAuth()) as client:
        assert client.get(f"/v1/listings/{SKU}").json()["draft"] == draft_data
    second.state.sandbox.close()
