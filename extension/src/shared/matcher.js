// Finds gene mentions in plain text. Pure: no DOM, no storage, so it runs under `node --test`
// and anywhere the extension needs it.
import { DEFAULT_BLOCKLIST } from "./default_blocklist.js";
import { PUBLICATION_NAMES } from "./publication_names.js";

// A run of letters and digits joined by any dash; a mention is one or more of its parts.
const RUN = /[\p{L}\p{N}]+(?:[\p{Pd}\u2212][\p{L}\p{N}]+)*/gu;
const DASH = /[\p{Pd}\u2212]/u;
const UPPER = /\p{Lu}/u;
const GREEK_LETTERS = { α: "A", β: "B", γ: "G", δ: "D", ε: "E", ζ: "Z", η: "H", θ: "Q", ι: "I", κ: "K", λ: "L", μ: "M" };
const GREEK = /[αβγδεζηθικλμ]/gu;
// Spelled-out Greek counts only right after a capital, a digit or a dash (TNFalpha, HIF-1alpha),
// never at the start of an ordinary word (alphabet).
const SPELLED_GREEK = /(?<=[\p{Lu}\p{N}-])(alpha|beta|gamma|delta|epsilon|kappa)/gu;
const SPELLED = { alpha: "A", beta: "B", gamma: "G", delta: "D", epsilon: "E", kappa: "K" };
// IL-6, MMP-9, TGF-B1: a capitalised stem of two or more characters (not the B of B-52), a
// dash, then a number or a converted Greek letter.
const DASHED_NUMBER = /^(\p{Lu}[\p{Lu}\p{N}]+)-(\p{N}[\p{L}\p{N}]*|[A-Z](?:\p{N}[\p{L}\p{N}]*)?)$/u;

/**
 * Every name that counts as a gene, mapped to its approved symbol. Built once per lexicon and
 * blocklist (in the background, where the ~100 ms it takes on the full lexicon blocks no page).
 * @param {Array<{symbol: string, aliases: string[], previous: string[]}>} genes
 * @param {Iterable<string>} blocklist tokens that never count as genes
 * @returns {Map<string, string>}
 */
export function buildNameIndex(genes, blocklist = DEFAULT_BLOCKLIST) {
  const blocked = new Set(blocklist);
  const symbols = new Set(genes.map((gene) => gene.symbol));
  const owners = new Map();
  for (const gene of genes) {
    for (const name of [...gene.aliases, ...gene.previous]) {
      if (!owners.has(name)) owners.set(name, new Set());
      owners.get(name).add(gene.symbol);
    }
  }
  const index = new Map();
  const add = (name, symbol) => {
    // Single characters are letters and grades in ordinary text, never genes.
    if ([...name].length > 1 && !blocked.has(name)) index.set(name, symbol);
  };
  for (const [name, genesNamed] of owners) {
    if (genesNamed.size === 1 && !symbols.has(name)) add(name, [...genesNamed][0]);
  }
  for (const [spelling, symbol] of Object.entries(PUBLICATION_NAMES)) {
    if (symbols.has(symbol) && !symbols.has(spelling) && !owners.has(spelling)) add(spelling, symbol);
  }
  for (const symbol of symbols) add(symbol, symbol);
  return index;
}

/** How many dash-separated parts the longest name has (HEC-GLCNAC-6-ST has 4). */
export function longestNameParts(index) {
  let parts = 1;
  for (const name of index.keys()) {
    if (name.includes("-")) parts = Math.max(parts, name.split("-").length);
  }
  return parts;
}

/**
 * The mention finder over a name index. The blocklist is consulted again because the spelling
 * rules derive names (IL-6 from IL6) that a user may have blocked.
 * @param {Map<string, string>} index from buildNameIndex
 * @param {{blocklist?: Iterable<string>, maxParts?: number}} options maxParts from
 *   longestNameParts, passed in by tabs so they need not scan the whole index themselves
 */
export function createMatcher(index, { blocklist = DEFAULT_BLOCKLIST, maxParts = longestNameParts(index) } = {}) {
  const blocked = new Set(blocklist);

  function resolve(candidate) {
    const exact = index.get(candidate);
    if (exact !== undefined || !UPPER.test(candidate)) return exact;
    const latin = candidate.replace(GREEK, (letter) => GREEK_LETTERS[letter]).replace(SPELLED_GREEK, (word) => SPELLED[word]);
    if (latin !== candidate) {
      const converted = index.get(latin);
      if (converted !== undefined) return converted;
    }
    const dashed = DASHED_NUMBER.exec(latin);
    if (dashed && (latin !== candidate || /^\p{N}/u.test(dashed[2]))) return index.get(dashed[1] + dashed[2]);
    return undefined;
  }

  /** Every mention in `text`, in order: [{start, end, symbol}] with `end` exclusive. */
  function findMentions(text) {
    const mentions = [];
    for (const run of text.matchAll(RUN)) {
      if (!DASH.test(run[0])) {
        const symbol = resolve(run[0]);
        if (symbol !== undefined) mentions.push({ start: run.index, end: run.index + run[0].length, symbol });
        continue;
      }
      const parts = splitParts(run[0], run.index);
      for (let first = 0; first < parts.length; ) {
        let matched = false;
        for (let last = Math.min(parts.length, first + maxParts) - 1; last >= first; last -= 1) {
          const candidate = parts.slice(first, last + 1).map((part) => part.text).join("-");
          const symbol = blocked.has(candidate) ? undefined : resolve(candidate);
          if (symbol !== undefined) {
            mentions.push({ start: parts[first].start, end: parts[last].end, symbol });
            first = last + 1;
            matched = true;
            break;
          }
        }
        if (!matched) first += 1;
      }
    }
    return mentions;
  }

  return { findMentions, resolve };
}

/** A matcher straight from lexicon genes: buildNameIndex then createMatcher. */
export function buildMatcher(genes, blocklist = DEFAULT_BLOCKLIST) {
  return createMatcher(buildNameIndex(genes, blocklist), { blocklist });
}

// The dash-separated parts of a run with their offsets in the whole text.
function splitParts(run, offset) {
  const parts = [];
  let start = 0;
  for (const piece of run.split(DASH)) {
    parts.push({ text: piece, start: offset + start, end: offset + start + piece.length });
    start += piece.length + 1;
  }
  return parts;
}
