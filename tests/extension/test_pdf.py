"""PDFs in real headless Chromium with the extension: a PDF printed from a page with genes (by
Chromium's own print-to-PDF), opened from a link on a website or as a file, opens in the
extension's pdf.js viewer; its text layer is highlighted in the genes' colours page by page as
pages render, hovering shows the card and the discovery reaches the server; the PDF's site
switched off takes the highlights away; with the option off the browser's own viewer keeps the
PDF; a missing PDF or a bad address gets a readable error; a PDF chosen or dropped from this
computer (the popup's way in) opens too."""

from __future__ import annotations

import re
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pipeline.paths import REPO_ROOT

from .conftest import open_options, sign_in, wait_until
from .test_browser import save_highlighting

PAPER = """<!doctype html>
<html><head><meta charset="utf-8"><title>A paper</title>
<style>body { font: 14px serif; } .page { break-after: page; }</style></head>
<body>
<section class="page">
  <h1>Tumour suppressors in context</h1>
  <p>The TP53 gene pairs with LAIR1 (CD305) in these cells.</p>
  <p>NEWG1, once called OLDG1, is read beside them; ordinary words such as tp53 stay plain.</p>
</section>
{filler}
<section class="page"><p>On the last page: SIGP1 and TP53 once more.</p></section>
</body></html>
"""
FILLER_PAGES = 12  # enough pages that the last one is drawn only when scrolled to
FIRST_PAGE = [("TP53", "TP53"), ("LAIR1", "LAIR1"), ("CD305", "LAIR1"), ("NEWG1", "NEWG1"), ("OLDG1", "NEWG1")]
LAST_PAGE = [("SIGP1", "SIGP1"), ("TP53", "TP53")]
HIGHLIGHTS = "els => els.map(e => [e.textContent, e.dataset.gene])"
# [page, drawn by pdf.js's renderer worker] for each page drawn (the viewer's draw measures).
PAGES_DRAWN = "performance.getEntriesByName('iconoplasm-pdf-draw').map(m => [m.detail.page, m.detail.inWorker])"


def page_layer(number: int) -> str:
    return f".page[data-page-number='{number}'] .textLayer"


@pytest.fixture(scope="module", autouse=True)
def vendored_pdfjs():
    """The viewer's pdf.js, copied from node_modules as `./dev test` does (before the browser
    loads the extension)."""
    copied = subprocess.run(["node", "extension/tools/vendor_pdfjs.mjs"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert copied.returncode == 0, copied.stderr


@pytest.fixture(scope="module")
def paper_pdf(configured, pages) -> tuple[str, int]:
    """(address, page count) of the paper printed to PDF by Chromium, served like any website's PDF."""
    context, _ = configured
    printer = context.new_page()  # about:blank, where no content script runs: the PDF has no highlights
    filler = "".join(
        f'<section class="page"><p>Filler page {n} without genes.</p></section>' for n in range(FILLER_PAGES)
    )
    printer.set_content(PAPER.replace("{filler}", filler))
    pdf = printer.pdf(format="A4")
    printer.close()
    return pages.write_bytes("paper.pdf", pdf), FILLER_PAGES + 2


@pytest.fixture(scope="module")
def local_pdf(paper_pdf, tmp_path_factory) -> Path:
    """The same PDF as a file on this computer (a file:// address)."""
    local = tmp_path_factory.mktemp("local") / "local paper.pdf"
    with urllib.request.urlopen(paper_pdf[0]) as response:
        local.write_bytes(response.read())
    return local


def set_pdf_viewer(browser, enabled: bool) -> None:
    options = open_options(browser)
    checkbox = options.locator("#pdf-viewer")
    checkbox.set_checked(enabled)
    options.click("#highlight-form button[type=submit]")
    expect(options.locator("#highlight-message")).to_contain_text("Saved:")
    options.close()


def test_a_printed_pdf_opens_in_the_viewer_highlighted_page_by_page(configured, paper_pdf, pages, site):
    context, extension_id = configured
    address, page_count = paper_pdf
    page = context.new_page()
    page.goto(
        pages.write("papers.html", '<!doctype html><title>Papers</title><a id="paper" href="paper.pdf">The paper</a>')
    )
    page.click("#paper")  # a link on a website, as a reader opens a paper
    page.wait_for_url(f"chrome-extension://{extension_id}/src/pdf/viewer.html?file={address}")
    expect(page.locator("#name")).to_have_text("paper.pdf")
    expect(page.locator(".pdfViewer .page")).to_have_count(page_count)
    first = page.locator(f"{page_layer(1)} span.iconoplasm-gene")
    expect(first).to_have_count(len(FIRST_PAGE))
    assert [tuple(pair) for pair in first.evaluate_all(HIGHLIGHTS)] == FIRST_PAGE
    # pdf.js drew the page in its renderer worker, off the page's main thread.
    drawn = page.evaluate(PAGES_DRAWN)
    assert [1, True] in drawn

    # The genes' own colours, as on any page (pill style: the colour behind the text).
    tp53 = site.request("/api/genes/TP53/")
    background = page.eval_on_selector(
        f"{page_layer(1)} span[data-gene=TP53]", "e => getComputedStyle(e).backgroundColor"
    )
    red, green, blue = (int(tp53["color_hex"][i : i + 2], 16) for i in (1, 3, 5))
    assert background == f"rgb({red}, {green}, {blue})"
    # A highlight sits on its word in the drawing: inside the box of pdf.js's span for that text.
    inside = page.eval_on_selector(
        f"{page_layer(1)} span[data-gene=LAIR1]",
        """e => { const a = e.getBoundingClientRect(), b = e.parentElement.getBoundingClientRect();
                 return a.width > 0 && a.left >= b.left - 2 && a.right <= b.right + 2 && a.top >= b.top - 4 && a.bottom <= b.bottom + 4; }""",
    )
    assert inside

    # Later pages are drawn, and highlighted, only once they come into view.
    last = page.locator(f"{page_layer(page_count)} span.iconoplasm-gene")
    assert last.count() == 0
    page.locator(f".page[data-page-number='{page_count}']").scroll_into_view_if_needed()
    expect(last).to_have_count(len(LAST_PAGE))
    assert [tuple(pair) for pair in last.evaluate_all(HIGHLIGHTS)] == LAST_PAGE
    measured = page.evaluate(
        "performance.getEntriesByName('iconoplasm-pdf-page').map(m => [m.detail.page, m.detail.highlights])"
    )
    assert [1, len(FIRST_PAGE)] in measured and [page_count, len(LAST_PAGE)] in measured
    page.close()


def test_hovering_a_gene_in_the_pdf_shows_its_card_and_the_discovery_reaches_the_server(configured, paper_pdf, site):
    context, _ = configured
    sign_in(configured)
    assert "LAIR1" not in site.discovered()
    page = context.new_page()
    page.goto(paper_pdf[0])
    expect(page.locator(f"{page_layer(1)} span.iconoplasm-gene")).to_have_count(len(FIRST_PAGE))
    # Extension pages forbid eval, so waits use locators (which see into the card's shadow root).
    card = page.locator("iconoplasm-card[data-open]")
    page.hover(f"{page_layer(1)} span[data-gene=TP53]")
    expect(card.locator(".name")).to_have_text("tumor protein p53")
    expect(card.locator("img.portrait")).to_have_attribute("src", re.compile(r"^data:image/png;"))
    page.mouse.move(0, 0)
    expect(card).to_have_count(0)
    page.hover(f"{page_layer(1)} span[data-gene=LAIR1]")
    expect(card.locator(".symbol")).to_have_text("LAIR1")
    time.sleep(1.3)  # past the dwell time that makes it a discovery
    page.mouse.move(0, 0)
    wait_until(lambda: "LAIR1" in site.discovered())
    page.close()


def test_with_the_option_off_the_browser_keeps_its_own_viewer(configured, paper_pdf, local_pdf):
    context, _ = configured
    address, _ = paper_pdf
    set_pdf_viewer(configured, False)
    try:
        for kept in (address, local_pdf.as_uri()):
            page = context.new_page()
            page.goto(kept)
            time.sleep(1)  # time for a redirect that must not come
            assert page.url == kept
            page.close()
    finally:
        set_pdf_viewer(configured, True)
    page = context.new_page()
    page.goto(address)
    page.wait_for_url("chrome-extension://**")
    page.close()


def test_a_pdf_on_this_computer_opens_in_the_viewer(configured, local_pdf):
    # Unpacked extensions may read file URLs unless the user turns it off; a packed one must be allowed.
    context, extension_id = configured
    page = context.new_page()
    page.goto(local_pdf.as_uri())
    page.wait_for_url(f"chrome-extension://{extension_id}/src/pdf/viewer.html?file={local_pdf.as_uri()}")
    expect(page.locator("#name")).to_have_text("local paper.pdf")
    expect(page.locator(f"{page_layer(1)} span.iconoplasm-gene")).to_have_count(len(FIRST_PAGE))
    page.close()


def test_switching_the_pdfs_site_off_takes_its_highlights_away(configured, paper_pdf):
    context, _ = configured
    page = context.new_page()
    page.goto(paper_pdf[0])
    highlights = page.locator(f"{page_layer(1)} span.iconoplasm-gene")
    expect(highlights).to_have_count(len(FIRST_PAGE))
    try:
        save_highlighting(configured, sites="127.0.0.1")  # the PDF's site, not the viewer's
        expect(highlights).to_have_count(0)
        assert "The TP53 gene pairs with LAIR1 (CD305) in these cells." in page.locator(page_layer(1)).text_content()
    finally:
        save_highlighting(configured)
    page.close()


def test_a_missing_pdf_or_a_bad_address_says_why(configured, pages):
    context, extension_id = configured
    viewer = f"chrome-extension://{extension_id}/src/pdf/viewer.html"
    page = context.new_page()
    missing = pages.url("missing.pdf")
    page.goto(f"{viewer}?file={missing}")
    expect(page.locator("#status.error")).to_contain_text(f"Could not open {missing}: ")
    expect(page.locator("#status.error")).to_contain_text("404")
    page.goto(f"{viewer}?file=javascript:alert(1)")
    expect(page.locator("#status.error")).to_have_text(
        "The viewer opens http, https and file PDFs, not javascript: ones."
    )
    page.goto(f"{viewer}?pdf=paper.pdf")
    expect(page.locator("#status.error")).to_have_text("No PDF to show: the viewer's address has no ?file= part.")
    page.close()


def test_a_pdf_chosen_or_dropped_from_this_computer_opens_in_the_viewer(configured, local_pdf, tmp_path):
    # The way in where the browser lets no extension read file URLs (Firefox, or Chromium with it switched off).
    context, extension_id = configured
    popup = context.new_page()
    popup.goto(f"chrome-extension://{extension_id}/src/pages/popup.html")
    with context.expect_page() as opened:
        popup.click("#open-pdf")
    viewer = opened.value
    expect(viewer.locator("#chooser")).to_be_visible()
    expect(viewer.locator("#status")).to_have_text("")
    not_a_pdf = tmp_path / "notes.txt"
    not_a_pdf.write_text("TP53 and LAIR1")
    viewer.set_input_files("#choose", str(not_a_pdf))
    expect(viewer.locator("#status.error")).to_have_text("notes.txt is not a PDF.")
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(local_pdf.read_bytes()[:200])
    viewer.set_input_files("#choose", str(damaged))
    expect(viewer.locator("#status.error")).to_contain_text("Could not open damaged.pdf: ")
    expect(viewer.locator("#chooser")).to_be_visible()
    viewer.set_input_files("#choose", str(local_pdf))
    expect(viewer.locator("#name")).to_have_text("local paper.pdf")
    expect(viewer.locator("#chooser")).to_be_hidden()
    highlights = viewer.locator(f"{page_layer(1)} span.iconoplasm-gene")
    expect(highlights).to_have_count(len(FIRST_PAGE))
    assert [tuple(pair) for pair in highlights.evaluate_all(HIGHLIGHTS)] == FIRST_PAGE
    # After the damaged file, still one scanner and one card: hovering opens a single card.
    viewer.hover(f"{page_layer(1)} span[data-gene=TP53]")
    expect(viewer.locator("iconoplasm-card[data-open] .name")).to_have_text("tumor protein p53")
    expect(viewer.locator("iconoplasm-card")).to_have_count(1)

    dropped_on = context.new_page()
    dropped_on.goto(f"chrome-extension://{extension_id}/src/pdf/viewer.html")
    files = dropped_on.evaluate_handle(
        """async (bytes) => { const files = new DataTransfer();
           files.items.add(new File([new Uint8Array(bytes)], "dropped.pdf", { type: "application/pdf" }));
           return files; }""",
        list(local_pdf.read_bytes()),
    )
    dropped_on.dispatch_event("body", "drop", {"dataTransfer": files})
    expect(dropped_on.locator("#name")).to_have_text("dropped.pdf")
    expect(dropped_on.locator(f"{page_layer(1)} span.iconoplasm-gene")).to_have_count(len(FIRST_PAGE))
    for page in (popup, viewer, dropped_on):
        page.close()
