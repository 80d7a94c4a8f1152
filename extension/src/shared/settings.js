// The user's settings in storage.local, shared by the background, options page and popup.
import { ext } from "./browser_api.js";
import { DEFAULT_BLOCKLIST } from "./default_blocklist.js";

export const DEFAULT_SERVER = "http://127.0.0.1:8000";
export const HIGHLIGHT_STYLES = Object.freeze(["pill", "underline", "outline"]);
// The site shows a signed-in user their archive on its home page.
export const ARCHIVE_PATH = "/";

const DEFAULTS = Object.freeze({
  server: DEFAULT_SERVER,
  token: null,
  username: null,
  style: "pill",
  disabledSites: [],
  // null means "the default blocklist", so users who never edit it get updates to it.
  blocklist: null,
  // PDFs opened in a tab go to the extension's own viewer (src/pdf/), where they are highlighted;
  // false keeps the browser's viewer.
  pdfViewer: true,
});

export async function loadSettings() {
  const { settings } = await ext.storage.local.get("settings");
  return { ...DEFAULTS, ...settings };
}

export async function saveSettings(changes) {
  const settings = { ...(await loadSettings()), ...changes };
  await ext.storage.local.set({ settings });
  return settings;
}

/** Whether the user turned highlighting off on `site` (a host name). */
export function isTurnedOff(settings, site) {
  return settings.disabledSites?.includes(site) ?? false;
}

export function effectiveBlocklist(settings) {
  return settings.blocklist ?? [...DEFAULT_BLOCKLIST];
}

/** The server's origin (scheme, host, port) from what the user typed, or an Error saying why not. */
export function normaliseServer(text) {
  let url;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error(`"${text}" is not a URL; expected something like ${DEFAULT_SERVER}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`The server must be an http:// or https:// address, not ${url.protocol}`);
  }
  return url.origin;
}

/** The host permission pattern for a server origin (match patterns ignore the port). */
export function originPattern(origin) {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

/** One blocklist token per line or separated by spaces or commas; duplicates dropped. */
export function parseBlocklist(text) {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}
