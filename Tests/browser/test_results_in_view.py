"""After a form far down a page, what it answered is where the person is looking (issue 18,
item 2): the page that comes back opens at the form's section, its error summary or check result
first, without JavaScript. Before, a failed "Add to team" and a "Check the data" result were
1,400–1,800 pixels below the top, with the page scrolled to the top.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from conftest import sign_in
from test_api_contract import demo, sign_in_client  # noqa: F401 (demo is a fixture)


def test_a_failed_form_and_a_data_check_open_where_their_answer_is(demo, page: Page):
    base = demo.base_url
    client = sign_in_client(base, "admin@example.org", "demo")
    project = client.get(base + "/api/v1/projects", params={"status": "active"}, timeout=30).json()[0]
    sign_in(page, base, "admin@example.org", "demo")
    expect(page).not_to_have_url(re.compile(r"/sign-in"))

    page.goto(base + f"/projects/{project['id']}")
    page.get_by_text("Add someone to the team").click()
    page.get_by_role("button", name="Add to team").click()
    expect(page).to_have_url(re.compile(r"#add-member-errors$"))
    summary = page.locator("#add-member .error-summary")
    expect(summary).to_be_visible()
    # The page opened at the summary, which took the focus: a screen reader reads what to fix first.
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 300, "the page opened at its top, far from the answer"

    page.goto(base + f"/projects/{project['id']}")
    measure = page.locator("a[href^='/measures/']").first
    measure.click()
    page.fill("#field-data", "2026-01-05\tlots")
    page.get_by_role("button", name="Check the data").click()
    expect(page).to_have_url(re.compile(r"#add-data-result$"))
    result = page.locator("#add-data-result")
    expect(result).to_contain_text("Nothing was imported")
    expect(result).to_be_in_viewport()
    expect(result).to_be_focused()

    # A typed value the grid cannot read: the grid's own summary, in view and focused.
    grid = page.locator("form.data-grid")
    grid.get_by_role("textbox").last.fill("lots")
    grid.get_by_role("button", name="Save the values").click()
    expect(page).to_have_url(re.compile(r"#add-data-grid-errors$"))
    errors = page.locator("#add-data-grid-errors")
    expect(errors).to_contain_text("Nothing was saved")
    expect(errors).to_be_focused()
    expect(errors).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 300, "the page opened at its top, far from the check's result"

    # Success too: someone added to the team far down the page is told at the top, with the focus
    # on the notice and a way back to the team (before, the page opened at the team and the notice
    # sat out of sight above it).
    page.goto(base + f"/projects/{project['id']}")
    page.get_by_text("Add someone to the team").click()
    team = {member["person_id"] for member in
            client.get(base + f"/api/v1/projects/{project['id']}", timeout=30).json()["team"]}
    person = next(p for p in client.get(base + "/api/v1/people", params={"kind": "staff"}, timeout=30).json()
                  if p["id"] not in team and p.get("email"))
    page.fill("#add-member-field-person", person["email"])
    page.fill("#add-member-field-role", "Team member")
    page.get_by_role("button", name="Add to team").click()
    expect(page).to_have_url(re.compile(r"#notice$"))
    notice = page.locator("#notice")
    expect(notice).to_contain_text("joined the team")
    expect(notice).to_be_focused()
    expect(notice).to_be_in_viewport()
    notice.get_by_role("link", name="Back to where you were").click()
    expect(page.locator("section#team")).to_be_in_viewport()
    expect(page.locator("section#team")).to_contain_text(person["full_name"])
