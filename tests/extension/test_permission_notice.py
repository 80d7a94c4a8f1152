"""The permission notice in real headless Chromium, whose permissions API differs from Firefox's
(test_firefox.py tests the notice asking): with everything granted at install, the first-run page
says so and the options page asks for nothing."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import open_options, wait_until


def test_the_first_run_page_opens_on_install_and_the_options_page_asks_for_nothing(browser):
    context, extension_id = browser
    welcome = f"chrome-extension://{extension_id}/src/pages/welcome.html"
    # A tab the extension opened at start-up is not among Playwright's pages: ask the browser.
    worker = context.service_workers[0]
    wait_until(lambda: worker.evaluate("(url) => chrome.tabs.query({ url }).then((tabs) => tabs.length)", welcome))
    page = context.new_page()
    page.goto(welcome)
    expect(page.locator("#access .access-ready")).to_have_text(
        "Iconoplasm is ready: it may read the pages you open and contact its server at http://127.0.0.1:8000."
    )
    expect(page.locator("#access li")).to_have_count(0)
    expect(page.locator("#allow-access")).to_be_hidden()
    page.close()

    options = open_options(browser)
    expect(options.locator("#settings")).to_be_enabled()
    # The notice has checked and stays hidden: Chromium granted all at install.
    expect(options.locator("#access")).to_have_attribute("data-state", "ready")
    expect(options.locator("#access")).to_be_hidden()
    options.close()
