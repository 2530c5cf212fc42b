"""The project journey in a real browser, on the demo organisation: a ward manager proposes a QI
project with a measurable aim, adds a service user to the team as a full partner and submits it; the
forum chair schedules a meeting and approves it with a coach and a sponsor; the team posts a progress
update asking the sponsor for help; the sponsor sees the ask among their tasks; the audit log records
the project."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from playwright.sync_api import Locator, Page, expect

from conftest import sign_in

PASSWORD = "demo"
MEMBER = "member@example.org"          # Jordan Ellis, member at the first ward of Adult Mental Health
CHAIR = "forum-chair@example.org"      # Tendai Moyo, chair of the Adult Mental Health forum
SPONSOR = "sponsor@example.org"        # Helen Osei
ADMIN = "admin@example.org"
MEMBER_NAME, CHAIR_NAME = "Jordan Ellis", "Tendai Moyo"
COACH_NAME, SPONSOR_NAME = "Sam Whitfield", "Helen Osei"
PRIORITY = "Timely access to care"
FORUM = "Adult Mental Health"
PROJECT_URL = re.compile(r"/projects/[0-9A-Fa-f-]{36}(#\w+)?$")


@pytest.fixture(scope="module")
def demo(start_server):
    """A demo server of this module's own, on its own fresh database."""
    return start_server("--demo")


def long_date(day: dt.date) -> str:
    """A date as the app writes it in an aim: 31 March 2027."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


def in_a_month(today: dt.date) -> dt.date:
    """The 15th of next month."""
    return (today.replace(day=1) + dt.timedelta(days=32)).replace(day=15)


def nav_link(page: Page, label: str) -> Locator:
    return page.locator("header nav").get_by_role("link", name=label, exact=True)


def status_tag(page: Page) -> Locator:
    return page.locator("h1 .tag")


def detail(page: Page, term: str) -> Locator:
    """The <dd> after the <dt> `term` in the project's details list (not the updates')."""
    return page.locator("dl.details").first.locator("dt", has_text=re.compile("^" + re.escape(term) + "$")).locator(
        "xpath=following-sibling::dd[1]"
    )


def sign_in_as(page: Page, base_url: str, email: str, name: str) -> None:
    sign_in(page, base_url, email, PASSWORD)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator("header .viewer-name")).to_have_text(name)


def sign_out(page: Page, base_url: str) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(re.escape(base_url + "/sign-in") + r"(#notice)?$"))
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_a_project_goes_from_proposal_through_the_forum_to_its_first_update(demo, page: Page):
    base = demo.base_url
    today = dt.datetime.now(dt.timezone.utc).date()  # the server reads yyyy-mm-dd as UTC midnight
    aim_by = today.replace(year=today.year + 1, day=min(today.day, 28))
    title = f"Calmer evenings on the ward {uuid.uuid4().hex[:8]}"
    sponsor_ask = f"Release two hours a week of a psychologist’s time ({uuid.uuid4().hex[:6]})"

    # --- The ward manager proposes a project --------------------------------------------------
    sign_in_as(page, base, MEMBER, MEMBER_NAME)
    nav_link(page, "Projects").click()
    expect(page).to_have_url(base + "/projects")
    page.get_by_role("link", name="Propose a project").click()
    expect(page).to_have_url(base + "/projects/new")
    expect(page.locator("aside.similar-projects")).to_be_visible()
    unit = page.locator("#field-unit_id").evaluate("s => s.options[s.selectedIndex].text")
    assert unit.startswith("— — "), f"the member's ward should be chosen already, not {unit!r}"
    ward = unit.removeprefix("— — ")

    page.fill("#field-title", title)
    page.fill("#field-what_matters", "Service users tell us the evenings are loud and frightening.")
    page.fill("#field-problem", "Incidents of aggression cluster between 6 and 10 pm, about 12 a month.")
    page.fill("#field-aim_what", "Reduce evening incidents of aggression")
    page.fill("#field-aim_how_much", "a lot")
    page.fill("#field-aim_by_when", aim_by.isoformat())
    page.get_by_role("checkbox", name=PRIORITY).check()
    page.get_by_role("button", name="Save draft").click()

    # Not measurable: the form comes back with the problem and everything typed.
    expect(page.locator("div.error-summary")).to_be_visible()
    expect(page.locator("#field-aim_how_much-error")).to_contain_text("Say how much with a number")
    expect(page.locator("div.error-summary a[href='#field-aim_how_much']")).to_have_count(1)
    expect(page.locator("p.error-message")).to_have_count(1)
    expect(page.locator("#field-title")).to_have_value(title)
    expect(page.locator("#field-aim_how_much")).to_have_value("a lot")
    expect(page.locator("#field-aim_by_when")).to_have_value(aim_by.isoformat())
    expect(page.get_by_role("checkbox", name=PRIORITY)).to_be_checked()
    assert page.locator("#field-unit_id").evaluate("s => s.options[s.selectedIndex].text") == unit

    page.fill("#field-aim_how_much", "by 30%")
    page.get_by_role("button", name="Save draft").click()
    expect(page).to_have_url(PROJECT_URL)
    project_path = re.sub(r"#.*$", "", page.url.removeprefix(base))
    expect(page.locator("div.notice")).to_contain_text(f"Your proposal “{title}” was saved as a draft.")
    expect(page.locator("h1")).to_contain_text(title)
    expect(status_tag(page)).to_have_text("Draft")
    expect(page.locator("p.aim")).to_have_text(
        f"Aim: Reduce evening incidents of aggression by 30% by {long_date(aim_by)}"
    )
    expect(detail(page, "Priorities")).to_have_text(PRIORITY)
    expect(detail(page, "Proposed by")).to_have_text(MEMBER_NAME)
    expect(detail(page, "Unit")).to_contain_text(ward)
    expect(page.locator("section#forum")).to_contain_text("Not yet submitted.")

    # The home page asks for the team.
    page.goto(base + "/")
    expect(page.locator("section.my-tasks")).to_contain_text(f"Add your team to “{title}” and submit it to the forum.")
    page.locator("section.my-tasks").get_by_role("link", name=re.compile(re.escape(title))).click()
    expect(page).to_have_url(base + project_path)

    # A service user joins the team as a full partner.
    team = page.locator("section#team")
    team.locator("summary", has_text="Add someone to the team").click()
    # Found by name: the demo's service user co-chair of the forum, the only one so called.
    person = "Tendai Moyo"
    team.locator("#add-member-field-person").fill("tendai moyo")
    team.locator("#add-member-field-role").fill("Expert by experience")
    team.locator("#add-member-field-involvement").select_option("full_partner")
    team.get_by_role("button", name="Add to team").click()
    expect(page).to_have_url(PROJECT_URL)
    expect(page.locator("div.notice")).to_contain_text(f"{person} joined the team.")
    row = page.locator("section#team table tbody tr").filter(has=page.get_by_role("link", name=person, exact=True))
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text("Expert by experience")
    expect(row.locator("td").nth(2)).to_have_text("Service user")
    expect(row.locator("td").nth(3)).to_have_text("Full partner")
    lead = page.locator("section#team table tbody tr").filter(has=page.get_by_role("link", name=MEMBER_NAME, exact=True))
    expect(lead.locator("td").nth(1)).to_contain_text("(lead)")

    # Submitted to the forum.
    page.get_by_role("button", name="Submit to the forum").click()
    expect(page).to_have_url(PROJECT_URL)
    # The notice names the forum that will decide, so the lead knows where it went.
    expect(page.locator("div.notice")).to_contain_text(
        re.compile(rf"^“{re.escape(title)}” was submitted to the .*› {FORUM} forum, which decides on proposals from ")
    )
    expect(page.locator("div.notice")).not_to_contain_text("Nobody chairs")  # the demo's forum has a chair
    expect(status_tag(page)).to_have_text("Proposed")
    expect(page.get_by_role("button", name="Submit to the forum")).to_have_count(0)
    expect(page.locator("section#forum")).to_contain_text("No decision yet.")
    sign_out(page, base)

    # --- The forum chair schedules a meeting and decides -------------------------------------
    sign_in_as(page, base, CHAIR, CHAIR_NAME)
    tasks = page.locator("section.my-tasks")
    waiting = tasks.locator("li").filter(has_text=re.compile(rf"\d+ proposals? waits? for the .*{FORUM} forum\."))
    expect(waiting).to_have_count(1)
    forum_path = waiting.get_by_role("link").get_attribute("href")

    nav_link(page, "Forums").click()
    expect(page).to_have_url(base + "/forums")
    page.get_by_role("link", name=re.compile(rf"› {FORUM}$")).click()
    expect(page).to_have_url(base + forum_path)
    expect(page.locator("h1")).to_contain_text(f"{FORUM} QI forum")
    meeting_day = in_a_month(today)
    page.fill("#schedule-meeting-field-date", meeting_day.isoformat())
    page.fill("#schedule-meeting-field-notes", "Boardroom, 2 pm.")
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page).to_have_url(re.compile(r"/meetings/[0-9A-Fa-f-]{36}(#notice)?$"))
    meeting_path = page.url.removeprefix(base).split("#")[0]
    expect(page.locator("h1")).to_contain_text(f"{FORUM} QI forum")
    expect(page.locator("h1")).to_contain_text(str(meeting_day.year))

    proposal = page.locator("section#proposals li.proposal").filter(
        has=page.get_by_role("link", name=title, exact=True)
    )
    expect(proposal).to_have_count(1)
    expect(proposal.get_by_role("link", name=title, exact=True)).to_have_attribute("href", project_path)
    expect(proposal).to_contain_text("Reduce evening incidents of aggression by 30%")

    # The form asks for the decision first, and then only what that decision needs.
    proposal.locator("summary", has_text="Record the forum’s decision").click()
    coach = proposal.locator("select[name=coach_id]")
    expect(coach).to_be_hidden()
    proposal.get_by_role("radio", name=re.compile("^Approve")).check()
    expect(coach).to_be_visible()
    expect(proposal.locator("input[name=defer_until]")).to_be_hidden()
    # Each coach is offered with their unit and the projects they already coach.
    expect(coach.locator("option").filter(has_text=re.compile(rf"^{COACH_NAME} — .+ · coaches "))).to_have_count(1)

    # Approving needs a coach.
    choose_person(proposal, "sponsor_id", SPONSOR_NAME)
    proposal.get_by_role("button", name="Record decision").click()
    proposal = page.locator("section#proposals li.proposal").filter(
        has=page.get_by_role("link", name=title, exact=True)
    )
    # The page comes back at this proposal's form, open, with what was chosen and what to fix.
    expect(page).to_have_url(re.compile(r"#decision-[0-9a-f-]{36}-errors$"))
    expect(proposal.locator("[id$='-field-coach_id-error']")).to_contain_text("Choose a QI coach")
    expect(proposal.locator("details")).to_have_attribute("open", re.compile(".*"))
    expect(proposal.get_by_role("radio", name=re.compile("^Approve"))).to_be_checked()
    expect(proposal).not_to_contain_text("Decided at this meeting")

    # With a coach and a sponsor it is approved.
    choose_person(proposal, "coach_id", COACH_NAME)
    choose_person(proposal, "sponsor_id", SPONSOR_NAME)
    proposal.get_by_role("button", name="Record decision").click()
    expect(page).to_have_url(re.compile(re.escape(meeting_path) + r"(#.*)?$"))
    proposal = page.locator("section#proposals li.proposal").filter(
        has=page.get_by_role("link", name=title, exact=True)
    )
    expect(proposal.locator("p.notice")).to_have_text("Decided at this meeting: Approved.")
    expect(proposal.locator("input[name=decision]")).to_have_count(0)

    # The project is active, with its coach, its sponsor and the decision.
    proposal.get_by_role("link", name=title, exact=True).click()
    expect(page).to_have_url(base + project_path)
    expect(status_tag(page)).to_have_text("Active")
    expect(detail(page, "QI coach")).to_have_text(COACH_NAME)
    expect(detail(page, "Sponsor")).to_have_text(SPONSOR_NAME)
    decision = page.locator("section#forum ol.decisions li")
    expect(decision).to_have_count(1)
    expect(decision).to_contain_text(re.compile(r"^Approved on .+ — By " + re.escape(CHAIR_NAME)))
    expect(decision).to_contain_text(f"coach {COACH_NAME}; sponsor {SPONSOR_NAME}")
    expect(decision.get_by_role("link", name=re.compile("meeting"))).to_have_attribute("href", meeting_path)
    sign_out(page, base)

    # --- The team posts an update -------------------------------------------------------------
    sign_in_as(page, base, MEMBER, MEMBER_NAME)
    page.goto(base + project_path)
    expect(page.locator("section#updates")).to_contain_text("No updates yet.")
    expect(page.locator("svg.progress-chart")).to_have_count(0)
    updates = page.locator("section#updates")
    updates.locator("summary", has_text="Post an update").click()
    updates.locator("#post-update-field-update_date").fill(today.isoformat())
    updates.locator("#post-update-field-score").select_option("3.5")
    updates.locator("#post-update-field-stage").select_option("test")
    updates.locator("#post-update-field-did").fill("Tested a quiet hour from 7 pm for two weeks.")
    updates.locator("#post-update-field-learned").fill("Incidents fell when the lounge TV was off.")
    updates.locator("#post-update-field-next_steps").fill("Try it on every evening for a month.")
    updates.locator("#post-update-field-sponsor_ask").fill(sponsor_ask)
    updates.get_by_role("button", name="Post update").click()
    expect(page).to_have_url(PROJECT_URL)
    expect(page.locator("div.notice")).to_contain_text("Your update was posted.")
    expect(detail(page, "Progress score")).to_have_text("3.5 — Improvement")
    expect(detail(page, "Stage")).to_have_text("Test (PDSA cycles)")
    expect(page.locator("section#updates svg.progress-chart")).to_have_count(1)
    posted = page.locator("section#updates ol.updates li")
    expect(posted).to_have_count(1)
    expect(posted.locator("h3 .tag")).to_have_text("Score 3.5")
    expect(posted).to_contain_text(f"By {MEMBER_NAME}")
    expect(posted).to_contain_text(sponsor_ask)
    sign_out(page, base)

    # --- The sponsor sees the ask -------------------------------------------------------------
    sign_in_as(page, base, SPONSOR, SPONSOR_NAME)
    expect(page.locator("section.my-tasks")).to_contain_text(f"“{title}” asks its sponsor: {sponsor_ask}")
    ask = page.locator("section.my-tasks").get_by_role("link", name=re.compile(re.escape(title)))
    expect(ask).to_have_count(1)
    ask.click()
    expect(page).to_have_url(re.compile(re.escape(base + project_path) + r"(#updates)?$"))
    sign_out(page, base)

    # --- The audit log records the project ----------------------------------------------------
    sign_in_as(page, base, ADMIN, re.compile(".+"))
    nav_link(page, "Audit log").click()
    rows = page.locator("table.audit-log tbody tr").filter(
        has=page.locator("td:nth-child(3)", has_text=re.compile("^" + re.escape(f"created project {title}") + r"(\s|$)"))
    )
    expect(rows).to_have_count(1)
    expect(rows.locator("td").nth(1)).to_have_text(MEMBER_NAME)
    expect(rows.locator("td").nth(2).get_by_role("link", name=title, exact=True)).to_have_attribute(
        "href", project_path
    )


def choose_person(form: Locator, field: str, name: str) -> None:
    """Chooses `name` in a list of people, where each is offered as "Name — their unit · …"."""
    select = form.locator(f"select[name={field}]")
    option = select.locator("option").filter(has_text=re.compile(rf"^{re.escape(name)} — "))
    select.select_option(option.first.get_attribute("value"))


def open_form(section: Locator, summary: str) -> None:
    """Opens a folded form (a <details>) by its summary."""
    section.locator("summary", has_text=summary).first.click()


def test_a_team_runs_a_whole_project_from_idea_to_story(demo, page: Page):
    """Propose with a service user on the team → the forum approves with a coach and a sponsor →
    driver diagram → a measure with 20 weeks of pasted data → a PDSA cycle that marks the chart →
    10 more weeks (typed into the grid and pasted) show the signal → update with score 3.5 →
    completed with the aim achieved → a publishable story with the live chart."""
    base = demo.base_url
    today = dt.datetime.now(dt.timezone.utc).date()
    suffix = uuid.uuid4().hex[:8]
    title = f"Fewer falls at night {suffix}"
    first_week = today - dt.timedelta(days=today.weekday() + 7 * 30)  # a Monday 30 weeks ago
    weeks = [first_week + dt.timedelta(weeks=i) for i in range(30)]
    before = [8, 9, 7, 8, 10, 8, 7, 9, 8, 8, 7, 9, 8, 10, 8, 9, 7, 8, 9, 8]
    after = [4, 3, 3, 2, 4, 3, 2, 3, 3, 2]

    # --- Proposal with a service user, submitted ----------------------------------------------
    sign_in_as(page, base, MEMBER, MEMBER_NAME)
    page.goto(base + "/projects/new")
    page.fill("#field-title", title)
    page.fill("#field-what_matters", "Older people on the ward and their families fear falls at night.")
    page.fill("#field-problem", "About eight falls a week, most between midnight and 6 am.")
    page.fill("#field-aim_what", "Reduce falls at night")
    page.fill("#field-aim_how_much", "by 50%")
    page.fill("#field-aim_by_when", today.replace(year=today.year + 1, day=min(today.day, 28)).isoformat())
    page.get_by_role("button", name="Save draft").click()
    expect(page).to_have_url(PROJECT_URL)
    project_path = re.sub(r"#.*$", "", page.url.removeprefix(base))
    team = page.locator("section#team")
    open_form(team, "Add someone to the team")
    # A search several people match (a common surname) offers them to choose from, keeping what
    # else was typed.
    team.locator("#add-member-field-person").fill("Khan")
    team.locator("#add-member-field-role").fill("Expert by experience")
    team.locator("#add-member-field-involvement").select_option("full_partner")
    team.get_by_role("button", name="Add to team").click()
    team = page.locator("section#team")
    expect(team.locator(".error-summary, .field-error").first).to_contain_text("people match “Khan”")
    expect(team.locator("#add-member-field-role")).to_have_value("Expert by experience")
    # Each namesake is offered as a choice, told apart by their role and unit.
    namesakes = team.get_by_role("radio", name=re.compile(r"Khan — "))
    expect(namesakes.nth(1)).to_be_visible()
    expect(namesakes.first).to_have_accessible_name(re.compile(r"Khan — \w.* › "))
    # The one meant, by the whole address the lead knows: one match joins at once.
    page.goto(base + project_path)
    team = page.locator("section#team")
    open_form(team, "Add someone to the team")
    team.locator("#add-member-field-person").fill("forum-chair@example.org")
    team.locator("#add-member-field-role").fill("Expert by experience")
    team.locator("#add-member-field-involvement").select_option("full_partner")
    team.get_by_role("button", name="Add to team").click()
    expect(page.locator("div.notice")).to_contain_text("Tendai Moyo joined the team.")
    page.get_by_role("button", name="Submit to the forum").click()
    expect(status_tag(page)).to_have_text("Proposed")
    sign_out(page, base)

    # --- The forum approves with a coach and a sponsor ----------------------------------------
    sign_in_as(page, base, CHAIR, CHAIR_NAME)
    page.goto(base + "/forums")
    page.get_by_role("link", name=re.compile(rf"› {FORUM}$")).click()
    page.fill("#schedule-meeting-field-date", in_a_month(today).isoformat())
    page.get_by_role("button", name="Schedule meeting").click()
    proposal = page.locator("section#proposals li.proposal").filter(has=page.get_by_role("link", name=title, exact=True))
    open_form(proposal, "Record the forum’s decision")
    proposal.get_by_role("radio", name=re.compile("^Approve")).check()
    choose_person(proposal, "coach_id", COACH_NAME)
    choose_person(proposal, "sponsor_id", SPONSOR_NAME)
    proposal.get_by_role("button", name="Record decision").click()
    page.goto(base + project_path)
    expect(status_tag(page)).to_have_text("Active")
    sign_out(page, base)

    # --- The team builds its driver diagram ---------------------------------------------------
    sign_in_as(page, base, MEMBER, MEMBER_NAME)
    page.goto(base + project_path)
    expect(page.locator("section#driver-diagram")).to_contain_text("No driver diagram yet")
    page.get_by_role("link", name="Build the driver diagram").click()
    expect(page).to_have_url(base + project_path + "/driver-diagram")
    editor = page.locator("section#edit")
    open_form(editor, "Add a primary driver")
    editor.locator("#add-primary-field-text").fill("Safe sleep and mobility at night")
    editor.get_by_role("button", name="Add primary driver").click()
    expect(page.locator("div.notice")).to_contain_text("was added to the diagram.")

    # A secondary driver needs its primary: the form says so and keeps the text.
    open_form(editor, "Add a secondary driver")
    secondary_form = editor.locator("form", has=page.get_by_role("button", name="Add secondary driver"))
    secondary_form.locator("#add-secondary-field-text").fill("Staff see who is at risk")
    secondary_form.get_by_role("button", name="Add secondary driver").click()
    # The page comes back at the form, which says what is missing and keeps the text.
    expect(page).to_have_url(re.compile(r"#add-secondary-errors$"))
    expect(page.locator("#add-secondary-field-primary_ids-error")).to_contain_text("Choose at least one primary driver")
    secondary_form = page.locator("section#edit form", has=page.get_by_role("button", name="Add secondary driver"))
    expect(secondary_form.locator("#add-secondary-field-text")).to_have_value("Staff see who is at risk")
    secondary_form.get_by_role("checkbox", name="Safe sleep and mobility at night").check()
    secondary_form.get_by_role("button", name="Add secondary driver").click()
    expect(page.locator("div.notice")).to_contain_text("“Staff see who is at risk” was added")

    open_form(page.locator("section#edit"), "Add a change idea")
    idea_form = page.locator("section#edit form", has=page.get_by_role("button", name="Add change idea"))
    idea_form.locator("#add-idea-field-title").fill("Falls huddle at night handover")
    idea_form.get_by_role("checkbox", name="Staff see who is at risk (secondary)").check()
    idea_form.get_by_role("button", name="Add change idea").click()
    expect(page.locator("div.notice")).to_contain_text("Plan a PDSA cycle to test it.")
    diagram = page.locator("div.driver-diagram svg")
    expect(diagram).to_have_count(1)
    expect(diagram.locator("g.box")).to_have_count(4)  # aim, primary, secondary, change idea
    expect(diagram.locator("g.change-idea")).to_contain_text("Falls huddle")
    expect(page.locator("section#outline ul.outline")).to_contain_text("Falls huddle at night handover")

    # --- A measure with 20 weeks of pasted data -----------------------------------------------
    page.goto(base + project_path)
    page.get_by_role("link", name="Add a measure").click()
    page.fill("#field-name", "Falls at night per week")
    page.select_option("#field-kind", "outcome")
    page.fill("#field-definition", "Falls between 8 pm and 8 am recorded on Datix, Monday to Sunday.")
    page.fill("#field-unit_of_measure", "falls")
    page.select_option("#field-frequency", "weekly")
    page.select_option("#field-chart_type", "i")
    page.select_option("#field-rules", "mdc")
    page.select_option("#field-direction", "down")
    page.get_by_role("button", name="Add measure").click()
    expect(page).to_have_url(re.compile(r"/measures/[0-9A-Fa-f-]{36}(#notice)?$"))
    measure_path = page.url.removeprefix(base).split("#")[0]
    pasted = "\n".join(f"{weeks[i].isoformat()}\t{v}" for i, v in enumerate(before))
    page.fill("#field-data", pasted)
    page.get_by_role("button", name="Check the data").click()
    expect(page.locator("div.preview")).to_contain_text("20 new periods and 0 changed")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("div.notice")).to_contain_text("Imported 20 new periods and changed 0.")
    expect(page.locator("svg .point.improvement")).to_have_count(0)

    # --- A PDSA cycle, started on week 21 and marked on the chart -----------------------------
    page.goto(base + project_path)
    ideas = page.locator("section#change-ideas")
    expect(ideas).to_contain_text("not tested yet")
    ideas.get_by_role("link", name="Plan a PDSA cycle").click()
    page.fill("#field-objective", "Test a five-minute falls huddle at the night handover")
    page.fill("#field-question", "Can the night team run it every night, and do falls drop?")
    page.fill("#field-prediction", "It takes under five minutes and falls halve within a month.")
    page.fill("#field-who", "Night nurse in charge with the expert by experience")
    page.fill("#field-what", "Name every person at high risk and agree one action each")
    page.fill("#field-where", "The ward office at 8 pm")
    page.fill("#field-planned_start", weeks[20].isoformat())
    page.get_by_role("checkbox", name=re.compile("Falls at night per week")).check()
    page.get_by_role("button", name="Plan the cycle").click()
    expect(page).to_have_url(re.compile(r"/cycles/[0-9A-Fa-f-]{36}(#notice)?$"))
    cycle_path = page.url.removeprefix(base).split("#")[0]
    expect(page.locator("h1")).to_contain_text("PDSA 1 · Falls huddle at night handover")
    expect(page.locator("h1 .tag")).to_have_text("Planned")
    expect(page.locator("#start-form-field-started_on")).to_have_value(weeks[20].isoformat())
    expect(page.get_by_role("checkbox", name=re.compile("Mark the start on the charts"))).to_be_checked()
    page.get_by_role("button", name="Start the cycle").click()
    expect(page.locator("div.notice")).to_contain_text("Its start is marked on the watched charts.")
    expect(page.locator("h1 .tag")).to_have_text("Running")

    # --- 10 more weeks: four typed into the grid, six pasted ----------------------------------
    page.goto(base + measure_path)
    grid = page.locator("form.data-grid")
    for i in range(20, 24):
        grid.get_by_role("textbox", name=f"Value for {weeks[i].isoformat()}").fill(str(after[i - 20]))
    grid.get_by_role("button", name="Save the values").click()
    expect(page.locator("div.notice")).to_contain_text("Saved 4 new periods and changed 0.")
    page.fill("#field-data", "\n".join(f"{weeks[i].isoformat()}\t{after[i - 20]}" for i in range(24, 30)))
    page.get_by_role("button", name="Check the data").click()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("div.notice")).to_contain_text("Imported 6 new periods and changed 0.")
    chart = page.locator("svg.spc-chart").first
    expect(chart.locator("g.annotations")).to_contain_text("PDSA 1 started: Falls huddle at night handover")
    assert chart.locator(".point.improvement").count() >= 7, "the drop after the change is a signal"
    expect(page.locator(".chart-summary")).to_contain_text("improvement")

    # --- Do, Study, Act: adopt ----------------------------------------------------------------
    page.goto(base + cycle_path)
    open_form(page.locator("main"), "Record Do and Study")
    page.fill("#study-form-field-do_notes", "Ran on 26 of 28 nights; it took four minutes.")
    page.fill("#study-form-field-study_notes", "Falls fell from about 8 to 3 a week: a run below the mean and points below the limit.")
    page.get_by_role("button", name="Save Do and Study").click()
    expect(page.locator("section#study")).to_contain_text("Falls fell from about 8 to 3 a week")
    page.select_option("#act-form-field-decision", "adopt")
    page.fill("#act-form-field-act_notes", "The huddle is part of every night handover from now on.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("h1 .tag")).to_have_text("Complete")
    expect(page.locator("section#act")).to_contain_text("Adopt: make it part of how we work")

    # --- An update with score 3.5, then completion with the aim achieved ----------------------
    page.goto(base + project_path)
    expect(page.locator("section#change-ideas ol.ramp")).to_contain_text("PDSA 1 · Adopt")
    updates = page.locator("section#updates")
    open_form(updates, "Post an update")
    updates.locator("#post-update-field-update_date").fill(today.isoformat())
    updates.locator("#post-update-field-score").select_option("3.5")
    updates.locator("#post-update-field-stage").select_option("implement")
    updates.locator("#post-update-field-did").fill("Adopted the night huddle after one PDSA cycle.")
    updates.locator("#post-update-field-learned").fill("Naming each person at risk mattered more than the checklist.")
    updates.locator("#post-update-field-next_steps").fill("Hand the huddle to the ward manager to sustain.")
    updates.get_by_role("button", name="Post update").click()
    expect(detail(page, "Progress score")).to_have_text("3.5 — Improvement")

    open_form(page.locator("main"), "Close the project")
    page.select_option("#close-field-outcome", "completed")
    page.select_option("#close-field-aim_achieved", "yes")
    page.fill("#close-field-learning", "A short, named huddle beats a long checklist.")
    page.fill("#close-field-sustain_plan", "The ward manager checks the huddle log weekly; the chart is reviewed monthly.")
    page.get_by_role("button", name="Close the project").click()
    expect(status_tag(page)).to_have_text("Completed")
    expect(page.locator("section#closure")).to_contain_text("Aim achieved: Yes")

    # --- The story, with its chart, publishable -----------------------------------------------
    page.locator("section#stories").get_by_role("link", name="Write a story").click()
    page.locator("summary", has_text="Embed a chart").click()
    embed = page.locator("ul.chart-embeds code").first.inner_text()
    assert embed.startswith("![Falls at night per week](chart:"), embed
    page.fill("#field-title", f"Safer nights {suffix}")
    page.fill("#field-body", f"## What we did\n\nA **five-minute huddle** at the night handover.\n\n{embed}\n")
    page.get_by_role("checkbox", name=re.compile("Publishable")).check()
    page.get_by_role("button", name="Save the story").click()
    expect(page).to_have_url(re.compile(r"/stories/[0-9A-Fa-f-]{36}(#notice)?$"))
    expect(page.locator("h1 .tag")).to_have_text("Publishable")
    expect(page.locator(".story-body h2")).to_have_text("What we did")
    expect(page.locator(".story-body strong")).to_have_text("five-minute huddle")
    expect(page.locator(".story-body .story-chart svg")).to_have_count(1)
    expect(page.locator(".story-body .story-chart svg g.annotations")).to_contain_text("PDSA 1 started")


def test_a_lead_invites_a_carer_not_on_the_list_and_the_qi_team_approves_the_record(demo, page: Page):
    """Issue 18, item 4: a project lead invites a carer who is not on the People list; they join the
    team at once, marked as awaiting approval; the QI team finds the record among their tasks and
    approves it."""
    from test_accessibility import violations

    base = demo.base_url
    sign_in_as(page, base, MEMBER, MEMBER_NAME)
    page.goto(base + "/projects?mine=team")
    page.locator("table a[href^='/projects/']").first.click()
    expect(page).to_have_url(PROJECT_URL)
    project_url = page.url
    team = page.locator("section#team")
    open_form(team, "Invite a service user or carer")
    name = f"Ruth Adebayo {uuid.uuid4().hex[:6]}"
    page.fill("#invite-member-field-full_name", name)
    team.get_by_role("radio", name="Carer", exact=True).check()
    page.get_by_role("button", name="Invite to the team").click()
    # The role is missing: the form comes back open at itself, with what was typed.
    expect(page).to_have_url(re.compile(r"#invite-member-errors$"))
    expect(page.locator("form#invite-member .error-summary")).to_contain_text("Enter their role on the team.")
    # Focus is on what to fix, so a screen reader reads it and Tab reaches its links.
    expect(page.locator("form#invite-member .error-summary")).to_be_focused()
    expect(page.locator("#invite-member-field-full_name")).to_have_value(name)
    expect(page.get_by_role("radio", name="Carer", exact=True)).to_be_checked()
    page.fill("#invite-member-field-role", "Carer and peer researcher")
    page.get_by_role("button", name="Invite to the team").click()
    expect(page.locator("div.notice")).to_contain_text(f"{name} joined the team. Their record waits for approval")
    row = page.locator("section#team table tbody tr").filter(has=page.get_by_role("link", name=name, exact=True))
    expect(row.locator(".tag")).to_have_text("Awaiting approval")
    expect(row.locator("td").nth(2)).to_have_text("Carer")
    sign_out(page, base)

    sign_in_as(page, base, "qi-team@example.org", "Priya Raman")
    task = page.locator("section.my-tasks li").filter(has_text=re.compile(r"invited onto (a project team|project teams)"))
    expect(task).to_have_count(1)
    task.get_by_role("link").click()
    if "/people?" in page.url:  # several wait: the list of them
        page.get_by_role("link", name=name, exact=True).click()
    expect(page.locator("h1")).to_contain_text(name)
    expect(page.locator(".awaiting-approval")).to_contain_text(f"{MEMBER_NAME} invited {name} onto a project team")
    assert violations(page) == []
    page.get_by_role("button", name="Approve the record").click()
    expect(page.locator("div.notice")).to_contain_text(f"{name}’s record is approved.")
    expect(page.locator(".awaiting-approval")).to_have_count(0)
    page.goto(project_url)
    expect(row.locator(".tag")).to_have_count(0)
