// The content script proper (loaded by loader.js): asks the background for the name index,
// highlights the page and wires up the cards. Only gene symbols ever leave this tab.
import { ext } from "../shared/browser_api.js";
import { createMatcher } from "../shared/matcher.js";
import { ask } from "../shared/messages.js";
import { installHoverCards } from "./hover.js";
import { createScanner } from "./scanner.js";

function applyStyle(style) {
  document.documentElement.dataset.iconoplasmStyle = style;
}

async function start() {
  const setup = await ask({ type: "page-setup", site: location.hostname });
  if (!setup.enabled) return;
  if (setup.problem) console.info(`Iconoplasm: ${setup.problem}`);
  applyStyle(setup.style);
  const matcher = createMatcher(new Map(setup.names), { blocklist: setup.blocklist, maxParts: setup.maxParts });
  const scanner = createScanner({ document, findMentions: matcher.findMentions, colours: setup.colours });
  scanner.start();
  installHoverCards({
    document,
    requestCard: (symbol) => ask({ type: "card", symbol }),
    reportDiscovery: (symbol) => ask({ type: "discovered", symbol }).catch((error) => console.info(`Iconoplasm: ${error.message}`)),
  });
  ext.storage.onChanged.addListener((changes, area) => {
    const settings = area === "local" && changes.settings?.newValue;
    if (!settings) return;
    if (settings.style) applyStyle(settings.style);
    if (settings.disabledSites?.includes(location.hostname)) scanner.stop();
  });
}

start().catch((error) => console.info(`Iconoplasm is not highlighting this page: ${error.message}`));
