import assert from "node:assert/strict";
import { test } from "node:test";
import { PDF_RULE_ID, isLocalPdf, isPdfToShow, listenForPdfs, pdfRedirectRule } from "../src/background/pdf_redirect.js";
import { pdfAddressOf, viewerAddress } from "../src/pdf/viewer_address.js";

const VIEWER = "chrome-extension://abcdefghijklmnopabcdefghijklmnop/src/pdf/viewer.html";

test("the redirect rule sends whole-tab GETs answered with a PDF to the viewer, the address appended as is", () => {
  const rule = pdfRedirectRule(VIEWER);
  assert.equal(rule.id, PDF_RULE_ID);
  assert.deepEqual(rule.condition.resourceTypes, ["main_frame"]);
  assert.deepEqual(rule.condition.requestMethods, ["get"]);
  assert.deepEqual(rule.condition.responseHeaders, [{ header: "content-type", values: ["application/pdf", "application/pdf;*"] }]);
  assert.deepEqual(rule.condition.excludedResponseHeaders, [{ header: "content-disposition", values: ["attachment*"] }]);
  assert.equal(rule.action.redirect.regexSubstitution, `${VIEWER}?file=\\0`);
  // What the browser makes of the rule: the regex's whole match (\0) after the marker.
  const pdf = "https://journal.example.org/paper.pdf?download=1&token=a%20b";
  const redirected = rule.action.redirect.regexSubstitution.replace("\\0", pdf.match(new RegExp(rule.condition.regexFilter))[0]);
  assert.equal(pdfAddressOf(new URL(redirected).search), pdf);
});

test("the viewer reads back the PDF's address, & and all, and refuses what it cannot open", () => {
  const pdf = "http://127.0.0.1:8000/a paper.pdf?x=1&y=2";
  assert.equal(pdfAddressOf(new URL(viewerAddress(VIEWER, pdf)).search), "http://127.0.0.1:8000/a%20paper.pdf?x=1&y=2");
  assert.equal(pdfAddressOf("?file=file:///home/me/paper.pdf"), "file:///home/me/paper.pdf");
  assert.throws(() => pdfAddressOf(""), /has no \?file= part/);
  assert.throws(() => pdfAddressOf("?file=paper.pdf"), /"paper.pdf" is not the address of a PDF/);
  assert.throws(() => pdfAddressOf("?file=javascript:alert(1)"), /not javascript: ones/);
});

test("a local PDF is a file: URL whose name ends in .pdf, in any case", () => {
  assert.equal(isLocalPdf("file:///home/me/Paper.PDF"), true);
  assert.equal(isLocalPdf("file:///home/me/paper.pdf#page=2"), true);
  assert.equal(isLocalPdf("file:///home/me/paper.html"), false);
  assert.equal(isLocalPdf("https://example.org/paper.pdf"), false);
  assert.equal(isLocalPdf("not a url"), false);
});

const pdfResponse = (headers, method = "GET") => ({
  method,
  url: "https://journal.example.org/paper.pdf?download=1&token=a%20b",
  responseHeaders: Object.entries(headers).map(([name, value]) => ({ name, value })),
});

test("a PDF to show is a GET answered as application/pdf, any parameters or case, not as a download", () => {
  assert.equal(isPdfToShow(pdfResponse({ "Content-Type": "application/pdf" })), true);
  assert.equal(isPdfToShow(pdfResponse({ "content-type": "Application/PDF; charset=binary" })), true);
  assert.equal(isPdfToShow(pdfResponse({ "Content-Type": "application/pdf", "Content-Disposition": 'inline; filename="a.pdf"' })), true);
  assert.equal(isPdfToShow(pdfResponse({ "Content-Type": "application/pdf", "Content-Disposition": 'Attachment; filename="a.pdf"' })), false);
  assert.equal(isPdfToShow(pdfResponse({ "Content-Type": "application/pdf" }, "POST")), false);
  assert.equal(isPdfToShow(pdfResponse({ "Content-Type": "application/pdfx" })), false);
  assert.equal(isPdfToShow(pdfResponse({ "Content-Type": "text/html" })), false);
  assert.equal(isPdfToShow(pdfResponse({})), false);
  assert.equal(isPdfToShow({ method: "GET" }), false);
});

/** A browser's `ext` with only what listenForPdfs uses; `added` collects its listeners. */
function fakeExt(origin) {
  const added = [];
  return {
    added,
    runtime: { getURL: (path) => `${origin}/${path}` },
    webRequest: { onHeadersReceived: { addListener: (...args) => added.push(args) } },
  };
}

test("in Firefox a blocking listener sends tab PDFs to the viewer while the option is on", async () => {
  const ext = fakeExt("moz-extension://0b7d0e8c-0000-4000-8000-000000000000");
  let wanted = true;
  listenForPdfs(ext, async () => wanted);
  assert.equal(ext.added.length, 1);
  const [listener, filter, extraInfo] = ext.added[0];
  assert.deepEqual(filter, { urls: ["http://*/*", "https://*/*"], types: ["main_frame"] });
  assert.deepEqual(extraInfo, ["blocking", "responseHeaders"]);
  const pdf = pdfResponse({ "Content-Type": "application/pdf" });
  const redirected = await listener(pdf);
  assert.equal(pdfAddressOf(new URL(redirected.redirectUrl).search), pdf.url);
  assert.ok(redirected.redirectUrl.startsWith("moz-extension://0b7d0e8c-0000-4000-8000-000000000000/src/pdf/viewer.html?file="));
  assert.equal(listener(pdfResponse({ "Content-Type": "text/html" })), undefined, "other pages are answered at once");
  wanted = false;
  assert.deepEqual(await listener(pdf), {});
});

test("in Chromium no listener is added: its rule redirects", () => {
  const ext = fakeExt("chrome-extension://abcdefghijklmnopabcdefghijklmnop");
  listenForPdfs(ext, async () => true);
  assert.deepEqual(ext.added, []);
});
