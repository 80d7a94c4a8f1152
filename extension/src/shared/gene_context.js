// What the words around a name say about it: whether a page is about biology, whether a name sits
// in a list of genes or before "gene", whether a code names a cell line. Pure, like matcher.js.

// Words that, two or more of them on a page, make it a page about genes and their products. Kept
// to words ordinary technical prose does not use in their own sense (not "expression", "cell",
// "variant" or "pathway", which software and finance use too).
const BIOLOGY_WORD =
  /\b(?:genes?|genetic|genomes?|genomic|proteins?|mRNAs?|transcripts?|transcriptional|mutations?|mutants?|mutated|alleles?|polymorphisms?|enzymes?|kinases?|receptors?|antibod(?:y|ies)|tumou?rs?|cancers?|carcinomas?|phosphorylation|knock(?:down|out)s?|chromosomes?|chromosomal|DNA|RNA|apoptosis|promoters?|isoforms?|patients?|cDNA|siRNA|in vitro|in vivo|ligands?|homologs?|mice|murine)\b/giu;

/** The distinct biology words in `text`, lower case. */
export function biologyWords(text) {
  return new Set([...text.matchAll(BIOLOGY_WORD)].map((word) => word[0].toLowerCase()));
}

// Whether one of `words` (alternatives of a regular expression) follows, after spaces or a dash.
const followedBy = (words) => new RegExp(`^[\\s\\p{Pd}]*(?:${words})\\b`, "iu");

// What follows a symbol when the text means the gene or its product: "the WAS gene", "SELL
// expression", "INS mRNA".
const GENE_NOUN_AFTER = followedBy(
  "genes?|proteins?|mRNAs?|transcripts?|promoters?|locus|loci|expression|mutations?|mutants?|variants?|alleles?|deficiency|knock(?:down|out)s?|isoforms?|polymorphisms?|receptors?|kinases?|signal+ing|levels?|activity|[+-]\\/[+-]",
);
const GENE_NOUN_BEFORE = /\b(?:genes?|proteins?|encoding|encodes)[\s:]*$/iu;
// Between two names of one list: "SELL and SELPLG", "SELL, SELPLG", "SELL/SELPLG".
export const LIST_GAP = /^\s*(?:,|\/|;|\band\b|\bor\b|,\s*and\b|,\s*or\b)\s*$/u;

/** Whether the words around text[start, end) say "gene" (gene, protein, mRNA just after or before). */
export function saysGene(text, start, end) {
  return GENE_NOUN_AFTER.test(text.slice(end, end + 40)) || GENE_NOUN_BEFORE.test(text.slice(Math.max(0, start - 20), start));
}

// What follows a name only when it means a gene: "VHL-deficient", "APC mutation", "the VHL
// protein". Strong enough to undo a definition that made the page's short form something else
// ("von Hippel-Lindau (VHL)" names the disease and the gene after it).
const GENE_EVIDENCE_AFTER = followedBy(
  "genes?|proteins?|mRNAs?|transcripts?|promoters?|alleles?|mutations?|mutated|mutant|deficient|deficiency|null|knock(?:down|out)s?|expression|variants?",
);

/** Whether what follows text[…, end) says it is a gene (mutation, protein, -deficient…). */
export function followedByGeneEvidence(text, end) {
  return GENE_EVIDENCE_AFTER.test(text.slice(end, end + 30));
}

// "PC-3 cells", "THP-1 cell line", "in HeLa cells": a dashed code followed by "cells" names a line.
const CELLS_AFTER = followedBy("cells?|cell[\\s\\p{Pd}]lines?|xenografts?|tumou?rs");

/** Whether text[start, end) is followed by "cells" or "cell line", as cell lines are. */
export function namesCells(text, end) {
  return CELLS_AFTER.test(text.slice(end, end + 24));
}
