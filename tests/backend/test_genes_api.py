import json

import pytest

from backend.genes.services import load_genes

from .catalogue import write_catalogue


@pytest.fixture
def catalogue(db, tmp_path):
    load_genes(*write_catalogue(tmp_path))


def test_card_has_traits_with_their_origins(client, catalogue):
    response = client.get("/api/genes/TP53/")
    assert response.status_code == 200
    card = response.json()
    assert card["symbol"] == "TP53" and card["matched_by"] == "symbol"
    assert card["color_hex"].startswith("#") and card["text_color_hex"] in ("#000000", "#ffffff")
    traits = {t["trait"]: t for t in card["traits"]}
    assert traits["sex"] == {"trait": "sex", "value": "female", "origin": "soluble"}
    assert traits["age"] == {
        "trait": "age",
        "value": 2020 - 1979,
        "origin": "first described 1979 (PMID 2000)",
        "url": "https://pubmed.ncbi.nlm.nih.gov/2000/",
    }
    assert traits["weight"]["origin"].endswith("kDa")
    assert "tau" in traits["colour"]["origin"] and "LOEUF 0.62" in traits["colour"]["origin"]
    assert traits["faction"]["value"] == "pro-control"
    assert card["portrait"] is None and card["candidate_count"] == 0
    assert card["page_url"].endswith("/genes/TP53/")


def test_alias_and_previous_symbol_answer_with_the_gene(client, catalogue):
    assert client.get("/api/genes/p53/").json()["matched_by"] == "alias"
    card = client.get("/api/genes/OLDG1/").json()
    assert (card["symbol"], card["matched_by"]) == ("NEWG1", "previous")


def test_unknown_gene_is_a_json_404(client, catalogue):
    response = client.get("/api/genes/NOTAGENE/")
    assert response.status_code == 404
    assert "unknown gene" in response.json()["detail"]


def test_etag_gives_304(client, catalogue):
    first = client.get("/api/genes/TP53/")
    again = client.get("/api/genes/TP53/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]


def test_batch_cards_and_missing(client, catalogue):
    response = client.post("/api/genes/batch/", {"symbols": ["TP53", "p53", "NOPE"]}, content_type="application/json")
    body = response.json()
    assert response.status_code == 200
    assert set(body["cards"]) == {"TP53", "p53"} and body["missing"] == ["NOPE"]


def test_batch_limits_and_malformed_json(client, catalogue):
    too_many = client.post(
        "/api/genes/batch/", {"symbols": [f"G{i}" for i in range(101)]}, content_type="application/json"
    )
    assert too_many.status_code == 400 and "at most 100" in json.dumps(too_many.json())
    broken = client.post("/api/genes/batch/", "{not json", content_type="application/json")
    assert broken.status_code == 400 and "JSON parse error" in broken.json()["detail"]


def test_lexicon_is_content_addressed_and_cacheable(client, catalogue):
    index = client.get("/api/lexicon/").json()
    assert index["genes"] == 5
    response = client.get(f"/api/lexicon/{index['hash']}.json")
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    lexicon = json.loads(response.content)
    rows = {row[0]: row for row in lexicon["genes"]}
    assert rows["TP53"][4] == ["LFS1", "p53"] and rows["NEWG1"][5] == ["OLDG1"]
    assert lexicon["format"] == 2 and lexicon["fields"][6] == "names"
    assert rows["TP53"][6] == ["cellular tumor antigen p53", "tumor protein p53 (Li-Fraumeni syndrome)"]
    assert rows["LAIR1"][6] == []
    assert client.get("/api/lexicon/0000.json").status_code == 404


def test_lexicon_follows_every_catalogue_change_at_one_query_per_request(client, catalogue, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from backend.genes.models import Gene, GeneName

    def index():
        with CaptureQueriesContext(connection) as queries:
            answer = client.get("/api/lexicon/").json()
        return answer, len(queries)

    first, _ = index()
    again, queries = index()
    assert again == first and queries == 1  # the version read only: no count or scan of the tables

    gene = Gene.objects.get(symbol="TP53")
    gene.color_hex = "#123456"
    gene.save()
    recoloured, _ = index()
    assert recoloured["hash"] != first["hash"]
    rows = {row[0]: row for row in json.loads(client.get(f"/api/lexicon/{recoloured['hash']}.json").content)["genes"]}
    assert rows["TP53"][1] == "#123456"

    GeneName.objects.filter(name="LFS1").delete()
    unnamed, _ = index()
    assert unnamed["hash"] != recoloured["hash"]
    Gene.objects.get(symbol="NEWG1").delete()
    assert index()[0]["genes"] == 4

    # The bulk loader sends no signals; it says so itself: the deleted gene is back.
    load_genes(*write_catalogue(tmp_path))
    reloaded, _ = index()
    assert reloaded["genes"] == 5 and reloaded["hash"] not in {unnamed["hash"], recoloured["hash"]}
    assert index()[0] == reloaded and load_genes(*write_catalogue(tmp_path)).created == 0


def test_gene_page_escapes_data(client, catalogue):
    from backend.genes.models import Gene

    Gene.objects.filter(symbol="TP53").update(summary="<script>alert(1)</script>")
    page = client.get("/genes/TP53/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert client.get("/genes/p53/").status_code == 302


def test_openapi_schema_lists_the_endpoints(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert {"/api/genes/{symbol}/", "/api/genes/batch/", "/api/lexicon/"} <= set(schema["paths"])


def test_a_cached_card_follows_every_portrait_change(client, catalogue):
    """Cards are served from a cache keyed by what they show: each change shows at once."""
    from backend.genes.models import Gene
    from backend.portraits.models import Emulsion
    from backend.portraits.services import register_candidate, set_hidden

    from .factories import make_emulsion, png_bytes

    gene = Gene.objects.get(symbol="TP53")
    emulsion = make_emulsion("E0042", name="Noir Ink", style_words="ink")

    def card():
        return client.get("/api/genes/TP53/").json()

    assert card()["portrait"] is None and card()["candidate_count"] == 0
    first, _ = register_candidate(gene, png_bytes((1, 2, 3)), renderer="procedural", emulsion=emulsion)
    shown = card()
    assert shown["portrait"]["id"] == first.pk and shown["candidate_count"] == 1
    assert shown["portrait"]["emulsion"] == {"id": "E0042", "name": "Noir Ink"}
    second, _ = register_candidate(gene, png_bytes((4, 5, 6)), renderer="procedural")
    assert card()["candidate_count"] == 2 and card()["portrait"]["id"] == first.pk
    set_hidden([second], True)
    assert card()["candidate_count"] == 1
    Emulsion.objects.filter(pk=emulsion.pk).update(blocked=True)  # an artist opt-out withdraws the emulsion
    assert card()["portrait"] is None and card()["candidate_count"] == 0
    # An alias answers with the same, current card.
    alias = client.get("/api/genes/p53/").json()
    assert alias["symbol"] == "TP53" and alias["matched_by"] == "alias" and alias["portrait"] is None


def test_a_symbol_in_another_case_answers_with_the_gene(client, catalogue):
    """Issue 12, defect 10: /api/genes/tp53/ was a 404 although search accepts tp53."""
    response = client.get("/api/genes/tp53/")
    assert response.status_code == 200
    card = response.json()
    assert (card["symbol"], card["matched_by"]) == ("TP53", "symbol_case")
    assert response["ETag"].endswith(";symbol_case")
    again = client.get("/api/genes/tp53/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.get("/api/genes/oldg1/").json()["matched_by"] == "previous_case"
    assert client.get("/api/genes/P53/").status_code in (200, 404)  # whatever the catalogue says, never a 500


def test_the_card_of_an_exact_symbol_takes_one_query(client, catalogue, django_assert_max_num_queries):
    client.get("/api/genes/TP53/")  # the card body is now cached
    with django_assert_max_num_queries(1):
        assert client.get("/api/genes/TP53/").status_code == 200
