import assert from "node:assert/strict";
import { test } from "node:test";
import { ServerError, fetchReviewItems, fetchReviewSummary, sendReviewAnswer } from "../src/background/api.js";
import { deadServer, fakeBrowser, serve } from "../testing/helpers.js";

const browser = fakeBrowser();
globalThis.browser = browser;
const { answerInShowing, reviewAnswer, reviewItems, reviewSummary, serverImage } = await import("../src/background/review.js");

// Made by django.core.signing.dumps({"card": 7, "version": 2, "answer": "b"}, salt="backend.learning.showing"),
// as backend/learning/questions.py does (with another key: the extension never checks the signature).
const SHOWING = "eyJjYXJkIjo3LCJ2ZXJzaW9uIjoyLCJhbnN3ZXIiOiJiIn0:1xYTGc:C8DttPcgfNBDjvuhftQt7OOH6jW0rP8xGhjymoUhWn4";

const SUMMARY = { due: 3, new: 1, reviewed_today: 2, streak_days: 4, retention_30d: 0.75 };
const ANSWER = { card: 7, showing: SHOWING, choice: "b", grade: 3, elapsedMs: 1200 };
const RECORDED = { correct: true, answer: { id: "b", label: "TP53" }, fact: "TP53 weight: 43.7 kg ← 43.7 kDa", grade: 3, next_due: "2025-01-04T10:00:00Z", interval_days: 3.2, due: 2 };

function item(server) {
  return {
    card: 7,
    kind: "portrait_to_gene",
    question: "Which gene is this?",
    prompt: { symbol: null, image_url: `${server}/media/portraits/tp53.png`, color_hex: "#484848" },
    choices: [
      { id: "a", label: "TP63", image_url: "/media/portraits/tp63.png" },
      { id: "b", label: "TP53", image_url: null },
      { id: "c", label: "TP73", image_url: "https://tracker.example/pixel.png" },
      { id: "d", label: "MDM2", image_url: "javascript:alert(1)" },
    ],
    showing: SHOWING,
  };
}

test("the summary and due items are fetched with the token", async (t) => {
  const server = await serve(t, {
    "GET /api/review/summary/": () => [200, SUMMARY],
    "GET /api/review/next/?limit=5": () => [200, { due: 3, new: 1, items: [] }],
  });
  assert.deepEqual(await fetchReviewSummary(server.url, "secret"), SUMMARY);
  assert.deepEqual(await fetchReviewItems(server.url, "secret", 5), { due: 3, new: 1, items: [] });
  assert.deepEqual(
    server.requests.map(({ method, path, headers }) => [method, path, headers.authorization]),
    [
      ["GET", "/api/review/summary/", "Token secret"],
      ["GET", "/api/review/next/?limit=5", "Token secret"],
    ],
  );
});

test("an answer is posted as JSON with the contract's field names", async (t) => {
  const server = await serve(t, { "POST /api/review/answers/": () => [200, RECORDED] });
  assert.deepEqual(await sendReviewAnswer(server.url, "secret", ANSWER), RECORDED);
  const [sent] = server.requests;
  assert.equal(sent.headers["content-type"], "application/json");
  assert.equal(sent.headers.authorization, "Token secret");
  assert.deepEqual(sent.body, { card: 7, showing: SHOWING, choice: "b", grade: 3, elapsed_ms: 1200 });
});

test("a refused answer says the server's reason, field errors included", async (t) => {
  const server = await serve(t, {
    "POST /api/review/answers/": (body) => (body.grade === 5 ? [400, { grade: ["grade must be 1, 2, 3 or 4."] }] : [400, { detail: "unknown card." }]),
  });
  await assert.rejects(sendReviewAnswer(server.url, "t", { ...ANSWER, grade: 5 }), (error) => error instanceof ServerError && error.status === 400 && error.message === "The answer was not recorded: grade: grade must be 1, 2, 3 or 4.");
  await assert.rejects(sendReviewAnswer(server.url, "t", { ...ANSWER, card: 999 }), { message: "The answer was not recorded: unknown card." });
});

test("a rejected token asks to sign in again", async (t) => {
  const server = await serve(t, { "GET /api/review/summary/": () => [401, { detail: "Invalid token." }] });
  await assert.rejects(fetchReviewSummary(server.url, "stale"), { status: 401, message: "The server rejected the sign-in token. Sign in again on the extension's options page." });
});

test("without a token the summary asks to sign in and nothing is sent", async (t) => {
  const server = await serve(t, {});
  assert.deepEqual(await reviewSummary({ server: server.url, token: null }), { signedIn: false });
  await assert.rejects(reviewItems({ server: server.url, token: null }, 5), /Sign in on the extension's options page to review/);
  assert.equal(server.requests.length, 0);
});

test("a summary is kept with its time, and offline the last one seen comes back", async (t) => {
  const server = await serve(t, { "GET /api/review/summary/": () => [200, SUMMARY] });
  assert.deepEqual(await reviewSummary({ server: server.url, token: "t" }, 1_000), { signedIn: true, online: true, summary: SUMMARY });
  await server.close();
  const offline = await reviewSummary({ server: server.url, token: "t" }, 5_000);
  assert.equal(offline.online, false);
  assert.deepEqual(offline.lastSeen, { summary: SUMMARY, at: 1_000 });
  assert.match(offline.problem, /^Cannot reach the Iconoplasm server/);
});

test("offline, a summary seen on another server is not offered", async () => {
  const offline = await reviewSummary({ server: await deadServer(), token: "t" });
  assert.deepEqual([offline.online, offline.lastSeen], [false, null]);
});

test("a recorded answer updates the kept due count; a repeat (409) is a skip, not an error", async (t) => {
  let answers = 0;
  const server = await serve(t, {
    "GET /api/review/summary/": () => [200, SUMMARY],
    "POST /api/review/answers/": () => (++answers === 1 ? [200, RECORDED] : [409, { detail: "this question was already answered" }]),
  });
  const settings = { server: server.url, token: "t" };
  await reviewSummary(settings, 1_000);
  assert.deepEqual(await reviewAnswer(settings, ANSWER, 2_000), { recorded: RECORDED });
  assert.deepEqual(browser.area.reviewSummary, { server: server.url, summary: { ...SUMMARY, due: 2 }, at: 2_000 });
  assert.deepEqual(await reviewAnswer(settings, ANSWER, 3_000), { skipped: "Skipped: this question was already answered." });
  assert.equal(browser.area.reviewSummary.at, 2_000);
});

test("a network failure while answering is an error for the panel to show", async () => {
  await assert.rejects(reviewAnswer({ server: await deadServer(), token: "t" }, ANSWER), { unreachable: true });
});

test("the right choice is read from the signed showing token; a token it cannot read is reported", async (t) => {
  assert.equal(answerInShowing(SHOWING), "b");
  assert.equal(answerInShowing("eyJjYXJkIjoxMjM0NSwidmVyc2lvbiI6MCwiYW5zd2VyIjoiZCJ9:1xYTGc:-hA3refvqiQWbrG5-39ye7P3eSvMXrKGV3qaZLtTjD4"), "d");
  assert.throws(() => answerInShowing(".eJyrVkpOLErOz0nVM1SyUsrMS8svyk1VqgUAV0sHvg:1xYTGc:sig"), /cannot read/);
  const server = await serve(t, {
    "GET /api/review/next/?limit=1": () => [200, { due: 1, new: 0, items: [{ ...item(server.url), showing: SHOWING.replace("eyJjYXJkIjo3LCJ2ZXJzaW9uIjoyLCJhbnN3ZXIiOiJiIn0", btoa('{"card":7,"version":2,"answer":"z"}')) }] }],
  });
  await assert.rejects(reviewItems({ server: server.url, token: "t" }, 1), /answer is not among its choices/);
});

test("images are used only from the configured server's origin", async (t) => {
  const routes = await serve(t, { "GET /api/review/next/?limit=5": () => [200, { due: 1, new: 0, items: [item(routes.url)] }] });
  const { items } = await reviewItems({ server: routes.url, token: "t" }, 5);
  assert.deepEqual(items[0].answer, { id: "b", label: "TP53" });
  assert.equal(items[0].prompt.image_url, `${routes.url}/media/portraits/tp53.png`);
  assert.deepEqual(
    items[0].choices.map((choice) => choice.image_url),
    [`${routes.url}/media/portraits/tp63.png`, null, null, null],
  );
  assert.equal(serverImage(`${routes.url.replace("127.0.0.1", "localhost")}/x.png`, routes.url), null);
});
