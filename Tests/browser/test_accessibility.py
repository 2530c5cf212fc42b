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
