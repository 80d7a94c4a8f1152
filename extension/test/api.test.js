import assert from "node:assert/strict";
import { test } from "node:test";
import { ServerError, fetchCard, fetchImageAsDataUrl, signIn } from "../src/background/api.js";
import { deadServer, serve } from "../testing/helpers.js";

test("signing in exchanges the password for a token", async (t) => {
  const server = await serve(t, { "POST /api/auth/token/": (body) => [200, { token: `token-for-${body.username}` }] });
  assert.deepEqual(await signIn(server.url, "ada", "pw"), { token: "token-for-ada" });
  assert.deepEqual(server.requests[0].body, { username: "ada", password: "pw" });
});

test("wrong credentials give the server's reason", async (t) => {
  const server = await serve(t, { "POST /api/auth/token/": () => [400, { detail: ["Unable to log in with the username and password given."] }] });
  await assert.rejects(signIn(server.url, "ada", "wrong"), (error) => error instanceof ServerError && error.status === 400 && error.message === "Sign-in failed: Unable to log in with the username and password given.");
});

test("an unreachable server is named in the error", async () => {
  const url = await deadServer();
  await assert.rejects(fetchCard(url, "TP53"), (error) => error.unreachable && error.message === `Cannot reach the Iconoplasm server at ${url}. Is it running, and is the address right?`);
});

test("an answer that is not JSON is reported as such", async (t) => {
  const server = await serve(t, { "GET /api/genes/TP53/": () => [200, "<html>a proxy login page</html>"] });
  await assert.rejects(fetchCard(server.url, "TP53"), /\/api\/genes\/TP53\/ answered with something that is not JSON/);
});

test("an unknown gene gives the server's 404 message", async (t) => {
  const server = await serve(t, {});
  await assert.rejects(fetchCard(server.url, "NOPE"), /HTTP 404\): not found/);
});

test("portraits come back as data: URLs", async (t) => {
  const server = await serve(t, { "GET /media/p.png": () => [200, "PNGDATA"] });
  assert.equal(await fetchImageAsDataUrl(`${server.url}/media/p.png`), `data:text/html;base64,${Buffer.from("PNGDATA").toString("base64")}`);
});
