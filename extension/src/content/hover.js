// Shows a gene's card while the pointer rests on one of its highlights, and counts a
// discovery when the card stays open long enough to have been read.
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
    current = null;
    if (card.isOpen) card.hide();
  }

  async function open(anchor) {
    if (anchor.dataset.candidates) {
      // Nothing is discovered until the reader says which gene the name means here.
      const candidates = anchor.dataset.candidates.split(" ");
      card.show(renderAmbiguous(document, anchor.textContent, candidates, (symbol) => showGene(anchor, symbol)));
      place(anchor);
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
    card.show(content);
    place(anchor);
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
  document.addEventListener("keydown", (event) => event.key === "Escape" && hide(), true);
  return { hide, host: card.host };
}
