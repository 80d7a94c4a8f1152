// Asking the background for something: every answer is {ok, result} or {ok: false, error}.
import { ext } from "./browser_api.js";

export async function ask(message) {
  const answer = await ext.runtime.sendMessage(message);
  if (!answer?.ok) throw new Error(answer?.error ?? "The Iconoplasm background did not answer.");
  return answer.result;
}

/** The review messages: the popup asks, the background answers through the server. */
export const REVIEW_MESSAGES = Object.freeze({ summary: "review-summary", items: "review-items", answer: "review-answer" });
