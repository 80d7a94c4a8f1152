import assert from "node:assert/strict";
import { test } from "node:test";
import { fakeBrowser, serve } from "../testing/helpers.js";

const browser = fakeBrowser();
globalThis.browser = browser;
const { RECOUNT_AFTER_MS, discoverySummary, recordDiscovery, sendUnsent } = await import("../src/background/discoveries.js");

test("a gene counts once per 30 seconds and is kept in the browser", async () => {
  assert.equal(RECOUNT_AFTER_MS, 30_000);
  assert.equal(await recordDiscovery("LAIR1", 1_000), true);
  assert.equal(await recordDiscovery("LAIR1", 20_000), false);
  assert.equal(await recordDiscovery("LAIR1", 31_500), true);
  assert.deepEqual(Object.keys(browser.area.discoveries.genes), ["LAIR1"]);
  assert.equal((await discoverySummary()).count, 1);
});

test("signed in, unsent discoveries go to the server with the token and are then marked sent", async (t) => {
  await recordDiscovery("TP53");
  const server = await serve(t, { "POST /api/me/discoveries/": (body) => [200, { added: body.symbols, already: [], unknown: [], count: 2, total: 5 }] });
  await sendUnsent(server.url, "secret-token");
  const [sent] = server.requests;
  assert.equal(sent.headers.authorization, "Token secret-token");
  assert.deepEqual(sent.body.symbols.sort(), ["LAIR1", "TP53"]);
  assert.deepEqual(await discoverySummary(), { count: 2, unsent: 0, lastError: null });
});

test("a rejected token keeps the discoveries and says what to do", async (t) => {
  await recordDiscovery("NEWG1");
  const server = await serve(t, { "POST /api/me/discoveries/": () => [401, { detail: "Invalid token." }] });
  await sendUnsent(server.url, "stale-token");
  const summary = await discoverySummary();
  assert.equal(summary.unsent, 1);
  assert.equal(summary.lastError, "The server rejected the sign-in token. Sign in again on the extension's options page.");
});

test("discoveries made while a batch is on its way are not lost", async (t) => {
  let recordedMeanwhile;
  const server = await serve(t, {
    "POST /api/me/discoveries/": async (body) => {
      recordedMeanwhile ??= recordDiscovery("SIGP1");
      await recordedMeanwhile;
      return [200, { added: body.symbols, already: [], unknown: [], count: 3, total: 5 }];
    },
  });
  await sendUnsent(server.url, "token");
  assert.deepEqual(server.requests.map((request) => request.body.symbols), [["NEWG1"], ["SIGP1"]]);
  assert.equal((await discoverySummary()).unsent, 0);
});

test("guests keep everything locally and send nothing", async () => {
  await recordDiscovery("NOSEQ1");
  await sendUnsent("http://127.0.0.1:9", null);
  assert.deepEqual(await discoverySummary(), { count: 5, unsent: 1, lastError: null });
});
