import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DEFAULT_BLOCKLIST } from "../src/shared/default_blocklist.js";
import { buildMatcher, buildNameIndex } from "../src/shared/matcher.js";
import { PUBLICATION_NAMES } from "../src/shared/publication_names.js";
import { prose, sampleGenes } from "../testing/helpers.js";

const gene = (symbol, aliases = [], previous = []) => ({ symbol, color: "#112233", textColor: "#ffffff", name: symbol, aliases, previous });
const found = (matcher, text) => matcher.findMentions(text).map(({ start, end, symbol }) => [text.slice(start, end), symbol]);

describe("symbols and boundaries", () => {
  const matcher = buildMatcher(sampleGenes());

  test("finds approved symbols as whole, case-sensitive tokens", () => {
    assert.deepEqual(found(matcher, "TP53 binds MDM2; tp53 and Tp53 do not count."), [["TP53", "TP53"]]);
  });

  test("letters or digits on either side make a different word", () => {
    assert.deepEqual(found(matcher, "XTP53 TP53X TP530 0TP53 TP53"), [["TP53", "TP53"]]);
  });

  test("punctuation, quotes and underscores are boundaries", () => {
    assert.deepEqual(
      found(matcher, "(TP53), 'TP53' TP53's TP53_mutant TP53."),
      [["TP53", "TP53"], ["TP53", "TP53"], ["TP53", "TP53"], ["TP53", "TP53"], ["TP53", "TP53"]],
    );
  });

  test("offsets point into the original text", () => {
    const text = "In cells, BRCA1 repairs.";
    assert.deepEqual(matcher.findMentions(text), [{ start: 10, end: 15, symbol: "BRCA1" }]);
  });

  test("symbols with dashes and lower-case letters", () => {
    assert.deepEqual(found(matcher, "HLA-A and NKX2-1 and C9orf72"), [["HLA-A", "HLA-A"], ["NKX2-1", "NKX2-1"], ["C9orf72", "C9orf72"]]);
  });

  test("a dashed run yields every gene in it, longest names first", () => {
    assert.deepEqual(found(matcher, "the BRCA1-PALB2 complex"), [["BRCA1", "BRCA1"], ["PALB2", "PALB2"]]);
    assert.deepEqual(found(matcher, "HLA-A-restricted and anti-TP53"), [["HLA-A", "HLA-A"], ["TP53", "TP53"]]);
  });

  test("Unicode dashes and the minus sign count as the hyphen in a symbol", () => {
    for (const dash of ["\u2010", "\u2011", "\u2013", "\u2014", "\u2212"]) {
      assert.deepEqual(found(matcher, `NKX2${dash}1`), [[`NKX2${dash}1`, "NKX2-1"]], `dash U+${dash.codePointAt(0).toString(16)}`);
      assert.deepEqual(found(matcher, `BRCA1${dash}PALB2`).map(([, symbol]) => symbol), ["BRCA1", "PALB2"]);
    }
  });

  test("text in other scripts around a symbol", () => {
    assert.deepEqual(found(matcher, "Ген TP53 — 抑癌基因TP53"), [["TP53", "TP53"]]);
  });
});

describe("aliases and previous symbols", () => {
  test("used when they name exactly one gene", () => {
    const matcher = buildMatcher([gene("NEWG1", ["NG1"], ["OLDG1"])], []);
    assert.deepEqual(found(matcher, "NG1 was OLDG1"), [["NG1", "NEWG1"], ["OLDG1", "NEWG1"]]);
  });

  test("ignored when two genes share them", () => {
    const matcher = buildMatcher([gene("AAA1", ["SHARED"]), gene("BBB2", [], ["SHARED"])], []);
    assert.deepEqual(found(matcher, "SHARED"), []);
  });

  test("approved symbols win over another gene's alias", () => {
    const matcher = buildMatcher([gene("AAA1", ["BBB2"]), gene("BBB2")], []);
    assert.deepEqual(found(matcher, "BBB2"), [["BBB2", "BBB2"]]);
  });

  test("single characters are never genes", () => {
    const matcher = buildMatcher([gene("TBXT", ["T"], ["B"])], []);
    assert.deepEqual(found(matcher, "T cells and B cells"), []);
  });

  test("real aliases: p53, HER2, PD-L1", () => {
    const matcher = buildMatcher(sampleGenes());
    assert.deepEqual(found(matcher, "p53, HER2 and PD-L1"), [["p53", "TP53"], ["HER2", "ERBB2"], ["PD-L1", "CD274"]]);
  });
});

describe("publication spellings", () => {
  const matcher = buildMatcher(sampleGenes());

  test("dash or no dash between a symbol's letters and its number", () => {
    assert.deepEqual(found(matcher, "IL-6 and MMP-9 and IL6"), [["IL-6", "IL6"], ["MMP-9", "MMP9"], ["IL6", "IL6"]]);
  });

  test("Greek letters, as letters and spelled out", () => {
    assert.deepEqual(
      found(matcher, "TNF-α, TNFα, TNF-alpha, TGF-β1, IL-1β, HIF-1alpha, IFN-γ"),
      [["TNF-α", "TNF"], ["TNFα", "TNF"], ["TNF-alpha", "TNF"], ["TGF-β1", "TGFB1"], ["IL-1β", "IL1B"], ["HIF-1alpha", "HIF1A"], ["IFN-γ", "IFNG"]],
    );
  });

  test("curated spellings: mTOR, Akt, c-Myc, β-catenin", () => {
    assert.deepEqual(found(matcher, "mTOR, Akt, c-Myc and β-catenin"), [["mTOR", "MTOR"], ["Akt", "AKT1"], ["c-Myc", "MYC"], ["β-catenin", "CTNNB1"]]);
  });

  test("every curated spelling reaches its gene in the real lexicon sample", () => {
    for (const [spelling, symbol] of Object.entries(PUBLICATION_NAMES)) assert.equal(matcher.resolve(spelling), symbol, spelling);
  });

  test("never by case-folding ordinary words, nor dashed codes with a one-letter stem", () => {
    assert.deepEqual(found(matcher, "Set the cat free; tnf-alpha; alphabet; B-52 and F-16 and G-20"), []);
  });

  test("a blocked spelling stays blocked even when a rule would derive it", () => {
    const matcher = buildMatcher(sampleGenes(), ["IL-6"]);
    assert.deepEqual(found(matcher, "IL-6 and IL6"), [["IL6", "IL6"]]);
  });
});

describe("blocklist", () => {
  test("the default blocks ambiguous words that are real symbols and aliases", () => {
    const index = buildNameIndex(sampleGenes());
    for (const word of ["SET", "CAT", "MAX", "IMPACT", "BEST", "OK", "MET", "KIT"]) assert.equal(index.has(word), false, word);
    assert.equal(buildNameIndex(sampleGenes(), []).get("SET"), "SET");
    assert.equal(buildNameIndex(sampleGenes(), []).get("OK"), "BSG");
  });

  test("the user's list replaces the default", () => {
    const matcher = buildMatcher(sampleGenes(), ["TP53"]);
    assert.deepEqual(found(matcher, "TP53 and SET"), [["SET", "SET"]]);
  });

  test("is a list of distinct tokens", () => {
    assert.equal(new Set(DEFAULT_BLOCKLIST).size, DEFAULT_BLOCKLIST.length);
    assert.ok(DEFAULT_BLOCKLIST.every((token) => typeof token === "string" && token.length > 1));
  });
});

describe("10,000 words of ordinary English with acronyms", () => {
  const text = prose();

  test("is long enough to mean something", () => {
    assert.ok(text.split(/\s+/).length >= 10_000);
  });

  test("highlights nothing with the default blocklist", () => {
    assert.deepEqual(found(buildMatcher(sampleGenes()), text), []);
  });

  test("would highlight dozens of false genes without it", () => {
    assert.ok(found(buildMatcher(sampleGenes(), []), text).length > 100);
  });
});
