// The background: the only part of the extension that talks to the server. Tabs send it their
// text to match (the name index stays here), ask it for cards and to record discoveries; the
// options page and popup ask for the rest.
import { fetchCard, fetchImageAsDataUrl, signIn } from "./src/background/api.js";
import { discoverySummary, recordDiscovery, scheduleSend, sendUnsent } from "./src/background/discoveries.js";
import { currentLexicon, matcherFor, savedLexicon } from "./src/background/lexicon_store.js";
import { createPageMatchers, documentOf, keyOf } from "./src/background/page_matchers.js";
import { listenForPdfs, showLocalPdfInViewer, syncPdfRedirect } from "./src/background/pdf_redirect.js";
import { reviewAnswer, reviewItems, reviewSummary } from "./src/background/review.js";
import { ext } from "./src/shared/browser_api.js";
import { REVIEW_MESSAGES } from "./src/shared/messages.js";
import { effectiveBlocklist, isTurnedOff, loadSettings, originPattern, saveSettings } from "./src/shared/settings.js";

const cards = new Map(); // symbol -> card, for this worker's lifetime
const pages = createPageMatchers();

async function requirePermission(server) {
  if (!(await ext.permissions.contains({ origins: [originPattern(server)] }))) {
    throw new Error(`Iconoplasm may not contact ${server}: open its options page and press "Allow access".`);
  }
}

async function lexiconFor(settings) {
  try {
    await requirePermission(settings.server);
  } catch (refusal) {
    // Without permission a saved lexicon still highlights; only fetching needs it.
    const saved = await savedLexicon(settings.server);
    if (!saved) throw refusal;
    return { ...saved, problem: refusal.message };
  }
  return currentLexicon(settings.server);
}

// The settings pages are highlighted with: read afresh when a page starts, then kept for its
// batches (many a second) until they change.
let highlightSettings = null;
ext.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && changes.settings) highlightSettings = null;
});
function pageSettings({ fresh = false } = {}) {
  if (fresh || !highlightSettings) highlightSettings = loadSettings();
  return highlightSettings;
}

// Building the matcher takes a few hundred milliseconds once per lexicon and blocklist (and again
// after the worker was stopped): started as soon as the answer is sent, it runs while the tab is
// still loading instead of holding up its first batch.
function prepareMatcher(lexicon, settings) {
  setTimeout(() => matcherFor(lexicon, effectiveBlocklist(settings)), 0);
}

// Each document's page setup while it runs: its first batches, sent before it is answered, wait
// for it (it may be fetching the lexicon they are matched with).
const setups = new Map();
function pageSetup(message, sender) {
  const key = keyOf(documentOf(sender));
  const running = setUpPage(message, sender);
  setups.set(key, running);
  const forget = () => setups.get(key) === running && setups.delete(key);
  running.then(forget, forget);
  return running;
}

async function setUpPage({ site }, sender) {
  pages.forgetFrame(documentOf(sender));
  const settings = await pageSettings({ fresh: true });
  if (settings.pdfViewer && (await showLocalPdfInViewer(ext, sender))) return { enabled: false };
  if (isTurnedOff(settings, site)) return { enabled: false };
  const lexicon = await lexiconFor(settings);
  prepareMatcher(lexicon, settings);
  return { enabled: true, style: settings.style, problem: lexicon.problem };
}

// A batch of a document's texts (a tab sends a few at a time, in page order): their mentions and
// the colours of the genes found. Reads the lexicon page-setup made sure of, without asking the
// server again. Batches are matched one after another in the order they came, also while the
// lexicon is still being read from storage: a page's context needs its texts in page order.
let matched = Promise.resolve();
function match(message, sender) {
  const setUp = setups.get(keyOf(documentOf(sender)));
  if (setUp) return setUp.catch(() => {}).then(() => match(message, sender));
  const answer = matched.then(() => matchBatch(message, sender));
  matched = answer.catch(() => {});
  return answer;
}

async function matchBatch({ texts, site }, sender) {
  const settings = await pageSettings();
  // A tab sends its first batches before its page setup is answered (content/main.js).
  if (isTurnedOff(settings, site)) throw new Error(`Iconoplasm is turned off on ${site}.`);
  const lexicon = await savedLexicon(settings.server);
  if (!lexicon) throw new Error("No lexicon is saved: open the extension's options page and save the server address.");
  const { matcher, colours } = matcherFor(lexicon, effectiveBlocklist(settings));
  return pages.match(documentOf(sender), matcher, colours, texts);
}

async function card({ symbol }) {
  if (!cards.has(symbol)) {
    const { server } = await loadSettings();
    await requirePermission(server);
    const found = await fetchCard(server, symbol);
    const portrait = found.portrait ? await fetchImageAsDataUrl(found.portrait.image_url) : null;
    cards.set(symbol, { ...found, portrait_data_url: portrait });
  }
  return cards.get(symbol);
}

async function discovered({ symbol }) {
  const counted = await recordDiscovery(symbol);
  const { server, token } = await loadSettings();
  if (counted && token) scheduleSend(() => sendUnsent(server, token));
  return { counted };
}

async function status() {
  const settings = await loadSettings();
  let lexicon = { genes: [], hash: null, problem: null };
  try {
    lexicon = await lexiconFor(settings);
  } catch (error) {
    lexicon.problem = error.message;
  }
  // Opening the popup is also a chance to retry discoveries an earlier send could not deliver.
  if (settings.token) await sendUnsent(settings.server, settings.token);
  return {
    server: settings.server,
    username: settings.username,
    genes: lexicon.genes.length,
    hash: lexicon.hash,
    problem: lexicon.problem,
    discoveries: await discoverySummary(),
  };
}

async function signInWith({ username, password }) {
  const { server } = await loadSettings();
  await requirePermission(server);
  const { token } = await signIn(server, username, password);
  await saveSettings({ token, username });
  await sendUnsent(server, token);
  return { username, discoveries: await discoverySummary() };
}

async function refreshLexicon() {
  const settings = await loadSettings();
  await requirePermission(settings.server);
  const lexicon = await currentLexicon(settings.server, { force: true });
  cards.clear();
  prepareMatcher(lexicon, settings);
  return { genes: lexicon.genes.length, hash: lexicon.hash, problem: lexicon.problem };
}

async function reviewSettings() {
  const settings = await loadSettings();
  await requirePermission(settings.server);
  return settings;
}

const handlers = {
  "page-setup": pageSetup,
  match,
  card,
  discovered,
  status,
  "sign-in": signInWith,
  "sign-out": () => saveSettings({ token: null, username: null }).then(() => ({})),
  "refresh-lexicon": refreshLexicon,
  [REVIEW_MESSAGES.summary]: async () => reviewSummary(await reviewSettings()),
  [REVIEW_MESSAGES.items]: async ({ limit }) => reviewItems(await reviewSettings(), limit),
  [REVIEW_MESSAGES.answer]: async ({ answer }) => reviewAnswer(await reviewSettings(), answer),
};

ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const handler = handlers[message?.type];
  if (!handler) return false;
  handler(message, sender).then(
    (result) => sendResponse({ ok: true, result }),
    (error) => sendResponse({ ok: false, error: error.message }),
  );
  return true; // the answer comes asynchronously
});

ext.tabs.onRemoved.addListener((tab) => pages.forgetTab(tab));

// http(s) PDFs opened in a tab go to the extension's viewer while the options say so (file://
// ones when their tab asks for its page setup, above). Chromium keeps the rule across restarts
// of this worker and of the browser: it is set on install or update and when the settings change,
// not each time the worker wakes. Firefox's listener lives only as long as the background page,
// so it is added each time the page starts, and reads the option (kept until it changes) per PDF.
const followPdfSetting = () => loadSettings().then((settings) => syncPdfRedirect(ext, settings.pdfViewer));
ext.storage.onChanged.addListener((changes, area) => area === "local" && changes.settings && followPdfSetting());
listenForPdfs(ext, () => pageSettings().then((settings) => settings.pdfViewer));

ext.runtime.onInstalled.addListener(({ reason }) => {
  followPdfSetting();
  // The first-run page says what Iconoplasm does and asks for any permission the browser held back.
  if (reason === "install") ext.tabs.create({ url: ext.runtime.getURL("src/pages/welcome.html") });
});
