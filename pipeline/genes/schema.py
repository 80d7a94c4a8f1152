"""Declared schema of genes.parquet, checked before anything is written."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..records import CancerRole, DiscoveryYearSource, MassSource, TransmembraneSource, values


def _is_string_list(values: pd.Series) -> pd.Series:
    return values.map(lambda v: isinstance(v, list) and all(isinstance(x, str) and x for x in v))


def _string_list() -> pa.Column:
    return pa.Column(object, pa.Check(_is_string_list, error="must be a list of non-empty strings"))


def _no_duplicates_in_list(values: pd.Series) -> pd.Series:
    return values.map(lambda v: len(v) == len(set(v)))


GENE_TABLE = pa.DataFrameSchema(
    {
        "symbol": pa.Column(str, pa.Check.str_matches(r"^\S+$"), unique=True),
        "name": pa.Column(str),
        "hgnc_id": pa.Column(str, pa.Check.str_matches(r"^HGNC:\d+$"), unique=True),
        "entrez_id": pa.Column("Int64", pa.Check.gt(0), nullable=True),
        "ensembl_id": pa.Column(str, pa.Check.str_matches(r"^ENSG\d+$"), nullable=True),
        "uniprot_id": pa.Column(str, nullable=True),
        "aliases": _string_list(),
        "prev_symbols": _string_list(),
        "names": _string_list(),
        "length": pa.Column("Int64", pa.Check.gt(0), nullable=True),
        "mass_da": pa.Column(float, pa.Check.gt(0), nullable=True),
        "mass_source": pa.Column(str, pa.Check.isin(values(MassSource))),
        "isoforms": pa.Column("Int64", pa.Check.ge(1), nullable=True),
        "transmembrane": pa.Column("boolean", nullable=True),
        "transmembrane_source": pa.Column(str, pa.Check.isin(values(TransmembraneSource))),
        "loeuf": pa.Column(float, pa.Check.ge(0), nullable=True),
        "tau": pa.Column(float, pa.Check.in_range(0, 1), nullable=True),
        "clans": pa.Column(
            object,
            [
                pa.Check(_is_string_list, error="must be a list of non-empty strings"),
                pa.Check(_no_duplicates_in_list, error="clans must not repeat"),
            ],
        ),
        "clan_names": _string_list(),
        "discovery_year": pa.Column("Int64", nullable=True),
        "discovery_pmid": pa.Column("Int64", pa.Check.gt(0), nullable=True),
        "discovery_year_source": pa.Column(str, pa.Check.isin(values(DiscoveryYearSource))),
        "summary": pa.Column(str),
        "cancer_role": pa.Column(str, pa.Check.isin(values(CancerRole)), nullable=True),
    },
    strict=True,
    ordered=True,
    checks=[
        pa.Check(
            lambda df: df["clans"].map(len) == df["clan_names"].map(len), error="clans and clan_names differ in length"
        ),
        pa.Check(
            lambda df: df["mass_da"].isna() == (df["mass_source"] == "missing"),
            error="mass_source disagrees with mass_da",
        ),
        pa.Check(
            lambda df: df["discovery_pmid"].notna() == df["discovery_year_source"].isin(["pubmed", "pubmed_estimated"]),
            error="discovery_pmid must be set exactly for publication-based years",
        ),
    ],
)


def validate(table: pd.DataFrame, current_year: int) -> pd.DataFrame:
    """Check the table against the schema and the year bound; raise SchemaError on failure."""
    GENE_TABLE.validate(table, lazy=True)
    too_late = table["discovery_year"].dropna() > current_year
    if too_late.any():
        raise pa.errors.SchemaError(
            GENE_TABLE, table, f"discovery_year later than {current_year} for {int(too_late.sum())} genes"
        )
    return table
