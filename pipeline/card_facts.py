"""Which molecular fact each trait of a character encodes: the one rule the card, the gene page and the decks use.

A gene is read as one row of the gene and traits tables (the field names of
:data:`pipeline.records.GENE_COLUMNS` and :data:`pipeline.records.TRAIT_COLUMNS`, with plain Python
values: None for a missing value, lists for list columns), so the site passes ``Gene.row()`` and
the command line a row of :func:`pipeline.catalogue.catalogue_rows`, and both get the same words.
No pandas and no Django here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .records import DiscoveryYearSource, MassSource

PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
FACTION_ORIGINS = {
    "pro-growth": "oncogene (OncoKB)",
    "pro-control": "tumour suppressor (OncoKB)",
    "turncoat": "both oncogene and tumour suppressor (OncoKB)",
    "none": "no cancer role (OncoKB)",
}
MEMBRANE_ORIGINS = {True: "transmembrane", False: "soluble", None: "membrane status unknown (read as soluble)"}
# How many Pfam clans the style line names when the traits do not say which clans gave the aesthetics.
CLANS_NAMED = 4

Row = Mapping[str, Any]


def _number(value: float | None, digits: int = 2) -> str:
    return "unknown" if value is None else f"{value:.{digits}f}"


def discovery_text(row: Row) -> str:
    """Where the age comes from, in plain words: the first publication (exact or estimated year), else the fallback."""
    year, source, pmid = row["discovery_year"], row["discovery_year_source"], row["discovery_pmid"]
    if year is None:
        return "no dated publication and no HGNC date: year unknown"
    if source == DiscoveryYearSource.PUBMED and pmid:
        return f"first described {year} (PMID {int(pmid)})"
    if source == DiscoveryYearSource.PUBMED_ESTIMATED and pmid:
        return f"first described ~{year} (PMID {int(pmid)}, year estimated from the id)"
    if source == DiscoveryYearSource.HGNC_APPROVAL_FLOOR:
        return "no dated publication found: named by HGNC before 1986 (read as 1986)"
    return f"no dated publication found: named by HGNC in {year}"


def discovery_url(row: Row) -> str | None:
    """The PubMed record the year comes from, when it comes from one."""
    pmid = row["discovery_pmid"]
    return PUBMED_URL.format(pmid=int(pmid)) if pmid else None


def _mass_text(row: Row) -> str:
    if row["mass_da"] is None:
        return "unknown mass"
    estimated = " (estimated from length)" if row["mass_source"] == MassSource.ESTIMATED_FROM_LENGTH else ""
    return f"{row['mass_da'] / 1000:.1f} kDa{estimated}"


def _style_origin(row: Row) -> str:
    if row["aesthetic_fallback"]:
        return f"no Pfam clan: family {row['family']} fallback style"
    clans = ", ".join(list(row["clan_names"])[: len(row["aesthetic_clans"]) or CLANS_NAMED])
    return f"Pfam clans {clans}"


def trait_origins(row: Row) -> list[dict]:
    """Each trait with its value and the molecular fact it encodes (``url``: the paper the age comes from)."""
    family_size = row["family_size"]
    return [
        {"trait": "sex", "value": row["sex"], "origin": MEMBRANE_ORIGINS[row["transmembrane"]]},
        {
            "trait": "weight",
            "value": f"{row['weight_kg']} kg" if row["weight_kg"] is not None else "unknown",
            "origin": _mass_text(row),
        },
        {"trait": "age", "value": row["age"], "origin": discovery_text(row), "url": discovery_url(row)},
        {"trait": "aesthetics", "value": row["aesthetics"], "origin": _style_origin(row)},
        {
            "trait": "feature",
            "value": row["feature"] or "none",
            "origin": f"family {row['family']} ({family_size} member{'s' if family_size != 1 else ''})",
        },
        {
            "trait": "colour",
            "value": f"{row['color_name']} {row['color_hex']}",
            "origin": f"hue ← letter {row['symbol'][:1].upper()}, saturation ← tau {_number(row['tau'])}, "
            f"lightness ← LOEUF {_number(row['loeuf'])}",
        },
        {
            "trait": "faction",
            "value": row["faction"],
            "origin": FACTION_ORIGINS.get(row["faction"], row["cancer_role"]),
        },
    ]


def _value_text(origin: dict) -> str:
    """A trait's value as a reviewer reads it: a bare number says which trait it is."""
    value = origin["value"]
    if origin["trait"] == "age":
        return f"age {'unknown' if value is None else value}"
    if origin["trait"] == "aesthetics":
        return ", ".join(value) or "no aesthetics"
    if origin["trait"] in ("feature", "faction") and value == "none":
        return f"no {origin['trait']}"
    return str(value)


def fact_lines(row: Row) -> list[str]:
    """One short ``value ← fact`` line per trait (``43.7 kg ← 43.7 kDa``, ``age 38 ← first described 1982 …``)."""
    return [f"{_value_text(origin)} ← {origin['origin']}" for origin in trait_origins(row)]
