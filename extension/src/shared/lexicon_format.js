// Reads the lexicon the server publishes at /api/lexicon/{hash}.json (format 2: format 1 and the
// gene's other names in words).
// Rows are validated here once, so the matcher and the page code can trust them.

export const LEXICON_FORMAT = 2;
const FIELDS = ["symbol", "color_hex", "text_color_hex", "name", "aliases", "previous_symbols", "names"];
const COLOUR = /^#[0-9a-fA-F]{6}$/;

export class LexiconError extends Error {
  constructor(message) {
    super(`Malformed lexicon: ${message}`);
    this.name = "LexiconError";
  }
}

function isListOfStrings(value) {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

function readRow(row, index) {
  if (!Array.isArray(row) || row.length !== FIELDS.length) {
    throw new LexiconError(`gene ${index} is not a list of ${FIELDS.length} fields`);
  }
  const [symbol, color, textColor, name, aliases, previous, names] = row;
  if (typeof symbol !== "string" || symbol === "") throw new LexiconError(`gene ${index} has no symbol`);
  if (!COLOUR.test(color) || !COLOUR.test(textColor)) {
    throw new LexiconError(`gene ${symbol} has colours ${JSON.stringify(color)} / ${JSON.stringify(textColor)}, not #rrggbb`);
  }
  if (typeof name !== "string" || !isListOfStrings(aliases) || !isListOfStrings(previous) || !isListOfStrings(names)) {
    throw new LexiconError(`gene ${symbol} needs a name and lists of aliases, previous symbols and other names`);
  }
  return { symbol, color, textColor, name, aliases, previous, names };
}

/** The genes of a parsed lexicon body, or a LexiconError saying what is wrong with it. */
export function readLexicon(body) {
  if (body === null || typeof body !== "object") throw new LexiconError("expected a JSON object");
  if (body.format !== LEXICON_FORMAT) {
    throw new LexiconError(`format ${JSON.stringify(body.format)} is not the supported format ${LEXICON_FORMAT}; update the extension`);
  }
  if (JSON.stringify(body.fields) !== JSON.stringify(FIELDS)) {
    throw new LexiconError(`fields ${JSON.stringify(body.fields)} differ from ${JSON.stringify(FIELDS)}`);
  }
  if (!Array.isArray(body.genes)) throw new LexiconError("genes is not a list");
  return body.genes.map(readRow);
}
