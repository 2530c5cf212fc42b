"""The foundation journey in a real browser: first sign-in, the unit tree, people, the audit log,
signing out, plus validation, escaping, wrong passwords and the demo organisation."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Locator, Page, expect

from conftest import ADMIN_NAME, App, change_password, sign_in

NOTICE_ADDED = "“{}” was added."


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def path_of(page: Page) -> str:
    return urlparse(page.url).path


def nav_link(page: Page, label: str) -> Locator:
    return page.locator("header nav").get_by_role("link", name=label, exact=True)


def option_label(page: Page, select: str) -> str:
    """The label of the option selected in a <select>."""
    return page.locator(select).evaluate("s => s.selectedIndex < 0 ? '' : s.options[s.selectedIndex].text")


def select_unit(page: Page, select: str, name: str, depth: int) -> None:
    """Chooses a unit in a unit <select>, checking it is listed indented by its depth in the tree."""
    label = "— " * depth + name
    labels = page.locator(f"{select} option").evaluate_all("os => os.map(o => o.text)")
    assert label in labels, f"no option {label!r} in {select}; options are {labels}"
    page.select_option(select, label=label)


def heading_text(page: Page) -> str:
    """The h1's own text, without the tags (kind, archived) inside it."""
    return page.locator("h1").evaluate(
        "h => Array.from(h.childNodes).filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent).join('').trim()"
    )


def add_unit(page: Page, name: str, kind: str, description: str = "") -> str:
    """Fills in the open add-a-unit form (parent already chosen), submits it, checks the result and
    returns the new unit's path."""
    page.fill("#field-name", name)
    page.select_option("#field-kind", value=kind)
    if description:
        page.fill("#field-description", description)
    page.get_by_role("button", name="Add unit").click()
    expect(page).to_have_url(re.compile(r"/units/[0-9A-Fa-f-]{36}(#notice)?$"))
    expect(page.locator("div.notice")).to_contain_text(NOTICE_ADDED.format(name))
    assert heading_text(page) == name
    return path_of(page)


def audit_row(page: Page, what: str) -> Locator:
    """The one audit-log row whose What column starts with `what`."""
    rows = page.locator("table.audit-log tbody tr").filter(
        has=page.locator("td:nth-child(3)", has_text=re.compile("^" + re.escape(what) + r"(\s|$)"))
    )
    expect(rows).to_have_count(1)
    return rows


# --- The journey ---------------------------------------------------------------------------------


def test_first_administrator_builds_a_unit_tree_adds_a_service_user_and_signs_out(app: App, page: Page):
    one_time = app.admin.password if app.admin.must_change_password else app.reissue_one_time_password()

    # Signing in with the one-time password leads straight to changing it.
    sign_in(page, app.base_url, app.admin.email, one_time)
    expect(page).to_have_url(re.compile(r"/account/password$"))
    page.goto(app.url("/units"))
    expect(page).to_have_url(re.compile(r"/account/password$"))  # nothing else until it is changed

    new_password = app.admin.next_password()
    change_password(page, one_time, new_password)
    app.admin.password, app.admin.must_change_password = new_password, False
    expect(page).to_have_url(re.compile(re.escape(app.url("/")) + r"(#notice)?$"))
    expect(page.locator("div.notice")).to_contain_text("Your password has been changed.")
    viewer_name = page.locator("header .viewer-name").inner_text().strip()
    assert viewer_name == ADMIN_NAME

    # The one-time password no longer works; the new one does (in a separate browser context).
    other = page.context.browser.new_context()
    try:
        check = other.new_page()
        sign_in(check, app.base_url, app.admin.email, one_time)
        expect(check.locator("div.error-summary")).to_be_visible()
        expect(check).to_have_url(re.compile(r"/sign-in"))
        sign_in(check, app.base_url, app.admin.email, new_password)
        expect(check).to_have_url(re.compile(re.escape(app.url("/")) + r"(#notice)?$"))
    finally:
        other.close()

    # A top-level organisation.
    organisation = unique("Northbank NHS Trust")
    nav_link(page, "Units").click()
    expect(page).to_have_url(app.url("/units"))
    page.get_by_role("link", name="Add a unit").click()
    expect(page).to_have_url(app.url("/units/new"))
    assert option_label(page, "#field-parent_id") == "Nothing (top level)"
    organisation_path = add_unit(page, organisation, "organisation", "The whole trust.")
    expect(page.locator("h1 .tag")).to_have_text("Organisation")

    # A directorate under it, through "Add a unit below", which chooses the parent.
    directorate = unique("Adult Mental Health")
    page.get_by_role("link", name="Add a unit below").click()
    assert option_label(page, "#field-parent_id") == organisation
    directorate_path = add_unit(page, directorate, "directorate")
    expect(page.locator("h1 .tag")).to_have_text("Directorate")
    breadcrumbs = page.locator("nav.breadcrumbs")
    expect(breadcrumbs.get_by_role("link", name=organisation, exact=True)).to_have_attribute("href", organisation_path)

    # A ward under the directorate, choosing the parent from the list this time.
    ward = unique("Willow Ward")
    page.goto(app.url("/units/new"))
    select_unit(page, "#field-parent_id", directorate, depth=1)
    ward_path = add_unit(page, ward, "ward")
    expect(page.locator("h1 .tag")).to_have_text("Ward")
    expect(breadcrumbs.get_by_role("link", name=directorate, exact=True)).to_have_attribute("href", directorate_path)

    # The tree as the parents show it.
    page.goto(app.url(organisation_path))
    expect(page.get_by_role("link", name=directorate, exact=True)).to_have_attribute("href", directorate_path)
    page.goto(app.url(directorate_path))
    expect(page.get_by_role("link", name=ward, exact=True)).to_have_attribute("href", ward_path)

    # A service user on the ward, from the ward's page.
    page.goto(app.url(ward_path))
    page.get_by_role("link", name="Add a person").click()
    expect(page).to_have_url(re.compile(r"/people/new\?unit_id="))
    assert option_label(page, "#field-unit_id").endswith(ward), "the ward should be chosen already"
    person = unique("Sam Rivers")
    page.fill("#field-full_name", person)
    page.select_option("#field-kind", value="service_user")
    page.get_by_role("button", name="Add person").click()
    expect(page).to_have_url(re.compile(r"/people/[0-9A-Fa-f-]{36}(#notice)?$"))
    person_path = path_of(page)
    expect(page.locator("div.notice")).to_contain_text(f"{person} was added.")
    assert heading_text(page) == person
    expect(page.locator("h1 .tag")).to_have_text("Service user")
    unit_link = page.locator("dl.details dt", has_text="Unit").locator("xpath=following-sibling::dd[1]").locator("a")
    expect(unit_link).to_have_attribute("href", ward_path)
    expect(unit_link).to_contain_text(ward)

    # The ward lists its new member.
    page.goto(app.url(ward_path))
    member = page.locator("table tbody tr").filter(has=page.get_by_role("link", name=person, exact=True))
    expect(member).to_have_count(1)
    expect(member.locator("td").nth(1)).to_have_text("Service user")

    # The audit log records each creation, by the administrator.
    nav_link(page, "Audit log").click()
    expect(page).to_have_url(app.url("/audit"))
    for kind, name, path in [
        ("unit", organisation, organisation_path),
        ("unit", directorate, directorate_path),
        ("unit", ward, ward_path),
        ("person", person, person_path),
    ]:
        row = audit_row(page, f"created {kind} {name}")
        expect(row.locator("td").nth(1)).to_have_text(viewer_name)
        expect(row.locator("td").nth(2).get_by_role("link", name=name, exact=True)).to_have_attribute("href", path)
        expect(row.locator("td").nth(3)).to_contain_text(name)  # the new values are listed
    ward_changes = audit_row(page, f"created unit {ward}").locator("td").nth(3).locator("li")
    # The kind in words, as a person reads it, not the stored value.
    expect(ward_changes.filter(has=page.locator("strong", has_text=re.compile("^kind$")))).to_have_text(re.compile(r"^kind:\s*Ward\s*$"))

    # Signing out ends the session.
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(re.escape(app.url("/sign-in")) + r"(#notice)?$"))
    expect(page.locator("div.notice")).to_contain_text("You have signed out.")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto(app.url("/units"))
    expect(page).to_have_url(re.compile(r"/sign-in(\?|#notice$|$)"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to OpenQI")
    expect(page.get_by_text(organisation)).to_have_count(0)


# --- Validation ----------------------------------------------------------------------------------


def test_empty_unit_form_shows_every_problem_and_keeps_what_was_typed(app: App, admin_page: Page):
    page = admin_page
    page.goto(app.url("/units/new"))
    page.get_by_role("button", name="Add unit").click()

    summary = page.locator("div.error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("h2")).to_have_text("There is a problem")
    expect(summary.locator("a[href='#field-name']")).to_have_count(1)
    expect(summary.locator("a[href='#field-kind']")).to_have_count(1)
    expect(page.locator("#field-name-error")).to_be_visible()
    expect(page.locator("#field-kind-error")).to_be_visible()
    expect(summary.locator("li")).to_have_count(2)
    expect(page.locator("p.error-message")).to_have_count(2)
    expect(page.locator("#field-name")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a unit")

    # Fill in the name and description but not the kind: they stay, and only the kind is wrong.
    name = unique("Half-finished unit")
    page.fill("#field-name", name)
    page.fill("#field-description", "Typed before a failed submit.")
    page.get_by_role("button", name="Add unit").click()
    expect(page.locator("div.error-summary")).to_be_visible()
    expect(page.locator("#field-name")).to_have_value(name)
    expect(page.locator("#field-description")).to_have_value("Typed before a failed submit.")
    expect(page.locator("#field-kind-error")).to_be_visible()
    expect(page.locator("#field-name-error")).to_have_count(0)
    expect(page.locator("div.error-summary a[href='#field-name']")).to_have_count(0)

    # Nothing was saved.
    page.goto(app.url("/units"))
    expect(page.get_by_text(name)).to_have_count(0)


def test_empty_person_form_shows_every_problem_and_keeps_what_was_typed(app: App, admin_page: Page):
    page = admin_page
    page.goto(app.url("/people/new"))
    page.get_by_role("button", name="Add person").click()

    # The kind starts as Staff; the name and the unit are missing.
    summary = page.locator("div.error-summary")
    expect(summary.locator("h2")).to_have_text("There is a problem")
    for field in ("full_name", "unit_id"):
        expect(summary.locator(f"a[href='#field-{field}']")).to_have_count(1)
        expect(page.locator(f"#field-{field}-error")).to_be_visible()
    expect(page.locator("p.error-message")).to_have_count(2)
    expect(page.locator("#field-kind")).to_have_value("staff")

    name = unique("Pat Unplaced")
    page.fill("#field-full_name", name)
    page.select_option("#field-kind", value="carer")
    page.fill("#field-job_title", "Family carer")
    page.get_by_role("button", name="Add person").click()
    expect(page.locator("div.error-summary")).to_be_visible()
    expect(page.locator("#field-full_name")).to_have_value(name)
    expect(page.locator("#field-kind")).to_have_value("carer")
    expect(page.locator("#field-job_title")).to_have_value("Family carer")
    expect(page.locator("#field-unit_id-error")).to_be_visible()
    expect(page.locator("p.error-message")).to_have_count(1)

    # Nothing was saved.
    page.goto(app.url("/people?q=" + name.split()[-1]))
    expect(page.get_by_text(name)).to_have_count(0)

    # Choosing no kind at all is a problem too.
    page.goto(app.url("/people/new"))
    page.fill("#field-full_name", name)
    page.select_option("#field-kind", value="")
    page.get_by_role("button", name="Add person").click()
    expect(page.locator("#field-kind-error")).to_be_visible()
    expect(page.locator("#field-full_name")).to_have_value(name)


# --- Escaping ------------------------------------------------------------------------------------


def injected_elements(page: Page) -> list[str]:
    """Elements or attributes that markup in a name would have created, if it were not escaped."""
    return page.evaluate("""() => [
        ...Array.from(document.scripts).filter(s => s.textContent.includes('alert(')).map(s => s.outerHTML),
        ...Array.from(document.querySelectorAll('[onerror], img[src="x"]')).map(e => e.outerHTML),
    ]""")


@pytest.mark.parametrize("name", [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(2)> & 'quoted'",
])
def test_markup_in_a_unit_name_is_shown_as_text(app: App, admin_page: Page, name: str):
    # The content security policy would stop an injected script running, so besides watching for
    # dialogs, look for the elements it would have made.
    page = admin_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))

    page.goto(app.url("/units/new"))
    path = add_unit(page, name, "partner")  # checks the h1's text and the notice equal the name
    expect(page.locator("h1")).to_contain_text(name)
    assert page.title() == f"{name} — OpenQI", page.title()
    assert injected_elements(page) == []

    page.goto(app.url("/units"))
    expect(page.get_by_role("link", name=name, exact=True)).to_have_attribute("href", path)
    assert injected_elements(page) == []
    page.goto(app.url("/audit"))
    expect(page.locator("table.audit-log").get_by_role("link", name=name, exact=True)).to_have_count(1)
    assert injected_elements(page) == []
    page.goto(app.url("/units/new"))
    labels = page.locator("#field-parent_id option").evaluate_all("os => os.map(o => o.text)")
    assert name in labels, f"the unit should be listed by its name as text; options are {labels}"
    assert injected_elements(page) == []

    assert dialogs == [], f"the unit name ran as script: {dialogs}"


# --- Signing in ----------------------------------------------------------------------------------


def test_a_wrong_password_does_not_sign_in(app: App, page: Page):
    sign_in(page, app.base_url, app.admin.email, "not-the-password-at-all")
    expect(page).to_have_url(re.compile(r"/sign-in"))
    summary = page.locator("div.error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("The email or password is not right")
    expect(page.locator("#field-email")).to_have_value(app.admin.email)
    expect(page.locator("#field-password")).to_have_value("")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto(app.url("/units"))
    expect(page).to_have_url(re.compile(r"/sign-in(\?|#notice$|$)"))

    # An unknown email gets the same answer.
    sign_in(page, app.base_url, "nobody@test.example", "not-the-password-at-all")
    expect(page.locator("div.error-summary")).to_contain_text("The email or password is not right")


# --- The demo ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_server(start_server):
    return start_server("--demo")


def test_demo_lists_its_sign_ins_and_admin_can_sign_in(demo_server, page: Page):
    page.goto(demo_server.url("/sign-in"))
    demo = page.locator("section.demo-sign-ins")
    expect(demo).to_be_visible()
    expect(demo.locator("td code", has_text=re.compile(r"^admin@example\.org$"))).to_have_count(1)
    assert demo.locator("tbody tr").count() > 1, "one sign-in per role is listed"

    sign_in(page, demo_server.base_url, "admin@example.org", "demo")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert "/account/password" not in page.url, "demo sign-ins need no password change"
    nav_link(page, "Units").click()
    expect(page).to_have_url(demo_server.url("/units"))
    expect(page.get_by_role("link", name="East Riverside NHS Foundation Trust", exact=True)).to_have_count(1)


def test_a_server_without_demo_lists_no_demo_sign_ins(app: App, page: Page):
    page.goto(app.url("/sign-in"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to OpenQI")
    expect(page.locator("section.demo-sign-ins")).to_have_count(0)
