import assert from "node:assert/strict";
import { test } from "node:test";
import { deadServer, fakeBrowser, sampleBody, serve } from "../testing/helpers.js";

const browser = fakeBrowser();
globalThis.browser = browser;
const { currentLexicon, nameIndexFor } = await import("../src/background/lexicon_store.js");

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
  const bad = await lexiconServer(t, { format: 1, fields: sampleBody().fields, genes: [["TP53", "not a colour", "#ffffff", "n", [], []]] }, "bad1");
  await assert.rejects(currentLexicon(bad.url, { force: true }), /Malformed lexicon: gene TP53 has colours "not a colour"/);
  assert.equal(browser.area.lexicon.hash, "good1");
});

test("the name index tabs receive follows the blocklist", async (t) => {
  const server = await lexiconServer(t, sampleBody(), "idx1");
  const lexicon = await currentLexicon(server.url, { force: true });
  const { names, maxParts } = nameIndexFor(lexicon, []);
  assert.equal(new Map(names).get("SET"), "SET");
  assert.equal(new Map(nameIndexFor(lexicon, ["SET"]).names).has("SET"), false);
  assert.equal(maxParts, 3, "c-ERB-2, an alias of ERBB2, is the longest dashed name in the sample");
});
