"""The extension in real headless Firefox (Debian's firefox-esr over Marionette, installed as a
temporary add-on) against a live test server: highlights, the card, discoveries, the saved lexicon
offline, the notice that asks for host permissions a user took back or never gave, and PDFs
opened in a tab going to the extension's viewer unless the option keeps Firefox's own."""

from __future__ import annotations

import time
import urllib.parse
import urllib.request

import pytest

from .conftest import wait_until
from .firefox import Firefox
from .live_site import PASSWORD, USERNAME
from .test_browser import EXPECTED, READING_LIST
from .test_pdf import FIRST_PAGE, LAST_PAGE, PAGES_DRAWN, PAPER, page_layer, vendored_pdfjs  # noqa: F401 (an autouse fixture)

CARD = "document.querySelector('iconoplasm-card')"
# Everything the manifest lets a user revoke in about:addons: the declared hosts and the pages.
ALL_HOSTS = ["http://127.0.0.1/*", "http://localhost/*", "http://*/*", "https://*/*"]
OPTIONAL_SERVER = "https://iconoplasm.example.org"


@pytest.fixture(scope="module")
def firefox(tmp_path_factory):
    browser = Firefox(tmp_path_factory.mktemp("firefox"))
    browser.start()
    yield browser
    browser.stop()


def open_options(firefox: Firefox) -> None:
    firefox.open_tab(firefox.extension_url("src/pages/options.html"))
    firefox.wait_for("!document.getElementById('settings').disabled")


def text_of(firefox: Firefox, selector: str):
    return firefox.evaluate("document.querySelector(arguments[0])?.textContent ?? null", selector)


def save_server(firefox: Firefox, server: str) -> None:
    """Types ``server`` on the options page and saves it; returns once the page has answered."""
    open_options(firefox)
    firefox.fill("#server", server)
    firefox.find("#server-form button[type=submit]").click()
    firefox.wait_for("/[^…]$/.test(document.getElementById('server-message').textContent)")


@pytest.fixture(scope="module")
def configured(firefox, site):
    """Firefox with the extension pointed at the test server through its options page."""
    save_server(firefox, site.url)
    assert text_of(firefox, "#server-message") == f"5 genes loaded from {site.url}."
    firefox.close_tab()
    return firefox


def highlights(firefox: Firefox, within: str = "") -> list[tuple[str, str]]:
    """(text, gene) of each highlight in page order, only those inside ``within`` (a selector) if given."""
    found = firefox.evaluate(
        "Array.from(document.querySelectorAll(arguments[0]), (e) => [e.textContent, e.dataset.gene])",
        f"{within} span.iconoplasm-gene".strip(),
    )
    return [tuple(pair) for pair in found]


def colour_of(firefox: Firefox, highlight: str) -> str:
    return firefox.evaluate("getComputedStyle(document.querySelector(arguments[0])).backgroundColor", highlight)


def gene_rgb(site, symbol: str) -> str:
    """The gene's colour from the server's API, as getComputedStyle writes it."""
    hex_colour = site.request(f"/api/genes/{symbol}/")["color_hex"]
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def open_reading_list(firefox: Firefox, pages) -> None:
    """The reading list in a new tab, once all of EXPECTED is highlighted."""
    firefox.open_tab(pages.write("reading.html", READING_LIST))
    firefox.wait_for(f"document.querySelectorAll('span.iconoplasm-gene').length === {len(EXPECTED)}")


def hover_for(firefox: Firefox, symbol: str, seconds: float) -> None:
    """The pointer on a highlight until its card opens, ``seconds`` more, then away."""
    firefox.hover(f"span.iconoplasm-gene[data-gene={symbol}]")
    firefox.wait_for(f"{CARD}?.hasAttribute('data-open')")
    time.sleep(seconds)
    firefox.move_pointer_away()


def notice(firefox: Firefox) -> dict:
    """What the permission notice on the current page shows: its reasons by need, and its button."""
    return firefox.evaluate(
        """(() => {
            const section = document.getElementById('access');
            const shown = (element) => Boolean(element?.checkVisibility());
            return {
                shown: shown(section),
                reasons: Object.fromEntries(
                    Array.from(section.querySelectorAll('li'), (item) => [item.dataset.need, item.textContent])
                ),
                button: shown(section.querySelector('#allow-access')),
                ready: shown(section.querySelector('.access-ready')) ? section.querySelector('.access-ready').textContent : null,
                message: shown(section) ? section.querySelector('.message').textContent : null,
            };
        })()"""
    )


def test_the_first_run_page_opens_on_install_and_says_all_is_granted(firefox):
    firefox.switch_to_tab_at(firefox.extension_url("src/pages/welcome.html"))
    firefox.wait_for("document.querySelector('#access .access-ready')?.textContent")
    shown = notice(firefox)
    assert shown["ready"] == (
        "Iconoplasm is ready: it may read the pages you open and contact its server at http://127.0.0.1:8000."
    )
    assert shown["reasons"] == {} and not shown["button"]
    firefox.close_tab()


def test_highlights_the_prose_in_each_gene_colour(configured, pages, site):
    open_reading_list(configured, pages)
    assert highlights(configured) == EXPECTED
    assert highlights(configured, "pre") == highlights(configured, "code") == []
    assert text_of(configured, "#prose") == "The TP53 gene, also written p53, pairs with LAIR1 (CD305)."
    assert colour_of(configured, "span.iconoplasm-gene[data-gene=TP53]") == gene_rgb(site, "TP53")
    configured.find("#counter").click()
    assert text_of(configured, "#counter") == "clicked 1", "the page's own scripts keep working"
    configured.close_tab()


def test_the_pointer_on_a_highlight_shows_the_card_with_its_portrait(configured, pages):
    open_reading_list(configured, pages)
    configured.hover("#prose span.iconoplasm-gene[data-gene=TP53]")
    configured.wait_for(f"{CARD}?.shadowRoot.querySelector('img.portrait')?.complete")
    card = configured.evaluate(
        f"""(() => {{
            const root = {CARD}.shadowRoot;
            const image = root.querySelector('img.portrait');
            return {{
                symbol: root.querySelector('.symbol').textContent,
                name: root.querySelector('.name').textContent,
                faction: root.querySelector('.faction').textContent,
                image: [image.naturalWidth, image.naturalHeight, image.src.slice(0, 15)],
            }};
        }})()"""
    )
    assert card == {
        "symbol": "TP53",
        "name": "tumor protein p53",
        "faction": "Faction: pro-control",
        "image": [48, 64, "data:image/png;"],
    }
    configured.move_pointer_away()
    configured.wait_for(f"!{CARD}.hasAttribute('data-open')")
    configured.close_tab()


def test_a_card_read_while_signed_in_reaches_the_server_as_a_discovery(configured, pages, site):
    open_options(configured)
    configured.fill("#username", USERNAME)
    configured.fill("#password", PASSWORD)
    configured.find("#sign-in-form button[type=submit]").click()
    configured.wait_for(f"document.getElementById('account-state').textContent.startsWith('Signed in as {USERNAME}.')")
    configured.close_tab()
    assert "LAIR1" not in site.discovered()
    open_reading_list(configured, pages)
    hover_for(configured, "LAIR1", 1.3)
    wait_until(lambda: "LAIR1" in site.discovered())
    configured.close_tab()


def test_with_the_server_stopped_pages_are_highlighted_from_the_saved_lexicon(configured, pages, site):
    site.stop()
    try:
        # A stopped background page has lost its memory: the lexicon must come from storage.local.
        configured.stop_background()
        open_reading_list(configured, pages)
        assert highlights(configured) == EXPECTED
        configured.hover("span.iconoplasm-gene[data-gene=NEWG1]")
        configured.wait_for(f"{CARD}?.shadowRoot.querySelector('.problem')")
        assert configured.evaluate(f"{CARD}.shadowRoot.querySelector('.problem').textContent") == (
            f"Cannot reach the Iconoplasm server at {site.url}. Is it running, and is the address right?"
        )
        configured.close_tab()
    finally:
        site.start()


def revoke(firefox: Firefox, origins: list[str]) -> None:
    """Takes host permissions back, as a user does under about:addons → Iconoplasm → Permissions
    (the current tab must be an extension page)."""
    assert firefox.run_async("return browser.permissions.remove({ origins: args[0] });", origins) is True


def test_with_its_host_permissions_revoked_the_extension_says_so_and_asks_again(configured, pages, site):
    options = configured.extension_url("src/pages/options.html")
    open_options(configured)
    configured.wait_for("document.getElementById('access').dataset.state === 'ready'")
    assert not notice(configured)["shown"], "all granted: the options page asks for nothing"
    revoke(configured, ALL_HOSTS)
    # The open page notices by itself.
    configured.wait_for("document.querySelector('#access li')")

    configured.open_tab(pages.write("revoked.html", READING_LIST))
    time.sleep(2)
    assert highlights(configured) == [], "without permission to read pages nothing is highlighted"
    configured.close_tab()

    # The popup says what is wrong and where to fix it.
    configured.open_tab(configured.extension_url("src/pages/popup.html"))
    configured.wait_for("document.getElementById('problem').textContent")
    assert text_of(configured, "#problem") == (
        f'Iconoplasm may not contact {site.url}: open its options page and press "Allow access".'
    )
    configured.close_tab()
    configured.switch_to_tab_at(options)

    configured.open_tab(configured.extension_url("src/pages/welcome.html"))
    configured.wait_for("document.querySelector('#access li')")
    on_welcome = notice(configured)
    configured.close_tab()
    configured.switch_to_tab_at(options)
    for page, shown in (("welcome", on_welcome), ("options", notice(configured))):
        assert shown["shown"] and shown["button"] and shown["ready"] is None, page
        assert shown["reasons"] == {
            "server": f"Iconoplasm needs your permission to contact its server at {site.url}: the gene list and the "
            "character cards come from there, and your discoveries go there.",
            "pages": "Iconoplasm needs your permission to read the web pages you open, so that it can highlight the "
            "genes on them. A page's text stays in your browser.",
        }, page

    # The button opens Firefox's own prompt; once allowed, the notice goes and pages light up again.
    configured.find("#allow-access").click()
    prompt = configured.answer_permission_prompt(allow=True)
    assert prompt == {"extension": "Iconoplasm", "permissions": ["Access your data for all websites"]}
    configured.wait_for("!document.querySelector('#access li')")
    assert notice(configured)["message"].startswith("Thank you: Iconoplasm has what it needs.")
    configured.close_tab()
    open_reading_list(configured, pages)
    configured.close_tab()


def test_a_server_outside_the_declared_hosts_without_permission_is_asked_for(configured, site):
    # The user chose a server while every https site was allowed, then took that back.
    save_server(configured, OPTIONAL_SERVER)
    configured.close_tab()
    try:
        open_options(configured)
        revoke(configured, ["https://*/*"])
        configured.wait_for("document.querySelector('#access li')")
        shown = notice(configured)
        assert set(shown["reasons"]) == {"server", "pages"}
        assert shown["reasons"]["server"].startswith(
            f"Iconoplasm needs your permission to contact its server at {OPTIONAL_SERVER}: "
        )
        assert shown["button"]

        configured.find("#allow-access").click()
        configured.answer_permission_prompt(allow=False)
        configured.wait_for("document.querySelector('#access .message').textContent")
        assert notice(configured)["message"] == (
            "Nothing was allowed, so Iconoplasm still cannot do its work. Press the button again whenever you are ready."
        )
        assert set(notice(configured)["reasons"]) == {"server", "pages"}, "declining changes nothing"

        configured.find("#allow-access").click()
        configured.answer_permission_prompt(allow=True)
        configured.wait_for("!document.querySelector('#access li')")
        configured.close_tab()
    finally:
        save_server(configured, site.url)
        configured.close_tab()


def scroll_to_page(firefox: Firefox, number: int) -> None:
    """Scrolls the PDF viewer to a page and returns once its scroll events have stopped: a scroll
    closes the card, so a hover made while the viewer still scrolled would be undone at once."""
    firefox.run_async(
        """const settled = new AbortController();
        let last = performance.now();
        addEventListener("scroll", () => { last = performance.now(); }, { capture: true, signal: settled.signal });
        document.querySelector(`.page[data-page-number='${args[0]}']`).scrollIntoView();
        while (performance.now() - last < 250) await new Promise((resolve) => setTimeout(resolve, 50));
        settled.abort();""",
        number,
    )


@pytest.fixture(scope="module")
def paper_pdf(configured, pages) -> str:
    """The address of test_pdf.py's paper printed to PDF by Firefox, served like any website's PDF
    (as application/pdf)."""
    # A data: page, where no content script runs, so the PDF carries the paper's plain text.
    configured.open_tab("data:text/html;charset=utf-8," + urllib.parse.quote(PAPER.replace("{filler}", "")))
    address = pages.write_bytes("firefox-paper.pdf", configured.print_pdf())
    configured.close_tab()
    return address


def set_pdf_viewer(firefox: Firefox, enabled: bool) -> None:
    """Ticks or clears *Open PDFs in Iconoplasm's viewer* on the options page and saves."""
    open_options(firefox)
    if firefox.find("#pdf-viewer").is_selected() != enabled:
        firefox.find("#pdf-viewer").click()
    firefox.find("#highlight-form button[type=submit]").click()
    firefox.wait_for("document.getElementById('highlight-message').textContent.startsWith('Saved:')")
    firefox.close_tab()


def test_a_pdf_in_the_extension_viewer_is_highlighted_and_its_genes_show_cards(configured, paper_pdf, site):
    configured.open_tab(configured.extension_url(f"src/pdf/viewer.html?file={paper_pdf}"))
    wait_until(lambda: highlights(configured, page_layer(1)) == FIRST_PAGE, timeout=15)
    assert colour_of(configured, f"{page_layer(1)} span[data-gene=TP53]") == gene_rgb(site, "TP53")
    # pdf.js drew the page in its renderer worker, off the page's main thread.
    drawn = configured.evaluate(PAGES_DRAWN)
    assert [1, True] in drawn
    # The last page is highlighted once scrolled to, as pdf.js draws it.
    scroll_to_page(configured, 2)
    wait_until(lambda: highlights(configured, page_layer(2)) == LAST_PAGE)

    scroll_to_page(configured, 1)
    configured.hover(f"{page_layer(1)} span[data-gene=TP53]")
    configured.wait_for(f"{CARD}?.shadowRoot.querySelector('.name')?.textContent === 'tumor protein p53'")
    configured.close_tab()


def test_a_pdf_opened_in_a_tab_goes_to_the_extension_viewer(configured, paper_pdf):
    viewer = configured.extension_url(f"src/pdf/viewer.html?file={paper_pdf}")
    configured.open_tab(paper_pdf)
    wait_until(lambda: configured.client.get_url() == viewer)
    wait_until(lambda: highlights(configured, page_layer(1)) == FIRST_PAGE, timeout=15)
    configured.close_tab()
    # The listener is the background page's: Firefox wakes a stopped page for it, and it is there again.
    configured.stop_background()
    configured.open_tab(paper_pdf)
    wait_until(lambda: configured.client.get_url() == viewer)
    configured.close_tab()


def test_with_the_option_off_a_pdf_stays_in_firefoxs_own_viewer(configured, paper_pdf):
    set_pdf_viewer(configured, False)
    try:
        configured.open_tab(paper_pdf)
        time.sleep(1)  # time for a redirect that must not come
        assert configured.client.get_url() == paper_pdf
        configured.close_tab()
    finally:
        set_pdf_viewer(configured, True)
    configured.open_tab(paper_pdf)
    wait_until(lambda: configured.client.get_url().startswith(configured.extension_url("src/pdf/viewer.html")))
    configured.close_tab()


def test_a_pdf_on_this_computer_is_read_in_the_viewer_once_chosen(configured, paper_pdf, tmp_path):
    local = tmp_path / "local paper.pdf"
    with urllib.request.urlopen(paper_pdf) as response:
        local.write_bytes(response.read())
    # Firefox lets no add-on read a file URL: the viewer says so and offers to choose the file.
    configured.open_tab(configured.extension_url(f"src/pdf/viewer.html?file={local.as_uri()}"))
    configured.wait_for("!document.getElementById('chooser').hidden")
    assert "Choose the file below to read it here." in text_of(configured, "#status")
    configured.find("#choose").send_keys(str(local))
    wait_until(lambda: highlights(configured, page_layer(1)) == FIRST_PAGE, timeout=15)
    assert text_of(configured, "#name") == "local paper.pdf"
    configured.close_tab()
