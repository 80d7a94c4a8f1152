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
 * Every name that counts as a gene, mapped to its approved symbol; a name the extension leaves
 * alone maps to null, so that no spelling rule turns it into some other gene (CCC-3 shared by two
 * genes must not become the symbol CCC3). Built once per lexicon and blocklist (in the
 * background, where the ~100 ms it takes on the full lexicon blocks no page).
 *
 * Which gene a name means is the rule every part of Iconoplasm shares (pipeline/genes/names.py,
 * checked here and on the site against tests/fixtures/name_resolution.json): an approved symbol is
 * its own gene; else a previous symbol of exactly one gene; else an alias of exactly one gene; a
 * name shared by several genes at the first of those kinds it is means none of them. On top of
 * that, for precision on arbitrary pages, a name is highlighted only when no other gene uses it at
 * all (so a previous symbol of one gene that is another gene's alias is left alone), besides the
 * single-character and blocklist rules: the page then shows fewer genes than the rule resolves,
 * never a different one.
 * @param {Array<{symbol: string, aliases: string[], previous: string[]}>} genes
 * @param {Iterable<string>} blocklist tokens that never count as genes
 * @returns {Map<string, string | null>}
 */
export function buildNameIndex(genes, blocklist = DEFAULT_BLOCKLIST) {
  const blocked = new Set(blocklist);
  const symbols = new Set(genes.map((gene) => gene.symbol));
  const previousOwners = ownersByName(genes, (gene) => gene.previous);
  const aliasOwners = ownersByName(genes, (gene) => gene.aliases);
  const index = new Map();
  const add = (name, symbol) => {
    // Single characters are letters and grades in ordinary text, never genes.
    if ([...name].length > 1 && !blocked.has(name)) index.set(name, symbol);
  };
  for (const name of new Set([...previousOwners.keys(), ...aliasOwners.keys()])) {
    if (symbols.has(name)) continue; // an approved symbol always means its own gene: added below
    const meaning = ruleMeaning(previousOwners.get(name), aliasOwners.get(name));
    // Precision: left alone when any other gene uses the name. The default blocklist was derived
    // for exactly the names this lets through, so widening it needs the blocklist derived again.
    const contested = [...(aliasOwners.get(name) ?? [])].some((symbol) => symbol !== meaning);
    if (meaning !== null && !contested) add(name, meaning);
    else index.set(name, null);
  }
  for (const [spelling, symbol] of Object.entries(PUBLICATION_NAMES)) {
    if (symbols.has(symbol) && !symbols.has(spelling) && !previousOwners.has(spelling) && !aliasOwners.has(spelling)) {
      add(spelling, symbol);
    }
  }
  for (const symbol of symbols) add(symbol, symbol);
  return index;
}

// The gene the shared rule gives a name that is no approved symbol, from the genes that have it
// as a previous symbol and as an alias: the first kind it is decides, even when that kind names
// several genes (then none).
function ruleMeaning(previous, aliases) {
  const owners = previous ?? aliases;
  return owners.size === 1 ? [...owners][0] : null;
}

// name → the set of symbols of the genes that have it in the list `namesOf` picks.
function ownersByName(genes, namesOf) {
  const owners = new Map();
  for (const gene of genes) {
    for (const name of namesOf(gene)) {
      if (!owners.has(name)) owners.set(name, new Set());
      owners.get(name).add(gene.symbol);
    }
  }
  return owners;
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
 * @param {Map<string, string | null>} index from buildNameIndex
 * @param {{blocklist?: Iterable<string>, maxParts?: number}} options maxParts from
 *   longestNameParts, passed in by tabs so they need not scan the whole index themselves
 */
export function createMatcher(index, { blocklist = DEFAULT_BLOCKLIST, maxParts = longestNameParts(index) } = {}) {
  const blocked = new Set(blocklist);

  function resolve(candidate) {
    // A null entry is a name left alone: it matches nothing, and no other spelling is tried in
    // its place.
    const exact = index.get(candidate);
    if (exact !== undefined || !UPPER.test(candidate)) return exact ?? undefined;
    const latin = candidate.replace(GREEK, (letter) => GREEK_LETTERS[letter]).replace(SPELLED_GREEK, (word) => SPELLED[word]);
    if (latin !== candidate) {
      const converted = index.get(latin);
      if (converted !== undefined) return converted ?? undefined;
    }
    const dashed = DASHED_NUMBER.exec(latin);
    if (!dashed || (latin === candidate && !/^\p{N}/u.test(dashed[2]))) return undefined;
    return index.get(dashed[1] + dashed[2]) ?? undefined;
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
