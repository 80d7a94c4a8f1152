"""Turn the gene table into the characters' traits table.

One row per gene, columns exactly :data:`TRAIT_COLUMNS`. Every value is a
pure function of the gene table and the mapping tables in
``gene_data/mappings``, so two builds give identical files.  The one exception
is opt-in: a sample source such as ``--writer llm`` (:mod:`.llm`) may write the
samples, and then the table is a function of its cache as well.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import pandas as pd
import pandera.pandas as pa

from ..paths import GENE_DATA
from ..records import TRAIT_COLUMNS, Faction, Sex, values
from ..sources.base import SourceError, read_table
from . import colour, rules, text
from .aesthetics import AestheticMapping, gene_aesthetics, load_mapping
from .family import family_table

STEM_FEATURES_CSV = GENE_DATA / "mappings" / "stem_features.csv"


_HEX = r"^#[0-9a-f]{6}$"

#: Writes the samples of a whole table: one ``(version, text)`` per gene record, in order.
SampleSource = Callable[[Sequence[Mapping[str, Any]]], list[tuple[int, str]]]

TRAITS_SCHEMA = pa.DataFrameSchema(
    {
        "symbol": pa.Column(str, unique=True),
        "sex": pa.Column(str, pa.Check.isin(values(Sex))),
        "weight_kg": pa.Column(float, pa.Check.gt(0), nullable=True),
        "age": pa.Column("Int64", nullable=True),
        "aesthetics": pa.Column(object, pa.Check(lambda s: s.map(lambda v: 1 <= len(v) <= 4))),
        "aesthetic_clans": pa.Column(object),
        "aesthetic_fallback": pa.Column(bool),
        "family": pa.Column(str),
        "family_size": pa.Column("Int64", pa.Check.ge(1)),
        "feature": pa.Column(str),
        "hue": pa.Column(float, pa.Check.in_range(0, 360), nullable=True),
        "saturation": pa.Column(float, pa.Check.in_range(0, 1)),
        "lightness": pa.Column(float, pa.Check.in_range(0, 1)),
        "color_hex": pa.Column(str, pa.Check.str_matches(_HEX)),
        "text_color_hex": pa.Column(str, pa.Check.isin(["#000000", "#ffffff"])),
        "color_name": pa.Column(str),
        "faction": pa.Column(str, pa.Check.isin(values(Faction))),
        "sample_label": pa.Column(str),
        "sample": pa.Column(str),
        "tags": pa.Column(str),
    },
    strict=True,
    ordered=True,
)


def load_stem_features(path: Path = STEM_FEATURES_CSV) -> dict[str, str]:
    """Family stem -> fantastic feature."""
    frame = read_table(path, ["stem", "feature"], sep=",", dtype=str)
    duplicated = frame.loc[frame["stem"].duplicated(), "stem"].tolist()
    if duplicated:
        raise SourceError(f"{path}: stems listed twice: {duplicated[:10]}")
    return dict(zip(frame["stem"], frame["feature"].fillna(""), strict=True))


def molecular_traits(genes: pd.DataFrame, mapping: AestheticMapping, features: dict[str, str]) -> pd.DataFrame:
    """Every trait except the text: body, family, styles, colour and faction."""
    families = family_table(genes["symbol"])
    styles = [
        gene_aesthetics(list(clans), mapping.clan_to_aesthetic, family, mapping.fallback_pool)
        for clans, family in zip(genes["clans"], families["stem"], strict=True)
    ]
    colours = colour.colour_table(genes)
    return pd.DataFrame(
        {
            "symbol": genes["symbol"].astype(str),
            "sex": rules.sex(genes["transmembrane"]),
            "weight_kg": rules.weight_kg(genes["mass_da"]).astype(float),
            "age": rules.age(genes["discovery_year"]),
            "aesthetics": [s[0] for s in styles],
            "aesthetic_clans": [s[1] for s in styles],
            "aesthetic_fallback": [s[2] for s in styles],
            "family": families["stem"].astype(str),
            "family_size": families["family_size"].astype("Int64"),
            "feature": families["stem"].map(features).fillna("").astype(str),
            "hue": colours["hue"].astype(float),
            "saturation": colours["saturation"].astype(float),
            "lightness": colours["lightness"].astype(float),
            "color_hex": colours["color_hex"].astype(str),
            "text_color_hex": colours["text_color_hex"].astype(str),
            "color_name": colours["color_name"].astype(str),
            "faction": rules.faction(genes["cancer_role"]),
        },
        index=genes.index,
    )


def deterministic_samples(records: Sequence[Mapping[str, Any]]) -> list[tuple[int, str]]:
    """The default sample source: version 1, written offline by :func:`text.write_sample`."""
    return [(1, text.write_sample(record, 1)) for record in records]


def add_text(traits: pd.DataFrame, genes: pd.DataFrame, samples: SampleSource = deterministic_samples) -> pd.DataFrame:
    """sample_label, sample (the character description) and tags, from the traits and the gene facts.

    Tags are derived from whichever sample was written, so they describe that text.
    """
    facts = genes[["symbol", "name", "summary", "transmembrane", "clan_names"]].set_index("symbol")
    # column labels are strings; pandas types them as Hashable
    records = cast(list[dict[str, Any]], traits.join(facts, on="symbol").to_dict("records"))
    written = samples(records)
    traits = traits.copy()
    versions = [version for version, _ in written]
    traits["sample_label"] = [text.sample_label(s, v) for s, v in zip(traits["symbol"], versions, strict=True)]
    traits["sample"] = [sample for _, sample in written]
    traits["tags"] = [text.tags_for(record, sample) for record, (_, sample) in zip(records, written, strict=True)]
    return traits


def build_traits(
    genes: pd.DataFrame,
    mapping: AestheticMapping | None = None,
    features: dict[str, str] | None = None,
    samples: SampleSource = deterministic_samples,
) -> pd.DataFrame:
    """The full traits table, validated against :data:`TRAITS_SCHEMA`; ``samples`` writes the descriptions."""
    mapping = mapping or load_mapping()
    features = load_stem_features() if features is None else features
    traits = add_text(molecular_traits(genes, mapping, features), genes, samples)
    traits = traits[TRAIT_COLUMNS].reset_index(drop=True)
    TRAITS_SCHEMA.validate(traits, lazy=True)
    return traits
