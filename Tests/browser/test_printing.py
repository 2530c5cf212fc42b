"""Printing: the annual review of capability (issue 20) and the board report print from their
buttons, and on paper show their figures without buttons, menus or filters. The pages run no inline
script (their content security policy forbids it), so the buttons are wired by site.js."""

from __future__ import annotations

import datetime

from playwright.sync_api import Page, expect

from conftest import sign_in
from test_api_contract import demo, sign_in_client  # noqa: F401 (demo is a fixture)

COUNT_PRINTS = "window.__printed = 0; window.print = () => { window.__printed += 1; };"


def test_the_annual_review_prints_from_its_button_and_on_paper_shows_the_figures_alone(demo, page: Page):
    base = demo.base_url
    page.add_init_script(COUNT_PRINTS)
    sign_in(page, base, "admin@example.org", "demo")
    page.goto(base + "/capability")
    button = page.get_by_role("button", name="Print the annual review")
    expect(button).to_be_visible()
    button.click()
    assert page.evaluate("window.__printed") == 1

    year = datetime.date.today().year
    page.emulate_media(media="print")
    expect(button).to_be_hidden()
    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.locator("header nav")).to_be_hidden()
    expect(page.get_by_role("link", name="Import past attendance")).to_be_hidden()
    expect(page.get_by_role("heading", name="Trained against need")).to_be_visible()
    completed = page.get_by_role("heading", name=f"Completed in {year}, course by course")
    expect(completed).to_be_visible()
    expect(page.locator("table").filter(has_text="Pocket QI").last).to_be_visible()


def test_the_board_report_prints_from_its_button(demo, page: Page):
    base = demo.base_url
    client = sign_in_client(base, "admin@example.org", "demo")
    units = client.get(base + "/api/v1/units", timeout=30).json()
    trust = next(u for u in units if u.get("parent_id") is None and u["kind"] == "organisation")
    page.add_init_script(COUNT_PRINTS)
    sign_in(page, base, "admin@example.org", "demo")
    page.goto(f"{base}/units/{trust['id']}/board-report")
    page.get_by_role("button", name="Print", exact=True).click()
    assert page.evaluate("window.__printed") == 1

    # On paper: numbered pages, each aim on a page of its own, headings kept with what they head.
    page.emulate_media(media="print")
    page_rules = page.evaluate(
        "[...document.styleSheets].flatMap(s => [...s.cssRules]).filter(r => r instanceof CSSPageRule)"
        ".map(r => r.cssText).join(' ')")
    assert "counter(page)" in page_rules and "counter(pages)" in page_rules, page_rules
    heading = page.locator(".board-report .report-section.aim h2").first
    expect(heading).to_be_visible()
    assert heading.evaluate("h => getComputedStyle(h).breakAfter") == "avoid"
    sections = page.locator(".board-report .report-section.aim")
    assert sections.count() >= 2
    assert sections.nth(1).evaluate("s => getComputedStyle(s).breakBefore") == "page"
    expect(page.get_by_role("button", name="Print", exact=True)).to_be_hidden()
