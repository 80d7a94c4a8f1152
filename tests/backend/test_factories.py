"""The test builders themselves: valid rows by default, repeatable, and no impossible row ever."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from backend.genes.models import Gene, GeneName
from backend.portraits.models import Emulsion

from .factories import make_emulsion, make_gene, make_portrait, make_user, make_users

pytestmark = pytest.mark.django_db


def test_builders_can_be_called_again_and_again():
    genes = [make_gene(f"G{i}") for i in range(3)]
    assert len({gene.hgnc_id for gene in genes}) == 3
    emulsions = [make_emulsion() for _ in range(3)]
    assert all(e.emulsion_id.startswith("E9") for e in emulsions) and len({e.emulsion_id for e in emulsions}) == 3
    users = [make_user(), make_user(), *make_users(2), *make_users(2)]
    assert len({user.username for user in users}) == 6
    portraits = [make_portrait(genes[0]) for _ in range(3)]
    assert len({p.sha256 for p in portraits}) == 3


def test_a_gene_s_other_names_are_on_the_row_and_in_the_name_table():
    gene = make_gene("TP53", aliases=["p53"], previous=["OLD53"])
    assert (gene.aliases, gene.prev_symbols) == (["p53"], ["OLD53"])
    assert set(GeneName.objects.values_list("name", "kind")) == {("p53", GeneName.ALIAS), ("OLD53", GeneName.PREVIOUS)}


@pytest.mark.parametrize(
    "field, value",
    [
        ("faction", "order"),
        ("mass_source", "uniprot"),
        ("transmembrane_source", "uniprot"),
        ("sex", "unknown"),
        ("aesthetics", []),
    ],
)
def test_an_impossible_gene_is_refused_before_it_is_saved(field, value):
    with pytest.raises(ValidationError) as refused:
        make_gene("TP53", **{field: value})
    assert field in refused.value.message_dict
    assert not Gene.objects.exists()


def test_an_impossible_emulsion_is_refused_before_it_is_saved():
    with pytest.raises(ValidationError):
        make_emulsion(sampler="brush")
    assert not Emulsion.objects.exists()


def test_a_portrait_has_its_image_in_storage():
    portrait = make_portrait(make_gene(), make_emulsion(), prompt="a portrait", hidden=True)
    assert default_storage.exists(portrait.image.name)
    portrait.refresh_from_db()
    assert (portrait.prompt, portrait.hidden, portrait.width, portrait.height) == ("a portrait", True, 48, 64)
