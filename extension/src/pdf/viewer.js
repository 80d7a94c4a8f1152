// The PDF viewer (PDFs opened in a tab come here; src/background/pdf_redirect.js). pdf.js draws
// each page as it comes into view and lays its text over the drawing in a transparent text layer;
// the content script's own code (main.js: scanner, hover cards, discoveries) highlights that
// layer as each page appears, so matching happens in the background as for any page.
import { start } from "../content/main.js";
import { ext } from "../shared/browser_api.js";
import * as pdfjsLib from "../../vendor/pdfjs/build/pdf.mjs";
import { pdfAddressOf } from "./viewer_address.js";

// The viewer components read the library from this global: that is how pdfjs-dist ships them.
globalThis.pdfjsLib = pdfjsLib;
const { EventBus, LinkTarget, PDFLinkService, PDFViewer } = await import("../../vendor/pdfjs/web/pdf_viewer.mjs");

const VENDOR = new URL("../../vendor/pdfjs/", import.meta.url);
// Each page's measures (performance.measure, read by bench/pdf_highlight.py and the tests): pdf.js
// drawing it, and from its text layer being in place to its genes being highlighted.
export const DRAW_MEASURE = "iconoplasm-pdf-draw";
export const PAGE_MEASURE = "iconoplasm-pdf-page";

pdfjsLib.GlobalWorkerOptions.workerSrc = new URL("build/pdf.worker.mjs", VENDOR).href;
// Pages are drawn in pdf.js's renderer worker, on canvases handed to it (OffscreenCanvas), and
// the canvases may use the GPU (enableHWA below). Drawn on the main thread, a 100-page PDF
// scrolled through had a dozen tasks of 50-96 ms there (bench/pdf_highlight.py and a trace); with
// the worker alone about eight of ~50 ms remained (the commits of canvases kept for reading
// back); with both, none.
pdfjsLib.GlobalWorkerOptions.rendererSrc = new URL("build/pdf.renderer.mjs", VENDOR).href;
const $ = (id) => document.getElementById(id);

function say(message, { error = false } = {}) {
  $("status").textContent = message;
  $("status").classList.toggle("error", error);
}

/**
 * Times each page's drawing (and says whether the renderer worker drew it), and from its text
 * layer to its highlights once the scanner has caught up; `scanner()` is the page's scanner once
 * a PDF has started it.
 */
function measurePages(eventBus, scanner) {
  const drawStarted = new Map(); // page number -> when pdf.js began drawing it, and its render task
  eventBus.on("pagerender", ({ source, pageNumber }) => drawStarted.set(pageNumber, { start: performance.now(), task: source.renderTask }));
  eventBus.on("pagerendered", ({ pageNumber, error }) => {
    const drawing = drawStarted.get(pageNumber);
    if (error || !drawing) return;
    const detail = { page: pageNumber, inWorker: drawing.task?.isWorkerRendering === true };
    performance.measure(DRAW_MEASURE, { start: drawing.start, detail });
  });
  eventBus.on("textlayerrendered", async ({ source, pageNumber, error }) => {
    const drawn = performance.now();
    const scanning = await scanner();
    if (error || !scanning || !source.textLayer?.div) return;
    scanning.scan(source.textLayer.div);
    await scanning.idle();
    const highlights = source.textLayer.div.querySelectorAll("span.iconoplasm-gene").length;
    performance.measure(PAGE_MEASURE, { start: drawn, detail: { page: pageNumber, highlights } });
  });
}

// One pdf.js viewer and one scanner (with its hover cards) for the page: a second PDF is shown
// in them only after the first could not be read and the chooser was offered.
const eventBus = new EventBus();
const linkService = new PDFLinkService({ eventBus, externalLinkTarget: LinkTarget.BLANK });
// Finding web addresses in each page's text to link them takes pdf.js a main-thread task of
// 50 ms or more on a full page; the PDF's own links are kept.
const viewer = new PDFViewer({ container: $("container"), viewer: $("viewer"), eventBus, linkService, enableAutoLinking: false });
linkService.setViewer(viewer);
eventBus.on("pagesinit", () => {
  viewer.currentScaleValue = "page-width";
});
eventBus.on("pagechanging", ({ pageNumber }) => {
  $("pages").textContent = `page ${pageNumber} of ${viewer.pagesCount}`;
});
let scanning; // started by the first PDF shown, for its site
measurePages(eventBus, () => scanning);

/**
 * Shows one PDF: `name` in the bar, `site` the site whose settings apply (disabled sites, highlight
 * style; the first PDF's, and a second one is local like it), `source` what pdf.js's getDocument
 * reads (`url` or the file's `data`).
 */
async function show({ name, site, source }) {
  $("name").textContent = name;
  document.title = `${name} – Iconoplasm`;
  $("chooser").hidden = true;
  scanning ??= start(ext.runtime.sendMessage({ type: "page-setup", site }), site, { paint: false }).catch((error) => {
    say(`Iconoplasm is not highlighting this PDF: ${error.message}`, { error: true });
  });

  say("Opening…");
  const pdf = await pdfjsLib.getDocument({
    ...source,
    cMapUrl: new URL("cmaps/", VENDOR).href,
    standardFontDataUrl: new URL("standard_fonts/", VENDOR).href,
    wasmUrl: new URL("wasm/", VENDOR).href,
    iccUrl: new URL("iccs/", VENDOR).href,
    // Extension pages may not evaluate code; pdf.js draws fonts without it.
    isEvalSupported: false,
    // Canvases the browser may keep on the GPU, as pdf.js's own viewer makes them (the library's
    // default is canvases kept for reading pixels back, which this viewer never does).
    enableHWA: true,
  }).promise;
  viewer.setDocument(pdf);
  linkService.setDocument(pdf);
  $("pages").textContent = `page 1 of ${pdf.numPages}`;
  say("");
}

/** A PDF at `address` (http, https or file). */
function showAddress(address) {
  const url = new URL(address);
  const name = decodeURIComponent(url.pathname.split("/").pop() || address);
  return show({ name, site: url.hostname, source: { url: address } }).catch((error) => {
    // Firefox lets no add-on read files on this computer, whatever the user allows: the file can still be chosen.
    const local = url.protocol === "file:";
    say(`Could not open ${address}: ${error.message}${local ? ". Choose the file below to read it here." : ""}`, { error: true });
    if (local) offerChooser();
  });
}

/** A PDF from this computer that the user chose or dropped; its settings are those of local files. */
async function showFile(file) {
  if (!(file.type === "application/pdf" || file.name.toLowerCase().endsWith(".pdf"))) {
    say(`${file.name} is not a PDF.`, { error: true });
    return;
  }
  try {
    await show({ name: file.name, site: "", source: { data: new Uint8Array(await file.arrayBuffer()) } });
  } catch (error) {
    say(`Could not open ${file.name}: ${error.message}`, { error: true });
    offerChooser();
  }
}

/** The way in for a PDF on this computer: a file input, or a PDF dropped anywhere on the page. */
function offerChooser() {
  $("chooser").hidden = false;
}

$("choose").addEventListener("change", () => {
  const [file] = $("choose").files;
  if (file) showFile(file);
});
document.addEventListener("dragover", (event) => {
  if (!$("chooser").hidden) event.preventDefault();
});
document.addEventListener("drop", (event) => {
  if ($("chooser").hidden) return;
  event.preventDefault();
  const [file] = event.dataTransfer.files;
  if (file) showFile(file);
});

if (location.search) {
  let address;
  try {
    address = pdfAddressOf(location.search);
  } catch (error) {
    say(error.message, { error: true });
  }
  if (address) showAddress(address);
} else {
  offerChooser();
}
