"""Issue 19, programmes, in a real browser on the demo trust: the QI team starts a collaborative,
moves it through its stages with dated decisions, is refused "deliver" with each missing thing named
until the aim, a driver diagram, a standard measure and an executive sponsor are set, recruits three
teams whose forum approves them, a team enters data on the measure it was given and tests one of the
programme's change ideas (which the spread matrix shows), and the programme delivers and is
evaluated. axe-core finds nothing serious on the programme's pages."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from playwright.sync_api import Locator, Page, expect

from conftest import sign_in
from test_accessibility import violations

PASSWORD = "demo"
QI_TEAM, QI_NAME = "qi-team@example.org", "Priya Raman"
CHAIR = "forum-chair@example.org"  # Tendai Moyo, chair of the Adult Mental Health forum
COACH_NAME, SPONSOR_NAME = "Sam Whitfield", "Helen Osei"
TRUST = "East Riverside NHS Foundation Trust"
FORUM = "Adult Mental Health"


@pytest.fixture(scope="module")
def demo(start_server):
    return start_server("--demo")


def sign_in_as(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, email, PASSWORD)
    expect(page.locator(".viewer-name")).to_be_visible()


def decide(page: Page, stage: str, note: str) -> None:
    """Records a stage decision from the programme's page."""
    form = page.locator("form#stage-form")
    form.get_by_role("radio", name=re.compile(rf"^(Back to )?{stage}:")).check()
    form.locator("textarea[name=note]").fill(note)
    form.get_by_role("button", name="Record the decision").click()


def choose_person(form: Locator, field: str, name: str) -> None:
    select = form.locator(f"select[name={field}]")
    option = select.locator("option").filter(has_text=re.compile(rf"^{re.escape(name)} — "))
    select.select_option(option.first.get_attribute("value"))


def test_a_qi_team_runs_a_collaborative_from_scoping_to_evaluation(demo, page: Page):
    base = demo.base_url
    today = dt.datetime.now(dt.timezone.utc).date()
    name = f"Falls collaborative {uuid.uuid4().hex[:6]}"
    found: dict[str, list[str]] = {}

    # --- The QI team starts it ---------------------------------------------------------------
    sign_in_as(page, base, QI_TEAM)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programmes").click()
    expect(page.locator("h1")).to_have_text("Programmes")
    expect(page.get_by_role("link", name="Violence reduction", exact=True)).to_be_visible()
    found["programmes"] = violations(page)
    page.get_by_role("link", name="Start a programme").click()
    page.get_by_role("button", name="Start the programme").click()
    expect(page).to_have_url(re.compile(r"#programme-form-errors$"))
    expect(page.locator("#programme-form-errors")).to_contain_text("Enter a name.")
    found["the programme form with its errors"] = violations(page)
    page.fill("#programme-form-field-name", name)
    page.locator("#programme-form-field-unit_id").select_option(label=TRUST)
    page.locator("#programme-form-field-priority_id").select_option(label="Reducing violence and restrictive practice")
    page.get_by_role("button", name="Start the programme").click()
    # A browser keeps the form's fragment through the redirect; the page has no such element.
    expect(page).to_have_url(re.compile(r"/programmes/[0-9A-Fa-f-]{36}(#.*)?$"))
    programme_path = re.sub(r"#.*$", "", page.url.removeprefix(base))
    expect(page.locator("h1")).to_contain_text(name)
    expect(page.locator("h1 .tag")).to_have_text("Scope")
    expect(page.locator("nav.ramp [aria-current=step]")).to_have_text("Scope")
    for missing in ["It has no aim.", "It has no driver diagram.", "It has no standard measure.", "It has no executive sponsor."]:
        expect(page.locator(".awaiting-approval")).to_contain_text(missing)
    found["a programme"] = violations(page)

    # --- A stage at a time, each a dated decision --------------------------------------------
    decide(page, "Design", "The board agreed the scope.")
    expect(page.locator("div.notice")).to_contain_text(f"“{name}” moved to design.")
    decide(page, "Recruit", "Theory of change agreed at the design day.")
    expect(page.locator("h1 .tag")).to_have_text("Recruit")
    history = page.locator("section#stages ol.updates li")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("Design → Recruit")
    expect(history.first).to_contain_text("Theory of change agreed at the design day.")

    # "Deliver" is refused, each missing thing named, the note kept.
    decide(page, "Deliver", "The first teams are ready.")
    expect(page).to_have_url(re.compile(r"#stage-form-errors$"))
    errors = page.locator("#stage-form-errors")
    for missing in ["It has no aim.", "It has no driver diagram.", "It has no standard measure.", "It has no executive sponsor."]:
        expect(errors).to_contain_text(missing)
    expect(page.locator("form#stage-form textarea[name=note]")).to_have_value("The first teams are ready.")
    expect(page.locator("h1 .tag")).to_have_text("Recruit")
    found["a refused stage decision"] = violations(page)

    # The aim and a standard measure, then an executive sponsor found by name.
    page.get_by_role("link", name="Edit the programme", exact=True).click()
    page.fill("#programme-form-field-aim", "Reduce falls on our wards by 25% within 18 months")
    page.get_by_role("checkbox", name="Falls", exact=True).check()
    found["a programme's edit form"] = violations(page)
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("div.notice")).to_contain_text("were saved")
    expect(page.locator("section#measures")).to_contain_text("Falls")
    people = page.locator("section#people")
    people.locator("summary", has_text="Add a person").click()
    people.locator("#add-person-field-person").fill(SPONSOR_NAME)
    people.locator("#add-person-field-role").select_option("executive_sponsor")
    people.get_by_role("button", name="Add to the programme").click()
    expect(page.locator("div.notice")).to_contain_text(f"{SPONSOR_NAME} joined “{name}” as executive sponsor.")
    expect(page.locator("section#people table")).to_contain_text("Executive sponsor")
    expect(page.locator(".awaiting-approval")).not_to_contain_text("It has no executive sponsor.")

    # The change package: the programme's driver diagram, drawn in the same editor as a team's.
    page.get_by_role("link", name="Driver diagram", exact=True).click()
    expect(page.locator("h1")).to_have_text("Driver diagram")
    expect(page.locator("nav.breadcrumbs")).to_contain_text(name)
    editor = page.locator("section#edit")
    editor.locator("summary", has_text="Add a primary driver").click()
    editor.locator("#add-primary-field-text").fill("Safe mobility at night")
    editor.get_by_role("button", name="Add primary driver").click()
    expect(page.locator("div.notice")).to_contain_text("“Safe mobility at night” was added")
    editor = page.locator("section#edit")
    editor.locator("summary", has_text="Add a change idea").click()
    idea_form = editor.locator("form", has=page.get_by_role("button", name="Add change idea"))
    idea_form.locator("#add-idea-field-title").fill("Hip protectors at night")
    idea_form.get_by_role("checkbox", name="Safe mobility at night (primary)").check()
    idea_form.get_by_role("button", name="Add change idea").click()
    expect(page.locator("div.notice")).to_contain_text("Teams can now say they adapt it.")
    expect(page.locator("section#outline")).to_contain_text("no team adapts it yet")
    found["a programme's driver diagram"] = violations(page)
    page.locator("nav.breadcrumbs").get_by_role("link", name=name).click()
    expect(page.locator(".awaiting-approval")).to_have_count(0)

    # --- Three teams propose projects for it; their forum approves them ----------------------
    page.goto(base + "/projects/new")
    wards = page.locator("#field-unit_id").evaluate(
        f"""s => {{
            const options = [...s.options].map(o => o.text);
            const start = options.indexOf("— {FORUM}");
            const rest = options.slice(start + 1);
            const end = rest.findIndex(t => !t.startsWith("— — "));
            return rest.slice(0, end < 0 ? rest.length : end).map(t => t.slice(4)).slice(0, 3);
        }}"""
    )
    assert len(wards) == 3, wards
    aim_by = today.replace(year=today.year + 1, day=min(today.day, 28))
    titles = []
    for ward in wards:
        title = f"Fewer falls on {ward} {uuid.uuid4().hex[:4]}"
        titles.append(title)
        page.goto(base + "/projects/new")
        page.fill("#field-title", title)
        page.locator("#field-unit_id").select_option(label=f"— — {ward}")
        page.fill("#field-what_matters", "People on the ward told us falls frighten them.")
        page.fill("#field-problem", "Four falls a month, most at night.")
        page.fill("#field-aim_what", "Reduce falls")
        page.fill("#field-aim_how_much", "by 25%")
        page.fill("#field-aim_by_when", aim_by.isoformat())
        page.locator("#field-programme_id").select_option(label=name)
        page.get_by_role("button", name="Save draft").click()
        expect(page.locator("div.notice")).to_contain_text("was saved as a draft")
        page.get_by_role("button", name="Submit to the forum").click()
        expect(page.locator("div.notice")).to_contain_text("was submitted to the")
    page.goto(base + programme_path)
    expect(page.locator("section#teams")).to_contain_text("Proposed, waiting for their forums (3)")

    sign_in_as(page, base, CHAIR)
    page.goto(base + "/forums")
    page.get_by_role("link", name=re.compile(rf"› {FORUM}$")).click()
    page.fill("#schedule-meeting-field-date", today.isoformat())
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page).to_have_url(re.compile(r"/meetings/[0-9A-Fa-f-]{36}(#notice)?$"))
    for title in titles:
        proposal = page.locator("section#proposals li.proposal").filter(
            has=page.get_by_role("link", name=title, exact=True))
        proposal.locator("summary", has_text="Record the forum’s decision").click()
        proposal.get_by_role("radio", name=re.compile("^Approve")).check()
        choose_person(proposal, "coach_id", COACH_NAME)
        choose_person(proposal, "sponsor_id", SPONSOR_NAME)
        proposal.get_by_role("button", name="Record decision").click()
        proposal = page.locator("section#proposals li.proposal").filter(
            has=page.get_by_role("link", name=title, exact=True))
        expect(proposal.locator("p.notice")).to_have_text("Decided at this meeting: Approved.")

    # --- Each team counts the programme's standard measure; one enters data ------------------
    sign_in_as(page, base, QI_TEAM)  # who proposed the three projects, and leads them
    page.goto(base + programme_path)
    expect(page.locator("section#teams h2")).to_have_text("Teams (3)")
    page.get_by_role("link", name=titles[0], exact=True).click()
    page.locator("section#measures").get_by_role("link", name="Falls", exact=True).first.click()
    expect(page.locator("dl.details")).to_contain_text("Standard measure")
    expect(page.locator("dl.details")).to_contain_text("Falls, version 1")
    monday = today - dt.timedelta(days=today.weekday())
    weeks = [monday - dt.timedelta(weeks=4 - i) for i in range(4)]  # the last four whole weeks
    # Falls are a rate: each week's count over its occupied bed days.
    page.fill("#field-data", "\n".join(f"{week.isoformat()}\t{falls}\t140" for week, falls in zip(weeks, [4, 5, 3, 4])))
    page.get_by_role("button", name="Check the data").click()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("div.notice")).to_contain_text("Imported 4 new periods and changed 0.")

    # The team adapts one of the programme's change ideas and plans a PDSA cycle to test it.
    page.goto(base + "/projects")
    page.get_by_role("link", name=titles[0], exact=True).first.click()
    team_path = page.url.removeprefix(base).split("#")[0]
    page.goto(base + team_path + "/driver-diagram")
    editor = page.locator("section#edit")
    editor.locator("summary", has_text="Add a primary driver").click()
    editor.locator("#add-primary-field-text").fill("Nobody falls at night")
    editor.get_by_role("button", name="Add primary driver").click()
    editor = page.locator("section#edit")
    editor.locator("summary", has_text="Add a change idea").click()
    idea_form = editor.locator("form", has=page.get_by_role("button", name="Add change idea"))
    idea_form.locator("#add-idea-field-title").fill("Hip protectors on our ward")
    idea_form.get_by_role("checkbox", name="Nobody falls at night (primary)").check()
    idea_form.get_by_label("The programme’s change idea it adapts").select_option(label="Hip protectors at night")
    idea_form.get_by_role("button", name="Add change idea").click()
    expect(page.locator("div.notice")).to_contain_text("Plan a PDSA cycle to test it.")
    expect(page.locator("section#outline")).to_contain_text("Adapts “Hip protectors at night”")
    found["a team's driver diagram in a programme"] = violations(page)
    page.goto(base + team_path)
    page.locator("section#change-ideas").get_by_role("link", name="Plan a PDSA cycle").click()
    page.fill("#field-objective", "Offer hip protectors to everyone at high risk on one night")
    page.fill("#field-question", "Will people wear them through the night?")
    page.fill("#field-prediction", "Most will, if staff explain why.")
    page.fill("#field-who", "The night nurse in charge")
    page.fill("#field-what", "Offer and fit hip protectors at the evening medication round")
    page.fill("#field-where", "The ward")
    page.fill("#field-planned_start", today.isoformat())
    page.get_by_role("button", name="Plan the cycle").click()
    expect(page.locator("h1")).to_contain_text("PDSA 1 · Hip protectors on our ward")

    # --- The dashboard: every team, its latest data, the teams on one chart and together -----
    page.goto(base + programme_path)
    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Dashboard")
    table = page.locator("section#teams table")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table.locator("thead")).to_contain_text("Falls")
    row = table.locator("tbody tr").filter(has=page.get_by_role("link", name=titles[0], exact=True))
    expect(row.locator("td").nth(2)).not_to_have_text("No data")
    expect(page.locator("section#charts svg.small-multiples")).to_have_count(1)
    expect(page.locator("section#charts")).to_contain_text("No data yet, so not drawn")
    spread = page.locator("section#spread table")
    expect(spread.locator("thead")).to_contain_text("Hip protectors at night")
    expect(spread.locator("tbody tr")).to_have_count(3)
    tested = spread.locator("tbody tr").filter(has=page.get_by_role("link", name=titles[0], exact=True))
    expect(tested.locator("td")).to_have_text("Testing")
    expect(spread.locator("tbody td", has_text="Not started")).to_have_count(2)
    expect(spread.locator("tfoot")).to_contain_text("0 of 3")
    found["a programme's dashboard"] = violations(page)

    # --- It delivers; the first learning session, with its register ---------------------------
    page.goto(base + programme_path)
    decide(page, "Deliver", "Three teams approved; the first learning session is booked.")
    expect(page.locator("h1 .tag")).to_have_text("Deliver")
    sessions = page.locator("section#learning-sessions")
    sessions.locator("summary", has_text="Plan a learning session").click()
    expect(sessions.locator("#plan-session-field-held_on")).to_have_value(today.isoformat())
    sessions.get_by_role("button", name="Plan the session").click()
    expect(page.locator("#plan-session-errors")).to_contain_text("Enter where it is held.")
    sessions = page.locator("section#learning-sessions")
    sessions.locator("#plan-session-field-place").fill("The education centre")
    sessions.locator("#plan-session-field-agenda").fill("Each team's first PDSA cycle; the falls data so far.")
    sessions.get_by_role("button", name="Plan the session").click()
    expect(page.locator("h1")).to_contain_text("Learning session 1")
    register = page.locator("form#register-form")
    first = register.get_by_role("group", name=f"Who came from {titles[0]}")
    first.get_by_role("checkbox", name=QI_NAME).check()
    register.get_by_role("textbox", name=f"{titles[0]}: what it will test before the next session").fill(
        "Hip protectors for everyone at high risk, on nights")
    found["a learning session's register"] = violations(page)
    register.get_by_role("button", name="Save the register").click()
    expect(page.locator("div.notice")).to_contain_text("The register and the teams’ plans were saved.")
    expect(page.locator("dl.details")).to_contain_text("1 person from 1 of 3 teams")
    page.goto(base + programme_path)
    row = page.locator("section#learning-sessions tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("1 of 3")

    # --- Then it is evaluated ------------------------------------------------------------------
    decide(page, "Evaluate", "The teams' data are in.")
    expect(page.locator("h1 .tag")).to_have_text("Evaluate")
    expect(page.locator("section#stages ol.updates li")).to_have_count(4)
    page.get_by_role("link", name="Evaluation", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Evaluation")
    expect(page.locator("ul.figures")).to_contain_text("3 teams")
    expect(page.locator("ul.figures")).to_contain_text("1 learning session")
    section = page.locator("section", has=page.get_by_role("heading", name="Falls"))
    expect(section.locator("tbody tr")).to_have_count(3)
    expect(section).to_contain_text("No adopted change, or too little data either side")
    found["a programme's evaluation"] = violations(page)
    programme = page.request.get(base + "/api/v1" + programme_path).json()
    assert programme["stage"] == "evaluate"
    assert sorted(t["title"] for t in programme["teams"]) == sorted(titles)
    assert [m["name"] for m in programme["standard_measures"]] == ["Falls"]
    assert {p["role"] for p in programme["people"]} == {"executive_sponsor"}
    assert programme["learning_sessions"][0]["plans"][0]["plan"] == "Hip protectors for everyone at high risk, on nights"
    assert [i["title"] for i in programme["driver_diagram"]["change_ideas"]] == ["Hip protectors at night"]

    # --- The stage track and the tables fit a phone ------------------------------------------
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(base + programme_path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    found["a programme on a phone"] = violations(page)
    assert not {k: v for k, v in found.items() if v}, found


def test_a_qi_team_draws_a_directorate_plan_and_links_the_work_serving_it(demo, page: Page):
    """Issue 19's annual plans: the QI team draws a directorate's plan for a coming year (refused
    until it has an aim), draws its driver diagram, links a project and a programme to a box, and
    /strategy lists the plan with what serves it, counted. axe-core finds nothing serious."""
    base = demo.base_url
    found: dict[str, list[str]] = {}
    sign_in_as(page, base, QI_TEAM)
    page.goto(base + "/strategy")
    plans = page.locator("section#plans")
    expect(plans).to_contain_text(f"{FORUM} plan")  # the demo's plans for this year
    plans.get_by_role("link", name="Draw an annual plan").click()
    page.locator("#plan-form-field-unit_id").select_option(label=f"— {FORUM}")
    page.fill("#plan-form-field-year", "2040")
    page.get_by_role("button", name="Draw the plan").click()
    expect(page.locator("#plan-form-errors")).to_contain_text("Enter what the unit will achieve this year.")
    expect(page.locator("#plan-form-field-year")).to_have_value("2040")
    found["the plan form with its errors"] = violations(page)
    page.fill("#plan-form-field-aim", "No one waits more than four weeks for a first appointment")
    page.get_by_role("button", name="Draw the plan").click()
    expect(page.locator("h1")).to_have_text("Driver diagram")
    expect(page.locator("div.notice")).to_contain_text("The plan was drawn.")
    editor = page.locator("section#edit")
    editor.locator("summary", has_text="Add a primary driver").click()
    editor.locator("#add-primary-field-text").fill("Referrals seen quickly")
    editor.get_by_role("button", name="Add primary driver").click()
    expect(page.locator("div.notice")).to_contain_text("“Referrals seen quickly” was added")
    found["a plan's driver diagram"] = violations(page)

    page.locator("nav.breadcrumbs").get_by_role("link", name=f"{FORUM} plan 2040/41").click()
    expect(page.locator("h1")).to_have_text(f"{FORUM} plan 2040/41")
    expect(page.locator("section.plan-box")).to_contain_text("Nothing linked yet.")
    link = page.locator("section#link")
    link.locator("summary", has_text="Link a project, programme or measure").click()
    link.locator("#link-work-field-box").select_option(label="Referrals seen quickly (primary driver)")
    link.get_by_role("button", name="Link").click()
    expect(page.locator("#link-work-errors")).to_contain_text("Choose a project, programme or measure")
    link = page.locator("section#link")
    link.locator("#link-work-field-work").select_option(label="Programme: Access")
    link.get_by_role("button", name="Link").click()
    expect(page.locator("div.notice")).to_contain_text("“Access” now serves “Referrals seen quickly”.")
    link = page.locator("section#link")
    link.locator("summary", has_text="Link a project, programme or measure").click()
    link.locator("#link-work-field-box").select_option(label="Referrals seen quickly (primary driver)")
    first_project = link.locator("#link-work-field-work option", has_text="Project: ").first.get_attribute("value")
    link.locator("#link-work-field-work").select_option(first_project)
    link.get_by_role("button", name="Link").click()
    expect(page.locator("div.notice")).to_contain_text("now serves “Referrals seen quickly”.")
    box = page.locator("section.plan-box")
    expect(box.locator("ul.plan-work li")).to_have_count(2)
    expect(page.locator("ul.figures")).to_contain_text("1 programme")
    found["an annual plan"] = violations(page)

    page.goto(base + "/strategy")
    row = page.locator("section#plans tbody tr").filter(has=page.get_by_role("link", name=f"{FORUM} plan 2040/41"))
    expect(row.locator("td").nth(1)).to_have_text("1")  # boxes
    expect(row.locator("td").nth(2)).to_have_text("1")  # projects
    expect(row.locator("td").nth(3)).to_have_text("1")  # programmes
    found["the strategy with its plans"] = violations(page)
    strategy = page.request.get(base + "/api/v1/strategy").json()
    plan = next(p for p in strategy["plans"] if p["year"] == 2040)
    assert [d["text"] for d in plan["driver_diagram"]["drivers"]] == ["Referrals seen quickly"]
    assert len(plan["links"]) == 2
    assert not {k: v for k, v in found.items() if v}, found
