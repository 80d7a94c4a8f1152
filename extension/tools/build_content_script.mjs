// Bundles the content script (src/content/content_script.js and the modules it imports) into one
// classic script, extension/build/content_script.js, which the manifest injects into pages:
// content scripts cannot be ES modules, and importing modules at run time delays the first
// highlight. esbuild is pinned in package-lock.json. The folder is a build output, not committed:
// `./dev serve`, `./dev test` and `./dev package` run this first; by hand:
//   npm ci && node extension/tools/build_content_script.mjs
// It takes a few tens of milliseconds, and leaves the file untouched when its contents are the same.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const EXTENSION = join(dirname(fileURLToPath(import.meta.url)), "..");
const ENTRY = join(EXTENSION, "src", "content", "content_script.js");
const TARGET = join(EXTENSION, "build", "content_script.js");

async function bundle() {
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch {
    throw new Error("esbuild is missing: run `npm ci` at the repository root first.");
  }
  const { outputFiles } = await esbuild.build({
    entryPoints: [ENTRY],
    bundle: true,
    // One function scope, so nothing leaks into the content script's world.
    format: "iife",
    target: ["chrome120", "firefox140"],
    charset: "utf8",
    legalComments: "none",
    banner: { js: "// Built by extension/tools/build_content_script.mjs from src/content/content_script.js: edit those modules, not this file." },
    write: false,
    logLevel: "silent",
  });
  const code = outputFiles[0].text;
  if (existsSync(TARGET) && readFileSync(TARGET, "utf8") === code) return `${TARGET} is up to date`;
  mkdirSync(dirname(TARGET), { recursive: true });
  writeFileSync(TARGET, code);
  return `wrote ${TARGET} (${code.length.toLocaleString("en")} characters)`;
}

try {
  console.log(await bundle());
} catch (error) {
  // esbuild's own errors name the file and line of the module that failed to parse or resolve.
  console.error(`Could not build the content script: ${error.message}`);
  process.exit(1);
}
