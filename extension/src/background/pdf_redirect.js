// Sends PDFs opened in a tab to the extension's own viewer (src/pdf/viewer.html), where their text
// is highlighted, unless the options say to keep the browser's viewer. An http(s) PDF is
// redirected by a declarativeNetRequest rule that matches its Content-Type before the browser's
// viewer starts; a file:// PDF (no headers, no network request) is recognised by its name when the
// content script in its tab starts, which it only does where the user let the extension read file
// URLs.
import { VIEWER_PAGE, viewerAddress } from "../pdf/viewer_address.js";

export const PDF_RULE_ID = 1;

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
 * Keeps the browser's redirect rules in line with `enabled`. Only Chromium: Firefox shows PDFs in
 * its own pdf.js viewer, and its rules cannot match response headers.
 * @param {typeof chrome} ext
 */
export async function syncPdfRedirect(ext, enabled) {
  const viewerPage = ext.runtime.getURL(VIEWER_PAGE);
  if (!viewerPage.startsWith("chrome-extension:")) return;
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
  const viewerPage = ext.runtime.getURL(VIEWER_PAGE);
  if (!viewerPage.startsWith("chrome-extension:") || sender.frameId !== 0 || sender.tab?.id === undefined) return false;
  if (!isLocalPdf(sender.url)) return false;
  await ext.tabs.update(sender.tab.id, { url: viewerAddress(viewerPage, sender.url.split("#")[0]) });
  return true;
}
