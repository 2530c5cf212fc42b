"""The organisation's view in a real browser, on the demo trust: the improvement advisor uploads a
CSV of a directorate's ward data (a bad file first, which is refused row by row and discarded), imports
the corrected one, finds the ward's falls among the special-cause concerns of the measures summary,
opens its chart, and prints the board quality report to A4."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from conftest import sign_in

ADVISOR = "qi-team@example.org"  # Priya Raman, QI team at the trust
DIRECTORATE = "Adult Mental Health"


@pytest.fixture(scope="module")
def demo(start_server):
    return start_server("--demo")


def recent_mondays(count: int) -> list[dt.date]:
    """The Mondays of the last `count` weeks before this one, oldest first: the demo's latest weeks."""
    today = dt.date.today()
    this_monday = today - dt.timedelta(days=today.weekday())
    return [this_monday - dt.timedelta(weeks=k) for k in range(count, 0, -1)]


def open_directorate(page: Page, base_url: str) -> None:
    page.goto(base_url + "/units")
    page.get_by_role("link", name=DIRECTORATE, exact=True).first.click()
    expect(page.locator("h1")).to_contain_text(DIRECTORATE)


def test_an_advisor_uploads_ward_data_finds_the_concern_and_prints_the_board_report(demo, page: Page, tmp_path):
    sign_in(page, demo.base_url, ADVISOR, "demo")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    open_directorate(page, demo.base_url)
    page.get_by_role("link", name="Measures summary").click()
    page.get_by_role("link", name="Upload data").click()
    expect(page.locator("h1")).to_have_text("Upload data for many measures")
    # The example shows rows for several of the directorate's measures: the file below uses them.
    example = [line.split(",") for line in page.locator("pre.example").inner_text().splitlines()[1:]]
    denominators = {cells[0]: cells[3] for cells in example}
    assert len(denominators) >= 3, f"expected several measures in the example, got {example!r}"
    key = example[0][0]
    assert key.endswith(".falls"), f"expected a falls key first in the example, got {example!r}"
    ward_prefix = key.rsplit(".", 1)[0]

    # A file with mistakes: nothing can be imported, and each bad row says why.
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "measure,period,value,denominator\n"
        f"{key},2026-01-05,3,140\n"
        f"{ward_prefix}.fals,2026-01-05,3,140\n"
        f"{key},2026-01-12,three,140\n"
    )
    page.set_input_files("#field-file", str(bad))
    page.get_by_role("button", name="Check the file").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("2 rows need fixing")
    expect(summary).to_contain_text(f"Row 3: no measure in")
    expect(summary).to_contain_text("has the key “" + f"{ward_prefix}.fals”")
    expect(summary).to_contain_text("Row 4: “three” is not a number")
    expect(page.get_by_role("button", name=re.compile(r"^Import"))).to_have_count(0)
    page.get_by_role("button", name="Discard this upload").click()
    expect(page.locator(".notice")).to_have_text("Nothing was imported, and the uploaded file was discarded.")

    # The corrected file, for several of the ward's measures: its falls have risen for eight weeks.
    good = tmp_path / "ward-data.csv"
    rows = [
        f"{measure},{monday.isoformat()},{12 if measure == key else 1.25},{denominator}"
        for measure, denominator in denominators.items()
        for monday in recent_mondays(8)
    ]
    good.write_text("measure,period,value,denominator\n" + "\n".join(rows) + "\n")
    page.get_by_role("link", name="Upload data").click()
    page.set_input_files("#field-file", str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".check-ok")).to_contain_text("Every row is good")
    expect(page.locator(".check-ok")).to_contain_text(f"changes {8 * len(denominators)}")
    measure_link = page.locator("table.data-table tr", has=page.locator("code", has_text=key)).get_by_role("link")
    measure_href = measure_link.get_attribute("href")
    assert measure_href and measure_href.startswith("/measures/")
    page.get_by_role("button", name=f"Import {8 * len(denominators)} periods").click()
    expect(page.locator(".notice")).to_contain_text(
        f"Imported {8 * len(denominators)} points for {len(denominators)} measures: 0 new, {8 * len(denominators)} changed")

    # The summary, filtered to concerns, lists the ward's falls; its chart shows the rise.
    page.get_by_label("Special cause concern only").check()
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"concern=yes"))
    concern = page.locator(f"table.measure-summary tbody tr.concern a[href='{measure_href}']")
    expect(concern).to_have_count(1)
    concern.click()
    expect(page.locator("h1")).to_contain_text("Falls")
    expect(page.get_by_text(key, exact=True)).to_be_visible()
    expect(page.locator("svg.spc-chart").first).to_be_visible()

    # The board quality report of the trust prints to A4, without the site's navigation.
    open_directorate(page, demo.base_url)
    page.locator("nav.breadcrumbs a[href^='/units/']").first.click()
    page.get_by_role("link", name="Board quality report").click()
    expect(page.locator("h1")).to_have_text("Quality report to the board")
    expect(page.locator(".report-section.aim h2").first).to_have_text("Population health")
    expect(page.locator(".report-measure svg").first).to_be_visible()
    expect(page.locator(".narrative").first).not_to_have_class(re.compile(r"empty"))
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".board-report .actions")).to_be_hidden()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 3, f"one page per aim at least, got {pages}"
    page.emulate_media(media="screen")

    # Saved as one file, the report carries its own styles and charts.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Save as one HTML file").click()
    saved = download_info.value.path().read_text()
    assert "<style>" in saved and "<svg" in saved and "Sign out" not in saved
