"""Fault: the server killed with SIGKILL at random moments while it acknowledges writes, on
SQLite and on PostgreSQL.

Each trial loads measure data through the API in batches from a writer thread, kills the
server at a random moment, starts it again on the same database, and checks that every batch
the server answered 200 to is there. At the end `openqi check` must find the database sound.
(SQLite runs in WAL mode with synchronous=NORMAL: a crash of the process, unlike a power cut,
loses no commit.)
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sqlite3
import subprocess
import threading
import time

import requests

from conftest import OPENQI_BIN, REPO_ROOT, _run_cli, _server_env, _start_server, _stop_server
from test_api_contract import sign_in_client
from test_instances import psql, shared_database  # noqa: F401 (shared_database is a fixture)

TRIALS = 5
BATCH = 20


def measure_key(db) -> str:
    with sqlite3.connect(db) as connection:
        row = connection.execute("SELECT key FROM measures WHERE key IS NOT NULL ORDER BY key LIMIT 1").fetchone()
    assert row, "the demo has no keyed measure"
    return row[0]


def stored(db, key: str) -> dict[str, float]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT p.period, p.value FROM data_points p JOIN measures m ON m.id = p.measure_id WHERE m.key = ?",
            (key,)).fetchall()
    # SQLite keeps dates as text or as seconds; the day is what counts.
    days = {}
    for period, value in rows:
        day = period[:10] if isinstance(period, str) else dt.datetime.fromtimestamp(period, dt.UTC).date().isoformat()
        days[day] = value
    return days


def test_sigkill_during_acknowledged_writes_loses_nothing(workdir):
    db = workdir / "fault.sqlite"
    trials(lambda *extra: _start_server(workdir, db, *extra), lambda: measure_key(db), lambda key: stored(db, key))
    check = _run_cli("check", "--db", str(db))
    assert check.returncode == 0, f"openqi check failed after the crashes:\n{check.stdout}\n{check.stderr}"
    assert "no problems found" in check.stdout


def test_sigkill_on_postgresql_loses_nothing(workdir, shared_database):
    env = {"DATABASE_URL": shared_database}
    db = workdir / "unused.sqlite"

    def key() -> str:
        return psql(shared_database, "SELECT key FROM measures WHERE key IS NOT NULL ORDER BY key LIMIT 1")

    def kept(key: str) -> dict[str, float]:
        rows = psql(shared_database, "SELECT p.period, p.value FROM data_points p JOIN measures m "
                                     f"ON m.id = p.measure_id WHERE m.key = '{key}'")
        return {period: float(value) for period, value in (line.split("|") for line in rows.splitlines() if line)}

    trials(lambda *extra: _start_server(workdir, db, *extra, env=env), key, kept)
    check = subprocess.run([str(OPENQI_BIN), "check"], cwd=REPO_ROOT, env={**_server_env(), **env},
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, f"openqi check failed after the crashes:\n{check.stdout}\n{check.stderr}"
    assert "no problems found" in check.stdout


def trials(start, measure_key, stored) -> None:
    """Kills the server TRIALS times during acknowledged writes; nothing acknowledged may be lost."""
    server = start("--demo")
    key = measure_key()
    rng = random.Random(2026)
    acknowledged: dict[str, float] = {}
    next_day = dt.date(1990, 1, 1)
    for trial in range(TRIALS):
        client = sign_in_client(server.base_url, "admin@example.org", "demo")
        stop = threading.Event()
        start_day = next_day

        def write():
            day = start_day
            batch_number = 0
            while not stop.is_set():
                # Every chart takes a denominator; the u charts of the demo need one.
                points = [{"measure": key, "period": (day + dt.timedelta(days=i)).isoformat(),
                           "value": float(trial * 1000 + batch_number), "denominator": 1000.0}
                          for i in range(BATCH)]
                try:
                    answer = client.post(server.url("/api/v1/measures/data"), json={"points": points}, timeout=10)
                except requests.RequestException:
                    return
                if answer.status_code == 200:
                    for point in points:
                        acknowledged[point["period"]] = point["value"]
                day += dt.timedelta(days=BATCH)
                batch_number += 1

        before = len(acknowledged)
        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(rng.uniform(0.3, 1.2))
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)
        stop.set()
        writer.join(timeout=30)
        assert not writer.is_alive()
        assert len(acknowledged) > before, f"trial {trial}: nothing was acknowledged before the kill"
        next_day = max([dt.date.fromisoformat(day) for day in acknowledged] + [next_day]) + dt.timedelta(days=365)
        server = start()
        kept = stored(key)
        lost = [day for day, value in acknowledged.items() if kept.get(day) != value]
        assert not lost, f"trial {trial}: {len(lost)} acknowledged points lost or changed, e.g. {lost[:3]}"
    print(f"{len(acknowledged)} acknowledged points over {TRIALS} kills")
    _stop_server(server)
