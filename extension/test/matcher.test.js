import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { definedAbbreviations } from "../src/shared/abbreviations.js";
import { DEFAULT_BLOCKLIST } from "../src/shared/default_blocklist.js";
import { LEARNED_NAMES } from "../src/shared/learned_names.js";
import { buildMatcher, buildNameIndex, createMatcher } from "../src/shared/matcher.js";
import { PUBLICATION_NAMES } from "../src/shared/publication_names.js";
import { prose, sampleGenes } from "../testing/helpers.js";

const gene = (symbol, aliases = [], previous = []) => ({ symbol, color: "#112233", textColor: "#ffffff", name: symbol, aliases, previous });
const pairs = (text, mentions) => mentions.map(({ start, end, symbol }) => [text.slice(start, end), symbol]);
// On a page that has said it is about genes: the spelling rules alone decide.
const GENE_PAGE = "Gene and protein expression in tumour cells.";
const found = (matcher, text) => {
  const page = matcher.page();
  page.match([GENE_PAGE]);
  return pairs(text, page.match([text])[0]);
};
// A text read as a page of its own, with nothing said before it.
const foundAlone = (matcher, text) => pairs(text, matcher.findMentions(text));

describe("symbols and boundaries", () => {
  const matcher = buildMatcher(sampleGenes());

  test("finds approved symbols as whole tokens, in lower case never", () => {
    assert.deepEqual(found(matcher, "TP53 binds; tp53 does not count, Tp53 (the rat's spelling) does."), [
      ["TP53", "TP53"],
      ["Tp53", "TP53"],
    ]);
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

  test("shown as ambiguous when a few genes share them, never as one of them", () => {
    const matcher = buildMatcher([gene("AAA1", ["SHARED", "XY"]), gene("BBB2", [], ["SHARED", "XY"])], []);
    const page = matcher.page();
    page.match([GENE_PAGE]);
    assert.deepEqual(page.match(["SHARED and XY"])[0], [{ start: 0, end: 6, symbol: null, candidates: ["AAA1", "BBB2"] }], "two characters are too short");
    assert.equal(matcher.resolve("SHARED"), undefined);
  });

  test("a name five genes share is a word, not a name", () => {
    const genes = ["AAA1", "BBB2", "CCC3", "DDD4", "EEE5"].map((symbol) => gene(symbol, ["COMMON"]));
    assert.deepEqual(found(buildMatcher(genes, []), "COMMON"), []);
  });

  test("a shared name stays dark on a page not about genes", () => {
    const matcher = buildMatcher([gene("MAPK3", ["ERK"]), gene("MAPK1", ["ERK"])], []);
    assert.deepEqual(foundAlone(matcher, "ERK"), []);
    assert.deepEqual(found(matcher, "ERK and Erk"), [["ERK", null]]);
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
    assert.deepEqual(foundAlone(buildMatcher(sampleGenes()), text), []);
  });

  test("would highlight dozens of false genes without it", () => {
    assert.ok(found(buildMatcher(sampleGenes(), []), text).length > 100);
  });
});

const named = (symbol, name, aliases = []) => ({ ...gene(symbol, aliases), name });

describe("abbreviations a page defines", () => {
  test("pairs a short form with the words before its bracket", () => {
    assert.deepEqual(
      definedAbbreviations("in hepatocellular carcinoma (HCC) and lipopolysaccharide (LPS, 1 µg) with tumor necrosis factor (TNF)"),
      [
        { short: "HCC", long: "hepatocellular carcinoma", geneLike: false },
        { short: "LPS", long: "lipopolysaccharide", geneLike: false },
        { short: "TNF", long: "tumor necrosis factor", geneLike: true },
      ],
    );
  });

  test("tells a gene's product from a disease that ends like an enzyme", () => {
    assert.deepEqual(
      definedAbbreviations("cathepsin E (CTSE), Hirschsprung disease (HSCR), extracellular matrix (ECM), cyclooxygenase-2 (COX-2)").map(
        ({ short, geneLike }) => [short, geneLike],
      ),
      [["CTSE", true], ["HSCR", false], ["ECM", false], ["COX-2", true]],
    );
  });

  test("a bracket whose letters do not spell the words before it defines nothing", () => {
    assert.deepEqual(definedAbbreviations("in mice (n = 5) and in the kidney (KLF)"), []);
    assert.deepEqual(definedAbbreviations("Mxi1 belongs to the Mad (Mxi1) family"), [], "the words before hold the short form itself");
  });

  test("a short form defined as something else is no gene anywhere on that page", () => {
    const matcher = buildMatcher([gene("HCC"), gene("TP53")], []);
    const page = matcher.page();
    const [definition, later] = page.match(["Hepatocellular carcinoma (HCC) is common.", "HCC cells lose TP53."]);
    assert.deepEqual(definition, []);
    assert.deepEqual(pairs("HCC cells lose TP53.", later), [["TP53", "TP53"]]);
    assert.deepEqual(found(matcher, "HCC cells lose TP53."), [["HCC", "HCC"], ["TP53", "TP53"]], "another page did not define it");
  });

  test("a short form defined by the start of its gene's name, or written as a gene later, stays a gene", () => {
    const matcher = buildMatcher([named("VHL", "von Hippel-Lindau tumor suppressor"), gene("APC")], []);
    assert.deepEqual(found(matcher, "von Hippel-Lindau (VHL) disease; VHL"), [["VHL", "VHL"], ["VHL", "VHL"]]);
    assert.deepEqual(found(matcher, "adenomatous polyposis coli (APC); APC mutations"), [["APC", "APC"], ["APC", "APC"]]);
  });

  test("a short form defined as a gene's product stays a gene", () => {
    const matcher = buildMatcher([named("TNF", "tumor necrosis factor")], []);
    assert.deepEqual(found(matcher, "tumor necrosis factor (TNF) and TNF"), [["tumor necrosis factor", "TNF"], ["TNF", "TNF"], ["TNF", "TNF"]]);
  });
});

describe("gene names in words", () => {
  const genes = [
    named("LEP", "leptin"),
    named("IL6", "interleukin 6"),
    named("TNF", "tumor necrosis factor"),
    named("RS1", "retinoschisin 1"),
    named("ESPL1", "extra spindle pole bodies like 1, separase"),
    named("PFKM", "phosphofructokinase, muscle"),
    named("CTSE", "cathepsin E"),
    named("CTSB", "cathepsin B"),
  ];
  const matcher = buildMatcher(genes, []);

  test("the approved name, with dashes or spaces and a capital at the start", () => {
    assert.deepEqual(found(matcher, "Leptin and interleukin-6 rose; Tumor necrosis factor fell."), [
      ["Leptin", "LEP"],
      ["interleukin-6", "IL6"],
      ["Tumor necrosis factor", "TNF"],
    ]);
  });

  test("one-word names derived from the approved name, never a qualifier", () => {
    assert.deepEqual(found(matcher, "retinoschisin and separase, not muscle"), [["retinoschisin", "RS1"], ["separase", "ESPL1"]]);
  });

  test("a word two genes' names share names neither", () => {
    assert.deepEqual(found(matcher, "cathepsin and cathepsin E"), [["cathepsin E", "CTSE"]]);
  });

  test("a name in capitals is a heading, not a mention", () => {
    assert.deepEqual(found(matcher, "LEPTIN SIGNALLING"), []);
  });

  test("names beside letters outside ASCII, and in a text whose lower case is longer", () => {
    assert.deepEqual(found(matcher, "Ménière: Leptin rose"), [["Leptin", "LEP"]]);
    // İ is two characters in lower case: the offsets still point into the text as written.
    const text = "İstanbul cohort: tumor necrosis factor and Leptin";
    assert.deepEqual(found(matcher, text), [["tumor necrosis factor", "TNF"], ["Leptin", "LEP"]]);
    assert.deepEqual(found(matcher, "ΛΕΠΤΙΝΗ and λεπτίνη are Greek words, interleukin–6 is English"), [["interleukin–6", "IL6"]]);
  });

  test("one space or one dash between the words of a name, nothing else", () => {
    assert.deepEqual(found(matcher, "tumor  necrosis factor, tumor\nnecrosis factor, tumor necrosis\u2212factor"), []);
  });

  test("words whose hashes collide are told apart", () => {
    // "dsbji" and "hrabe" share a hash (words.test.js): only the name's own word matches it.
    const colliding = buildMatcher([named("DSB1", "dsbji kinase"), named("HRB1", "hrabe")], []);
    assert.deepEqual(found(colliding, "dsbji, hrabe kinase, dsbji kinase"), [["hrabe", "HRB1"], ["dsbji kinase", "DSB1"]]);
  });
});

describe("spellings papers use", () => {
  const genes = [gene("CHEK1", ["CHK1"]), gene("APOE"), gene("PPARA"), gene("TYR"), gene("CA2"), gene("AAA1")];
  const matcher = buildMatcher(genes, []);

  test("a name in mixed case with a digit or a second capital", () => {
    assert.deepEqual(found(matcher, "Chk1 and ApoE and PPARa"), [["Chk1", "CHEK1"], ["ApoE", "APOE"], ["PPARa", "PPARA"]]);
  });

  test("never a capitalised word, an ion, or a name in lower case only", () => {
    assert.deepEqual(found(matcher, "Tyr residues bind Ca2+ as aaa1 does"), []);
  });

  test("two letters and a long number, a name ending in a letter, h before a dashed name", () => {
    const papers = buildMatcher([gene("SP100"), gene("WNT7A"), gene("FSHR", ["FSH-R"]), gene("CA2")], []);
    assert.deepEqual(found(papers, "Sp100, Wnt7a and hFSH-R; not Ca2+"), [["Sp100", "SP100"], ["Wnt7a", "WNT7A"], ["hFSH-R", "FSHR"]]);
  });

  test("an approved symbol's letters and number apart", () => {
    const spaced = buildMatcher([gene("IFI16")], []);
    assert.deepEqual(found(spaced, "IFI 16 binds; IFI 16.5 and IFI 1600 do not"), [["IFI 16", "IFI16"]]);
  });

  test("h for human before a name, and a dot between digits", () => {
    const human = buildMatcher([gene("DAXX"), gene("KCND2", ["Kv4.2"]), gene("TP53")], []);
    assert.deepEqual(found(human, "hDaxx binds Kv4.2; see TP53.2 and 14.1"), [["hDaxx", "DAXX"], ["Kv4.2", "KCND2"], ["TP53", "TP53"]]);
  });

  test("Greek letters written in ASCII", () => {
    const sample = buildMatcher(sampleGenes());
    assert.deepEqual(found(sample, "b-catenin, HIF-1a and TNF-a"), [["b-catenin", "CTNNB1"], ["HIF-1a", "HIF1A"], ["TNF-a", "TNF"]]);
  });

  test("spellings learnt from annotated abstracts, never over a gene's own names", () => {
    const index = buildNameIndex([gene("NFE2L2"), gene("GABPA", ["NRF2"])], [], { Nrf2: "NFE2L2", NRF2: "NFE2L2" });
    const learnt = createMatcher(index, { blocklist: [] });
    assert.equal(learnt.resolve("Nrf2"), "NFE2L2");
    assert.equal(learnt.resolve("NRF2"), "GABPA");
  });

  test("the shipped learnt spellings name genes of the lexicon sample they can reach", () => {
    const symbols = new Set(sampleGenes().map((g) => g.symbol));
    const sample = buildMatcher(sampleGenes());
    for (const [spelling, symbol] of Object.entries(LEARNED_NAMES)) {
      if (symbols.has(symbol) && !symbols.has(spelling) && !/\s/.test(spelling)) assert.equal(sample.resolve(spelling), symbol, spelling);
    }
  });
});

describe("what the words around a name say", () => {
  const genes = [gene("KL"), gene("GPT2"), gene("BRCA1"), gene("AAA1", ["SFT", "225"]), gene("SELL"), gene("SELPLG"), gene("WAS"), gene("PC3")];
  const matcher = buildMatcher(genes);

  test("short names and spelling rules stay dark on a page not about genes", () => {
    assert.deepEqual(foundAlone(matcher, "After SFT, the KL penalty on GPT-2 fell."), []);
  });

  test("the same names light up on a page about genes, or next to the word gene", () => {
    const unblocked = buildMatcher(genes, []);
    assert.deepEqual(found(unblocked, "After SFT, KL and GPT-2 rose."), [["SFT", "AAA1"], ["KL", "KL"], ["GPT-2", "GPT2"]]);
    assert.deepEqual(foundAlone(unblocked, "the KL gene"), [["KL", "KL"]]);
  });

  test("an approved symbol with a digit lights up anywhere; a bare number never", () => {
    assert.deepEqual(foundAlone(matcher, "BRCA1 and 225"), [["BRCA1", "BRCA1"]]);
  });

  test("a symbol that is an ordinary word needs a list of genes or the word gene", () => {
    assert.deepEqual(found(matcher, "SELL and SELPLG; the WAS gene"), [["SELL", "SELL"], ["SELPLG", "SELPLG"], ["WAS", "WAS"]]);
    assert.deepEqual(found(matcher, "It WAS time to SELL and buy."), []);
  });

  test("a symbol the user blocked stays dark whatever the words say", () => {
    assert.deepEqual(found(buildMatcher(genes, ["BRCA1", ...DEFAULT_BLOCKLIST]), "the BRCA1 gene"), []);
  });

  test("a short name with a small letter after a number is a unit", () => {
    const units = buildMatcher([gene("MB", ["Mb"])], []);
    assert.deepEqual(found(units, "a 2.5 Mb deletion; Mb binds oxygen"), [["Mb", "MB"]]);
  });

  test("a dashed code before cells is a cell line", () => {
    assert.deepEqual(found(matcher, "PC-3 cells and PC-3 expression"), [["PC-3", "PC3"]]);
  });
});

describe("other names in words", () => {
  const genes = [
    { ...named("ESPL1", "extra spindle pole bodies like 1, separase"), names: ["separin", "extra spindle poles like 1 (S. cerevisiae)"] },
    { ...named("TP53", "tumor protein p53"), names: ["Li-Fraumeni syndrome"] },
    { ...named("PTGS2", "prostaglandin-endoperoxide synthase 2"), names: ["cyclooxygenase 2"] },
    { ...named("PPARG", "peroxisome proliferator activated receptor gamma"), names: [] },
  ];
  const matcher = buildMatcher(genes, []);

  test("HGNC's alias and previous names that name a product", () => {
    assert.deepEqual(found(matcher, "separin and cyclooxygenase-2"), [["separin", "ESPL1"], ["cyclooxygenase-2", "PTGS2"]]);
  });

  test("never a disease or a bracketed description among them", () => {
    assert.deepEqual(found(matcher, "Li-Fraumeni syndrome; extra spindle poles like 1"), []);
  });

  test("a Greek letter after a space, as after a dash", () => {
    assert.deepEqual(found(buildMatcher([gene("PPARG"), gene("IFNG")], []), "PPAR gamma and IFN γ"), [["PPAR gamma", "PPARG"], ["IFN γ", "IFNG"]]);
  });
});
