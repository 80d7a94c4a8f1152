// The Iconoplasm server's HTTP API, as the background uses it. Only gene symbols and the
// user's own credentials are ever sent; the page text tabs send for matching stays in the browser.

export class ServerError extends Error {
  constructor(message, { status = null, unreachable = false, detail = "" } = {}) {
    super(message);
    this.name = "ServerError";
    this.status = status;
    this.detail = detail;
    this.unreachable = unreachable;
  }
}

const REQUEST_TIMEOUT_MS = 10_000;

function detailOf(body) {
  if (body && typeof body === "object") {
    if (body.detail !== undefined) return [].concat(body.detail).join(" ");
    return Object.entries(body)
      .map(([field, problems]) => `${field}: ${[].concat(problems).join(" ")}`)
      .join("; ");
  }
  return "";
}

/** The server's reason, to end a sentence of ours: its own trailing full stops dropped. */
export const reasonOf = (error, fallback) => (error.detail || fallback).replace(/\.+$/, "");

async function request(server, path, { method = "GET", body, token } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Token ${token}`;
  let response;
  try {
    response = await fetch(new URL(path, server), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch {
    throw new ServerError(`Cannot reach the Iconoplasm server at ${server}. Is it running, and is the address right?`, {
      unreachable: true,
    });
  }
  let parsed = null;
  try {
    parsed = await response.json();
  } catch {
    if (response.ok) throw new ServerError(`${server}${path} answered with something that is not JSON`, { status: response.status });
  }
  if (response.status === 401 && token) {
    throw new ServerError("The server rejected the sign-in token. Sign in again on the extension's options page.", { status: 401 });
  }
  if (!response.ok) {
    const detail = detailOf(parsed);
    throw new ServerError(`${server}${path} failed (HTTP ${response.status})${detail ? `: ${detail}` : ""}`, { status: response.status, detail });
  }
  return parsed;
}

export const fetchLexiconPointer = (server) => request(server, "/api/lexicon/");
export const fetchLexiconBody = (server, url) => request(server, new URL(url, server).pathname);
export const fetchCard = (server, symbol) => request(server, `/api/genes/${encodeURIComponent(symbol)}/`);
export async function signIn(server, username, password) {
  try {
    return await request(server, "/api/auth/token/", { method: "POST", body: { username, password } });
  } catch (error) {
    if (error.status === 400) {
      throw new ServerError(`Sign-in failed: ${reasonOf(error, "the server refused it")}.`, { status: 400, detail: error.detail });
    }
    throw error;
  }
}
export const sendDiscoveries = (server, token, symbols) => request(server, "/api/me/discoveries/", { method: "POST", body: { symbols }, token });

/** An image from the server as a data: URL, so the card shows it whatever the page's policy. */
export async function fetchImageAsDataUrl(url) {
  let response;
  try {
    response = await fetch(url, { credentials: "omit" });
  } catch {
    throw new ServerError(`Cannot load the portrait from ${url}`, { unreachable: true });
  }
  if (!response.ok) throw new ServerError(`The portrait at ${url} failed (HTTP ${response.status})`, { status: response.status });
  const type = response.headers.get("Content-Type") ?? "image/png";
  const bytes = new Uint8Array(await response.arrayBuffer());
  let binary = "";
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return `data:${type};base64,${btoa(binary)}`;
}

// Review: the scheduler lives on the server; these calls only read due items and send answers.
export const fetchReviewSummary = (server, token) => request(server, "/api/review/summary/", { token });
export const fetchReviewItems = (server, token, limit) => request(server, `/api/review/next/?limit=${encodeURIComponent(limit)}`, { token });

/** Sends one graded answer; a refusal (400) says the server's reason. */
export async function sendReviewAnswer(server, token, { card, showing, choice, grade, elapsedMs }) {
  try {
    return await request(server, "/api/review/answers/", { method: "POST", body: { card, showing, choice, grade, elapsed_ms: elapsedMs }, token });
  } catch (error) {
    if (error.status === 400) {
      throw new ServerError(`The answer was not recorded: ${reasonOf(error, "the server refused it")}.`, { status: 400, detail: error.detail });
    }
    throw error;
  }
}
