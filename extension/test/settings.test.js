import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_SERVER, normaliseServer, originPattern, parseBlocklist } from "../src/shared/settings.js";

test("the default server is where the README's start command serves", () => {
  assert.equal(DEFAULT_SERVER, "http://127.0.0.1:8000");
});

test("a server address is reduced to its origin", () => {
  assert.equal(normaliseServer("  https://iconoplasm.example.org/genes/TP53/ "), "https://iconoplasm.example.org");
  assert.equal(normaliseServer("http://127.0.0.1:8000/"), "http://127.0.0.1:8000");
});

test("bad server addresses are refused with a reason", () => {
  assert.throws(() => normaliseServer("iconoplasm"), /"iconoplasm" is not a URL; expected something like http:\/\/127.0.0.1:8000/);
  assert.throws(() => normaliseServer("ftp://example.org"), /must be an http:\/\/ or https:\/\/ address, not ftp:/);
});

test("the host permission pattern leaves out the port (match patterns have none)", () => {
  assert.equal(originPattern("http://127.0.0.1:8000"), "http://127.0.0.1/*");
  assert.equal(originPattern("https://iconoplasm.example.org"), "https://iconoplasm.example.org/*");
});

test("blocklist text splits on spaces, commas and new lines and drops repeats", () => {
  assert.deepEqual(parseBlocklist("SET, CAT\nMAX  SET\n\n"), ["SET", "CAT", "MAX"]);
});
