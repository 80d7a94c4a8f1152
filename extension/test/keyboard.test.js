// Highlights and cards from the keyboard and for screen readers: names, Tab stops, opening,
// closing and where the focus goes (jsdom; tests/extension/test_keyboard.py does it in Chromium).
import assert from "node:assert/strict";
import { test } from "node:test";
import { JSDOM } from "jsdom";
import { installHoverCards } from "../src/content/hover.js";
import { createScanner, highlightLabel } from "../src/content/scanner.js";

const CARD = {
  symbol: "TP53",
  name: "tumor protein p53",
  color_hex: "#484848",
  text_color_hex: "#ffffff",
  traits: [{ trait: "sex", value: "female", origin: "soluble" }],
  faction: "pro-control",
  page_url: "http://127.0.0.1:8000/genes/TP53/",
  portrait_data_url: null,
};

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function key(target, type, name) {
  const event = new target.ownerDocument.defaultView.KeyboardEvent(type, { key: name, bubbles: true, cancelable: true, composed: true });
  target.dispatchEvent(event);
  return event;
}

function press(target, name) {
  const down = key(target, "keydown", name);
  key(target, "keyup", name);
  return down;
}

/** A page with highlights as the scanner makes them, and its cards. */
async function pageWithCards(body, mentionsOf) {
  const { document } = new JSDOM(`<!doctype html><html><body>${body}</body></html>`).window;
  const match = async (texts) => ({ mentions: texts.map(mentionsOf), colours: { TP53: ["#484848", "#ffffff"], MDM2: ["#123456", "#ffffff"] } });
  const scanner = createScanner({ document, match });
  scanner.start();
  await scanner.idle();
  const asked = [];
  const cards = installHoverCards({
    document,
    requestCard: async (symbol) => {
      asked.push(symbol);
      return { ...CARD, symbol };
    },
    reportDiscovery: () => {},
    showDelayMs: 5,
  });
  return { document, cards, asked, shadow: cards.host.shadowRoot };
}

const words = (names) => (text) =>
  [...text.matchAll(/[\p{L}\p{N}]+/gu)]
    .filter((word) => word[0] in names)
    .map((word) => ({ start: word.index, end: word.index + word[0].length, ...names[word[0]] }));
const NAMES = { TP53: { symbol: "TP53" }, p53: { symbol: "TP53" }, MDM2: { symbol: "MDM2" }, ERK: { symbol: null, candidates: ["MAPK1", "MAPK3"] } };

test("a highlight's accessible name says what it stands for", () => {
  assert.equal(highlightLabel("TP53", { symbol: "TP53" }), "TP53 (gene)");
  assert.equal(highlightLabel("p53", { symbol: "TP53" }), "p53 (gene TP53)");
  assert.equal(highlightLabel("ERK", { symbol: null, candidates: ["MAPK1", "MAPK3"] }), "ERK (ambiguous: MAPK1 or MAPK3)");
  assert.equal(highlightLabel("COX", { symbol: null, candidates: ["A1", "B2", "C3"] }), "COX (ambiguous: A1, B2 or C3)");
});

test("highlights are buttons with a dialog, and only the first of each gene or shared name is a Tab stop", async () => {
  const { document } = await pageWithCards("<p>TP53 and p53 bind MDM2; ERK and ERK; TP53 again.</p>", words(NAMES));
  const spans = [...document.querySelectorAll("span.iconoplasm-gene")];
  assert.deepEqual(
    spans.map((span) => [span.textContent, span.tabIndex]),
    [["TP53", 0], ["p53", -1], ["MDM2", 0], ["ERK", 0], ["ERK", -1], ["TP53", -1]],
  );
  for (const span of spans) {
    assert.equal(span.getAttribute("role"), "button");
    assert.equal(span.getAttribute("aria-haspopup"), "dialog");
    assert.equal(span.getAttribute("aria-expanded"), "false");
  }
  assert.equal(spans[3].getAttribute("aria-label"), "ERK (ambiguous: MAPK1 or MAPK3)");
});

test("Enter on a focused highlight opens its card at once with the focus in it; Escape closes it and gives the focus back", async () => {
  const { document, shadow, cards } = await pageWithCards("<p>The TP53 gene.</p>", words(NAMES));
  const span = document.querySelector("span.iconoplasm-gene");
  span.focus();
  assert.equal(press(span, "Enter").defaultPrevented, true);
  await wait(0);
  assert.ok(cards.host.hasAttribute("data-open"));
  assert.equal(span.getAttribute("aria-expanded"), "true");
  const dialog = shadow.querySelector("[role=dialog]");
  assert.equal(dialog.getAttribute("aria-label"), "TP53: tumor protein p53");
  assert.equal(document.activeElement, cards.host);
  assert.equal(shadow.activeElement, shadow.querySelector("a.card"));
  press(shadow.activeElement, "Escape");
  assert.equal(cards.host.hasAttribute("data-open"), false);
  assert.equal(span.getAttribute("aria-expanded"), "false");
  assert.equal(document.activeElement, span);
});

test("Space opens the card when released, like a button, without scrolling the page", async () => {
  const { document, cards } = await pageWithCards("<p>The TP53 gene.</p>", words(NAMES));
  const span = document.querySelector("span.iconoplasm-gene");
  span.focus();
  assert.equal(key(span, "keydown", " ").defaultPrevented, true);
  await wait(0);
  assert.equal(cards.host.hasAttribute("data-open"), false);
  key(span, "keyup", " ");
  await wait(0);
  assert.ok(cards.host.hasAttribute("data-open"));
});

test("a screen reader's click (no pointer, detail 0) opens the card with the focus in it", async () => {
  const { document, cards } = await pageWithCards("<p>The TP53 gene.</p>", words(NAMES));
  document.querySelector("span.iconoplasm-gene").click();
  await wait(0);
  assert.ok(cards.host.hasAttribute("data-open"));
  assert.equal(document.activeElement, cards.host);
});

test("an ambiguous name's card: the focus goes to its first gene, Tab cycles through its genes, choosing one keeps the focus in the card", async () => {
  const { document, shadow, cards, asked } = await pageWithCards("<p>The ERK pathway.</p>", words(NAMES));
  const span = document.querySelector("span.iconoplasm-gene");
  span.focus();
  press(span, "Enter");
  const [first, second] = shadow.querySelectorAll("ul.candidates button");
  assert.equal(shadow.activeElement, first);
  assert.equal(key(first, "keydown", "Tab").defaultPrevented, false, "Tab moves on to the next gene as usual");
  second.focus();
  assert.equal(key(second, "keydown", "Tab").defaultPrevented, true);
  assert.equal(shadow.activeElement, first, "Tab past the last gene comes back to the first");
  const back = new document.defaultView.KeyboardEvent("keydown", { key: "Tab", shiftKey: true, bubbles: true, cancelable: true, composed: true });
  first.dispatchEvent(back);
  assert.equal(shadow.activeElement, second, "Shift+Tab before the first goes to the last");
  second.click();
  await wait(0);
  assert.deepEqual(asked, ["MAPK3"]);
  assert.equal(shadow.querySelector("[role=dialog]").getAttribute("aria-label"), "MAPK3: tumor protein p53");
  assert.equal(document.activeElement, cards.host);
  assert.equal(shadow.activeElement, shadow.querySelector("a.card"));
  press(shadow.activeElement, "Escape");
  assert.equal(document.activeElement, span);
});

test("a card opened by the pointer leaves the focus where it was", async () => {
  const { document, cards } = await pageWithCards("<p>The TP53 gene.</p>", words(NAMES));
  const span = document.querySelector("span.iconoplasm-gene");
  span.dispatchEvent(new document.defaultView.MouseEvent("mouseover", { bubbles: true }));
  await wait(30);
  assert.ok(cards.host.hasAttribute("data-open"));
  assert.equal(document.activeElement, document.body);
});
