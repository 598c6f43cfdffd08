"""The reliability suite: every command against hostile inputs of every kind (see hostile.py).

A run fails on any Python traceback (or an exception escaping the command), an exit status
70 (an unexpected error, which the CLI reports as a bug), a command running past its bound,
or any form of a credential in the output, the log or a file the command wrote.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner, Result
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ruralseller.cli._app import cli
from ruralseller.cli._errors import EXIT_BUG
from ruralseller.sandbox import running

from . import hostile
from .hostile import LOT

#: How long any one command may take on hostile input before it counts as a hang.
BOUND = 30.0


@attrs.frozen
class Outcome:
    args: tuple[str, ...]
    code: int
    output: str
    seconds: float


def run(*args: str, env: dict[str, str] | None = None, bound: float = BOUND) -> Outcome:
    """Run a command in this process, failing on a hang, a traceback or an escaped error."""
    results: list[Result] = []
    started = time.monotonic()
    worker = threading.Thread(
        target=lambda: results.append(CliRunner().invoke(cli, list(args), env=env)), daemon=True
    )
    worker.start()
    worker.join(bound)
    seconds = time.monotonic() - started
    assert not worker.is_alive(), f"`ruralseller {' '.join(args)[:200]}` hung past {bound} s"
    (result,) = results
    shown = " ".join(a[:80] for a in args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"`{shown}` raised {result.exception!r}") from result.exception
    assert "Traceback (most recent call last)" not in result.output, (shown, result.output)
    assert result.exit_code != EXIT_BUG, (shown, result.output)
    return Outcome(tuple(args), result.exit_code, result.output, seconds)


def assert_no_secret(*texts: str) -> None:
    forms = hostile.all_secret_forms()
    for text in texts:
        for form in forms:
            assert form not in text, f"a credential ({form[:6]}...) leaked: ...{text[-300:]}"


def files_text(folder: Path) -> str:
    return "\n".join(
        path.read_bytes().decode("utf-8", "replace")
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


# --- the commands, as a catalogue folder is given to each ------------------------------------


def catalogue_commands(farm: Path, out: Path) -> list[tuple[str, ...]]:
    f = str(farm)
    return [
        ("validate", f),
        ("validate", f, "--json"),
        ("check", f, "--lot", LOT, "--to", "US"),
        ("pack", f, "--lot", LOT, "--hours", "48"),
        ("plan", f, "--lot", LOT, "--to", "上海", "--ship-at", "2026-11-21T10:00+08:00"),
        ("render", f, "--lot", LOT, "-o", str(out / "render")),
        ("trace", f, "--lot", LOT, "-o", str(out / "events.jsonld")),
        ("label", f, "--lot", LOT, "--weight", "1.3 kg", "-o", str(out / "label.png")),
        ("publish", f, "--to", "sandbox", "--dry-run"),
    ]


@pytest.fixture
def farm(tmp_path: Path) -> Path:
    return hostile.copy_farm(tmp_path / "farm")


def test_every_command_runs_on_the_sample(farm: Path, tmp_path: Path) -> None:
    """The baseline: the sample works with each command (so failures below are the input's)."""
    for args in [*catalogue_commands(farm, tmp_path), ("rules",), ("schema",)]:
        outcome = run(*args)
        assert outcome.code in (0, 1), outcome


@pytest.mark.parametrize("kind", sorted(hostile.HOSTILE_FILES))
def test_a_hostile_catalogue_file_is_a_clear_error(kind: str, tmp_path: Path) -> None:
    farm = hostile.copy_farm(tmp_path / "farm")
    (farm / "catalog.toml").unlink()
    hostile.HOSTILE_FILES[kind](farm / "catalog.toml")
    for args in catalogue_commands(farm, tmp_path)[:3]:
        outcome = run(*args)
        assert outcome.code != 0, outcome
        assert "catalog.toml" in outcome.output, outcome


@pytest.mark.parametrize("kind", sorted(hostile.HOSTILE_FILES))
@pytest.mark.parametrize("name", ["packaging.toml", "carriers.toml"])
def test_hostile_packaging_and_carrier_files(kind: str, name: str, farm: Path) -> None:
    hostile.HOSTILE_FILES[kind](farm / name)
    command = "pack" if name == "packaging.toml" else "plan"
    extra = ("--hours", "48") if command == "pack" else ("--to", "上海")
    outcome = run(command, str(farm), "--lot", LOT, *extra)
    if kind in ("empty", "dangling link") and name == "packaging.toml":
        return  # no materials of the partner's own: the built-in ones are used
    assert outcome.code in (1, 2), outcome
    assert name in outcome.output, outcome


def test_hostile_json_catalogues(tmp_path: Path) -> None:
    for n, text in enumerate(
        ["[" * 100_000 + "]" * 100_000, '{"format": 1e999999}', '{"format": "\\ud800"}', "null"]
    ):
        file = tmp_path / f"c{n}.json"
        file.write_text(text, encoding="utf-8")
        outcome = run("validate", str(file))
        assert outcome.code != 0, outcome


MUTATIONS = hostile.mutated_catalogues(120)


@pytest.mark.parametrize("text", [text for _, text in MUTATIONS], ids=[n for n, _ in MUTATIONS])
def test_generated_catalogues_never_crash_validate_or_check(text: str, farm: Path) -> None:
    (farm / "catalog.toml").write_text(text, encoding="utf-8")
    for args in (("validate", str(farm)), ("check", str(farm), "--lot", LOT)):
        run(*args)


@pytest.mark.parametrize(
    "text", [text for _, text in MUTATIONS[:12]], ids=[n for n, _ in MUTATIONS[:12]]
)
def test_generated_catalogues_never_crash_any_command(
    text: str, farm: Path, tmp_path: Path
) -> None:
    (farm / "catalog.toml").write_text(text, encoding="utf-8")
    for args in catalogue_commands(farm, tmp_path)[2:]:
        run(*args)


@pytest.mark.parametrize("title", hostile.HOSTILE_TEMPLATES)
def test_hostile_templates_are_clear_errors(title: str, farm: Path, tmp_path: Path) -> None:
    templates = hostile.template_folder(tmp_path / "templates", title)
    out = tmp_path / "out"
    outcome = run("render", str(farm), "--lot", LOT, "--templates", str(templates), "-o", str(out))
    assert "root:x:0:0" not in outcome.output
    if out.exists():
        assert "root:x:0:0" not in files_text(out)


@pytest.mark.parametrize("kind", sorted(hostile.HOSTILE_OUTBOXES))
def test_a_broken_outbox_is_a_clear_error_for_every_command(
    kind: str, farm: Path, tmp_path: Path
) -> None:
    path = tmp_path / "outbox.db"
    hostile.HOSTILE_OUTBOXES[kind](path)
    before = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    f, box = str(farm), str(path)
    for args in (
        ("publish", f, "--to", "sandbox", "--lot", LOT, "--offline", "--outbox", box),
        ("sync", f, "--to", "sandbox", "--outbox", box),
        ("outbox", f, "--outbox", box),
        ("withdraw", f, "--to", "sandbox", "--lot", LOT, "--outbox", box),
    ):
        outcome = run(*args)
        assert outcome.code == 2, outcome
        assert "outbox.db" in outcome.output, outcome
    if before is not None:
        assert path.read_bytes() == before  # refused, never recreated


@pytest.mark.parametrize("place", ["/proc/ruralseller/outbox.db", "/dev/null", "/"])
def test_an_outbox_in_a_place_no_file_can_be_is_a_clear_error(place: str, farm: Path) -> None:
    outcome = run("publish", str(farm), "--to", "sandbox", "--offline", "--outbox", place)
    assert outcome.code == 2, outcome


def test_a_full_disk_loses_nothing_queued(farm: Path, tmp_path: Path) -> None:
    """In a process whose files may not grow (RLIMIT_FSIZE), as on a full disk."""
    box = tmp_path / "outbox.db"
    on = ("--on", "2026-11-21")
    first = run(
        "publish",
        str(farm),
        "--to",
        "sandbox",
        "--lot",
        LOT,
        "--offline",
        "--outbox",
        str(box),
        *on,
    )
    assert first.code == 0, first
    limit = box.stat().st_size + 4096
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        "from ruralseller.cli import main\n"
        "sys.argv = ['ruralseller'] + sys.argv[1:]\n"
        "main()\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-c",
            script,
            "publish",
            str(farm),
            "--to",
            "sandbox",
            "--offline",
            "--outbox",
            str(box),
            *on,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    shown = done.stdout + done.stderr
    assert "Traceback" not in shown, shown
    assert done.returncode == 2, shown
    assert "outbox.db" in shown, shown
    assert "free some space" in shown or "a file size limit" in shown, shown
    listed = run("outbox", str(farm), "--outbox", str(box))
    assert LOT in listed.output  # what was queued before is still there


HOSTILE_OPTIONS: list[tuple[str, ...]] = [
    ("check", "{farm}", "--lot", "{v}"),
    ("check", "{farm}", "--to", "{v}"),
    ("check", "{farm}", "--dry-ice", "{v}", "--air"),
    ("check", "{farm}", "--title", "{v}"),
    ("pack", "{farm}", "--lot", LOT, "--hours", "48", "--ambient", "{v}"),
    ("pack", "{farm}", "--lot", LOT, "--hours", "48", "--profile", "{v}"),
    ("plan", "{farm}", "--lot", LOT, "--to", "{v}"),
    ("plan", "{farm}", "--lot", LOT, "--to", "上海", "--ship-at", "{v}"),
    ("label", "{farm}", "--lot", LOT, "--weight", "{v}", "-o", "{out}/l.png"),
    ("render", "{farm}", "--lot", LOT, "--price", "{v}", "-o", "{out}/r"),
    ("render", "{farm}", "--lot", LOT, "--locale", "{v}", "-o", "{out}/r"),
    ("trace", "{farm}", "--lot", LOT, "--to", "{v}"),
    ("trace", "{farm}", "--lot", LOT, "--to", "上海", "--ship-at", "{v}"),
    ("trace", "{farm}", "--lot", LOT, "--logger", "{v}"),
    ("trace", "{farm}", "--lot", "{v}"),
    ("publish", "{farm}", "--to", "sandbox", "--dry-run", "--price", "{v}"),
    ("publish", "{farm}", "--to", "{v}", "--dry-run"),
    ("publish", "{farm}", "--to", "sandbox", "--offline", "--outbox", "{out}/o.db", "--lot", "{v}"),
    ("sync", "{farm}", "--to", "sandbox", "-o", "{v}"),
    ("sync", "{farm}", "--to", "sandbox", "-o", "base_url={v}"),
    ("rules", "-j", "{v}"),
]


@pytest.mark.parametrize("template", HOSTILE_OPTIONS, ids=lambda t: " ".join(t[:1] + t[2:4]))
def test_hostile_option_values(template: tuple[str, ...], farm: Path, tmp_path: Path) -> None:
    (farm / ".ruralseller").mkdir(exist_ok=True)
    start = HOSTILE_OPTIONS.index(template)
    values = [hostile.HOSTILE_TEXT[(start + n) % len(hostile.HOSTILE_TEXT)] for n in range(8)]
    for value in values:
        if "\x00" in value and template[0] in ("label", "render", "publish"):
            continue  # a NUL cannot be in a command-line argument at all
        args = [part.format(farm=farm, out=tmp_path, v=value) for part in template]
        run(*args, bound=BOUND)


# --- credentials ---------------------------------------------------------------------------


async def _echo(request: Request) -> Response:
    """A marketplace that echoes back every credential it was sent, in every place."""
    body = (await request.body()).decode("utf-8", "replace")
    said = (
        f"{request.method} {request.url} Authorization: {request.headers.get('authorization')} "
        f"x-amz-access-token: {request.headers.get('x-amz-access-token')} "
        f"X-Shopify-Access-Token: {request.headers.get('x-shopify-access-token')} body: {body}"
    )
    answer = {
        "error": "invalid_client",
        "error_description": said,
        "message": said,
        "errors": [{"message": said, "code": "InvalidInput", "field": said}],
    }
    status = 401 if "token" in request.url.path else 400
    return JSONResponse(answer, status_code=status, headers={"X-Echo": said[:2000].strip()})


@pytest.fixture(scope="module")
def echo_url() -> Iterator[str]:
    app = Starlette(
        routes=[Route("/{path:path}", _echo, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])]
    )
    with running(app=app) as url:
        yield url


@pytest.mark.parametrize("marketplace", ["woocommerce", "ebay", "amazon", "shopify"])
def test_no_credential_leaks_anywhere(
    marketplace: str, echo_url: str, farm: Path, tmp_path: Path
) -> None:
    options = hostile.adapter_options(marketplace, echo_url)
    box = tmp_path / "outbox.db"
    env = {"RURALSELLER_LOG": "debug"}
    price = ("--price", f"{LOT}=5.20 USD")
    outcomes = [
        run(
            "publish",
            str(farm),
            "--to",
            marketplace,
            "--lot",
            LOT,
            *price,
            *options,
            "--outbox",
            str(box),
            env=env,
        ),
        run("sync", str(farm), "--to", marketplace, *options, "--outbox", str(box), env=env),
        run("outbox", str(farm), "--outbox", str(box), env=env),
        run(
            "withdraw",
            str(farm),
            "--to",
            marketplace,
            "--lot",
            LOT,
            *options,
            "--outbox",
            str(box),
            env=env,
        ),
        run("marketplaces", env=env),
    ]
    shown = "\n".join(outcome.output for outcome in outcomes)
    assert "HTTP Request" in shown or marketplace == "ebay"  # the log was on
    assert_no_secret(shown, files_text(tmp_path))


def test_credentials_from_the_environment_do_not_leak(
    echo_url: str, farm: Path, tmp_path: Path
) -> None:
    c = hostile.CREDENTIALS
    env = {
        "RURALSELLER_LOG": "debug",
        "RURALSELLER_WOOCOMMERCE_BASE_URL": echo_url,
        "RURALSELLER_WOOCOMMERCE_CONSUMER_KEY": c["consumer_key"],
        "RURALSELLER_WOOCOMMERCE_CONSUMER_SECRET": c["consumer_secret"],
    }
    box = tmp_path / "outbox.db"
    outcome = run(
        "publish",
        str(farm),
        "--to",
        "woocommerce",
        "--lot",
        LOT,
        "--price",
        f"{LOT}=5.20 USD",
        "--outbox",
        str(box),
        env=env,
    )
    assert_no_secret(outcome.output, files_text(tmp_path))


def test_the_suite_catches_a_leak() -> None:
    """The checks above can fail: a secret printed plainly, or in Basic auth, is found."""
    with pytest.raises(AssertionError, match="leaked"):
        assert_no_secret(f"token {hostile.CREDENTIALS['refresh_token']}")
    basic = next(iter(hostile.basic_forms("a-user", "a-password-123")))
    assert basic in hostile.basic_forms("a-user", "a-password-123")


def test_commands_never_print_a_traceback_for_a_bug(
    monkeypatch: pytest.MonkeyPatch, farm: Path
) -> None:
    """An unexpected error is one line and exit 70, which the suite counts as a failure."""

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("ruralseller.cli.catalog.load_catalog", broken)
    result = CliRunner().invoke(cli, ["validate", str(farm)])
    assert result.exit_code == EXIT_BUG
    assert "Traceback" not in result.output
    assert "unexpected RuntimeError: boom" in result.output
    assert "bug in ruralseller" in result.output
    with pytest.raises(AssertionError):
        run("validate", str(farm))  # the suite counts it as a failure


def test_the_whole_cli_in_a_subprocess_prints_no_traceback(tmp_path: Path) -> None:
    """The console script itself, on a FIFO catalogue (this hung `validate` before)."""
    os.mkfifo(tmp_path / "catalog.toml")
    script = shutil.which("ruralseller") or ""
    command = (
        [script] if script else [sys.executable, "-c", "from ruralseller.cli import main; main()"]
    )
    done = subprocess.run(  # noqa: S603 - our own entry point
        [*command, "validate", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "named pipe" in done.stdout + done.stderr


@pytest.mark.parametrize(
    "kind", ["empty", "not a database", "truncated", "another program's database", "a folder"]
)
def test_the_sandbox_refuses_a_broken_store(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "sandbox.db"
    hostile.HOSTILE_OUTBOXES[kind](path)
    outcome = run("sandbox", "serve", "--port", "0", "--db", str(path), bound=20)
    assert outcome.code == 2, outcome
    assert "sandbox.db" in outcome.output, outcome


@pytest.mark.parametrize("place", ["/proc/farm", "/dev/null", "file", "fifo", "\x01weird name"])
def test_init_in_a_place_it_cannot_write_is_a_clear_error(place: str, tmp_path: Path) -> None:
    target = tmp_path / place if not place.startswith("/") else Path(place)
    if place == "file":
        target.write_text("taken", encoding="utf-8")
    if place == "fifo":
        os.mkfifo(target)
    outcome = run("init", str(target))
    assert outcome.code in (0, 1, 2), outcome
