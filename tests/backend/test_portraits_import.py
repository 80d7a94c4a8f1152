"""`manage.py import_portraits MANIFEST.jsonl`: register rendered candidates from a render manifest."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from backend.portraits.models import Canonical, CanonicalChange, Portrait

from .factories import make_emulsion, make_gene, png_bytes


def add_image(out: Path, symbol: str, colour, emulsion_id: str = "E0001", seed: int = 1) -> dict:
    """Write an image and its blot the way pipeline/render/batch.py does; return its manifest entry."""
    image = png_bytes(colour)
    sha = hashlib.sha256(image).hexdigest()
    path = out / "portraits" / sha[:2] / f"{sha}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(image)
    blot = b"RIFF-fake-webp-" + sha.encode()
    blot_sha = hashlib.sha256(blot).hexdigest()
    blot_path = out / "blots" / blot_sha[:2] / f"{blot_sha}.webp"
    blot_path.parent.mkdir(parents=True, exist_ok=True)
    blot_path.write_bytes(blot)
    return {
        "symbol": symbol,
        "sha256": sha,
        "path": str(path.relative_to(out)),
        "blot_path": str(blot_path.relative_to(out)),
        "renderer": "procedural",
        "model": "",
        "emulsion_id": emulsion_id,
        "seed": seed,
        "prompt": "a character, risograph",
        "width": 48,
        "height": 64,
        "created_at": "2025-01-01T00:00:00+00:00",
    }


def write_manifest(out: Path, entries: list, torn_tail: str = "") -> Path:
    manifest = out / "manifest.jsonl"
    lines = [e if isinstance(e, str) else json.dumps(e, sort_keys=True) for e in entries]
    manifest.write_text("\n".join(lines) + "\n" + torn_tail, encoding="utf-8")
    return manifest


def run(manifest: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_portraits", str(manifest), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def render_dir(tmp_path, db):
    make_gene("TP53"), make_gene("INS")
    make_emulsion("E0001")
    return tmp_path / "render"


def test_import_registers_candidates_and_sets_first_canonical(render_dir):
    tp53_a = add_image(render_dir, "TP53", (10, 10, 10), seed=1)
    tp53_b = add_image(render_dir, "TP53", (20, 20, 20), seed=2)
    ins = add_image(render_dir, "INS", (30, 30, 30))
    manifest = write_manifest(render_dir, [tp53_a, tp53_b, ins])
    out, err = run(manifest)
    assert "3 imported" in out and err == ""
    first = Portrait.objects.get(sha256=tp53_a["sha256"])
    assert (first.gene.symbol, first.origin, first.renderer, first.seed, first.emulsion.emulsion_id) == (
        "TP53",
        "import",
        "procedural",
        1,
        "E0001",
    )
    assert (first.width, first.height, first.prompt) == (48, 64, "a character, risograph")
    with first.image.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == tp53_a["sha256"]
    assert first.blot.name.endswith(".webp") and default_storage.exists(first.blot.name)
    assert Canonical.objects.get(gene__symbol="TP53").portrait == first
    assert Canonical.objects.get(gene__symbol="INS").portrait.sha256 == ins["sha256"]
    assert CanonicalChange.objects.filter(reason="first candidate").count() == 2


def test_reimport_is_a_no_op(render_dir):
    manifest = write_manifest(
        render_dir, [add_image(render_dir, "TP53", (1, 2, 3)), add_image(render_dir, "INS", (4, 5, 6))]
    )
    run(manifest)
    files = sorted(p for p in Path(default_storage.location).rglob("*") if p.is_file())
    out, err = run(manifest)
    assert "0 imported, 2 already there" in out and err == ""
    assert Portrait.objects.count() == 2
    assert CanonicalChange.objects.count() == 2
    assert sorted(p for p in Path(default_storage.location).rglob("*") if p.is_file()) == files


def test_problems_are_reported_and_the_rest_goes_on(render_dir):
    good = add_image(render_dir, "TP53", (1, 1, 1))
    unknown_gene = add_image(render_dir, "NOTAGENE", (2, 2, 2))
    missing = add_image(render_dir, "INS", (3, 3, 3))
    (render_dir / missing["path"]).unlink()
    unknown_emulsion = add_image(render_dir, "INS", (4, 4, 4), emulsion_id="E0999")
    wrong_hash = {**add_image(render_dir, "INS", (5, 5, 5)), "sha256": "0" * 64}
    escaping = {**add_image(render_dir, "INS", (6, 6, 6)), "path": "../../etc/passwd"}
    also_good = add_image(render_dir, "INS", (7, 7, 7))
    manifest = write_manifest(
        render_dir,
        [
            good,
            unknown_gene,
            "{not json",
            missing,
            '["a list"]',
            {"symbol": "INS"},
            unknown_emulsion,
            wrong_hash,
            escaping,
            also_good,
        ],
        torn_tail='{"symbol": "TP53", "sha256": "ab',
    )
    out, err = run(manifest)
    assert "2 imported" in out and "9 problem(s)" in out
    assert "line 2: unknown gene 'NOTAGENE'" in err
    assert "line 3: malformed" in err and "line 5: malformed" in err and "line 6: malformed" in err
    assert "line 4: INS: file not found" in err
    assert "unknown emulsion 'E0999'" in err
    assert "does not match its sha256" in err
    assert "outside the manifest folder" in err
    assert "line 11: malformed" in err  # the torn last line
    assert set(Portrait.objects.values_list("sha256", flat=True)) == {good["sha256"], also_good["sha256"]}
    assert Canonical.objects.count() == 2


def test_missing_manifest_is_an_error(tmp_path, db):
    with pytest.raises(CommandError):
        run(tmp_path / "nope.jsonl")
