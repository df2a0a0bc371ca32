"""Test override: fast hashing and plain HTTP; the database still comes from DATABASE_URL."""

import os

os.environ.setdefault("MACA_DEBUG", "false")
os.environ.setdefault("MACA_SECRET_KEY", "test-secret-key-for-the-test-suite-only-0123456789")
os.environ.setdefault("MACA_SSL_REDIRECT", "false")
os.environ.setdefault("MACA_TASKS_IMMEDIATE", "true")
# Suites that walk every page and endpoint as one person would be throttled at the production
# rates; the throttling tests set the rates they prove.
os.environ.setdefault("MACA_API_RATE", "100000/min")
os.environ.setdefault("MACA_RENDER_RATE", "100000/min")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "extracts": STORAGES["extracts"],  # noqa: F405
    "renders": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}

# Charts drawn in one test process stay in it: a query count must not depend on which test
# drew a chart first.
CACHES = {
    **CACHES,  # noqa: F405
    "charts": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "charts"},
}
