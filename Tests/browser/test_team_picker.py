"""Adding a service user to a team by typing part of their name (issue 18, item 4): as the lead
types, the people who match are listed with their kind and unit, to choose one; the page passes
axe-core with the list open. Before, "Who" was free text that had to match exactly one person.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from conftest import sign_in
from test_accessibility import violations
from test_api_contract import demo, sign_in_client  # noqa: F401 (demo is a fixture)


def test_a_service_user_joins_a_team_by_part_of_their_name(demo, page: Page):
    base = demo.base_url
    client = sign_in_client(base, "admin@example.org", "demo")
    project = client.get(base + "/api/v1/projects", params={"status": "active"}, timeout=30).json()[0]
    team = {member["person_id"] for member in
            client.get(base + f"/api/v1/projects/{project['id']}", timeout=30).json()["team"]}
    service_users = client.get(base + "/api/v1/people", params={"kind": "service_user"}, timeout=30).json()
    person = next(p for p in service_users if p["id"] not in team and " " in p["full_name"])
    first, last = person["full_name"].split(" ", 1)
    typed = f"{first} {last[:3]}"

    sign_in(page, base, "admin@example.org", "demo")
    expect(page).not_to_have_url(re.compile(r"/sign-in"))
    page.goto(base + f"/projects/{project['id']}")
    page.get_by_text("Add someone to the team").click()
    page.locator("#add-member-field-person").press_sequentially(typed, delay=30)
    choice = page.get_by_role("radio", name=re.compile(re.escape(person["full_name"]) + " — Service user, "))
    expect(choice).to_be_visible()
    assert page.locator("#add-member-field-person").evaluate("e => e === document.activeElement"), \
        "typing stays in the search box while the list fills"
    assert violations(page) == [], "the page with the list open"
    choice.check()
    page.fill("#add-member-field-role", "Expert by experience")
    page.select_option("#add-member-field-involvement", "full_partner")
    page.get_by_role("button", name="Add to team").click()
    expect(page.locator(".notice")).to_contain_text(f"{person['full_name']} joined the team.")
    expect(page.locator("#team table")).to_contain_text(person["full_name"])
