"""Runs the test OpenID Connect provider (Tests/oidc/serve.py, django-oidc-provider) for a test.

    with running_provider(port, "openqi", "secret", ["http://127.0.0.1:8080/auth/callback"],
                          [("ada@test.example", "pw")]) as issuer:
        ...  # issuer == f"http://127.0.0.1:{port}/openid"

The provider's output (request log, reasons it refused a request) goes to a temporary log file,
never to a pipe that could fill up; it is quoted in the error if the provider fails to start.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterable, Iterator, Sequence

SERVE = Path(__file__).resolve().parents[1] / "oidc" / "serve.py"
STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0


def _read(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


@contextlib.contextmanager
def running_provider(
    port: int,
    client_id: str,
    client_secret: str,
    redirect_uris: Sequence[str],
    users: Iterable[tuple[str, str]] | dict[str, str],
    post_logout_redirect_uri: str | None = None,
) -> Iterator[str]:
    """Starts the provider on 127.0.0.1:port and yields its issuer URL; stops it on exit.

    users: (email, password) pairs, or a dict of email to password.
    """
    if isinstance(redirect_uris, str):
        redirect_uris = [redirect_uris]
    pairs = list(users.items()) if isinstance(users, dict) else list(users)
    cmd = [sys.executable, str(SERVE), "--port", str(port),
           "--client-id", client_id, "--client-secret", client_secret]
    for uri in redirect_uris:
        cmd += ["--redirect-uri", uri]
    for email, password in pairs:
        cmd += ["--user", f"{email}:{password}"]
    if post_logout_redirect_uri:
        cmd += ["--post-logout-redirect-uri", post_logout_redirect_uri]

    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log_fd, log_path = tempfile.mkstemp(prefix="openqi-oidc-", suffix=".log")
    proc = None
    try:
        with os.fdopen(log_fd, "wb") as log:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                    stderr=subprocess.STDOUT, env=env)
        issuer = _wait_ready(proc, log_path)
        yield issuer
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=STOP_TIMEOUT)
        with contextlib.suppress(OSError):
            os.unlink(log_path)


def _wait_ready(proc: subprocess.Popen, log_path: str) -> str:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        for line in _read(log_path).splitlines():
            if line.startswith("ready "):
                return line.split(" ", 1)[1].strip()
        if proc.poll() is not None:
            raise RuntimeError(
                f"OpenID provider exited with status {proc.returncode} before it was ready:\n"
                + _read(log_path))
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"OpenID provider not ready after {STARTUP_TIMEOUT:.0f} s:\n" + _read(log_path))
        time.sleep(0.1)
