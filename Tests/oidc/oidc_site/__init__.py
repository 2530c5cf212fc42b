"""Minimal Django project serving django-oidc-provider for OpenQI's tests (see ../serve.py)."""
