"""Benchmark: how fast the extension highlights a large PDF in its pdf.js viewer, in headless Chromium.

Builds a paper of `--pages` pages from the real gene summaries (so gene mentions come at their
natural density), prints it to PDF with Chromium's own print-to-PDF, serves it on loopback and
opens it in Debian's Chromium with the unpacked extension pointed at a running Iconoplasm server
that has the full catalogue (for example `./dev serve`). Then scrolls through it a page at a time,
waiting for each page's highlights, and prints:

(1) per page, from the page's text layer being in place to its genes being highlighted (the
    viewer's `iconoplasm-pdf-page` measures): median, 90th percentile and longest, and the
    highlights per page; the baseline, measured on the same pages in the same run: pdf.js drawing
    the page (`iconoplasm-pdf-draw`, from pagerender to pagerendered); their ratio;
(2) main-thread time per page while scrolling with highlighting (CDP's sampling profiler), in the
    extension's own modules (scanner, cards: the highlighting) against pdf.js's (the baseline);
(3) the main-thread tasks of 50 ms or more (Long Tasks API) in the viewer while the PDF opens and
    is scrolled through, with highlighting and, as the baseline, without it (the PDF's site
    switched off in the options, so pdf.js alone): what highlighting adds.

Targets: (1) highlighting a page takes at most as long as pdf.js takes to draw it (ratio <= 1);
(2) at most a quarter of pdf.js's main-thread time; (3) highlighting adds no task over 50 ms.

    python bench/pdf_highlight.py [--server URL] [--genes PATH] [--pages N] [--extension DIR]
"""

from __future__ import annotations

import argparse
import html
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from highlight import EXTENSION, build_extension, describe_tasks, extension_browser, read_summaries, serve

from pipeline.paths import default_data_dir

# The viewer's measures (extension/src/pdf/viewer.js).
DRAW_MEASURE, PAGE_MEASURE = "iconoplasm-pdf-draw", "iconoplasm-pdf-page"
CHARACTERS_PER_PAGE = 3_000  # about what an A4 page holds at the paper's type size
LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const task of list.getEntries()) __longTasks.push(task.duration);
}).observe({ type: "longtask", buffered: true });
"""
MEASURES = "name => performance.getEntriesByName(name).map(m => [m.detail.page, m.duration, m.detail.highlights ?? 0])"


def build_paper(summaries: list[str], pages: int) -> str:
    """A paper of `pages` printed pages of gene summaries, each page its own section."""
    sections, index = [], 0
    for number in range(1, pages + 1):
        paragraphs, size = [], 0
        while size < CHARACTERS_PER_PAGE:
            summary = summaries[index % len(summaries)]
            paragraphs.append(f"<p>{html.escape(summary)}</p>")
            size += len(summary)
            index += 1
        sections.append(f"<section><h2>Section {number}</h2>{''.join(paragraphs)}</section>")
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Gene summaries</title>"
        "<style>body { font: 10px/1.3 serif; } section { break-after: page; max-height: 260mm; overflow: hidden; }</style>"
        f"</head><body>{''.join(sections)}</body></html>"
    )


def first_per_page(measures: list[list]) -> dict[int, tuple[float, int]]:
    """page -> (duration, highlights) of its first measure (a page drawn again is measured again)."""
    found: dict[int, tuple[float, int]] = {}
    for page, duration, highlights in measures:
        found.setdefault(page, (duration, highlights))
    return found


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def set_highlighting(context, extension_id: str, *, off_for: str) -> None:
    """Switch highlighting off for the site `off_for` (none when empty), through the options page."""
    options = context.new_page()
    options.goto(f"chrome-extension://{extension_id}/src/pages/options.html")
    options.fill("#disabled-sites", off_for)
    options.click("#highlight-form button[type=submit]")
    expect(options.locator("#highlight-message")).to_contain_text("Saved:")
    options.close()


def main_thread_ms(profile: dict) -> dict[str, float]:
    """Milliseconds of the profile's samples spent in the extension's modules ("extension") and in
    pdf.js's ("pdf.js"), each sample going to the innermost of the two on its stack (pdf.js called
    by the viewer is pdf.js's; the viewer's handlers called by pdf.js are the extension's). The
    rest (layout, paint, garbage collection) is neither's alone."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    parent = {child: node["id"] for node in profile["nodes"] for child in node.get("children", [])}
    spent = {"extension": 0.0, "pdf.js": 0.0}
    for sample, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        node = sample
        while node in nodes:
            url = nodes[node]["callFrame"]["url"]
            owner = "pdf.js" if "/vendor/pdfjs/" in url else "extension" if "/src/" in url else None
            if owner:
                spent[owner] += delta / 1000
                break
            node = parent.get(node)
    return spent


def scroll_through(context, extension_id: str, address: str, wait_for: str) -> dict:
    """Open the PDF at `address`, bring each page into view in turn and wait for its `wait_for`
    measure; the measures, the long tasks, the main-thread time by whose code it ran, the page
    count and the time it all took."""
    viewer = context.new_page()
    viewer.add_init_script(LONG_TASKS)
    profiler = context.new_cdp_session(viewer)
    profiler.send("Profiler.enable")
    profiler.send("Profiler.start")
    started = time.monotonic()
    viewer.goto(address)
    viewer.wait_for_url(f"chrome-extension://{extension_id}/**")
    pages = viewer.locator(".pdfViewer .page")
    expect(pages.first).to_be_visible(timeout=60_000)
    page_count = pages.count()
    for number in range(1, page_count + 1):
        viewer.locator(f".page[data-page-number='{number}']").scroll_into_view_if_needed()
        while number not in first_per_page(viewer.evaluate(MEASURES, wait_for)):
            time.sleep(0.02)
    seconds = time.monotonic() - started
    measures = {name: first_per_page(viewer.evaluate(MEASURES, name)) for name in (DRAW_MEASURE, PAGE_MEASURE)}
    long_tasks = viewer.evaluate("window.__longTasks")
    spent = main_thread_ms(profiler.send("Profiler.stop")["profile"])
    viewer.close()
    return {"measures": measures, "long_tasks": long_tasks, "spent": spent, "pages": page_count, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--server", default="http://127.0.0.1:8000", help="a running Iconoplasm server with the full catalogue"
    )
    parser.add_argument(
        "--genes", type=Path, default=default_data_dir() / "genes.parquet", help="gene table with the summaries"
    )
    parser.add_argument("--pages", type=int, default=100, help="pages in the PDF")
    parser.add_argument("--extension", type=Path, default=EXTENSION, help="the unpacked extension to load")
    args = parser.parse_args()
    if not args.genes.exists():
        raise SystemExit(f"{args.genes} not found: run `iconoplasm data build` first")
    if args.extension == EXTENSION:
        build_extension()

    folder = Path(tempfile.mkdtemp())
    pdfs, origin = serve(folder)
    with sync_playwright() as playwright:
        context, extension_id, options, genes_loaded = extension_browser(
            playwright, folder / "profile", args.extension, args.server
        )
        # Chromium's print-to-PDF, from a blank tab where no content script runs.
        options.goto("about:blank")
        options.set_content(build_paper(read_summaries(args.genes), args.pages))
        (folder / "paper.pdf").write_bytes(options.pdf(format="A4"))
        options.close()
        # The baseline first: the PDF's site switched off, so the viewer shows it without highlights;
        # after one opening of the viewer, so neither run pays for compiling pdf.js the first time.
        set_highlighting(context, extension_id, off_for="127.0.0.1")
        warm_up = context.new_page()
        warm_up.goto(f"{origin}/paper.pdf")
        expect(warm_up.locator(".pdfViewer .page").first).to_be_visible(timeout=60_000)
        warm_up.close()

        plain = scroll_through(context, extension_id, f"{origin}/paper.pdf", DRAW_MEASURE)
        set_highlighting(context, extension_id, off_for="")
        highlighted_run = scroll_through(context, extension_id, f"{origin}/paper.pdf", PAGE_MEASURE)
        context.close()
    pdfs.shutdown()

    highlighted = highlighted_run["measures"][PAGE_MEASURE]
    drawn = highlighted_run["measures"][DRAW_MEASURE]
    page_count = highlighted_run["pages"]
    highlight_ms = [duration for duration, _ in highlighted.values()]
    draw_ms = [drawn[page][0] for page in highlighted if page in drawn]
    spans = [count for _, count in highlighted.values()]
    print(genes_loaded)
    print(
        f"PDF: {page_count} pages printed by Chromium, {sum(spans):,} highlights ({statistics.median(spans):.0f} a page median);"
        f" {plain['seconds']:.1f} s to open and scroll through without highlighting, {highlighted_run['seconds']:.1f} s with"
    )
    print(
        f"(1) text layer to highlights, per page: {statistics.median(highlight_ms):6.1f} ms median,"
        f" {percentile(highlight_ms, 0.9):.1f} ms 90th percentile, {max(highlight_ms):.1f} ms longest"
    )
    print(
        f"    baseline, pdf.js drawing a page: {statistics.median(draw_ms):6.1f} ms median,"
        f" {percentile(draw_ms, 0.9):.1f} ms 90th percentile"
    )
    print(
        f"    ratio (medians) highlight / draw: {statistics.median(highlight_ms) / statistics.median(draw_ms):.2f}  (target <= 1)"
    )
    spent = highlighted_run["spent"]
    print(
        f"(2) main-thread time per page: extension {spent['extension'] / page_count:.1f} ms, pdf.js {spent['pdf.js'] / page_count:.1f} ms;"
        f" ratio {spent['extension'] / spent['pdf.js']:.2f}  (target <= 0.25)"
    )
    print(f"(3) main-thread tasks >= 50 ms, pdf.js alone: {describe_tasks(plain['long_tasks'])}")
    print(f"    with highlighting: {describe_tasks(highlighted_run['long_tasks'])}  (target: no more, none longer)")


if __name__ == "__main__":
    main()
