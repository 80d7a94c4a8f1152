// The extension names the same gene as the site and the command line: the shared cases of
// tests/fixtures/name_resolution.json, through the extension's own lexicon reader and matcher.
//
// The lexicon is the site's when ICONOPLASM_TEST_LEXICON names a file (tests/backend/
// test_name_resolution.py writes one with the site's lexicon builder and runs this file on it);
// otherwise it is made here from the fixture in the site's format.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { LEXICON_FORMAT, readLexicon } from "../src/shared/lexicon_format.js";
import { buildMatcher } from "../src/shared/matcher.js";

const fixture = JSON.parse(readFileSync(new URL("../../tests/fixtures/name_resolution.json", import.meta.url), "utf8"));
const siteLexicon = process.env.ICONOPLASM_TEST_LEXICON;

function fixtureLexicon() {
  return {
    format: LEXICON_FORMAT,
    fields: ["symbol", "color_hex", "text_color_hex", "name", "aliases", "previous_symbols", "names"],
    genes: fixture.genes.map(({ symbol, aliases, previous_symbols: previous }) => [
      symbol, "#336699", "#ffffff", `${symbol} protein`, aliases, previous, [],
    ]),
  };
}

const genes = readLexicon(siteLexicon ? JSON.parse(readFileSync(siteLexicon, "utf8")) : fixtureLexicon());
const sorted = (names) => [...names].sort();

const source = siteLexicon ? "the site's" : "made from the fixture";
test(`the lexicon (${source}) carries every gene's previous symbols and aliases apart`, () => {
  const byGene = Object.fromEntries(genes.map((gene) => [gene.symbol, gene]));
  assert.deepEqual(sorted(Object.keys(byGene)), sorted(fixture.genes.map((gene) => gene.symbol)));
  for (const gene of fixture.genes) {
    assert.deepEqual(sorted(byGene[gene.symbol].previous), sorted(gene.previous_symbols), gene.symbol);
    assert.deepEqual(sorted(byGene[gene.symbol].aliases), sorted(gene.aliases), gene.symbol);
  }
});

for (const [label, blocklist] of [["no blocklist", []], ["the default blocklist", undefined]]) {
  describe(`every shared case, with ${label}`, () => {
    const matcher = buildMatcher(genes, blocklist);

    for (const { name, expect, extension_silent: silent } of fixture.cases) {
      // The rule's gene, or nothing where the rule finds none or the extension is deliberately silent.
      const wanted = expect === null || silent ? undefined : expect.symbol;
      let reason = expect === null ? "no gene by the rule" : `the rule's ${expect.matched_by}`;
      if (expect !== null && silent) reason = `silent: ${silent}`;

      test(`${name} → ${wanted ?? "nothing"} (${reason})`, () => {
        assert.equal(matcher.resolve(name), wanted);
        // A page about genes, so the rule alone decides (not the words a page needs around a short name).
        const text = `In human tumour cells with ${name}, gene expression changed.`;
        const mentions = matcher.findMentions(text);
        const confident = mentions.filter(({ symbol }) => symbol !== null).map(({ start, end, symbol }) => [text.slice(start, end), symbol]);
        assert.deepEqual(confident, wanted === undefined ? [] : [[name, wanted]]);
        // A name several genes share may show as ambiguous: with all of them, never as one.
        for (const { candidates } of mentions.filter(({ symbol }) => symbol === null)) assert.ok(candidates.length >= 2, name);
      });
    }
  });
}
