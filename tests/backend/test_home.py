import json

import pytest


@pytest.mark.django_db
def test_home_page_shows_gene_count(client, settings, tmp_path):
    settings.ICONOPLASM_DATA_DIR = tmp_path
    response = client.get("/")
    assert response.status_code == 200
    assert b"has not been built yet" in response.content
    (tmp_path / "genes.parquet").write_bytes(b"")
    (tmp_path / "coverage.json").write_text(json.dumps({"genes": 19290}))
    assert b"19290 genes" in client.get("/").content
