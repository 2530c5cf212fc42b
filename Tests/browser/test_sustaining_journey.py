"""Sustaining the gains (issue 21): a completed project's outcome measures keep being watched. When
its data slip (a special cause of concern after it closed), the project reaches its forum's chair at
home, on the forum's page and on the next meeting's agenda, without anyone adding it, and stays
there until someone records what is being done.
"""

from __future__ import annotations

import datetime
import re

from playwright.sync_api import Page, expect

from conftest import sign_in
from test_accessibility import violations
from test_api_contract import demo, sign_in_client  # noqa: F401 (demo is a fixture)

SLIPPING_TASK = re.compile(r"The gains of (\d+) completed projects? (?:is|are) slipping")


def closed_weeks_ago(client, base: str, project_path: str, today: datetime.date) -> int | None:
    """How many whole weeks ago the project closed, read from its page; None for one that did not
    achieve its aim (it has no gains to slip)."""
    page = client.get(base + project_path, timeout=30).text
    found = re.search(r"<strong>Closed on: </strong>(\d{1,2} \w+ \d{4})", page)
    if not found or "<strong>Aim achieved: </strong>No" in page:
        return None
    closed = datetime.datetime.strptime(found.group(1), "%d %B %Y").date()
    return (today - closed).days // 7


def test_a_completed_projects_data_slip_and_it_reaches_the_forum_until_answered(demo, page: Page):
    base = demo.base_url
    today = datetime.date.today()

    # The demo's chair finds the slipping gains the demo holds, from home to the forum's page.
    sign_in(page, base, "forum-chair@example.org", "demo")
    task = page.locator(".my-tasks a").filter(has_text=SLIPPING_TASK).first
    expect(task).to_be_visible()
    before = int(SLIPPING_TASK.search(task.inner_text()).group(1))
    task.click()
    expect(page).to_have_url(re.compile(r"/forums/[0-9A-F-]{36}#gains-slipping$"))
    forum_path = page.url.removeprefix(base).split("#")[0]
    directorate = forum_path.rsplit("/", 1)[1]
    listed = page.locator("#gains-slipping li")
    expect(listed).to_have_count(before)
    already = {listed.nth(i).get_by_role("link").inner_text() for i in range(before)}

    # A completed project of this directorate that closed more than ten weeks ago, not slipping yet.
    client = sign_in_client(base, "admin@example.org", "demo")
    rows = client.get(base + "/projects", params={"unit": directorate, "status": "completed"}, timeout=30).text
    candidates = re.findall(r'<a href="(/projects/[0-9A-F-]{36})">([^<]+)</a>', rows)
    project_path, title = next(
        (path, name) for path, name in candidates
        if name not in already and (closed_weeks_ago(client, base, path, today) or 0) >= 10)

    # Its service users now feel listened to far less often: eight weeks of 2 in 20 after it closed.
    lead = page.context.browser.new_context()
    admin = lead.new_page()
    sign_in(admin, base, "admin@example.org", "demo")
    admin.goto(base + project_path)
    admin.locator("section#measures figcaption").filter(has_text="Service users who felt listened to") \
        .get_by_role("link").click()
    weeks = [today - datetime.timedelta(days=7 * k) for k in range(8, 0, -1)]
    admin.fill("#field-data", "\n".join(f"{week.isoformat()}\t2\t20" for week in weeks))
    admin.get_by_role("button", name="Check the data").click()
    expect(admin.locator("div.preview")).to_contain_text("8 new periods")
    admin.get_by_role("button", name="Import", exact=True).click()
    expect(admin.locator("div.notice")).to_contain_text("Imported 8 new periods")

    # Nobody told the forum: its page and the chair's home have it already.
    page.goto(base + forum_path)
    expect(page.locator("#gains-slipping li").filter(has_text=title)).to_contain_text(
        "Service users who felt listened to, special cause of concern")
    page.goto(base + "/")
    expect(page.locator(".my-tasks a").filter(has_text=SLIPPING_TASK).first).to_contain_text(
        f"The gains of {before + 1} completed projects are slipping")

    # The next meeting's agenda lists it under "Gains slipping".
    page.goto(base + forum_path)
    page.fill("#schedule-meeting-field-date", (today + datetime.timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page).to_have_url(re.compile(r"/meetings/[0-9A-F-]{36}(#notice)?$"))
    agenda_path = page.url.removeprefix(base).split("#")[0]
    slipping = page.locator("section#gains-slipping")
    expect(slipping.locator("h2")).to_have_text(f"3. Gains slipping ({before + 1})")
    expect(slipping.locator("li").filter(has_text=title)).to_contain_text("Gains slipping: Service users who felt")

    # The project's page says so, with the form, at both widths without a serious axe finding.
    admin.goto(base + project_path + "#gains")
    gains = admin.locator("section#gains")
    expect(gains.locator(".gains-slipping")).to_contain_text("Gains slipping.")
    for width in (1280, 390):
        admin.set_viewport_size({"width": width, "height": 900})
        assert violations(admin) == [], f"the project's page at {width}"
        if width == 390:
            assert admin.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    # An empty answer is refused where it was given; a real one takes it off the agenda.
    admin.get_by_role("button", name="Record what is being done").click()
    expect(admin.locator("#answer-gains-errors")).to_be_focused()
    expect(admin.locator("#answer-gains-errors")).to_contain_text("Enter what is being done about it.")
    admin.fill("#answer-gains-field-action", "Peer workers ask at every handover again; the ward manager reviews it weekly.")
    admin.get_by_role("button", name="Record what is being done").click()
    # The page opens at the notice, which has the focus, and links back to the section.
    expect(admin).to_have_url(re.compile(re.escape(project_path) + "#notice$"))
    notice = admin.locator("#notice")
    expect(notice).to_contain_text("It leaves the forum’s agenda.")
    expect(notice).to_be_focused()
    notice.get_by_role("link", name="Back to where you were").click()
    expect(admin).to_have_url(re.compile(re.escape(project_path) + "#gains$"))
    expect(gains).to_contain_text("Peer workers ask at every handover again")
    expect(gains.locator(".gains-slipping")).to_have_count(0)
    lead.close()

    page.goto(base + agenda_path)
    expect(page.locator("section#gains-slipping h2")).to_have_text(f"3. Gains slipping ({before})")
    expect(page.locator("section#gains-slipping li").filter(has_text=title)).to_have_count(0)
