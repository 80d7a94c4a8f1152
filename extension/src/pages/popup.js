import { REVIEW_MESSAGES, ask } from "../shared/messages.js";
import { ARCHIVE_PATH } from "../shared/settings.js";
import { runReview } from "./review_panel.js";
import { REVIEW_LENGTH, dueText, statsText, summaryText } from "./review_state.js";
import { say } from "./say.js";

const $ = (id) => document.getElementById(id);

async function fill() {
  try {
    const status = await ask({ type: "status" });
    $("genes").textContent = status.genes ? `${status.genes.toLocaleString("en")} genes loaded from ${status.server}` : `No lexicon loaded from ${status.server} yet.`;
    const { count, unsent, lastError } = status.discoveries;
    $("discoveries").textContent = `${count} genes discovered${status.username ? ` (signed in as ${status.username}${unsent ? `, ${unsent} still to send` : ""})` : " in this browser"}`;
    if (status.problem || lastError) say($("problem"), status.problem ?? lastError, { error: true });
    $("archive").href = new URL(ARCHIVE_PATH, status.server).href;
  } catch (error) {
    say($("problem"), error.message, { error: true });
  }
}

async function fillReview() {
  try {
    const view = await ask({ type: REVIEW_MESSAGES.summary });
    say($("review-due"), summaryText(view, Date.now()), { error: view.signedIn && !view.online });
    $("review-stats").textContent = view.online ? statsText(view.summary) : "";
    $("review-start").hidden = !(view.online && view.summary.due > 0);
  } catch (error) {
    say($("review-due"), error.message, { error: true });
  }
}

$("review-start").addEventListener("click", () => {
  $("review-start").hidden = true;
  $("review-stats").textContent = "";
  const panel = $("review-panel");
  panel.hidden = false;
  runReview(panel, {
    loadItems: () => ask({ type: REVIEW_MESSAGES.items, limit: REVIEW_LENGTH }),
    sendAnswer: (answer) => ask({ type: REVIEW_MESSAGES.answer, answer }),
    onDue: (due) => say($("review-due"), dueText(due)),
    onDone: (state) => {
      $("review-start").hidden = state.due === 0 || state.items.length === 0;
    },
  });
});

fill();
fillReview();
