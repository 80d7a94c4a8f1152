// The notice on the options and first-run pages when the browser has not granted what Iconoplasm
// needs: the reasons in words, and a button that asks the browser for just the missing origins.
// It redraws itself when permissions or the server change (about:addons, another tab).
import { ext } from "../shared/browser_api.js";
import { missingAccess, neededAccess, originsToRequest, readyText, requestOutcome } from "../shared/permissions.js";
import { loadSettings } from "../shared/settings.js";
import { say } from "./say.js";

/**
 * Fills `section` (empty, hidden) with the notice and keeps it current. Without anything missing
 * the section is hidden, or says that all is well when `sayWhenReady`.
 */
export function showAccessNotice(section, { sayWhenReady = false } = {}) {
  const document = section.ownerDocument;
  const heading = document.createElement("h2");
  heading.textContent = "Iconoplasm needs your permission";
  const reasons = document.createElement("ul");
  reasons.className = "access-reasons";
  const ready = document.createElement("p");
  ready.className = "access-ready";
  const button = document.createElement("button");
  button.type = "button";
  button.id = "allow-access";
  button.textContent = "Allow access";
  const message = document.createElement("p");
  message.className = "message";
  message.setAttribute("role", "status");
  section.append(heading, reasons, ready, button, message);

  let requested = [];
  async function refresh() {
    const { server } = await loadSettings();
    const missing = await missingAccess(neededAccess(server, ext.runtime.getManifest()), ext.permissions);
    requested = originsToRequest(missing);
    reasons.replaceChildren(
      ...missing.map(({ need, reason }) => {
        const item = document.createElement("li");
        item.dataset.need = need;
        item.textContent = reason;
        return item;
      }),
    );
    const needsAsking = missing.length > 0;
    section.dataset.state = needsAsking ? "asking" : "ready";
    heading.hidden = reasons.hidden = button.hidden = !needsAsking;
    ready.hidden = needsAsking;
    ready.textContent = needsAsking ? "" : readyText(server);
    // The answer to the browser's prompt stays in view after the notice itself has gone.
    section.hidden = !needsAsking && !sayWhenReady && !message.textContent;
  }

  button.addEventListener("click", () => {
    // Asked at once: the browser shows its prompt only while the click still counts as the user's.
    ext.permissions
      .request({ origins: requested })
      .then(
        (granted) => say(message, requestOutcome(granted), { error: !granted }),
        (error) => say(message, error.message, { error: true }),
      )
      .then(refresh); // again with the answer in place, whether or not onAdded came first
  });
  ext.permissions.onAdded.addListener(refresh);
  ext.permissions.onRemoved.addListener(refresh);
  ext.storage.onChanged.addListener((changes, area) => area === "local" && changes.settings && refresh());
  return refresh();
}
