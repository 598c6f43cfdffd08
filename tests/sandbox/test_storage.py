from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.sandbox.conftest import SKU, SandboxAuth

from ruralseller.errors import StorageError
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


def test_a_broken_database_file_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.db"
    db.write_bytes(b"")
    with pytest.raises(StorageError, match=r"sandbox\.db: the file is empty"):
        create_app(db=db)
    db.write_bytes(b"<html>not a database</html>")
    with pytest.raises(StorageError, match="not a SQLite database"):
        create_app(db=db)
    with pytest.raises(StorageError, match="not a regular file"):
        create_app(db=tmp_path)


def test_a_full_disk_answers_503_not_500(tmp_path: Path, draft_data: dict[str, Any]) -> None:
    app = create_app(db=tmp_path / "sandbox.db")
    storage = app.state.sandbox.storage
    pages = storage._db.execute("PRAGMA page_count").fetchone()[0]
    storage._db.execute(f"PRAGMA max_page_count = {pages}")
    with running(app=app) as url, httpx.Client(base_url=url, auth=SandboxAuth()) as client:
        answer = client.put(f"/v1/listings/{SKU}", json=draft_data)
    assert answer.status_code == 503
    assert answer.json()["code"] == "storage_unavailable"
    assert "full" in answer.json()["message"]
    assert answer.headers["Retry-After"] == "30"
    app.state.sandbox.close()
