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


@pytest.mark.django_db
def test_a_changed_gene_gets_a_new_stamp_and_card_etag(tmp_path, client):
    import pandas as pd

    genes_path, traits_path = write_catalogue(tmp_path)
    load_genes(genes_path, traits_path)
    before = Gene.objects.get(symbol="TP53").updated_at
    etag = client.get("/api/genes/TP53/")["ETag"]
    traits = pd.read_parquet(traits_path)
    traits.loc[traits["symbol"] == "TP53", "weight_kg"] = 99.9
    traits.to_parquet(traits_path, index=False)
    report = load_genes(genes_path, traits_path)
    assert (report.updated, report.unchanged) == (1, 4)
    tp53 = Gene.objects.get(symbol="TP53")
    assert tp53.weight_kg == 99.9 and tp53.updated_at > before
    response = client.get("/api/genes/TP53/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    assert {"trait": "weight", "value": "99.9 kg", "origin": response.json()["traits"][1]["origin"]} in response.json()[
        "traits"
    ]
