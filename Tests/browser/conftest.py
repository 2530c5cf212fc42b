"""Fixtures for OpenQI's browser tests.

Each test session runs the real `openqi` binary on a fresh SQLite file on a free loopback port,
with a first administrator created from the command line, and drives it with headless Chromium
through Playwright's sync API. Nothing here needs JavaScript in the app: every page is
server-rendered.

Environment:
    OPENQI_BIN  the openqi binary (default: <repo>/.build/debug/openqi)
    CHROMIUM    the Chromium to drive (default: /usr/bin/chromium)
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
OPENQI_BIN = Path(os.environ.get("OPENQI_BIN", REPO_ROOT / ".build" / "debug" / "openqi"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

ADMIN_EMAIL = "admin@test.example"
# `openqi user create` names the person from the part of the email before the @, capitalised.
ADMIN_NAME = "Admin"
STARTUP_TIMEOUT = 60.0
ONE_TIME_PASSWORD = re.compile(r"One-time password for (\S+): (\S+)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env() -> dict[str, str]:
    env = dict(os.environ)
    # Always the SQLite file given with --db, plain-HTTP cookies, and normal logging.
    for name in ("DATABASE_URL", "OPENQI_DB", "OPENQI_SECURE_COOKIES", "OPENQI_HOSTNAME", "OPENQI_PORT") + tuple(
        name for name in os.environ if name.startswith("OPENQI_OIDC_") or name in ("OPENQI_PUBLIC_URL", "OPENQI_PASSWORD_SIGN_IN")
    ):
        env.pop(name, None)
    return env


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    if not OPENQI_BIN.exists():
        pytest.fail(f"openqi binary not found at {OPENQI_BIN} (set OPENQI_BIN)")
    return subprocess.run(
        [str(OPENQI_BIN), *args], cwd=REPO_ROOT, env=_server_env(),
        capture_output=True, text=True, timeout=120,
    )


def create_admin(db: Path, email: str) -> str:
    """Runs `openqi user create --admin` and returns the one-time password it prints.

    On an existing sign-in this issues a new one-time password (which must be changed again)."""
    result = _run_cli("user", "create", "--admin", email, "--db", str(db))
    if result.returncode != 0:
        pytest.fail(f"`openqi user create` failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    match = ONE_TIME_PASSWORD.search(result.stdout)
    if not match:
        pytest.fail(f"no one-time password in the output of `openqi user create`:\n{result.stdout}\n{result.stderr}")
    assert match.group(1) == email.lower()
    return match.group(2)


_SERVERS: list["RunningServer"] = []


@dataclass
class RunningServer:
    base_url: str
    db: Path
    log_path: Path
    process: subprocess.Popen

    def url(self, path: str) -> str:
        return self.base_url + path

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"


def _start_server(
    workdir: Path, db: Path, *extra: str, port: int | None = None, env: dict[str, str] | None = None
) -> RunningServer:
    port = port or _free_port()
    log_path = workdir / f"server-{port}.log"
    log_file = open(log_path, "w")
    process = subprocess.Popen(
        [str(OPENQI_BIN), "serve", "--db", str(db), "--hostname", "127.0.0.1", "--port", str(port), *extra],
        cwd=REPO_ROOT, env={**_server_env(), **(env or {})}, stdout=log_file, stderr=subprocess.STDOUT,
    )
    log_file.close()
    server = RunningServer(base_url=f"http://127.0.0.1:{port}", db=db, log_path=log_path, process=process)
    _SERVERS.append(server)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        if process.poll() is not None:
            pytest.fail(f"openqi serve exited with {process.returncode} before it was ready. Log:\n{server.log()}")
        try:
            with urllib.request.urlopen(server.url("/health"), timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.monotonic() > deadline:
            _stop_server(server)
            pytest.fail(f"openqi serve did not answer /health within {STARTUP_TIMEOUT:.0f} s. Log:\n{server.log()}")
        time.sleep(0.25)


def _stop_server(server: RunningServer) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


@dataclass
class Admin:
    """The administrator's sign-in, and what the tests have done to its password so far."""
    email: str
    password: str
    must_change_password: bool = True
    _changes: int = field(default=0, repr=False)

    def next_password(self) -> str:
        self._changes += 1
        return f"Browser-test-password-{self._changes}"


@dataclass
class App:
    server: RunningServer
    admin: Admin

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def url(self, path: str) -> str:
        return self.server.url(path)

    def reissue_one_time_password(self) -> str:
        """Gives the administrator a fresh one-time password, as `openqi user create` does for an
        existing sign-in, so a test can walk the first-sign-in journey whatever ran before it."""
        self.admin.password = create_admin(self.server.db, self.admin.email)
        self.admin.must_change_password = True
        return self.admin.password


@pytest.fixture(scope="session")
def workdir():
    path = Path(tempfile.mkdtemp(prefix="openqi-browser-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def app(workdir: Path):
    """A fresh OpenQI with one administrator (ADMIN_EMAIL) holding a one-time password."""
    db = workdir / "openqi.sqlite"
    password = create_admin(db, ADMIN_EMAIL)
    server = _start_server(workdir, db)
    try:
        yield App(server=server, admin=Admin(email=ADMIN_EMAIL, password=password))
    finally:
        _stop_server(server)


@pytest.fixture(scope="session")
def start_server(workdir: Path):
    """Starts further servers (each on its own fresh database, on `port` if given, with `env` added
    to its environment); all are stopped at the end."""
    started: list[RunningServer] = []

    def start(*extra: str, port: int | None = None, env: dict[str, str] | None = None) -> RunningServer:
        db = Path(tempfile.mkstemp(dir=workdir, suffix=".sqlite")[1])
        db.unlink()
        server = _start_server(workdir, db, *extra, port=port, env=env)
        started.append(server)
        return server

    yield start
    for server in started:
        _stop_server(server)


@pytest.fixture(scope="session")
def playwright_instance():
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance) -> Browser:
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"],
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, request):
    """A page in its own browser context (own cookies), failing the test on any JavaScript dialog."""
    context = browser.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page
    context.close()
    assert not dialogs, f"unexpected JavaScript dialogs: {dialogs}"


def sign_in(page: Page, base_url: str, email: str, password: str) -> None:
    page.goto(base_url + "/sign-in")
    page.fill("#field-email", email)
    page.fill("#field-password", password)
    page.get_by_role("button", name="Sign in").click()


def change_password(page: Page, current: str, new: str) -> None:
    page.fill("#field-current_password", current)
    page.fill("#field-new_password", new)
    page.fill("#field-confirm_password", new)
    page.get_by_role("button", name="Change password").click()


@pytest.fixture
def admin_page(app: App, page: Page) -> Page:
    """A page signed in as the administrator, changing the one-time password first if need be."""
    sign_in(page, app.base_url, app.admin.email, app.admin.password)
    if app.admin.must_change_password:
        expect(page).to_have_url(re.compile(r"/account/password$"))
        new = app.admin.next_password()
        change_password(page, app.admin.password, new)
        app.admin.password = new
        app.admin.must_change_password = False
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert "/sign-in" not in page.url, f"still on the sign-in page: {page.url}"
    return page


@pytest.fixture(autouse=True)
def _server_log_on_failure(request):
    """Prints the tail of each server's log when a test fails, to tell app bugs from test bugs."""
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        for server in _SERVERS:
            tail = "\n".join(server.log().splitlines()[-60:])
            print(f"\n--- openqi server log, {server.base_url} (tail) ---\n{tail}")


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
