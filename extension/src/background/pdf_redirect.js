// Sends PDFs opened in a tab to the extension's own viewer (src/pdf/viewer.html), where their text
// is highlighted, unless the options say to keep the browser's viewer. An http(s) PDF is
// redirected once its response headers say it is one, before the browser's viewer starts: in
// Chromium by a declarativeNetRequest rule that matches its Content-Type; in Firefox, whose rules
// cannot match response headers, by a blocking webRequest listener that reads them. A file:// PDF
// (no headers, no network request) is recognised by its name when the content script in its tab
// starts, which it only does in Chromium, where the user let the extension read file URLs
// (Firefox runs no content script in its own viewer).
import { VIEWER_PAGE, viewerAddress } from "../pdf/viewer_address.js";

export const PDF_RULE_ID = 1;

/** The viewer's full address when the extension runs under `scheme` (one browser's), else null. */
function viewerPageUnder(ext, scheme) {
  const viewerPage = ext.runtime.getURL(VIEWER_PAGE);
  return viewerPage.startsWith(scheme) ? viewerPage : null;
}

/**
 * The redirect rule for `viewerPage` (the viewer's full extension URL). GET requests for a whole
 * tab whose answer is a PDF; a PDF sent as a download (Content-Disposition: attachment) stays one.
 */
export function pdfRedirectRule(viewerPage) {
  return {
    id: PDF_RULE_ID,
    priority: 1,
    condition: {
      regexFilter: "^https?://.*",
      resourceTypes: ["main_frame"],
      requestMethods: ["get"],
      responseHeaders: [{ header: "content-type", values: ["application/pdf", "application/pdf;*"] }],
      excludedResponseHeaders: [{ header: "content-disposition", values: ["attachment*"] }],
    },
    action: { type: "redirect", redirect: { regexSubstitution: viewerAddress(viewerPage, "\\0") } },
  };
}

/** Is `url` a PDF on this computer (a file: URL whose name ends in .pdf)? */
export function isLocalPdf(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === "file:" && parsed.pathname.toLowerCase().endsWith(".pdf");
}

/**
 * Is the response in `details` (a webRequest event's, with its responseHeaders) a PDF the browser
 * would show: the answer to a GET with Content-Type application/pdf (any parameters), not sent as
 * a download (Content-Disposition: attachment)? The same test as the rule's conditions.
 */
export function isPdfToShow({ method, responseHeaders = [] }) {
  const header = (name) =>
    responseHeaders.find((found) => found.name.toLowerCase() === name)?.value?.trim().toLowerCase() ?? "";
  return (
    method === "GET" &&
    header("content-type").split(";")[0].trim() === "application/pdf" &&
    !header("content-disposition").startsWith("attachment")
  );
}

/**
 * Firefox's redirect: a blocking webRequest listener for the PDFs the rule would match, which asks
 * `viewerWanted()` (the option) only once a response is one. Firefox forgets the listener when it
 * stops the background page and wakes the page for the requests it listened to, so this runs at
 * the top of the background script every time it starts; in Chromium it does nothing (the rule
 * redirects there, and MV3 allows no blocking listener).
 * @param {typeof browser} ext
 * @param {() => Promise<boolean>} viewerWanted
 */
export function listenForPdfs(ext, viewerWanted) {
  const viewerPage = viewerPageUnder(ext, "moz-extension:");
  if (!viewerPage) return;
  ext.webRequest.onHeadersReceived.addListener(
    // Other pages' responses get their answer at once, not after a read of the settings.
    (details) =>
      isPdfToShow(details)
        ? viewerWanted().then((wanted) => (wanted ? { redirectUrl: viewerAddress(viewerPage, details.url) } : {}))
        : undefined,
    { urls: ["http://*/*", "https://*/*"], types: ["main_frame"] },
    ["blocking", "responseHeaders"],
  );
}

/**
 * Keeps the browser's redirect rules in line with `enabled`. Only Chromium: Firefox's rules cannot
 * match response headers, so listenForPdfs redirects there.
 * @param {typeof chrome} ext
 */
export async function syncPdfRedirect(ext, enabled) {
  const viewerPage = viewerPageUnder(ext, "chrome-extension:");
  if (!viewerPage) return;
  await ext.declarativeNetRequest.updateDynamicRules({
    removeRuleIds: [PDF_RULE_ID],
    addRules: enabled ? [pdfRedirectRule(viewerPage)] : [],
  });
}

/**
 * Shows a file:// PDF in the viewer instead, when the content script in its tab (it runs in the
 * document the browser's viewer is embedded in) asks for its page setup; true when it did.
 * @param {typeof chrome} ext
 * @param {chrome.runtime.MessageSender} sender
 */
export async function showLocalPdfInViewer(ext, sender) {
  const viewerPage = viewerPageUnder(ext, "chrome-extension:");
  if (!viewerPage || sender.frameId !== 0 || sender.tab?.id === undefined) return false;
  if (!isLocalPdf(sender.url)) return false;
  await ext.tabs.update(sender.tab.id, { url: viewerAddress(viewerPage, sender.url.split("#")[0]) });
  return true;
}
