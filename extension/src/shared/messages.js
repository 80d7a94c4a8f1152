// Asking the background for something: every answer is {ok, result} or {ok: false, error}.
import { ext } from "./browser_api.js";

export function ask(message) {
  return resultOf(ext.runtime.sendMessage(message));
}

/** The result of an answer that `runtime.sendMessage` promised, or its error thrown. */
export async function resultOf(sent) {
  const answer = await sent;
  if (!answer?.ok) throw new Error(answer?.error ?? "The Iconoplasm background did not answer.");
  return answer.result;
}

/** The review messages: the popup asks, the background answers through the server. */
export const REVIEW_MESSAGES = Object.freeze({ summary: "review-summary", items: "review-items", answer: "review-answer" });
