"""Executive WalkRounds (issue 21): the demo's executive finds last week's visit waiting to be
recorded, records the four answers and a follow-up, sees the coverage move, and closes the follow-up.
"""

from __future__ import annotations

import datetime
import re

from playwright.sync_api import Page, expect

from conftest import sign_in
from test_quality_control_journey import axe_at_both_widths
from test_api_contract import demo  # noqa: F401 (a fixture)


def test_an_executive_records_a_walkround_and_closes_its_follow_up(demo, page: Page):
    base = demo.base_url
    today = datetime.datetime.now(datetime.timezone.utc).date()
    sign_in(page, base, "executive@example.org", "demo")
    page.get_by_role("link", name="WalkRounds").first.click()
    expect(page).to_have_url(re.compile(r"/walkrounds$"))
    axe_at_both_widths(page, "WalkRounds")
    held_before = int(page.locator(".figures li").first.locator("strong").inner_text())

    # Last week's visit, by this executive, waits to be recorded.
    late = page.locator("#planned tbody tr").filter(has_text="To record").filter(has_text="Amara Okafor").first
    team = late.locator("td").first.inner_text()
    late.get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("Planned")
    axe_at_both_widths(page, "a planned WalkRound with its record form")

    # Two answers left out: refused, the rest kept.
    page.fill("#record-field-proud_of", "The new welcome pack, written with service users.")
    page.fill("#record-field-improving", "Time from referral to first appointment.")
    page.get_by_role("button", name="Record the WalkRound").click()
    expect(page.locator("#record-errors")).to_contain_text("How is it taking care of itself?")
    expect(page.locator("#record-field-proud_of")).to_have_value("The new welcome pack, written with service users.")
    page.fill("#record-field-in_the_way", "The booking system double-books clinic rooms.")
    page.fill("#record-field-self_care", "A monthly team day away from the ward.")
    page.fill("#record-field-action1", "Ask IT to fix room booking")
    page.select_option("#record-field-action1_owner_id", label="Amara Okafor")
    page.fill("#record-field-action1_due_on", (today + datetime.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Record the WalkRound").click()
    expect(page.locator("div.notice")).to_contain_text("with 1 to follow up")
    expect(page.locator("h1")).to_contain_text("Held")
    expect(page.locator("main")).to_contain_text("The booking system double-books clinic rooms.")
    axe_at_both_widths(page, "a held WalkRound")

    # The coverage counts it; the follow-up is open there, and the executive closes it.
    page.goto(base + "/walkrounds")
    expect(page.locator(".figures li").first.locator("strong")).to_have_text(str(held_before + 1))
    expect(page.locator("#recent")).to_contain_text(team)
    row = page.locator("#follow-ups tbody tr").filter(has_text="Ask IT to fix room booking")
    row.get_by_role("button", name="Mark done").click()
    expect(page.locator("div.notice")).to_contain_text("is marked done")
    page.goto(base + "/walkrounds")
    expect(page.locator("#follow-ups tbody tr").filter(has_text="Ask IT to fix room booking")).to_have_count(0)
