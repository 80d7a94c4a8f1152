// Which host permissions Iconoplasm needs and what to tell a reader who has not granted them.
// Browsers let a user take host permissions back (Firefox: about:addons → Iconoplasm →
// Permissions; Chromium: site access), and a server the user chose outside the declared hosts is
// an optional permission that may never have been granted: the extension then cannot do its work
// and must say why in plain words.
import { originPattern } from "./settings.js";

/**
 * The match patterns the content script needs to read web pages: its http and https matches.
 * File pages are left out: browsers allow those with a switch of their own, not a request.
 */
export function pageOrigins(manifest) {
  const matches = manifest.content_scripts.flatMap((script) => script.matches);
  return [...new Set(matches)].filter((pattern) => /^https?:/.test(pattern));
}

/** What Iconoplasm needs for `server` (an origin), each need with its origins and its reason in words. */
export function neededAccess(server, manifest) {
  return [
    {
      need: "server",
      origins: [originPattern(server)],
      reason: `Iconoplasm needs your permission to contact its server at ${server}: the gene list and the character cards come from there, and your discoveries go there.`,
    },
    {
      need: "pages",
      origins: pageOrigins(manifest),
      reason: "Iconoplasm needs your permission to read the web pages you open, so that it can highlight the genes on them. A page's text stays in your browser.",
    },
  ];
}

/**
 * The needs the browser has not granted, each with only its missing origins. `permissions` is the
 * WebExtension `permissions` API. An origin counts as granted when `getAll` lists it or `contains`
 * says so: Chromium lists the content script's matches in `getAll` while its `contains` answers
 * only for host permissions; Firefox answers both ways for both.
 */
export async function missingAccess(needs, permissions) {
  const { origins: listed } = await permissions.getAll();
  const missing = [];
  for (const need of needs) {
    const granted = await Promise.all(need.origins.map((origin) => listed.includes(origin) || permissions.contains({ origins: [origin] })));
    const origins = need.origins.filter((_, index) => !granted[index]);
    if (origins.length) missing.push({ ...need, origins });
  }
  return missing;
}

/** All the origins to request in one prompt for the missing needs. */
export function originsToRequest(missing) {
  return [...new Set(missing.flatMap((need) => need.origins))];
}

/** What the notice says after the browser's prompt was answered. */
export function requestOutcome(granted) {
  return granted
    ? "Thank you: Iconoplasm has what it needs. Pages you open from now on are highlighted (reload the ones already open)."
    : "Nothing was allowed, so Iconoplasm still cannot do its work. Press the button again whenever you are ready.";
}

/** The first-run page's line when nothing is missing. */
export function readyText(server) {
  return `Iconoplasm is ready: it may read the pages you open and contact its server at ${server}.`;
}
