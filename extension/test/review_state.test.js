import assert from "node:assert/strict";
import { test } from "node:test";
import { agoText, answerFor, choose, doneText, dueText, failed, keyAction, nextReviewText, recorded, sending, skipped, startReview, statsText, summaryText, verdictText } from "../src/pages/review_state.js";

const choices = (...ids) => ids.map((id) => ({ id, label: id, image_url: null }));
const ITEMS = [
  { card: 1, kind: "portrait_to_gene", question: "Which gene is this?", prompt: { symbol: null, image_url: "http://s/p.png", color_hex: null }, choices: choices("TP53", "TP63", "TP73", "MDM2"), answer: { id: "TP53", label: "TP53" }, showing: "s1" },
  { card: 2, kind: "weight", question: "How heavy is LAIR1?", prompt: { symbol: "LAIR1", image_url: null, color_hex: "#a0522d" }, choices: choices("31 kg", "12 kg", "80 kg", "150 kg"), answer: { id: "31 kg", label: "31.4 kg" }, showing: "s2" },
];
const result = (correct, due) => ({ correct, answer: {}, fact: `fact ${due}`, grade: correct ? 3 : 1, next_due: "2025-01-01T00:00:00Z", interval_days: 2.4, due });

test("choose → reveal → grade → next, counting the right answers", () => {
  let state = startReview(ITEMS, 2, 1_000);
  assert.equal(state.phase, "question");
  state = choose(state, "TP53", 3_500);
  assert.deepEqual([state.phase, state.correct, state.grade], ["reveal", true, 3]);
  assert.equal(verdictText(state), "Right!");
  assert.deepEqual(answerFor(state, 4), { card: 1, showing: "s1", choice: "TP53", grade: 4, elapsedMs: 2_500 });
  state = recorded(sending(state, 4), result(true, 1), 4_000);
  assert.deepEqual([state.phase, state.index, state.answered, state.right, state.due], ["question", 1, 1, 1, 1]);
  assert.deepEqual(state.last, { fact: "fact 1", intervalDays: 2.4 }, "the fact of the answer the server recorded");
  state = choose(state, "80 kg", 4_500);
  assert.deepEqual([state.correct, state.grade], [false, 1]);
  assert.equal(verdictText(state), "Not quite: it was 31.4 kg.");
  state = recorded(sending(state, 1), result(false, 0), 5_000);
  assert.equal(state.phase, "done");
  assert.equal(doneText(state), "Done: 1 of 2 right");
});

test("keys 1–4 choose before the reveal and grade after it; Space sends the pre-selected grade", () => {
  let state = startReview(ITEMS, 2, 0);
  assert.deepEqual(keyAction(state, "3"), { choose: "TP73" });
  assert.equal(keyAction(state, " "), null, "Space cannot choose");
  assert.equal(keyAction(state, "5"), null);
  state = choose(state, "TP73", 10);
  assert.equal(state.grade, 1, "a wrong choice pre-selects Again");
  assert.deepEqual(keyAction(state, " "), { grade: 1 });
  assert.deepEqual(keyAction(state, "2"), { grade: 2 });
  assert.equal(keyAction(sending(state, 1), " "), null, "no second answer while one is on its way");
  const right = choose(startReview(ITEMS, 2, 0), "TP53", 10);
  assert.deepEqual(keyAction(right, " "), { grade: 3 }, "a right choice pre-selects Good");
});

test("a choice that is not offered, or a second choice, changes nothing", () => {
  const state = startReview(ITEMS, 2, 0);
  assert.equal(choose(state, "BRCA1", 5), state);
  const revealed = choose(state, "TP63", 5);
  assert.equal(choose(revealed, "TP53", 6), revealed);
});

test("a skipped question moves on with its note and counts as no answer", () => {
  const state = skipped(sending(choose(startReview(ITEMS, 2, 0), "TP53", 1), 3), "Skipped: this question was already answered.", 2);
  assert.deepEqual([state.phase, state.index, state.answered, state.note, state.last], ["question", 1, 0, "Skipped: this question was already answered.", null]);
  assert.equal(recorded(choose(state, "31 kg", 3), result(true, 0), 4).note, null);
});

test("a failed send stays on the reveal with the message, keeping the answers so far", () => {
  let state = recorded(sending(choose(startReview(ITEMS, 2, 0), "TP53", 1), 3), result(true, 1), 2);
  state = failed(sending(choose(state, "31 kg", 3), 3), "Cannot reach the server.");
  assert.deepEqual([state.phase, state.index, state.answered, state.right, state.error, state.grade], ["reveal", 1, 1, 1, "Cannot reach the server.", 3]);
  assert.deepEqual(keyAction(state, " "), { grade: 3 }, "the same grade can be sent again");
});

test("nothing due is done at once", () => {
  assert.equal(startReview([], 0, 0).phase, "done");
});

test("the popup's review line for each state", () => {
  const summary = { due: 3, new: 1, reviewed_today: 4, streak_days: 2, retention_30d: 0.857 };
  const now = Date.UTC(2025, 0, 1, 12);
  assert.equal(summaryText({ signedIn: false }, now), "Sign in on the options page to review");
  assert.equal(summaryText({ signedIn: true, online: true, summary }, now), "3 genes due");
  assert.equal(dueText(1), "1 gene due");
  assert.equal(summaryText({ signedIn: true, online: false, lastSeen: { summary, at: now - 25 * 60_000 } }, now), "Offline: reviews need the server (3 due when last seen 25 minutes ago)");
  assert.equal(summaryText({ signedIn: true, online: false, lastSeen: null }, now), "Offline: reviews need the server");
  assert.equal(statsText(summary), "1 new · 4 reviewed today · 2 days in a row · 86% right over 30 days");
  assert.equal(statsText({ ...summary, streak_days: 0, retention_30d: null }), "1 new · 4 reviewed today");
});

test("when the server asks again, in words", () => {
  assert.equal(nextReviewText(10 / 1440), "next review in 10 minutes");
  assert.equal(nextReviewText(0), "next review in 1 minute");
  assert.equal(nextReviewText(0.25), "next review in 6 hours");
  assert.equal(nextReviewText(3.4), "next review in 3 days");
});

test("how long ago, as a person says it", () => {
  assert.equal(agoText(0, 30_000), "just now");
  assert.equal(agoText(0, 60_000), "1 minute ago");
  assert.equal(agoText(0, 3 * 3_600_000), "3 hours ago");
  assert.equal(agoText(0, 49 * 3_600_000), "2 days ago");
});
