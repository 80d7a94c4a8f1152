import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from backend.genes.models import Gene, GeneName
from backend.genes.services import load_genes

from .catalogue import write_catalogue


@pytest.mark.django_db
def test_load_is_an_idempotent_upsert(tmp_path):
    genes_path, traits_path = write_catalogue(tmp_path)
    first = load_genes(genes_path, traits_path)
    assert (first.created, first.updated) == (5, 0)
    tp53 = Gene.objects.get(symbol="TP53")
    assert tp53.aliases == ["p53", "LFS1"] and tp53.faction == "pro-control" and tp53.sex == "female"
    assert GeneName.objects.filter(name="OLDG1", kind=GeneName.PREVIOUS, gene__symbol="NEWG1").exists()
    stamp = tp53.updated_at
    second = load_genes(genes_path, traits_path)
    assert (second.created, second.updated, second.unchanged, second.names) == (0, 0, 5, 0)
    assert Gene.objects.get(symbol="TP53").updated_at == stamp


@pytest.mark.django_db
def test_command_says_what_to_run_when_tables_are_missing(tmp_path):
    with pytest.raises(CommandError, match="iconoplasm data build"):
        call_command("load_genes", "--genes", str(tmp_path / "none.parquet"), "--traits", str(tmp_path / "t.parquet"))
