import assert from "node:assert/strict";
import { test } from "node:test";
import { LexiconError, readLexicon } from "../src/shared/lexicon_format.js";
import { sampleBody } from "../testing/helpers.js";

const body = (genes, extra = {}) => ({ ...sampleBody(), genes, ...extra });

test("reads rows into named fields", () => {
  const [first] = readLexicon(body([["TP53", "#484848", "#ffffff", "tumor protein p53", ["p53"], [], ["cellular tumor antigen p53"]]]));
  assert.deepEqual(first, {
    symbol: "TP53",
    color: "#484848",
    textColor: "#ffffff",
    name: "tumor protein p53",
    aliases: ["p53"],
    previous: [],
    names: ["cellular tumor antigen p53"],
  });
});

test("the real sample reads whole", () => {
  assert.ok(readLexicon(sampleBody()).length > 100);
});

const broken = [
  ["not an object", null, /expected a JSON object/],
  ["another format", body([], { format: 1 }), /format 1 is not the supported format 2; update the extension/],
  ["other fields", body([], { fields: ["symbol"] }), /fields \["symbol"\] differ/],
  ["genes not a list", body({}), /genes is not a list/],
  ["short row", body([["TP53", "#484848"]]), /gene 0 is not a list of 7 fields/],
  ["bad colour", body([["TP53", "red", "#ffffff", "n", [], [], []]]), /gene TP53 has colours "red"/],
  ["aliases not strings", body([["TP53", "#484848", "#ffffff", "n", [1], [], []]]), /gene TP53 needs a name and lists/],
  ["names not a list", body([["TP53", "#484848", "#ffffff", "n", [], [], "p53"]]), /gene TP53 needs a name and lists/],
  ["empty symbol", body([["", "#484848", "#ffffff", "n", [], [], []]]), /gene 0 has no symbol/],
];
for (const [what, input, message] of broken) {
  test(`a malformed lexicon says what is wrong: ${what}`, () => {
    assert.throws(() => readLexicon(input), (error) => error instanceof LexiconError && /^Malformed lexicon: /.test(error.message) && message.test(error.message));
  });
}
