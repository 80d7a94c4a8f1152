"""The records that cross the boundary between the pipeline and the site, each defined once.

A gene's row is its molecular facts (``genes.parquet``, :class:`GeneFacts`) plus its character
(``traits.parquet``, :class:`Traits`); an emulsion is a named image style (:class:`Emulsion`).
The tables' column lists, the pandera checks of their categorical columns, the site's model
fields and their ``choices`` all come from these definitions (or are checked against them in
the tests), so a new column or a new category is added here and nowhere else.

No pandas and no Django here: both sides import this module.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum


class MassSource(StrEnum):
    UNIPROT_SEQUENCE = "uniprot_sequence"
    ESTIMATED_FROM_LENGTH = "estimated_from_length"
    MISSING = "missing"


class TransmembraneSource(StrEnum):
    UNIPROT_ANNOTATION = "uniprot_annotation"
    TMHMM = "tmhmm"
    TMHMM_HPA = "tmhmm+hpa"
    HPA = "hpa"
    MISSING = "missing"


class DiscoveryYearSource(StrEnum):
    PUBMED = "pubmed"
    PUBMED_ESTIMATED = "pubmed_estimated"
    HGNC_APPROVAL = "hgnc_approval"
    HGNC_APPROVAL_FLOOR = "hgnc_approval_floor"
    MISSING = "missing"


class CancerRole(StrEnum):
    ONCOGENE = "oncogene"
    TUMOR_SUPPRESSOR = "tumor_suppressor"
    BOTH = "both"
    NONE = "none"


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class Faction(StrEnum):
    PRO_GROWTH = "pro-growth"
    PRO_CONTROL = "pro-control"
    TURNCOAT = "turncoat"
    NONE = "none"


class Sampler(StrEnum):
    EULER = "euler"
    EULER_A = "euler_a"
    DPMPP_2M = "dpmpp_2m"
    DPMPP_2M_KARRAS = "dpmpp_2m_karras"
    DDIM = "ddim"
    PNDM = "pndm"
    LMS = "lms"
    HEUN = "heun"
    UNIPC = "unipc"


class Palette(StrEnum):
    NATURAL = "natural"
    PASTEL = "pastel"
    NOIR = "noir"
    SEPIA = "sepia"
    DUOTONE = "duotone"
    NEON = "neon"
    MUTED = "muted"
    VIVID = "vivid"
    RISOGRAPH = "risograph"
    WATERCOLOUR = "watercolour"


class Texture(StrEnum):
    NONE = "none"
    GRAIN = "grain"
    HALFTONE = "halftone"
    HATCHING = "hatching"
    PAPER = "paper"
    SCANLINES = "scanlines"
    CANVAS = "canvas"
    STIPPLE = "stipple"


class Finish(StrEnum):
    """How the procedural renderer finishes an emulsion's look (``pipeline.render.styles``).

    ``diffusion_only`` marks a style the procedural renderer cannot honestly draw (photographs,
    3D, sculpture, oil paint, fibre crafts): it is never offered for procedural portraits.
    """

    DRAWN = "drawn"
    PIXEL_COARSE = "pixel_coarse"
    PIXEL_FINE = "pixel_fine"
    MOSAIC = "mosaic"
    LINE_ART = "line_art"
    LIGHT_LINE = "light_line"
    WOODBLOCK = "woodblock"
    HALFTONE = "halftone"
    WATERCOLOUR = "watercolour"
    INK = "ink"
    DIFFUSION_ONLY = "diffusion_only"


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The enum's values in declaration order (for ``isin`` checks and model choices)."""
    return tuple(member.value for member in enum)


@dataclass(frozen=True)
class GeneFacts:
    """One row of ``genes.parquet``: what is known about the gene, with where each fact came from."""

    symbol: str
    name: str
    hgnc_id: str
    entrez_id: int | None
    ensembl_id: str | None
    uniprot_id: str | None
    aliases: list[str]
    prev_symbols: list[str]
    names: list[str]  # other names in words (HGNC alias and previous names), for finding mentions
    length: int | None
    mass_da: float | None
    mass_source: MassSource
    isoforms: int | None
    transmembrane: bool | None
    transmembrane_source: TransmembraneSource
    loeuf: float | None
    tau: float | None
    clans: list[str]
    clan_names: list[str]
    discovery_year: int | None
    discovery_pmid: int | None
    discovery_year_source: DiscoveryYearSource
    summary: str
    cancer_role: CancerRole | None


@dataclass(frozen=True)
class Traits:
    """One row of ``traits.parquet``: the character the facts become (rules in the README)."""

    symbol: str
    sex: Sex
    weight_kg: float | None
    age: int | None
    aesthetics: list[str]
    aesthetic_clans: list[str]
    aesthetic_fallback: bool
    family: str
    family_size: int
    feature: str
    hue: float | None
    saturation: float
    lightness: float
    color_hex: str
    text_color_hex: str
    color_name: str
    faction: Faction
    sample_label: str
    sample: str
    tags: str


@dataclass(frozen=True)
class Emulsion:
    """A numbered, named image style (``gene_data/emulsions.csv``; ids such as ``E0042`` are stable forever).

    The diffusion renderer uses the words, sampler, steps, guidance and size; the procedural
    renderer the line weight, palette, texture and finish (its style family; ``diffusion_only``
    ones it never draws). ``artists`` is private: never shown publicly.
    """

    emulsion_id: str
    name: str
    style_words: str
    negative_words: str
    sampler: Sampler
    steps: int
    guidance: float
    width: int
    height: int
    line_weight: float
    palette: Palette
    texture: Texture
    finish: Finish = Finish.DRAWN
    artists: str = ""

    @property
    def procedural(self) -> bool:
        """Whether the procedural renderer draws this style (offered for procedural portraits)."""
        return self.finish != Finish.DIFFUSION_ONLY

    @property
    def public(self) -> dict:
        """Every field except the private artist names."""
        return {name: getattr(self, name) for name in field_names(Emulsion) if name != "artists"}


def field_names(record: type) -> list[str]:
    """The record's field names in declaration order: a table's columns."""
    return [field.name for field in fields(record)]


GENE_COLUMNS = field_names(GeneFacts)
TRAIT_COLUMNS = field_names(Traits)
EMULSION_COLUMNS = field_names(Emulsion)
# Every column of the two gene tables, symbol once: a gene's row (the site's Gene model has exactly these fields).
ROW_FIELDS = list(dict.fromkeys([*GENE_COLUMNS, *TRAIT_COLUMNS]))
