"""Load abuse: many variants of cacheable requests must not grow the server's memory without bound.

Probing found 1,600 case variants of one search on the measures summary took the server from
82 MB to 1.3 GB, because each variant was kept as a page of its own. Pages are now kept only
under keys that name no free text, and the cache is bounded in bytes (256 MB at most, and it
starts again when a newer revision of the organisation's records is kept).
"""

from __future__ import annotations

import random

from test_api_contract import demo, sign_in_client  # noqa: F401 (demo is a fixture)

VARIANTS = 400
# What the variants may add to the resident memory: the cache's own bound is 256 MB, and a
# search must not be cached at all, so a small share of that is already generous.
BOUND_MB = 96


def resident_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS for the server")


def test_variants_of_a_search_leave_memory_bounded(demo):
    client = sign_in_client(demo.base_url, "admin@example.org", "demo")
    units = client.get(demo.url("/api/v1/units"), timeout=30).json()
    trust = next(unit for unit in units if unit.get("parent_id") is None and unit["kind"] == "organisation")
    summary = demo.url(f"/units/{trust['id']}/measures")
    # Warm up: the first drawing of each page fills what any use would keep.
    for concern in ("", "yes"):
        assert client.get(summary, params={"concerns": concern}, timeout=60).status_code == 200
    before = resident_mb(demo.process.pid)
    rng = random.Random(7)
    for _ in range(VARIANTS):
        word = "".join(c.upper() if rng.random() < 0.5 else c for c in "falls")
        answer = client.get(summary, params={"q": word + " " * rng.randint(0, 3)}, timeout=60)
        assert answer.status_code == 200
    grown = resident_mb(demo.process.pid) - before
    print(f"{VARIANTS} variants of one search: resident memory grew {grown:.1f} MB (bound {BOUND_MB} MB)")
    assert grown < BOUND_MB, f"{VARIANTS} variants of one search grew the server by {grown:.0f} MB"
