import assert from "node:assert/strict";
import { test } from "node:test";
import { deadServer, fakeBrowser, sampleBody, serve } from "../testing/helpers.js";

const browser = fakeBrowser();
globalThis.browser = browser;
const { currentLexicon, matcherFor, savedLexicon } = await import("../src/background/lexicon_store.js");

function lexiconServer(t, body = sampleBody(), hash = "abc123") {
  return serve(t, {
    "GET /api/lexicon/": () => [200, { hash, url: `http://elsewhere.example/api/lexicon/${hash}.json`, genes: body.genes?.length }],
    [`GET /api/lexicon/${hash}.json`]: () => [200, body],
  });
}

test("downloads the lexicon by hash, saves it, and answers from memory afterwards", async (t) => {
  const server = await lexiconServer(t);
  const lexicon = await currentLexicon(server.url);
  assert.equal(lexicon.hash, "abc123");
  assert.equal(lexicon.problem, null);
  assert.equal(lexicon.genes.length, sampleBody().genes.length);
  assert.equal(browser.area.lexicon.hash, "abc123");
  const asked = server.requests.length;
  await currentLexicon(server.url);
  assert.equal(server.requests.length, asked, "no request within the recheck interval");
  await currentLexicon(server.url, { force: true });
  assert.deepEqual(server.requests.slice(asked).map((request) => request.path), ["/api/lexicon/"], "same hash: the body is not downloaded again");
});

test("with the server stopped, the saved copy is used and the reason given", async (t) => {
  const server = await lexiconServer(t);
  await currentLexicon(server.url, { force: true });
  await server.close();
  const lexicon = await currentLexicon(server.url, { force: true });
  assert.equal(lexicon.genes.length, sampleBody().genes.length);
  assert.match(lexicon.problem, /^Cannot reach the Iconoplasm server at http:\/\/127\.0\.0\.1:\d+\. .* Using the copy of the lexicon saved earlier\.$/);
});

test("with no server and no saved copy, the error says the server is unreachable", async () => {
  const url = await deadServer();
  await assert.rejects(currentLexicon(url), /Cannot reach the Iconoplasm server at http:\/\/127\.0\.0\.1:\d+\. Is it running/);
});

test("a malformed lexicon is refused and does not replace the saved one", async (t) => {
  const good = await lexiconServer(t, sampleBody(), "good1");
  await currentLexicon(good.url, { force: true });
  await good.close();
  const bad = await lexiconServer(t, { format: 2, fields: sampleBody().fields, genes: [["TP53", "not a colour", "#ffffff", "n", [], [], []]] }, "bad1");
  await assert.rejects(currentLexicon(bad.url, { force: true }), /Malformed lexicon: gene TP53 has colours "not a colour"/);
  assert.equal(browser.area.lexicon.hash, "good1");
});

test("the background's matcher follows the blocklist, is built once per lexicon and blocklist, and knows every gene's colours", async (t) => {
  const server = await lexiconServer(t, sampleBody(), "idx1");
  const lexicon = await currentLexicon(server.url, { force: true });
  const found = (matcher, text) => matcher.findMentions(text).map((mention) => mention.symbol);
  const open = matcherFor(lexicon, []);
  assert.deepEqual(found(open.matcher, "TP53 and BRCA1"), ["TP53", "BRCA1"]);
  assert.equal(matcherFor(lexicon, []), open, "memoised");
  assert.deepEqual(found(matcherFor(lexicon, ["TP53"]).matcher, "TP53 and BRCA1"), ["BRCA1"], "a blocked name is no mention");
  const tp53 = lexicon.genes.find((gene) => gene.symbol === "TP53");
  assert.deepEqual(open.colours.get("TP53"), [tp53.color, tp53.textColor]);
  assert.equal(open.colours.size, lexicon.genes.length);
});

test("a restarted worker reads the saved lexicon once, however many tabs ask at the same time", async (t) => {
  const server = await lexiconServer(t, sampleBody(), "restart1");
  await currentLexicon(server.url, { force: true });
  let reads = 0;
  const get = browser.storage.local.get;
  browser.storage.local.get = (key) => {
    if (key === "lexicon") reads += 1;
    return get(key);
  };
  t.after(() => {
    browser.storage.local.get = get;
  });
  // A fresh copy of the module is what a restarted worker has: nothing in memory.
  const restarted = await import(`../src/background/lexicon_store.js?restart=${Date.now()}`);
  const [first, second] = await Promise.all([restarted.savedLexicon(server.url), restarted.savedLexicon(server.url)]);
  assert.equal(reads, 1);
  assert.equal(first, second);
  assert.equal(first.hash, "restart1");
  assert.equal(restarted.matcherFor(first, []), restarted.matcherFor(second, []));
  assert.equal(await savedLexicon("http://another.example"), null, "a lexicon saved for another server is not used");
});
