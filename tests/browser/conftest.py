"""Browser tests use the shared fixtures of tests/support/browser.py."""
