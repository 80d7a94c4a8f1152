// The content script's entry point. MV3 content scripts cannot be ES modules, and importing the
// modules from the extension's origin held the first highlight back by about 20 ms, so
// tools/build_content_script.mjs bundles this module and what it imports into one classic script,
// build/content_script.js, which the manifest names. It runs at document_start: the page setup
// is asked for while the page is still loading.
import { ext } from "../shared/browser_api.js";
import { start } from "./main.js";

start(ext.runtime.sendMessage({ type: "page-setup", site: location.hostname })).catch((error) =>
  console.info(`Iconoplasm is not highlighting this page: ${error.message}`),
);
