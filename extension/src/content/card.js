// The character card: built from a card the server sent, with DOM calls and textContent only,
// inside a shadow root so neither the page's styles nor its scripts' selectors reach it. Each
// card is a labelled dialog that keyboard focus can enter; Tab cycles through its controls.

const CARD_STYLE = `
:host { all: initial; position: fixed; z-index: 2147483647; display: none; }
:host([data-open]) { display: block; }
a.card, div.card { display: block; width: 20rem; max-width: calc(100vw - 16px); box-sizing: border-box;
  font: 13px/1.4 system-ui, sans-serif; color: #1d1d1f; background: #fff; text-decoration: none;
  border-radius: 10px; box-shadow: 0 6px 24px rgba(0,0,0,.25); overflow: hidden; }
header { padding: 8px 12px; }
.symbol { font-size: 18px; font-weight: 700; margin-right: 6px; }
.portrait { display: block; width: 100%; aspect-ratio: 1; object-fit: cover; background: #eee; }
.no-portrait { padding: 12px; color: #666; font-style: italic; }
dl { margin: 0; padding: 8px 12px; display: grid; grid-template-columns: auto 1fr; gap: 2px 8px; }
dt { font-weight: 600; }
dd { margin: 0; }
.origin { color: #555; }
.faction, .problem, .open { padding: 0 12px 8px; margin: 0; }
.open { color: #0b57d0; }
div.card.ambiguous header { background: #d0d0d0; }
ul.candidates { list-style: none; margin: 0; padding: 0 12px 10px; display: flex; flex-wrap: wrap; gap: 6px; }
ul.candidates button { font: 600 13px system-ui, sans-serif; padding: 2px 8px; border-radius: 6px; border: 1px solid #888; background: #f5f5f5; cursor: pointer; }
a.card:focus-visible, button:focus-visible { outline: 3px solid #0b57d0; outline-offset: -3px; }
[role=dialog]:focus { outline: none; }
`;
// Where keyboard focus goes when a card opens: its first control, else the dialog itself.
const CONTROLS = "a[href], button";

function element(document, tag, { className, text } = {}) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A dialog named `label` that focus can be moved to (not into the Tab order by itself). */
function dialog(document, tag, label, className) {
  const root = element(document, tag, { className });
  root.setAttribute("role", "dialog");
  root.setAttribute("aria-label", label);
  root.tabIndex = -1;
  return root;
}

/** The card for one gene: a dialog holding a link to the gene's page on the server. */
export function renderCard(document, card) {
  const root = element(document, "a", { className: "card" });
  root.href = card.page_url;
  root.target = "_blank";
  root.rel = "noopener noreferrer";
  root.dataset.gene = card.symbol;

  const header = element(document, "header");
  header.style.backgroundColor = card.color_hex;
  header.style.color = card.text_color_hex;
  header.append(element(document, "span", { className: "symbol", text: card.symbol }), element(document, "span", { className: "name", text: card.name }));
  root.append(header);

  if (card.portrait_data_url) {
    const portrait = element(document, "img", { className: "portrait" });
    portrait.src = card.portrait_data_url;
    portrait.alt = `Portrait of ${card.symbol}`;
    root.append(portrait);
  } else {
    root.append(element(document, "p", { className: "no-portrait", text: "No portrait yet." }));
  }

  const traits = element(document, "dl", { className: "traits" });
  for (const { trait, value, origin } of card.traits) {
    const description = element(document, "dd");
    description.append(element(document, "span", { className: "value", text: String(value) }), element(document, "span", { className: "origin", text: ` ← ${origin}` }));
    traits.append(element(document, "dt", { text: trait }), description);
  }
  root.append(traits);
  root.append(element(document, "p", { className: "faction", text: `Faction: ${card.faction}` }));
  root.append(element(document, "p", { className: "open", text: "Open the gene page ↗" }));
  const wrapper = dialog(document, "div", `${card.symbol}: ${card.name}`);
  wrapper.append(root);
  return wrapper;
}

/**
 * The card of a name several genes share: which genes it may be, each a button that opens that
 * gene's card. Says it is ambiguous rather than guess one.
 * @param {(symbol: string) => void} choose
 */
export function renderAmbiguous(document, name, candidates, choose) {
  const root = dialog(document, "div", `${name}: a name ${candidates.length} genes share`, "card ambiguous");
  root.append(element(document, "header", { className: "symbol", text: name }));
  root.append(element(document, "p", { className: "problem", text: `Ambiguous: ${candidates.length} genes share this name. Which one is meant here?` }));
  const list = element(document, "ul", { className: "candidates" });
  for (const symbol of candidates) {
    const button = element(document, "button", { text: symbol });
    button.type = "button";
    button.dataset.gene = symbol;
    button.addEventListener("click", () => choose(symbol));
    const item = element(document, "li");
    item.append(button);
    list.append(item);
  }
  root.append(list);
  return root;
}

/** A card saying why the gene's card could not be shown. */
export function renderProblem(document, symbol, message) {
  const root = dialog(document, "div", `${symbol}: no card`, "card");
  root.dataset.gene = symbol;
  root.append(element(document, "header", { text: symbol }), element(document, "p", { className: "problem", text: message }));
  return root;
}

/** The element that holds the card, attached to the document once. */
export function createCardHost(document) {
  const host = document.createElement("iconoplasm-card");
  const shadow = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = CARD_STYLE;
  shadow.append(style);
  document.documentElement.append(host);
  shadow.addEventListener("keydown", (event) => event.key === "Tab" && keepFocusInside(shadow, event));
  return {
    host,
    show(content) {
      shadow.replaceChildren(style, content);
      host.setAttribute("data-open", "");
    },
    /** Moves keyboard focus into the open card. */
    focus() {
      (shadow.querySelector(CONTROLS) ?? shadow.querySelector("[role=dialog]"))?.focus({ preventScroll: true });
    },
    hide() {
      host.removeAttribute("data-open");
      shadow.replaceChildren(style);
    },
    get isOpen() {
      return host.hasAttribute("data-open");
    },
  };
}

// Tab past the card's last control comes back to its first (Shift+Tab likewise), so focus stays in
// the card until Escape closes it; the card is not modal, the pointer can still leave it.
function keepFocusInside(shadow, event) {
  const controls = [...shadow.querySelectorAll(CONTROLS)];
  const at = controls.indexOf(shadow.activeElement);
  if (at !== -1 && at !== (event.shiftKey ? 0 : controls.length - 1)) return;
  event.preventDefault();
  (event.shiftKey ? controls.at(-1) : controls[0])?.focus({ preventScroll: true });
}
