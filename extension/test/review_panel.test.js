import assert from "node:assert/strict";
import { test } from "node:test";
import { JSDOM } from "jsdom";
import { runReview } from "../src/pages/review_panel.js";

const choices = (...labels) => labels.map((label, position) => ({ id: "abcd"[position], label, image_url: null }));
const ITEMS = [
  { card: 1, kind: "weight", question: "How heavy is TP53?", prompt: { symbol: "TP53", image_url: null, color_hex: "#484848" }, choices: choices("43.7 kg", "12 kg", "90 kg", "150 kg"), answer: { id: "a", label: "43.7 kg" }, showing: "s1" },
  {
    card: 2,
    kind: "symbol_to_portrait",
    question: "Which portrait is LAIR1?",
    prompt: { symbol: "LAIR1", image_url: null, color_hex: null },
    choices: ["a", "b", "c", "d"].map((id, position) => ({ id, label: `Portrait ${position + 1}`, image_url: `http://127.0.0.1:8000/media/${id}.png` })),
    answer: { id: "c", label: "Portrait 3" },
    showing: "s2",
  },
];
const settle = () => new Promise((resolve) => setImmediate(resolve));

function popup() {
  const { window } = new JSDOM(`<!doctype html><div id="panel"></div>`);
  return window.document;
}

function press(document, key) {
  document.activeElement.dispatchEvent(new document.defaultView.KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
}

const texts = (document, selector) => [...document.querySelectorAll(selector)].map((node) => node.textContent);

async function started({ items = ITEMS, outcomes = [] } = {}) {
  const document = popup();
  const sent = [];
  const dues = [];
  let finished = null;
  let clock = 0;
  const review = runReview(document.getElementById("panel"), {
    loadItems: async () => ({ due: 7, items }),
    sendAnswer: async (answer) => {
      sent.push(answer);
      const outcome = outcomes.shift();
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    onDue: (due) => dues.push(due),
    onDone: (state) => {
      finished = state;
    },
    now: () => (clock += 1_000),
  });
  await settle();
  return { document, review, sent, dues, finished: () => finished };
}

const recorded = (correct, due, fact) => ({ recorded: { correct, answer: {}, fact, grade: correct ? 3 : 1, next_due: "2025-01-02T00:00:00Z", interval_days: 2, due } });

test("a whole review with the keyboard: choose, reveal, grade with Space, next, done", async () => {
  const { document, review, sent, dues, finished } = await started({ outcomes: [recorded(false, 6, "TP53 weight: 43.7 kg ← 43.7 kDa"), recorded(true, 5, "LAIR1 colour")] });
  assert.deepEqual(texts(document, ".progress"), ["Question 1 of 2"]);
  assert.deepEqual(texts(document, ".question"), ["How heavy is TP53?"]);
  assert.deepEqual(texts(document, ".prompt-symbol"), ["TP53"]);
  assert.equal(document.querySelector(".swatch").style.backgroundColor, "rgb(72, 72, 72)");
  assert.deepEqual(texts(document, "button.choice"), ["143.7 kg", "212 kg", "390 kg", "4150 kg"]);

  press(document, "2");
  assert.equal(document.querySelector(".verdict.wrong").textContent, "Not quite: it was 43.7 kg.");
  assert.equal(document.querySelector("button.chosen").dataset.choice, "b");
  assert.equal(document.querySelector("button.answer").dataset.choice, "a");
  assert.deepEqual([...document.querySelectorAll("button.grade")].map((button) => [button.textContent, button.getAttribute("aria-pressed")]), [
    ["1Again", "true"],
    ["2Hard", "false"],
    ["3Good", "false"],
    ["4Easy", "false"],
  ]);
  assert.equal(texts(document, ".hint").at(-1), "1–4 to grade, Space for Again");

  press(document, " ");
  await settle();
  assert.deepEqual(sent, [{ card: 1, showing: "s1", choice: "b", grade: 1, elapsedMs: 1_000 }]);
  assert.deepEqual(dues, [7, 6]);
  assert.deepEqual(texts(document, ".progress"), ["Question 2 of 2"]);
  assert.equal(document.querySelector(".fact").textContent, "TP53 weight: 43.7 kg ← 43.7 kDa (next review in 2 days)");
  assert.deepEqual([...document.querySelectorAll("button.choice img")].map((image) => image.alt), ["Portrait 1", "Portrait 2", "Portrait 3", "Portrait 4"]);

  press(document, "3");
  assert.equal(document.querySelector(".verdict.right").textContent, "Right!");
  assert.equal(document.querySelector("button.grade[aria-pressed=true]").dataset.grade, "3", "a right choice pre-selects Good");
  press(document, "4");
  await settle();
  assert.equal(sent[1].grade, 4, "keys 1–4 grade directly after the reveal");
  assert.equal(document.querySelector(".done").textContent, "Done: 1 of 2 right");
  assert.equal(finished().answered, 2);

  press(document, "1");
  await settle();
  assert.equal(sent.length, 2, "keys do nothing once the review is over");
  review.stop();
});

test("clicks work as the keys do", async () => {
  const { document, sent } = await started({ outcomes: [recorded(true, 6, "fact")] });
  document.querySelector("button.choice[data-choice=a]").click();
  document.querySelector("button.grade[data-grade='2']").click();
  await settle();
  assert.equal(sent[0].grade, 2);
  assert.deepEqual(texts(document, ".progress"), ["Question 2 of 2"]);
});

test("an answer the server already had is skipped with a note", async () => {
  const { document, sent } = await started({ outcomes: [{ skipped: "Skipped: this question was already answered." }] });
  press(document, "1");
  press(document, " ");
  await settle();
  assert.equal(sent.length, 1);
  assert.equal(document.querySelector(".note").textContent, "Skipped: this question was already answered.");
  assert.deepEqual(texts(document, ".progress"), ["Question 2 of 2"]);
});

test("a refusal or a lost connection is shown on the reveal, and the same grade can be sent again", async () => {
  const { document, sent, dues } = await started({
    outcomes: [recorded(true, 6, "fact"), new Error("The answer was not recorded: grade must be 1, 2, 3 or 4."), new Error("Cannot reach the Iconoplasm server at http://127.0.0.1:8000."), recorded(false, 5, "fact 2")],
  });
  press(document, "1");
  press(document, " ");
  await settle();
  press(document, "1");
  press(document, " ");
  await settle();
  assert.equal(document.querySelector(".message.error").textContent, "The answer was not recorded: grade must be 1, 2, 3 or 4. Answers sent before this one are saved; press a grade to send it again.");
  assert.ok(document.querySelector(".verdict"), "still on the reveal");
  press(document, " ");
  await settle();
  assert.match(document.querySelector(".message.error").textContent, /^Cannot reach the Iconoplasm server/);
  press(document, " ");
  await settle();
  assert.deepEqual(
    sent.map((answer) => answer.card),
    [1, 2, 2, 2],
  );
  assert.deepEqual(dues, [7, 6, 5]);
  assert.equal(document.querySelector(".done").textContent, "Done: 1 of 2 right");
});

test("no due questions, or none to load, say so", async () => {
  const empty = await started({ items: [] });
  assert.equal(empty.document.querySelector(".done").textContent, "Nothing is due right now.");
  const document = popup();
  runReview(document.getElementById("panel"), { loadItems: async () => Promise.reject(new Error("Cannot reach the Iconoplasm server.")), sendAnswer: async () => ({}) });
  await settle();
  assert.equal(document.querySelector(".message.error").textContent, "Cannot reach the Iconoplasm server.");
});

test("markup in the server's data stays text", async () => {
  const hostile = { ...ITEMS[0], question: "<img src=x onerror=alert(1)>", prompt: { symbol: "<b>TP53</b>", image_url: null, color_hex: "red;background:url(x)" }, choices: choices("<i>a</i>", "b", "c", "d"), answer: { id: "a", label: "<script>x</script>" } };
  const { document } = await started({ items: [hostile] });
  assert.equal(document.querySelector(".question").textContent, hostile.question);
  assert.equal(document.querySelector(".swatch"), null, "a colour that is not #rrggbb is not used");
  press(document, "2");
  assert.equal(document.querySelectorAll("#panel img, #panel b, #panel i, #panel script").length, 0);
});
