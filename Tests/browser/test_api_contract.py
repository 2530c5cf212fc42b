"""The API contract: every operation of `Sources/OpenQI/Core/App/openapi.json`, called on the real server
with the demo trust, and every answer checked against the document.

An administrator signs in through the sign-in form, like a browser, and then works through the API:
looks up the directorate, adds a ward and a person to it and changes them, reads the organisation's
priorities and proposes a project serving them, builds its driver diagram, adds a change idea and
plans PDSA cycles, reads a measure's SPC chart with its annotations, and a data warehouse loads ward
data with an API token. Bad input and filters, bodies that are empty, malformed, not an object or too
large, unknown identifiers, a viewer without the role, a request without the anti-forgery header, a
sign-in that still has its one-time password and no session at all get their documented answers.

Each response must have a status the document lists for that operation (an undocumented one fails
the test), and its body must validate against that status's schema (JSON Schema 2020-12, with the
document's `#/components/...` references resolved). At the end, every path and method in the
document must have been called, so the document and this test keep in step.

Needs (besides pytest and Playwright for conftest.py): requests, jsonschema (with referencing) and
openapi-spec-validator.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import json
import re
import uuid
from collections.abc import Iterable
from urllib.parse import quote

import pytest
import requests
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from conftest import REPO_ROOT, create_admin

DOCUMENT_PATH = REPO_ROOT / "Sources" / "OpenQI" / "Core" / "App" / "openapi.json"
DOCUMENT_URI = "urn:openqi:api:openapi.json"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

ADMIN = "admin@example.org"
VIEWER = "viewer@example.org"
PASSWORD = "demo"
DIRECTORATE = "Adult Mental Health"
NOWHERE = "00000000-0000-4000-8000-000000000000"  # a well-formed UUID that names nothing

UNITS = "/api/v1/units"
UNIT = "/api/v1/units/{unitID}"
PEOPLE = "/api/v1/people"
PERSON = "/api/v1/people/{personID}"
PROJECTS = "/api/v1/projects"
PROJECT = "/api/v1/projects/{projectID}"
DRIVERS = "/api/v1/projects/{projectID}/drivers"
CHANGE_IDEAS = "/api/v1/projects/{projectID}/change-ideas"
CYCLES = "/api/v1/projects/{projectID}/cycles"
CHART = "/api/v1/measures/{measureID}/chart"
DATA = "/api/v1/measures/data"
PRIORITIES = "/api/v1/priorities"
PRIORITY = "/api/v1/priorities/{priorityID}"
STRATEGY = "/api/v1/strategy"
CAPABILITY = "/api/v1/capability"
INVOLVEMENT = "/api/v1/involvement"
HUDDLES = "/api/v1/huddles"
ESCALATIONS = "/api/v1/escalations"
WALKROUNDS = "/api/v1/walkrounds"
UNIT_QUALITY = "/api/v1/units/{unitID}/quality"
OPENAPI = "/api/v1/openapi.json"

# JSON and form bodies may be up to 1 MB (1,048,576 bytes); a field this long makes a body over it.
ONE_MB = 1024 * 1024
TOO_LARGE = "This is more than the 1 MB OpenQI takes in one request"


def load_document() -> dict:
    return json.loads(DOCUMENT_PATH.read_text())


# ---- formats ----------------------------------------------------------------------------------
# jsonschema checks "date-time" only with an optional package installed; these are explicit.

FORMATS = FormatChecker(formats=())
UUID_PATTERN = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
DAY_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
INSTANT_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


@FORMATS.checks("uuid")
def _is_uuid(value) -> bool:
    return not isinstance(value, str) or UUID_PATTERN.fullmatch(value) is not None


@FORMATS.checks("date", raises=ValueError)
def _is_day(value) -> bool:
    if not isinstance(value, str):
        return True
    return DAY_PATTERN.fullmatch(value) is not None and dt.date.fromisoformat(value) is not None


@FORMATS.checks("date-time", raises=ValueError)
def _is_instant(value) -> bool:
    if not isinstance(value, str):
        return True
    return INSTANT_PATTERN.fullmatch(value) is not None and dt.datetime.fromisoformat(value) is not None


@FORMATS.checks("email")
def _is_email(value) -> bool:
    return not isinstance(value, str) or re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) is not None


# ---- the contract -----------------------------------------------------------------------------


def pointer(*segments: str) -> str:
    """A JSON pointer to these segments, escaped for use as a URI fragment."""
    return "".join("/" + quote(s.replace("~", "~0").replace("/", "~1"), safe="~") for s in segments)


class Contract:
    """Calls the API and checks each answer against the OpenAPI document; remembers what was called."""

    def __init__(self, document: dict, base_url: str):
        self.document = document
        self.base_url = base_url
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(DOCUMENT_URI, resource)
        self.exercised: set[tuple[str, str]] = set()
        self.answered: set[tuple[str, str, int]] = set()

    def operations(self) -> set[tuple[str, str]]:
        return {
            (method.upper(), path)
            for path, item in self.document["paths"].items()
            for method in item
            if method in HTTP_METHODS
        }

    def call(self, client: requests.Session, method: str, template: str, status: int, *,
             params=None, json=None, data=None, headers=None, **path_params):
        """Sends the request, checks the answer against the document and that it has `status`, and
        returns the decoded JSON body (None when the response has none)."""
        url = self.base_url + template.format(**path_params)
        response = client.request(
            method, url, params=params, json=json, data=data, headers=headers, allow_redirects=False, timeout=120)
        body = self.check(method, template, response)
        assert response.status_code == status, (
            f"{method} {url}: expected {status}, got {response.status_code}: {response.text[:1000]}")
        return body

    def check(self, method: str, template: str, response: requests.Response):
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        return self.check_body(method, template, response.status_code, content_type, response.content)

    def check_body(self, method: str, template: str, status: int, content_type: str, raw: bytes):
        """Checks one answer of `method template` against the document; returns its JSON, or None."""
        assert template in self.document["paths"], f"{template} is not a path of openapi.json"
        item = self.document["paths"][template]
        assert method.lower() in item, f"openapi.json has no {method} {template}"
        self.exercised.add((method.upper(), template))
        self.answered.add((method.upper(), template, status))
        responses = item[method.lower()]["responses"]
        assert str(status) in responses, (
            f"{method} {template} answered {status}, which openapi.json does not document for it "
            f"(documented: {', '.join(sorted(responses))}). Body: {raw[:1000]!r}")
        location = pointer("paths", template, method.lower(), "responses", str(status))
        documented = responses[str(status)]
        while "$ref" in documented:
            ref = documented["$ref"]
            assert ref.startswith("#/"), ref
            location = ref[1:]
            documented = self.registry.resolver().lookup(DOCUMENT_URI + ref).contents
        content = documented.get("content")
        if not content:
            assert not raw, f"{method} {template} {status} documents no body but sent {raw[:200]!r}"
            return None
        assert content_type in content, (
            f"{method} {template} {status} answered {content_type or 'no Content-Type'}; "
            f"openapi.json documents {', '.join(content)}")
        body = json.loads(raw)
        schema_uri = DOCUMENT_URI + "#" + location + pointer("content", content_type, "schema")
        validator = Draft202012Validator({"$ref": schema_uri}, registry=self.registry, format_checker=FORMATS)
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        assert not errors, (
            f"{method} {template} {status}: the body does not match openapi.json:\n"
            + "\n".join(f"  at /{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:20])
            + f"\nBody: {raw[:2000]!r}")
        return body


# ---- signing in -------------------------------------------------------------------------------


def sign_in_client(base_url: str, email: str, password: str = PASSWORD) -> requests.Session:
    """A requests session signed in through the HTML form, sending the page's X-CSRF-Token."""
    client = requests.Session()
    form = client.get(base_url + "/sign-in", timeout=30)
    assert form.status_code == 200
    anti_forgery = re.search(r'<input type="hidden" name="_csrf" value="([^"]+)"', form.text)
    assert anti_forgery, "no _csrf field on the sign-in form"
    signed_in = client.post(
        base_url + "/sign-in",
        data={"_csrf": html.unescape(anti_forgery.group(1)), "email": email, "password": password, "next": ""},
        allow_redirects=False, timeout=30)
    assert signed_in.status_code in (302, 303), f"sign-in as {email} answered {signed_in.status_code}"
    assert client.cookies.get("openqi_session"), "signing in set no openqi_session cookie"
    home = client.get(base_url + "/", timeout=30)
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', home.text)
    assert home.status_code == 200 and meta, f"no csrf-token meta tag on the home page of {email}"
    client.csrf_token = html.unescape(meta.group(1))
    client.headers["X-CSRF-Token"] = client.csrf_token
    return client


def without_csrf_header(client: requests.Session) -> requests.Session:
    """The same session (cookie), without the anti-forgery header."""
    other = requests.Session()
    other.cookies.update(client.cookies)
    return other


def record(person: dict) -> dict:
    """One person's answer without what only it carries (their learning, issue 20), to compare with
    a list's or a write's answer."""
    assert isinstance(person.pop("learning"), list) and isinstance(person.pop("facilitates"), list), person
    return person


def fields(errors: dict) -> set[str]:
    return {error["field"] for error in errors["errors"]}


def one(items: Iterable, what: str):
    found = list(items)
    assert len(found) == 1, f"expected one {what}, found {len(found)}"
    return found[0]


def subtree(units: list[dict], root: str) -> set[str]:
    below: dict[str, list[str]] = {}
    for unit in units:
        below.setdefault(unit.get("parent_id"), []).append(unit["id"])
    result, stack = set(), [root]
    while stack:
        unit_id = stack.pop()
        if unit_id not in result:
            result.add(unit_id)
            stack.extend(below.get(unit_id, []))
    return result


@pytest.fixture(scope="module")
def demo(start_server):
    return start_server("--demo")


@pytest.fixture(scope="module")
def document():
    return load_document()


# ---- the document itself -----------------------------------------------------------------------


def all_refs(node) -> Iterable[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from all_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from all_refs(value)


def test_the_document_is_valid_openapi_and_the_server_serves_it(demo, document):
    validate_openapi(document)
    assert document["openapi"] == "3.1.0"
    for name, schema in document["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
    contract = Contract(document, demo.base_url)
    resolver = contract.registry.resolver()
    for ref in set(all_refs(document)):
        assert ref.startswith("#/components/"), f"unexpected reference {ref}"
        resolver.lookup(DOCUMENT_URI + ref)
    for path, item in document["paths"].items():
        assert path.startswith("/api/v1/"), path
        named = set(re.findall(r"\{(\w+)\}", path))
        for method in set(item) & HTTP_METHODS:
            declared = item.get("parameters", []) + item[method].get("parameters", [])
            declared = [resolver.lookup(DOCUMENT_URI + p["$ref"]).contents if "$ref" in p else p for p in declared]
            assert named == {p["name"] for p in declared if p["in"] == "path"}, f"{method} {path}: path parameters"
            assert item[method].get("operationId"), f"{method} {path} has no operationId"

    served = contract.call(requests.Session(), "GET", OPENAPI, 200)
    assert served == document, (
        "the server serves another openapi.json than Sources/OpenQI/Core/App/openapi.json: rebuild the binary "
        "(the document is a bundled resource, copied at build time)")


# ---- the checker fails when it should ------------------------------------------------------------


def test_the_check_fails_on_an_undocumented_status_and_on_a_broken_body(demo, document):
    admin = sign_in_client(demo.base_url, ADMIN)
    contract = Contract(document, demo.base_url)
    unit = contract.call(admin, "GET", UNITS, 200, params={"q": DIRECTORATE})[0]

    # A status the document does not list for the operation fails, even when the body is fine.
    narrower = copy.deepcopy(document)
    del narrower["paths"][UNIT]["get"]["responses"]["404"]
    with pytest.raises(AssertionError, match="does not document"):
        Contract(narrower, demo.base_url).call(admin, "GET", UNIT, 404, unitID=NOWHERE)
    # And a real redirect (say, to the sign-in page) would be undocumented everywhere.
    with pytest.raises(AssertionError, match="does not document"):
        contract.check_body("GET", UNIT, 303, "", b"")

    def broken(change) -> bytes:
        body = copy.deepcopy(unit)
        change(body)
        return json.dumps(body).encode()

    contract.check_body("GET", UNIT, 200, "application/json", json.dumps(unit).encode())
    for change in (
        lambda u: u.pop("path"),                    # a required field missing
        lambda u: u.update(kind="wing"),            # not one of the enumeration
        lambda u: u.update(id="F3F8751C"),          # not a UUID
        lambda u: u.update(parent_id=None),         # null where an unset value is left out
        lambda u: u.update(archived="no"),          # the wrong type
        lambda u: u.update(colour="blue"),          # a field the document does not describe
    ):
        with pytest.raises(AssertionError, match="does not match openapi.json"):
            contract.check_body("GET", UNIT, 200, "application/json", broken(change))
    with pytest.raises(AssertionError, match="does not match openapi.json"):
        contract.check_body("POST", UNITS, 422, "application/problem+json", b'{"error": "Unprocessable Entity"}')
    with pytest.raises(AssertionError, match="documents application/json"):
        contract.check_body("GET", UNIT, 200, "text/html", b"<html></html>")


# JSON bodies that cannot be read as the object an endpoint takes: empty, not JSON, not an object.
UNREADABLE_BODIES = (b"", b"[", b'{"name": "Broken', b"[]", b"null", b'"a ward"')


def test_a_body_that_cannot_be_read_answers_422_against_the_field_body(demo, document):
    """An empty, malformed or non-object JSON body is invalid input like any other: 422 with one error
    against `body`, the shape a client already reads for bad fields (nothing answers 400)."""
    api = Contract(document, demo.base_url)
    admin = sign_in_client(demo.base_url, ADMIN)
    as_json = {"Content-Type": "application/json"}
    unit = api.call(admin, "GET", UNITS, 200, params={"q": DIRECTORATE})[0]
    for body in UNREADABLE_BODIES:
        for template in (UNITS, PEOPLE, PROJECTS):
            refused = api.call(admin, "POST", template, 422, data=body, headers=as_json)
            assert fields(refused) == {"body"} and "openapi.json" in refused["errors"][0]["message"], (template, body)
        assert fields(api.call(admin, "PUT", UNIT, 422, unitID=unit["id"], data=body, headers=as_json)) == {"body"}
    assert api.call(admin, "GET", UNIT, 200, unitID=unit["id"]) == unit


def test_measure_data_answers_an_empty_body_as_an_empty_batch(demo, document):
    """POST /measures/data answers 422 two ways: a body it cannot read as a batch is the usual
    `{"errors": [{"field": "body"}]}`, but no body at all (whatever the Content-Type) is an empty
    batch, rejected like `{"points": []}` with an entry for row 0."""
    api = Contract(document, demo.base_url)
    admin = sign_in_client(demo.base_url, ADMIN)
    as_json = {"Content-Type": "application/json"}
    nothing_sent = [{"field": "data", "row": 0, "message": "Send at least one point."}]
    for headers in (as_json, {}):
        assert api.call(admin, "POST", DATA, 422, data=b"", headers=headers)["errors"] == nothing_sent
    assert api.call(admin, "POST", DATA, 422, json={"points": []})["errors"] == nothing_sent
    for body in UNREADABLE_BODIES[1:] + (b'{"points": "x"}',):
        assert fields(api.call(admin, "POST", DATA, 422, data=body, headers=as_json)) == {"body"}, body


# ---- a one-time password must be changed first -----------------------------------------------------


def sign_in_with_a_one_time_password(server) -> tuple[requests.Session, str]:
    """A new administrator from `openqi user create --admin`, signed in with the one-time password
    it prints (not yet changed); returns the client and that password."""
    email = f"first.sign.in.{uuid.uuid4().hex[:6]}@example.org"
    password = create_admin(server.db, email)
    client = sign_in_client(server.base_url, email, password)
    pending = client.get(server.base_url + "/", allow_redirects=False, timeout=30)
    assert pending.status_code == 303 and pending.headers["Location"] == "/account/password"
    return client, password


def test_a_one_time_password_gets_403_until_it_is_changed(demo, document):
    """Pages send such a sign-in to change its password; the API refuses it with 403, so a script
    cannot work with a password an administrator handed out."""
    api = Contract(document, demo.base_url)
    newcomer, password = sign_in_with_a_one_time_password(demo)
    # POST /api/v1/measures/data decides sign-in itself: see the next test.
    for method, template in sorted(api.operations() - {("GET", OPENAPI), ("POST", DATA)}):
        names = re.findall(r"\{(\w+)\}", template)
        refused = api.call(newcomer, method, template, 403, json=None if method == "GET" else {},
                           **{name: NOWHERE for name in names})
        assert "one-time password" in refused["detail"], refused
    assert api.call(newcomer, "GET", OPENAPI, 200)["openapi"] == "3.1.0"

    changed = newcomer.post(demo.base_url + "/account/password", data={
        "_csrf": newcomer.csrf_token, "current_password": password,
        "new_password": "Contract-test-password-1", "confirm_password": "Contract-test-password-1"},
        allow_redirects=False, timeout=30)
    assert changed.status_code == 303 and changed.headers["Location"] == "/#notice", changed.text[:500]
    assert api.call(newcomer, "GET", UNITS, 200)
    api.call(newcomer, "POST", UNITS, 422, json={})


def test_a_one_time_password_may_not_load_measure_data(demo, document):
    """The one /api route that decides sign-in itself (DataWriter.resolve, for its API tokens) must
    refuse such a sign-in too: an administrator's one-time password could otherwise write any unit's data."""
    api = Contract(document, demo.base_url)
    newcomer, _ = sign_in_with_a_one_time_password(demo)
    refused = api.call(newcomer, "POST", DATA, 403, json={"points": [
        {"measure": "no-such-measure", "period": "2019-01-07", "value": 1}]})
    assert "one-time password" in refused["detail"]


# ---- every operation, on the demo trust -----------------------------------------------------------


def test_every_documented_operation_answers_as_documented(demo, document):
    api = Contract(document, demo.base_url)
    anonymous = requests.Session()
    admin = sign_in_client(demo.base_url, ADMIN)
    viewer = sign_in_client(demo.base_url, VIEWER)
    tag = uuid.uuid4().hex[:6]

    # Without a session the document is public, and everything else answers 401 as JSON.
    assert api.call(anonymous, "GET", OPENAPI, 200)["openapi"] == "3.1.0"
    for method, template in sorted(api.operations() - {("GET", OPENAPI)}):
        names = re.findall(r"\{(\w+)\}", template)
        body = {"points": []} if template == DATA else ({} if method != "GET" else None)
        error = api.call(anonymous, method, template, 401, json=body, **{name: NOWHERE for name in names})
        assert error == {"type": "about:blank", "title": "Unauthorized", "status": 401,
                         "detail": "Sign in, or send an API token, to use the API."}

    units, directorate, ward = check_units(api, admin, viewer, tag)
    check_people(api, admin, viewer, units, directorate, ward, tag)
    priorities = check_priorities(api, admin, viewer)
    project = check_projects(api, admin, viewer, units, directorate, ward, priorities, tag)
    check_driver_diagram_and_cycles(api, admin, viewer, project)
    check_charts_and_a_watched_measure(api, admin)
    check_measure_data(api, admin, viewer, anonymous, directorate, ward, demo.base_url)
    check_capability(api, viewer, directorate)
    check_involvement(api, viewer, directorate)
    check_quality_control(api, admin, viewer, directorate, ward, tag)

    missing = api.operations() - api.exercised
    assert not missing, f"operations of openapi.json this test never called: {sorted(missing)}"


def check_capability(api: Contract, viewer, directorate) -> None:
    """Issue 20: the dosing figures, which everyone reads, for the organisation and a directorate."""
    trust = api.call(viewer, "GET", CAPABILITY, 200)
    assert len(trust["completed_by_month"]) == 24 and trust["lines"], trust
    staff = one((line for line in trust["lines"] if line["group"] == "all_staff"), "the all-staff line")
    assert staff["gap"] == max(0, staff["needed"] - staff["have"]) and staff["people"] >= staff["have"], staff
    part = api.call(viewer, "GET", CAPABILITY, 200, params={"unit": directorate["id"]})
    assert part["unit_id"] == directorate["id"]
    mine = one((line for line in part["lines"] if line["group"] == "all_staff"), "the directorate's all-staff line")
    assert mine["people"] < staff["people"] and "needed" not in mine, "a directorate has no plan of its own"
    assert fields(api.call(viewer, "GET", CAPABILITY, 422, params={"year": "1999"})) == {"year"}
    assert fields(api.call(viewer, "GET", CAPABILITY, 422, params={"unit": "nowhere"})) == {"unit"}


def check_involvement(api: Contract, viewer, directorate) -> None:
    """Issue 22: completed projects by service users' involvement, for the organisation and a directorate."""
    trust = api.call(viewer, "GET", INVOLVEMENT, 200)
    groups = trust["overall"]["by_involvement"]
    assert trust["overall"]["with_full_partner"] == groups["full_partner"], trust["overall"]
    assert trust["overall"]["without"]["completed"] == groups["occasional"]["completed"] + groups["none"]["completed"]
    assert trust["by_part"] and trust["by_year"], trust
    part = api.call(viewer, "GET", INVOLVEMENT, 200, params={"unit": directorate["id"]})
    assert part["unit_id"] == directorate["id"]
    assert part["overall"]["with_full_partner"]["completed"] <= trust["overall"]["with_full_partner"]["completed"]
    assert fields(api.call(viewer, "GET", INVOLVEMENT, 422, params={"unit": "nowhere"})) == {"unit"}


def check_quality_control(api: Contract, admin, viewer, directorate, ward, tag: str) -> None:
    """Issue 21: a ward's huddle with an escalation to its directorate, the refusals, and the open list."""
    today = dt.datetime.now(dt.timezone.utc).date()
    huddle = {
        "unit_id": ward["id"], "held_on": today.isoformat(), "kind": "safety", "attendees": f"Day team {tag}",
        "issues": [
            {"description": f"Call bell broken {tag}"},
            {"description": f"Short of night staff {tag}", "escalate_to": directorate["id"],
             "escalation_due": (today + dt.timedelta(days=7)).isoformat()},
        ],
    }
    made = api.call(admin, "POST", HUDDLES, 201, json=huddle)
    assert made["unit_id"] == ward["id"] and [i["position"] for i in made["issues"]] == [1, 2], made
    assert "escalation_id" not in made["issues"][0] and made["issues"][1]["escalation_id"], made
    api.call(viewer, "POST", HUDDLES, 403, json=huddle)
    # Escalated to itself (not above), dated tomorrow, of a kind there is not: each refused, naming the field.
    sideways = {**huddle, "issues": [{**huddle["issues"][1], "escalate_to": ward["id"]}]}
    assert fields(api.call(admin, "POST", HUDDLES, 422, json=sideways)) == {"issues[0].escalate_to"}
    tomorrow = {**huddle, "held_on": (today + dt.timedelta(days=1)).isoformat()}
    assert fields(api.call(admin, "POST", HUDDLES, 422, json=tomorrow)) == {"held_on"}
    assert fields(api.call(admin, "POST", HUDDLES, 422, json={**huddle, "kind": "weekly"})) == {"kind"}
    assert fields(api.call(admin, "POST", HUDDLES, 422, json={**huddle, "unit_id": NOWHERE})) == {"unit_id"}
    opened = api.call(viewer, "GET", ESCALATIONS, 200, params={"unit": directorate["id"]})
    mine = one((e for e in opened if e["issue"] == f"Short of night staff {tag}"), "the new escalation")
    assert (mine["from_unit_id"], mine["to_unit_id"], mine["status"]) == (ward["id"], directorate["id"], "open")
    assert mine["huddle_id"] == made["id"] and not mine["past_due"], mine
    assert all(e["status"] == "open" for e in opened)
    late = [e["past_due"] for e in opened]
    assert late == sorted(late, reverse=True), "past due first"
    closed = api.call(viewer, "GET", ESCALATIONS, 200, params={"status": "closed"})
    assert closed and all(e["status"] == "closed" and e["response"] for e in closed), "the demo's answered ones"
    assert fields(api.call(viewer, "GET", ESCALATIONS, 422, params={"status": "maybe"})) == {"status"}
    assert fields(api.call(viewer, "GET", ESCALATIONS, 422, params={"unit": "nowhere"})) == {"unit"}
    # The demo's WalkRounds: a year of weekly visits, the held ones with their answers.
    visits = api.call(viewer, "GET", WALKROUNDS, 200)
    held = [v for v in visits if "held_on" in v]
    assert len(held) >= 50 and all(v["proud_of"] and v["self_care"] for v in held), len(held)
    assert any("held_on" not in v for v in visits), "planned ones too"
    part = api.call(viewer, "GET", WALKROUNDS, 200, params={"unit": directorate["id"]})
    assert 0 < len(part) < len(visits)
    assert fields(api.call(viewer, "GET", WALKROUNDS, 422, params={"unit": "nowhere"})) == {"unit"}
    # The directorate's quality page: the escalation made above is among those sent to it.
    quality = api.call(viewer, "GET", UNIT_QUALITY, 200, unitID=directorate["id"])
    assert [p["part"] for p in quality["parts"]] == ["planning", "control", "assurance", "improvement"]
    control = {f["url"].split("#")[-1]: f["count"] for f in quality["parts"][1]["figures"]}
    assert control["awaiting"] == sum(1 for e in opened if e["to_unit_id"] == directorate["id"]), (control, opened)
    api.call(viewer, "GET", UNIT_QUALITY, 404, unitID=NOWHERE)


def check_units(api: Contract, admin, viewer, tag: str):
    units = api.call(admin, "GET", UNITS, 200)
    assert len(units) > 50 and not any(u["archived"] for u in units)
    directorate = one((u for u in units if u["name"] == DIRECTORATE), DIRECTORATE)
    assert directorate["kind"] == "directorate"
    trust = api.call(admin, "GET", UNIT, 200, unitID=directorate["parent_id"])
    assert trust["kind"] == "organisation" and "parent_id" not in trust
    assert directorate["path"] == f"{trust['path']} › {DIRECTORATE}"
    assert api.call(admin, "GET", UNIT, 200, unitID=directorate["id"]) == directorate
    # ?archived= reads true/false, yes/no and 1/0 in any case; anything else says so, rather than meaning false.
    with_archived = api.call(admin, "GET", UNITS, 200, params={"archived": "true"})
    assert len(with_archived) >= len(units)
    for spelling in ("YES", "1"):
        assert api.call(admin, "GET", UNITS, 200, params={"archived": spelling}) == with_archived
    for spelling in ("false", "No", "0", ""):
        assert api.call(admin, "GET", UNITS, 200, params={"archived": spelling}) == units
    maybe = api.call(admin, "GET", UNITS, 422, params={"archived": "maybe"})
    assert fields(maybe) == {"archived"} and "“maybe” is not true or false." in maybe["errors"][0]["message"]
    found = api.call(admin, "GET", UNITS, 200, params={"q": "adult MENTAL"})
    assert directorate in found and all("adult mental" in u["name"].lower() for u in found)
    children = api.call(admin, "GET", UNITS, 200, params={"parent": directorate["id"]})
    assert children and all(u["parent_id"] == directorate["id"] for u in children)
    # A filter that names no unit says so, rather than quietly listing everything; an empty one is no filter.
    for nowhere in (NOWHERE, "not-a-unit"):
        assert fields(api.call(admin, "GET", UNITS, 422, params={"parent": nowhere})) == {"parent"}
    assert api.call(admin, "GET", UNITS, 200, params={"parent": ""}) == units
    api.call(admin, "GET", UNIT, 404, unitID=NOWHERE)
    api.call(admin, "GET", UNIT, 404, unitID="not-a-unit")

    # Add a ward below the directorate, then rename it and describe it.
    name = f"Contract Ward {tag}"
    created = api.call(admin, "POST", UNITS, 201, json={"name": name, "kind": "ward", "parent_id": directorate["id"]})
    assert created == {
        "id": created["id"], "name": name, "kind": "ward", "parent_id": directorate["id"], "archived": False,
        "path": f"{directorate['path']} › {name}", "version": 1}
    assert api.call(admin, "GET", UNIT, 200, unitID=created["id"]) == created
    renamed = f"Contract Ward {tag} (Day Unit)"
    rename = {"name": renamed, "kind": "ward", "parent_id": directorate["id"], "description": "Opened for the API test."}
    # A change must say which version it began from; one from a version since changed is refused.
    assert fields(api.call(admin, "PUT", UNIT, 422, unitID=created["id"], json=rename)) == {"version"}
    ward = api.call(admin, "PUT", UNIT, 200, unitID=created["id"], json={**rename, "version": created["version"]})
    assert ward == {**created, "name": renamed, "path": f"{directorate['path']} › {renamed}",
                    "description": "Opened for the API test.", "version": 2}
    api.call(admin, "PUT", UNIT, 409, unitID=created["id"], json={**rename, "name": "Stale", "version": 1})
    assert api.call(admin, "GET", UNIT, 200, unitID=ward["id"]) == ward
    assert ward in api.call(admin, "GET", UNITS, 200, params={"parent": directorate["id"]})

    # Bad input names each field, the same messages as the form; nothing is saved.
    assert fields(api.call(admin, "POST", UNITS, 422, json={"name": " ", "kind": "clinic"})) == {"name", "kind"}
    assert fields(api.call(admin, "POST", UNITS, 422, json={"name": f"Loose {tag}", "kind": "ward"})) == {"parent_id"}
    clash = api.call(admin, "POST", UNITS, 422, json={
        "name": renamed.upper(), "kind": "team", "parent_id": directorate["id"]})
    assert fields(clash) == {"name"} and "already a unit called" in clash["errors"][0]["message"]
    assert fields(api.call(admin, "PUT", UNIT, 422, unitID=ward["id"], json={
        "name": renamed, "kind": "organisation", "parent_id": directorate["id"]})) == {"parent_id"}
    assert fields(api.call(admin, "PUT", UNIT, 422, unitID=ward["id"], json={
        "name": renamed, "kind": "ward", "parent_id": ward["id"]})) == {"parent_id"}
    api.call(admin, "PUT", UNIT, 404, unitID=NOWHERE, json={"name": "Nowhere", "kind": "ward"})
    # A value of the wrong JSON type makes the body unreadable: one error against `body`.
    assert fields(api.call(admin, "POST", UNITS, 422, json={"name": 7, "kind": "ward"})) == {"body"}
    api.call(admin, "POST", UNITS, 415, data=json.dumps({"name": "No type", "kind": "ward"}).encode())
    too_large = api.call(admin, "PUT", UNIT, 413, unitID=ward["id"], json={
        "name": renamed, "kind": "ward", "parent_id": directorate["id"], "description": "x" * ONE_MB})
    assert too_large["detail"].startswith(TOO_LARGE)

    # Without the anti-forgery header, or the role, nothing changes.
    api.call(without_csrf_header(admin), "POST", UNITS, 403, json={
        "name": f"Forged {tag}", "kind": "ward", "parent_id": directorate["id"]})
    api.call(viewer, "POST", UNITS, 403, json={"name": f"Viewer's {tag}", "kind": "ward", "parent_id": directorate["id"]})
    api.call(viewer, "PUT", UNIT, 403, unitID=ward["id"], json={"name": "Taken over", "kind": "ward",
                                                                "parent_id": directorate["id"]})
    assert api.call(admin, "GET", UNIT, 200, unitID=ward["id"]) == ward
    assert api.call(admin, "GET", UNITS, 200, params={"q": tag}) == [ward]

    units = api.call(admin, "GET", UNITS, 200)
    return units, directorate, ward


def check_people(api: Contract, admin, viewer, units, directorate, ward, tag: str):
    first = api.call(admin, "GET", PEOPLE, 200)
    assert len(first) == 50 and not any(p["archived"] for p in first)
    second = api.call(admin, "GET", PEOPLE, 200, params={"page": 2})
    assert second and not {p["id"] for p in first} & {p["id"] for p in second}
    assert api.call(admin, "GET", PEOPLE, 200, params={"page": 10_000}) == []
    # A page that is not a whole number from 1 says so, rather than quietly showing page 1; empty is page 1.
    for page in ("0", "-1", "two", "1.5"):
        bad_page = api.call(admin, "GET", PEOPLE, 422, params={"page": page})
        assert fields(bad_page) == {"page"} and f"“{page}” is not a page number." in bad_page["errors"][0]["message"]
    assert api.call(admin, "GET", PEOPLE, 200, params={"page": ""}) == first
    assert api.call(admin, "GET", PEOPLE, 200, params={"archived": "no"}) == first
    assert fields(api.call(admin, "GET", PEOPLE, 422, params={"archived": "on"})) == {"archived"}
    service_users = api.call(admin, "GET", PEOPLE, 200, params={"kind": "service_user"})
    assert service_users and all(p["kind"] == "service_user" for p in service_users)
    unknown_kind = api.call(admin, "GET", PEOPLE, 422, params={"kind": "patient"})
    assert fields(unknown_kind) == {"kind"} and "service_user" in unknown_kind["errors"][0]["message"]
    assert fields(api.call(admin, "GET", PEOPLE, 422, params={"unit": NOWHERE})) == {"unit"}
    assert fields(api.call(admin, "GET", PEOPLE, 422, params={"unit": "ward 7", "kind": "staff"})) == {"unit"}
    in_directorate = api.call(admin, "GET", PEOPLE, 200, params={"unit": directorate["id"], "archived": "true"})
    below = subtree(units, directorate["id"])
    assert in_directorate and all(p["unit_id"] in below for p in in_directorate)
    someone = first[0]
    assert record(api.call(admin, "GET", PERSON, 200, personID=someone["id"])) == someone
    api.call(admin, "GET", PERSON, 404, personID=NOWHERE)

    # A service user joins the new ward, then becomes its carer representative.
    email = f"sam.contract.{tag}@example.org"
    person = api.call(admin, "POST", PEOPLE, 201, json={
        "full_name": "Sam Contract", "email": email.upper(), "kind": "service_user", "unit_id": ward["id"]})
    assert person == {"id": person["id"], "full_name": "Sam Contract", "email": email, "kind": "service_user",
                      "unit_id": ward["id"], "archived": False, "version": 1}
    assert record(api.call(admin, "GET", PERSON, 200, personID=person["id"])) == person
    change = {"full_name": "Sam Contract", "email": email, "kind": "carer", "unit_id": ward["id"],
              "job_title": "Carer representative"}
    assert fields(api.call(admin, "PUT", PERSON, 422, personID=person["id"], json=change)) == {"version"}
    changed = api.call(admin, "PUT", PERSON, 200, personID=person["id"], json={**change, "version": 1})
    assert changed == {**person, "kind": "carer", "job_title": "Carer representative", "version": 2}
    api.call(admin, "PUT", PERSON, 409, personID=person["id"], json={**change, "full_name": "Stale", "version": 1})
    assert record(api.call(admin, "GET", PERSON, 200, personID=person["id"])) == changed
    assert api.call(admin, "GET", PEOPLE, 200, params={"q": email}) == [changed]
    assert api.call(admin, "GET", PEOPLE, 200, params={"unit": ward["id"]}) == [changed]

    duplicate = api.call(admin, "POST", PEOPLE, 422, json={
        "full_name": "Another Sam", "email": email, "kind": "staff", "unit_id": ward["id"]})
    assert fields(duplicate) == {"email"}
    assert fields(api.call(admin, "POST", PEOPLE, 422, json={
        "full_name": "", "email": "not an email", "kind": "patient", "unit_id": "ward 7"})) == {
        "full_name", "email", "kind", "unit_id"}
    assert fields(api.call(admin, "PUT", PERSON, 422, personID=person["id"], json={
        "full_name": "Sam Contract", "kind": "carer", "unit_id": NOWHERE})) == {"unit_id"}
    api.call(admin, "PUT", PERSON, 404, personID=NOWHERE, json={"full_name": "Nobody", "kind": "staff",
                                                                "unit_id": ward["id"]})
    assert fields(api.call(admin, "POST", PEOPLE, 422, json={
        "full_name": ["Sam"], "kind": "staff", "unit_id": ward["id"]})) == {"body"}
    api.call(admin, "PUT", PERSON, 415, personID=person["id"], data=b"full_name=Sam")
    api.call(admin, "POST", PEOPLE, 413, json={"full_name": "Big", "kind": "staff", "unit_id": ward["id"],
                                               "job_title": "y" * ONE_MB})
    api.call(without_csrf_header(admin), "PUT", PERSON, 403, personID=person["id"], json={
        "full_name": "Forged", "kind": "staff", "unit_id": ward["id"]})
    api.call(viewer, "POST", PEOPLE, 403, json={"full_name": "Viewer's friend", "kind": "staff", "unit_id": ward["id"]})
    api.call(viewer, "PUT", PERSON, 403, personID=person["id"], json={
        "full_name": "Renamed by a viewer", "kind": "carer", "unit_id": ward["id"]})
    assert record(api.call(admin, "GET", PERSON, 200, personID=person["id"])) == changed


def check_priorities(api: Contract, admin, viewer) -> list[dict]:
    """The organisation's priorities, which everyone signed in may read: what `priority_ids` name.
    Archived ones are listed too (flagged), since projects may still serve them."""
    priorities = api.call(admin, "GET", PRIORITIES, 200)
    assert len([p for p in priorities if not p["archived"]]) >= 2, "the demo trust has several strategic priorities"
    assert [p["name"] for p in priorities] == sorted(p["name"] for p in priorities)
    assert len({p["id"] for p in priorities}) == len(priorities)
    assert api.call(viewer, "GET", PRIORITIES, 200) == priorities
    return priorities


def check_projects(api: Contract, admin, viewer, units, directorate, ward, priorities, tag: str) -> dict:
    projects = api.call(admin, "GET", PROJECTS, 200)
    assert len(projects) > 100
    statuses = {p["status"] for p in projects}
    assert {"draft", "active", "completed"} <= statuses
    active = api.call(admin, "GET", PROJECTS, 200, params={"status": "active"})
    assert active and all(p["status"] == "active" for p in active)
    assert any("progress_score" in p and "last_update_at" in p and "stage" in p for p in active)
    below = subtree(units, directorate["id"])
    in_directorate = api.call(admin, "GET", PROJECTS, 200, params={"unit": directorate["id"]})
    assert in_directorate and all(p["unit_id"] in below for p in in_directorate)
    assert all(p["unit_path"].startswith(directorate["path"]) for p in in_directorate)
    both = api.call(admin, "GET", PROJECTS, 200, params={"unit": directorate["id"], "status": "active"})
    assert both == [p for p in in_directorate if p["status"] == "active"]
    assert fields(api.call(admin, "GET", PROJECTS, 422, params={"status": "finished"})) == {"status"}
    assert fields(api.call(admin, "GET", PROJECTS, 422, params={"unit": NOWHERE})) == {"unit"}
    assert fields(api.call(admin, "GET", PROJECTS, 422, params={"unit": "ward 7"})) == {"unit"}
    api.call(admin, "GET", PROJECT, 404, projectID=NOWHERE)

    # A project's priorities by name, and the same ones by identifier, in the same order: the i-th id is the i-th name.
    name_of = {p["id"]: p["name"] for p in priorities}
    for summary in active[:20]:
        serving = api.call(admin, "GET", PROJECT, 200, projectID=summary["id"])
        if serving["priority_ids"]:
            break
    else:
        pytest.fail("no active demo project serves a priority")
    assert [name_of[i] for i in serving["priority_ids"]] == serving["priorities"] == sorted(serving["priorities"])
    in_use = [p for p in priorities if not p["archived"]]

    # Propose a project for the new ward.
    by_when = (dt.date.today() + dt.timedelta(days=180)).isoformat()
    proposal = {
        "title": f"Fewer missed doses on the day unit {tag}",
        "unit_id": ward["id"],
        "what_matters": "Service users told us missed doses make them feel unsafe.",
        "problem": "About 12 doses a month are missed or late.",
        "aim_what": "Reduce missed doses",
        "aim_how_much": "from 12 to 6 a month",
        "aim_by_when": by_when,
        "priority_ids": [in_use[0]["id"]],
        "partner_organisations": "Riverside Community Pharmacy",
    }
    project = api.call(admin, "POST", PROJECTS, 201, json=proposal)
    assert project["title"] == proposal["title"] and project["status"] == "draft"
    assert project["unit_id"] == ward["id"] and project["unit_path"] == ward["path"]
    assert project["what_matters"] == proposal["what_matters"] and project["problem"] == proposal["problem"]
    assert project["aim"]["what"] == "Reduce missed doses" and project["aim"]["by_when"] == by_when
    assert project["aim"]["statement"].startswith("Reduce missed doses from 12 to 6 a month by ")
    assert project["partner_organisations"] == "Riverside Community Pharmacy"
    assert project["priorities"] == [in_use[0]["name"]] and project["priority_ids"] == [in_use[0]["id"]]
    assert project["pdsa_cycles"] == [] and project["measures"] == []
    assert project["driver_diagram"] == {"aim": project["aim"]["statement"], "drivers": [], "change_ideas": []}
    lead = one(project["team"], "team member")
    assert lead["person_id"] == project["proposer"]["id"] and lead["is_lead"] and lead["role"] == "Project lead"
    proposer = api.call(admin, "GET", PERSON, 200, personID=project["proposer"]["id"])
    assert proposer["full_name"] == project["proposer"]["name"] == lead["name"]
    assert not {"stage", "progress_score", "coach", "sponsor"} & set(project)
    assert api.call(admin, "GET", PROJECT, 200, projectID=project["id"]) == project
    listed = one(api.call(admin, "GET", PROJECTS, 200, params={"unit": ward["id"]}), "project of the new ward")
    assert listed == {"id": project["id"], "title": proposal["title"], "unit_id": ward["id"],
                      "unit_path": ward["path"], "status": "draft"}

    # Change the proposal: a sharper title, another priority too (sent out of order), no partner organisations.
    two = in_use[:2]
    retitled = {**proposal, "title": f"Every dose on time on the day unit {tag}", "partner_organisations": None,
                "priority_ids": [p["id"] for p in reversed(two)], "version": project["version"]}
    # A change that does not say which version it began from is refused: it could overwrite unseen.
    unversioned = {k: v for k, v in retitled.items() if k != "version"}
    assert fields(api.call(admin, "PUT", PROJECT, 422, projectID=project["id"], json=unversioned)) == {"version"}
    updated = api.call(admin, "PUT", PROJECT, 200, projectID=project["id"], json=retitled)
    assert updated["title"] == retitled["title"] and "partner_organisations" not in updated
    assert updated["priorities"] == [p["name"] for p in two] and updated["priority_ids"] == [p["id"] for p in two]
    assert updated["version"] == project["version"] + 1
    changed_keys = ("title", "partner_organisations", "priorities", "priority_ids", "version")
    assert {k: v for k, v in updated.items() if k not in changed_keys} == {
        k: v for k, v in project.items() if k not in changed_keys}
    assert api.call(admin, "GET", PROJECT, 200, projectID=project["id"]) == updated
    # A change that began from the version before is refused, as documented, and changes nothing.
    api.call(admin, "PUT", PROJECT, 409, projectID=project["id"], json={**retitled, "title": "Stale", "version": project["version"]})
    assert api.call(admin, "GET", PROJECT, 200, projectID=project["id"]) == updated
    assert api.call(admin, "GET", PROJECTS, 200, params={"unit": ward["id"]})[0]["title"] == retitled["title"]

    # Bad proposals.
    vague = api.call(admin, "POST", PROJECTS, 422, json={
        **proposal, "unit_id": NOWHERE, "aim_how_much": "a lot", "aim_by_when": "2001-01-01"})
    assert fields(vague) == {"unit_id", "aim_how_much", "aim_by_when"}
    assert fields(api.call(admin, "POST", PROJECTS, 422, json={"title": "Only a title"})) == {
        "unit_id", "what_matters", "problem", "aim_what", "aim_how_much", "aim_by_when"}
    assert fields(api.call(admin, "PUT", PROJECT, 422, projectID=project["id"], json={
        **retitled, "priority_ids": [NOWHERE], "aim_by_when": "31/12/2030"})) == {"priority_ids", "aim_by_when"}
    api.call(admin, "PUT", PROJECT, 404, projectID=NOWHERE, json=retitled)
    assert fields(api.call(admin, "POST", PROJECTS, 422, json={**proposal, "priority_ids": "all of them"})) == {"body"}
    api.call(admin, "POST", PROJECTS, 415, data=json.dumps(proposal).encode())
    api.call(admin, "PUT", PROJECT, 413, projectID=project["id"], json={**retitled, "problem": "z" * ONE_MB})
    api.call(without_csrf_header(admin), "POST", PROJECTS, 403, json=proposal)
    api.call(viewer, "PUT", PROJECT, 403, projectID=project["id"], json={**retitled, "title": "Hijacked"})
    assert api.call(admin, "GET", PROJECT, 200, projectID=project["id"]) == updated

    # Long text in any script fits: 3,000 curly apostrophes are 18 KB as JSON escapes (over the old 16 KB).
    apostrophes = "’" * 3_000
    assert len(json.dumps({"what_matters": apostrophes})) > 18_000
    wordy = api.call(admin, "PUT", PROJECT, 200, projectID=project["id"],
                     json={**retitled, "what_matters": apostrophes, "version": updated["version"]})
    assert wordy["what_matters"] == apostrophes
    restored = api.call(admin, "PUT", PROJECT, 200, projectID=project["id"], json={**retitled, "version": wordy["version"]})
    # The same content again, two edits later.
    assert {**restored, "version": updated["version"]} == updated and restored["version"] == updated["version"] + 2

    # Anyone signed in may propose: the viewer's proposal is theirs to lead.
    own = api.call(viewer, "POST", PROJECTS, 201, json={**proposal, "title": f"A viewer's idea {tag}"})
    assert own["status"] == "draft" and own["proposer"]["id"] != project["proposer"]["id"]
    return updated


def check_driver_diagram_and_cycles(api: Contract, admin, viewer, project: dict) -> None:
    pid = project["id"]
    today = dt.date.today()

    # A secondary driver needs a primary one, and a change idea a driver.
    assert fields(api.call(admin, "POST", DRIVERS, 422, projectID=pid, json={
        "level": "secondary", "text": "Reliable drug round"})) == {"primary_ids"}
    assert fields(api.call(admin, "POST", CHANGE_IDEAS, 422, projectID=pid, json={
        "title": "Red tabard", "driver_ids": []})) == {"driver_ids"}

    primary = api.call(admin, "POST", DRIVERS, 201, projectID=pid, json={
        "level": "primary", "text": "Doses given on time", "primary_ids": [NOWHERE]})
    assert primary == {"id": primary["id"], "level": "primary", "text": "Doses given on time", "primary_ids": []}
    secondary = api.call(admin, "POST", DRIVERS, 201, projectID=pid, json={
        "level": "secondary", "text": "Reliable drug round", "primary_ids": [primary["id"]]})
    assert secondary == {"id": secondary["id"], "level": "secondary", "text": "Reliable drug round",
                         "primary_ids": [primary["id"]]}
    assert fields(api.call(admin, "POST", DRIVERS, 422, projectID=pid, json={
        "level": "tertiary", "text": " "})) == {"level", "text"}
    assert fields(api.call(admin, "POST", DRIVERS, 422, projectID=pid, json={
        "level": "secondary", "text": "Stock", "primary_ids": [NOWHERE]})) == {"primary_ids"}

    idea = api.call(admin, "POST", CHANGE_IDEAS, 201, projectID=pid, json={
        "title": "Red tabard on the drug round", "description": "Nobody interrupts the nurse giving medicines.",
        "driver_ids": [secondary["id"]]})
    assert idea == {"id": idea["id"], "title": "Red tabard on the drug round",
                    "description": "Nobody interrupts the nurse giving medicines.", "driver_ids": [secondary["id"]]}
    second_idea = api.call(admin, "POST", CHANGE_IDEAS, 201, projectID=pid, json={
        "title": "Pharmacy top-up at noon", "driver_ids": [primary["id"], secondary["id"]]})
    assert "description" not in second_idea and second_idea["driver_ids"] == [primary["id"], secondary["id"]]
    assert fields(api.call(admin, "POST", CHANGE_IDEAS, 422, projectID=pid, json={
        "title": "", "driver_ids": [NOWHERE]})) == {"title", "driver_ids"}

    plan = {
        "change_idea_id": idea["id"],
        "objective": "Try the red tabard on one morning drug round.",
        "question": "Are there fewer interruptions?",
        "prediction": "Interruptions halve.",
        "who": "The nurse in charge",
        "what": "Wear the tabard and count interruptions",
        "where": "The day unit",
        "planned_start": today.isoformat(),
        "planned_end": (today + dt.timedelta(days=14)).isoformat(),
    }
    first = api.call(admin, "POST", CYCLES, 201, projectID=pid, json=plan)
    assert first == {"id": first["id"], "change_idea_id": idea["id"], "number": 1, "status": "planned",
                     "objective": plan["objective"], "question": plan["question"],
                     "prediction": plan["prediction"], "who": plan["who"], "what": plan["what"],
                     "where": plan["where"], "planned_start": plan["planned_start"],
                     "planned_end": plan["planned_end"], "measure_ids": []}
    second = api.call(admin, "POST", CYCLES, 201, projectID=pid, json={
        **plan, "planned_end": None, "prediction": "Interruptions stay low at night too."})
    assert second["number"] == 2 and "planned_end" not in second
    assert fields(api.call(admin, "POST", CYCLES, 422, projectID=pid, json={})) == {
        "change_idea_id", "objective", "question", "prediction", "who", "what", "where", "planned_start"}
    assert fields(api.call(admin, "POST", CYCLES, 422, projectID=pid, json={
        **plan, "planned_end": (today - dt.timedelta(days=1)).isoformat(), "measure_ids": [NOWHERE],
        "change_idea_id": NOWHERE})) == {"planned_end", "measure_ids", "change_idea_id"}

    for template, body in ((DRIVERS, {"level": "primary", "text": "Staffing"}),
                           (CHANGE_IDEAS, {"title": "Checklist", "driver_ids": [primary["id"]]}),
                           (CYCLES, plan)):
        api.call(viewer, "POST", template, 403, projectID=pid, json=body)
        api.call(without_csrf_header(admin), "POST", template, 403, projectID=pid, json=body)
        api.call(admin, "POST", template, 404, projectID=NOWHERE, json=body)
        assert fields(api.call(admin, "POST", template, 422, projectID=pid, data=b"[",
                               headers={"Content-Type": "application/json"})) == {"body"}
        api.call(admin, "POST", template, 415, projectID=pid, data=json.dumps(body).encode())
        api.call(admin, "POST", template, 413, projectID=pid, json={**body, "padding": "p" * ONE_MB})

    whole = api.call(admin, "GET", PROJECT, 200, projectID=pid)
    assert whole["driver_diagram"]["drivers"] == [primary, secondary]
    # The diagram lists an idea's drivers in its own order, not necessarily the order they were sent.
    in_diagram = [{**i, "driver_ids": sorted(i["driver_ids"])} for i in whole["driver_diagram"]["change_ideas"]]
    assert in_diagram == [{**i, "driver_ids": sorted(i["driver_ids"])} for i in (idea, second_idea)]
    assert whole["pdsa_cycles"] == [first, second]


def check_charts_and_a_watched_measure(api: Contract, admin) -> None:
    # A demo project that measures and tests change: its measures' charts, and a cycle watching one.
    for summary in api.call(admin, "GET", PROJECTS, 200, params={"status": "active"})[:40]:
        project = api.call(admin, "GET", PROJECT, 200, projectID=summary["id"])
        if project["measures"] and project["driver_diagram"]["change_ideas"] and project["pdsa_cycles"]:
            break
    else:
        pytest.fail("no active demo project with measures, change ideas and PDSA cycles")
    assert project["status"] == "active" and {"stage", "coach", "sponsor"} <= set(project)
    annotated = []
    for measure in project["measures"]:
        assert measure["chart_url"] == f"/api/v1/measures/{measure['id']}/chart"
        chart = api.call(admin, "GET", CHART, 200, measureID=measure["id"])
        notes = chart["annotations"]
        assert [n["x"] for n in notes] == sorted(n["x"] for n in notes)
        annotated += notes
        assert chart["chart"] == measure["chart_type"] and chart["direction"] == measure["direction"]
        assert chart["target"] == measure.get("target")
        points, phases = chart["points"], chart["phases"]
        assert points, f"the demo measure {measure['name']} has no data"
        assert [p["x"] for p in points] == sorted(p["x"] for p in points)
        assert phases[0]["first"] == 0 and phases[-1]["last"] == len(points) - 1
        assert [p["phase"] for p in phases] == list(range(1, len(phases) + 1))
        assert {p["phase"] for p in points} == {p["phase"] for p in phases}
    # The demo notes on a chart when each PDSA cycle started.
    assert any(n["text"].startswith("PDSA ") for n in annotated), annotated
    watched = project["measures"][0]
    idea = project["driver_diagram"]["change_ideas"][0]
    numbers = [c["number"] for c in project["pdsa_cycles"] if c["change_idea_id"] == idea["id"]]
    cycle = api.call(admin, "POST", CYCLES, 201, projectID=project["id"], json={
        "change_idea_id": idea["id"], "objective": "Spread to the night shift.", "question": "Does it hold at night?",
        "prediction": "It does, with a reminder.", "who": "The night nurse in charge", "what": idea["title"],
        "where": "The ward", "planned_start": dt.date.today().isoformat(), "measure_ids": [watched["id"]]})
    assert cycle["number"] == max(numbers, default=0) + 1 and cycle["measure_ids"] == [watched["id"]]
    assert cycle in api.call(admin, "GET", PROJECT, 200, projectID=project["id"])["pdsa_cycles"]
    api.call(admin, "GET", CHART, 404, measureID=NOWHERE)
    api.call(admin, "GET", CHART, 404, measureID="falls")


def check_measure_data(api: Contract, admin, viewer, anonymous, directorate, new_ward, base_url: str) -> None:
    # A demo ward of the directorate (not the one this test added, which has no measures): its falls
    # measure, that measure's key for bulk data (from its page) and its chart.
    wards = [u for u in api.call(admin, "GET", UNITS, 200, params={"parent": directorate["id"]})
             if u["kind"] == "ward" and u["id"] != new_ward["id"]]
    assert wards, f"the demo has no ward in {DIRECTORATE}"
    ward = wards[0]
    summary = admin.get(f"{base_url}/units/{ward['id']}/measures", timeout=60)
    assert summary.status_code == 200
    falls_href = one(set(re.findall(r'<a href="(/measures/[0-9A-Fa-f-]{36})">Falls</a>', summary.text)), "Falls link")
    falls_id = falls_href.rsplit("/", 1)[1]
    page = admin.get(base_url + falls_href, timeout=60)
    key = html.unescape(re.search(r"<dt>Key for bulk data</dt><dd><code>([^<]+)</code>", page.text).group(1))
    before = api.call(admin, "GET", CHART, 200, measureID=falls_id)
    assert before["chart"] == "u", "falls are a rate: the chart needs denominators"

    # An administrator issues the data warehouse a token for the directorate (on the HTML page).
    issued = admin.post(f"{base_url}/api-tokens", data={
        "_csrf": admin.csrf_token, "name": "Contract test warehouse", "unit": directorate["id"]}, timeout=60)
    assert issued.status_code == 200
    token = html.unescape(re.search(r'<code id="new-token">([^<]+)</code>', issued.text).group(1))
    assert token.startswith("oqi_")
    warehouse = requests.Session()
    warehouse.headers["Authorization"] = f"Bearer {token}"

    weeks = ["2019-01-07", "2019-01-14", "2019-01-21", "2019-01-28"]
    batch = {"points": [
        {"measure": key.upper(), "period": weeks[0], "value": 3, "denominator": 140},
        {"measure": f"  {key}", "period": weeks[1], "value": 2, "denominator": 150, "note": "Contract test"},
    ]}
    assert api.call(warehouse, "POST", DATA, 200, json=batch) == {
        "points": 2, "measures": 1, "added": 2, "changed": 0, "unchanged": 0}
    assert api.call(warehouse, "POST", DATA, 200, json=batch) == {
        "points": 2, "measures": 1, "added": 0, "changed": 0, "unchanged": 2}
    csv = f"measure,period,value,denominator\n{key},{weeks[2]},4,145\n"
    assert api.call(warehouse, "POST", DATA, 200, data=csv.encode(), headers={"Content-Type": "text/csv"}) == {
        "points": 1, "measures": 1, "added": 1, "changed": 0, "unchanged": 0}
    after = api.call(admin, "GET", CHART, 200, measureID=falls_id)
    assert len(after["points"]) == len(before["points"]) + 3
    loaded = {p["x"]: p for p in after["points"] if p["x"] in weeks}
    assert sorted(loaded) == weeks[:3]
    assert [loaded[w]["n"] for w in weeks[:3]] == [140, 150, 145]
    assert loaded[weeks[1]]["note"] == "Contract test" and loaded[weeks[0]]["note"] is None
    assert loaded[weeks[1]]["y"] / loaded[weeks[0]]["y"] == pytest.approx((2 / 150) / (3 / 140))

    # A batch with bad rows loads nothing, and says which rows and why.
    rejected = api.call(warehouse, "POST", DATA, 422, json={"points": [
        {"measure": key + "s", "period": weeks[3], "value": 1, "denominator": 140},
        {"measure": key, "period": "last monday", "value": 1, "denominator": 140},
        {"measure": key, "period": weeks[3], "value": 1},
        {"measure": key, "period": weeks[3], "value": 2, "denominator": 150},
    ]})
    assert rejected["detail"] == "Nothing was imported: 3 rows need fixing."
    assert [row["row"] for row in rejected["errors"]] == [1, 2, 3]
    assert all(row["message"].startswith(f"Row {row['row']}: ") for row in rejected["errors"])
    assert "has the key" in rejected["errors"][0]["message"] and "is not a date" in rejected["errors"][1]["message"]
    assert "needs a denominator" in rejected["errors"][2]["message"]
    duplicated = api.call(warehouse, "POST", DATA, 422, json={"points": [batch["points"][0], batch["points"][0]]})
    assert [row["row"] for row in duplicated["errors"]] == [2]
    assert api.call(warehouse, "POST", DATA, 422, json={"points": []})["errors"] == [
        {"field": "data", "row": 0, "message": "Send at least one point."}]
    assert api.call(warehouse, "POST", DATA, 422, json={})["errors"][0]["row"] == 0
    bad_csv = api.call(warehouse, "POST", DATA, 422, data=b"measure,when,value\n", headers={"Content-Type": "text/csv"})
    assert bad_csv["errors"][0]["row"] == 1 and "“when” is not a column" in bad_csv["errors"][0]["message"]
    assert len(api.call(admin, "GET", CHART, 200, measureID=falls_id)["points"]) == len(after["points"])

    # Numbers may come as text, as warehouses export them; text that is not a number is named on its row.
    texts = api.call(warehouse, "POST", DATA, 422, json={"points": [
        {"measure": key, "period": weeks[2], "value": "4", "denominator": "150"},
        {"measure": key, "period": weeks[3], "value": "one", "denominator": 150}]})
    assert texts["errors"] == [{"field": "data", "row": 2, "message": "Row 2: “one” is not a number in the value column."}]
    api.call(warehouse, "POST", DATA, 415, data=json.dumps(batch).encode())
    api.call(warehouse, "POST", DATA, 413, data=b"measure,period,value\n" + b"x,2019-01-07,1\n" * 1_500_000,
             headers={"Content-Type": "text/csv"})
    api.call(anonymous, "POST", DATA, 401, json=batch)
    api.call(requests.Session(), "POST", DATA, 401, json=batch,
             headers={"Authorization": "Bearer oqi_not-a-real-token"})

    # A signed-in QI lead may load data too, with the anti-forgery header; a viewer may not write anywhere.
    resend = {"points": [{"measure": key, "period": weeks[2], "value": 5, "denominator": 145}]}
    assert api.call(admin, "POST", DATA, 200, json=resend) == {
        "points": 1, "measures": 1, "added": 0, "changed": 1, "unchanged": 0}
    api.call(without_csrf_header(admin), "POST", DATA, 403, json=resend)
    refused = api.call(viewer, "POST", DATA, 422, json=resend)
    assert "the units you look after" in refused["errors"][0]["message"]


# ---- archived priorities ------------------------------------------------------------------------


def test_an_archived_priority_is_listed_and_its_projects_keep_it(demo, document):
    """A priority added through the API under one of the strategy's objectives, served by a project,
    then archived by a PUT: GET /priorities still lists it, flagged, because projects may still serve
    it and `priority_ids` must be readable; the strategy keeps it under its objective; a PUT that began
    from the old version is refused. Runs after the other tests, which propose projects with
    priorities in use."""
    api = Contract(document, demo.base_url)
    admin = sign_in_client(demo.base_url, ADMIN)
    tag = uuid.uuid4().hex[:6]
    objective = next(o for o in api.call(admin, "GET", STRATEGY, 200)["objectives"] if not o["archived"])
    name = f"Contract test priority {tag}"
    retiring = api.call(admin, "POST", PRIORITIES, 201, json={"name": name, "objective_id": objective["id"]})
    assert retiring == {"id": retiring["id"], "name": name, "objective_id": objective["id"], "archived": False,
                        "version": 1}
    assert api.call(admin, "GET", PRIORITY, 200, priorityID=retiring["id"]) == retiring
    in_use = [p for p in api.call(admin, "GET", PRIORITIES, 200) if not p["archived"]]
    assert retiring in in_use
    staying = next(p for p in in_use if p["id"] != retiring["id"])

    unit = api.call(admin, "GET", UNITS, 200, params={"q": DIRECTORATE})[0]
    project = api.call(admin, "POST", PROJECTS, 201, json={
        "title": f"Priorities that retire {tag}", "unit_id": unit["id"],
        "what_matters": "Staff want to know which priorities still count.", "problem": "Plans change every year.",
        "aim_what": "Keep projects linked to their plan", "aim_how_much": "from 0 to 1 project",
        "aim_by_when": (dt.date.today() + dt.timedelta(days=90)).isoformat(),
        "priority_ids": [staying["id"], retiring["id"]]})
    change = {"name": name, "objective_id": objective["id"], "archived": True, "version": 1}
    archived = api.call(admin, "PUT", PRIORITY, 200, priorityID=retiring["id"], json=change)
    assert archived == {**retiring, "archived": True, "version": 2}
    api.call(admin, "PUT", PRIORITY, 409, priorityID=retiring["id"], json={**change, "name": "Stale"})

    listed = api.call(admin, "GET", PRIORITIES, 200)
    assert archived in listed
    assert [p["name"] for p in listed] == sorted(p["name"] for p in listed)
    under = next(o for o in api.call(admin, "GET", STRATEGY, 200)["objectives"] if o["id"] == objective["id"])
    assert archived in under["priorities"]
    kept = api.call(admin, "GET", PROJECT, 200, projectID=project["id"])
    served = sorted([staying, archived], key=lambda p: p["name"])
    assert kept["priorities"] == [p["name"] for p in served] and kept["priority_ids"] == [p["id"] for p in served]


# ---- answers the document does not list yet ---------------------------------------------------------


def test_a_malformed_multipart_body_gets_a_documented_answer(demo, document):
    """A client error must not look like a server fault: a broken multipart body is unreadable input
    (422 against the field body), never a 500."""
    api = Contract(document, demo.base_url)
    admin = sign_in_client(demo.base_url, ADMIN)
    api.call(admin, "POST", UNITS, 422, data=b"--x--", headers={"Content-Type": "multipart/form-data; boundary=x"})


def test_an_overlong_identifier_answers_404(demo, document):
    """The path parameters say an identifier that names nothing answers 404, however long it is."""
    api = Contract(document, demo.base_url)
    admin = sign_in_client(demo.base_url, ADMIN)
    api.call(admin, "GET", UNIT, 404, unitID="a" * 5_000)
