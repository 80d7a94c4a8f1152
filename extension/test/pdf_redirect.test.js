import assert from "node:assert/strict";
import { test } from "node:test";
import { PDF_RULE_ID, isLocalPdf, pdfRedirectRule } from "../src/background/pdf_redirect.js";
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
