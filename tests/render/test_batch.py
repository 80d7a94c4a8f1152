"""The batch job: content-addressed files, manifest, resume, per-gene failures."""

import hashlib
import io
import json

import pandas as pd
import pytest
from PIL import Image

from pipeline.emulsions import Emulsion, UnknownEmulsionError
from pipeline.genes.names import UnknownGeneError, resolve_symbols
from pipeline.render import batch
from pipeline.render.portrait import Renderer


def _emulsion(eid):
    return Emulsion(eid, f"Style {eid}", "ink", "blurry", "euler", 20, 7.0, 64, 64, 1.0, "natural", "none")


EMULSIONS = {eid: _emulsion(eid) for eid in ("E0001", "E0002", "E0003")}
GENES = pd.DataFrame(
    {
        "symbol": ["TP53", "COASY", "LAIR1"],
        "name": ["tumor protein p53", "Coenzyme A synthase", "leukocyte receptor"],
        "aliases": [["p53", "LFS1"], ["DPCK"], ["CD305"]],
        "prev_symbols": [[], [], []],
    }
)
TRAITS = pd.DataFrame(
    {"symbol": ["TP53", "COASY", "LAIR1"], "tags": ["woman, scholar", "woman, artificer", "man, guard"]}
)


def _png(symbol, seed):
    shade = int(hashlib.sha256(f"{symbol}{seed}".encode()).hexdigest()[:2], 16)
    buffer = io.BytesIO()
    Image.new("RGB", (48, 64), (shade, 10, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


class FakeRenderer:
    def __init__(self, fail=(), interrupt_after=None):
        self.calls, self.fail, self.interrupt_after = [], set(fail), interrupt_after

    def draw(self, jobs, prompts):
        if self.interrupt_after is not None and len(self.calls) >= self.interrupt_after:
            raise KeyboardInterrupt
        self.calls.append([job.symbol for job in jobs])
        out = []
        for job in jobs:
            if job.symbol in self.fail:
                raise RuntimeError(f"cannot draw {job.symbol}")
            out.append(_png(job.symbol, job.seed))
        return out


def run(jobs, out, fake, **kwargs):
    renderer = Renderer(name="procedural", model="procedural-test", draw=fake.draw)
    return batch.render_jobs(
        jobs, TRAITS, dict(zip(GENES["symbol"], GENES["name"], strict=True)), EMULSIONS, renderer, out, **kwargs
    )


def test_aliases_resolve_and_unknown_genes_are_named():
    # The render command's --genes go through the shared name rule (tests/pipeline/test_names.py has its cases).
    assert resolve_symbols(["p53", "COASY", "TP53"], GENES) == ["TP53", "COASY"]
    with pytest.raises(UnknownGeneError, match="unknown gene symbol\\(s\\): NOPE, XYZ1"):
        resolve_symbols(["TP53", "NOPE", "XYZ1"], GENES)


def test_plan_random_emulsions_is_reproducible_and_unknown_emulsion_fails():
    first = batch.plan_jobs(["TP53", "COASY"], EMULSIONS, None, 3, seed=7)
    assert first == batch.plan_jobs(["TP53", "COASY"], EMULSIONS, None, 3, seed=7)
    assert len({job.seed for job in first}) == 6
    assert {job.emulsion_id for job in first} <= set(EMULSIONS)
    assert [j.emulsion_id for j in batch.plan_jobs(["TP53"], EMULSIONS, "E0002", 1, seed=7)] == ["E0002"]
    with pytest.raises(UnknownEmulsionError, match="E9999"):
        batch.plan_jobs(["TP53"], EMULSIONS, "E9999", 1, seed=0)


def test_files_are_content_addressed_and_manifest_complete(tmp_path):
    jobs = batch.plan_jobs(["TP53", "COASY"], EMULSIONS, "E0001", 1, seed=3)
    report = run(jobs, tmp_path, FakeRenderer())
    assert (report.rendered, report.skipped, report.failures) == (2, 0, [])
    entries = batch.read_manifest(tmp_path)
    assert [e["symbol"] for e in entries] == ["TP53", "COASY"]
    for entry in entries:
        data = (tmp_path / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert entry["path"].endswith(f"{entry['sha256']}.webp")  # stored as WebP, whatever the renderer gave
        assert (tmp_path / entry["blot_path"]).exists()
        assert (entry["width"], entry["height"]) == (48, 64)
        assert entry["prompt"].endswith(", ink")
        assert entry["negative_prompt"] == "blurry"
        assert set(entry) == {
            "symbol",
            "sha256",
            "path",
            "blot_path",
            "renderer",
            "model",
            "emulsion_id",
            "seed",
            "prompt",
            "negative_prompt",
            "width",
            "height",
            "created_at",
        }


def test_rerun_skips_what_is_done(tmp_path):
    jobs = batch.plan_jobs(["TP53", "COASY"], EMULSIONS, "E0001", 1, seed=3)
    run(jobs, tmp_path, FakeRenderer())
    again = FakeRenderer()
    report = run(jobs, tmp_path, again)
    assert (report.rendered, report.skipped, again.calls) == (0, 2, [])
    assert len(batch.read_manifest(tmp_path)) == 2


def test_interrupted_run_resumes(tmp_path):
    jobs = batch.plan_jobs(["TP53", "COASY", "LAIR1"], EMULSIONS, "E0001", 1, seed=3)
    with pytest.raises(KeyboardInterrupt):
        run(jobs, tmp_path, FakeRenderer(interrupt_after=1))
    assert [e["symbol"] for e in batch.read_manifest(tmp_path)] == ["TP53"]
    resumed = FakeRenderer()
    run(jobs, tmp_path, resumed)
    assert resumed.calls == [["COASY"], ["LAIR1"]]
    assert [e["symbol"] for e in batch.read_manifest(tmp_path)] == ["TP53", "COASY", "LAIR1"]


def test_one_failing_gene_does_not_stop_the_others(tmp_path):
    errors = []
    jobs = batch.plan_jobs(["TP53", "COASY", "LAIR1"], EMULSIONS, "E0001", 1, seed=3)
    report = run(jobs, tmp_path, FakeRenderer(fail={"COASY"}), on_error=lambda s, e: errors.append(s))
    assert report.rendered == 2
    assert report.failures == [("COASY", "RuntimeError: cannot draw COASY")]
    assert errors == ["COASY"]
    assert [e["symbol"] for e in batch.read_manifest(tmp_path)] == ["TP53", "LAIR1"]


def test_torn_manifest_line_is_ignored_and_not_glued(tmp_path):
    jobs = batch.plan_jobs(["TP53", "COASY"], EMULSIONS, "E0001", 1, seed=3)
    run(jobs[:1], tmp_path, FakeRenderer())
    with open(tmp_path / batch.MANIFEST, "a") as fh:
        fh.write('{"symbol": "COA')
    run(jobs, tmp_path, FakeRenderer())
    lines = (tmp_path / batch.MANIFEST).read_text().splitlines()
    assert json.loads(lines[-1])["symbol"] == "COASY"
    assert [e["symbol"] for e in batch.read_manifest(tmp_path)] == ["TP53", "COASY"]
