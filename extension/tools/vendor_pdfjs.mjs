// Copies the parts of pdf.js the PDF viewer (src/pdf/) uses from node_modules/pdfjs-dist (pinned
// in package-lock.json) into extension/vendor/pdfjs/, with pdf.js's licence. The folder is a build
// output, not committed: `./dev test` and `./dev package` run this first; by hand:
//   npm ci && node extension/tools/vendor_pdfjs.mjs
// A second run with the same pdfjs-dist version and list of files copies nothing.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SOURCE = join(REPO, "node_modules", "pdfjs-dist");
const TARGET = join(REPO, "extension", "vendor", "pdfjs");
const STAMP = join(TARGET, "VERSION");

// The library, its worker (which parses PDFs) and its renderer worker (which draws pages on
// OffscreenCanvas, off the page's main thread), the viewer components (page views, lazy rendering) and their
// stylesheet with its images; the font and colour data some PDFs need; the image decoders
// (WebAssembly, each with its licence). Left out: source maps, the minified and legacy copies, and
// the scripting sandbox (QuickJS), since the viewer runs no PDF JavaScript.
const COPIED = [
  "LICENSE",
  "build/pdf.mjs",
  "build/pdf.worker.mjs",
  "build/pdf.renderer.mjs",
  "web/pdf_viewer.mjs",
  "web/pdf_viewer.css",
  "web/images",
  "cmaps",
  "standard_fonts",
  "iccs",
  "wasm/jbig2.wasm",
  "wasm/openjpeg.wasm",
  "wasm/qcms_bg.wasm",
  "wasm/LICENSE_JBIG2",
  "wasm/LICENSE_OPENJPEG",
  "wasm/LICENSE_QCMS",
  "wasm/LICENSE_PDFJS_JBIG2",
  "wasm/LICENSE_PDFJS_OPENJPEG",
  "wasm/LICENSE_PDFJS_QCMS",
];

function installedVersion() {
  const manifest = join(SOURCE, "package.json");
  if (!existsSync(manifest)) {
    throw new Error(`${SOURCE} is missing: run \`npm ci\` at the repository root first.`);
  }
  return JSON.parse(readFileSync(manifest, "utf8")).version;
}

function vendor() {
  const version = installedVersion();
  // The stamp names the version and the files, so a change to either copies again.
  const stamp = `${version}\n${COPIED.join("\n")}\n`;
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === stamp) return `pdf.js ${version} is already in ${TARGET}`;
  rmSync(TARGET, { recursive: true, force: true });
  for (const path of COPIED) {
    const from = join(SOURCE, path);
    if (!existsSync(from)) throw new Error(`pdfjs-dist ${version} has no ${path}: update COPIED in this script.`);
    mkdirSync(dirname(join(TARGET, path)), { recursive: true });
    cpSync(from, join(TARGET, path), { recursive: true });
  }
  // Written last, so an interrupted copy is redone on the next run.
  writeFileSync(STAMP, stamp);
  return `copied pdf.js ${version} into ${TARGET}`;
}

try {
  console.log(vendor());
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
