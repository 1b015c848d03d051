"""Fixtures the integration tests share."""

from tests.browser import browser  # noqa: F401  (Debian's Chromium for the browser tests)
