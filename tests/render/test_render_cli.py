"""`iconoplasm render` end to end: real procedural renderer, real blots, and the tiny diffusion model."""

import pytest
from PIL import Image

from pipeline import cli
from pipeline.render import batch

from ..backend.catalogue import write_catalogue


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    write_catalogue(folder)
    return folder


def test_procedural_render_writes_portraits_blots_and_manifest(data_dir, tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["render", "--genes", "TP53,p53,LAIR1", "--data", str(data_dir), "--out", str(out), "--seed", "5"]
    assert cli.main(argv) == 0
    entries = batch.read_manifest(out)
    assert sorted(e["symbol"] for e in entries) == ["LAIR1", "TP53"]
    for entry in entries:
        assert entry["renderer"] == "procedural" and entry["emulsion_id"] == "E0001"
        assert Image.open(out / entry["path"]).size == (768, 1024)
        blot = Image.open(out / entry["blot_path"])
        assert blot.format == "WEBP" and blot.size == (768, 1024)
    assert cli.main(argv) == 0
    assert "rendered 0, already done 2" in capsys.readouterr().out


def test_unknown_gene_and_emulsion_are_clear_errors(data_dir, tmp_path, capsys):
    assert cli.main(["render", "--genes", "TP53,NOTAGENE", "--data", str(data_dir), "--out", str(tmp_path)]) == 2
    assert "unknown gene symbol(s): NOTAGENE" in capsys.readouterr().err
    assert (
        cli.main(["render", "--genes", "TP53", "--emulsion", "E9999", "--data", str(data_dir), "--out", str(tmp_path)])
        == 2
    )
    assert "unknown emulsion 'E9999'" in capsys.readouterr().err


@pytest.mark.parametrize("flag, value", [("--size", "65x48"), ("--size", "big"), ("--steps", "0")])
def test_bad_draft_overrides_are_rejected(data_dir, tmp_path, capsys, flag, value):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(
            [
                "render",
                "--genes",
                "TP53",
                "--renderer",
                "diffusion",
                flag,
                value,
                "--data",
                str(data_dir),
                "--out",
                str(tmp_path),
            ]
        )
    assert exit_info.value.code == 2
    assert value in capsys.readouterr().err


def test_missing_model_path_is_a_clear_error(data_dir, tmp_path, capsys):
    argv = [
        "render",
        "--genes",
        "TP53",
        "--renderer",
        "diffusion",
        "--model",
        str(tmp_path / "no-model"),
        "--data",
        str(data_dir),
        "--out",
        str(tmp_path / "o"),
    ]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "no-model" in err and "Traceback" not in err


def tiny_diffusion_render(model, data_dir, out, *choices: str) -> int:
    """``iconoplasm render`` with the tiny model as a 64x48, 2-step draft on the CPU."""
    argv = ["render", "--renderer", "diffusion", "--model", str(model), *choices]
    return cli.main([*argv, *f"--size 64x48 --steps 2 --device cpu --data {data_dir} --out {out}".split()])


def test_diffusion_render_with_the_tiny_model(data_dir, tmp_path):
    from .tiny_pipeline import build_tiny_pipeline

    model = build_tiny_pipeline(tmp_path / "tiny")
    out = tmp_path / "out"
    choices = "--genes TP53,LAIR1 --emulsions random --batch-size 2".split()
    assert tiny_diffusion_render(model, data_dir, out, *choices) == 0
    entries = batch.read_manifest(out)
    assert len(entries) == 2 and all(
        e["renderer"] == "diffusion" and e["model"] == "tiny (draft height=48, steps=2, width=64)" for e in entries
    )
    assert all((e["width"], e["height"]) == (64, 48) for e in entries)
    assert all((out / e["path"]).exists() for e in entries)


def test_the_diffusion_model_is_given_the_recorded_prompt_with_style_words_once(data_dir, tmp_path, encoded_texts):
    """The text each image's text encoder received is the manifest's prompt and negative prompt, word for word."""
    from pipeline.emulsions import get_emulsion

    from .tiny_pipeline import build_tiny_pipeline

    model = build_tiny_pipeline(tmp_path / "tiny")
    out = tmp_path / "out"
    assert tiny_diffusion_render(model, data_dir, out, *"--genes TP53 --emulsion E0042".split()) == 0
    [entry] = batch.read_manifest(out)
    emulsion = get_emulsion("E0042")
    assert encoded_texts == [entry["prompt"], entry["negative_prompt"]]
    assert entry["prompt"].count(emulsion.style_words) == 1 and entry["prompt"].endswith(", " + emulsion.style_words)
    assert entry["negative_prompt"] == emulsion.negative_words
