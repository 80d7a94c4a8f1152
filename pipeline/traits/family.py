"""Family surnames: the stem of a gene symbol.

A gene's *stem* is the family part of its HGNC symbol, the letters before the
member number: ``OR51E2`` and ``OR1A1`` are both of family ``OR``, ``IL1B`` and
``IL6`` of family ``IL``.  Members of one stem share a surname and a fantastic
feature (``gene_data/mappings/stem_features.csv``).

The rule, applied to the upper-cased symbol:

1. **Chromosome open reading frames** (``C9orf72``, ``CXorf38``) all get the stem
   ``ORF``: the leading ``C`` is not a family name, the whole pattern is.
2. **Letter run.** Take the leading run of letters, stopping at the first
   character that is not a letter (a digit, ``-``, ``_``): ``FOXP3 -> FOXP``,
   ``HLA-DRB1 -> HLA``, ``NKX2-1 -> NKX``, ``APOBEC3A_B -> APOBEC``.
3. **Single-letter runs** carry no family on their own (``C3``, ``F8``, ``H2AC1``,
   ``S100A8``, ``B3GALT1``), so the stem is the letter plus the digits that follow:
   ``C3``, ``F8``, ``H2``, ``S100``, ``B3``.  (Histones therefore split by
   histone number: ``H1-0 -> H1``, ``H2BC1 -> H2``.)
4. **Subfamily letter.** Many families number their subfamilies with a letter
   before the member number (``FOXA1``, ``FOXB1``, ``FOXP3``; ``ABCA1``,
   ``ABCB1``; ``KCNA1``, ``KCNJ11``).  A run ending in letter *x* right before a
   digit is shortened to its prefix *P* when *P* is a *class prefix*: at least
   three letters long, and, among all symbols, ``P`` followed by a single letter
   and then a digit occurs with at least three different letters including both
   ``A`` and ``B`` (a lettered series starts at A).  ``BRCA1`` keeps ``BRCA``
   (``BRC`` is followed only by A and C), ``TP53`` keeps ``TP`` and ``CYP1A1``
   keeps ``CYP`` (``T`` and ``CY`` are too short to be class prefixes).
5. **Symbols without digits** (``SHH``, ``INS``, ``TTN``) keep their whole letter
   run, usually a family of one; the subfamily-letter step is not applied to
   them because their last letter is not followed by a member number.

Step 4 needs the whole symbol set, so :func:`family_stems` is the function the
pipeline uses.  :func:`symbol_stem` applies the same rule to one symbol with a
given set of class prefixes, by default :data:`DEFAULT_CLASS_PREFIXES` (a
snapshot of what :func:`class_prefixes` finds in the HGNC protein-coding set).
Everything is deterministic: no randomness, and the result does not depend on
the order of the symbols.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

import pandas as pd

ORF_STEM = "ORF"
_ORF = re.compile(r"^C(\d+|X|Y)ORF\d+")
_LEADING = re.compile(r"^([A-Z]+)(\d*)")

#: Minimum length of a class prefix (step 4); shorter prefixes like ``CY`` or
#: ``NA`` are too ambiguous to merge families on.
MIN_CLASS_PREFIX = 3
#: Minimum number of distinct subfamily letters (step 4).
MIN_SUBFAMILY_LETTERS = 3

#: Class prefixes found by :func:`class_prefixes` on the HGNC protein-coding
#: symbols of the 2025 build; used by :func:`symbol_stem` when no symbol set is given.
DEFAULT_CLASS_PREFIXES: frozenset[str] = frozenset(
    """ABC ADGR ADR CACN CCN CRYB CTNN DMRT DNAJ EPH FOX GABR HMG HOX HSP IFN IQC KCN
    LAM MAGE NDUF PLEKH PLXN PRKA PSM SCAR SERPIN SMARC SNRP SNT SPANX TUB""".split()
)


def _parts(symbol: str) -> tuple[str, str, bool]:
    """(letter run, digits right after it, whether a digit follows the run)."""
    upper = str(symbol).strip().upper()
    if _ORF.match(upper):
        return ORF_STEM, "", False
    match = _LEADING.match(upper)
    if match is None:  # starts with a non-letter: the symbol is its own family
        return upper, "", False
    letters, digits = match.group(1), match.group(2)
    return letters, digits, bool(digits)


def class_prefixes(symbols: Iterable[str]) -> frozenset[str]:
    """Prefixes whose single-letter extensions form a lettered subfamily series (step 4)."""
    seen: dict[str, set[str]] = defaultdict(set)
    for symbol in symbols:
        letters, _, numbered = _parts(symbol)
        if numbered and len(letters) > MIN_CLASS_PREFIX:
            seen[letters[:-1]].add(letters[-1])
    return frozenset(
        prefix
        for prefix, found in seen.items()
        if len(prefix) >= MIN_CLASS_PREFIX and len(found) >= MIN_SUBFAMILY_LETTERS and {"A", "B"} <= found
    )


def symbol_stem(symbol: str, prefixes: frozenset[str] | None = None) -> str:
    """The family stem of one symbol (see the module docstring for the rule).

    ``prefixes`` are the class prefixes of step 4; by default the snapshot
    :data:`DEFAULT_CLASS_PREFIXES`.

    >>> [symbol_stem(s) for s in ["OR1A1", "ZNF91", "IL6", "IL1B", "FOXP3", "BRCA1", "TP53"]]
    ['OR', 'ZNF', 'IL', 'IL', 'FOX', 'BRCA', 'TP']
    """
    prefixes = DEFAULT_CLASS_PREFIXES if prefixes is None else prefixes
    letters, digits, numbered = _parts(symbol)
    if len(letters) == 1:
        return letters + digits
    if numbered and letters[:-1] in prefixes:
        return letters[:-1]
    return letters


def family_stems(symbols: pd.Series) -> pd.Series:
    """Stem of every symbol, class prefixes computed from this set of symbols."""
    prefixes = class_prefixes(symbols.dropna().astype(str))
    return symbols.map(lambda s: symbol_stem(s, prefixes) if isinstance(s, str) else None).rename("stem")


def family_sizes(stems: pd.Series) -> pd.Series:
    """Members per stem, aligned with ``stems`` (each gene gets the size of its family)."""
    counts = stems.value_counts()
    return stems.map(counts).astype("Int64").rename("family_size")


def family_table(symbols: pd.Series) -> pd.DataFrame:
    """``symbol``, ``stem`` and ``family_size`` for every symbol."""
    stems = family_stems(symbols)
    return pd.DataFrame(
        {"symbol": symbols.to_numpy(), "stem": stems.to_numpy(), "family_size": family_sizes(stems).to_numpy()},
        index=symbols.index,
    )
