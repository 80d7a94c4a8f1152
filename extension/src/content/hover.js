// Shows a gene's card while the pointer rests on one of its highlights, or at once when a focused
// highlight is activated from the keyboard (Enter, Space, a screen reader's click), and counts a
// discovery when the card stays open long enough to have been read. A card opened from the
// keyboard takes the focus; Escape closes it and gives the focus back to the highlight.
import { createCardHost, renderAmbiguous, renderCard, renderProblem } from "./card.js";
import { GENE_CLASS } from "./scanner.js";

const MARGIN = 8; // px kept between the card and the edges of the window

/**
 * @param {object} options
 * @param {Document} options.document
 * @param {(symbol: string) => Promise<object>} options.requestCard resolves to the card, rejects with a readable Error
 * @param {(symbol: string) => void} options.reportDiscovery
 */
export function installHoverCards({ document, requestCard, reportDiscovery, discoveryMs = 900, showDelayMs = 120, hideDelayMs = 250 }) {
  const window = document.defaultView;
  const card = createCardHost(document);
  let current = null; // the highlight whose card is open or about to open
  let showTimer = null;
  let hideTimer = null;
  let discoveryTimer = null;
  let focusCard = false; // the open card was asked for from the keyboard, so it takes the focus

  function place(anchor) {
    const target = anchor.getBoundingClientRect();
    const box = card.host.getBoundingClientRect();
    const below = target.bottom + MARGIN + box.height <= window.innerHeight;
    const top = below ? target.bottom + MARGIN : Math.max(MARGIN, target.top - MARGIN - box.height);
    const left = Math.min(Math.max(MARGIN, target.left), Math.max(MARGIN, window.innerWidth - box.width - MARGIN));
    card.host.style.top = `${top}px`;
    card.host.style.left = `${left}px`;
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    clearTimeout(discoveryTimer);
    const anchor = current;
    const focusWasInCard = document.activeElement === card.host;
    current = null;
    focusCard = false;
    anchor?.setAttribute("aria-expanded", "false");
    if (card.isOpen) card.hide();
    if (focusWasInCard && anchor?.isConnected) anchor.focus({ preventScroll: true });
  }

  function display(anchor, content) {
    // Focus stays in the card when a choice in it replaced its content (an ambiguous name's gene).
    const takeFocus = focusCard || document.activeElement === card.host;
    card.show(content);
    place(anchor);
    anchor.setAttribute("aria-expanded", "true");
    if (takeFocus) card.focus();
  }

  async function open(anchor) {
    if (anchor.dataset.candidates) {
      // Nothing is discovered until the reader says which gene the name means here.
      const candidates = anchor.dataset.candidates.split(" ");
      display(anchor, renderAmbiguous(document, anchor.textContent, candidates, (symbol) => showGene(anchor, symbol)));
      return;
    }
    await showGene(anchor, anchor.dataset.gene);
  }

  async function showGene(anchor, symbol) {
    let content;
    let found = false;
    try {
      content = renderCard(document, await requestCard(symbol));
      found = true;
    } catch (error) {
      content = renderProblem(document, symbol, error.message);
    }
    if (current !== anchor) return; // the pointer left while the card was on its way
    display(anchor, content);
    if (found) discoveryTimer = setTimeout(() => current === anchor && reportDiscovery(symbol), discoveryMs);
  }

  function highlightOf(target) {
    return target instanceof window.Element ? target.closest(`span.${GENE_CLASS}`) : null;
  }

  function onOver(event) {
    const anchor = highlightOf(event.target);
    if (!anchor) return;
    clearTimeout(hideTimer);
    if (anchor === current) return;
    hide();
    current = anchor;
    showTimer = setTimeout(() => open(anchor), showDelayMs);
  }

  function openFromKeyboard(anchor) {
    hide();
    current = anchor;
    focusCard = true;
    open(anchor);
  }

  // Enter opens at once, Space when it is released, as a button does; the page does not scroll.
  function onKey(event) {
    if (event.key === "Escape") {
      hide();
      return;
    }
    const anchor = event.key === "Enter" || event.key === " " ? highlightOf(event.target) : null;
    if (!anchor || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    if (!event.repeat && (event.type === "keyup" || event.key === "Enter")) openFromKeyboard(anchor);
  }

  // A screen reader activates a highlight with a click that no pointer made (detail 0).
  function onClick(event) {
    const anchor = highlightOf(event.target);
    if (anchor && event.detail === 0 && !(anchor === current && card.isOpen)) openFromKeyboard(anchor);
  }

  function onOut(event) {
    if (!current || !highlightOf(event.target)) return;
    if (event.relatedTarget === card.host || current.contains(event.relatedTarget)) return;
    hideTimer = setTimeout(hide, hideDelayMs);
  }

  document.addEventListener("mouseover", onOver, true);
  document.addEventListener("mouseout", onOut, true);
  card.host.addEventListener("mouseenter", () => clearTimeout(hideTimer));
  card.host.addEventListener("mouseleave", () => {
    hideTimer = setTimeout(hide, hideDelayMs);
  });
  window.addEventListener("scroll", hide, { capture: true, passive: true });
  document.addEventListener("keydown", onKey, true);
  document.addEventListener("keyup", (event) => event.key === " " && onKey(event), true);
  document.addEventListener("click", onClick, true);
  return { hide, host: card.host };
}
