import assert from "node:assert/strict";
import { test } from "node:test";
import {
  FIRST_DIGIT,
  foldedHash,
  HAS_DIGIT as DIGIT,
  HAS_LOWER as LOWER,
  HAS_NON_ASCII as NON_ASCII,
  HAS_OTHER_LETTER as OTHER_LETTER,
  HAS_UPPER as UPPER,
  HashFilter,
  isDashUnit,
  LAST_DIGIT,
  wordsOf,
} from "../src/shared/words.js";

// What wordsOf found, copied out of its reused arrays: [word, kinds].
function scanned(text) {
  const { count, starts, ends, kinds } = wordsOf(text);
  return Array.from({ length: count }, (_, at) => [text.slice(starts[at], ends[at]), kinds[at]]);
}

test("words are the runs of letters and digits that the regular expression [\\p{L}\\p{N}]+ finds", () => {
  const texts = [
    "TP53, BRCA1-PALB2 and Kv4.2 (p53); x",
    "naïve Ménière İstanbul ΣΑΣ 漢字 ١٢٣ Ⅻ",
    "math 𝐀𝐁𝐂 and 𝟙𝟚, a lone \ud800 surrogate, \udc00 too, emoji 🧬 between",
    "under_score a\u00a0b tab\tnew\nline",
    "",
  ];
  for (const text of texts) {
    assert.deepEqual(
      scanned(text).map(([word]) => word),
      text.match(/[\p{L}\p{N}]+/gu) ?? [],
      text,
    );
  }
});

test("what each word is made of", () => {
  assert.deepEqual(scanned("gene TP53 Tp53 53x x53 ǅa 漢 é"), [
    ["gene", LOWER],
    ["TP53", UPPER | DIGIT | LAST_DIGIT],
    ["Tp53", UPPER | LOWER | DIGIT | LAST_DIGIT],
    ["53x", DIGIT | LOWER | FIRST_DIGIT],
    ["x53", LOWER | DIGIT | LAST_DIGIT],
    ["ǅa", OTHER_LETTER | LOWER | NON_ASCII],
    ["漢", OTHER_LETTER | NON_ASCII],
    ["é", LOWER | NON_ASCII],
  ]);
  assert.deepEqual(scanned("𝟙"), [["𝟙", DIGIT | NON_ASCII | FIRST_DIGIT | LAST_DIGIT]]);
});

test("a word's hash is its ASCII lower case's, whatever the case it is written in", () => {
  const text = "Leptin LEPTIN leptin";
  const { hashes } = wordsOf(text);
  assert.equal(hashes[0], foldedHash("leptin"));
  assert.equal(hashes[1], foldedHash("leptin"));
  assert.equal(hashes[2], foldedHash("Leptin"));
  assert.notEqual(foldedHash("leptin"), foldedHash("leptln"));
  // Found by search: two words, one hash. The matcher's name tree must compare the words too.
  assert.equal(foldedHash("dsbji"), foldedHash("hrabe"));
});

test("hashes stay small integers, so a Map keyed by them stays fast", () => {
  for (const word of ["a", "leptin", "dsbji", "zzzzzzzzzzzzzzzzzzzz"]) {
    const hash = foldedHash(word);
    assert.ok(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 30, `${word}: ${hash}`);
  }
});

test("later texts reuse the arrays and are read correctly however long", () => {
  const long = Array.from({ length: 5_000 }, (_, at) => `w${at}`).join(" ");
  const { count, starts, ends } = wordsOf(long);
  assert.equal(count, 5_000);
  assert.equal(long.slice(starts[4_999], ends[4_999]), "w4999");
  assert.equal(wordsOf("one two").count, 2);
});

test("dashes: every \\p{Pd} and the minus sign, not other punctuation", () => {
  for (const dash of "-\u2010\u2011\u2013\u2014\u2212\u301c") assert.ok(isDashUnit(dash.charCodeAt(0)), `U+${dash.codePointAt(0).toString(16)}`);
  for (const other of "_.+~/ a1") assert.ok(!isDashUnit(other.charCodeAt(0)), other);
});

test("a hash filter has what was added and little else", () => {
  const filter = new HashFilter(1 << 16);
  const added = Array.from({ length: 1_000 }, (_, at) => foldedHash(`name${at}`));
  for (const hash of added) filter.add(hash);
  assert.ok(added.every((hash) => filter.has(hash)));
  const others = Array.from({ length: 10_000 }, (_, at) => foldedHash(`other${at}`)).filter((hash) => filter.has(hash));
  assert.ok(others.length < 500, `${others.length} of 10,000 others said to be there`);
});
