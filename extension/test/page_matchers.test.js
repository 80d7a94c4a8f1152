import assert from "node:assert/strict";
import { test } from "node:test";
import { createPageMatchers, documentOf, PAGES_KEPT } from "../src/background/page_matchers.js";

// A matcher whose page matchers remember what their page said: "TP53" counts only once the page
// has said "gene" (the kind of context matcher.js keeps per page), and a mention carries extra
// fields, which must reach the tab unchanged.
function contextMatcher() {
  const pagesMade = [];
  return {
    pagesMade,
    page() {
      const said = [];
      pagesMade.push(said);
      return {
        match(texts) {
          return texts.map((text) => {
            said.push(text);
            const at = text.indexOf("TP53");
            const context = said.some((earlier) => earlier.includes("gene"));
            return at >= 0 && context ? [{ start: at, end: at + 4, symbol: "TP53", candidates: ["TP53"] }] : [];
          });
        },
      };
    },
  };
}

const colours = new Map([
  ["TP53", ["#112233", "#ffffff"]],
  ["BRCA1", ["#445566", "#000000"]],
]);
const where = (tab, frame = 0, document = `doc-${tab}-${frame}`) => ({ tab, frame, document });

test("a document's batches share one page matcher, read in order; other documents have their own", () => {
  const matcher = contextMatcher();
  const pages = createPageMatchers();
  assert.deepEqual(pages.match(where(1), matcher, colours, ["TP53 first"]).mentions, [[]]);
  assert.deepEqual(pages.match(where(1), matcher, colours, ["a gene", "TP53 again"]).mentions, [
    [],
    [{ start: 0, end: 4, symbol: "TP53", candidates: ["TP53"] }],
  ]);
  assert.deepEqual(pages.match(where(2), matcher, colours, ["TP53 elsewhere"]).mentions, [[]], "another tab");
  assert.deepEqual(pages.match(where(1, 3), matcher, colours, ["TP53 in a frame"]).mentions, [[]], "another frame");
  assert.deepEqual(pages.match(where(1, 0, "next"), matcher, colours, ["TP53 next"]).mentions, [[]], "another document");
  assert.equal(matcher.pagesMade.length, 4);
  assert.deepEqual(matcher.pagesMade[0], ["TP53 first", "a gene", "TP53 again"]);
});

test("the answer carries the colours of the genes found, and no others", () => {
  const pages = createPageMatchers();
  const answer = pages.match(where(1), contextMatcher(), colours, ["a gene: TP53", "nothing"]);
  assert.deepEqual(answer.colours, { TP53: ["#112233", "#ffffff"] });
  assert.deepEqual(pages.match(where(1), contextMatcher(), colours, ["no genes here"]).colours, {});
});

test("a new document in a frame, and a closed tab, drop their page matchers", () => {
  const matcher = contextMatcher();
  const pages = createPageMatchers();
  for (const place of [where(1), where(1, 2), where(2)]) pages.match(place, matcher, colours, ["a gene"]);
  assert.equal(pages.size, 3);
  pages.forgetFrame({ tab: 1, frame: 0 });
  assert.equal(pages.size, 2);
  assert.deepEqual(pages.match(where(1), matcher, colours, ["TP53"]).mentions, [[]], "the old page's context is gone");
  assert.deepEqual(pages.match(where(1, 2), matcher, colours, ["TP53"]).mentions.flat().length, 1, "the other frame kept its own");
  pages.forgetTab(1);
  assert.equal(pages.size, 1);
  pages.forgetTab(2);
  assert.equal(pages.size, 0);
});

test("only the most recently used documents are kept", () => {
  assert.ok(PAGES_KEPT >= 16 && PAGES_KEPT <= 64);
  const matcher = contextMatcher();
  const pages = createPageMatchers({ capacity: 3 });
  for (const tab of [1, 2, 3]) pages.match(where(tab), matcher, colours, ["a gene"]);
  pages.match(where(1), matcher, colours, ["still here"]); // tab 1 is now the most recent
  pages.match(where(4), matcher, colours, ["a gene"]);
  assert.equal(pages.size, 3);
  assert.equal(pages.match(where(1), matcher, colours, ["TP53"]).mentions.flat().length, 1, "tab 1 kept its context");
  assert.equal(pages.match(where(2), matcher, colours, ["TP53"]).mentions.flat().length, 0, "tab 2, least recent, was dropped");
});

test("a new matcher (another lexicon or blocklist) starts the page again", () => {
  const pages = createPageMatchers();
  const before = contextMatcher();
  pages.match(where(1), before, colours, ["a gene"]);
  const after = contextMatcher();
  assert.deepEqual(pages.match(where(1), after, colours, ["TP53"]).mentions, [[]]);
  assert.equal(after.pagesMade.length, 1);
  assert.equal(pages.size, 1);
});

test("the document of a message: tab, frame and document id, where the browser gives one", () => {
  assert.deepEqual(documentOf({ tab: { id: 7 }, frameId: 2, documentId: "ABC" }), { tab: 7, frame: 2, document: "ABC" });
  assert.deepEqual(documentOf({ tab: { id: 7 }, frameId: 0 }), { tab: 7, frame: 0, document: null });
  assert.deepEqual(documentOf({}), { tab: null, frame: 0, document: null });
});
