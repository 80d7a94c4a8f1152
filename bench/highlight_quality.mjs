// The extension's own matching over a batch of pages, for bench/highlight_quality.py.
//
// stdin: {"genes": [{symbol, name, aliases, previous, names}], "pages": [[text, ...], ...], "learned"?: {spelling: symbol}}
// ("learned" replaces the shipped learned_names.js, to score the rules on abstracts they did not learn from)
// stdout: for each page, for each of its texts, the mentions as [start, end, symbol].
// Each page gets its own page matcher, as each tab does, so page-level context applies.
import { readFileSync } from "node:fs";
import { buildNameIndex, createMatcher } from "../extension/src/shared/matcher.js";

const { genes, pages, learned } = JSON.parse(readFileSync(0, "utf8"));
const matcher = createMatcher(learned ? buildNameIndex(genes, undefined, learned) : buildNameIndex(genes));
const found = pages.map((texts) =>
  matcher
    .page()
    .match(texts)
    .map((mentions) => mentions.map(({ start, end, symbol }) => [start, end, symbol])),
);
process.stdout.write(JSON.stringify(found));
