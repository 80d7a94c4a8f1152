import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { missingAccess, neededAccess, originsToRequest, pageOrigins, readyText, requestOutcome } from "../src/shared/permissions.js";

const manifest = JSON.parse(readFileSync(new URL("../manifest.json", import.meta.url), "utf8"));

/** The permissions API of a browser that lists `listed` and whose `contains` is true for `contained`. */
const browserGranting = ({ listed = [], contained = [] }) => ({
  getAll: async () => ({ origins: listed, permissions: [] }),
  contains: async ({ origins }) => origins.every((origin) => contained.includes(origin)),
});

test("pages need the content script's http and https matches, not file pages", () => {
  assert.deepEqual(pageOrigins(manifest), ["http://*/*", "https://*/*"]);
});

test("a server needs its own origin, without the port", () => {
  const [server, pages] = neededAccess("https://iconoplasm.example.org:8443", manifest);
  assert.deepEqual(server.origins, ["https://iconoplasm.example.org/*"]);
  assert.match(server.reason, /^Iconoplasm needs your permission to contact its server at https:\/\/iconoplasm\.example\.org:8443: /);
  assert.equal(pages.need, "pages");
  assert.match(pages.reason, /read the web pages you open, so that it can highlight the genes on them/);
});

test("nothing is missing when every origin is granted, listed or contained", async () => {
  const needs = neededAccess("http://127.0.0.1:8000", manifest);
  const firefox = browserGranting({ contained: ["http://127.0.0.1/*", "http://*/*", "https://*/*"] });
  assert.deepEqual(await missingAccess(needs, firefox), []);
  // Chromium: the content script's matches are listed, while contains knows only host permissions.
  const chromium = browserGranting({ listed: ["http://*/*", "https://*/*", "http://127.0.0.1/*"], contained: ["http://127.0.0.1/*"] });
  assert.deepEqual(await missingAccess(needs, chromium), []);
});

test("a revoked or never granted origin is missing, with only the origins not granted", async () => {
  const needs = neededAccess("https://iconoplasm.example.org", manifest);
  const missing = await missingAccess(needs, browserGranting({ listed: ["http://*/*"] }));
  assert.deepEqual(
    missing.map(({ need, origins }) => [need, origins]),
    [
      ["server", ["https://iconoplasm.example.org/*"]],
      ["pages", ["https://*/*"]],
    ],
  );
  assert.deepEqual(originsToRequest(missing), ["https://iconoplasm.example.org/*", "https://*/*"]);
});

test("the same origin is requested once however many needs name it", () => {
  const missing = [
    { need: "server", origins: ["http://*/*"] },
    { need: "pages", origins: ["http://*/*", "https://*/*"] },
  ];
  assert.deepEqual(originsToRequest(missing), ["http://*/*", "https://*/*"]);
});

test("the answers say what happened and what to do", () => {
  assert.match(requestOutcome(true), /^Thank you: Iconoplasm has what it needs\./);
  assert.match(requestOutcome(false), /^Nothing was allowed, so Iconoplasm still cannot do its work\./);
  assert.equal(readyText("http://127.0.0.1:8000"), "Iconoplasm is ready: it may read the pages you open and contact its server at http://127.0.0.1:8000.");
});
