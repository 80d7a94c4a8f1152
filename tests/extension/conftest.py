"""Fixtures for the browser tests: the test server, a site serving ordinary pages, and headless
Chromium with the unpacked extension loaded."""

from __future__ import annotations

import functools
import http.server
import importlib.util
import subprocess
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from pipeline.paths import REPO_ROOT

from .live_site import PASSWORD, USERNAME, LiveSite

EXTENSION = REPO_ROOT / "extension"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session", autouse=True)
def built_content_script():
    """The content script the manifest names, bundled from the modules as they are now (as
    `./dev test` does), so a browser never loads one built from older modules."""
    built = subprocess.run(
        ["node", "extension/tools/build_content_script.mjs"], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert built.returncode == 0, built.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    live = LiveSite(tmp_path_factory.mktemp("site"))
    live.prepare()
    live.start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Serves the files written into its folder on another loopback origin, like any website."""
    folder: Path = tmp_path_factory.mktemp("pages")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    class Pages:
        def write(self, name: str, html: str) -> str:
            (folder / name).write_text(html, encoding="utf-8")
            return self.url(name)

        def write_bytes(self, name: str, data: bytes) -> str:
            """A file served as its extension says (a .pdf as application/pdf)."""
            (folder / name).write_bytes(data)
            return self.url(name)

        def url(self, name: str) -> str:
            return f"http://127.0.0.1:{server.server_address[1]}/{name}"

    yield Pages()
    server.shutdown()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """(context, extension id): a fresh profile with only the Iconoplasm extension."""
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=["--headless=new", f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}"],
        )
        worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
        yield context, worker.url.split("/")[2]
        context.close()


def open_popup(browser):
    context, extension_id = browser
    popup = context.new_page()
    popup.goto(f"chrome-extension://{extension_id}/src/pages/popup.html")
    return popup


def sign_in(browser):
    """Sign the extension in as the test site's user, through its options page."""
    options = open_options(browser)
    options.fill("#username", USERNAME)
    options.fill("#password", PASSWORD)
    options.click("#sign-in-form button[type=submit]")
    expect(options.locator("#account-state")).to_contain_text(f"Signed in as {USERNAME}.")
    options.close()


def hover_for(page, symbol, seconds):
    """Hover a highlighted gene until its card opens, stay ``seconds``, move away."""
    page.hover(f"span.iconoplasm-gene[data-gene={symbol}]")
    page.wait_for_function("document.querySelector('iconoplasm-card')?.hasAttribute('data-open')")
    time.sleep(seconds)
    page.mouse.move(0, 0)


def wait_until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def open_options(browser):
    context, extension_id = browser
    page = context.new_page()
    page.goto(f"chrome-extension://{extension_id}/src/pages/options.html")
    return page


@pytest.fixture(scope="module")
def configured(browser, site):
    """The extension pointed at the test server through its options page."""
    page = open_options(browser)
    page.fill("#server", site.url)
    page.click("#server-form button[type=submit]")
    # Extension pages forbid eval, so waits use locators rather than wait_for_function.
    expect(page.locator("#server-message")).to_have_text(f"5 genes loaded from {site.url}.")
    page.close()
    return browser


@functools.cache
def package_tool():
    """extension/tools/package.py (the packaging and web-ext lint steps) as a module."""
    spec = importlib.util.spec_from_file_location("package_tool", EXTENSION / "tools" / "package.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
