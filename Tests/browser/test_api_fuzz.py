"""API fuzzing with schemathesis against the `openapi.json` the running server serves (issue 17).

A server of its own is started with the demo trust (`--demo`), and the demo administrator signs in
through the sign-in form. schemathesis loads the document from the server's
`/api/v1/openapi.json` and, for every operation in it, sends requests generated from the document:
the coverage phase's boundary and near-boundary values (valid and invalid), and FUZZ_EXAMPLES random
ones (valid and invalid), each authenticated as the document declares: the session cookie
(`sessionCookie`), plus the `X-CSRF-Token` header (`csrfToken`) where the operation asks for it. The
invalid ones include requests whose cookie or token schemathesis has removed or garbled, which must
get the documented 401 or 403. Path parameters and identifiers in bodies mostly name things that
exist (see BINDINGS), so the fuzzing gets past the 404s and reaches the code behind them.

Every answer must pass these checks:
    not_a_server_error            no 5xx, whatever was sent: not even the 500 the document lists for
                                  POST /api/v1/measures/data, which is for a database that fails
                                  part-way through a load, not for anything a request can cause;
    status_code_conformance       the status is one the document lists for the operation;
    content_type_conformance      the Content-Type is one the document lists for that status;
    response_schema_conformance   the body validates against that status's schema;
    response_headers_conformance  every header the document declares for that status is there and
                                  valid (it declares none yet).

Bounded and repeatable: a fixed seed, Hypothesis derandomized, FUZZ_EXAMPLES random cases per
operation and no example database, so the same binary, document and tests get the same requests (the
demo's identifiers differ from run to run; the pools they are drawn from are in a fixed order). About 2,800
requests, under a minute on the 2-core machine. Operations are fuzzed one at a time, in the document's
order; chains of calls (schemathesis's stateful phase) are not part of the pytest integration.

A failure names the operation and the check, with the response and a curl command to reproduce it
(the session cookie and the X-CSRF-Token shown as [Filtered]: sign in and put in your own).

The fuzzing writes data (units, people, projects... with fuzzed names), so the server is this module's
own and is stopped at the end of it.

Needs (besides pytest and Playwright for conftest.py): schemathesis (4.x) and requests.
"""

from __future__ import annotations

import html
import re

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import _stop_server
from test_api_contract import ADMIN, OPENAPI, PASSWORD, sign_in_client

# Random cases per operation in the fuzzing phase (the coverage phase adds its own fixed set for
# each operation).
FUZZ_EXAMPLES = 100
SEED = 17
# How often a field bound in BINDINGS takes a value from its pool rather than a generated one.
EXISTING = 0.75
PROJECTS = 8
MEASURE_KEYS = 20

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture(scope="module")
def fuzzed_server(start_server):
    server = start_server("--demo")
    yield server
    _stop_server(server)


@pytest.fixture(scope="module")
def fuzz_session(fuzzed_server):
    """The demo administrator's signed-in session: its cookie, and the X-CSRF-Token header."""
    return sign_in_client(fuzzed_server.base_url, ADMIN, PASSWORD)


def collect_pools(server, session, admin_email: str) -> dict[str, list[str]]:
    """Identifiers (and measure keys) that exist on the demo server, for the generated requests to
    draw from: random UUIDs alone would only ever reach the 404 of each `{id}` and the 422 of each
    reference in a body, never the code behind them.

    The demo's identifiers are new on every run, so each pool is ordered by something that is not
    (a unit's path, a person's name, a project's title), and the same draw picks the same thing."""
    def get(path: str, **params):
        response = session.get(server.url(path), params=params, timeout=60)
        assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text[:300]}"
        return response

    units = sorted(get("/api/v1/units", archived="true").json(), key=lambda u: u["path"])
    people: list[dict] = []
    for page in range(1, 100):
        batch = get("/api/v1/people", archived="true", page=page).json()
        if not batch:
            break
        people += batch
    # The signed-in administrator is left out: a PUT that replaces their own record (their unit, their
    # email) is allowed, and could change what the rest of the run may do as them.
    people = sorted(
        (p for p in people if p.get("email") != admin_email),
        key=lambda p: (p["full_name"], p.get("email", ""), p.get("job_title", "")))
    priorities = sorted(get("/api/v1/priorities").json(), key=lambda p: p["name"])

    # A few projects of different statuses, with their driver diagrams, change ideas and measures, so
    # that a driver, change idea or cycle sent to one of them sometimes names its own.
    by_status: dict[str, dict] = {}
    for project in sorted(get("/api/v1/projects").json(), key=lambda p: (p["title"], p["unit_path"])):
        by_status.setdefault(project["status"], project)
    projects = [get(f"/api/v1/projects/{p['id']}").json() for p in by_status.values()][:PROJECTS]
    drivers = [d for p in projects for d in p["driver_diagram"]["drivers"]]
    change_ideas = [c for p in projects for c in p["driver_diagram"]["change_ideas"]]
    measures = [m["id"] for p in projects for m in p["measures"]]

    # Measures of the wards, and their keys for bulk data, from the wards' measure pages (as
    # test_api_contract.py finds them): no API operation lists them.
    keys: list[str] = []
    for unit in units:
        if unit["kind"] != "ward" or len(keys) >= MEASURE_KEYS:
            continue
        page = get(f"/units/{unit['id']}/measures").text
        for measure_id in sorted(set(re.findall(r'href="/measures/([0-9A-Fa-f-]{36})"', page))):
            measure = get(f"/measures/{measure_id}").text
            key = re.search(r"<dt>Key for bulk data</dt><dd><code>([^<]+)</code>", measure)
            if key:
                measures.append(measure_id)
                keys.append(html.unescape(key.group(1)))
    keys = sorted(keys)[:MEASURE_KEYS]
    pools = {
        "units": [u["id"] for u in units],
        "people": [p["id"] for p in people],
        "projects": [p["id"] for p in projects],
        "priorities": [p["id"] for p in priorities],
        "drivers": [d["id"] for d in drivers],
        "primary-drivers": [d["id"] for d in drivers if d["level"] == "primary"],
        "change-ideas": [c["id"] for c in change_ideas],
        "measures": measures,
        "measure-keys": keys,
    }
    pools.update(TRICKY)
    empty = [name for name, values in pools.items() if not values]
    assert not empty, f"the demo has none of: {', '.join(empty)}"
    return pools


# Values the random generators would hardly ever hit, for the fields that the document leaves as
# free text but the server reads: dates of data points in each form it takes, and around and past
# the calendar's edges; and numbers sent as text, as data warehouses export them.
TRICKY = {
    "periods": [
        "2026-03-02", "02/03/2026", "2026-03", "2024-02-29", "2023-02-29", "29/02/2023", "2026-13-01", "2026-00",
        "00/00/0000", "0001-01-01", "0000-01-01", "9999-12-31", "31/12/9999", "99999-01-01", "2026-3-2",
        " 2026-03-02 ", "1970-01-01", "2026-03-02T10:00:00Z",
    ],
    "numbers-as-text": [
        "12.5", "85%", "0", "-0", "-1", "1e308", "1e309", "-1e309", "NaN", "nan", "Infinity", "-inf", "0x10",
        "1,000", "1 000", "\uff11\uff12", "", " 7 ", "%", "9223372036854775808", "-9223372036854775809",
        "0.1e-400", "51", "50", "1.5",
    ],
}

# Where each pool is used: a path or query parameter by name, a body field by its path (in every
# operation that has it). Each draws from its pool with probability EXISTING, and is otherwise
# generated from the document as usual; in the coverage phase schemathesis generates them all.
BINDINGS = {
    "path.unitID": "units",
    "path.personID": "people",
    "path.projectID": "projects",
    "path.measureID": "measures",
    "query.parent": "units",
    "query.unit": "units",
    "body.parent_id": "units",
    "body.unit_id": "units",
    "body.priority_ids[*]": "priorities",
    "body.primary_ids[*]": "primary-drivers",
    "body.driver_ids[*]": "drivers",
    "body.change_idea_id": "change-ideas",
    "body.measure_ids[*]": "measures",
    "body.points[*].measure": "measure-keys",
    "body.points[*].period": "periods",
    "body.points[*].value": "numbers-as-text",
    "body.points[*].denominator": "numbers-as-text",
    "body.coaching_capacity": "numbers-as-text",
}


@pytest.fixture(scope="module")
def api_schema(fuzzed_server, fuzz_session):
    pools = collect_pools(fuzzed_server, fuzz_session, ADMIN)
    config = schemathesis.Config.from_dict({
        "seed": SEED,
        "generation": {
            "mode": "all",                # valid and invalid requests
            "max-examples": FUZZ_EXAMPLES,
            "deterministic": True,        # Hypothesis's derandomize: the same cases every run
            "database": "none",           # no example database: no replay of earlier runs' failures
        },
        # The document's security schemes, with the signed-in session's values.
        "auth": {"openapi": {
            "sessionCookie": {"api_key": fuzz_session.cookies.get("openqi_session")},
            "csrfToken": {"api_key": fuzz_session.csrf_token},
        }},
        "dictionaries": {name: {"values": values} for name, values in pools.items()},
        "parameters": {key: {"dictionary": pool, "probability": EXISTING} for key, pool in BINDINGS.items()},
        "request-timeout": 60,
        # Hypothesis's check that generating inputs is not too slow depends on the machine's load,
        # not on the server or the document: on a busy 2-core machine it would fail the test at random.
        "suppress-health-check": ["too_slow"],
    })
    return schemathesis.openapi.from_url(fuzzed_server.url(OPENAPI), config=config, timeout=60)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_fuzzed_requests_get_documented_answers(case, fuzzed_server):
    case.call_and_validate(base_url=fuzzed_server.base_url, checks=CHECKS)
