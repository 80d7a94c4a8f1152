import assert from "node:assert/strict";
import { test } from "node:test";
import { JSDOM } from "jsdom";
import { renderCard } from "../src/content/card.js";
import { installHoverCards } from "../src/content/hover.js";

const CARD = {
  symbol: "TP53",
  name: "tumor protein p53",
  color_hex: "#484848",
  text_color_hex: "#ffffff",
  traits: [
    { trait: "sex", value: "female", origin: "soluble" },
    { trait: "age", value: 41, origin: "first described 1979 (PMID 100)", url: "https://pubmed.ncbi.nlm.nih.gov/100/" },
  ],
  faction: "pro-control",
  page_url: "http://127.0.0.1:8000/genes/TP53/",
  portrait_data_url: "data:image/png;base64,iVBORw0KGgo=",
};

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function page() {
  const { window } = new JSDOM(`<!doctype html><p>The <span class="iconoplasm-gene" data-gene="TP53">TP53</span> gene.</p><p id="away">elsewhere</p>`);
  return window.document;
}

function hover(document, target, type, relatedTarget = null) {
  target.dispatchEvent(new document.defaultView.MouseEvent(type, { bubbles: true, relatedTarget }));
}

test("the card shows portrait, symbol, name, traits with their origins and faction, linking to the gene page", () => {
  const { document } = new JSDOM("").window;
  const card = renderCard(document, CARD);
  assert.equal(card.getAttribute("role"), "dialog");
  assert.equal(card.getAttribute("aria-label"), "TP53: tumor protein p53");
  const link = card.querySelector("a.card");
  assert.equal(link.href, CARD.page_url);
  assert.equal(link.target, "_blank");
  assert.equal(card.querySelector("img.portrait").src, CARD.portrait_data_url);
  assert.equal(card.querySelector(".symbol").textContent, "TP53");
  assert.equal(card.querySelector(".name").textContent, "tumor protein p53");
  assert.deepEqual([...card.querySelectorAll("dt")].map((dt) => dt.textContent), ["sex", "age"]);
  assert.deepEqual([...card.querySelectorAll("dd")].map((dd) => dd.textContent), ["female ← soluble", "41 ← first described 1979 (PMID 100)"]);
  assert.equal(card.querySelector(".faction").textContent, "Faction: pro-control");
  assert.equal(card.querySelector("header").style.backgroundColor, "rgb(72, 72, 72)");
});

test("markup in the server's data stays text", () => {
  const { document } = new JSDOM("").window;
  const hostile = { ...CARD, name: '<img src=x onerror="alert(1)">', portrait_data_url: null, traits: [{ trait: "<b>x</b>", value: "<i>v</i>", origin: "<script>o</script>" }] };
  const card = renderCard(document, hostile);
  assert.equal(card.querySelectorAll("img, b, i, script").length, 0);
  assert.equal(card.querySelector(".name").textContent, hostile.name);
  assert.equal(card.querySelector(".no-portrait").textContent, "No portrait yet.");
});

test("hovering opens the card in a shadow root, counts a discovery after the dwell time, and leaving closes it", async () => {
  const document = page();
  const discovered = [];
  const cards = installHoverCards({ document, requestCard: async () => CARD, reportDiscovery: (symbol) => discovered.push(symbol), discoveryMs: 60, showDelayMs: 5, hideDelayMs: 5 });
  const span = document.querySelector("span.iconoplasm-gene");
  hover(document, span, "mouseover");
  await wait(30);
  assert.ok(cards.host.hasAttribute("data-open"));
  assert.equal(cards.host.shadowRoot.querySelector(".symbol").textContent, "TP53");
  assert.deepEqual(discovered, []);
  await wait(60);
  assert.deepEqual(discovered, ["TP53"]);
  hover(document, span, "mouseout", document.getElementById("away"));
  await wait(20);
  assert.equal(cards.host.hasAttribute("data-open"), false);
  assert.deepEqual(discovered, ["TP53"]);
});

test("a card closed before the dwell time is not a discovery", async () => {
  const document = page();
  const discovered = [];
  const cards = installHoverCards({ document, requestCard: async () => CARD, reportDiscovery: (symbol) => discovered.push(symbol), discoveryMs: 80, showDelayMs: 5 });
  hover(document, document.querySelector("span.iconoplasm-gene"), "mouseover");
  await wait(30);
  assert.ok(cards.host.hasAttribute("data-open"));
  document.dispatchEvent(new document.defaultView.KeyboardEvent("keydown", { key: "Escape" }));
  assert.equal(cards.host.hasAttribute("data-open"), false);
  await wait(100);
  assert.deepEqual(discovered, []);
});

test("scrolling dismisses the card", async () => {
  const document = page();
  const cards = installHoverCards({ document, requestCard: async () => CARD, reportDiscovery: () => {}, showDelayMs: 5 });
  hover(document, document.querySelector("span.iconoplasm-gene"), "mouseover");
  await wait(30);
  document.defaultView.dispatchEvent(new document.defaultView.Event("scroll"));
  assert.equal(cards.host.hasAttribute("data-open"), false);
});

test("when the card cannot be fetched, the reason is shown and nothing is discovered", async () => {
  const document = page();
  const discovered = [];
  const cards = installHoverCards({
    document,
    requestCard: async () => {
      throw new Error("Cannot reach the Iconoplasm server at http://127.0.0.1:8000. Is it running, and is the address right?");
    },
    reportDiscovery: (symbol) => discovered.push(symbol),
    discoveryMs: 20,
    showDelayMs: 5,
  });
  hover(document, document.querySelector("span.iconoplasm-gene"), "mouseover");
  await wait(60);
  assert.match(cards.host.shadowRoot.querySelector(".problem").textContent, /Cannot reach the Iconoplasm server/);
  assert.deepEqual(discovered, []);
});

test("an ambiguous name's card lists the genes it may be, discovers nothing, and opens the one chosen", async () => {
  const { window } = new JSDOM(`<!doctype html><p>The <span class="iconoplasm-gene iconoplasm-ambiguous" data-candidates="MAPK1 MAPK3">ERK</span> pathway.</p>`);
  const document = window.document;
  const discovered = [];
  const asked = [];
  const requestCard = async (symbol) => {
    asked.push(symbol);
    return { ...CARD, symbol };
  };
  const cards = installHoverCards({ document, requestCard, reportDiscovery: (symbol) => discovered.push(symbol), discoveryMs: 30, showDelayMs: 5, hideDelayMs: 5 });
  hover(document, document.querySelector("span.iconoplasm-gene"), "mouseover");
  await wait(60);
  const shadow = cards.host.shadowRoot;
  assert.equal(shadow.querySelector("header").textContent, "ERK");
  assert.match(shadow.querySelector(".problem").textContent, /Ambiguous: 2 genes share this name/);
  assert.deepEqual([...shadow.querySelectorAll("ul.candidates button")].map((button) => button.textContent), ["MAPK1", "MAPK3"]);
  assert.equal(shadow.querySelector("[role=dialog]").getAttribute("aria-label"), "ERK: a name 2 genes share");
  assert.deepEqual(asked, [], "no card is fetched before a gene is chosen");
  assert.deepEqual(discovered, []);
  shadow.querySelector("button[data-gene=MAPK3]").click();
  await wait(60);
  assert.deepEqual(asked, ["MAPK3"]);
  assert.equal(shadow.querySelector(".symbol").textContent, "MAPK3");
  assert.deepEqual(discovered, ["MAPK3"]);
});
