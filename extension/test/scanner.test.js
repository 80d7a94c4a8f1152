import assert from "node:assert/strict";
import { test } from "node:test";
import { JSDOM } from "jsdom";
import { createPageMatchers } from "../src/background/page_matchers.js";
import { createScanner } from "../src/content/scanner.js";

// A stand-in for matcher.js (whole words from a fixed list), so that these tests follow the
// scanner and not the matching rules.
const NAMES = new Map(["TP53", "BRCA1", "MTOR", "PALB2", "IL6", "MDM2"].map((symbol) => [symbol, symbol]));
NAMES.set("p53", "TP53");
const findNames = (text) =>
  [...text.matchAll(/[\p{L}\p{N}]+/gu)]
    .filter((word) => NAMES.has(word[0]))
    .map((word) => ({ start: word.index, end: word.index + word[0].length, symbol: NAMES.get(word[0]) }));
const matcher = { page: () => ({ match: (texts) => texts.map(findNames) }) };
const colours = new Map([...NAMES.values()].map((symbol, i) => [symbol, [`#00000${i}`, "#ffffff"]]));
const THIS_PAGE = { tab: 1, frame: 0, document: "doc" };

/**
 * The background's side of a page, as the scanner sees it: batches answered asynchronously (after
 * `delayMs`) by one page matcher, copied as a message would be; `batches` records what was sent.
 */
function background({ delayMs = 0 } = {}) {
  const pages = createPageMatchers();
  const batches = [];
  const match = async (texts) => {
    batches.push(texts);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return structuredClone(pages.match(THIS_PAGE, matcher, colours, texts));
  };
  return { match, batches };
}

function page(body) {
  return new JSDOM(`<!doctype html><html><body>${body}</body></html>`).window.document;
}

/** A page with `body`, scanned until the scanner has nothing left to do. */
async function scannedPage(body, overrides = {}) {
  const document = page(body);
  const scanner = createScanner({ document, match: background().match, ...overrides });
  scanner.start();
  await scanner.idle();
  return { document, scanner };
}

const highlighted = (document) => [...document.querySelectorAll("span.iconoplasm-gene")].map((span) => `${span.textContent}=${span.dataset.gene}`);
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

test("wraps mentions in prose and leaves code, fields, scripts and editors alone", async () => {
  const { document } = await scannedPage(`
    <p>TP53 and BRCA1 in a paragraph, with <b>MTOR</b> in bold.</p>
    <a href="https://example.org/next">read about PALB2</a>
    <pre>TP53 in pre</pre><code>TP53 in code</code><kbd>TP53</kbd>
    <textarea>TP53 in textarea</textarea><input value="TP53"><select><option>TP53</option></select>
    <script>var TP53 = 1;</script><style>.TP53 {}</style><noscript>TP53</noscript>
    <div contenteditable="true">TP53 editable <span>TP53 nested</span></div>
    <div contenteditable="false">IL6 not editable</div>
    <div role="textbox">TP53 textbox</div>
    <svg><text>TP53 in svg</text></svg><math><mi>TP53</mi></math>`);
  assert.deepEqual(highlighted(document), ["TP53=TP53", "BRCA1=BRCA1", "MTOR=MTOR", "PALB2=PALB2", "IL6=IL6"]);
});

test("a highlight is a span with the gene's colours, and the text around it is unchanged", async () => {
  const { document } = await scannedPage("<p>Before TP53 after.</p>");
  const span = document.querySelector("span.iconoplasm-gene");
  const [background, foreground] = colours.get("TP53");
  assert.equal(span.getAttribute("data-gene"), "TP53");
  assert.equal(span.style.getPropertyValue("--iconoplasm-color"), background);
  assert.equal(span.style.getPropertyValue("--iconoplasm-text"), foreground);
  assert.equal(document.querySelector("p").textContent, "Before TP53 after.");
});

test("a highlighted link keeps its target and its text", async () => {
  const { document } = await scannedPage('<a href="https://example.org/p53">the p53 story</a>');
  const link = document.querySelector("a");
  assert.equal(link.getAttribute("href"), "https://example.org/p53");
  assert.equal(link.querySelector("span.iconoplasm-gene").dataset.gene, "TP53");
  assert.equal(link.textContent, "the p53 story");
});

test("content added later is highlighted, and the scanner's own output is not highlighted again", async () => {
  const { document, scanner } = await scannedPage("<p>TP53</p>");
  const added = document.createElement("div");
  added.innerHTML = "<p>Later: BRCA1 and <em>PALB2</em></p><code>MTOR</code>";
  document.body.append(added);
  await settle();
  await scanner.idle();
  assert.deepEqual(highlighted(document), ["TP53=TP53", "BRCA1=BRCA1", "PALB2=PALB2"]);
  assert.equal(document.querySelectorAll("span.iconoplasm-gene span.iconoplasm-gene").length, 0);
  await settle();
  assert.equal(highlighted(document).length, 3);
});

test("text the page rewrites is scanned again", async () => {
  const { document, scanner } = await scannedPage("<p id='status'>nothing yet</p>");
  document.getElementById("status").firstChild.data = "now IL6";
  await settle();
  await scanner.idle();
  assert.deepEqual(highlighted(document), ["IL6=IL6"]);
});

test("works in slices of at most sliceMs, yielding to the page between them", async () => {
  let now = 0;
  let slices = 0;
  const { document } = await scannedPage(Array.from({ length: 40 }, (_, i) => `<p>paragraph ${i} mentions TP53</p>`).join(""), {
    sliceMs: 8,
    clock: () => (now += 3), // each step of work (a node walked, a node highlighted) takes 3 ms
    defer: (task) => {
      slices += 1;
      setTimeout(task, 0);
    },
  });
  assert.equal(highlighted(document).length, 40);
  assert.ok(slices >= 40 / 3, `expected at least 14 slices, got ${slices}`);
});

test("the main content is matched before the rest of the page", async () => {
  const { match, batches } = background();
  await scannedPage("<header>Menu BRCA1</header><main><p>Main TP53</p></main><footer>Foot PALB2</footer>", { match });
  assert.deepEqual(batches.flat(), ["Main TP53", "Menu BRCA1", "Foot PALB2"]);
});

test("the first batch is small, later ones grow fourfold, and a few go out before the first is answered", async () => {
  const paragraphs = Array.from({ length: 200 }, (_, i) => `<p>Paragraph ${i} says that TP53 binds MDM2 and that the rest is prose.</p>`);
  let out = 0;
  let most = 0;
  const { match, batches } = background({ delayMs: 2 });
  const { document } = await scannedPage(paragraphs.join(""), {
    firstBatch: 500,
    largestBatch: 4_000,
    batchesOut: 2,
    match: async (texts) => {
      most = Math.max(most, ++out);
      const answer = await match(texts);
      out -= 1;
      return answer;
    },
  });
  const sizes = batches.map((texts) => texts.join("").length);
  assert.equal(highlighted(document).length, 400);
  assert.equal(most, 2, "two batches out at a time, never more");
  assert.ok(sizes[0] >= 500 && sizes[0] < 600, `first batch ${sizes[0]} characters`);
  assert.ok(sizes[1] >= 2_000 && sizes[1] < 2_100, `second batch ${sizes[1]} characters`);
  assert.ok(Math.max(...sizes) < 4_100, "no batch is much over the largest size");
  const texts = [...document.querySelectorAll("p")].map((p) => p.textContent);
  assert.deepEqual(batches.flat(), texts, "every text is sent once, in page order");
});

test("answers that come back out of order are drawn in page order", async () => {
  const paragraphs = Array.from({ length: 60 }, (_, i) => `<p>Paragraph ${i}: TP53.</p>`);
  const { match } = background();
  const drawnOrder = [];
  let call = 0;
  const document = page(paragraphs.join(""));
  new document.defaultView.MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) if (node.classList?.contains("iconoplasm-gene")) drawnOrder.push(node.parentElement.textContent);
  }).observe(document.body, { childList: true, subtree: true });
  const scanner = createScanner({
    document,
    firstBatch: 100,
    largestBatch: 400,
    batchesOut: 4,
    // Each answer slower than the next: the last batch sent is the first answered.
    match: async (texts) => {
      const delay = 40 - 10 * (call++ % 4);
      await new Promise((resolve) => setTimeout(resolve, delay));
      return match(texts);
    },
  });
  scanner.start();
  await scanner.idle();
  await settle();
  assert.deepEqual(drawnOrder, [...document.querySelectorAll("p")].map((p) => p.textContent));
});

test("spans take the symbol and colours the background sent and ignore a mention's other fields", async () => {
  const sent = [];
  const { document } = await scannedPage("<p>The gene XYZ1 here.</p>", {
    match: async (texts) => {
      sent.push(...texts);
      return { mentions: [[{ start: 9, end: 13, symbol: "TP53", candidates: ["TP53", "TP63"] }]], colours: { TP53: ["#123456", "#ffffff"] } };
    },
  });
  const span = document.querySelector("span.iconoplasm-gene");
  assert.deepEqual(sent, ["The gene XYZ1 here."]);
  assert.equal(span.textContent, "XYZ1");
  assert.equal(span.dataset.gene, "TP53");
  assert.equal(span.style.getPropertyValue("--iconoplasm-color"), "#123456");
  assert.equal(span.getAttributeNames().sort().join(" "), "aria-expanded aria-haspopup aria-label class data-gene role style tabindex");
  assert.equal(span.getAttribute("aria-label"), "XYZ1 (gene TP53)");
});

test("text the page rewrites while its batch is out is matched again, not overwritten", async () => {
  const document = page("<p id='status'>waiting for TP53</p>");
  const { match } = background({ delayMs: 20 });
  const scanner = createScanner({ document, match });
  scanner.start();
  document.getElementById("status").firstChild.data = "now IL6";
  await settle();
  await scanner.idle();
  assert.deepEqual(highlighted(document), ["IL6=IL6"]);
  assert.equal(document.getElementById("status").textContent, "now IL6");
});

test("a batch that cannot be matched is reported, and the rest of the page still highlighted", async () => {
  const problems = [];
  const { match } = background();
  let calls = 0;
  const { document } = await scannedPage("<main><p>TP53 first</p></main><p>then BRCA1</p>", {
    firstBatch: 5,
    match: (texts) => (++calls === 1 ? Promise.reject(new Error("no lexicon")) : match(texts)),
    onError: (error) => problems.push(error.message),
  });
  assert.deepEqual(problems, ["no lexicon"]);
  assert.deepEqual(highlighted(document), ["BRCA1=BRCA1"]);
});

test("stopped while a batch is out, the answer is dropped", async () => {
  const document = page("<p>TP53 and BRCA1</p>");
  const scanner = createScanner({ document, match: background({ delayMs: 20 }).match });
  scanner.start();
  scanner.stop();
  await scanner.idle();
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.deepEqual(highlighted(document), []);
  assert.equal(document.body.innerHTML, "<p>TP53 and BRCA1</p>");
});

test("stop puts the page's text back as it was", async () => {
  const { document, scanner } = await scannedPage("<p>TP53 and <a href='#x'>BRCA1</a> here</p>");
  assert.equal(highlighted(document).length, 2);
  scanner.stop();
  assert.equal(document.body.innerHTML, "<p>TP53 and <a href=\"#x\">BRCA1</a> here</p>");
});

test("an ambiguous mention becomes a neutral highlight that carries its candidates", async () => {
  const ambiguous = {
    page: () => ({
      match: (texts) =>
        texts.map((text) => [...text.matchAll(/ERK/g)].map((word) => ({ start: word.index, end: word.index + 3, symbol: null, candidates: ["MAPK1", "MAPK3"] }))),
    }),
  };
  const pages = createPageMatchers();
  const match = async (texts) => structuredClone(pages.match(THIS_PAGE, ambiguous, colours, texts));
  const { document } = await scannedPage("<p>the ERK pathway</p>", { match });
  const span = document.querySelector("span.iconoplasm-gene");
  assert.equal(span.textContent, "ERK");
  assert.ok(span.classList.contains("iconoplasm-ambiguous"));
  assert.equal(span.dataset.candidates, "MAPK1 MAPK3");
  assert.equal(span.dataset.gene, undefined);
  assert.equal(span.style.getPropertyValue("--iconoplasm-color"), "", "no gene's colour");
});

// The CSS Custom Highlight API and IntersectionObserver as far as the scanner uses them, on a
// JSDOM window (which has neither); the test says which elements come near the view.
function withPainting(document) {
  const window = document.defaultView;
  window.Highlight = class extends Set {};
  window.StaticRange = class {
    constructor(init) {
      Object.assign(this, init);
    }
  };
  window.CSS = { highlights: new Map() };
  const observed = new Set();
  let report = null;
  window.IntersectionObserver = class {
    constructor(callback) {
      report = callback;
    }
    observe(element) {
      observed.add(element);
    }
    unobserve(element) {
      observed.delete(element);
    }
    disconnect() {
      observed.clear();
    }
  };
  return {
    observed,
    nearView: (element) => report([{ target: element, isIntersecting: true }]),
    painted: () =>
      [...window.CSS.highlights].flatMap(([name, highlight]) =>
        [...highlight].map((range) => `${range.startContainer.data.slice(range.startOffset, range.endOffset)}@${name}`),
      ),
  };
}

async function paintedPage(body, overrides = {}) {
  const document = page(body);
  document.documentElement.dataset.iconoplasmStyle = "pill"; // as main.js sets it before scanning
  const painting = withPainting(document);
  const idleTasks = [];
  const scanner = createScanner({ document, match: background().match, whenIdle: (task) => idleTasks.push(task), ...overrides });
  scanner.start();
  await scanner.idle();
  const whenIdle = async () => {
    while (idleTasks.length > 0) idleTasks.shift()();
    await settle();
  };
  return { document, scanner, ...painting, whenIdle };
}

test("where the browser can, mentions are painted first and become spans near the view, then all when idle", async () => {
  const { document, painted, observed, nearView, whenIdle } = await paintedPage("<p>TP53 here</p><p>then BRCA1</p><p>and MDM2</p>");
  assert.deepEqual(highlighted(document), [], "no span before the view or idle time asks for one");
  assert.deepEqual(painted().sort(), ["BRCA1@iconoplasm-pill-grey-dark", "MDM2@iconoplasm-pill-grey-dark", "TP53@iconoplasm-pill-grey-dark"]);
  assert.equal(observed.size, 3);
  const second = document.querySelectorAll("p")[1];
  nearView(second);
  await settle();
  assert.deepEqual(highlighted(document), ["BRCA1=BRCA1"]);
  assert.deepEqual(painted().sort(), ["MDM2@iconoplasm-pill-grey-dark", "TP53@iconoplasm-pill-grey-dark"]);
  await whenIdle();
  assert.deepEqual(highlighted(document), ["TP53=TP53", "BRCA1=BRCA1", "MDM2=MDM2"]);
  assert.deepEqual(painted(), []);
  assert.equal(observed.size, 0, "no element is watched once its mentions are spans");
  assert.equal(document.body.textContent, "TP53 herethen BRCA1and MDM2");
});

test("painted text the page rewrites loses its paint, and its new text is matched again", async () => {
  const { document, scanner, painted } = await paintedPage("<p id='status'>TP53 status</p>");
  document.getElementById("status").firstChild.data = "now IL6";
  await settle();
  await scanner.idle();
  assert.deepEqual(painted(), ["IL6@iconoplasm-pill-grey-dark"]);
});

test("the paint follows the page's highlight style, and stop takes it all off", async () => {
  const { document, scanner, painted } = await paintedPage("<p>TP53</p>");
  document.documentElement.dataset.iconoplasmStyle = "underline";
  await settle();
  assert.deepEqual(painted(), ["TP53@iconoplasm-underline-grey-dark"]);
  assert.ok(![...document.defaultView.CSS.highlights.keys()].some((name) => name.startsWith("iconoplasm-pill-")));
  scanner.stop();
  assert.deepEqual([...document.defaultView.CSS.highlights.keys()], []);
  assert.equal(document.body.innerHTML, "<p>TP53</p>");
});

test("told not to paint (the PDF viewer's text layers are all in view), the scanner makes spans at once", async () => {
  const { document, painted } = await paintedPage("<p>TP53 here</p>", { paint: false });
  assert.deepEqual(highlighted(document), ["TP53=TP53"]);
  assert.deepEqual(painted(), []);
});

test("batches go out before the page setup is answered, and nothing is drawn until it is", async () => {
  const { match, batches } = background();
  let settle = null;
  const setup = new Promise((resolve) => (settle = resolve));
  const document = page("<p>TP53 and BRCA1</p>");
  const scanner = createScanner({ document, match, drawAfter: setup });
  scanner.start();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(batches, [["TP53 and BRCA1"]], "the text was sent before the setup came");
  assert.deepEqual(highlighted(document), [], "but nothing drawn");
  settle();
  await scanner.idle();
  assert.deepEqual(highlighted(document), ["TP53=TP53", "BRCA1=BRCA1"]);
});

test("stopped before anything was drawn (a disabled site), the page's nodes are left as they are", async () => {
  const document = page("<p></p>");
  const paragraph = document.querySelector("p");
  paragraph.append(document.createTextNode("TP53 "), document.createTextNode("and BRCA1"));
  const problems = [];
  const scanner = createScanner({
    document,
    match: background().match,
    drawAfter: Promise.reject(new Error("setup failed")),
    onError: (error) => problems.push(error.message),
  });
  scanner.start();
  scanner.stop();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(paragraph.childNodes.length, 2, "the page's two text nodes are not merged");
  assert.deepEqual(highlighted(document), []);
  assert.deepEqual(problems, [], "a stopped scanner reports no failed batch");
});

test("the first answer is drawn as it comes, not after the page's next task", async () => {
  const tasks = [];
  const document = page("<p>TP53 first</p>");
  const scanner = createScanner({ document, match: background().match, defer: (task) => tasks.push(task) });
  scanner.start();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(highlighted(document), ["TP53=TP53"], "drawn with the page's tasks still waiting");
  scanner.stop();
});

test("at page ready the walk goes on for firstSliceMs, sending batches before the page's first layout", async () => {
  const paragraphs = Array.from({ length: 200 }, (_, i) => `<p>Paragraph ${i} says that TP53 binds MDM2.</p>`).join("");
  // Texts sent before the scanner first yields to the page (each step of work takes 1 ms).
  const sentAtStart = (firstSliceMs) => {
    let now = 0;
    const sent = [];
    const scanner = createScanner({
      document: page(paragraphs),
      match: (texts) => (sent.push(...texts), new Promise(() => {})),
      firstBatch: 50,
      largestBatch: 50,
      batchesOut: 1_000,
      sliceMs: 8,
      firstSliceMs,
      clock: () => (now += 1),
      defer: () => {},
    });
    scanner.start();
    scanner.stop();
    return sent.length;
  };
  const longFirst = sentAtStart(24);
  const plain = sentAtStart(8);
  assert.ok(plain > 0 && longFirst >= 2.5 * plain, `${longFirst} texts sent in the first 24 ms, ${plain} in 8 ms`);
});
