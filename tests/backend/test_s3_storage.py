"""Portraits on S3-compatible storage: moto's S3 server on loopback stands in for the bucket."""

from __future__ import annotations

import socket
import urllib.request

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from moto.server import ThreadedMotoServer

from backend.iconoplasm.config import storage_settings
from backend.portraits.services import register_candidate
from backend.studio.copies import print_copy
from backend.studio.services import backfill_portraits

from .factories import make_gene, png_bytes

BUCKET = "iconoplasm-test-portraits"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_storage(s3_endpoint, settings, monkeypatch):
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="us-east-1", **{k.lower(): v for k, v in CREDENTIALS.items()}
    )
    client.create_bucket(Bucket=BUCKET)
    # A private bucket: portrait URLs are signed (the other choice is a public-read bucket).
    settings.STORAGES = storage_settings(
        {
            "ICONOPLASM_S3_BUCKET": BUCKET,
            "ICONOPLASM_S3_ENDPOINT_URL": s3_endpoint,
            "ICONOPLASM_S3_REGION": "us-east-1",
            "ICONOPLASM_S3_SIGNED_URLS": "1",
            **CREDENTIALS,
        }
    )
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])


def bucket_keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


@pytest.mark.django_db
def test_a_candidate_and_its_blot_are_stored_in_the_bucket(s3_storage):
    gene = make_gene("TP53")
    image, blot = png_bytes((10, 20, 30)), png_bytes((40, 50, 60))
    portrait, _ = register_candidate(gene, image, blot=blot, blot_suffix="png", renderer="procedural")
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    assert {portrait.image.name, portrait.blot.name} <= bucket_keys(s3_storage)
    stored = s3_storage.get_object(Bucket=BUCKET, Key=portrait.image.name)["Body"].read()
    assert stored == image
    # The URL points at the bucket, and fetching it gives the same bytes.
    assert portrait.image.url.startswith("http://127.0.0.1:") and BUCKET in portrait.image.url
    with urllib.request.urlopen(portrait.image.url, timeout=10) as response:
        assert response.read() == image


@pytest.mark.django_db
def test_the_same_image_twice_is_one_object_and_the_print_copy_is_cached_there(s3_storage):
    gene = make_gene("TP53")
    first, _ = register_candidate(gene, png_bytes(), renderer="procedural")
    again, _ = register_candidate(gene, png_bytes(), renderer="procedural")
    assert first.pk == again.pk and len(bucket_keys(s3_storage)) == 1
    copy = print_copy(first)
    assert copy.startswith(b"\x89PNG")
    prints = [key for key in bucket_keys(s3_storage) if key.startswith("prints/")]
    assert len(prints) == 1
    assert print_copy(first) == copy and len(bucket_keys(s3_storage)) == 2


@pytest.mark.django_db
def test_portraits_and_blots_are_served_from_the_bucket_with_their_image_type(s3_storage):
    gene = make_gene("TP53")
    call_command("load_emulsions")
    assert backfill_portraits(workers=1) == 1  # drawn as the site draws them: WebP
    new = gene.portraits.get()
    old, _ = register_candidate(gene, png_bytes(), renderer="procedural")  # a PNG stored before keeps its type
    for name, kind in ((new.image.name, "image/webp"), (new.blot.name, "image/webp"), (old.image.name, "image/png")):
        assert s3_storage.head_object(Bucket=BUCKET, Key=name)["ContentType"] == kind
