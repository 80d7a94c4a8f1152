// The lexicon: fetched from the server by hash, kept in storage.local, and served from there
// when the server cannot be reached.
import { ext } from "../shared/browser_api.js";
import { readLexicon } from "../shared/lexicon_format.js";
import { buildMatcher } from "../shared/matcher.js";
import { fetchLexiconBody, fetchLexiconPointer } from "./api.js";

// How long a checked lexicon is trusted before asking the server for the current hash again.
const RECHECK_MS = 10 * 60 * 1000;

let memory = null; // {server, hash, genes, checkedAt}
let reading = null; // the read from storage in progress, shared by the messages that wait on it
let matcherMemo = { key: null, value: null };

async function readStored() {
  const { lexicon } = await ext.storage.local.get("lexicon");
  if (!lexicon) return null;
  memory ??= { server: lexicon.server, hash: lexicon.hash, genes: readLexicon(lexicon.body), checkedAt: 0 };
  return memory;
}

// A restarted service worker gets several tabs' messages at once; they share one read.
function fromStorage() {
  if (memory) return Promise.resolve(memory);
  reading ??= readStored().finally(() => {
    reading = null;
  });
  return reading;
}

async function download(server, cached) {
  const pointer = await fetchLexiconPointer(server);
  if (cached && cached.hash === pointer.hash) return { ...cached, checkedAt: Date.now() };
  const body = await fetchLexiconBody(server, pointer.url);
  // Read before storing, so a malformed lexicon never replaces a good saved one.
  const genes = readLexicon(body);
  await ext.storage.local.set({ lexicon: { server, hash: pointer.hash, body } });
  return { server, hash: pointer.hash, genes, checkedAt: Date.now() };
}

/** The lexicon saved for `server`, without asking the server; null when there is none. */
export async function savedLexicon(server) {
  const saved = await fromStorage();
  return saved?.server === server ? saved : null;
}

/**
 * The lexicon for `server`: {hash, genes, problem}. `problem` says why the saved copy is used
 * (server unreachable, malformed answer). Throws when there is neither a server nor a copy.
 */
export async function currentLexicon(server, { force = false } = {}) {
  const cached = await savedLexicon(server);
  if (cached && !force && Date.now() - cached.checkedAt < RECHECK_MS) return { ...cached, problem: null };
  try {
    memory = await download(server, cached);
    return { ...memory, problem: null };
  } catch (error) {
    if (!cached) throw error;
    return { ...cached, problem: `${error.message} Using the copy of the lexicon saved earlier.` };
  }
}

/**
 * What matching needs, memoised per lexicon and blocklist (a service worker that was stopped
 * builds it again once, on the first message that needs it): the matcher over the name index and
 * each symbol's colours.
 * @returns {{matcher: ReturnType<typeof buildMatcher>, colours: Map<string, [string, string]>}}
 */
export function matcherFor(lexicon, blocklist) {
  const key = `${lexicon.hash}\n${blocklist.join("\n")}`;
  if (matcherMemo.key !== key) {
    const matcher = buildMatcher(lexicon.genes, blocklist);
    const colours = new Map(lexicon.genes.map((gene) => [gene.symbol, [gene.color, gene.textColor]]));
    matcherMemo = { key, value: { matcher, colours } };
  }
  return matcherMemo.value;
}
