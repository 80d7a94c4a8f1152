// The popup's review, brokered by the background (which holds the server address and token).
// The scheduler lives on the server; the only thing kept here is the last due count seen, so
// the popup can say something useful while the server is unreachable.
import { ext } from "../shared/browser_api.js";
import { ServerError, fetchReviewItems, fetchReviewSummary, reasonOf, sendReviewAnswer } from "./api.js";

const SIGN_IN_FIRST = "Sign in on the extension's options page to review.";

function requireToken(token) {
  if (!token) throw new ServerError(SIGN_IN_FIRST, { status: 401 });
}

async function lastSeen(server) {
  const { reviewSummary } = await ext.storage.local.get("reviewSummary");
  return reviewSummary?.server === server ? { summary: reviewSummary.summary, at: reviewSummary.at } : null;
}

async function remember(server, summary, at) {
  await ext.storage.local.set({ reviewSummary: { server, summary, at } });
}

/**
 * {signedIn: false}; {signedIn, online: true, summary}; or, when the server cannot be reached,
 * {signedIn, online: false, lastSeen: {summary, at} | null, problem}. Other failures throw.
 */
export async function reviewSummary({ server, token }, now = Date.now()) {
  if (!token) return { signedIn: false };
  try {
    const summary = await fetchReviewSummary(server, token);
    await remember(server, summary, now);
    return { signedIn: true, online: true, summary };
  } catch (error) {
    if (!error.unreachable) throw error;
    return { signedIn: true, online: false, lastSeen: await lastSeen(server), problem: error.message };
  }
}

/** `url` made absolute against the server, or null unless it is on the server's own origin. */
export function serverImage(url, server) {
  if (!url) return null;
  let absolute;
  try {
    absolute = new URL(url, server);
  } catch {
    return null;
  }
  return absolute.origin === new URL(server).origin ? absolute.href : null;
}

/**
 * The right choice's id, which the showing token names. The token is signed, not secret
 * (django.core.signing: base64url JSON, then timestamp and signature; backend/learning/
 * questions.py): reading it lets the popup reveal the answer before the grade is sent.
 */
export function answerInShowing(showing) {
  try {
    const payload = showing.split(":")[0].replaceAll("-", "+").replaceAll("_", "/");
    return String(JSON.parse(atob(payload)).answer);
  } catch {
    throw new ServerError("The server sent a question this version of the extension cannot read.");
  }
}

/** Up to `limit` due questions with their right answers, images restricted to the configured server. */
export async function reviewItems({ server, token }, limit) {
  requireToken(token);
  const { due, new: fresh, items } = await fetchReviewItems(server, token, limit);
  return {
    due,
    new: fresh,
    items: items.map((item) => {
      const answer = item.choices.find((choice) => choice.id === answerInShowing(item.showing));
      if (!answer) throw new ServerError("The server sent a question whose answer is not among its choices.");
      return {
        ...item,
        answer: { id: answer.id, label: answer.label },
        prompt: { ...item.prompt, image_url: serverImage(item.prompt.image_url, server) },
        choices: item.choices.map((choice) => ({ ...choice, image_url: serverImage(choice.image_url, server) })),
      };
    }),
  };
}

/**
 * Sends one graded answer: {recorded: result} once the server has it, {skipped: note} when the
 * question had been answered already (409). Refusals and network failures throw.
 */
export async function reviewAnswer({ server, token }, answer, now = Date.now()) {
  requireToken(token);
  let result;
  try {
    result = await sendReviewAnswer(server, token, answer);
  } catch (error) {
    if (error.status === 409) return { skipped: `Skipped: ${reasonOf(error, "this question was already answered")}.` };
    throw error;
  }
  const seen = await lastSeen(server);
  if (seen) await remember(server, { ...seen.summary, due: result.due }, now);
  return { recorded: result };
}
