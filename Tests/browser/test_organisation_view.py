"""The organisation's view in a real browser, on the demo trust, as the QI department reads it: the
portfolio's figures and months lead to lists of exactly that many projects, coaches over capacity
come first, the measures summary sorts by its column headers, a ward that stands out in early
warning opens the chart behind its cell, and comparing units draws the funnel and the safety table."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import sign_in

ADVISOR = "qi-team@example.org"  # Priya Raman, QI team at the trust
TRUST = "East Riverside NHS Foundation Trust"


@pytest.fixture(scope="module")
def demo(start_server):
    return start_server("--demo")


def open_trust(page: Page, base_url: str) -> None:
    page.goto(base_url + "/units")
    page.get_by_role("link", name=TRUST, exact=True).first.click()
    expect(page.locator("h1")).to_contain_text(TRUST)


def listed(page: Page) -> int:
    """The count a project list says it shows: "12 projects"."""
    return int(page.locator("p.count").inner_text().split()[0])


def test_the_portfolio_leads_to_its_projects_and_coaches(demo, page: Page):
    sign_in(page, demo.base_url, ADVISOR, "demo")
    open_trust(page, demo.base_url)
    page.get_by_role("link", name="QI portfolio").click()
    expect(page.locator("h1")).to_have_text("QI portfolio")
    portfolio = page.url

    # A headline figure: the stalled projects, listed with what the list shows.
    stalled = page.locator("ul.figures a", has_text="no update for 6 weeks")
    count = int(stalled.locator("strong").inner_text())
    assert count > 0, "the demo has projects that have gone quiet"
    stalled.click()
    expect(page.locator("p.focus")).to_contain_text("active with no update for six weeks")
    assert listed(page) == count

    # A month of the run chart of active projects, from the numbers beneath it.
    page.goto(portfolio)
    page.get_by_text("The numbers, month by month").first.click()
    month = page.locator("table", has=page.locator("caption", has_text="Active projects at the end of each month"))
    cell = month.locator("tbody tr").nth(3).locator("td a")
    month_count = int(cell.inner_text())
    cell.click()
    expect(page.locator("p.focus")).to_contain_text("active at the end of")
    assert listed(page) == month_count

    # Coaches over capacity come first, each with the projects they carry in all.
    page.goto(portfolio)
    over = page.locator("table.coaches", has=page.locator("caption", has_text="Coaches over capacity"))
    expect(over).to_be_visible()
    first = over.locator("tbody tr").first
    in_all = int(first.locator("td").nth(1).inner_text())
    capacity = int(first.locator("td").nth(2).inner_text())
    assert in_all > capacity
    expect(first.locator("td").nth(3)).to_have_text(f"Over by {in_all - capacity}")
    first.locator("td").nth(1).get_by_role("link").click()
    assert listed(page) == in_all

    # Every coach is on a page of their own: as many rows as the portfolio counts.
    page.goto(portfolio)
    coaches = int(re.search(r"(\d+) coaches:", page.locator("section.coaching p").first.inner_text()).group(1))
    page.get_by_role("link", name=re.compile(r"^Every coach’s load")).click()
    expect(page.locator("h1")).to_have_text("Coach load")
    expect(page.locator("table.coaches tbody tr")).to_have_count(coaches)


def test_the_summary_sorts_by_its_headers_and_early_warning_opens_a_chart(demo, page: Page):
    sign_in(page, demo.base_url, ADVISOR, "demo")
    open_trust(page, demo.base_url)
    page.get_by_role("link", name="Measures summary").click()
    variation = page.locator("table.measure-summary thead th", has_text="Variation")
    variation.get_by_role("link").click()
    expect(variation).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("table.measure-summary tbody tr").first).to_have_class("concern")
    variation.get_by_role("link").click()
    expect(variation).to_have_attribute("aria-sort", "descending")
    expect(page.locator("table.measure-summary tbody tr").first).not_to_have_class("concern")
    # Filtering keeps the order chosen.
    page.get_by_label("Special cause concern only").check()
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"sort=variation.*order=desc|order=desc.*sort=variation"))

    open_trust(page, demo.base_url)
    page.get_by_role("link", name="Ward early warning").click()
    leader = page.locator("table.early-warning tbody tr").first
    expect(leader).to_have_class("stands-out")
    concern = leader.locator("td.cell.concern").first
    index = concern.evaluate("cell => cell.cellIndex")
    indicator = page.locator("table.early-warning thead th").nth(index).inner_text()
    expect(concern.locator("svg.mdc-icon title")).to_contain_text("Special cause concern")
    concern.get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text(indicator)
    expect(page.locator("svg.spc-chart").first).to_be_visible()


def test_comparing_units_draws_a_funnel_and_a_safety_table(demo, page: Page):
    sign_in(page, demo.base_url, ADVISOR, "demo")
    open_trust(page, demo.base_url)
    page.get_by_role("link", name="Compare units").click()
    page.get_by_label("Measure").select_option(label="Violent incidents")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".chart.funnel svg.funnel-plot")).to_be_visible()
    expect(page.locator(".chart.funnel svg text", has_text="99.8% limits")).to_be_visible()
    rows = page.locator("table.safety-table tbody tr")
    assert rows.count() >= 10
    # Beyond the limits first, then everyone else by name, never by rate.
    standings = rows.locator("td:last-child").all_inner_texts()
    within = [i for i, text in enumerate(standings) if text == "Within the limits"]
    assert within and within == list(range(within[0], within[0] + len(within))), standings
    names = [rows.nth(i).locator("th a").inner_text() for i in within]
    assert names == sorted(names)
    # Each row's number is its dot's: the dot's tooltip starts with the same number and name.
    tips = page.locator(".chart.funnel svg g.unit title").all_text_contents()
    for i in range(rows.count()):
        if rows.nth(i).locator("th .dot-number").count() == 0:
            continue  # no data, so no dot
        number = rows.nth(i).locator("th .dot-number").inner_text().rstrip(".")
        name = rows.nth(i).locator("th a").inner_text()
        assert any(tip.startswith(f"{number}. {name}:") for tip in tips), (number, name)


def test_the_qi_team_sets_the_strategy_and_projects_can_serve_it(demo, page: Page):
    """Issue 19, strategy: the trust's QI team reads the strategy as a driver diagram with its
    objectives and priorities, adds an objective and a priority under it (a mistake first, named at
    the top of the form), archives and restores the priority, and a new proposal is offered it;
    axe-core finds nothing serious on the strategy's pages."""
    from test_accessibility import violations

    base = demo.base_url
    sign_in(page, base, ADVISOR, "demo")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Strategy").click()
    expect(page.locator("h1")).to_have_text("Strategy")
    diagram = page.locator(".chart.driver-diagram svg")
    expect(diagram.locator("g.box.aim")).to_contain_text("quality of life")
    assert diagram.locator("g.box.primary").count() == 4, "the demo strategy has four objectives"
    assert diagram.locator("g.box.secondary").count() == 12
    access = page.locator("section.objective", has=page.get_by_role("heading", name="Improved experience of care"))
    counts = access.locator("tr", has_text="Timely access to care").locator("td.number a")
    active = int(counts.first.inner_text())
    assert active > 0, "demo projects serve the demo's priorities"
    counts.first.click()
    assert listed(page) == active, "the count leads to exactly the projects it counts"
    page.go_back()
    unaligned = page.get_by_role("link", name=re.compile(r"active projects? serves? no priority"))
    count = int(unaligned.inner_text().split()[0])
    if count:
        unaligned.click()
        assert listed(page) == count
        page.go_back()
    tracking = access.locator("table", has=page.locator("caption", has_text="Whole System Measures tracking"))
    wsm = tracking.locator("tr", has_text="Service users who would recommend us")
    expect(wsm.locator("svg[role=img]").first).to_be_visible()
    expect(wsm.locator("svg.mdc-icon title").first).not_to_be_empty()
    wsm.get_by_role("link", name="Service users who would recommend us").click()
    expect(page.locator("h1")).to_contain_text("Service users who would recommend us")
    page.go_back()
    found = {"the strategy": violations(page)}

    page.get_by_role("link", name="Add an objective").click()
    page.get_by_role("button", name="Add").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("Enter a name.")
    found["an objective's form with a mistake"] = violations(page)
    page.get_by_label("Name").fill("Safer services")
    page.get_by_label("Description").fill("Harm free care, every time.")
    page.get_by_role("button", name="Add").click()
    expect(page.locator(".notice")).to_contain_text("“Safer services” was added to the strategy.")

    safer = page.locator("section.objective", has=page.get_by_role("heading", name="Safer services"))
    safer.get_by_role("link", name="Add a priority").click()
    expect(page.get_by_label("Strategic objective it serves")).to_have_value(re.compile(r"[0-9A-F-]{36}"))
    expect(page.get_by_label("Strategic objective it serves").locator("option:checked")).to_have_text("Safer services")
    found["a new priority"] = violations(page)
    page.get_by_label("Name").fill("Fewer falls")
    page.get_by_role("button", name="Add").click()
    expect(page.locator(".notice")).to_contain_text("“Fewer falls” was added")
    row = safer.locator("tr", has_text="Fewer falls")
    expect(row.locator("td.number")).to_have_text(["0", "0", "0"])  # active, completed projects; programmes

    row.get_by_role("button", name="Archive “Fewer falls”").click()
    expect(page.locator(".notice")).to_contain_text("projects serving it keep it")
    expect(row.locator(".tag")).to_have_text("Archived")
    page.goto(base + "/projects/new")
    expect(page.get_by_role("checkbox", name="Fewer falls")).to_have_count(0)
    page.goto(base + "/strategy")
    row.get_by_role("button", name="Restore “Fewer falls”").click()
    expect(page.locator(".notice")).to_contain_text("“Fewer falls” was restored.")
    page.goto(base + "/projects/new")
    expect(page.get_by_role("checkbox", name="Fewer falls")).to_have_count(1)

    page.goto(base + "/strategy")
    page.get_by_role("link", name="Edit the aim").click()
    found["the aim's form"] = violations(page)
    page.get_by_label("Aim").fill("Safe, kind care for everyone we serve")
    page.get_by_role("button", name="Save changes").click()
    expect(diagram.locator("g.box.aim")).to_contain_text("Safe, kind care")
    page.set_viewport_size({"width": 390, "height": 900})
    scroll, width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= width, "the strategy fits a phone; its diagram and tables scroll in their own boxes"
    found["the strategy on a phone"] = violations(page)
    assert not {name: v for name, v in found.items() if v}, found


def test_wards_count_a_standard_measure_alike_and_take_its_changes(demo, page: Page):
    """Issue 19, standard measures: the demo's wards follow standard measures; the QI team reads one
    with the measures made from it, a ward adds a measure from it (only its name typed), the
    standard changes and the ward's measure shows the change until its team takes it. axe-core
    finds nothing serious on the pages on the way."""
    from test_accessibility import violations

    base = demo.base_url
    sign_in(page, base, ADVISOR, "demo")
    page.goto(base + "/strategy")
    page.get_by_role("link", name="Standard measures").click()
    row = page.locator("tr", has_text="Violent incidents")
    followers = int(row.locator("td.number").inner_text())
    assert followers >= 10, "every demo ward counts violent incidents to the standard"
    found = {"standard measures": violations(page)}
    row.get_by_role("link", name="Violent incidents").click()
    expect(page.locator("h1")).to_contain_text("Version 1")
    expect(page.get_by_role("heading", name=f"Measures made from it ({followers})")).to_be_visible()
    found["a standard measure"] = violations(page)
    standard_url = page.url

    # A new measure on a project's page, from the standard: only its name is typed.
    page.goto(base + "/projects?status=active")
    page.locator("table a").first.click()
    project_url = page.url
    page.goto(project_url + "/measures/new")
    page.locator("section.standards").get_by_role("link", name="Violent incidents").click()
    expect(page.locator(".lead")).to_contain_text("Made from the standard measure")
    found["a measure from a standard"] = violations(page)
    page.get_by_label("Name").fill("Violence on our ward")
    page.get_by_role("button", name="Add measure").click()
    expect(page.locator("h1")).to_contain_text("Violence on our ward")
    expect(page.locator("dl.details")).to_contain_text("Violent incidents, version 1")
    measure_url = page.url

    # The standard changes: the measure shows it, and its team takes it.
    page.goto(standard_url)
    page.get_by_role("link", name="Change the definition").click()
    page.get_by_label("Operational definition").fill("Physical violence or threats towards people, per 1,000 occupied bed days.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".notice")).to_contain_text("The definition is at version 2")
    page.goto(measure_url)
    expect(page.locator(".standard-changed")).to_contain_text("is at version 2; this measure follows version 1")
    expect(page.locator(".standard-changed")).to_contain_text("Taking it changes the operational definition")
    found["a measure behind its standard"] = violations(page)
    page.get_by_role("button", name="Take version 2").click()
    expect(page.locator(".notice")).to_contain_text("now follows version 2")
    expect(page.locator("dl.details")).to_contain_text("or threats towards people")
    # The wards' own measures still follow version 1 until their teams take it.
    page.goto(standard_url)
    expect(page.locator("section li .tag.concern").first).to_contain_text("Follows version 1: not yet this one")
    assert not {name: v for name, v in found.items() if v}, found
