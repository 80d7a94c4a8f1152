"""One definition of each record: the site's models and the pipeline's table schemas come from
:mod:`pipeline.records` (field lists and enums), and these tests hold them to it."""

from __future__ import annotations

import dataclasses
import typing
from enum import StrEnum

import pytest
from django.core.exceptions import ValidationError

from backend.genes.models import Gene
from backend.portraits.models import Emulsion
from pipeline import records
from pipeline.genes.schema import GENE_TABLE
from pipeline.traits.build import TRAITS_SCHEMA

SITE_ONLY = {Gene: {"id", "updated_at"}, Emulsion: {"id", "blocked"}}


def model_fields(model) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if field.name not in SITE_ONLY[model]]


def enum_of(record: type, name: str) -> type[StrEnum] | None:
    hint = typing.get_type_hints(record)[name]
    for candidate in (hint, *typing.get_args(hint)):
        if isinstance(candidate, type) and issubclass(candidate, StrEnum):
            return candidate
    return None


def test_the_gene_model_has_exactly_the_two_tables_columns():
    assert model_fields(Gene) == list(dict.fromkeys([*records.GENE_COLUMNS, *records.TRAIT_COLUMNS]))


def test_the_emulsion_model_has_exactly_the_records_fields():
    assert model_fields(Emulsion) == records.EMULSION_COLUMNS


@pytest.mark.parametrize(
    ("model", "record"), [(Gene, records.GeneFacts), (Gene, records.Traits), (Emulsion, records.Emulsion)]
)
def test_every_enum_field_has_the_enums_choices(model, record):
    checked = 0
    for field in dataclasses.fields(record):
        enum = enum_of(record, field.name)
        if enum is None:
            continue
        assert [value for value, _ in model._meta.get_field(field.name).choices] == list(records.values(enum)), (
            field.name
        )
        checked += 1
    assert checked >= 2


@pytest.mark.parametrize(("schema", "record"), [(GENE_TABLE, records.GeneFacts), (TRAITS_SCHEMA, records.Traits)])
def test_the_table_schemas_check_the_records_columns_and_categories(schema, record):
    assert list(schema.columns) == records.field_names(record)
    for name, column in schema.columns.items():
        enum = enum_of(record, name)
        if enum is None:
            continue
        [allowed] = [
            check.statistics["allowed_values"] for check in column.checks if "allowed_values" in check.statistics
        ]
        assert sorted(allowed) == sorted(records.values(enum)), name


@pytest.mark.django_db
def test_a_row_outside_the_categories_is_refused():
    gene = Gene(
        symbol="TP53",
        name="p53",
        hgnc_id="HGNC:11998",
        mass_source="uniprot",
        transmembrane_source="tmhmm",
        discovery_year_source="pubmed",
        sex="female",
        saturation=0.2,
        lightness=0.3,
        color_hex="#000000",
        text_color_hex="#ffffff",
        color_name="black",
        faction="order",
        sample_label="TP53-1",
        sample=".",
        tags="",
        family="TP",
        aesthetics=["Cottagecore"],
    )
    with pytest.raises(ValidationError) as refused:
        gene.full_clean()
    assert set(refused.value.message_dict) == {"mass_source", "faction"}


def test_an_emulsion_row_gives_back_the_pipelines_record():
    from pipeline.emulsions import get_emulsion

    record = get_emulsion("E0042")
    row = Emulsion(
        **{
            name: getattr(record, name).value if isinstance(getattr(record, name), StrEnum) else getattr(record, name)
            for name in records.EMULSION_COLUMNS
        }
    )
    assert row.record() == record
