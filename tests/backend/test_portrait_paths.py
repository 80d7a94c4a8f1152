"""The four callers of the one portrait path keep their behaviour.

``iconoplasm render``, the request queue, the first-portrait backfill and bring-your-own-key each
render the five fixture genes, from the gene and traits tables as they were when the expected
images were recorded (``fixtures/portrait_paths_catalogue/``: the same inputs, so the same images). What they make must look exactly as recorded (seeds
and prompts from the code before they shared one path; pixels and stored bytes re-recorded when
issue 15 changed the look and the stored format on purpose; all in
``fixtures/portrait_paths_before.json``), and every image and blot must be, byte for byte, what
:func:`pipeline.render.portrait.render_portrait` makes from the same gene, emulsion and seed.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from backend.genes.models import Gene
from backend.genes.services import load_genes
from backend.portraits.loading import load_emulsions
from backend.portraits.models import Emulsion, Portrait
from backend.studio.byok import byok_request
from backend.studio.keys import provider_key_set
from backend.studio.models import GenerationRequest
from backend.studio.services import backfill_portraits, run_worker
from pipeline import cli
from pipeline.emulsions import get_emulsion
from pipeline.render import batch
from pipeline.render.portrait import PortraitJob, render_portrait
from pipeline.render.renderers import procedural_renderer

from .factories import png_bytes
from .fake_image_api import FakeImageApi, images_answer

FIXTURES = Path(__file__).parent / "fixtures"
BEFORE = json.loads((FIXTURES / "portrait_paths_before.json").read_text())
RECORDED_CATALOGUE = FIXTURES / "portrait_paths_catalogue"
RECORDED = ("symbol", "seed", "prompt", "renderer", "emulsion_id", "width", "height")
PROVIDER_IMAGE = png_bytes((200, 30, 90), (768, 1024))


def pixels(data: bytes) -> str:
    with Image.open(io.BytesIO(data)) as image:
        return f"{hashlib.sha256(image.convert('RGBA').tobytes()).hexdigest()}:{image.size[0]}x{image.size[1]}:{image.format}"


def read(field) -> bytes:
    with field.open("rb") as fh:
        return fh.read()


@pytest.fixture
def catalogue(tmp_path, settings, db):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    for table in ("genes.parquet", "traits.parquet"):
        shutil.copy(RECORDED_CATALOGUE / table, tmp_path / table)
    load_genes(tmp_path / "genes.parquet", tmp_path / "traits.parquet")
    load_emulsions()
    return tmp_path


def site_made(origin: str) -> list[dict]:
    return [
        {
            "symbol": p.gene.symbol,
            "seed": p.seed,
            "prompt": p.prompt,
            "renderer": p.renderer,
            "emulsion_id": p.emulsion.emulsion_id if p.emulsion else None,
            "width": p.width,
            "height": p.height,
            "image": read(p.image),
            "blot": read(p.blot),
            "name": p.gene.name,
        }
        for p in Portrait.objects.filter(origin=origin).select_related("gene", "emulsion").order_by("gene__symbol")
    ]


def assert_as_before(made: list[dict], caller: str) -> None:
    expected = BEFORE[caller]
    assert [{key: m[key] for key in RECORDED} for m in made] == [{key: e[key] for key in RECORDED} for e in expected]
    assert [pixels(m["image"]) for m in made] == [e["pixels"] for e in expected]
    assert [pixels(m["blot"]) for m in made] == [e["blot_pixels"] for e in expected]


def assert_one_path(made: list[dict], traits: pd.DataFrame) -> None:
    """Each image and blot is exactly what the one portrait function makes from the same inputs."""
    rows = traits.set_index("symbol")
    for m in made:
        job = PortraitJob(
            traits=dict(rows.loc[m["symbol"]], symbol=m["symbol"], name=m["name"]),
            emulsion=get_emulsion(m["emulsion_id"]),
            seed=m["seed"],
        )
        direct = render_portrait(job, procedural_renderer())
        assert (direct.image, direct.blot, direct.prompt.text) == (m["image"], m["blot"], m["prompt"])


def test_the_render_command(catalogue):
    out = catalogue / "render"
    symbols = ",".join(e["symbol"] for e in BEFORE["cli"])
    assert (
        cli.main(
            [
                "render",
                "--genes",
                symbols,
                "--emulsion",
                "E0042",
                "--seed",
                "7",
                "--data",
                str(catalogue),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    names = dict(Gene.objects.values_list("symbol", "name"))
    made = [
        {
            **{key: e[key] for key in RECORDED},
            "image": (out / e["path"]).read_bytes(),
            "blot": (out / e["blot_path"]).read_bytes(),
            "name": names[e["symbol"]],
        }
        for e in batch.read_manifest(out)
    ]
    assert_as_before(made, "cli")
    assert_one_path(made, pd.read_parquet(catalogue / "traits.parquet"))


def test_the_backfill(catalogue):
    assert backfill_portraits(emulsion_id="E0001") == 5
    made = site_made(Portrait.BACKFILL)
    assert_as_before(made, "backfill")
    assert_one_path(made, pd.read_parquet(catalogue / "traits.parquet"))


def test_the_request_queue(catalogue):
    user = get_user_model().objects.create_user("golden")
    emulsion = Emulsion.objects.get(emulsion_id="E0042")
    # Request ids seed the images: the same ids as when the expected images were recorded.
    for request_id, gene in enumerate(Gene.objects.order_by("symbol"), start=1):
        GenerationRequest.objects.create(pk=request_id, user=user, gene=gene, emulsion=emulsion)
    assert run_worker(once=True, poll=0) == 5
    made = site_made(Portrait.REQUEST)
    assert_as_before(made, "queue")
    assert_one_path(made, pd.read_parquet(catalogue / "traits.parquet"))


def test_bring_your_own_key(catalogue, settings):
    api = FakeImageApi(answer=images_answer(PROVIDER_IMAGE)).start()
    settings.ICONOPLASM_IMAGE_API_URL = api.url
    try:
        user = get_user_model().objects.create_user("golden")
        provider_key_set(user=user, provider="openai", api_key="sk-test-0123456789abcdef", model="dall-e-3")
        emulsion = Emulsion.objects.get(emulsion_id="E0042")
        for gene in Gene.objects.order_by("symbol"):  # queued by the web request, drawn by the worker
            byok_request(user=user, gene=gene, emulsion=emulsion)
        assert run_worker(once=True, poll=0) == 5
    finally:
        api.stop()
    made = site_made(Portrait.BYOK)
    assert_as_before(made, "byok")
    assert [seen.body["prompt"] for seen in api.seen] == [m["prompt"] for m in made]
    assert all(hashlib.sha256(m["image"]).hexdigest() == BEFORE["byok_image_sha256"] for m in made)
