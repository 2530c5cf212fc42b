"""Two `openqi serve` processes on one PostgreSQL database, as behind a load balancer: started at
the same moment on an empty database, they run each migration once; a session made on one is
good on the other; and a change made through one is on the next page the other serves, cached
or not. Needs the PostgreSQL server `scripts/test` starts (OPENQI_TEST_DATABASE_URL).
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from conftest import OPENQI_BIN, REPO_ROOT, _server_env, create_admin
from test_api_contract import sign_in_client

ADMIN = "admin@instances.example"
PASSWORD = "Instances-test-password-1"


def psql(url: str, sql: str) -> str:
    parts = urlsplit(url)
    env = dict(os.environ, PGPASSWORD=parts.password or "")
    result = subprocess.run(
        ["psql", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "",
         "-d", parts.path.lstrip("/"), "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql],
        env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def shared_database():
    admin_url = os.environ.get("OPENQI_TEST_DATABASE_URL")
    if not admin_url:
        pytest.skip("OPENQI_TEST_DATABASE_URL is not set (scripts/test sets it to the PostgreSQL it starts)")
    name = "openqi_test_instances_" + uuid.uuid4().hex[:8]
    psql(admin_url, f"CREATE DATABASE {name}")
    parts = urlsplit(admin_url)
    try:
        yield urlunsplit(parts._replace(path="/" + name))
    finally:
        psql(admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def first_sign_in(base: str, email: str, one_time: str, new: str) -> None:
    """Signs in with the one-time password and changes it, as the first administrator must."""
    client = requests.Session()
    form = client.get(base + "/sign-in", timeout=30)
    token = re.search(r'name="_csrf" value="([^"]+)"', form.text).group(1)
    client.post(base + "/sign-in", data={"_csrf": html.unescape(token), "email": email, "password": one_time},
                timeout=30)
    page = client.get(base + "/account/password", timeout=30)
    token = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)
    changed = client.post(
        base + "/account/password",
        data={"_csrf": html.unescape(token), "current_password": one_time, "new_password": new,
              "confirm_password": new}, allow_redirects=False, timeout=30)
    assert changed.status_code == 303, changed.text[:500]


def test_two_instances_share_one_database(start_server, shared_database):
    env = {"DATABASE_URL": shared_database}
    # Started together on an empty database: both migrate at once, and the lock makes it one run.
    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(lambda _: start_server(env=env), range(2))
    migrations = psql(shared_database, "SELECT count(*), count(DISTINCT name) FROM _fluent_migrations")
    total, distinct = (int(n) for n in migrations.split("|"))
    assert total == distinct and total > 30, f"{total} migration rows for {distinct} migrations"

    created = subprocess.run(
        [str(OPENQI_BIN), "user", "create", "--admin", ADMIN], cwd=REPO_ROOT,
        env={**_server_env(), **env}, capture_output=True, text=True, timeout=120)
    assert created.returncode == 0, created.stderr
    one_time = re.search(r"One-time password for \S+: (\S+)", created.stdout).group(1)
    first_sign_in(first.base_url, ADMIN, one_time, PASSWORD)

    a = sign_in_client(first.base_url, ADMIN, PASSWORD)
    b = sign_in_client(second.base_url, ADMIN, PASSWORD)
    # A session made on one instance is good on the other: they share the sessions table.
    borrowed = requests.Session()
    borrowed.cookies.update(a.cookies)
    assert "Sign out" in borrowed.get(second.base_url + "/", timeout=30).text

    unit = a.post(first.base_url + "/api/v1/units", json={"name": "Rowan Trust", "kind": "organisation"}, timeout=30)
    assert unit.status_code == 201, unit.text
    unit = unit.json()
    # The second instance draws the unit's page and the unit list, and keeps them.
    for _ in range(2):
        assert "Rowan Trust" in b.get(f"{second.base_url}/units/{unit['id']}", timeout=30).text
        assert "Rowan Trust" in b.get(second.base_url + "/units", timeout=30).text

    renamed = a.put(f"{first.base_url}/api/v1/units/{unit['id']}",
                    json={**unit, "name": "Rowan Health Trust"}, timeout=30)
    assert renamed.status_code == 200, renamed.text
    # The very next request to the other instance sees the change, not its kept copy.
    page = b.get(f"{second.base_url}/units/{unit['id']}", timeout=30).text
    assert "Rowan Health Trust" in page
    assert "Rowan Health Trust" in b.get(second.base_url + "/units", timeout=30).text
    api = b.get(f"{second.base_url}/api/v1/units/{unit['id']}", timeout=30).json()
    assert api["name"] == "Rowan Health Trust"

    # Signing out on one instance ends the session on both.
    a_page = a.get(first.base_url + "/", timeout=30)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', a_page.text).group(1)
    a.post(first.base_url + "/sign-out", data={"_csrf": html.unescape(token)}, timeout=30)
    after = borrowed.get(second.base_url + "/", timeout=30, allow_redirects=False)
    assert after.status_code in (302, 303) and "/sign-in" in after.headers["location"]
