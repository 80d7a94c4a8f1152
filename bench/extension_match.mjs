// Times the extension's matcher on about 1 MB of prose dense with gene names, against the
// floor of any tokeniser in the same run: a regex split plus a Set lookup of approved symbols.
//
//   node bench/extension_match.mjs [LEXICON.json | SERVER_URL]   (default http://127.0.0.1:8000)
//
// LEXICON.json is the body of GET /api/lexicon/{hash}.json; with a server URL it is fetched.
import { readFileSync } from "node:fs";
import { readLexicon } from "../extension/src/shared/lexicon_format.js";
import { buildNameIndex, createMatcher, longestNameParts } from "../extension/src/shared/matcher.js";

const TARGET_BYTES = 1_000_000;
const RUNS = 7;

async function loadLexicon(source) {
  if (!/^https?:/.test(source)) return JSON.parse(readFileSync(source, "utf8"));
  const pointer = await (await fetch(new URL("/api/lexicon/", source))).json();
  return (await fetch(new URL(new URL(pointer.url).pathname, source))).json();
}

// Deterministic prose: gene full names (ordinary lower-case words) as filler, and every ~25th
// word a symbol, an alias or a publication spelling, some dashed or in brackets.
function prose(genes) {
  let seed = 19290;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const filler = genes.flatMap((gene) => gene.name.split(/\s+/)).filter((word) => /^[a-z]{3,}$/.test(word));
  const mention = () => {
    const gene = pick(genes);
    const roll = random();
    if (roll < 0.1 && gene.aliases.length) return pick(gene.aliases);
    if (roll < 0.15) return `${gene.symbol}-${pick(genes).symbol}`;
    if (roll < 0.2) return `(${gene.symbol})`;
    if (roll < 0.25) return pick(["IL-6", "TNF-α", "p53", "mTOR", "TGF-β1", "HER2", "c-Myc"]);
    return gene.symbol;
  };
  const words = [];
  let bytes = 0;
  while (bytes < TARGET_BYTES) {
    const word = random() < 0.04 ? mention() : pick(filler);
    words.push(word);
    bytes += word.length + 1;
  }
  return words.join(" ");
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(work) {
  const times = [];
  let result;
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    result = work();
    times.push(performance.now() - started);
  }
  return { ms: median(times), result };
}

const source = process.argv[2] ?? "http://127.0.0.1:8000";
const genes = readLexicon(await loadLexicon(source));
const text = prose(genes);
const symbols = new Set(genes.map((gene) => gene.symbol));

const index = time(() => buildNameIndex(genes));
const entries = [...index.result];
const maxParts = longestNameParts(index.result);
const tabSetup = time(() => createMatcher(index.result, { maxParts }));
const matcher = tabSetup.result;
const baseline = time(() => text.split(/[^\p{L}\p{N}]+/u).filter((token) => symbols.has(token)).length);
const matching = time(() => matcher.findMentions(text).length);

const mb = text.length / 1e6;
console.log(`lexicon: ${genes.length} genes, ${entries.length} names; text: ${mb.toFixed(2)} MB, ${RUNS} runs, medians`);
console.log(`name index build (background, once per lexicon): ${index.ms.toFixed(1)} ms`);
console.log(`matcher from the index (background, once):       ${tabSetup.ms.toFixed(1)} ms`);
console.log(`baseline  split + Set of symbols: ${baseline.ms.toFixed(1)} ms (${baseline.result} symbols, ${(mb / (baseline.ms / 1000)).toFixed(1)} MB/s)`);
console.log(`matcher   findMentions:           ${matching.ms.toFixed(1)} ms (${matching.result} mentions, ${(mb / (matching.ms / 1000)).toFixed(1)} MB/s)`);
console.log(`ratio matcher / baseline: ${(matching.ms / baseline.ms).toFixed(2)}`);
