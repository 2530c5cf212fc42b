"""Quality control (issue 21): a ward's team records its safety huddle, with an action on its own
manager and an issue it cannot fix passed up to its directorate; the directorate's forum chair finds
it at home, answers and closes it; the ward sees the answer and closes its action.
"""

from __future__ import annotations

import datetime
import re

from playwright.sync_api import Page, expect

from conftest import sign_in
from test_accessibility import violations
from test_api_contract import demo, sign_in_client  # noqa: F401 (demo is a fixture)

AWAITING = re.compile(r"(\d+) escalations? to .* awaits? a response")


def axe_at_both_widths(page: Page, what: str) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), (
            f"{what} scrolls sideways at {width}")
        assert violations(page) == [], f"{what} at {width}"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_ward_escalates_at_its_huddle_and_the_directorate_answers(demo, page: Page):
    base = demo.base_url
    today = datetime.datetime.now(datetime.timezone.utc).date()

    # The chair's home says how many escalations wait for the directorate before the huddle.
    chair_context = page.context.browser.new_context()
    chair = chair_context.new_page()
    sign_in(chair, base, "forum-chair@example.org", "demo")
    waiting = chair.locator(".my-tasks a").filter(has_text=AWAITING).first
    expect(waiting).to_be_visible()
    before = int(AWAITING.search(waiting.inner_text()).group(1))

    # The ward manager opens their ward's huddles from the task about their actions.
    sign_in(page, base, "member@example.org", "demo")
    page.locator(".my-tasks a").filter(has_text="actions you took on").first.click()
    expect(page).to_have_url(re.compile(r"/units/[0-9A-F-]{36}/huddles#actions$"))
    ward_huddles = page.url.removeprefix(base).split("#")[0]
    open_actions = page.locator("#actions tbody tr").count()
    page.get_by_role("link", name="Record a huddle").click()
    expect(page.get_by_role("heading", name="Record a huddle")).to_be_visible()

    # Filled in as the huddle went, but without the day the directorate must answer by.
    page.fill("#field-attendees", "Jordan Ellis, two staff nurses, bank HCA")
    page.fill("#field-issue1_description", "Bedroom 6 window restrictor loose")
    page.fill("#field-issue1_action", "Ask estates to fix it today")
    page.select_option("#field-issue1_owner_id", label="Jordan Ellis")
    page.fill("#field-issue1_action_due", (today + datetime.timedelta(days=1)).isoformat())
    # A fifth row, asked for: what was typed stays.
    page.get_by_role("button", name="Add another issue").click()
    expect(page.locator("#field-issue5_description")).to_be_visible()
    expect(page.locator("#field-issue1_description")).to_have_value("Bedroom 6 window restrictor loose")
    page.fill("#field-issue2_description", "Three night shifts a week without a second qualified nurse")
    directorate_option = page.locator("#field-issue2_escalate_to option").nth(1)
    directorate_name = directorate_option.inner_text()
    page.select_option("#field-issue2_escalate_to", index=1)
    page.get_by_role("button", name="Record the huddle").click()

    # Refused with the reason, what was typed kept, nothing saved.
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Enter when the escalation needs an answer.")
    expect(page.locator("#field-issue2_description")).to_have_value(
        "Three night shifts a week without a second qualified nurse")
    axe_at_both_widths(page, "the huddle form with an error")
    page.fill("#field-issue2_escalation_due", (today + datetime.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Record the huddle").click()
    expect(page.locator("div.notice")).to_contain_text("with 1 issue escalated")
    expect(page.locator("main")).to_contain_text(f"Escalated to {directorate_name.split(' › ', 1)[-1]}")
    expect(page.locator("main")).to_contain_text("Awaiting a response")
    huddle = page.url.removeprefix(base).split("#")[0]
    axe_at_both_widths(page, "a huddle")

    # The chair's home counts one more; the directorate's page lists it; the chair answers and closes it.
    chair.reload()
    waiting = chair.locator(".my-tasks a").filter(has_text=AWAITING).first
    expect(waiting).to_contain_text(f"{before + 1} escalation")
    waiting.click()
    expect(chair).to_have_url(re.compile(r"/units/[0-9A-F-]{36}/huddles#awaiting$"))
    axe_at_both_widths(chair, "a directorate's huddles")
    chair.locator("#awaiting").get_by_role(
        "link", name="Three night shifts a week without a second qualified nurse").click()
    axe_at_both_widths(chair, "an escalation with its answer form")
    chair.fill("#respond-field-response", "Bank nurses booked for every night shift until the two posts are filled.")
    chair.get_by_label("This resolves it: close the escalation").check()
    chair.get_by_role("button", name="Save the response").click()
    expect(chair.locator("div.notice")).to_contain_text("the escalation is closed")
    expect(chair.locator("h1")).to_contain_text("Closed")
    expect(chair.get_by_role("button", name="Save the response")).to_have_count(0)
    chair.goto(base + "/")
    after = chair.locator(".my-tasks a").filter(has_text=AWAITING)
    if before == 0:
        expect(after).to_have_count(0)
    else:
        expect(after.first).to_contain_text(f"{before} escalation")
    chair_context.close()

    # The ward reads the answer on its huddle, and closes its own action from its page.
    page.goto(base + huddle)
    expect(page.locator("main")).to_contain_text("Bank nurses booked for every night shift")
    page.goto(base + ward_huddles)
    row = page.locator("#actions tbody tr").filter(has_text="Ask estates to fix it today")
    expect(page.locator("#actions tbody tr")).to_have_count(open_actions + 1)
    row.get_by_role("button", name="Mark done").click()
    expect(page.locator("div.notice")).to_contain_text("is marked done")
    page.goto(base + ward_huddles)
    expect(page.locator("#actions tbody tr").filter(has_text="Ask estates to fix it today")).to_have_count(0)
    axe_at_both_widths(page, "a ward's huddles")

    # Everything the journey did is in the audit log, against the ward and the directorate.
    client = sign_in_client(base, "admin@example.org", "demo")
    log = client.get(base + "/audit", timeout=30).text
    assert "Safety huddle of" in log and "Escalation" in log and "Huddle action: Ask estates" in log
