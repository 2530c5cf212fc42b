"""Markup injection (issue 17): hostile text through every text field, then every page, SVG, CSV and
export that shows it, checked for a payload that ran or came out unescaped.

A demo server of this module's own is filled by its administrator, through the JSON API where there
is one and the HTML forms (with the session's anti-forgery token) otherwise. Each payload of
PAYLOADS gets a round of its own: a ward and a person; the strategy's aim, a strategic objective
and a priority under it; a standard measure; a programme (delivering the priority, counting the
standard measure) with its stage decisions and driver diagram; a project joining the programme as a
team, with its team, forum decisions, driver diagram (a change idea adapting the programme's),
measure (pasted data with notes, an annotation, a phase), PDSA cycle, update, comment, story
(Markdown, with an embedded chart) and closure; the programme's learning session (its place, agenda
and the team's plan for the action period) and the team's data on the standard measure; the ward's
annual plan with its diagram, the programme linked to a box; a measure of the directorate with data
from a CSV upload (its file name too) and the data API, a month's board report (narrative, patient
story in Markdown, improvement story) and an API token. Every text field of the round holds the
round's payload, carrying a marker of its own (`mk` + round + field + `q`), so a hit names the field
it went in through. Some payloads are also sent in forms that fail validation, and in searches and
filters, since those pages echo what was typed.

Then every page that shows them is opened in Chromium (with the page's Content-Security-Policy
bypassed, so escaping is tested rather than the policy), along with the responses to the form posts,
which are shown to Chromium as they came. Each payload that could run calls `__pwned(marker)`,
recorded by an init script; a JavaScript dialog fails too. And the raw bytes the server sent are
checked: no payload's `<` unescaped, no event-handler attribute but the app's own, no `javascript:`
address, no script or frame the app did not write; chart SVGs parse as XML (inline ones too) and
hold no script; CSV cells starting with = + - @ (or a tab or carriage return) are neutralised with a
leading apostrophe; the exported board report carries its own restrictive Content-Security-Policy
meta tag ahead of anything typed; no answer is a server error. Finally, every marker stored must
have come out somewhere checked, so a field that stops being shown, or a page dropped from the
list, is noticed.

OpenQI has no RSS or Atom feed; its feeds are the home page's tasks (the sponsor's, which quote the
teams' asks), the project's updates and comments, and the audit log, all checked here.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import time
import uuid
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest
import requests
from playwright.sync_api import Browser

from conftest import _stop_server
from test_api_contract import ADMIN, DIRECTORATE, PASSWORD, sign_in_client

SPONSOR = "sponsor@example.org"
COACH_NAME, SPONSOR_NAME = "Sam Whitfield", "Helen Osei"

# ---- payloads -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Payload:
    name: str
    template: str  # "{m}" stands for the marker
    browser: bool = True  # open its pages in Chromium (else only their raw bytes are checked)
    redraw: bool = False  # also sent in forms that fail, and in searches, whose pages echo it


PAYLOADS = [
    Payload("script", "<script>__pwned('{m}')</script>"),
    Payload("img-onerror", "\"><img src=x onerror=__pwned('{m}')>", redraw=True),
    Payload("dquote-attribute", "\" autofocus onfocus=\"__pwned('{m}')\" x=\"", redraw=True),
    Payload("squote-attribute", "' autofocus onfocus='__pwned(\"{m}\")' x='", redraw=True),
    Payload("unquoted-attribute", "x onmouseover=__pwned('{m}') autofocus onfocus=__pwned('{m}')", redraw=True),
    Payload("svg-onload", "<svg/onload=__pwned('{m}')><b>{m}</b>"),
    Payload("closers", "</textarea></title></style></noscript><script>__pwned('{m}')</script>", redraw=True),
    Payload("xml-breakout", "]]></text></desc><script>__pwned('{m}')</script><![CDATA["),
    Payload("entities", "&lt;b&gt;{m}&lt;/b&gt; &amp; &#60;i&#62; &x; & ;"),
    Payload("javascript-url", "javascript:__pwned('{m}')"),
    Payload("markdown-links", "[a{m}](javascript:__pwned('{m}')) <javascript:__pwned('{m}')>"),
    Payload("markdown-images", "![{m}\" onerror=\"__pwned('{m}')](http://x/y.png) ![j](javascript:__pwned('{m}'))"),
    Payload("markdown-fence", "```\"><script>__pwned('{m}')</script>\n{m}\n```"),
    Payload("markdown-html", "<details open ontoggle=__pwned('{m}')>x</details>\n\n<a href=\"javascript:__pwned('{m}')\">y</a>"),
    Payload("csv-equals", "=cmd|' /C calc'!A0 {m}", browser=False),
    Payload("csv-plus", "+SUM(1;1) {m}", browser=False),
    Payload("csv-minus", "-1+cmd|' /C calc'!A0 {m}", browser=False),
    Payload("csv-at", "@SUM(1,1) {m}", browser=False),
    Payload("csv-tab", "\t=HYPERLINK(\"http://x/{m}\")", browser=False),
    Payload("unicode", "\u202e{m}\u202c \u200b<scr\u200bipt>__pwned('{m}')</scr\u200bipt>\u2028\ufeff\uff1cb\uff1e\U0001F600"),
    # Filled to each field's limit: a script first, a breakout last, markup characters between.
    Payload("long", "", redraw=True),
]
MARKER = re.compile(r"mk\d{5}q")


def long_value(marker: str, limit: int, markdown: bool = False) -> str:
    head, tail = f"<script>__pwned('{marker}')</script>", f"<img src=x onerror=__pwned('{marker}')>"
    if len(head) + len(tail) > limit:
        return head[:limit]
    # Markdown takes no run of ampersands or brackets: those make the renderer slow, which
    # test_markdown_renders_in_bounded_time checks on a server of its own.
    filler = ("<>\"'x*_" if markdown else "&<>\"'x") * limit
    return head + filler[: limit - len(head) - len(tail)] + tail


def fragments(text: str, marker: str) -> list[str]:
    """The pieces of a payload that are markup only if its `<` came out unescaped: from each `<`
    that opens a tag, a comment or a CDATA section, to the end of the next marker."""
    found = []
    for i, char in enumerate(text):
        if char == "<" and i + 1 < len(text) and (text[i + 1].isalpha() or text[i + 1] in "/!"):
            end = text.find(marker, i)
            if end != -1:
                found.append(text[i:end + len(marker)])
    return found


# ---- what was written, and what came out ------------------------------------------------------------


@dataclass
class Written:
    field: str
    payload: str
    text: str
    stored: bool  # saved (so it must come out somewhere), not only echoed by a form that failed
    fragments: list[str]


@dataclass
class Ledger:
    written: dict[str, Written] = field(default_factory=dict)
    fields: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    seen_in: dict[str, set[str]] = field(default_factory=dict)  # by kind of output: HTML, SVG, CSV, export
    problems: dict[str, list[str]] = field(default_factory=dict)
    checked: dict[str, int] = field(default_factory=dict)

    def marker(self, field_name: str, round_no: int) -> str:
        if field_name not in self.fields:
            self.fields.append(field_name)
        return f"mk{round_no:02d}{self.fields.index(field_name):03d}q"

    def note(self, marker: str, field_name: str, payload: Payload, text: str, stored: bool) -> None:
        self.written[marker] = Written(field_name, payload.name, text, stored, fragments(text, marker))

    def problem(self, category: str, where: str, message: str, snippet: str = "") -> None:
        traced = sorted({f"{m} = {self.written[m].field} ({self.written[m].payload})"
                         for m in MARKER.findall(message + snippet) if m in self.written})
        entry = f"{where}: {message}"
        if snippet:
            entry += f"\n      raw: {snippet!r}"
        if traced:
            entry += "\n      went in as: " + "; ".join(traced)
        self.problems.setdefault(category, []).append(entry)

    def count(self, kind: str) -> None:
        self.checked[kind] = self.checked.get(kind, 0) + 1


def snippet_at(text: str, index: int, width: int = 120) -> str:
    return text[max(0, index - width // 2): index + width]


# ---- checking raw answers -------------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite"}
RISKY_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:image/svg")
# The app's own event handler: the board report's print button.
ALLOWED_HANDLERS = {("onclick", "window.print()")}
# The app's own scripts: the proposal form's similar-projects panel, the team picker, and site.js (the phone menu).
ALLOWED_SCRIPTS = {"/similar-projects.js", "/team-picker.js", "/site.js"}
NEVER_WRITTEN = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "foreignobject"}


def risky_url(value: str) -> bool:
    return re.sub(r"[\x00-\x20\x7f-\x9f]", "", value).lower().startswith(RISKY_SCHEMES)


class MarkupScan(HTMLParser):
    """Walks raw HTML as a browser's tokenizer roughly would, noting markup that a payload made."""

    def __init__(self, report, standalone: bool = False):
        super().__init__(convert_charrefs=True)
        self.report = report
        self.standalone = standalone

    def handle_starttag(self, tag, attrs):
        self.element(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self.element(tag, attrs)

    def element(self, tag: str, attrs) -> None:
        where = self.getpos()
        values = {name: value or "" for name, value in attrs}
        described = f"<{tag} " + " ".join(f'{n}="{v}"' for n, v in attrs)[:300] + ">"
        if MARKER.search(tag):
            self.report(f"an element named from a payload at line {where[0]}", described)
        if tag in NEVER_WRITTEN:
            self.report(f"a <{tag}> element at line {where[0]}", described)
        if tag == "script" and (values.get("src") not in ALLOWED_SCRIPTS or self.standalone):
            self.report(f"a <script> the app does not write, at line {where[0]}", described)
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.report(f"a meta refresh at line {where[0]}", described)
        for name, value in values.items():
            if MARKER.search(name):
                self.report(f"an attribute named from a payload, at line {where[0]}", described)
            if name.startswith("on") and ((name, value) not in ALLOWED_HANDLERS or self.standalone):
                self.report(f"an event handler attribute {name}= at line {where[0]}", described)
            if (name in URL_ATTRIBUTES or name.endswith(":href")) and risky_url(value):
                self.report(f"a {name}= address that runs script, at line {where[0]}", described)
            if name in ("style", "srcdoc") and MARKER.search(value):
                self.report(f"a payload inside a {name}= attribute, at line {where[0]}", described)

    def handle_data(self, data):
        if self.cdata_elem and MARKER.search(data):
            self.report(f"a payload inside <{self.cdata_elem}>", data[:300])


class Checker:
    """The raw checks, shared by pages, SVGs, CSVs and the export."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger

    def markers(self, where: str, text: str, kind: str) -> None:
        """Notes each marker as seen; a payload's `<` found verbatim is a defect."""
        seen_here = self.ledger.seen_in.setdefault(kind, set())
        for match in MARKER.finditer(text):
            marker = match.group()
            self.ledger.seen.add(marker)
            seen_here.add(marker)
            written = self.ledger.written.get(marker)
            if not written:
                continue
            for fragment in written.fragments:
                start = match.end() - len(fragment)
                if start >= 0 and text[start:match.end()] == fragment:
                    self.ledger.problem("unescaped", where, f"payload markup came out unescaped: {fragment!r}",
                                        snippet_at(text, start))
                    break

    def html_page(self, where: str, text: str, standalone: bool = False) -> None:
        self.ledger.count("HTML")
        self.markers(where, text, "export" if standalone else "HTML")
        scan = MarkupScan(lambda message, raw: self.ledger.problem("unescaped", where, message, raw), standalone)
        scan.feed(text)
        scan.close()
        for svg in inline_svgs(text):
            self.svg(f"{where} (inline SVG)", svg, count=False)

    def svg(self, where: str, text: str, count: bool = True) -> None:
        if count:
            self.ledger.count("SVG")
            self.markers(where, text, "SVG")
        try:
            root = ElementTree.fromstring(text)
        except ElementTree.ParseError as error:
            line, column = error.position
            lines = text.split("\n")
            offset = sum(len(x) + 1 for x in lines[: line - 1]) + column
            self.ledger.problem("svg", where, f"the SVG is not well-formed XML ({error})", snippet_at(text, offset))
            return
        for element in root.iter():
            name = element.tag.rsplit("}", 1)[-1].lower()
            if name in ("script", "foreignobject", "iframe", "handler"):
                self.ledger.problem("svg", where, f"a <{name}> element in the SVG",
                                    ElementTree.tostring(element, encoding="unicode")[:300])
            for attribute, value in element.attrib.items():
                attribute = attribute.rsplit("}", 1)[-1].lower()
                if attribute.startswith("on") or (attribute == "href" and risky_url(value)):
                    self.ledger.problem("svg", where, f"a {attribute}= attribute in the SVG", f"{attribute}={value!r}")

    def csv_file(self, where: str, text: str) -> None:
        self.ledger.count("CSV")
        for marker in MARKER.findall(text):
            self.ledger.seen.add(marker)
            self.ledger.seen_in.setdefault("CSV", set()).add(marker)
        for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            for column, cell in enumerate(row, start=1):
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not NUMBER.fullmatch(cell):
                    self.ledger.problem("csv", where, f"row {number}, column {column}: a cell a spreadsheet "
                                        "would run as a formula (no leading apostrophe)", cell[:200])

    def status(self, where: str, response: requests.Response) -> None:
        if response.status_code >= 500:
            self.ledger.problem("server error", where, f"answered {response.status_code}", response.text[:400])


NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def inline_svgs(text: str) -> list[str]:
    """Each outermost <svg>…</svg> of a page (charts, driver diagrams), nested icons included."""
    found, depth, start = [], 0, 0
    for match in re.finditer(r"<svg\b|</svg>", text):
        if match.group() == "</svg>":
            if depth:
                depth -= 1
                if depth == 0:
                    found.append(text[start:match.end()])
        else:
            if depth == 0:
                start = match.start()
            depth += 1
    return found


# ---- writing ------------------------------------------------------------------------------------


@dataclass
class Captured:
    """An answer to a form post (a redraw, or the page a redirect led to), to show to Chromium."""
    where: str
    url: str
    body: str
    browser: bool


class Writer:
    def __init__(self, base: str, client: requests.Session, ledger: Ledger, checker: Checker):
        self.base, self.client, self.ledger, self.checker = base, client, ledger, checker
        self.captured: list[Captured] = []

    def value(self, field_name: str, round_no: int, payload: Payload, limit: int, stored: bool = True,
              prefix: str = "", markdown: bool = False) -> str:
        marker = self.ledger.marker(field_name, round_no)
        text = (long_value(marker, limit - len(prefix), markdown) if payload.name == "long"
                else payload.template.replace("{m}", marker))
        # A payload longer than a short field (a role, a unit of measure) goes in cut to fit.
        text = (prefix + text)[:limit]
        self.ledger.note(marker, field_name, payload, text, stored)
        return text

    def api(self, method: str, path: str, body: dict, expect: int, where: str) -> dict:
        response = self.client.request(method, self.base + path, json=body, timeout=60)
        self.checker.status(where, response)
        assert response.status_code == expect, f"{where}: {method} {path} answered {response.status_code}: {response.text[:500]}"
        assert response.headers["Content-Type"].startswith("application/json"), where
        return response.json()

    def form(self, path: str, data, where: str, *, expect: tuple[int, ...] = (200,), payload: Payload,
             files: tuple[str, str, str] | None = None) -> requests.Response:
        """Posts a form as a browser would (following the redirect), checks the answer it ends on
        and keeps it to show to Chromium."""
        if files:
            body, content_type = multipart(data, *files)
            response = self.client.post(self.base + path, data=body, headers={"Content-Type": content_type}, timeout=60)
        else:
            response = self.client.post(self.base + path, data=data, timeout=60)
        self.checker.status(where, response)
        assert response.status_code in expect, (
            f"{where}: POST {path} answered {response.status_code} (expected {expect}): "
            f"{re.sub(r'<[^>]+>', ' ', response.text)[:800]}")
        kind = response.headers.get("Content-Type", "")
        if kind.startswith("text/html"):
            self.checker.html_page(where, response.text)
            # Chromium sees a form that came back (it echoes what was typed); a page a redirect led
            # to is opened later anyway (its notice, quoting what was saved, is checked raw here).
            if response.status_code >= 400 and MARKER.search(response.text):
                self.captured.append(Captured(where, response.url, response.text, payload.browser))
        return response

    def version(self, page: str, action: str) -> str:
        """The version the form posting to `action` on `page` carries, as a browser would send it back."""
        html = self.get(page, f"the form of {action}").text
        found = re.search(r'action="' + re.escape(action) + r'(?:#[^"]*)?"[^>]*>.*?name="version" value="(\d+)"', html, re.S)
        assert found, f"no version in the form of {action} on {page}"
        return found.group(1)

    def get(self, path: str, where: str, expect: tuple[int, ...] = (200,)) -> requests.Response:
        response = self.client.get(self.base + path, timeout=60)
        self.checker.status(where, response)
        assert response.status_code in expect, f"{where}: GET {path} answered {response.status_code}"
        return response


def multipart(fields: dict, field_name: str, filename: str, content: str) -> tuple[bytes, str]:
    """A multipart body with the file name as Chromium sends it (a double quote as %22, line breaks
    as %0D %0A), which requests would otherwise rewrite."""
    boundary = "----openqi" + uuid.uuid4().hex
    sent = filename.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; filename="{sent}"\r\n'
                 f"Content-Type: text/csv\r\n\r\n{content}\r\n")
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def last_mondays(count: int, today: dt.date) -> list[dt.date]:
    monday = today - dt.timedelta(days=today.weekday())
    return [monday - dt.timedelta(weeks=k) for k in range(count, 0, -1)]


def month_start(day: dt.date, back: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - back, 12)
    return dt.date(year, month + 1, 1)


def id_in(url: str, kind: str) -> str:
    match = re.search(rf"/{kind}/([0-9A-Fa-f-]{{36}})", url)
    assert match, f"no /{kind}/<id> in {url}"
    return match.group(1)


def anchor_id(response: requests.Response, kind: str) -> str:
    """The id of the record a redirect's notice leads back to (`Back to where you were`, `#objective-<id>`)."""
    match = re.search(rf'<a href="#{kind}-([0-9A-Fa-f-]{{36}})">Back to where you were</a>', response.text)
    assert match, f"no link back to #{kind}-<id> in the notice of {response.url!r}"
    return match.group(1)


def checkboxes(page: str, name: str) -> list[str]:
    """The values of a page's checkboxes called `name` (a diagram's boxes), in order, each once."""
    return list(dict.fromkeys(re.findall(r'name="' + re.escape(name) + r'" value="([^"]+)"', page)))


# ---- the world ------------------------------------------------------------------------------------


@dataclass
class World:
    base: str
    client: requests.Session
    sponsor: requests.Session
    ledger: Ledger
    checker: Checker
    captured: list[Captured]
    pages: list[tuple[str, str, bool]]  # (where, path, in Chromium)
    svgs: list[tuple[str, str, bool]]
    csvs: list[tuple[str, str]]
    exports: list[tuple[str, str]]
    anonymous_pages: list[tuple[str, str]]
    sponsor_pages: list[tuple[str, str]]
    seconds: dict[str, float]


@pytest.fixture(scope="module")
def demo(start_server):
    server = start_server("--demo")
    yield server
    _stop_server(server)


@pytest.fixture(scope="module")
def world(demo) -> World:
    started = time.monotonic()
    base = demo.base_url
    ledger = Ledger()
    checker = Checker(ledger)
    admin = sign_in_client(base, ADMIN, PASSWORD)
    writer = Writer(base, admin, ledger, checker)
    tag = uuid.uuid4().hex[:6]
    today = dt.datetime.now(dt.timezone.utc).date()

    directorate_of_demo = admin.get(base + "/api/v1/units", params={"q": DIRECTORATE}, timeout=60).json()[0]
    trust = directorate_of_demo["parent_id"]
    directorate = writer.api("POST", "/api/v1/units", {
        "name": f"Injection directorate {tag}", "kind": "directorate", "parent_id": trust}, 201, "directorate")
    D = directorate["id"]
    coach = admin.get(base + "/api/v1/people", params={"q": COACH_NAME}, timeout=60).json()[0]["id"]
    sponsor = admin.get(base + "/api/v1/people", params={"q": SPONSOR_NAME}, timeout=60).json()[0]["id"]
    # A forum appoints only a coach and a sponsor for the project's unit: they take the new directorate on.
    for person, role in ((coach, "coach"), (sponsor, "sponsor")):
        granted = admin.post(base + f"/people/{person}/roles", data={"role": role, "unit_id": D}, timeout=60)
        assert granted.status_code == 200, f"granting {role}: {granted.status_code}"
    priority = next(p for p in admin.get(base + "/api/v1/priorities", timeout=60).json() if not p["archived"])

    pages: list[tuple[str, str, bool]] = []
    svgs: list[tuple[str, str, bool]] = []
    csvs: list[tuple[str, str]] = []
    exports: list[tuple[str, str]] = []
    anonymous_pages: list[tuple[str, str]] = []
    sponsor_pages: list[tuple[str, str]] = [("sponsor's home (tasks)", "/")]
    weeks = last_mondays(16, today)
    months = [month_start(today, back) for back in range(24, 0, -1)]

    for r, payload in enumerate(PAYLOADS):
        def v(name: str, limit: int, **kwargs) -> str:
            return writer.value(name, r, payload, limit, **kwargs)

        shown = payload.browser
        label = f"round {r} ({payload.name})"

        # A ward and a person in it.
        ward = writer.api("POST", "/api/v1/units", {
            "name": v("unit.name", 120), "kind": "ward", "parent_id": D,
            "description": v("unit.description", 2000)}, 201, f"{label}: unit")
        W = ward["id"]
        email = f"injection.{r}.{tag}@example.org"
        person = writer.api("POST", "/api/v1/people", {
            "full_name": v("person.full_name", 120), "email": email, "kind": "staff", "unit_id": W,
            "job_title": v("person.job_title", 120)}, 201, f"{label}: person")
        P = person["id"]

        # The strategy: an objective (its form), a priority under it (the API), the aim. The aim is
        # the organisation's one, each round's in place of the last: the strategy page it led to
        # is shown to Chromium as it came.
        objective = writer.form("/strategy/objectives", {
            "name": v("objective.name", 120), "description": v("objective.description", 2000)},
            f"{label}: strategic objective", payload=payload)
        O = anchor_id(objective, "objective")
        Q = writer.api("POST", "/api/v1/priorities", {
            "name": v("priority.name", 120), "description": v("priority.description", 2000), "objective_id": O},
            201, f"{label}: priority")["id"]
        aimed = writer.form("/strategy/aim", {"aim": v("strategy.aim", 300)}, f"{label}: strategy's aim",
                            payload=payload)
        writer.captured.append(Captured(f"{label}: strategy with its aim", aimed.url, aimed.text, payload.browser))

        # A standard measure, and a programme counting it, with its stage decisions and diagram.
        K = id_in(writer.form("/standard-measures", {
            "name": v("standard_measure.name", 160), "kind": "outcome",
            "definition": v("standard_measure.definition", 4000),
            "unit_of_measure": v("standard_measure.unit_of_measure", 80), "frequency": "weekly", "chart_type": "i",
            "rules": "mdc", "direction": "down", "target": "", "multiply": ""}, f"{label}: standard measure",
            payload=payload).url, "standard-measures")
        programme_form = {
            "name": v("programme.name", 120), "description": v("programme.description", 2000),
            "aim": v("programme.aim", 500), "unit_id": D, "priority_id": Q, "measure_ids[]": K}
        X = id_in(writer.form("/programmes", programme_form, f"{label}: programme", payload=payload).url, "programmes")
        drawn = writer.form(f"/programmes/{X}/drivers", {
            "level": "primary", "text": v("programme_driver.primary", 200)}, f"{label}: programme's driver",
            payload=payload)
        [programme_driver] = checkboxes(drawn.text, "primary_ids[]")
        writer.form(f"/programmes/{X}/change-ideas", {
            "title": v("programme_idea.title", 200), "description": v("programme_idea.description", 2000),
            "driver_ids[]": programme_driver}, f"{label}: programme's change idea", payload=payload)
        for stage, note in (("design", v("programme.stage_note", 2000)), ("recruit", "Teams may propose projects.")):
            writer.form(f"/programmes/{X}/stage", {
                "stage": stage, "decided_on": today.isoformat(), "note": note,
                "version": writer.version(f"/programmes/{X}", f"/programmes/{X}/stage")},
                f"{label}: programme moved to {stage}", payload=payload)
        # The API answers with the text as it was typed.
        shown_by_api = writer.get(f"/api/v1/programmes/{X}", f"{label}: programme's JSON").json()
        for key in ("name", "description", "aim"):
            assert shown_by_api[key] == programme_form[key].strip(), f"{label}: the API changed the programme's {key}"
        [programme_idea] = shown_by_api["driver_diagram"]["change_ideas"]

        # A project joining the programme as a team, its team, its driver diagram.
        proposal = {
            "title": v("project.title", 160), "unit_id": W, "what_matters": v("project.what_matters", 4000),
            "problem": v("project.problem", 4000), "aim_what": v("project.aim_what", 300),
            "aim_how_much": v("project.aim_how_much", 200, prefix="by 30% "),
            "aim_by_when": (today + dt.timedelta(days=200)).isoformat(), "priority_ids": [priority["id"]],
            "partner_organisations": v("project.partner_organisations", 500), "programme_id": X}
        project = writer.api("POST", "/api/v1/projects", proposal, 201, f"{label}: project")
        J = project["id"]
        for key in ("title", "what_matters", "problem", "partner_organisations"):
            assert project[key] == proposal[key].strip(), f"{label}: the API changed the {key} it stored"
        writer.form(f"/projects/{J}/team", {"person": email, "role": v("team.role", 80), "involvement": "full_partner"},
                    f"{label}: team member", payload=payload)
        primary = writer.api("POST", f"/api/v1/projects/{J}/drivers", {
            "level": "primary", "text": v("driver.primary", 200)}, 201, f"{label}: primary driver")
        secondary = writer.api("POST", f"/api/v1/projects/{J}/drivers", {
            "level": "secondary", "text": v("driver.secondary", 200), "primary_ids": [primary["id"]]},
            201, f"{label}: secondary driver")
        idea = writer.api("POST", f"/api/v1/projects/{J}/change-ideas", {
            "title": v("change_idea.title", 200), "description": v("change_idea.description", 2000),
            "driver_ids": [secondary["id"]], "adapted_from_id": programme_idea["id"]}, 201, f"{label}: change idea")

        # A measure of the project: pasted data with notes, an annotation, a phase.
        measure_form = {
            "name": v("measure.name", 160), "key": "", "kind": "outcome", "definition": v("measure.definition", 4000),
            "unit_of_measure": v("measure.unit_of_measure", 80), "frequency": "weekly", "chart_type": "i",
            "rules": "mdc", "direction": "down", "target": "", "multiply": ""}
        M = id_in(writer.form(f"/projects/{J}/measures", measure_form, f"{label}: project measure",
                              payload=payload).url, "measures")
        note = v("point.note.pasted", 200)
        rows = [[w.isoformat(), str(5 + (i % 4)), "", note if i in (3, 9) else ""] for i, w in enumerate(weeks)]
        writer.form(f"/measures/{M}/data", {"data": csv_text(rows)}, f"{label}: pasted data", payload=payload)
        writer.form(f"/measures/{M}/annotations", {"period": weeks[5].isoformat(), "text": v("measure.annotation", 120)},
                    f"{label}: annotation", payload=payload)
        writer.form(f"/measures/{M}/phases", {"period": weeks[8].isoformat(), "label": v("measure.phase_label", 120)},
                    f"{label}: phase break", payload=payload)

        # A PDSA cycle planned, the proposal through the forum, then the cycle run.
        plan = {
            "change_idea_id": idea["id"], "objective": v("cycle.objective", 500), "question": v("cycle.question", 500),
            "prediction": v("cycle.prediction", 1000), "who": v("cycle.who", 200), "what": v("cycle.what", 1000),
            "where": v("cycle.where", 200), "planned_start": weeks[10].isoformat(), "measure_ids": [M]}
        C = writer.api("POST", f"/api/v1/projects/{J}/cycles", plan, 201, f"{label}: PDSA cycle")["id"]
        writer.form(f"/projects/{J}/submit", {}, f"{label}: submit", payload=payload)
        meeting = writer.form(f"/forums/{D}/meetings", {
            "date": (today + dt.timedelta(days=30 + r)).isoformat(), "notes": v("meeting.notes", 2000)},
            f"{label}: meeting", payload=payload)
        G = id_in(meeting.url, "meetings")
        if payload.redraw:
            # Approving without a coach fails, and the agenda comes back with the reason typed.
            writer.form(f"/projects/{J}/decisions", {
                "decision": "approve", "reason": v("redraw.decision.reason", 2000, stored=False),
                "meeting_id": G}, f"{label}: decision without a coach", expect=(422,), payload=payload)
        if r % 2:
            writer.form(f"/projects/{J}/decisions", {
                "decision": "request_changes", "reason": v("decision.request_changes", 2000), "meeting_id": G},
                f"{label}: changes requested", payload=payload)
            writer.form(f"/projects/{J}/submit", {}, f"{label}: submitted again", payload=payload)
        writer.form(f"/projects/{J}/decisions", {
            "decision": "approve", "coach_id": coach, "sponsor_id": sponsor, "reason": v("decision.approve", 2000),
            "meeting_id": G}, f"{label}: approval", payload=payload)
        writer.form(f"/cycles/{C}/start", {"started_on": weeks[10].isoformat(), "annotate": M,
                                           "version": writer.version(f"/cycles/{C}", f"/cycles/{C}/start")},
                    f"{label}: cycle started", payload=payload)
        writer.form(f"/cycles/{C}/record", {"do_notes": v("cycle.do_notes", 4000), "study_notes": v("cycle.study_notes", 4000),
                                            "version": writer.version(f"/cycles/{C}", f"/cycles/{C}/record")},
                    f"{label}: Do and Study", payload=payload)
        writer.form(f"/cycles/{C}/act", {"decision": "adapt", "act_notes": v("cycle.act_notes", 4000),
                                         "version": writer.version(f"/cycles/{C}", f"/cycles/{C}/act")},
                    f"{label}: Act", payload=payload)

        # The project, approved, is one of the programme's teams: a learning session with its plan
        # for the action period, and data on its measure made from the standard one.
        session = writer.form(f"/programmes/{X}/learning-sessions", {
            "held_on": today.isoformat(), "place": v("session.place", 200), "agenda": v("session.agenda", 4000)},
            f"{label}: learning session", payload=payload)
        L = id_in(session.url, "learning-sessions")
        writer.form(f"/learning-sessions/{L}/register", {
            f"attended[{J}][]": P, f"plans[{J}]": v("session.plan", 2000),
            "version": writer.version(f"/learning-sessions/{L}", f"/learning-sessions/{L}/register")},
            f"{label}: register and plan", payload=payload)
        [T] = [m["id"] for m in writer.get(f"/api/v1/projects/{J}", f"{label}: project's JSON").json()["measures"]
               if m["id"] != M]
        writer.form(f"/measures/{T}/data", {"data": csv_text([[w.isoformat(), str(2 + (i % 5)), "", ""]
                                                               for i, w in enumerate(weeks)])},
                    f"{label}: the team's data on the standard measure", payload=payload)

        # The ward's annual plan, its diagram, the programme serving a box of it.
        A = id_in(writer.form("/plans", {
            "unit_id": W, "year": str(today.year), "parent_id": "", "aim": v("plan.aim", 500)},
            f"{label}: annual plan", payload=payload).url, "plans")
        drawn = writer.form(f"/plans/{A}/drivers", {"level": "primary", "text": v("plan_driver.primary", 200)},
                            f"{label}: plan's driver", payload=payload)
        [plan_driver] = checkboxes(drawn.text, "primary_ids[]")
        writer.form(f"/plans/{A}/change-ideas", {
            "title": v("plan_idea.title", 200), "description": v("plan_idea.description", 2000),
            "driver_ids[]": plan_driver}, f"{label}: plan's change idea", payload=payload)
        writer.form(f"/plans/{A}/links", {"box": f"driver:{plan_driver}", "work": f"programme:{X}"},
                    f"{label}: programme linked to the plan", payload=payload)

        # An update (with an ask of the sponsor), a comment, a story with the chart.
        writer.form(f"/projects/{J}/updates", {
            "update_date": today.isoformat(), "score": "3.5", "stage": "test", "did": v("update.did", 4000),
            "learned": v("update.learned", 4000), "next_steps": v("update.next_steps", 4000),
            "sponsor_ask": v("update.sponsor_ask", 2000)}, f"{label}: update", payload=payload)
        writer.form(f"/projects/{J}/comments", {"text": v("comment.text", 4000)}, f"{label}: comment", payload=payload)
        caption = v("story.chart_caption", 200)
        body = v("story.body", 50_000 - 300, markdown=True) + f"\n\n![{caption}](chart:{M})\n"
        story = writer.form(f"/projects/{J}/stories", {"title": v("story.title", 200), "body": body, "publishable": "yes"},
                            f"{label}: story", payload=payload)
        S = id_in(story.url, "stories")

        # A measure of the directorate: data from an uploaded CSV (its name too) and from the API.
        key = f"inj-{tag}.r{r}"
        unit_measure = dict(measure_form, name=v("unit_measure.name", 160), key=key,
                            definition=v("unit_measure.definition", 4000),
                            unit_of_measure=v("unit_measure.unit_of_measure", 80), frequency="monthly")
        U = id_in(writer.form(f"/units/{D}/measures", unit_measure, f"{label}: directorate measure",
                              payload=payload).url, "measures")
        upload_note = v("upload.note", 200)
        upload_rows = [["measure", "period", "value", "denominator", "note"]] + [
            [key, m.isoformat(), str(20 + (i % 5)), "", upload_note if i % 6 == 0 else ""] for i, m in enumerate(months)]
        filename = v("upload.filename", 200) + ".csv"
        upload = writer.form(f"/units/{D}/data-upload", {}, f"{label}: upload", payload=payload,
                             files=("file", filename, csv_text(upload_rows)))
        Y = id_in(upload.url, "data-uploads")
        writer.form(f"/data-uploads/{Y}/apply", {}, f"{label}: upload imported", payload=payload)
        bad_rows = [["measure", "period", "value", "denominator", "note"],
                    [v("upload.bad_key", 200, stored=False), months[0].isoformat(), "1", "", ""],
                    [key, v("upload.bad_period", 200, stored=False), "1", "", ""],
                    [key, months[1].isoformat(), v("upload.bad_value", 200, stored=False), "", ""]]
        bad = writer.form(f"/units/{D}/data-upload", {}, f"{label}: bad upload", payload=payload, expect=(422,),
                          files=("file", v("upload.bad_filename", 200) + ".csv", csv_text(bad_rows)))
        B = id_in(bad.url, "data-uploads")
        writer.api("POST", "/api/v1/measures/data", {"points": [
            {"measure": key, "period": months[-1].isoformat(), "value": 30, "note": v("api.note", 200)}]},
            200, f"{label}: data API")

        # The month's board report: the measure with its narrative, the patient story, the story.
        month = month_start(today, 1 + r).strftime("%Y-%m")
        writer.form(f"/units/{D}/board-report", {
            "month": month, "version": "0", f"aim-{U}": "experience_quality",
            f"narrative-{U}": v("board.narrative", 4000), "patient_story_title": v("board.patient_story_title", 160),
            "patient_story": v("board.patient_story", 20_000, markdown=True), "improvement_story": S},
            f"{label}: board report", payload=payload)

        writer.form("/api-tokens", {"name": v("api_token.name", 120), "unit": D, "expires_in_days": "30"},
                    f"{label}: API token", payload=payload)
        if r % 2:
            writer.form(f"/projects/{J}/close", {
                "outcome": "completed", "aim_achieved": "partly", "learning": v("closure.learning", 4000),
                "sustain_plan": v("closure.sustain_plan", 4000)}, f"{label}: closed", payload=payload)

        # Training (issue 20): a course, a cohort of it with the round's person on it, and the
        # supervision of the coach.
        E = id_in(writer.form("/courses", {
            "name": v("course.name", 120), "level": "introductory", "audience": v("course.audience", 500),
            "session_count": "1", "session_minutes": "60", "sessions_to_complete": "1"},
            f"{label}: course", payload=payload).url, "courses")
        H = id_in(writer.form(f"/courses/{E}/cohorts", {
            "name": v("cohort.name", 120), "capacity": "5",
            "session_days[1]": (today - dt.timedelta(days=7)).isoformat(), "session_places[1]": v("cohort.place", 200)},
            f"{label}: cohort", payload=payload).url, "cohorts")
        writer.form(f"/cohorts/{H}/enrolments", {"person_id": P}, f"{label}: enrolment", payload=payload)
        writer.form(f"/capability/coaches/{coach}/supervision", {
            "held_on": today.isoformat(), "notes": v("supervision.notes", 4000)}, f"{label}: supervision",
            payload=payload)

        if payload.redraw:
            redraws(writer, r, payload, label, D=D, W=W, P=P, J=J, M=M, C=C, S=S, G=G, U=U, X=X, L=L, key=key,
                    month=month, idea=idea["id"], priority=priority["id"], today=today, project=project)
            anonymous_pages.append((f"{label}: sign-in page, next=", "/sign-in?" + urlencode(
                {"next": v("redraw.sign_in.next", 200, stored=False)})))

        pages += [
            (f"{label}: unit", f"/units/{W}", shown), (f"{label}: unit form", f"/units/{W}/edit", shown),
            (f"{label}: person", f"/people/{P}", shown), (f"{label}: person form", f"/people/{P}/edit", shown),
            (f"{label}: project", f"/projects/{J}", shown), (f"{label}: project form", f"/projects/{J}/edit", shown),
            (f"{label}: driver diagram", f"/projects/{J}/driver-diagram", shown),
            (f"{label}: next cycle form", f"/projects/{J}/cycles/new?after={C}", shown),
            (f"{label}: new story form", f"/projects/{J}/stories/new", shown),
            (f"{label}: cycle", f"/cycles/{C}", shown), (f"{label}: cycle plan form", f"/cycles/{C}/plan", shown),
            (f"{label}: measure", f"/measures/{M}", shown), (f"{label}: directorate measure", f"/measures/{U}", shown),
            (f"{label}: story", f"/stories/{S}", shown), (f"{label}: story form", f"/stories/{S}/edit", shown),
            (f"{label}: meeting", f"/meetings/{G}", shown), (f"{label}: bad upload", f"/data-uploads/{B}", shown),
            (f"{label}: board report", f"/units/{D}/board-report?month={month}", shown),
            (f"{label}: board report form", f"/units/{D}/board-report/edit?month={month}", shown),
            (f"{label}: audit log of the ward", f"/audit?unit={W}", False),  # a table of text: raw checks
            (f"{label}: standard measure", f"/standard-measures/{K}", shown),
            (f"{label}: programme", f"/programmes/{X}", shown),
            (f"{label}: programme's driver diagram", f"/programmes/{X}/driver-diagram", shown),
            (f"{label}: programme's dashboard", f"/programmes/{X}/dashboard", shown),
            (f"{label}: programme's evaluation", f"/programmes/{X}/evaluation", shown),
            (f"{label}: annual plan", f"/plans/{A}", shown),
            (f"{label}: course", f"/courses/{E}", shown), (f"{label}: cohort", f"/cohorts/{H}", shown),
        ]
        # The pages of strategy, programmes and plans that are mostly forms holding what was saved
        # go to Chromium with the payloads that break out of an attribute or a textarea (those sent
        # to failing forms too); for the others their raw bytes are checked.
        in_forms = shown and payload.redraw
        pages += [
            (f"{label}: objective form", f"/strategy/objectives/{O}/edit", in_forms),
            (f"{label}: priority form", f"/strategy/priorities/{Q}/edit", in_forms),
            (f"{label}: standard measure form", f"/standard-measures/{K}/edit", in_forms),
            (f"{label}: programme form", f"/programmes/{X}/edit", in_forms),
            (f"{label}: learning session", f"/learning-sessions/{L}", in_forms),
            (f"{label}: annual plan form", f"/plans/{A}/edit", in_forms),
            (f"{label}: annual plan's diagram", f"/plans/{A}/driver-diagram", in_forms),
            (f"{label}: course form", f"/courses/{E}/edit", in_forms),
        ]
        if shown:  # The sponsor manages no programme: the register is a table to them, not a form.
            sponsor_pages.append((f"{label}: learning session", f"/learning-sessions/{L}"))
        svgs += [(f"{label}: chart", f"/measures/{M}/chart.svg", shown),
                 (f"{label}: directorate chart", f"/measures/{U}/chart.svg", shown),
                 (f"{label}: the team's chart of the standard measure", f"/measures/{T}/chart.svg", shown)]
        csvs += [(f"{label}: data", f"/measures/{M}/data.csv"), (f"{label}: directorate data", f"/measures/{U}/data.csv"),
                 (f"{label}: upload check", f"/data-uploads/{B}/report.csv")]
        exports.append((f"{label}: exported board report", f"/units/{D}/board-report.html?month={month}"))

    pages += [
        ("courses", "/courses", True), ("capability", "/capability", True), ("QI coaches", "/capability/coaches", True),
        ("a coach's supervisions", f"/capability/coaches/{coach}/supervision", True),
        ("home", "/", True), ("units", "/units", True), ("directorate", f"/units/{D}", True),
        ("directorate measures", f"/units/{D}/measures", True), ("portfolio", f"/units/{D}/portfolio", True),
        ("coaches", f"/units/{D}/portfolio/coaches", True), ("early warning", f"/units/{D}/early-warning", True),
        ("compare", f"/units/{D}/compare", True), ("data upload form", f"/units/{D}/data-upload", True),
        ("new measure form", f"/units/{D}/measures/new", True), ("board report", f"/units/{D}/board-report", True),
        ("projects", f"/projects?unit={D}", True), ("all projects", "/projects", True),
        ("people", f"/people?unit={D}", True), ("forums", "/forums", True), ("forum", f"/forums/{D}", True),
        ("audit log", "/audit", True), ("API tokens", "/api-tokens", True), ("new project form", "/projects/new", True),
        ("new person form", f"/people/new?unit_id={D}", True), ("strategy", "/strategy", True),
        ("strategy's aim form", "/strategy/aim", True), ("new priority form", "/strategy/priorities/new", True),
        ("standard measures", "/standard-measures", True), ("programmes", "/programmes", True),
        ("new programme form", "/programmes/new", True), ("new plan form", "/plans/new", True),
    ]
    writer.get("/api/v1/strategy", "strategy's JSON").json()
    exports.append(("exported board report, this month", f"/units/{D}/board-report.html"))
    sponsor_client = sign_in_client(base, SPONSOR, PASSWORD)
    return World(base=base, client=admin, sponsor=sponsor_client, ledger=ledger, checker=checker,
                 captured=writer.captured, pages=pages, svgs=svgs, csvs=csvs, exports=exports,
                 anonymous_pages=anonymous_pages, sponsor_pages=sponsor_pages,
                 seconds={"writing": time.monotonic() - started})


def redraws(writer: Writer, r: int, payload: Payload, label: str, *, D, W, P, J, M, C, S, G, U, X, L, key, month,
            idea, priority, today, project) -> None:
    """Forms that fail, whose pages show again what was typed; and searches and filters that echo it."""
    def v(name: str, limit: int = 200, markdown: bool = False) -> str:
        return writer.value("redraw." + name, r, payload, limit, stored=False, markdown=markdown)

    def post(path: str, data: dict, what: str, expect=(422,)) -> None:
        writer.form(path, data, f"{label}: {what}", expect=expect, payload=payload)

    post("/units", {"name": v("unit.name", 120), "kind": "wing", "parent_id": D, "description": v("unit.description", 2000)},
         "unit form that fails")
    post(f"/units/{W}", {"name": v("unit.edit_name", 120), "kind": "ward", "parent_id": W,
                         "description": v("unit.edit_description", 2000),
                         "version": writer.version(f"/units/{W}/edit", f"/units/{W}")}, "unit edit that fails")
    post("/people", {"full_name": v("person.full_name", 120), "email": "not an email", "kind": "staff", "unit_id": W,
                     "job_title": v("person.job_title", 120)}, "person form that fails")
    post(f"/people/{P}", {"full_name": v("person.edit_full_name", 120), "email": v("person.email", 254), "kind": "staff",
                          "unit_id": W, "job_title": v("person.edit_job_title", 120),
                          "version": writer.version(f"/people/{P}/edit", f"/people/{P}")}, "person edit that fails")
    post("/projects", {
        "title": v("project.title", 160), "unit_id": W, "what_matters": v("project.what_matters", 4000),
        "problem": v("project.problem", 4000), "aim_what": v("project.aim_what", 300),
        "aim_how_much": v("project.aim_how_much", 200), "aim_by_when": v("project.aim_by_when"),
        "priority_ids": v("project.priority_ids"), "partner_organisations": v("project.partners", 500)},
        "proposal that fails")
    # An edit from a version someone else has since changed: the conflict quotes the saved text.
    post(f"/projects/{J}", {
        "title": v("project.conflict_title", 160), "unit_id": W, "what_matters": v("project.conflict_what_matters", 4000),
        "problem": v("project.conflict_problem", 4000), "aim_what": v("project.conflict_aim_what", 300),
        "aim_how_much": "by 40%", "aim_by_when": (today + dt.timedelta(days=100)).isoformat(),
        "priority_ids": priority, "partner_organisations": "", "programme_id": X,  # approved into it, it may not leave
        "version": str(project["version"] - 1)},
        "project edit that conflicts", expect=(409,))
    post(f"/projects/{J}/team", {"person": v("team.person"), "role": v("team.role", 80), "involvement": "full_partner"},
         "team member no one matches")
    post(f"/projects/{J}/updates", {
        "update_date": v("update.date"), "score": "9", "stage": "test", "did": v("update.did", 4000),
        "learned": v("update.learned", 4000), "next_steps": v("update.next_steps", 4000),
        "sponsor_ask": v("update.sponsor_ask", 2000)}, "update that fails")
    post(f"/projects/{J}/comments", {"text": v("comment.text", 4000) + "x" * 4001}, "comment that is too long")
    post(f"/projects/{J}/drivers", {"level": "secondary", "text": v("driver.text")}, "driver that fails")
    post(f"/projects/{J}/change-ideas", {"title": v("change_idea.title"), "description": v("change_idea.description", 2000)},
         "change idea that fails")
    post(f"/projects/{J}/cycles", {
        "change_idea_id": idea, "objective": v("cycle.objective", 500), "question": v("cycle.question", 500),
        "prediction": v("cycle.prediction", 1000), "who": v("cycle.who"), "what": v("cycle.what", 1000),
        "where": v("cycle.where"), "planned_start": v("cycle.planned_start")}, "cycle plan that fails")
    post(f"/cycles/{C}/act", {"decision": v("cycle.decision"), "act_notes": v("cycle.act_notes", 4000)},
         "Act that fails")
    post(f"/projects/{J}/measures", {
        "name": v("measure.name", 160), "key": v("measure.key"), "kind": "outcome", "definition": v("measure.definition", 4000),
        "unit_of_measure": v("measure.unit_of_measure", 80), "frequency": "weekly", "chart_type": v("measure.chart_type"),
        "rules": "mdc", "direction": "down", "target": v("measure.target"), "multiply": ""}, "measure form that fails")
    post(f"/measures/{M}/annotations", {"period": v("annotation.period"), "text": v("annotation.text", 120)},
         "annotation that fails", expect=(200, 422))
    post(f"/measures/{M}/phases", {"period": v("phase.period"), "label": v("phase.label", 120)},
         "phase break that fails", expect=(200, 422))
    pasted = csv_text([[v("data.period"), "1", "", ""], ["2020-01-06", v("data.value"), "", v("data.note")]])
    post(f"/measures/{M}/data/check", {"data": pasted}, "pasted data that fails")
    post(f"/measures/{M}/data/grid", {"period": v("grid.period"), "value": v("grid.value"),
                                      "denominator": v("grid.denominator")}, "grid that fails")
    post(f"/projects/{J}/stories", {"title": "", "body": v("story.body", 50_000, markdown=True)}, "story without a title")
    post(f"/stories/{S}", {"title": v("story.title"), "body": "",
                           "version": writer.version(f"/stories/{S}/edit", f"/stories/{S}")}, "story edit that fails")
    post(f"/units/{D}/board-report", {
        "month": month, f"aim-{U}": v("board.aim"), f"narrative-{U}": v("board.narrative", 4000),
        "patient_story_title": v("board.patient_story_title", 160), "patient_story": v("board.patient_story", 20_000, markdown=True),
        "improvement_story": v("board.improvement_story")}, "board report that fails")
    post("/api-tokens", {"name": v("api_token.name", 120), "unit": v("api_token.unit"), "expires_in_days": "30"},
         "API token that fails", expect=(200, 422))
    post(f"/forums/{D}/meetings", {"date": v("meeting.date"), "notes": v("meeting.notes", 2000)},
         "meeting that fails")
    # The strategy, programmes and plans. (A standard measure's form is a measure's, and a
    # programme's or a plan's diagram a project's: their failing forms are above.)
    post("/strategy/priorities", {"name": v("priority.name", 120), "description": v("priority.description", 2000),
                                  "objective_id": v("priority.objective_id")}, "priority that fails")
    post("/programmes", {
        "name": v("programme.name", 120), "description": v("programme.description", 2000),
        "aim": v("programme.aim", 500), "unit_id": v("programme.unit_id"), "priority_id": v("programme.priority_id")},
        "programme form that fails")
    post(f"/programmes/{X}/stage", {
        "stage": v("programme.stage"), "decided_on": v("programme.decided_on"), "note": v("programme.stage_note", 2000),
        "version": writer.version(f"/programmes/{X}", f"/programmes/{X}/stage")}, "stage decision that fails")
    post(f"/programmes/{X}/learning-sessions", {
        "held_on": v("session.held_on"), "place": v("session.place"), "agenda": v("session.agenda", 4000)},
        "learning session that fails")
    post(f"/learning-sessions/{L}/register", {f"plans[{J}]": v("session.plan", 2000) + "x" * 2001},
         "team's plan that is too long")
    post("/plans", {"unit_id": W, "year": v("plan.year"), "parent_id": "", "aim": v("plan.aim", 500)},
         "plan form that fails")
    # Searches and filters that show what was asked for.
    for what, path, params in [
        ("unit search", "/units", {"q": v("search.units")}),
        ("people search", "/people", {"q": v("search.people")}),
        ("project search", "/projects", {"q": v("search.projects")}),
        ("measure search", f"/units/{D}/measures", {"q": v("search.measures")}),
        ("audit dates", "/audit", {"from": v("search.audit_from"), "to": v("search.audit_to")}),
        ("compare a measure", f"/units/{D}/compare", {"measure": v("search.compare")}),
        ("board report month", f"/units/{D}/board-report", {"month": v("search.board_month")}),
        ("people page", "/people", {"page": v("search.people_page")}),
        ("similar projects", "/projects/similar", {"text": v("search.similar")}),
    ]:
        response = writer.get(path + "?" + urlencode(params), f"{label}: {what}", expect=(200, 422))
        writer.checker.html_page(f"{label}: {what}", response.text)
        writer.captured.append(Captured(f"{label}: {what}", response.url, response.text, payload.browser))
    for what, path in [("unknown unit", f"/units/{quote(v('path.unit'), safe='')}"),
                       ("unknown page", f"/{quote(v('path.page'), safe='')}")]:
        response = writer.get(path, f"{label}: {what}", expect=(404,))
        writer.checker.html_page(f"{label}: {what}", response.text)
    # Signing in with a wrong password shows the address typed.
    anonymous = requests.Session()
    form = anonymous.get(writer.base + "/sign-in", timeout=30)
    token = html.unescape(re.search(r'name="_csrf" value="([^"]+)"', form.text).group(1))
    response = anonymous.post(writer.base + "/sign-in", data={
        "_csrf": token, "email": v("sign_in.email", 254), "password": "wrong", "next": v("sign_in.next")}, timeout=30)
    writer.checker.status(f"{label}: sign-in that fails", response)
    writer.checker.html_page(f"{label}: sign-in that fails", response.text)
    writer.captured.append(Captured(f"{label}: sign-in that fails", response.url, response.text, payload.browser))


# ---- looking at everything ------------------------------------------------------------------------

INIT_SCRIPT = """
window.__hits = [];
window.__pwned = function (marker) { window.__hits.push(String(marker)); };
"""

# What Chromium built: handlers, script addresses, scripts and frames the app never writes.
DOM_CHECK = """
async () => {
  // Autofocus (a payload's onfocus) is flushed in the rendering step, before animation frames.
  await new Promise(r => requestAnimationFrame(r));
  const found = [];
  const urlAttributes = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"]);
  const risky = v => /^(javascript:|vbscript:|data:text\\/html|data:image\\/svg)/.test(v.replace(/[\\u0000-\\u0020\\u007f-\\u009f]/g, "").toLowerCase());
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName.toLowerCase();
    if (["iframe", "frame", "object", "embed", "base", "foreignobject"].includes(tag)) found.push(`<${tag}> element`);
    if (tag === "script" && (el.textContent.trim() || !["/similar-projects.js", "/team-picker.js", "/site.js"].includes(el.getAttribute("src"))))
      found.push(`<script> ${el.outerHTML.slice(0, 200)}`);
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith("on") && !(name === "onclick" && a.value === "window.print()"))
        found.push(`${name}= on <${tag}>: ${el.outerHTML.slice(0, 200)}`);
      if ((urlAttributes.has(name) || name.endsWith(":href")) && risky(a.value))
        found.push(`${name}= address that runs script on <${tag}>: ${el.outerHTML.slice(0, 200)}`);
      if (/mk\\d{5}q/.test(name)) found.push(`attribute named from a payload on <${tag}>: ${el.outerHTML.slice(0, 200)}`);
    }
  }
  return {hits: window.__hits || [], found};
}
"""


@dataclass
class Viewer:
    browser: Browser
    world: World
    cookies: requests.Session | None
    renders: dict[str, Captured] = field(default_factory=dict)

    def __post_init__(self):
        # The pages' own Content-Security-Policy is bypassed: the test is of escaping, not of the policy.
        self.context = self.browser.new_context(bypass_csp=True)
        self.context.set_default_timeout(30_000)
        self.context.add_init_script(INIT_SCRIPT)
        if self.cookies is not None:
            host = self.world.base.split("//", 1)[1].split(":")[0]
            self.context.add_cookies([{"name": c.name, "value": c.value, "domain": host, "path": "/"}
                                      for c in self.cookies.cookies])
        self.context.route("**/__render/**", self.fulfil)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.page.on("dialog", self.on_dialog)

    def on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def fulfil(self, route) -> None:
        captured = self.renders.get(route.request.url.rsplit("/", 1)[1])
        if captured is None:  # a relative address in the page shown, like a payload's <img src=x>
            route.fulfill(status=404, body="")
        else:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=captured.body)

    def open(self, where: str, path: str, raw_check: bool = True) -> None:
        ledger = self.world.ledger
        self.dialogs.clear()
        response = self.page.goto(self.world.base + path, wait_until="load")
        assert response is not None, where
        if response.status >= 500:
            ledger.problem("server error", where, f"answered {response.status}", response.text()[:400])
        if raw_check:
            kind = response.headers.get("content-type", "")
            if kind.startswith("image/svg"):
                self.world.checker.svg(where, response.text())
            else:
                self.world.checker.html_page(where, response.text())
        self.look(where)

    def show(self, captured: Captured) -> None:
        """Shows Chromium a response as it came (a form post's answer), at the server's origin."""
        key = uuid.uuid4().hex
        self.renders[key] = captured
        self.dialogs.clear()
        self.page.goto(f"{self.world.base}/__render/{key}", wait_until="load")
        self.look(captured.where + " (as answered)")
        del self.renders[key]

    def look(self, where: str) -> None:
        ledger = self.world.ledger
        ledger.count("Chromium")
        result = self.page.evaluate(DOM_CHECK)
        for marker in result["hits"]:
            ledger.problem("executed", where, f"a payload ran: __pwned({marker!r})", marker)
        for dialog in self.dialogs:
            ledger.problem("executed", where, f"a JavaScript dialog opened: {dialog}", dialog)
        for found in result["found"]:
            ledger.problem("unescaped", where, f"in the DOM Chromium built: {found}", found)

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def outputs(world: World, browser: Browser) -> World:
    started = time.monotonic()
    checker, client = world.checker, world.client

    viewer = Viewer(browser, world, client)
    for where, path, in_browser in world.pages:
        if in_browser:
            viewer.open(where, path)
        else:
            response = client.get(world.base + path, timeout=60)
            checker.status(where, response)
            checker.html_page(where, response.text)
    for where, path, in_browser in world.svgs:
        response = client.get(world.base + path, timeout=60)
        checker.status(where, response)
        assert response.headers["Content-Type"].startswith("image/svg+xml"), where
        checker.svg(where, response.text)
        if in_browser:
            viewer.open(where, path, raw_check=False)
    for captured in world.captured:
        if captured.browser:
            viewer.show(captured)
    world.seconds["pages in Chromium"] = time.monotonic() - started

    started = time.monotonic()
    for where, path in world.csvs:
        response = client.get(world.base + path, timeout=60)
        checker.status(where, response)
        assert response.headers["Content-Type"].startswith("text/csv"), where
        checker.csv_file(where, response.text)
    for where, path in world.exports:
        response = client.get(world.base + path, timeout=60)
        checker.status(where, response)
        check_export(world, where, response)
        viewer.show(Captured(where, path, response.text, True))
    viewer.close()

    for who, session, pages in (("sponsor", world.sponsor, world.sponsor_pages), ("signed out", None, world.anonymous_pages)):
        other = Viewer(browser, world, session)
        for where, path in pages:
            other.open(f"{who}: {where}", path)
        other.close()
    world.seconds["CSVs and exports"] = time.monotonic() - started
    return world


def check_export(world: World, where: str, response: requests.Response) -> None:
    """The saved board report is read away from OpenQI, without its headers: it must carry its own
    policy, ahead of anything typed, that runs nothing and loads nothing."""
    ledger, text = world.ledger, response.text
    ledger.count("export")
    if not response.headers.get("Content-Type", "").startswith("text/html") or \
            "attachment" not in response.headers.get("Content-Disposition", ""):
        ledger.problem("export", where, "not an HTML attachment", str(dict(response.headers)))
    world.checker.html_page(where, text, standalone=True)
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', text, re.IGNORECASE)
    if not meta:
        ledger.problem("export", where, "no Content-Security-Policy meta tag", text[:400])
        return
    head_end = text.find("</head>")
    first_marker = MARKER.search(text)
    if head_end == -1 or meta.start() > head_end or (first_marker and first_marker.start() < meta.start()) \
            or text.find("<title") < meta.start():
        ledger.problem("export", where, "the policy's meta tag is not first in <head>, before anything typed",
                       text[:meta.end() + 80])
    directives = {}
    for part in html.unescape(meta.group(1)).split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = [w.lower() for w in words[1:]]
    if directives.get("default-src") != ["'none'"]:
        ledger.problem("export", where, "the policy's default-src is not 'none'", meta.group(0))
    for name in ("script-src", "script-src-elem", "script-src-attr", "object-src", "frame-src", "connect-src"):
        if name in directives and directives[name] != ["'none'"]:
            ledger.problem("export", where, f"the policy allows {name} {' '.join(directives[name])}", meta.group(0))
    for name, sources in directives.items():
        if name != "style-src" and any(s in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:") for s in sources):
            ledger.problem("export", where, f"the policy's {name} is open: {' '.join(sources)}", meta.group(0))
    if "base-uri" not in directives or "form-action" not in directives:
        ledger.problem("export", where, "the policy leaves base-uri or form-action open", meta.group(0))
    for match in re.finditer(r'<(img|link|script|iframe|audio|video|source)\b[^>]*\b(src|href)="(https?:)?//', text):
        ledger.problem("export", where, "the file loads something from elsewhere", snippet_at(text, match.start()))


# ---- the tests ------------------------------------------------------------------------------------


def report(world: World, category: str) -> str:
    problems = world.ledger.problems.get(category, [])
    shown = "\n  - ".join(problems[:40])
    more = f"\n  … and {len(problems) - 40} more" if len(problems) > 40 else ""
    return f"{len(problems)} problem(s) of kind “{category}”:\n  - {shown}{more}"


def test_no_payload_runs_in_any_page(outputs: World):
    print(f"\nChecked {outputs.ledger.checked} answers; {len(outputs.ledger.written)} payloads written; "
          + ", ".join(f"{k} {v:.1f} s" for k, v in outputs.seconds.items()))
    assert not outputs.ledger.problems.get("executed"), report(outputs, "executed")


def test_no_payload_comes_out_unescaped(outputs: World):
    assert not outputs.ledger.problems.get("unescaped"), report(outputs, "unescaped")


def expect_seen(world: World, kind: str, fields: list[str]) -> None:
    """Each of these fields' payloads, every round, came out in an output of this kind."""
    ledger = world.ledger
    missing = [f"{w.field} ({w.payload})" for m, w in ledger.written.items()
               if w.field in fields and m not in ledger.seen_in.get(kind, set())]
    assert not missing, f"not seen in any {kind} checked: " + ", ".join(missing)


def test_svgs_are_well_formed_and_hold_no_script(outputs: World):
    assert outputs.ledger.checked.get("SVG", 0) >= 2 * len(PAYLOADS)
    expect_seen(outputs, "SVG", ["measure.name", "measure.unit_of_measure", "measure.annotation",
                                 "measure.phase_label", "unit_measure.name", "unit_measure.unit_of_measure",
                                 "standard_measure.name", "standard_measure.unit_of_measure"])
    assert not outputs.ledger.problems.get("svg"), report(outputs, "svg")


def test_csv_exports_neutralise_formulas(outputs: World):
    assert outputs.ledger.checked.get("CSV", 0) >= 3 * len(PAYLOADS)
    expect_seen(outputs, "CSV", ["point.note.pasted", "upload.note", "api.note"])
    assert not outputs.ledger.problems.get("csv"), report(outputs, "csv")


def test_the_exported_board_report_carries_its_own_restrictive_policy(outputs: World):
    assert outputs.ledger.checked.get("export", 0) == len(PAYLOADS) + 1
    expect_seen(outputs, "export", ["board.narrative", "board.patient_story_title", "board.patient_story",
                                    "unit_measure.name", "story.title", "story.body"])
    assert not outputs.ledger.problems.get("export"), report(outputs, "export")


def test_nothing_answers_a_server_error(outputs: World):
    assert not outputs.ledger.problems.get("server error"), report(outputs, "server error")


def test_every_stored_payload_came_out_somewhere_checked(outputs: World):
    """Each field's payload must show somewhere this test looks: otherwise a field has stopped being
    shown, or a page that shows it is missing from the lists above."""
    ledger = outputs.ledger
    missing: dict[str, list[str]] = {}
    for marker, written in ledger.written.items():
        if written.stored and marker not in ledger.seen:
            missing.setdefault(written.field, []).append(written.payload)
    assert not missing, "stored payloads never seen in any page, SVG, CSV or export checked:\n" + "\n".join(
        f"  {name}: {', '.join(payloads)}" for name, payloads in sorted(missing.items()))


# ---- the checks fail when they should -------------------------------------------------------------


def test_the_checks_catch_what_they_look_for(demo, browser: Browser):
    """Planted defects, one of each kind, are all reported: in raw HTML, in the DOM Chromium builds
    (a payload that runs), in an SVG, in a CSV and in an exported report."""
    ledger = Ledger()
    checker = Checker(ledger)
    bad = Payload("planted", "\"><img src=x onerror=__pwned('{m}')>")
    marker = ledger.marker("planted.field", 99)
    text = bad.template.replace("{m}", marker)
    ledger.note(marker, "planted.field", bad, text, stored=True)

    page = f'<html><body><p title="{text}">x</p><a href=" JaVaScRiPt:go()">y</a><b onclick="go()">z</b></body></html>'
    checker.html_page("planted page", page)
    unescaped = "\n".join(ledger.problems.pop("unescaped"))
    for expected in ("came out unescaped", "event handler attribute onerror=", "event handler attribute onclick=",
                     "href= address that runs script", "went in as: " + marker + " = planted.field (planted)"):
        assert expected in unescaped, (expected, unescaped)
    checker.html_page("escaped page", f"<p title=\"{html.escape(text)}\">{html.escape(text)}</p>")
    assert not ledger.problems and marker in ledger.seen

    checker.svg("planted SVG", '<svg xmlns="http://www.w3.org/2000/svg"><text>a & b</text></svg>')
    checker.svg("planted SVG", '<svg xmlns="http://www.w3.org/2000/svg"><script>go()</script></svg>')
    assert len(ledger.problems.pop("svg")) == 2
    checker.csv_file("planted CSV", 'period,note\n2026-01-05,"=cmd|\' /C calc\'!A0"\n2026-01-12,-3.5\n'
                     '2026-01-19,"\'=1+1"\n2026-01-26,@SUM(1)\n')
    assert len(ledger.problems.pop("csv")) == 2

    world = World(base=demo.base_url, client=requests.Session(), sponsor=requests.Session(), ledger=ledger,
                  checker=checker, captured=[], pages=[], svgs=[], csvs=[], exports=[], anonymous_pages=[],
                  sponsor_pages=[], seconds={})
    viewer = Viewer(browser, world, None)
    viewer.show(Captured("planted render", "/", page + "<script>alert(1)</script>", True))
    viewer.close()
    executed = "\n".join(ledger.problems.pop("executed"))
    assert f"__pwned('{marker}')" in executed and "dialog opened: alert: 1" in executed, executed
    assert "in the DOM Chromium built: onerror=" in "\n".join(ledger.problems.pop("unescaped"))

    response = requests.Response()
    response.status_code, response.headers["Content-Type"] = 200, "text/html"
    response.headers["Content-Disposition"] = "attachment"
    response._content = (f"<html><head><title>{html.escape(text)}</title><meta http-equiv=\"Content-Security-Policy\" "
                         "content=\"default-src 'self'; script-src 'unsafe-inline'\"></head><body>"
                         '<img src="https://elsewhere.example/x.png"></body></html>').encode()
    check_export(world, "planted export", response)
    exported = "\n".join(ledger.problems.pop("export"))
    for expected in ("not first in <head>", "default-src is not 'none'", "allows script-src", "base-uri",
                     "loads something from elsewhere"):
        assert expected in exported, (expected, exported)
    assert not ledger.problems, ledger.problems


# ---- Markdown that is slow to render ----------------------------------------------------------------

# A story is written by any team member and read by many (and by the board, in its report): its
# Markdown must render in time linear in its length, whatever it holds. Each case is well within the
# 50,000 characters a story may have.
PATHOLOGICAL_MARKDOWN = [
    ("5,000 opening brackets", "[" * 5_000),
    ("30 opening brackets", "[" * 30),
    ("25,000 ampersands, no semicolon", "&x" * 25_000),
]
RENDER_BUDGET = 8.0  # seconds for a story page; a linear renderer takes a fraction of one


@pytest.mark.parametrize("what, body", PATHOLOGICAL_MARKDOWN, ids=[w for w, _ in PATHOLOGICAL_MARKDOWN])
def test_markdown_renders_in_bounded_time(start_server, what: str, body: str):
    """Each case on a server of its own, stopped at once: one that hangs keeps a core busy."""
    server = start_server("--demo")
    try:
        admin = sign_in_client(server.base_url, ADMIN, PASSWORD)
        project = admin.get(server.url("/api/v1/projects"), params={"status": "active"}, timeout=60).json()[0]["id"]
        saved = admin.post(server.url(f"/projects/{project}/stories"), data={"title": what, "body": body},
                           allow_redirects=False, timeout=60)
        assert saved.status_code == 303, f"the story was not saved: {saved.status_code} {saved.text[:300]}"
        started = time.monotonic()
        failure = None
        try:
            shown = admin.get(server.url(saved.headers["Location"]), timeout=RENDER_BUDGET)
        except requests.Timeout:
            failure = f"its page did not answer within {RENDER_BUDGET:.0f} s (the Markdown renderer is still at it)"
        except requests.ConnectionError as error:
            time.sleep(0.5)
            failure = (f"showing it crashed the server (exit {server.process.returncode})"
                       if server.process.poll() is not None else f"the connection failed: {error}")
        if failure:  # outside the except clauses, so the report is one line, not three tracebacks
            pytest.fail(f"a story of {what} ({len(body):,} characters): {failure}", pytrace=False)
        took = time.monotonic() - started
        assert shown.status_code == 200, f"{shown.status_code}: {shown.text[:300]}"
        assert took < RENDER_BUDGET, f"a story of {what}: its page took {took:.1f} s"
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait(timeout=10)
        _stop_server(server)
