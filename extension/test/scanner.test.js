import assert from "node:assert/strict";
import { test } from "node:test";
import { JSDOM } from "jsdom";
import { buildMatcher } from "../src/shared/matcher.js";
import { createScanner } from "../src/content/scanner.js";
import { sampleGenes } from "../testing/helpers.js";

const genes = sampleGenes();
const matcher = buildMatcher(genes);
const colours = Object.fromEntries(genes.map((gene) => [gene.symbol, [gene.color, gene.textColor]]));

function page(body) {
  return new JSDOM(`<!doctype html><html><body>${body}</body></html>`).window.document;
}

/** A page with `body`, scanned until the scanner has nothing left to do. */
async function scannedPage(body, overrides = {}) {
  const document = page(body);
  const scanner = createScanner({ document, findMentions: matcher.findMentions, colours, ...overrides });
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
  const tp53 = genes.find((gene) => gene.symbol === "TP53");
  assert.equal(span.getAttribute("data-gene"), "TP53");
  assert.equal(span.style.getPropertyValue("--iconoplasm-color"), tp53.color);
  assert.equal(span.style.getPropertyValue("--iconoplasm-text"), tp53.textColor);
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
    clock: () => (now += 3), // every node takes 3 ms
    defer: (task) => {
      slices += 1;
      setTimeout(task, 0);
    },
  });
  assert.equal(highlighted(document).length, 40);
  assert.ok(slices >= 40 / 3, `expected at least 14 slices, got ${slices}`);
});

test("the main content is highlighted before the rest of the page", async () => {
  const order = [];
  await scannedPage("<header>Menu BRCA1</header><main><p>Main TP53</p></main><footer>Foot PALB2</footer>", {
    findMentions: (text) => {
      const mentions = matcher.findMentions(text);
      order.push(...mentions.map((mention) => mention.symbol));
      return mentions;
    },
  });
  assert.deepEqual(order, ["TP53", "BRCA1", "PALB2"]);
});

test("stop puts the page's text back as it was", async () => {
  const { document, scanner } = await scannedPage("<p>TP53 and <a href='#x'>BRCA1</a> here</p>");
  assert.equal(highlighted(document).length, 2);
  scanner.stop();
  assert.equal(document.body.innerHTML, "<p>TP53 and <a href=\"#x\">BRCA1</a> here</p>");
});
