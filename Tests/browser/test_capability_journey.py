"""Issue 20's journey: the capability lead plans a wave of the Improvement Leaders' Programme,
enrols a project lead whose project a forum approved (and is refused, with the reason, for one whose
project it has not), takes the registers, the lead completes, the dosing page's gap for project
leads closes by one, and the course shows on the person's page."""

from __future__ import annotations

import datetime
import re

from playwright.sync_api import Page, expect

from conftest import sign_in
from test_api_contract import demo, sign_in_client  # noqa: F401 (demo is a fixture)

LEAD = "capability-lead@example.org"


def project_leads_line(page: Page, base_url: str) -> tuple[int, int, int]:
    """People, have it and gap of the project leads' practitioner line on /capability."""
    page.goto(base_url + "/capability")
    row = page.locator("table.dosing-table tbody tr").filter(has_text="Project leads").filter(has_text="Practitioner")
    cells = row.locator("td").all_inner_texts()  # level, people, have, needed, gap
    return int(cells[1]), int(cells[2]), int(cells[4])


def all_projects(client, base_url: str) -> list[dict]:
    return client.get(base_url + "/api/v1/projects", timeout=120).json()


def test_a_wave_of_the_ilp_closes_the_project_leads_gap_by_one(demo, page: Page):
    base = demo.base_url
    client = sign_in_client(base, LEAD, "demo")
    projects = all_projects(client, base)
    approved = [client.get(f"{base}/api/v1/projects/{p['id']}", timeout=30).json()
                for p in projects if p["status"] in ("approved", "active")]
    approved_teams = {member["person_id"] for p in approved for member in p["team"]} | {
        p["proposer"]["id"] for p in approved}
    # Someone leading an approved project, not yet through a practitioner course nor on one.
    def untrained(person_id: str) -> bool:
        learning = client.get(f"{base}/api/v1/people/{person_id}", timeout=30).json()["learning"]
        return not any(line["level"] == "practitioner" and line["status"] != "withdrawn" for line in learning)
    lead = next(p["proposer"] for p in approved if p["status"] == "active" and untrained(p["proposer"]["id"]))
    # Someone whose only project is still waiting for its forum.
    proposed = (client.get(f"{base}/api/v1/projects/{p['id']}", timeout=30).json()
                for p in projects if p["status"] == "proposed")
    waiting = next(p["proposer"] for p in proposed if p["proposer"]["id"] not in approved_teams)

    sign_in(page, base, LEAD, "demo")
    people_before, have_before, gap_before = project_leads_line(page, base)

    # Plan a wave whose five days have passed, so its registers can be taken.
    page.goto(base + "/courses")
    page.get_by_role("link", name="Improvement Leaders’ Programme").first.click()
    page.get_by_role("link", name="Plan a cohort").click()
    page.get_by_label("Name", exact=True).fill("Wave journey")
    page.get_by_label("Places").fill("10")
    today = datetime.date.today()
    for number in range(1, 6):
        page.get_by_label(f"Session {number}: day").fill((today - datetime.timedelta(days=180 - 30 * number)).isoformat())
        page.get_by_label(f"Session {number}: place").fill("Robert Dolan House")
    page.get_by_role("button", name="Plan the cohort").click()
    expect(page.locator("h1")).to_contain_text("Wave journey")
    cohort_url = page.url

    def enrol(person: dict) -> None:
        page.goto(cohort_url)
        page.get_by_label("Who").fill(person["name"])
        page.get_by_role("button", name="Enrol", exact=True).click()
        choice = page.locator(f'input[name="person_id"][value="{person["id"]}"]')
        if choice.count():  # namesakes: choose who is meant
            choice.check()
            page.get_by_role("button", name="Enrol", exact=True).click()

    enrol(waiting)
    expect(page.locator(".error-summary")).to_contain_text("on the team of no project a forum has approved")
    enrol(lead)
    expect(page.locator(".notice")).to_contain_text(f"{lead['name']} has a place on Wave journey")

    # Four of the five registers: the programme's rule.
    registers = [a.get_attribute("href") for a in page.get_by_role("link", name="Take the register").all()]
    assert len(registers) == 5, registers
    for href in registers[:4]:
        page.goto(base + href)
        page.get_by_role("radio", name="Attended").check()
        page.get_by_role("button", name="Save the register").click()
        expect(page.locator(".notice")).to_contain_text("was saved")
    page.goto(cohort_url)
    done = (today - datetime.timedelta(days=60)).strftime("%-d %B %Y")  # the fourth session's day
    row = page.get_by_role("row").filter(has_text=lead["name"])
    expect(row).to_contain_text(done)
    expect(row.get_by_role("button", name="Withdraw")).to_have_count(0)

    people_after, have_after, gap_after = project_leads_line(page, base)
    assert people_after == people_before
    assert have_after == have_before + 1, (have_before, have_after)
    assert gap_after == max(0, gap_before - 1), (gap_before, gap_after)

    page.goto(f"{base}/people/{lead['id']}")
    learning = page.locator("table").filter(has_text="Improvement Leaders’ Programme")
    expect(learning.get_by_role("row").filter(has_text="Wave journey")).to_contain_text(
        re.compile(r"Completed \d+ \w+ \d{4}"))
