import { ask } from "../shared/messages.js";
import { ARCHIVE_PATH } from "../shared/settings.js";
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

fill();
