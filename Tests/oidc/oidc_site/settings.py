"""Settings for the test OpenID provider. Everything run-specific comes from the environment,
which serve.py sets before Django starts:

    OIDC_TEST_SITE_URL  e.g. http://127.0.0.1:8123 (the issuer is this plus /openid)
    OIDC_TEST_DB        path of the SQLite file, inside serve.py's temporary directory
"""

import os
import secrets
from pathlib import Path

HERE = Path(__file__).resolve().parent

SECRET_KEY = secrets.token_urlsafe(50)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

# A fixed site URL makes the issuer and every endpoint in the discovery document the same
# whatever Host header a client sends.
SITE_URL = os.environ["OIDC_TEST_SITE_URL"]
CSRF_TRUSTED_ORIGINS = [SITE_URL]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

ROOT_URLCONF = "oidc_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE.parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["OIDC_TEST_DB"],
        # The server is threaded: wait for a lock rather than fail with "database is locked".
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# Test users only: a cheap hasher keeps start-up and logins fast on a small machine.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en"
USE_I18N = False
USE_TZ = True
TIME_ZONE = "UTC"

LOGIN_URL = "/accounts/login/"

# django-oidc-provider
OIDC_IDTOKEN_INCLUDE_CLAIMS = True  # the scopes' standard claims (email, name...) go into the ID token
OIDC_USERINFO = "oidc_site.userinfo.userinfo"  # adds email_verified and name
OIDC_SESSION_MANAGEMENT_ENABLE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        # One line per request, and tracebacks of server errors.
        "django.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        # Says why a token or authorization request was refused.
        "oidc_provider": {"handlers": ["stderr"], "level": "DEBUG", "propagate": False},
    },
}
