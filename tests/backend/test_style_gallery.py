"""The style gallery (/styles/) and the request form's emulsion picker with thumbnails."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from PIL import Image

from backend.pages import style_samples
from backend.pages.models import StyleSample as SampleRow
from backend.portraits.models import Emulsion
from backend.studio.models import GenerationRequest
from pipeline.emulsions import load_emulsions, procedural_emulsions

from .factories import make_emulsion

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The emulsion ids the samples are rendered in, in order (the real rendering still runs)."""
    seen: list[str] = []
    original = style_samples.draw_style_sample

    def spy(gene, emulsion, size):
        seen.append(emulsion.emulsion_id)
        return original(gene, emulsion, size)

    monkeypatch.setattr(style_samples, "draw_style_sample", spy)
    return seen


def text(response) -> str:
    return response.content.decode()


def sample_files(settings) -> list[Path]:
    return sorted((Path(settings.MEDIA_ROOT) / style_samples.FOLDER).glob("*.png"))


def test_the_gallery_shows_the_reference_gene_in_every_procedural_emulsion_of_the_table(client, site, settings):
    call_command("load_emulsions")
    Emulsion.objects.filter(emulsion_id="E0002").update(blocked=True)  # an artist opt-out
    page = text(client.get("/styles/"))
    offered = sorted(set(procedural_emulsions(load_emulsions())) - {"E0002"})
    shown = re.findall(r'<li id="style-(E\d{4})">', page)
    assert shown == offered
    assert "Claymation" not in page and 'id="style-E0004"' not in page  # diffusion-only
    assert "Noir Comic Ink" not in page  # blocked
    files = sample_files(settings)
    assert len(files) == len(offered)
    for path in files[:3]:
        image = Image.open(io.BytesIO(path.read_bytes()))
        assert image.format == "PNG" and image.size == style_samples.SAMPLE_SIZE
    first = re.search(r'<img class="thumb" src="([^"]+)" alt="TP53 in ([^"]+)"', page)
    assert first is not None and first.group(1).startswith("/media/styles/TP53-E0001-")
    assert first.group(2) == "Risograph Field Guide"


def test_samples_are_rendered_once_and_then_read_from_storage(client, site, renders, settings):
    make_emulsion("E0042", name="Patent Drawing", palette="noir", finish="line_art")
    client.get("/styles/")
    assert renders == ["E0001", "E0042"]
    stored = [(p.name, p.stat().st_mtime_ns) for p in sample_files(settings)]
    assert client.get("/styles/").status_code == 200
    assert renders == ["E0001", "E0042"]  # nothing drawn again
    assert [(p.name, p.stat().st_mtime_ns) for p in sample_files(settings)] == stored


def test_a_changed_emulsion_gets_a_fresh_sample(client, site, renders, settings):
    client.get("/styles/")
    Emulsion.objects.filter(emulsion_id="E0001").update(finish="pixel_coarse")
    client.get("/styles/")
    assert renders == ["E0001", "E0001"]
    assert len(sample_files(settings)) == 2


def test_the_samples_look_like_their_style(client, site, settings):
    make_emulsion("E0042", name="Patent Drawing", palette="noir", finish="line_art")
    client.get("/styles/")
    (patent,) = [p for p in sample_files(settings) if "-E0042-" in p.name]
    rgb = np.asarray(Image.open(patent).convert("RGB"))
    assert (rgb.min(axis=-1) >= 220).mean() >= 0.7


def test_names_are_escaped_in_the_gallery_and_the_picker(member, site):
    make_emulsion("E0050", name=SCRIPT, finish="woodblock")
    for url in ("/styles/", "/genes/TP53/"):
        page = text(member.get(url))
        assert SCRIPT not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url


def test_without_the_reference_gene_the_gallery_says_so(client, db):
    make_emulsion("E0001")
    response = client.get("/styles/")
    assert response.status_code == 200
    assert 'id="no-reference-gene"' in text(response) and "TP53" in text(response)


def test_every_page_links_to_the_gallery(client, site):
    for url in ("/", "/stats/", "/genes/TP53/"):
        assert 'href="/styles/"' in text(client.get(url)), url


def test_the_picker_is_radio_buttons_with_thumbnails_once_stored(member, site, settings):
    make_emulsion("E0004", name="Claymation", finish="diffusion_only")
    before = text(member.get("/genes/TP53/"))
    # the first offered style is chosen unless the form comes back with another
    assert '<input type="radio" name="emulsion_id" value="E0001" required checked>' in before
    assert "<span>Risograph Field Guide</span>" in before
    assert "/media/styles/" not in before  # the gene page never renders samples itself
    assert "Claymation" not in before  # diffusion-only: not offered
    member.get("/styles/")
    after = text(member.get("/genes/TP53/"))
    thumb = re.search(
        r'value="E0001" required checked>\s*<img src="(/media/styles/TP53-E0001-[0-9a-f]{16}\.png)" alt=""', after
    )
    assert thumb is not None
    assert (Path(settings.MEDIA_ROOT) / thumb.group(1).removeprefix("/media/")).is_file()


def test_a_diffusion_only_emulsion_cannot_be_requested(member, site):
    make_emulsion("E0004", name="Claymation", finish="diffusion_only")
    response = member.post("/genes/TP53/request/", {"emulsion_id": "E0004"})
    assert response.status_code == 400 and "needs a diffusion model" in text(response)
    assert not GenerationRequest.objects.exists()
    api = member.post("/api/genes/TP53/requests/", {"emulsion_id": "E0004"}, content_type="application/json")
    assert api.status_code == 400 and "diffusion-only" in text(api)
    assert member.post("/genes/TP53/request/", {"emulsion_id": "E0001"}).status_code == 302
    assert GenerationRequest.objects.get().emulsion.emulsion_id == "E0001"


def test_a_kept_choice_stays_checked(member, site, settings):
    make_emulsion("E0042", name="Patent Drawing", palette="noir", finish="line_art")
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "request": (1, 3600)}
    member.post("/genes/TP53/request/", {"emulsion_id": "E0042"})
    page = text(member.post("/genes/TP53/request/", {"emulsion_id": "E0042"}))  # refused: too many
    assert '<input type="radio" name="emulsion_id" value="E0042" required checked>' in page
    assert '<input type="radio" name="emulsion_id" value="E0001" required>' in page


def test_the_command_renders_missing_samples_and_is_idempotent(site, renders, settings):
    out = io.StringIO()
    call_command("render_style_gallery", stdout=out)
    assert "1 stored of 1" in out.getvalue() and renders == ["E0001"]
    call_command("render_style_gallery", stdout=io.StringIO())
    assert renders == ["E0001"] and len(sample_files(settings)) == 1


def test_the_picker_reads_the_index_not_the_storage(member, site, settings):
    member.get("/styles/")
    assert "/media/styles/TP53-E0001-" in text(member.get("/genes/TP53/"))
    SampleRow.objects.all().delete()  # the file stays; without its row the page does not look for it
    assert "/media/styles/" not in text(member.get("/genes/TP53/"))


def test_a_sample_stored_but_never_indexed_is_stored_again_under_its_own_name(client, site, renders, settings):
    client.get("/styles/")
    SampleRow.objects.all().delete()  # as if the run died between writing the file and indexing it
    client.get("/styles/")
    assert renders == ["E0001", "E0001"]
    assert [p.name for p in sample_files(settings)] == [SampleRow.objects.get().name.removeprefix("styles/")]
