"""Signing in through a real OpenID Connect provider (django-oidc-provider, Tests/oidc/serve.py):
the provider's own sign-in form in Chromium, then back to OpenQI signed in; sign-out ends the
OpenQI session; someone the provider knows but OpenQI does not is refused with what to do; with
passwords off only the provider's button is offered. axe-core checks both sign-in pages.
"""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from conftest import _free_port, sign_in
from identity_provider import running_provider

CLIENT_ID = "openqi-browser-test"
# Plain letters and digits: django-oidc-provider does not decode an encoded Basic secret.
CLIENT_SECRET = "BrowserTestSecret0123456789"
PROVIDER_NAME = "Test Trust Identity"
# In the demo organisation (password "demo"), and at the provider with another password.
KNOWN = "admin@example.org"
STRANGER = "stranger@example.org"
USERS = {KNOWN: "provider-pass-1", STRANGER: "provider-pass-2"}


def sign_in_at_provider(page: Page, email: str) -> None:
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", USERS[email])
    page.get_by_role("button", name="Sign in at the provider").click()


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]
            if v.get("impact") in {"serious", "critical"}]


def test_signing_in_through_the_provider(start_server, browser: Browser, page: Page):
    with_passwords, provider_only = _free_port(), _free_port()
    bases = {port: f"http://127.0.0.1:{port}" for port in (with_passwords, provider_only)}
    callbacks = [base + "/sign-in/oidc/callback" for base in bases.values()]
    with running_provider(_free_port(), CLIENT_ID, CLIENT_SECRET, callbacks, USERS) as issuer:
        def start(port: int, **extra: str):
            env = {"OPENQI_OIDC_ISSUER": issuer, "OPENQI_OIDC_CLIENT_ID": CLIENT_ID,
                   "OPENQI_OIDC_CLIENT_SECRET": CLIENT_SECRET, "OPENQI_PUBLIC_URL": bases[port],
                   "OPENQI_OIDC_PROVIDER_NAME": PROVIDER_NAME, **extra}
            return start_server("--demo", port=port, env=env)

        base = start(with_passwords).base_url
        # Asked for a page while signed out: the provider's button carries it through.
        page.goto(base + "/projects")
        expect(page).to_have_url(re.compile(r"/sign-in"))
        button = page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}")
        expect(button).to_be_visible()
        assert serious_violations(page) == []
        button.click()
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
        assert page.url.startswith(issuer.rsplit("/openid", 1)[0])
        sign_in_at_provider(page, KNOWN)
        expect(page).to_have_url(base + "/projects")
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()

        # Signing out ends OpenQI's session: the next page asks to sign in again.
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(re.compile(r"/sign-in(#notice)?$"))
        page.goto(base + "/")
        expect(page).to_have_url(re.compile(r"/sign-in"))
        # Passwords still work here (OPENQI_PASSWORD_SIGN_IN defaults to on).
        sign_in(page, base, KNOWN, "demo")
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()

        # Another installation, provider only, in a browser with no provider session yet.
        only = start(provider_only, OPENQI_PASSWORD_SIGN_IN="off").base_url
        context = browser.new_context()
        try:
            other = context.new_page()
            other.set_default_timeout(15_000)
            other.goto(only + "/sign-in")
            expect(other.locator("input[name=password]")).to_have_count(0)
            other.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
            sign_in_at_provider(other, STRANGER)
            # Known to the provider, not to OpenQI: refused, told what to do, nobody signed in.
            expect(other).to_have_url(re.compile(r"/sign-in/oidc/callback"))
            expect(other.get_by_role("alert")).to_contain_text(
                f"Nobody in OpenQI has the email address {STRANGER}. Ask your QI team to add you")
            expect(other.get_by_role("button", name="Sign out")).to_have_count(0)
            assert serious_violations(other) == []
            other.goto(only + "/")
            expect(other).to_have_url(re.compile(r"/sign-in"))
        finally:
            context.close()
