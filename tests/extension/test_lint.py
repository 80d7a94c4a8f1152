"""`web-ext lint` (Mozilla's add-on linter, from package.json) finds no errors in extension/."""

from __future__ import annotations

from .conftest import EXTENSION, package_tool

# Inherent to supporting both browsers from one folder: Firefox ignores the Chromium service
# worker key (the Firefox package, tests/extension/test_package.py, drops it); and the vendored
# pdf.js import()s URLs it computes.
EXPECTED_WARNINGS = {"BACKGROUND_SERVICE_WORKER_IGNORED", "UNSAFE_VAR_ASSIGNMENT"}


def test_web_ext_lint_reports_no_errors():
    report = package_tool().lint(
        EXTENSION,
        "--self-hosted",
        # The unit tests and analysis tools live beside the extension but are not shipped in it.
        "--ignore-files",
        "test/**",
        "testing/**",
        "tools/**",
    )
    assert report["errors"] == [], report["errors"]
    assert {warning["code"] for warning in report["warnings"]} <= EXPECTED_WARNINGS, report["warnings"]
