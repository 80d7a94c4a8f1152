"""Highlights and cards from the keyboard, in real headless Chromium (and Firefox) with the
extension loaded: Tab reaches the first highlight of each gene, Enter opens its card as a labelled
dialog with the focus in it, Escape closes it and gives the focus back."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from .firefox import Firefox
from .test_firefox import save_server

ARTICLE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Keyboard</title></head>
<body><main>
  <p><button id="before" type="button">Before</button></p>
  <p>The TP53 gene binds LAIR1; TP53 again, and p53.</p>
</main></body></html>
"""
FOCUSED = "(() => { const el = document.activeElement; return [el.localName, el.textContent, el.getAttribute('aria-label')]; })()"
FOCUSED_IN_CARD = (
    "(() => { const host = document.activeElement; if (host.localName !== 'iconoplasm-card') return null;"
    " const el = host.shadowRoot.activeElement; return el && [el.localName, el.className]; })()"
)
CARD_OPEN = "document.querySelector('iconoplasm-card')?.hasAttribute('data-open') ?? false"


def open_article(configured, pages):
    context, _ = configured
    page = context.new_page()
    page.goto(pages.write("keyboard.html", ARTICLE))
    expect(page.locator("span.iconoplasm-gene")).to_have_count(4)
    return page


def test_tab_reaches_the_first_highlight_of_each_gene_only(configured, pages):
    page = open_article(configured, pages)
    page.focus("#before")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == ["span", "TP53", "TP53 (gene)"]
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == ["span", "LAIR1", "LAIR1 (gene)"]
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)[0] != "span", "the second TP53 and p53 are no Tab stops of their own"
    # Screen readers still find every highlight, each a button with a dialog and a name.
    buttons = page.get_by_role("button", name="TP53 (gene)")
    expect(buttons).to_have_count(2)
    expect(page.get_by_role("button", name="p53 (gene TP53)")).to_have_attribute("aria-haspopup", "dialog")
    page.close()


def test_enter_opens_the_card_as_a_dialog_and_escape_closes_it_giving_the_focus_back(configured, pages):
    page = open_article(configured, pages)
    page.focus("#before")
    page.keyboard.press("Tab")
    highlight = page.locator("span.iconoplasm-gene").first
    expect(highlight).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="TP53: tumor protein p53")
    expect(dialog).to_be_visible()
    expect(highlight).to_have_attribute("aria-expanded", "true")
    page.wait_for_function(f"{FOCUSED_IN_CARD} !== null")
    assert page.evaluate(FOCUSED_IN_CARD) == ["a", "card"]
    expect(dialog.get_by_role("link")).to_contain_text("Open the gene page")
    # Its one control keeps the focus: Tab does not wander off the card into the page.
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED_IN_CARD) == ["a", "card"]
    page.keyboard.press("Escape")
    assert page.evaluate(CARD_OPEN) is False
    expect(highlight).to_have_attribute("aria-expanded", "false")
    assert page.evaluate(FOCUSED) == ["span", "TP53", "TP53 (gene)"]
    page.close()


def test_space_opens_the_card_of_a_highlight_without_scrolling_the_page(configured, pages):
    page = open_article(configured, pages)
    page.focus("#before")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press(" ")
    expect(
        page.get_by_role("dialog", name="LAIR1: leukocyte associated immunoglobulin like receptor 1")
    ).to_be_visible()
    assert page.evaluate("window.scrollY") == 0
    page.keyboard.press("Escape")
    assert page.evaluate(FOCUSED)[1] == "LAIR1"
    page.close()


@pytest.fixture(scope="module")
def firefox(tmp_path_factory, site):
    """Debian's Firefox with the extension pointed at the test server."""
    browser = Firefox(tmp_path_factory.mktemp("firefox"))
    browser.start()
    save_server(browser, site.url)
    loaded = json.dumps(f"5 genes loaded from {site.url}.")
    browser.wait_for(f"document.getElementById('server-message').textContent === {loaded}")
    browser.close_tab()
    yield browser
    browser.stop()


def press(firefox: Firefox, key: str) -> None:
    """A real key press (WebDriver's key codes: Tab \ue004, Enter \ue007, Escape \ue00c)."""
    firefox.client.actions.sequence("key", "keyboard").key_down(key).key_up(key).perform()


def test_in_firefox_tab_enter_and_escape_work_the_same(firefox, pages):
    firefox.open_tab(pages.write("keyboard.html", ARTICLE))
    firefox.wait_for("document.querySelectorAll('span.iconoplasm-gene').length === 4")
    firefox.evaluate("document.getElementById('before').focus()")
    press(firefox, "\ue004")
    assert firefox.evaluate(FOCUSED) == ["span", "TP53", "TP53 (gene)"]
    press(firefox, "\ue007")
    firefox.wait_for(f"{FOCUSED_IN_CARD} !== null")
    assert firefox.evaluate(FOCUSED_IN_CARD) == ["a", "card"]
    dialog = "document.querySelector('iconoplasm-card').shadowRoot.querySelector('[role=dialog]')"
    assert firefox.evaluate(f"{dialog}.getAttribute('aria-label')") == "TP53: tumor protein p53"
    press(firefox, "\ue00c")
    assert firefox.evaluate(CARD_OPEN) is False
    assert firefox.evaluate(FOCUSED) == ["span", "TP53", "TP53 (gene)"]
    firefox.close_tab()
