// The first-run page: what Iconoplasm does, and whether the browser gave it what it needs.
import { showAccessNotice } from "./access_notice.js";

showAccessNotice(document.getElementById("access"), { sayWhenReady: true });
