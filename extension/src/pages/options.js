import { ext } from "../shared/browser_api.js";
import { DEFAULT_BLOCKLIST } from "../shared/default_blocklist.js";
import { ask } from "../shared/messages.js";
import { HIGHLIGHT_STYLES, effectiveBlocklist, loadSettings, normaliseServer, originPattern, parseBlocklist, saveSettings } from "../shared/settings.js";
import { showAccessNotice } from "./access_notice.js";
import { say } from "./say.js";

const $ = (id) => document.getElementById(id);

function showAccount(username) {
  $("account-state").textContent = username ? `Signed in as ${username}. Discoveries are sent to your archive.` : "Not signed in: discoveries are kept in this browser and merge into your account when you sign in.";
  $("sign-in-form").hidden = Boolean(username);
  $("sign-out").hidden = !username;
}

async function fill() {
  const settings = await loadSettings();
  $("server").value = settings.server;
  for (const style of HIGHLIGHT_STYLES) $("style").append(new Option(style, style, false, style === settings.style));
  $("disabled-sites").value = settings.disabledSites.join("\n");
  $("blocklist").value = effectiveBlocklist(settings).join(" ");
  $("pdf-viewer").checked = settings.pdfViewer;
  showAccount(settings.username);
  $("settings").disabled = false;
}

$("server-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = $("server-message");
  let server;
  try {
    server = normaliseServer($("server").value);
  } catch (error) {
    say(message, error.message, { error: true });
    return;
  }
  // Asked first, while the click still counts as the user's gesture.
  const granted = await ext.permissions.request({ origins: [originPattern(server)] });
  if (!granted) {
    say(message, `Not saved: the extension needs your permission to contact ${server}.`, { error: true });
    return;
  }
  const previous = await loadSettings();
  if (previous.server !== server) {
    // A token belongs to one server.
    await saveSettings({ server, token: null, username: null });
    showAccount(null);
  }
  say(message, `Loading the lexicon from ${server}…`);
  try {
    const lexicon = await ask({ type: "refresh-lexicon" });
    say(message, `${lexicon.genes.toLocaleString("en")} genes loaded from ${server}.`);
  } catch (error) {
    say(message, error.message, { error: true });
  }
});

$("sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = $("account-message");
  say(message, "Signing in…");
  try {
    const { username, discoveries } = await ask({ type: "sign-in", username: $("username").value, password: $("password").value });
    $("password").value = "";
    showAccount(username);
    say(message, discoveries.lastError ?? `Signed in. ${discoveries.count} discoveries in this browser, ${discoveries.unsent} not yet sent.`, { error: Boolean(discoveries.lastError) });
  } catch (error) {
    say(message, error.message, { error: true });
  }
});

$("sign-out").addEventListener("click", async () => {
  await ask({ type: "sign-out" });
  showAccount(null);
  say($("account-message"), "Signed out.");
});

$("highlight-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const blocklist = parseBlocklist($("blocklist").value);
  const unchanged = blocklist.length === DEFAULT_BLOCKLIST.length && blocklist.every((token) => DEFAULT_BLOCKLIST.includes(token));
  await saveSettings({
    style: $("style").value,
    disabledSites: $("disabled-sites").value.split(/\s+/).filter(Boolean),
    blocklist: unchanged ? null : blocklist,
    pdfViewer: $("pdf-viewer").checked,
  });
  say($("highlight-message"), `Saved: ${blocklist.length} blocked words. Pages pick up a new blocklist when reloaded.`);
});

$("reset-blocklist").addEventListener("click", () => {
  $("blocklist").value = DEFAULT_BLOCKLIST.join(" ");
  say($("highlight-message"), "The default blocklist is back in the box; save to use it.");
});

fill();
showAccessNotice($("access"));
