// Genes the user has met. Kept in storage.local for everyone; when signed in, the ones the
// server has not seen yet are sent in batches (so guest discoveries merge on sign-in).
import { ext } from "../shared/browser_api.js";
import { sendDiscoveries } from "./api.js";

export const RECOUNT_AFTER_MS = 30_000;
const BATCH_SIZE = 500; // the server's limit per call
const SEND_DELAY_MS = 1_000;

const lastCounted = new Map(); // symbol -> time; a card reopened within RECOUNT_AFTER_MS is not a new discovery
let sendTimer = null;

async function load() {
  const { discoveries } = await ext.storage.local.get("discoveries");
  return { genes: {}, unsent: [], lastError: null, ...discoveries };
}

async function save(discoveries) {
  await ext.storage.local.set({ discoveries });
}

/** Records a discovery of `symbol` at `now`; returns false when it was counted in the last 30 s. */
export async function recordDiscovery(symbol, now = Date.now()) {
  const last = lastCounted.get(symbol);
  if (last !== undefined && now - last < RECOUNT_AFTER_MS) return false;
  lastCounted.set(symbol, now);
  const discoveries = await load();
  if (!(symbol in discoveries.genes)) discoveries.genes[symbol] = new Date(now).toISOString();
  if (!discoveries.unsent.includes(symbol)) discoveries.unsent.push(symbol);
  await save(discoveries);
  return true;
}

/** Sends unsent discoveries once things have settled, so a burst of hovers is one request. */
export function scheduleSend(send) {
  clearTimeout(sendTimer);
  sendTimer = setTimeout(send, SEND_DELAY_MS);
}

/** Sends every unsent discovery with `token`; keeps them (and says why) when the server fails. */
export async function sendUnsent(server, token) {
  if (!token) return;
  for (;;) {
    const batch = (await load()).unsent.slice(0, BATCH_SIZE);
    if (batch.length === 0) return;
    let problem = null;
    try {
      await sendDiscoveries(server, token, batch);
    } catch (error) {
      problem = error.message;
    }
    // Reloaded, not reused: discoveries recorded while the request was out must survive.
    const latest = await load();
    if (!problem) latest.unsent = latest.unsent.filter((symbol) => !batch.includes(symbol));
    latest.lastError = problem;
    await save(latest);
    if (problem) return;
  }
}

export async function discoverySummary() {
  const discoveries = await load();
  return { count: Object.keys(discoveries.genes).length, unsent: discoveries.unsent.length, lastError: discoveries.lastError };
}
