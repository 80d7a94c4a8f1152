"""The extension in real headless Chromium against a live test server."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from .conftest import hover_for, open_options, wait_until
from .live_site import PASSWORD, USERNAME

READING_LIST = """<!doctype html>
<html><head><meta charset="utf-8"><title>Reading list</title></head>
<body>
<main>
  <h1>Reading list</h1>
  <p id="prose">The TP53 gene, also written p53, pairs with LAIR1 (CD305).</p>
  <p>A <a id="link" href="second.html">page about NEWG1</a> explains its rename from OLDG1.</p>
  <pre><code>TP53 = load("LAIR1")</code></pre>
  <textarea id="notes">TP53 notes</textarea>
  <p>Ordinary words stay plain: tp53, NEWG10 and SIGP; Lair1 is a paper's spelling.</p>
  <button id="counter" type="button">clicked 0</button>
  <div id="later"></div>
</main>
<script>
  let clicks = 0;
  document.getElementById("counter").addEventListener("click", (event) => {
    event.target.textContent = `clicked ${++clicks}`;
  });
  setTimeout(() => {
    const added = document.createElement("p");
    added.textContent = "Added by a script: SIGP1, and TP53 once more.";
    document.getElementById("later").append(added);
  }, 400);
</script>
</body></html>
"""
EXPECTED = [
    ("TP53", "TP53"),
    ("p53", "TP53"),
    ("LAIR1", "LAIR1"),
    ("CD305", "LAIR1"),
    ("NEWG1", "NEWG1"),
    ("OLDG1", "NEWG1"),
    ("Lair1", "LAIR1"),
    ("SIGP1", "SIGP1"),
    ("TP53", "TP53"),
]
HIGHLIGHTS = "els => els.map(e => [e.textContent, e.dataset.gene])"


def open_reading_list(browser, pages, highlights=None):
    """The reading list in a new tab, once it shows `highlights` highlights (all of EXPECTED by default)."""
    if highlights is None:
        highlights = len(EXPECTED)
    context, _ = browser
    page = context.new_page()
    page.goto(pages.write("reading.html", READING_LIST))
    pages.write("second.html", "<!doctype html><title>Second</title><p>The second page.</p>")
    page.wait_for_function(f"document.querySelectorAll('span.iconoplasm-gene').length === {highlights}", timeout=15_000)
    return page


def card_text(page, selector):
    return page.evaluate(
        f"document.querySelector('iconoplasm-card').shadowRoot.querySelector({selector!r})?.textContent ?? null"
    )


def test_highlights_exactly_the_prose_and_the_page_keeps_working(configured, pages, site):
    page = open_reading_list(configured, pages)
    assert [tuple(pair) for pair in page.eval_on_selector_all("span.iconoplasm-gene", HIGHLIGHTS)] == EXPECTED
    assert page.eval_on_selector_all("pre span.iconoplasm-gene, code span.iconoplasm-gene", "els => els.length") == 0
    assert page.input_value("#notes") == "TP53 notes"
    assert page.text_content("#prose") == "The TP53 gene, also written p53, pairs with LAIR1 (CD305)."
    tp53 = site.request("/api/genes/TP53/")
    background = page.eval_on_selector(
        "span.iconoplasm-gene[data-gene=TP53]", "e => getComputedStyle(e).backgroundColor"
    )
    red, green, blue = (int(tp53["color_hex"][i : i + 2], 16) for i in (1, 3, 5))
    assert background == f"rgb({red}, {green}, {blue})"
    page.click("#counter")
    assert page.text_content("#counter") == "clicked 1"
    time.sleep(0.5)  # the scanner's own changes must not set off another round
    assert len(page.eval_on_selector_all("span.iconoplasm-gene", HIGHLIGHTS)) == len(EXPECTED)
    page.click("#link span.iconoplasm-gene")
    page.wait_for_url("**/second.html")
    page.close()


def test_highlighting_goes_through_the_background_and_the_tab_never_gets_the_index(configured, pages):
    context, _ = configured
    worker = context.service_workers[0]
    # A second listener that only watches (it answers nothing): what the background is asked, by whom.
    worker.evaluate(
        """() => {
            globalThis.asked = [];
            chrome.runtime.onMessage.addListener((message, sender) => {
                asked.push({ type: message.type, fromTab: Boolean(sender.tab), texts: message.texts ?? [] });
            });
        }"""
    )
    page = open_reading_list(configured, pages)
    assert [tuple(pair) for pair in page.eval_on_selector_all("span.iconoplasm-gene", HIGHLIGHTS)] == EXPECTED
    asked = worker.evaluate("asked")
    from_tab = [message for message in asked if message["fromTab"]]
    assert from_tab[0]["type"] == "page-setup"
    batches = [message["texts"] for message in from_tab if message["type"] == "match"]
    assert batches, "the tab had its text matched by the background"
    sent = [text for batch in batches for text in batch]
    assert "The TP53 gene, also written p53, pairs with LAIR1 (CD305)." in sent
    assert not any("notes" in text or "load(" in text for text in sent), "a textarea and code are never sent"
    assert any("Added by a script" in text for text in sent), "content added later goes the same way"
    page.close()

    # What a tab receives, asked from an extension page: the setup is a few fields, a batch's answer
    # carries its mentions and the colours of just the genes found.
    options = open_options(configured)
    setup = options.evaluate("chrome.runtime.sendMessage({ type: 'page-setup', site: 'example.org' })")
    assert setup["ok"] and set(setup["result"]) == {"enabled", "style", "problem"}
    answer = options.evaluate(
        "chrome.runtime.sendMessage({ type: 'match', texts: ['TP53 binds LAIR1.', 'Nothing here.'] })"
    )["result"]
    assert [[(m["start"], m["end"], m["symbol"]) for m in mentions] for mentions in answer["mentions"]] == [
        [(0, 4, "TP53"), (11, 16, "LAIR1")],
        [],
    ]
    assert set(answer["colours"]) == {"TP53", "LAIR1"}
    options.close()


def test_a_pill_keeps_the_spaces_beside_it_visible(configured, pages):
    page = open_reading_list(configured, pages)
    # "The TP53 gene": the pill's box against the words before and after it, and a space's width.
    gaps = page.eval_on_selector(
        "#prose span.iconoplasm-gene[data-gene=TP53]",
        """span => {
            const box = (node, start, end) => {
                const range = document.createRange();
                range.setStart(node, start);
                range.setEnd(node, end);
                return range.getBoundingClientRect();
            };
            const before = span.previousSibling, after = span.nextSibling;
            const pill = span.getBoundingClientRect();
            return {
                space: box(before, 3, 4).width,
                left: pill.left - box(before, 0, 3).right,
                right: box(after, 1, 5).left - pill.right,
                colour: getComputedStyle(span).backgroundColor,
            };
        }""",
    )
    assert gaps["colour"] != "rgba(0, 0, 0, 0)", "the pill style is on"
    assert gaps["left"] >= gaps["space"] / 2 and gaps["right"] >= gaps["space"] / 2, gaps
    page.close()


LONG_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Long</title></head><body><main>"
    + "".join(f"<p id='p{i}'>Paragraph {i}: TP53 binds LAIR1, as ever.</p>" for i in range(400))
    + "<p id='end'>The end.</p></main>"
    # Scrolled to the end while the page is parsed, before the extension starts.
    + "<script>document.getElementById('end').scrollIntoView()</script></body></html>"
)
# In the page's world: when the scanner marks all drawn, how many mentions were painted and how
# many were spans, and the background colour of each highlight painted then (read at once: the
# page may be idle enough to make spans of them all soon after); and in what order spans were
# made (their paragraph's number).
PAINT_PROBE = r"""
window.__paint = { marked: null, spanOrder: [] };
const ours = () => [...CSS.highlights].filter(([name, h]) => name.startsWith("iconoplasm-") && h.size > 0);
new PerformanceObserver((list) => {
  for (const mark of list.getEntries()) {
    if (mark.name !== "iconoplasm-highlighted" || __paint.marked) continue;
    __paint.marked = {
      mentions: mark.detail.mentions,
      painted: ours().reduce((n, [, h]) => n + h.size, 0),
      spans: document.querySelectorAll("span.iconoplasm-gene").length,
      colours: ours().map(([name]) => getComputedStyle(document.getElementById("p0"), `::highlight(${name})`).backgroundColor),
    };
  }
}).observe({ type: "mark", buffered: true });
document.addEventListener("DOMContentLoaded", () => {
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType === 1 && node.classList.contains("iconoplasm-gene")) __paint.spanOrder.push(Number(node.parentElement.id.slice(1)));
      }
    }
  }).observe(document.body, { childList: true, subtree: true });
});
"""


def test_a_long_page_is_painted_at_once_and_its_mentions_become_spans_near_the_view_first(configured, pages):
    context, _ = configured
    page = context.new_page()
    page.add_init_script(PAINT_PROBE)
    page.goto(pages.write("long.html", LONG_PAGE))
    page.wait_for_function("window.__paint.marked !== null", timeout=15_000)
    marked = page.evaluate("__paint.marked")
    assert marked["mentions"] == 800
    assert marked["painted"] + marked["spans"] == 800, marked
    assert marked["painted"] > 400, f"far from the view, mentions are painted, not spans: {marked}"
    # Every painted highlight has the colours highlight.css gives its name.
    colours = marked["colours"]
    assert colours and all(colour not in ("", "rgba(0, 0, 0, 0)") for colour in colours), colours
    page.wait_for_function(
        """document.querySelectorAll("span.iconoplasm-gene").length === 800
            && [...CSS.highlights].every(([name, h]) => !name.startsWith("iconoplasm-") || h.size === 0)""",
        timeout=15_000,
    )
    order = page.evaluate("__paint.spanOrder")
    assert min(order[:20]) > 300, f"the paragraphs in view became spans first: {order[:20]}"
    assert sorted(order) == sorted(list(range(400)) * 2)
    expect(page.locator("#p399 span.iconoplasm-gene[data-gene=TP53]")).to_have_attribute("role", "button")
    page.close()


def test_hover_shows_the_card_with_its_portrait_and_a_click_opens_the_gene_page(configured, pages, site):
    context, _ = configured
    page = open_reading_list(configured, pages)
    page.hover("#prose span.iconoplasm-gene[data-gene=TP53]")
    page.wait_for_function(
        "document.querySelector('iconoplasm-card')?.shadowRoot.querySelector('img.portrait')?.complete"
    )
    assert card_text(page, ".symbol") == "TP53"
    assert card_text(page, ".name") == "tumor protein p53"
    assert "sex" in card_text(page, ".traits") and "← soluble" in card_text(page, ".traits")
    assert card_text(page, ".faction") == "Faction: pro-control"
    size = page.evaluate(
        "(() => { const img = document.querySelector('iconoplasm-card').shadowRoot.querySelector('img.portrait'); return [img.naturalWidth, img.naturalHeight, img.src.slice(0, 15)]; })()"
    )
    assert size == [48, 64, "data:image/png;"]
    with context.expect_page() as opened:
        page.evaluate("document.querySelector('iconoplasm-card').shadowRoot.querySelector('a.card').click()")
    opened.value.wait_for_load_state()
    assert opened.value.url == f"{site.url}/genes/TP53/"
    opened.value.close()
    page.keyboard.press("Escape")
    assert page.evaluate("document.querySelector('iconoplasm-card').hasAttribute('data-open')") is False
    page.close()


def test_guest_discoveries_merge_on_sign_in_and_later_ones_reach_the_server(configured, pages, site):
    context, extension_id = configured
    assert not {"NEWG1", "LAIR1"} & site.discovered()
    page = open_reading_list(configured, pages)
    hover_for(page, "NEWG1", 1.3)
    popup = context.new_page()
    popup.goto(f"chrome-extension://{extension_id}/src/pages/popup.html")
    expect(popup.locator("#genes")).to_have_text(f"5 genes loaded from {site.url}")
    expect(popup.locator("#discoveries")).to_have_text(re.compile(r"^[1-9]\d* genes discovered in this browser$"))
    popup.close()

    options = open_options(configured)
    options.fill("#username", USERNAME)
    options.fill("#password", "not the password")
    options.click("#sign-in-form button[type=submit]")
    expect(options.locator("#account-message.error")).to_have_text("Sign-in failed: username or password is incorrect.")
    options.fill("#password", PASSWORD)
    options.click("#sign-in-form button[type=submit]")
    expect(options.locator("#account-message")).to_have_text(re.compile(r"^Signed in\. "))
    expect(options.locator("#account-state")).to_contain_text(f"Signed in as {USERNAME}.")
    options.close()
    assert "NEWG1" in site.discovered(), "the guest discovery merged into the account"

    hover_for(page, "LAIR1", 1.3)
    wait_until(lambda: "LAIR1" in site.discovered())
    page.close()


def test_a_card_closed_early_is_no_discovery(configured, pages, site):
    page = open_reading_list(configured, pages)
    hover_for(page, "SIGP1", 0.2)
    time.sleep(2.5)  # past the dwell time and the batching delay
    assert "SIGP1" not in site.discovered()
    page.close()


def save_highlighting(browser, *, style="pill", sites="", extra_blocked=""):
    options = open_options(browser)
    options.select_option("#style", style)
    options.fill("#disabled-sites", sites)
    options.click("#reset-blocklist")
    if extra_blocked:
        options.fill("#blocklist", options.input_value("#blocklist") + " " + extra_blocked)
    options.click("#highlight-form button[type=submit]")
    expect(options.locator("#highlight-message")).to_contain_text("Saved:")
    options.close()


def test_style_site_switch_and_blocklist_from_the_options_page(configured, pages):
    page = open_reading_list(configured, pages)
    try:
        save_highlighting(configured, style="underline")
        page.wait_for_function("document.documentElement.dataset.iconoplasmStyle === 'underline'")
        decoration = page.eval_on_selector("span.iconoplasm-gene", "e => getComputedStyle(e).textDecorationLine")
        assert decoration == "underline"

        save_highlighting(configured, sites="127.0.0.1")
        page.wait_for_function("document.querySelectorAll('span.iconoplasm-gene').length === 0")
        assert page.text_content("#prose") == "The TP53 gene, also written p53, pairs with LAIR1 (CD305)."

        save_highlighting(configured, extra_blocked="LAIR1")
        page.close()
        # LAIR1 and its spelling Lair1 go dark; its alias CD305 stays.
        page = open_reading_list(configured, pages, highlights=len(EXPECTED) - 2)
        found = [tuple(pair) for pair in page.eval_on_selector_all("span.iconoplasm-gene", HIGHLIGHTS)]
        assert ("LAIR1", "LAIR1") not in found and ("Lair1", "LAIR1") not in found and ("CD305", "LAIR1") in found
    finally:
        save_highlighting(configured)
        page.close()


def test_a_page_on_a_disabled_site_is_left_exactly_as_it_is(configured, pages):
    """Its first batches go out before the page setup says the site is off: the background refuses
    them, and the scanner stops without drawing or touching the page's nodes."""
    save_highlighting(configured, sites="127.0.0.1")
    try:
        page = configured[0].new_page()
        page.goto(
            pages.write(
                "disabled.html",
                "<!doctype html><p id='split'></p><script>document.getElementById('split')"
                ".append('The TP53 gene ', 'binds LAIR1.')</script><p>BRCA2 and MTOR.</p>",
            )
        )
        time.sleep(1.5)
        assert page.evaluate("document.getElementById('split').childNodes.length") == 2
        assert (
            page.evaluate(
                "document.querySelectorAll('span.iconoplasm-gene').length"
                " + [...CSS.highlights].filter(([name, h]) => name.startsWith('iconoplasm-') && h.size > 0).length"
            )
            == 0
        )
        page.close()
        options = open_options(configured)
        refused = options.evaluate(
            "chrome.runtime.sendMessage({ type: 'match', texts: ['TP53 binds MDM2'], site: '127.0.0.1' })"
        )
        options.close()
        assert refused == {"ok": False, "error": "Iconoplasm is turned off on 127.0.0.1."}
    finally:
        save_highlighting(configured)


def stop_service_worker(browser):
    """A restarted worker has lost its memory: what it knows comes from storage.local."""
    context, _ = browser
    options = open_options(browser)  # the worker's own origin, where DevTools may stop it
    devtools = context.new_cdp_session(options)
    devtools.send("ServiceWorker.enable")
    devtools.send("ServiceWorker.stopAllWorkers")
    options.close()


def test_a_page_opened_with_no_lexicon_saved_is_highlighted_once_its_setup_fetched_one(configured, pages):
    """The page's first batches reach the background before its setup has downloaded the lexicon:
    they wait for it rather than fail."""
    context, _ = configured
    context.service_workers[0].evaluate("chrome.storage.local.remove('lexicon')")
    stop_service_worker(configured)
    page = open_reading_list(configured, pages)
    assert [tuple(pair) for pair in page.eval_on_selector_all("span.iconoplasm-gene", HIGHLIGHTS)] == EXPECTED
    page.close()
    assert context.service_workers[0].evaluate("chrome.storage.local.get('lexicon').then(({ lexicon }) => !!lexicon)")


def test_with_the_server_stopped_pages_are_still_highlighted_from_the_saved_lexicon(configured, pages, site):
    context, _ = configured
    site.stop()
    try:
        # A restarted worker has lost its memory, so the lexicon must come from storage.local.
        context.service_workers[0].evaluate("globalThis.beforeRestart = true")
        stop_service_worker(configured)
        page = open_reading_list(configured, pages)
        assert [tuple(pair) for pair in page.eval_on_selector_all("span.iconoplasm-gene", HIGHLIGHTS)] == EXPECTED
        page.hover("#prose span.iconoplasm-gene[data-gene=LAIR1]")
        page.wait_for_function("document.querySelector('iconoplasm-card')?.shadowRoot.querySelector('.problem')")
        assert (
            card_text(page, ".problem")
            == f"Cannot reach the Iconoplasm server at {site.url}. Is it running, and is the address right?"
        )
        assert context.service_workers[0].evaluate("typeof globalThis.beforeRestart") == "undefined"
        page.close()
    finally:
        site.start()
