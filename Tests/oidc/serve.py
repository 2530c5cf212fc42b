#!/usr/bin/env python3
"""A real OpenID Connect provider (django-oidc-provider) on 127.0.0.1 for OpenQI's tests.

    python3 Tests/oidc/serve.py --port PORT --client-id ID --client-secret SECRET \
        --redirect-uri URI [--redirect-uri URI2 ...] --user EMAIL:PASSWORD [--user ...] \
        [--post-logout-redirect-uri URI]

It keeps its database in a fresh temporary directory (deleted on exit), migrates it, makes an RSA
signing key, one confidential client (response type `code`, no consent screen, ID tokens signed
with RS256) and the users (username and email = EMAIL, first and last name from the part before
the @: "ada.lovelace@x" is Ada Lovelace, "admin@x" is Admin Tester), then serves on
127.0.0.1:PORT with one thread a request. Once the discovery document answers it prints a single
line to stdout:

    ready http://127.0.0.1:PORT/openid

That URL is the issuer; discovery is at <issuer>/.well-known/openid-configuration and people sign
in at /accounts/login/ (fields `username` and `password`, button "Sign in at the provider").
Request logs and the provider's reasons for refusing a request go to stderr. SIGTERM or SIGINT
stops it, exit status 0.

Needs: python3 -m pip install "django-oidc-provider==0.9.0" "Django>=4.2,<6"
"""

import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

import argparse
import io
import json
import os
import re
import shutil
import signal
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent


class Stop(Exception):
    pass


def _on_signal(signum, frame):
    raise Stop()


def parse_args(argv):
    p = argparse.ArgumentParser(description="Test OpenID Connect provider for OpenQI.")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--client-id", required=True)
    p.add_argument("--client-secret", required=True)
    p.add_argument("--redirect-uri", action="append", required=True, dest="redirect_uris")
    p.add_argument("--user", action="append", required=True, dest="users", metavar="EMAIL:PASSWORD")
    p.add_argument("--post-logout-redirect-uri", action="append", default=[],
                   dest="post_logout_redirect_uris")
    args = p.parse_args(argv)
    users = []
    for spec in args.users:
        email, sep, password = spec.partition(":")
        if not sep or "@" not in email or not password:
            p.error(f"--user must be EMAIL:PASSWORD, got {spec!r}")
        users.append((email, password))
    args.users = users
    return args


def names_from_email(email):
    parts = [w for w in re.split(r"[._+-]+", email.split("@", 1)[0]) if w]
    first = parts[0].capitalize() if parts else "Test"
    last = " ".join(w.capitalize() for w in parts[1:]) or "Tester"
    return first, last


def _isolate_sys_path():
    # Tests/browser/oidc_provider.py (the helper that starts this script) must never shadow the
    # django-oidc-provider package called oidc_provider.
    sys.path[:] = [p for p in sys.path
                   if not (p and os.path.isfile(os.path.join(p, "oidc_provider.py")))]
    sys.path.insert(0, str(HERE))


def set_up(args):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType, RSAKey

    call_command("migrate", verbosity=0, interactive=False)
    call_command("creatersakey", stdout=io.StringIO())  # it reports on stdout, ready line only
    if not RSAKey.objects.exists():
        raise RuntimeError("creatersakey made no RSA key")

    client = Client(
        name="OpenQI test client",
        client_type="confidential",
        client_id=args.client_id,
        client_secret=args.client_secret,
        jwt_alg="RS256",
        require_consent=False,
        reuse_consent=True,
    )
    client.redirect_uris = args.redirect_uris
    client.post_logout_redirect_uris = args.post_logout_redirect_uris
    client.save()
    code, _ = ResponseType.objects.get_or_create(
        value="code", defaults={"description": "code (Authorization Code Flow)"})
    client.response_types.add(code)

    User = get_user_model()
    for email, password in args.users:
        first, last = names_from_email(email)
        User.objects.create_user(username=email, email=email, password=password,
                                 first_name=first, last_name=last)


def wait_for_discovery(issuer, deadline):
    url = issuer + "/.well-known/openid-configuration"
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                doc = json.load(r)
            if doc.get("issuer") != issuer:
                raise RuntimeError(f"discovery says issuer {doc.get('issuer')!r}, not {issuer!r}")
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

    site_url = f"http://127.0.0.1:{args.port}"
    issuer = site_url + "/openid"
    tmp = tempfile.mkdtemp(prefix="openqi-oidc-")
    server = thread = None
    try:
        os.environ["DJANGO_SETTINGS_MODULE"] = "oidc_site.settings"
        os.environ["OIDC_TEST_SITE_URL"] = site_url
        os.environ["OIDC_TEST_DB"] = os.path.join(tmp, "provider.sqlite3")
        _isolate_sys_path()

        import django
        django.setup()
        set_up(args)

        from django.core.handlers.wsgi import WSGIHandler
        from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

        server = ThreadedWSGIServer(("127.0.0.1", args.port), WSGIRequestHandler)
        server.set_app(WSGIHandler())
        thread = threading.Thread(target=server.serve_forever, name="oidc-server", daemon=True)
        thread.start()

        wait_for_discovery(issuer, time.monotonic() + 30)
        print(f"ready {issuer}", flush=True)
        while True:
            time.sleep(3600)
    except Stop:
        return 0
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
