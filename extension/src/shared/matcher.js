// Finds gene mentions in plain text. Pure: no DOM, no storage, so it runs under `node --test`
// and anywhere the extension needs it.
import { definedAbbreviations, namesGeneProduct } from "./abbreviations.js";
import { DEFAULT_BLOCKLIST } from "./default_blocklist.js";
import { biologyWords, followedByGeneEvidence, LIST_GAP, namesCells, saysGene } from "./gene_context.js";
import { LEARNED_NAMES } from "./learned_names.js";
import { PUBLICATION_NAMES } from "./publication_names.js";
import {
  FIRST_DIGIT,
  foldedHash,
  HAS_LOWER,
  HAS_NON_ASCII,
  HAS_OTHER_LETTER,
  HAS_UPPER,
  HashFilter,
  isDashUnit,
  LAST_DIGIT,
  sameFolded,
  wordsOf,
} from "./words.js";

const DOTTED = /^([\p{L}\p{N}]+?)\.\p{N}/u;
const SPACED_NUMBER = /^ (\p{N}{1,3})(?![\p{L}\p{N}.,])/u;
const SPACED_GREEK = /^ (alpha|beta|gamma|delta|epsilon|kappa|[αβγδεκ])(?![\p{L}\p{N}])/u;
const HUMAN_PREFIX = /^h\p{Lu}[\p{L}\p{N}\p{Pd}]{2,}$/u;
const WORD = /[\p{L}\p{N}]+/gu;
// Spellings a matcher remembers before it starts again (a page has a few tens of thousands).
const MAX_RESOLVED = 100_000;
const DASH = /[\p{Pd}\u2212]/u;
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const DIGIT = /\p{N}/u;
const GREEK_LETTERS = { α: "A", β: "B", γ: "G", δ: "D", ε: "E", ζ: "Z", η: "H", θ: "Q", ι: "I", κ: "K", λ: "L", μ: "M" };
const GREEK = /[αβγδεζηθικλμ]/gu;
// Spelled-out Greek counts only right after a capital, a digit or a dash (TNFalpha, HIF-1alpha),
// never at the start of an ordinary word (alphabet).
const SPELLED_GREEK = /(?<=[\p{Lu}\p{N}-])(alpha|beta|gamma|delta|epsilon|kappa)/gu;
const SPELLED = { alpha: "A", beta: "B", gamma: "G", delta: "D", epsilon: "E", kappa: "K" };
// Text kept to ASCII writes a Greek letter as its Latin look-alike: PPARa, HIF-1a, NF-kB,
// b-catenin. Only at the end of a capitalised name or as a one-letter prefix before a dash.
const ASCII_GREEK_END = /(?<=[\p{Lu}\p{N}][\p{Pd}]?)[abgdk](?=[\p{Lu}]?$)/u;
const ASCII_GREEK_PREFIX = /^[abgdk](?=[\p{Pd}]\p{L}{3})/u;
const ASCII_GREEK = { a: "α", b: "β", g: "γ", d: "δ", k: "κ" };
const ASCII_GREEK_ANYWHERE = /^[abgdk][\p{Pd}]|[abgdk]\p{Lu}?$/u;
// IL-6, MMP-9, TGF-B1: a capitalised stem of two or more characters (not the B of B-52), a
// dash, then a number or a converted Greek letter.
const DASHED_NUMBER = /^(\p{Lu}[\p{Lu}\p{N}]+)-(\p{N}[\p{L}\p{N}]*|[A-Z](?:\p{N}[\p{L}\p{N}]*)?)$/u;
// Case is folded only for names with three letters or more, a capital, and a digit or a second
// capital (Chk1, Gal-1, ApoE), a p with a number (p73), or two letters and a number of two
// digits or more (Sp100): a capitalised word (Tyr, Het, Sci) or a two-letter
// stem (Ca2 of Ca2+, Th1 cells) is not a gene written in lower case.
const FOLDABLE = /^(?:(?=(?:.*\p{L}){3})(?=.*\p{Lu})(?=.*(?:\p{N}|\p{Lu}.*\p{Lu}|^\p{Ll}+\p{Lu})).*|p\p{N}{2,3}|\p{Lu}\p{Ll}\p{N}{2,})$/u;
// Gene names in words are matched up to this many words ("vascular endothelial growth factor A").
const MAX_NAME_WORDS = 6;

/**
 * The names a matcher knows. As a Map: every name that counts as a gene, mapped to its approved
 * symbol; a name the extension leaves alone maps to null, so that no spelling rule turns it into
 * some other gene (CCC-3 shared by two genes must not become the symbol CCC3). Besides:
 * `shared`, the names left alone that two to four genes share (ERK, COX-2, p21; three characters
 * or more) → their symbols, which a page shows as ambiguous, never as one of them;
 * `words`, gene names in words ("insulin", "interleukin 6": lower case, single spaces) → symbol,
 * or null when several genes have the name; `contextual`, approved symbols that are ordinary
 * words (SELL, WAS, INS), which the blocklist keeps dark unless the text around them says gene.
 */
export class NameIndex extends Map {
  words = new Map();
  contextual = new Set();
  /** symbol → its approved name in words (the key form of `words`). */
  approvedNames = new Map();
  shared = new Map();
}

// A shared name is shown as ambiguous only among this few genes: more is a word, not a name.
const MOST_SHARING = 4;

/**
 * The name index of a lexicon. Built once per lexicon and blocklist, in the background, where
 * the time it takes on the full lexicon blocks no page.
 *
 * Which gene a name means is the rule every part of Iconoplasm shares (pipeline/genes/names.py,
 * checked here and on the site against tests/fixtures/name_resolution.json): an approved symbol is
 * its own gene; else a previous symbol of exactly one gene; else an alias of exactly one gene; a
 * name shared by several genes at the first of those kinds it is means none of them. On top of
 * that, for precision on arbitrary pages, a name is highlighted only when no other gene uses it at
 * all (so a previous symbol of one gene that is another gene's alias is left alone), besides the
 * single-character, number and blocklist rules: the page then shows fewer genes than the rule
 * resolves, never a different one.
 * @param {Array<{symbol: string, name?: string, aliases: string[], previous: string[], names?: string[]}>} genes
 * @param {Iterable<string>} blocklist tokens that never count as genes
 * @param {Record<string, string>} learned spellings learnt from annotated abstracts (another set
 *   only to measure how the rules do without them)
 * @returns {NameIndex}
 */
export function buildNameIndex(genes, blocklist = DEFAULT_BLOCKLIST, learned = LEARNED_NAMES) {
  const blocked = new Set(blocklist);
  const symbols = new Set(genes.map((gene) => gene.symbol));
  const previousOwners = ownersByName(genes, (gene) => gene.previous);
  const aliasOwners = ownersByName(genes, (gene) => gene.aliases);
  const index = new NameIndex();
  // Single characters are letters and grades in ordinary text, never genes; numbers are counts.
  const countable = (name, shortest) => [...name].length >= shortest && !/^[\p{N}.]+$/u.test(name) && !blocked.has(name);
  const add = (name, symbol) => {
    if (countable(name, 2)) index.set(name, symbol);
  };
  for (const name of new Set([...previousOwners.keys(), ...aliasOwners.keys()])) {
    if (symbols.has(name)) continue; // an approved symbol always means its own gene: added below
    const meaning = ruleMeaning(previousOwners.get(name), aliasOwners.get(name));
    // Precision: left alone when any other gene uses the name. The default blocklist was derived
    // for exactly the names this lets through, so widening it needs the blocklist derived again.
    const contested = [...(aliasOwners.get(name) ?? [])].some((symbol) => symbol !== meaning);
    if (meaning !== null && !contested) add(name, meaning);
    else {
      index.set(name, null);
      const owners = new Set([...(previousOwners.get(name) ?? []), ...(aliasOwners.get(name) ?? [])]);
      if (owners.size <= MOST_SHARING && countable(name, 3)) index.shared.set(name, [...owners].sort());
    }
  }
  for (const [spelling, symbol] of Object.entries({ ...learned, ...PUBLICATION_NAMES })) {
    if (!symbols.has(symbol) || symbols.has(spelling) || previousOwners.has(spelling) || aliasOwners.has(spelling)) continue;
    if (spelling.includes(" ")) index.words.set(wordsKey(spelling), symbol);
    else add(spelling, symbol);
  }
  const defaultBlocked = new Set(DEFAULT_BLOCKLIST);
  for (const symbol of symbols) {
    add(symbol, symbol);
    // Only the default's words wait for context: a symbol the user blocked stays dark.
    if (blocked.has(symbol) && defaultBlocked.has(symbol) && [...symbol].length > 1) index.contextual.add(symbol);
  }
  const onlyOwner = (owners) => (owners.size === 1 ? [...owners][0] : null);
  for (const gene of genes) if (gene.name) index.approvedNames.set(gene.symbol, wordsKey(gene.name));
  // Earlier kinds win: an approved name over another gene's other name over a derived one.
  const wordCounts = nameWordCounts(genes);
  for (const namesOf of [approvedNameInWords, otherNamesInWords, (gene) => shortNamesInWords(gene, wordCounts)]) {
    for (const [words, owners] of ownersByName(genes, namesOf)) {
      if (!index.words.has(words)) index.words.set(words, onlyOwner(owners));
    }
  }
  return index;
}

// A gene's name as papers write it in words: its approved name ("leptin", "interleukin 6").
function approvedNameInWords(gene) {
  return gene.name ? usableWordsKeys([gene.name]) : [];
}

// Its other names (HGNC's alias and previous names: "separase", "alpha-synuclein",
// "cyclooxygenase 2"), those that name a product: not a disease ("Li-Fraumeni syndrome") nor a
// description with brackets.
const NOT_A_PRODUCT = /\b(?:syndrome|disease|deficiency|mellitus|dystrophy|ataxia|an(?:a)?emia|cancer|carcinoma|tumou?r)\b|[()]/iu;
function otherNamesInWords(gene) {
  return usableWordsKeys((gene.names ?? []).filter((name) => namesGeneProduct(name) && !NOT_A_PRODUCT.test(name)));
}

// The lookup keys of names in words that are long enough and have words in them, not codes.
function usableWordsKeys(names) {
  return names
    .map(wordsKey)
    .filter((key) => key.length >= 5 && /\p{Ll}{3}/u.test(key) && key.split(" ").length <= MAX_NAME_WORDS);
}

// One-word names papers use for a gene, derived from its approved name: the name of the first
// member without its number or letter ("retinoschisin" of "retinoschisin 1"), a first word that
// names a product ("loricrin" of "loricrin cornified envelope precursor protein"), a last part
// after a comma that does ("separase" of "extra spindle pole bodies like 1, separase"). Only
// words no other gene's name contains: "protease" or "colon" name no one gene.
function shortNamesInWords(gene, wordCounts) {
  if (!gene.name) return [];
  const parts = gene.name.split(", ");
  const candidates = [parts[0].replace(/ (?:1|A)$/u, ""), parts[0].split(" ", 1)[0], parts.length > 1 ? parts.at(-1) : ""];
  return [...new Set(candidates.map((word) => word.toLowerCase()))].filter(
    (word) => /^\p{Ll}{4,}(?:in|ase)$/u.test(word) && wordCounts.get(word) === 1,
  );
}

// How many genes' approved names contain each word (lower case).
function nameWordCounts(genes) {
  const counts = new Map();
  for (const gene of genes) {
    for (const word of new Set(wordsKey(gene.name ?? "").split(" "))) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}

// The key a name in words is looked up by: its words in lower case, single spaces.
function wordsKey(text) {
  return (text.match(WORD) ?? []).join(" ").toLowerCase();
}

// The node of `word` in one level of a name tree, made if new: words whose hashes collide are
// chained.
function wordNode(level, word) {
  const hash = foldedHash(word);
  let node = level.get(hash);
  while (node && node.word !== word) node = node.sameHash;
  if (!node) {
    node = { word, symbol: undefined, next: null, sameHash: level.get(hash) ?? null };
    level.set(hash, node);
  }
  return node;
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

/**
 * How many dash-separated parts a mention can have: the longest name's (HEC-GLCNAC-6-ST has 4),
 * and at least the two of a spelling rule's IL-6.
 */
export function longestNameParts(index) {
  let parts = 2;
  for (const name of index.keys()) {
    if (name.includes("-")) parts = Math.max(parts, name.split("-").length);
  }
  return parts;
}

/**
 * The mention finder over a name index. The blocklist is consulted again because the spelling
 * rules derive names (IL-6 from IL6) that a user may have blocked.
 *
 * A mention is {start, end, symbol} (end exclusive). What a page says changes what counts: a
 * short form the page defines as something else ("hepatocellular carcinoma (HCC)") is not a gene
 * there; a name that only a spelling rule or case reaches (Src, PC-3, interleukin 6), a short
 * one (KL, GPT) or an ordinary word (SELL) needs a page about biology or words around it that
 * say gene; a dashed code before "cells" is a cell line.
 * @param {NameIndex} index from buildNameIndex
 * @param {{blocklist?: Iterable<string>, maxParts?: number}} options maxParts from
 *   longestNameParts (computed once here when not given)
 */
export function createMatcher(index, { blocklist = DEFAULT_BLOCKLIST, maxParts = longestNameParts(index) } = {}) {
  const blocked = new Set(blocklist);
  const { words, contextual } = index;
  // The names in words as a tree of their words, each level keyed by the words' hashes (word hash
  // -> {word, symbol, next, sameHash}), so that a word of the text is looked up without being cut
  // out of it; a run of words that begins no name is left at its first word.
  const nameTree = new Map();
  for (const [key, symbol] of words) {
    let level = nameTree;
    let node = null;
    for (const word of key.split(" ")) {
      if (node) level = node.next ??= new Map();
      node = wordNode(level, word);
    }
    node.symbol = symbol;
  }
  // Lower-case words in the index: a word of small ASCII letters only can be no other name (no
  // spelling rule reaches one), so one not among these is left without a lookup.
  const lowerNames = new HashFilter();
  for (const name of index.keys()) if (/^[a-z]+$/u.test(name)) lowerNames.add(foldedHash(name));

  // What the index says of a name reached by rule `how`: its gene, the genes that share it (how
  // "shared"), or undefined for no name or a name left alone.
  function known(name, how) {
    const symbol = index.get(name);
    if (symbol) return { symbol, how };
    const sharing = symbol === null ? index.shared.get(name) : undefined;
    return sharing ? { symbol: null, candidates: sharing, how: "shared" } : undefined;
  }

  // The gene a candidate names by the exact and spelling rules, with how it got there, or
  // undefined. A name left alone matches nothing (or, shared by a few genes, all of them as
  // ambiguous), and no other spelling is tried in its place.
  function lookup(candidate) {
    if (index.has(candidate)) return known(candidate, "exact");
    if (contextual.has(candidate)) return { symbol: candidate, how: "contextual" };
    if (!UPPER.test(candidate)) return undefined;
    const latin = candidate.replace(GREEK, (letter) => GREEK_LETTERS[letter]).replace(SPELLED_GREEK, (word) => SPELLED[word]);
    if (latin !== candidate && index.has(latin)) return known(latin, "spelling");
    const dashed = DASHED_NUMBER.exec(latin);
    if (!dashed || (latin === candidate && !/^\p{N}/u.test(dashed[2]))) return undefined;
    return known(dashed[1] + dashed[2], "dashed");
  }

  // A spelling that reached a name by folding: a gene's or a shared name's.
  const folded = (found) => (found && found.how !== "shared" ? { symbol: found.symbol, how: "folded" } : found);

  // The rules look at the candidate alone and a page repeats its words: each spelling is worked
  // out once per matcher (a third of the matching time went to working out the same words again).
  const resolved = new Map();
  function resolveFound(candidate) {
    let found = resolved.get(candidate);
    if (found === undefined && !resolved.has(candidate)) {
      if (resolved.size >= MAX_RESOLVED) resolved.clear();
      found = resolveSpelling(candidate);
      resolved.set(candidate, found);
    }
    return found;
  }

  // Also the spellings of papers that differ from a name only in case or in ASCII Greek: Chk1,
  // ApoE, Bcl-2, PPARa, b-catenin, p73. Never a word in lower case only (tau, mol) nor one that
  // folds onto a blocked name.
  function resolveSpelling(candidate) {
    const found = lookup(candidate);
    if (found || index.has(candidate)) return found;
    const greek = ASCII_GREEK_ANYWHERE.test(candidate)
      ? candidate.replace(ASCII_GREEK_PREFIX, (letter) => ASCII_GREEK[letter]).replace(ASCII_GREEK_END, (letter) => ASCII_GREEK[letter])
      : candidate;
    if (greek !== candidate) {
      const converted = lookup(greek);
      if (converted) return folded(converted);
    }
    // hDaxx, hTERT: h for human before a gene's name.
    if (HUMAN_PREFIX.test(candidate)) {
      const human = resolveFound(candidate.slice(1)) ?? lookup(candidate.slice(1).toUpperCase());
      if (human && human.how !== "shared" && human.how !== "contextual") return folded(human);
    }
    if (!LOWER.test(candidate) || !FOLDABLE.test(candidate)) return undefined;
    // Wnt7a is WNT7A before it is a Wnt7 alpha.
    for (const upper of new Set([candidate.toUpperCase(), greek.toUpperCase()])) {
      if (blocked.has(upper) || contextual.has(upper)) return undefined;
      const converted = lookup(upper);
      if (converted) return converted.how === "contextual" ? undefined : folded(converted);
    }
    return undefined;
  }

  /** The approved symbol a name or spelling resolves to, or undefined (also for a shared name). */
  function resolve(candidate) {
    return resolveFound(candidate)?.symbol ?? undefined;
  }

  // Candidate mentions of one text, before the page's context is applied: [{start, end, symbol, how}].
  // A mention is one or more parts of a run: words joined by a dash, or by a dot between digits
  // (Kv4.2, PGP9.5; a sentence's full stop is no part of a name).
  function candidates(text) {
    const tokens = wordsOf(text);
    const { count, starts, ends, kinds, hashes } = tokens;
    const found = [];
    for (let first = 0; first < count; ) {
      let last = first;
      let dashed = false;
      while (last + 1 < count && ends[last] + 1 === starts[last + 1]) {
        const between = text.charCodeAt(ends[last]);
        if (isDashUnit(between)) dashed = true;
        else if (between !== 46 || !(kinds[last] & LAST_DIGIT) || !(kinds[last + 1] & FIRST_DIGIT)) break;
        last += 1;
      }
      const start = starts[first];
      const end = ends[last];
      const single = first === last;
      const kind = kinds[first];
      first = last + 1;
      if (single && kind === HAS_LOWER && !lowerNames.has(hashes[last])) continue;
      const run = text.slice(start, end);
      if (single && text.charCodeAt(end) === 32) {
        // "PPAR gamma", "IFN γ": a Greek letter after a space, as papers also write it with a dash.
        const capitals = kind & HAS_NON_ASCII ? /^[\p{Lu}\p{N}]{2,}$/u.test(run) : !(kind & (HAS_LOWER | HAS_OTHER_LETTER)) && run.length >= 2;
        const greek = capitals ? SPACED_GREEK.exec(text.slice(end, end + 9)) : null;
        const spaced = greek && resolveFound(`${run}-${greek[1]}`);
        if (spaced && spaced.how !== "shared") {
          found.push({ start, end: end + greek[0].length, ...spaced });
          continue;
        }
        // "IFI 16", "IL 6": an approved symbol's letters and number apart, as with a dash.
        const letters = kind & HAS_NON_ASCII ? /^\p{Lu}{3,}$/u.test(run) : kind === HAS_UPPER && run.length >= 3;
        const number = letters ? SPACED_NUMBER.exec(text.slice(end, end + 6)) : null;
        if (number && index.get(run + number[1]) === run + number[1]) {
          found.push({ start, end: end + number[0].length, symbol: run + number[1], how: "dashed" });
          continue;
        }
      }
      if (!dashed) {
        const hit = resolveFound(run);
        if (hit) found.push({ start, end, ...hit });
        // No name has the dot: the part before it may be one (TP53.2 of a numbered list).
        const beforeDot = hit || single ? null : DOTTED.exec(run);
        const partHit = beforeDot && resolveFound(beforeDot[1]);
        if (partHit) found.push({ start, end: start + beforeDot[1].length, ...partHit });
        continue;
      }
      const parts = splitParts(run, start);
      for (let from = 0; from < parts.length; ) {
        let matched = false;
        for (let to = Math.min(parts.length, from + maxParts) - 1; to >= from; to -= 1) {
          const candidate = parts.slice(from, to + 1).map((part) => part.text).join("-");
          const hit = blocked.has(candidate) ? undefined : resolveFound(candidate);
          if (hit) {
            found.push({ start: parts[from].start, end: parts[to].end, ...hit });
            from = to + 1;
            matched = true;
            break;
          }
        }
        if (!matched) from += 1;
      }
    }
    return mergeNamesInWords(found, namesInWordsOf(text, tokens));
  }

  // Gene names in words: the longest run of up to MAX_NAME_WORDS words, joined by single spaces or
  // dashes, whose lower case is a gene's name. A name written in capitals (a shouted heading)
  // does not count.
  function namesInWordsOf(text, { count, starts, ends, kinds, hashes }) {
    // A word of ASCII letters is compared with the tree's in place. Any other is cut out in lower
    // case, from the text in lower case where that keeps every offset (it does unless a character
    // changes length in lower case, as İ does: Greek's final sigma needs the text around it).
    let lowered = null;
    const nodeOf = (level, at) => {
      if (!(kinds[at] & HAS_NON_ASCII)) {
        for (let node = level.get(hashes[at]); node; node = node.sameHash) if (sameFolded(text, starts[at], ends[at], node.word)) return node;
        return undefined;
      }
      lowered ??= text.toLowerCase();
      const word = (lowered.length === text.length ? lowered : text).slice(starts[at], ends[at]).toLowerCase();
      for (let node = level.get(foldedHash(word)); node; node = node.sameHash) if (node.word === word) return node;
      return undefined;
    };
    const found = [];
    for (let first = 0; first < count; first += 1) {
      let node = nodeOf(nameTree, first);
      if (!node) continue;
      let best = null;
      let bestSymbol = null;
      for (let last = first; ; ) {
        if (node.symbol) [best, bestSymbol] = [last, node.symbol];
        last += 1;
        if (last >= count || last - first >= MAX_NAME_WORDS || !node.next || starts[last] - ends[last - 1] !== 1) break;
        // One space or one dash between the words (the minus sign joins a symbol's parts only).
        const gap = text.charCodeAt(ends[last - 1]);
        if (gap !== 32 && (gap === 0x2212 || !isDashUnit(gap))) break;
        node = nodeOf(node.next, last);
        if (!node) break;
      }
      if (best === null) continue;
      const written = text.slice(starts[first], ends[best]);
      if (written === written.toUpperCase()) continue;
      found.push({ start: starts[first], end: ends[best], symbol: bestSymbol, how: "words" });
      first = best;
    }
    return found;
  }

  // Whether a definition's long form is how the short form's gene's approved name begins:
  // "von Hippel-Lindau (VHL)" for VHL, the von Hippel-Lindau tumor suppressor.
  function beginsApprovedName(long, short) {
    const name = index.approvedNames.get(resolve(short));
    const words = wordsKey(long);
    return name !== undefined && words.length > 0 && (name === words || name.startsWith(`${words} `));
  }

  /** Every mention in `text`, in order: [{start, end, symbol}], read as a page of its own. */
  function findMentions(text) {
    return page().match([text])[0];
  }

  /**
   * A page's matcher: `match(texts)` gives the mentions of each text, read with what the page has
   * said so far (and in this call), so the texts of one page go to the same page matcher.
   */
  function page() {
    // short form -> whether the page defined it as a gene's product; once defined as something
    // else it stays that.
    const defined = new Map();
    // Short forms the page also writes as genes ("VHL-deficient", "APC mutation"), whatever it
    // defined them as.
    const saidGene = new Set();
    const biology = new Set();
    const confident = new Set();
    return {
      match(texts) {
        const found = texts.map((text) => {
          for (const { short, long, geneLike } of definedAbbreviations(text)) {
            defined.set(short, defined.get(short) !== false && (geneLike || beginsApprovedName(long, short)));
          }
          // Two words settle it for the page: no need to look for more.
          if (biology.size < 2) for (const word of biologyWords(text)) biology.add(word);
          const mentions = candidates(text);
          for (const mention of mentions) {
            if (isConfident(text, mention)) confident.add(mention.symbol);
            if (followedByGeneEvidence(text, mention.end)) saidGene.add(text.slice(mention.start, mention.end));
          }
          return mentions;
        });
        const aboutBiology = biology.size >= 2 || confident.size >= 2;
        return found.map((mentions, at) => keepMentions(texts[at], mentions, { defined, saidGene, aboutBiology }));
      },
    };
  }

  return { findMentions, resolve, page };
}

// Names that are genes on any page: an approved symbol as HGNC writes it, four characters or more
// with a digit among them (TP53, BRCA1, MDM2).
function isConfident(text, { start, end, symbol, how }) {
  return how === "exact" && symbol === text.slice(start, end) && symbol.length >= 4 && DIGIT.test(symbol) && UPPER.test(symbol);
}

// The mentions that stand once the page's context is read; the fields used to decide are dropped.
function keepMentions(text, mentions, { defined, saidGene, aboutBiology }) {
  const kept = [];
  mentions.forEach((mention, at) => {
    const { start, end, symbol, how } = mention;
    const written = text.slice(start, end);
    if (defined.get(written) === false && !saidGene.has(written)) return;
    if (how === "dashed" && namesCells(text, end)) return;
    // A short name with a small letter right after a number is a unit: 2.5 Mb, 40 kDa.
    if (written.length <= 3 && LOWER.test(written) && /\p{N}\s?$/u.test(text.slice(Math.max(0, start - 2), start))) return;
    if (how === "contextual" && !(saysGene(text, start, end) || inListOfGenes(text, mentions, at))) return;
    // Any page: an approved symbol or a name with a digit, four characters or more (GAAP, RISC,
    // ESPN are aliases too, and ordinary prose uses them for other things).
    const plain = how === "exact" && written.length >= 4 && (written === symbol || DIGIT.test(written)) && !/^\p{Ll}+$/u.test(written);
    if (!plain && !aboutBiology && !saysGene(text, start, end)) return;
    kept.push(how === "shared" ? { start, end, symbol: null, candidates: mention.candidates } : { start, end, symbol });
  });
  return kept;
}

// Whether the mention at `at` is next to another (not itself an ordinary word) in a list.
function inListOfGenes(text, mentions, at) {
  const neighbour = (other) => other && other.how !== "contextual";
  const before = mentions[at - 1];
  const after = mentions[at + 1];
  return (
    (neighbour(before) && LIST_GAP.test(text.slice(before.end, mentions[at].start))) ||
    (neighbour(after) && LIST_GAP.test(text.slice(mentions[at].end, after.start)))
  );
}

// Symbol mentions and names in words, in text order; where they overlap the longer one stays.
function mergeNamesInWords(symbols, names) {
  if (names.length === 0) return symbols;
  const all = [...names, ...symbols].sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const merged = [];
  for (const mention of all) {
    const last = merged.at(-1);
    if (last && mention.start < last.end) {
      if (mention.end - mention.start > last.end - last.start) merged[merged.length - 1] = mention;
      continue;
    }
    merged.push(mention);
  }
  return merged;
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
