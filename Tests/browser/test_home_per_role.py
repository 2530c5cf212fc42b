"""Each of the demo's roles signs in and finds their own work on the home page (issue 18, item 1):
a ward manager the projects they lead, a coach and a sponsor theirs, a forum chair the proposals
waiting, a board member the board report, an analyst the measures and uploads, an administrator
the organisation's lists. Before, most of them got "Nothing needs you right now" and three counters.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import sign_in
from test_api_contract import demo  # noqa: F401 (demo is a fixture)

# Each role's email in the demo, and what their home page must offer them: in "My projects", a
# row naming their part; in "My tasks", a task; in "Where my roles work", links by name; in "My
# training", what they are on or have done.
ROLES = {
    "member": {"part": "Lead", "links": ["Unit", "Measures"], "training": re.compile(r"Pocket QI.*next session")},
    "coach": {
        "part": "Coach",
        "links": ["Coaching load", "Portfolio"],
        "training": re.compile(r"Completed: .*Improvement Coaching Programme"),
    },
    "sponsor": {"part": "Sponsor", "links": ["Portfolio", "Measures"]},
    "forum-chair": {"task": re.compile(r"proposals? waits? for the .* forum"), "links": ["Forum"]},
    "viewer": {"links": ["Board report", "Measures"]},
    "qi-team": {"links": ["Measures", "Early warning", "Upload data", "Board report"]},
    "admin": {"links": ["Units", "People", "Audit log", "API tokens"]},
    "improvement-advisor": {"links": ["Programmes", "Portfolio"], "training": re.compile(r"Cohorts I facilitate")},
    "capability-lead": {"links": ["Courses", "People"]},
    "executive": {"links": ["WalkRounds", "Board report"]},
}


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_finds_their_own_work_at_home(demo, page: Page, role: str):
    expected = ROLES[role]
    sign_in(page, demo.base_url, f"{role}@example.org", "demo")
    expect(page).to_have_url(re.compile(re.escape(demo.base_url) + r"/(#notice)?$"))
    if "part" in expected:
        rows = page.locator(".my-projects tbody tr")
        expect(rows.filter(has_text=expected["part"]).first).to_be_visible()
        # Each row leads to its project.
        first = rows.filter(has_text=expected["part"]).first.get_by_role("link")
        href = first.get_attribute("href")
        first.click()
        expect(page).to_have_url(demo.base_url + href)
        page.go_back()
    if "task" in expected:
        task = page.locator(".my-tasks a").filter(has_text=expected["task"]).first
        expect(task).to_be_visible()
        task.click()
        expect(page.locator("h1")).to_contain_text("forum", ignore_case=True)
        page.go_back()
    if "training" in expected:
        expect(page.locator(".my-training")).to_contain_text(expected["training"])
    places = page.locator(".my-places")
    for label in expected["links"]:
        link = places.get_by_role("link", name=label, exact=True).first
        expect(link).to_be_visible()
        response = page.request.get(demo.base_url + link.get_attribute("href"))
        assert response.status == 200, f"{role}: {label} answered {response.status}"
