"""axe-core on the pages this wave changed, each in the state a person meets it: no serious or
critical violation. (`axe-playwright-python` carries axe-core; `scripts/test` installs it.)
"""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from conftest import sign_in
from test_api_contract import demo, sign_in_client  # noqa: F401 (demo is a fixture)

SERIOUS = {"serious", "critical"}


def violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} places)"
            for v in results.response["violations"] if v.get("impact") in SERIOUS]


def test_changed_pages_have_no_serious_violations(demo, page: Page):
    base = demo.base_url
    client = sign_in_client(base, "admin@example.org", "demo")
    units = client.get(base + "/api/v1/units", timeout=30).json()
    trust = next(u for u in units if u.get("parent_id") is None and u["kind"] == "organisation")
    person = client.get(base + "/api/v1/people", params={"q": "Sam Whitfield"}, timeout=30).json()[0]
    projects = client.get(base + "/api/v1/projects", params={"status": "draft"}, timeout=30).json()
    sign_in(page, base, "admin@example.org", "demo")
    expect(page).not_to_have_url(re.compile(r"/sign-in"))
    pages = {
        "API tokens, with the issue form": "/api-tokens",
        "a person, with contact details": f"/people/{person['id']}",
        "the board report form": f"/units/{trust['id']}/board-report/edit",
        "a proposal's edit form": f"/projects/{projects[0]['id']}/edit",
        "home, with my projects": "/",
        # The green status tag, which was 4.49:1 against its background.
        "active projects, with their status tags": "/projects?status=active",
        # The example file, which scrolls sideways and must be reachable by keyboard.
        "the bulk data upload, with its example": f"/units/{trust['id']}/data-upload",
    }
    found = {}
    for name, path in pages.items():
        page.goto(base + path)
        found[name] = violations(page)
    # A project saved meanwhile by someone else: the form with the conflict's messages.
    page.goto(base + pages["a proposal's edit form"])
    client.put(base + f"/api/v1/projects/{projects[0]['id']}",
               json={**{k: v for k, v in client.get(base + f"/api/v1/projects/{projects[0]['id']}").json().items()
                        if k in ("title", "unit_id", "what_matters", "problem", "partner_organisations", "version")},
                     "aim_what": "Reduce falls", "aim_how_much": "by 30%", "aim_by_when": "2030-03-31",
                     "title": "Saved meanwhile"}, timeout=30)
    page.fill("#field-aim_by_when", "2030-03-31")  # the demo's draft may have an aim date now past
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.locator(".error-summary")).to_contain_text("after you opened it")
    found["a proposal's edit form after a conflict"] = violations(page)
    # A measure's definition: its edit form, and the same after a colleague saved it meanwhile.
    page.goto(base + f"/units/{trust['id']}/measures")
    page.locator("a[href^='/measures/']").first.click()
    found["a measure's page"] = violations(page)
    page.get_by_role("link", name="Change the definition").click()
    found["a measure's edit form"] = violations(page)
    colleague = page.context.browser.new_context()
    other = colleague.new_page()
    sign_in(other, base, "admin@example.org", "demo")
    other.goto(page.url)
    other.fill("#field-unit_of_measure", "changed meanwhile")
    other.get_by_role("button", name="Save changes").click()
    colleague.close()
    page.fill("#field-name", "Renamed here")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".error-summary")).to_contain_text("after you opened it")
    found["a measure's edit form after a conflict"] = violations(page)
    assert not {name: v for name, v in found.items() if v}, found


def every_page(client, base: str) -> dict[str, str]:
    """One page of every kind a signed-in administrator reaches, found through the API and links."""
    units = client.get(base + "/api/v1/units", timeout=30).json()
    trust = next(u for u in units if u.get("parent_id") is None and u["kind"] == "organisation")
    directorate = next(u for u in units if u["kind"] == "directorate")
    ward = next(u for u in units if u["kind"] == "ward")
    project = client.get(base + "/api/v1/projects", params={"status": "active"}, timeout=30).json()[0]
    person = client.get(base + "/api/v1/people", params={"q": "Sam Whitfield"}, timeout=30).json()[0]
    pages = {
        "home": "/", "projects": "/projects", "active projects": "/projects?status=active",
        "a project": f"/projects/{project['id']}", "a project's edit form": f"/projects/{project['id']}/edit",
        "a driver diagram": f"/projects/{project['id']}/driver-diagram", "a new proposal": "/projects/new",
        "units": "/units", "the trust": f"/units/{trust['id']}", "a ward": f"/units/{ward['id']}",
        "a unit's edit form": f"/units/{trust['id']}/edit",
        "the measures summary": f"/units/{trust['id']}/measures", "the portfolio": f"/units/{trust['id']}/portfolio",
        "coaching": f"/units/{trust['id']}/portfolio/coaches",
        "involvement against aims": f"/units/{trust['id']}/involvement",
        "early warning": f"/units/{directorate['id']}/early-warning",
        "the board report": f"/units/{trust['id']}/board-report",
        "the board report form": f"/units/{trust['id']}/board-report/edit",
        "comparing units": f"/units/{trust['id']}/compare", "the data upload": f"/units/{trust['id']}/data-upload",
        "people": "/people", "a person": f"/people/{person['id']}", "a new person": "/people/new",
        "a person's edit form": f"/people/{person['id']}/edit",
        "forums": "/forums", "a forum": f"/forums/{directorate['id']}", "the audit log": "/audit",
        "API tokens": "/api-tokens", "change password": "/account/password",
        "the strategy": "/strategy", "a new priority": "/strategy/priorities/new", "the strategy's aim": "/strategy/aim",
        "standard measures": "/standard-measures", "a new standard measure": "/standard-measures/new",
    }
    programmes = client.get(base + "/api/v1/programmes", timeout=30).json()
    pages["programmes"] = "/programmes"
    pages["a new programme"] = "/programmes/new"
    if programmes:
        pages["a programme"] = f"/programmes/{programmes[0]['id']}"
        pages["a programme's edit form"] = f"/programmes/{programmes[0]['id']}/edit"
        pages["a programme's driver diagram"] = f"/programmes/{programmes[0]['id']}/driver-diagram"
        pages["a programme's dashboard"] = f"/programmes/{programmes[0]['id']}/dashboard"
        pages["a programme's evaluation"] = f"/programmes/{programmes[0]['id']}/evaluation"
    plans = client.get(base + "/api/v1/strategy", timeout=30).json()["plans"]
    pages["a new annual plan"] = "/plans/new"
    if plans:
        pages["an annual plan"] = f"/plans/{plans[0]['id']}"
        pages["an annual plan's edit form"] = f"/plans/{plans[0]['id']}/edit"
        pages["an annual plan's driver diagram"] = f"/plans/{plans[0]['id']}/driver-diagram"
    pages["the organisation's capability"] = "/capability"
    pages["the dosing plan"] = "/capability/plan"
    pages["a directorate's capability"] = f"/capability?unit={directorate['id']}"
    pages["the QI coaches"] = "/capability/coaches"
    supervision = re.search(r'href="(/capability/coaches/[0-9A-F-]{36}/supervision)"',
                            client.get(base + "/capability/coaches", timeout=30).text)
    if supervision:
        pages["a coach's supervision"] = supervision.group(1)
    pages["courses"] = "/courses"
    pages["a new course"] = "/courses/new"
    found = re.search(r'href="(/courses/[0-9A-F-]{36})"', client.get(base + "/courses", timeout=30).text)
    if found:
        pages["a course"] = found.group(1)
        pages["a course's edit form"] = found.group(1) + "/edit"
        pages["a new cohort"] = found.group(1) + "/cohorts/new"
        cohorts = re.findall(r'href="(/cohorts/[0-9A-F-]{36})"', client.get(base + found.group(1), timeout=30).text)
        if cohorts:
            pages["a cohort"] = cohorts[0]
            pages["a cohort's edit form"] = cohorts[0] + "/edit"
        for cohort in cohorts[:3]:  # the newest may not have met yet
            register = re.search(r'href="(/cohorts/[0-9A-F-]{36}/sessions/[0-9A-F-]{36}/register)"',
                                 client.get(base + cohort, timeout=30).text)
            if register:
                pages["a cohort's register"] = register.group(1)
                break
    html = client.get(base + pages["a project"], timeout=30).text
    for name, pattern in [("a measure", r"/measures/[0-9A-F-]{36}"), ("a PDSA cycle", r"/cycles/[0-9A-F-]{36}"),
                          ("a story", r"/stories/[0-9A-F-]{36}")]:
        found = re.search(r'href="(' + pattern + ')"', html)
        if found:
            pages[name] = found.group(1)
    if "a measure" in pages:
        pages["a measure's edit form"] = pages["a measure"] + "/edit"
    if "a PDSA cycle" in pages:
        pages["a PDSA cycle's plan form"] = pages["a PDSA cycle"] + "/plan"
    if "a story" in pages:
        pages["a story's edit form"] = pages["a story"] + "/edit"
    pages["a new PDSA cycle"] = f"/projects/{project['id']}/cycles/new"
    pages["a project's new measure"] = f"/projects/{project['id']}/measures/new"
    pages["a new story"] = f"/projects/{project['id']}/stories/new"
    pages["a unit's new measure"] = f"/units/{ward['id']}/measures/new"
    pages["a new unit"] = f"/units/new?parent_id={directorate['id']}"
    standard = re.search(r'href="(/standard-measures/[0-9A-F-]{36})"', client.get(base + "/standard-measures", timeout=30).text)
    if standard:
        pages["a standard measure"] = standard.group(1)
    waiting = client.get(base + "/api/v1/projects", params={"status": "proposed"}, timeout=30).json()
    if waiting:  # with the chair's decision form on it
        pages["a proposal waiting for the forum"] = f"/projects/{waiting[0]['id']}"
    # Sustaining the gains: the demo's completed projects whose outcome slid back, with the answer form.
    slipping = re.search(r'href="(/projects/[0-9A-F-]{36})"', client.get(base + "/projects?gains=slipping", timeout=30).text)
    if slipping:
        pages["a completed project whose gains slip"] = slipping.group(1)
    # Quality control: a directorate's and a ward's huddles, the form, one huddle, the escalations.
    pages["a directorate's huddles"] = f"/units/{directorate['id']}/huddles"
    pages["a ward's huddles"] = f"/units/{ward['id']}/huddles"
    pages["a directorate's quality management"] = f"/units/{directorate['id']}/quality"
    pages["the huddle form"] = f"/units/{ward['id']}/huddles/new"
    pages["escalations"] = "/escalations"
    escalation = re.search(r'href="(/escalations/[0-9A-F-]{36})"', client.get(base + "/escalations", timeout=30).text)
    if escalation:  # open, with the answer form an administrator may use
        pages["an escalation"] = escalation.group(1)
    huddle = re.search(r'href="(/huddles/[0-9A-F-]{36})"', client.get(base + pages["a directorate's huddles"], timeout=30).text)
    if huddle:
        pages["a huddle"] = huddle.group(1)
    pages["WalkRounds"] = "/walkrounds"
    pages["scheduling a WalkRound"] = "/walkrounds/new"
    visits = re.findall(r'href="(/walkrounds/[0-9A-F-]{36})"', client.get(base + "/walkrounds", timeout=30).text)
    if visits:  # the first planned (with the record form an administrator may use), the last held
        pages["a planned WalkRound"] = visits[0]
        pages["a held WalkRound"] = visits[-1]
    meeting = re.search(r'href="(/meetings/[0-9A-F-]{36})"', client.get(base + pages["a forum"], timeout=30).text)
    if meeting:
        pages["a forum meeting"] = meeting.group(1)
    return pages


def test_every_page_fits_a_phone_and_passes_axe_at_both_widths(demo, page: Page):
    """Issue 18, items 6 and 11: at 390 pixels no page scrolls sideways (wide tables and charts
    scroll in their own box), and axe-core finds no serious or critical violation at 1280 or 390."""
    base = demo.base_url
    client = sign_in_client(base, "admin@example.org", "demo")
    pages = every_page(client, base)
    assert len(pages) >= 30, sorted(pages)
    # The sign-in page, before anyone is signed in, at both widths too.
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base + "/sign-in")
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), width
        assert violations(page) == [], f"the sign-in page at {width}"
    sign_in(page, base, "admin@example.org", "demo")
    expect(page).not_to_have_url(re.compile(r"/sign-in"))
    pages["importing past attendance"] = "/capability/attendance/upload"
    # The check of an attendance file: a cohort's registers, exported and uploaded again.
    if "a cohort's register" in pages:
        cohort = pages["a cohort's register"].split("/sessions/")[0]
        registers = client.get(base + cohort + "/registers.csv", timeout=30).text
        assert registers.count("\n") > 1, registers  # the demo takes every held session's register
        page.goto(base + "/capability/attendance/upload")
        page.fill("#field-data", registers)
        page.get_by_role("button", name="Check the file").click()
        expect(page).to_have_url(re.compile(r"/capability/attendance/uploads/"))
        expect(page.locator(".check-ok")).to_contain_text("importing would change nothing")
        pages["the check of an attendance file"] = page.url.removeprefix(base)
    sideways, found = {}, {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            response = page.goto(base + path)
            assert response and response.status == 200, f"{name}: {path} answered {response and response.status}"
            if width == 390:
                scroll, client_width = page.evaluate(
                    "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
                if scroll > client_width:
                    sideways[name] = scroll
            problems = violations(page)
            if problems:
                found[f"{name} at {width}"] = problems
    assert not sideways, f"pages wider than 390 pixels: {sideways}"
    assert not found, found


def test_on_a_phone_the_navigation_folds_behind_a_menu_button(demo, page: Page):
    """Issue 18, item 6: at 390 pixels the main navigation collapses behind a Menu button that says
    whether it is open; at 1280 the links show and the button does not."""
    base = demo.base_url
    sign_in(page, base, "admin@example.org", "demo")
    nav = page.locator("header nav")
    audit = nav.get_by_role("link", name="Audit log")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(base + "/")
    menu = nav.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(audit).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(audit).to_be_visible()
    assert violations(page) == []
    audit.click()
    expect(page).to_have_url(base + "/audit")
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(nav.get_by_role("button", name="Menu")).to_be_hidden()
    expect(nav.get_by_role("link", name="Audit log")).to_be_visible()


def test_on_a_phone_a_wide_table_scrolls_in_its_box_keeping_its_first_column(demo, page: Page):
    """Issue 18, item 6: at 390 pixels a wide table scrolls inside its own box, its first column
    (what each row is) staying in view, and the page itself does not scroll sideways."""
    base = demo.base_url
    sign_in(page, base, "admin@example.org", "demo")
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(base + "/projects")
    box = page.locator(".table-scroll").first
    assert box.evaluate("b => b.scrollWidth > b.clientWidth"), "the project table fits a phone; nothing to check"
    first = box.locator("tbody tr td:first-child").first
    assert first.evaluate("c => getComputedStyle(c).position") == "sticky"
    left = first.bounding_box()["x"]
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    assert abs(first.bounding_box()["x"] - left) < 1, "the first column moved with the scroll"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
