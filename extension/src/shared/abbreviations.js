// Abbreviations a text defines for itself, "hepatocellular carcinoma (HCC)": a page that says HCC
// means a carcinoma does not mean the gene HCC there. Pure, like matcher.js.
//
// The pairing is Schwartz and Hearst's (PSB 2003): the short form's letters, read backwards,
// are found in order in the words before the bracket, its first letter starting a word.

// "(SHORT)" or "(SHORT; …)", "(SHORT, …)": a few characters with a letter among them.
const BRACKETED = /\(([^()\s;,]{2,10})(?:[;,][^()]*)?\)/gu;
const WORD_START = /[\p{L}\p{N}]/u;
// Words that end like an enzyme's name but name something else.
const LOOK_ALIKE_END = /(?:disease|phase|base|case|release|increase|decrease|purchase)s?$/iu;
// A long form whose last word ends like one of these names a molecule that a gene makes (kinase,
// insulin, receptor, "interleukin 6", "cyclin D1", "factor alpha", "cathepsin E"); any other
// long form (a disease, a chemical, a method) gives its short form another meaning.
const GENE_LIKE_LAST_WORD =
  /(?:ase|ases|in|ins|ogen|factor|protein|proteins|receptor|receptors|ligand|antigen|hormone|peptide|channel|transporter|subunit|chain|homolog|regulator|activator|inhibitor|suppressor|oncogene|gene|molecule)$|^(?:\d+[a-z]?|[a-z]\d+|[a-z]|alpha|beta|gamma|delta|kappa|[ivx]+)$/iu;

/** Whether words such as "cathepsin E" or "tumor necrosis factor" end like the name of a gene's product. */
export function namesGeneProduct(words) {
  const last = words.trimEnd().split(/[\s\p{Pd}]/u).at(-1);
  return GENE_LIKE_LAST_WORD.test(last) && !LOOK_ALIKE_END.test(last);
}

/**
 * Every "long form (SHORT)" pair in `text`: [{short, long, geneLike}], `geneLike` telling
 * whether the long form reads as the name of a gene product.
 * @param {string} text
 */
export function definedAbbreviations(text) {
  const pairs = [];
  for (const bracket of text.matchAll(BRACKETED)) {
    const short = bracket[1];
    if (!/\p{L}/u.test(short)) continue;
    // A long form has at most 2·10 words: the few hundred characters before the bracket hold it.
    const long = longFormBefore(text.slice(Math.max(0, bracket.index - 300), bracket.index), short);
    if (long) pairs.push({ short, long, geneLike: namesGeneProduct(long) });
  }
  return pairs;
}

// The long form a short form abbreviates in the words just before it, or null.
function longFormBefore(before, short) {
  const letters = [...short.toLowerCase()].filter((c) => WORD_START.test(c));
  if (letters.length === 0) return null;
  const words = before.trimEnd().split(/\s+/);
  // At most min(|SHORT| + 5, 2·|SHORT|) words, as Schwartz and Hearst allow.
  const window = words.slice(-Math.min(letters.length + 5, letters.length * 2)).join(" ");
  let position = window.length - 1;
  for (let index = letters.length - 1; index >= 0; index -= 1) {
    const wanted = letters[index];
    for (;;) {
      if (position < 0) return null;
      const character = window[position].toLowerCase();
      const startsWord = position === 0 || !WORD_START.test(window[position - 1]);
      position -= 1;
      if (character === wanted && (index > 0 || startsWord)) break;
    }
  }
  const long = window.slice(position + 1).trim();
  // A long form no longer than its short form, or one that holds the short form itself ("Mxi1
  // belongs to the Mad (Mxi1)"), is a coincidence of letters, not a definition.
  const holdsShort = long.toLowerCase().split(/[^\p{L}\p{N}]+/u).includes(short.toLowerCase());
  return long.length > short.length && !holdsShort ? long : null;
}
