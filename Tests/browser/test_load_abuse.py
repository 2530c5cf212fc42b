"""Load abuse: many variants of cacheable requests must not grow the server's memory without bound.

Probing found 1,600 case variants of one search on the measures summary took the server from
82 MB to 1.3 GB, because each variant was kept as a page of its own. Pages are now kept only
under keys that name no free text, and the cache is bounded in bytes (256 MB at most, and it
starts again when a newer revision of the organisation's records is kept).
"""

from __future__ import annotations

import random
import re

from test_api_contract import demo, sign_in_client  # noqa: F401 (demo is a fixture)

VARIANTS = 200
# What the variants may add to the resident memory: the cache's own bound is 256 MB, and a
# search must not be cached at all, so a small share of that is already generous.
BOUND_MB = 96


def resident_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS for the server")


def random_text(rng: random.Random) -> str:
    """A search anyone might send: words, case, spaces, accents, symbols and lengths all vary."""
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 éøß&%_-'\"<>"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60)))


def test_variants_of_cacheable_requests_leave_memory_bounded(demo):
    client = sign_in_client(demo.base_url, "admin@example.org", "demo")
    units = client.get(demo.url("/api/v1/units"), timeout=30).json()
    trust = next(unit for unit in units if unit.get("parent_id") is None and unit["kind"] == "organisation")
    summary = demo.url(f"/units/{trust['id']}/measures")
    measure_ids = list(dict.fromkeys(re.findall(r'href="/measures/([0-9a-fA-F-]{36})"',
                                                client.get(summary, timeout=60).text)))[:4]
    assert measure_ids, "the demo trust's measures summary links no measure"
    # Each request: a cacheable page, with free text or query noise that must not become a key.
    makers = [
        # The probe's own: one search in many spellings, then many different searches.
        lambda rng: (summary, {"q": "".join(c.upper() if rng.random() < 0.5 else c for c in "falls")
                               + " " * rng.randint(0, 3)}),
        lambda rng: (summary, {"q": random_text(rng), "concerns": rng.choice(["", "yes"])}),
        lambda rng: (demo.url("/people"), {"q": random_text(rng), "page": str(rng.randint(1, 10**12))}),
        lambda rng: (demo.url("/projects/similar"), {"text": random_text(rng)}),
        lambda rng: (demo.url(f"/units/{trust['id']}/portfolio"), {random_text(rng): random_text(rng)}),
        lambda rng: (demo.url(f"/units/{trust['id']}"), {"noise": random_text(rng)}),
        # The board report of any month: each month's charts are kept, and must count for their size.
        lambda rng: (demo.url(f"/units/{trust['id']}/board-report"),
                     {"month": f"{rng.randint(1900, 2199)}-{rng.randint(1, 12):02d}"}),
    ] + [
        lambda rng, m=m: (demo.url(f"/measures/{m}/chart.svg"), {"v": random_text(rng)}) for m in measure_ids
    ]
    # Warm up: the first drawing of each page fills what any use would keep.
    warm = random.Random(1)
    for make in makers:
        for _ in range(3):
            url, params = make(warm)
            client.get(url, params=params, timeout=60)
    before = resident_mb(demo.process.pid)
    rng = random.Random(7)
    # Most on the summary, whose pages are largest: 400 kept copies of it would pass the bound.
    counts = [VARIANTS, VARIANTS] + [VARIANTS // 10] * 4 + [VARIANTS // 4] + [VARIANTS // 10] * len(measure_ids)
    for make, count in zip(makers, counts):
        for _ in range(count):
            url, params = make(rng)
            answer = client.get(url, params=params, timeout=60)
            assert answer.status_code < 500, f"{url} {params}: {answer.status_code}"
    grown = resident_mb(demo.process.pid) - before
    print(f"{sum(counts)} variants over {len(makers)} pages: resident memory grew {grown:.1f} MB (bound {BOUND_MB} MB)")
    assert grown < BOUND_MB, f"{sum(counts)} variants of cacheable requests grew the server by {grown:.0f} MB"
