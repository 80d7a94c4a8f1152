// The words of a text (maximal runs of Unicode letters and digits) in one pass over its character
// codes, with what the matcher asks of each: its case, whether it has digits, a hash of its lower
// case. Pure, like matcher.js. The matcher used to run a regular expression per word and per
// rule; on a page of a megabyte that, not the lookups, was most of its time.

// What a word's characters are, OR-ed together (and the first and last character's digits).
export const HAS_LOWER = 1; // \p{Ll}
export const HAS_UPPER = 2; // \p{Lu}
export const HAS_DIGIT = 4; // \p{N}
export const HAS_OTHER_LETTER = 8; // a letter neither upper nor lower case (\p{Lt}, \p{Lm}, \p{Lo})
export const HAS_NON_ASCII = 16;
export const FIRST_DIGIT = 32;
export const LAST_DIGIT = 64;
// A character's class in the table below; DASH never belongs to a word.
const WORD = 128;
const DASH_CLASS = 256;
const KNOWN = 512;

// Classes of UTF-16 code units, worked out the first time each is met (a page uses few).
const classOfUnit = new Uint16Array(65_536);
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
const LOWER_CASE = /^\p{Ll}$/u;
const UPPER_CASE = /^\p{Lu}$/u;
const NUMBER = /^\p{N}$/u;
const DASH = /^[\p{Pd}\u2212]$/u;

function classify(character) {
  let found = KNOWN;
  if (LETTER_OR_DIGIT.test(character)) {
    found |= WORD;
    if (LOWER_CASE.test(character)) found |= HAS_LOWER;
    else if (UPPER_CASE.test(character)) found |= HAS_UPPER;
    else if (NUMBER.test(character)) found |= HAS_DIGIT;
    else found |= HAS_OTHER_LETTER;
    if (character.length > 1 || character.charCodeAt(0) > 127) found |= HAS_NON_ASCII;
  } else if (DASH.test(character)) found |= DASH_CLASS;
  return found;
}

const classOfAstral = new Map();

// Whether a surrogate pair starts at `at`: the units of one code point.
function pairAt(text, at) {
  const unit = text.charCodeAt(at);
  if (unit < 0xd800 || unit > 0xdbff) return false;
  const next = text.charCodeAt(at + 1);
  return next >= 0xdc00 && next <= 0xdfff;
}

// The class of one UTF-16 code unit.
function classOfCode(unit) {
  const found = classOfUnit[unit];
  return found === 0 ? (classOfUnit[unit] = classify(String.fromCharCode(unit))) : found;
}

/** The class of the character at `at` (a surrogate pair counts as its code point). */
function classAt(text, at) {
  if (!pairAt(text, at)) return classOfCode(text.charCodeAt(at));
  const point = text.codePointAt(at);
  let found = classOfAstral.get(point);
  if (found === undefined) classOfAstral.set(point, (found = classify(String.fromCodePoint(point))));
  return found;
}

/** Whether the character code `unit` is a dash (\p{Pd} or the minus sign). */
export function isDashUnit(unit) {
  return (classOfCode(unit) & DASH_CLASS) !== 0;
}

// Hashes are kept to 30 bits: V8 stores such integers unboxed, and a Map keyed by them is fast.
const HASH_BITS = 0x3fffffff;

/** A hash of a code unit sequence folded to lower case in ASCII, the same as the scan computes. */
export function foldedHash(text) {
  let hash = 0x811c9dc5;
  for (let at = 0; at < text.length; at += 1) hash = step(hash, text.charCodeAt(at));
  return hash & HASH_BITS;
}

function step(hash, unit) {
  return Math.imul(hash ^ folded(unit), 0x01000193);
}

// A code unit in lower case, as far as ASCII goes.
const folded = (unit) => (unit >= 65 && unit <= 90 ? unit | 32 : unit);

/** Whether text[start, end), folded to lower case in ASCII, is `word`. */
export function sameFolded(text, start, end, word) {
  if (end - start !== word.length) return false;
  for (let at = start; at < end; at += 1) if (folded(text.charCodeAt(at)) !== word.charCodeAt(at - start)) return false;
  return true;
}

/**
 * A set of hashes as bits: says for certain that a hash is not among those added, and
 * (for a few in a hundred) wrongly that it is.
 */
export class HashFilter {
  constructor(bits = 1 << 22) {
    this.mask = bits - 1;
    this.bits = new Int32Array(bits >>> 5);
  }

  add(hash) {
    const bit = (hash ^ (hash >>> 15)) & this.mask;
    this.bits[bit >>> 5] |= 1 << (bit & 31);
  }

  has(hash) {
    const bit = (hash ^ (hash >>> 15)) & this.mask;
    return (this.bits[bit >>> 5] & (1 << (bit & 31))) !== 0;
  }
}

// Filled by wordsOf and overwritten by its next call: a page has hundreds of thousands of
// words, and arrays made afresh per text were a tenth of the matching time in garbage collection.
let capacity = 0;
const words = { count: 0, starts: new Int32Array(0), ends: new Int32Array(0), kinds: new Int32Array(0), hashes: new Int32Array(0) };

function grow(needed) {
  capacity = Math.max(needed, capacity * 2, 1_024);
  for (const field of ["starts", "ends", "kinds", "hashes"]) {
    const bigger = new Int32Array(capacity);
    bigger.set(words[field]);
    words[field] = bigger;
  }
}

/**
 * The words of `text`: `count`, and for word i its `starts[i]`, `ends[i]` (exclusive), `kinds[i]`
 * (the flags above) and `hashes[i]` (foldedHash of the word). The arrays are reused by the next call.
 * @param {string} text
 */
export function wordsOf(text) {
  let count = 0;
  const length = text.length;
  let at = 0;
  while (at < length) {
    let found = classAt(text, at);
    if ((found & WORD) === 0) {
      at += pairAt(text, at) ? 2 : 1;
      continue;
    }
    if (count === capacity) grow(count + 1);
    const start = at;
    let kind = found & HAS_DIGIT ? FIRST_DIGIT : 0;
    let hash = 0x811c9dc5;
    let last = found;
    while (at < length) {
      const unit = text.charCodeAt(at);
      found = unit < 128 ? classOfCode(unit) : classAt(text, at);
      if ((found & WORD) === 0) break;
      kind |= found;
      last = found;
      hash = step(hash, unit);
      if (unit >= 0xd800 && pairAt(text, at)) {
        hash = step(hash, text.charCodeAt(at + 1));
        at += 2;
      } else at += 1;
    }
    words.starts[count] = start;
    words.ends[count] = at;
    words.kinds[count] = (kind & (HAS_LOWER | HAS_UPPER | HAS_DIGIT | HAS_OTHER_LETTER | HAS_NON_ASCII | FIRST_DIGIT)) | (last & HAS_DIGIT ? LAST_DIGIT : 0);
    words.hashes[count] = hash & HASH_BITS;
    count += 1;
  }
  words.count = count;
  return words;
}
