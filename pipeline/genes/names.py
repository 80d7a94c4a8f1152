"""Which gene a name means: the one rule the site, the command line and the extension follow.

The rule lives in :func:`resolve_name`; :class:`NameTables` holds the names it reads. The site
(``backend.genes.selectors.find_gene``) fills the tables from its database, the command line
(:func:`resolve_symbols`) from the gene table, and the extension (``extension/src/shared/matcher.js``,
which cannot import Python) follows the same rule; ``tests/fixtures/name_resolution.json`` is the
shared set of cases that proves all of them give the same answers.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from ..errors import UnknownNameError

if TYPE_CHECKING:
    import pandas as pd

# How a name matched; the site's GeneName kinds use the same words for the last two.
SYMBOL = "symbol"
PREVIOUS = "previous"
ALIAS = "alias"


class Resolution(NamedTuple):
    symbol: str
    matched_by: str  # SYMBOL, PREVIOUS or ALIAS


@dataclass(frozen=True)
class NameTables:
    """The names genes answer to: approved symbols, and who owns each previous symbol and alias.

    Only the entries for the name being resolved are ever read, so a caller may pass tables that
    hold just those (the site does: it loads the rows for one name, not the catalogue).
    """

    symbols: frozenset[str] = frozenset()
    previous: Mapping[str, frozenset[str]] = field(default_factory=dict)
    aliases: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_genes(cls, genes: Iterable[tuple[str, Iterable[str] | None, Iterable[str] | None]]) -> NameTables:
        """Tables from ``(symbol, previous symbols, aliases)`` per gene; a missing list counts as empty."""
        symbols: set[str] = set()
        previous: defaultdict[str, set[str]] = defaultdict(set)
        aliases: defaultdict[str, set[str]] = defaultdict(set)
        for symbol, previous_symbols, gene_aliases in genes:
            symbols.add(symbol)
            for name in () if previous_symbols is None else previous_symbols:
                previous[name].add(symbol)
            for name in () if gene_aliases is None else gene_aliases:
                aliases[name].add(symbol)
        return cls(
            frozenset(symbols),
            {name: frozenset(owners) for name, owners in previous.items()},
            {name: frozenset(owners) for name, owners in aliases.items()},
        )


def deciding_tier(name: str, tables: NameTables) -> tuple[str, frozenset[str]] | None:
    """The first kind of name (symbol, previous, alias) that ``name`` is, and the genes it names
    as that kind; None when it is no gene's name at all. :func:`resolve_name` explains the order."""
    if name in tables.symbols:
        return SYMBOL, frozenset((name,))
    for matched_by, owners_by_name in ((PREVIOUS, tables.previous), (ALIAS, tables.aliases)):
        owners = owners_by_name.get(name)
        if owners:
            return matched_by, frozenset(owners)
    return None


def resolve_name(name: str, tables: NameTables) -> Resolution | None:
    """The gene ``name`` means, and how it matched; None when it means no gene or several.

    Names are compared exactly as written (``p53`` is not ``P53``). The kinds of name are tried in
    this order, and the first kind that ``name`` turns out to be decides:

    1. **An approved symbol** is always that gene, even when it is also another gene's previous
       symbol or alias: the current official name is the one people and databases use.
    2. **A previous symbol** is the gene that once had it as its official symbol, if exactly one
       gene did. It beats an alias of another gene: a former official symbol is a stronger claim
       than an informal name collected from the literature.
    3. **An alias** is its gene, if exactly one gene has it.

    A name shared by several genes at the first kind where it appears means none of them, and is
    not tried as an alias after that: a previous symbol that two genes have held (a gene that was
    split, a symbol that was reused) could be either of them in a text, and picking a third gene
    merely because it also has the name as an alias would be a confident wrong answer.
    """
    tier = deciding_tier(name, tables)
    if tier is None or len(tier[1]) != 1:
        return None
    matched_by, (symbol,) = tier
    return Resolution(symbol, matched_by)


# Publication spellings, the rules of the extension's matcher (extension/src/shared/matcher.js, ``resolve``):
# keep the two in step. Greek letters as the Latin capitals HGNC writes for them (TNF-α → TNF-A) ...
GREEK_LETTERS = {
    "α": "A", "β": "B", "γ": "G", "δ": "D", "ε": "E", "ζ": "Z",  # noqa: RUF001
    "η": "H", "θ": "Q", "ι": "I", "κ": "K", "λ": "L", "μ": "M",  # noqa: RUF001
}  # fmt: skip
# ... also spelled out, but only right after a capital, a digit or a dash (TNFalpha, HIF-1alpha), never at
# the start of an ordinary word (alphabet) ...
SPELLED_GREEK = {"alpha": "A", "beta": "B", "gamma": "G", "delta": "D", "epsilon": "E", "kappa": "K"}
_SPELLED = re.compile("|".join(SPELLED_GREEK))
# ... and IL-6, MMP-9, TGF-B1 without the dash: a capitalised stem of two or more characters (not the B
# of B-52), a dash, then a number or a converted Greek letter.
_DASHED = re.compile(r"([^\W\d_a-z][^\W_a-z]+)-(\d\w*|[A-Z](?:\d\w*)?)")


def _dashes(name: str) -> str:
    """Any dash (a hyphen, an en dash, a minus sign...) as ``-``, as the matcher joins a name's parts."""
    return "".join("-" if ch == "\u2212" or unicodedata.category(ch) == "Pd" else ch for ch in name)


def _latin(name: str) -> str:
    name = "".join(GREEK_LETTERS.get(ch, ch) for ch in name)

    def spelled(match: re.Match) -> str:
        before = name[match.start() - 1] if match.start() else ""
        return SPELLED_GREEK[match.group()] if before == "-" or before.isupper() or before.isdigit() else match.group()

    return _SPELLED.sub(spelled, name)


def publication_spellings(name: str) -> list[str]:
    """The names a spelling from publications may stand for, in the order the extension's matcher tries
    them, without ``name`` itself: Greek letters as Latin capitals (``TNF-α`` → ``TNF-A``), then without
    the dash before a number or a converted Greek letter (``TNF-A`` → ``TNFA``, ``IL-6`` → ``IL6``).
    Only names with a capital letter are respelled, as in the matcher (``alphabet`` stays itself)."""
    original = name
    name = _dashes(name)
    if not any(ch.isupper() for ch in name):
        return []
    latin = _latin(name)
    found = [latin]
    dashed = _DASHED.fullmatch(latin)
    if dashed and (latin != name or dashed.group(2)[0].isdigit()):
        found.append(dashed.group(1) + dashed.group(2))
    return [spelling for spelling in dict.fromkeys(found) if spelling != original]


class UnknownGeneError(UnknownNameError):
    """Names that are no gene's approved symbol, previous symbol or alias, or that name several genes."""


def resolve_symbols(requested: Iterable[str], genes: pd.DataFrame) -> list[str]:
    """Approved symbols for the requested names, in order without repeats, by :func:`resolve_name`.

    ``genes`` has the gene table's ``symbol``, ``prev_symbols`` and ``aliases`` columns. Every name
    that resolves to no gene is reported in one :class:`UnknownGeneError`, ambiguous ones with the
    genes they could mean, so a long ``--genes`` list is fixed in one go.
    """
    tables = NameTables.from_genes(zip(genes["symbol"], genes["prev_symbols"], genes["aliases"], strict=True))
    resolved: list[str] = []
    unknown: list[str] = []
    ambiguous: list[str] = []
    for name in requested:
        resolution = resolve_name(name, tables)
        if resolution is not None:
            resolved.append(resolution.symbol)
            continue
        tier = deciding_tier(name, tables)
        if tier is None:
            unknown.append(name)
        else:
            kind = "previous symbol" if tier[0] == PREVIOUS else "alias"
            ambiguous.append(f"{name} ({kind} of {' or '.join(sorted(tier[1]))})")
    problems = ([f"unknown gene symbol(s): {', '.join(unknown)}"] if unknown else []) + (
        [f"ambiguous gene name(s): {', '.join(ambiguous)}"] if ambiguous else []
    )
    if problems:
        raise UnknownGeneError("; ".join(problems))
    return list(dict.fromkeys(resolved))
