// The content script proper (started by content_script.js): has the background match the page's text,
// highlights what it finds and wires up the cards. The text goes no further than the background,
// and only gene symbols reach the server.
import { ext } from "../shared/browser_api.js";
import { ask, resultOf } from "../shared/messages.js";
import { createScanner } from "./scanner.js";

function applyStyle(style) {
  document.documentElement.dataset.iconoplasmStyle = style;
}

function pageParsed() {
  if (document.readyState !== "loading") return Promise.resolve();
  return new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }));
}

async function installCards() {
  // Not needed for the first highlight, so loaded (in the viewer) or set up (in the bundled
  // content script) after it is under way.
  const { installHoverCards } = await import("./hover.js");
  installHoverCards({
    document,
    requestCard: (symbol) => ask({ type: "card", symbol }),
    reportDiscovery: (symbol) => ask({ type: "discovered", symbol }).catch((error) => console.info(`Iconoplasm: ${error.message}`)),
  });
}

/**
 * @param {Promise<object>} setupAnswer the background's answer to page-setup, asked for by content_script.js
 *   (or by the PDF viewer, src/pdf/viewer.js)
 * @param {string} [site] the host name the page's setup was asked for (the viewer's is the PDF's)
 * @param {{paint?: boolean}} [options] whether mentions are painted before they become spans
 *   (scanner.js; the viewer's text layers are all in view, so there they are spans at once)
 * @returns the page's scanner, or undefined where nothing is highlighted
 */
export async function start(setupAnswer, site = location.hostname, { paint = true } = {}) {
  await pageParsed();
  // The first batches go out at once: while the page lays itself out for the first time the setup's
  // answer waits in line, and their matching gets done meanwhile. Nothing is drawn until the setup
  // says the site is highlighted; a disabled site's scanner stops before drawing, and the
  // background refuses its text.
  let scanner = null;
  const setup = resultOf(setupAnswer).then(
    (answer) => {
      if (answer.enabled) applyStyle(answer.style);
      else scanner.stop();
      return answer;
    },
    (error) => {
      scanner.stop();
      throw error;
    },
  );
  scanner = createScanner({
    document,
    match: (texts) => ask({ type: "match", texts, site }),
    drawAfter: setup,
    paint,
    onError: (error) => console.info(`Iconoplasm could not highlight part of this page: ${error.message}`),
  });
  scanner.start();
  const { enabled, problem } = await setup;
  if (!enabled) return;
  if (problem) console.info(`Iconoplasm: ${problem}`);
  ext.storage.onChanged.addListener((changes, area) => {
    const settings = area === "local" && changes.settings?.newValue;
    if (!settings) return;
    if (settings.style) applyStyle(settings.style);
    // settings.js's isTurnedOff, not imported: that module would add its defaults and the
    // blocklist (a third more) to the content script every page parses.
    if (settings.disabledSites?.includes(site)) scanner.stop();
  });
  await installCards();
  return scanner;
}
