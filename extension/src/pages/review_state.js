// The popup's short review as plain data: each step takes a state and returns the next one, so
// the panel only draws states and the tests need no DOM. The scheduling itself stays on the
// server; a state only remembers what the server said about each answer. The right choice is
// known at once (the background reads it from the question), the fact behind it only once the
// server has the answer, so it is shown above the next question.

export const REVIEW_LENGTH = 5;
export const GRADES = Object.freeze([
  Object.freeze({ grade: 1, label: "Again" }),
  Object.freeze({ grade: 2, label: "Hard" }),
  Object.freeze({ grade: 3, label: "Good" }),
  Object.freeze({ grade: 4, label: "Easy" }),
]);
const AGAIN = 1;
const GOOD = 3;
const KEYS = ["1", "2", "3", "4"];

const plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** The review of `items` (from /api/review/next/), its first question shown at `now`. */
export function startReview(items, due, now) {
  return { phase: items.length ? "question" : "done", items, index: 0, due, shownAt: now, answered: 0, right: 0, last: null, note: null, error: null };
}

export const currentItem = (state) => state.items[state.index];

/** The user picked `choiceId` at `now`: reveal whether it was right, pre-selecting a grade. */
export function choose(state, choiceId, now) {
  if (state.phase !== "question") return state;
  const item = currentItem(state);
  if (!item.choices.some((choice) => choice.id === choiceId)) return state;
  const correct = choiceId === item.answer.id;
  return { ...state, phase: "reveal", chosen: choiceId, correct, grade: correct ? GOOD : AGAIN, elapsedMs: Math.max(0, now - state.shownAt), note: null, error: null };
}

/** The body of POST /api/review/answers/ for the revealed question graded `grade`. */
export function answerFor(state, grade) {
  const item = currentItem(state);
  return { card: item.card, showing: item.showing, choice: state.chosen, grade, elapsedMs: state.elapsedMs };
}

/** Sending the grade is under way; the panel ignores keys until it settles. */
export const sending = (state, grade) => ({ ...state, phase: "sending", grade, error: null });

function advance(state, changes, now) {
  const next = { ...state, ...changes, index: state.index + 1, shownAt: now, chosen: null, correct: null, grade: null, error: null };
  return next.index < state.items.length ? { ...next, phase: "question" } : { ...next, phase: "done" };
}

/** The server recorded the answer: count it and go on to the next question. */
export function recorded(state, result, now) {
  const last = { fact: result.fact, intervalDays: result.interval_days };
  return advance(state, { answered: state.answered + 1, right: state.right + (result.correct ? 1 : 0), due: result.due, last, note: null }, now);
}

/** The server had this question answered already (another window, a double press): skip it. */
export function skipped(state, note, now) {
  return advance(state, { last: null, note }, now);
}

/** Sending failed: stay on the reveal, so the same grade can be sent again; earlier answers stand. */
export function failed(state, message) {
  return { ...state, phase: "reveal", error: message };
}

/**
 * What a key press means in `state`: {choose: id}, {grade: n} or null. Keys 1–4 pick a choice
 * before the reveal and a grade after it; Space sends the pre-selected grade.
 */
export function keyAction(state, key) {
  const position = KEYS.indexOf(key);
  if (state.phase === "question" && position >= 0) {
    const choice = currentItem(state).choices[position];
    return choice ? { choose: choice.id } : null;
  }
  if (state.phase === "reveal") {
    if (position >= 0) return { grade: GRADES[position].grade };
    if (key === " ") return { grade: state.grade };
  }
  return null;
}

export const progressText = (state) => `Question ${state.index + 1} of ${state.items.length}`;
export const verdictText = (state) => (state.correct ? "Right!" : `Not quite: it was ${currentItem(state).answer.label}.`);
export const doneText = (state) => `Done: ${state.right} of ${state.answered} right`;
export const dueText = (due) => plural(due, "gene") + " due";

/** When the server will ask again, from an interval in (fractional) days. */
export function nextReviewText(intervalDays) {
  const minutes = Math.round(intervalDays * 24 * 60);
  if (minutes < 60) return `next review in ${plural(Math.max(minutes, 1), "minute")}`;
  if (minutes < 24 * 60) return `next review in ${plural(Math.round(minutes / 60), "hour")}`;
  return `next review in ${plural(Math.round(intervalDays), "day")}`;
}

/** How long ago `then` was, roughly, as a person would say it. */
export function agoText(then, now) {
  const minutes = Math.floor((now - then) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${plural(minutes, "minute")} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${plural(hours, "hour")} ago`;
  return `${plural(Math.floor(hours / 24), "day")} ago`;
}

/** The popup's review line for the background's answer to "review-summary". */
export function summaryText(view, now) {
  if (!view.signedIn) return "Sign in on the options page to review";
  if (view.online) return dueText(view.summary.due);
  if (!view.lastSeen) return "Offline: reviews need the server";
  return `Offline: reviews need the server (${view.lastSeen.summary.due} due when last seen ${agoText(view.lastSeen.at, now)})`;
}

/** The smaller line under it: today's work, the streak and the 30-day retention. */
export function statsText(summary) {
  const parts = [`${summary.new} new`, `${summary.reviewed_today} reviewed today`];
  if (summary.streak_days) parts.push(`${plural(summary.streak_days, "day")} in a row`);
  if (summary.retention_30d !== null) parts.push(`${Math.round(summary.retention_30d * 100)}% right over 30 days`);
  return parts.join(" · ");
}
