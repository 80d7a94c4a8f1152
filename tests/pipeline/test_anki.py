"""Anki decks: the package opened as Anki opens it, stable ids, escaping, and `iconoplasm anki` end to end."""

from __future__ import annotations

import hashlib
import html
import json

import genanki
import pandas as pd
import pytest

from pipeline import anki, cli
from pipeline.render import batch

from ..apkg import open_apkg
from ..backend.catalogue import write_catalogue
from ..backend.factories import png_bytes

RED, BLUE = png_bytes((200, 0, 0)), png_bytes((0, 0, 200))


def notes() -> list[anki.DeckNote]:
    return [
        anki.DeckNote("TP53", "tumor protein p53", ["6.8 kg ← 6.8 kDa", "age 41 ← first described 1979"], "A guardian.",
                      anki.Blot(RED, "png")),
        anki.DeckNote(
            "X<b>&1",
            'a "quoted" <script>alert(1)</script> name',
            ["<i>italic</i> ← & fact"],
            "summary with <img src=x onerror=alert(1)> & more",
            anki.Blot(BLUE, "webp"),
        ),
        anki.DeckNote("LAIR1", "leukocyte associated immunoglobulin like receptor 1", ["male ← transmembrane"], ""),
    ]  # fmt: skip


def test_the_package_holds_every_note_its_fields_cards_and_media(tmp_path):
    out = tmp_path / "deck.apkg"
    report = anki.write_deck(notes(), anki.GENES, "Genes", out)
    assert report == anki.DeckReport(notes=3, without_blot=["LAIR1"])
    deck = open_apkg(out)
    assert [note.fields[0] for note in deck.notes] == ["TP53", "X&lt;b&gt;&amp;1", "LAIR1"]
    red_name = f"TP53-blot-{hashlib.sha256(RED).hexdigest()[:8]}.png"
    assert deck.note("TP53").fields == [
        "TP53",
        "tumor protein p53",
        f'<img src="{red_name}" alt="TP53 blot">',
        "6.8 kg ← 6.8 kDa<br>age 41 ← first described 1979",
        "A guardian.",
    ]
    assert deck.media[red_name] == RED
    for note in deck.notes:
        assert deck.cards_of(note) == [0, 1]
    assert {did for _, _, did in deck.cards} == {anki.stable_id("iconoplasm", "deck", anki.GENES)}
    assert deck.decks[anki.stable_id("iconoplasm", "deck", anki.GENES)] == "Iconoplasm::Genes"
    model = deck.models[anki.MODEL.model_id]
    assert [field["name"] for field in model["flds"]] == ["Symbol", "Name", "Blot", "Traits", "Summary"]
    assert [template["name"] for template in model["tmpls"]] == ["Blot → gene", "Gene → blot"]


def test_every_field_made_of_data_is_escaped(tmp_path):
    out = tmp_path / "deck.apkg"
    anki.write_deck(notes(), anki.GENES, "Genes", out)
    note = open_apkg(out).note("X&lt;b&gt;&amp;1")
    symbol, name, blot, traits, summary = note.fields
    assert name == "a &quot;quoted&quot; &lt;script&gt;alert(1)&lt;/script&gt; name"
    assert traits == "&lt;i&gt;italic&lt;/i&gt; ← &amp; fact"
    assert summary == "summary with &lt;img src=x onerror=alert(1)&gt; &amp; more"
    assert [html.unescape(field) for field in (symbol, name, summary)] == [
        "X<b>&1",
        'a "quoted" <script>alert(1)</script> name',
        "summary with <img src=x onerror=alert(1)> & more",
    ]
    # The media name keeps only safe characters of the symbol, so the <img> is the only tag in the note.
    assert blot.startswith('<img src="X_b__1-blot-') and blot.endswith('.webp" alt="X&lt;b&gt;&amp;1 blot">')
    assert "<" not in "".join([symbol, name, traits, summary])


def test_a_gene_without_a_blot_still_has_both_cards_and_an_empty_blot_field(tmp_path):
    out = tmp_path / "deck.apkg"
    anki.write_deck(notes(), anki.GENES, "Genes", out)
    deck = open_apkg(out)
    lair1 = deck.note("LAIR1")
    assert lair1.fields[2] == "" and deck.cards_of(lair1) == [0, 1]
    assert "{{^Blot}}" in deck.models[anki.MODEL.model_id]["tmpls"][0]["qfmt"]
    assert len(deck.media) == 2


def test_ids_are_stable_across_exports_and_differ_between_deck_kinds(tmp_path):
    first, second, cast = tmp_path / "a.apkg", tmp_path / "b.apkg", tmp_path / "c.apkg"
    anki.write_deck(notes(), anki.GENES, "Genes", first)
    anki.write_deck(list(reversed(notes())), anki.GENES, "Genes", second)
    anki.write_deck(notes(), anki.cast_kind("weismann-barrier"), "Weismann barrier", cast)
    guids = [{note.fields[0]: note.guid for note in open_apkg(path).notes} for path in (first, second, cast)]
    assert guids[0] == guids[1]
    assert guids[0]["TP53"] == anki.note_guid("TP53", anki.GENES) == genanki.guid_for("TP53", "genes")
    assert all(guids[2][symbol] != guids[0][symbol] for symbol in guids[0])
    assert anki.note_guid("TP53", anki.DISCOVERIES) not in {guids[0]["TP53"], guids[2]["TP53"]}
    models = [set(open_apkg(path).models) for path in (first, cast)]
    assert models[0] == models[1] == {anki.MODEL.model_id}
    decks = [set(open_apkg(path).decks) for path in (first, second, cast)]
    assert decks[0] == decks[1] and decks[0] != decks[2]


def test_bad_deck_kinds_and_repeated_genes_are_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown deck kind"):
        anki.write_deck(notes(), "cast:", "x", tmp_path / "x.apkg")
    with pytest.raises(ValueError, match="TP53 repeated"):
        anki.write_deck([*notes(), notes()[0]], anki.GENES, "x", tmp_path / "x.apkg")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path, monkeypatch):
    out = tmp_path / "deck.apkg"
    anki.write_deck(notes()[:1], anki.GENES, "Genes", out)
    before = out.read_bytes()

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(genanki.Package, "write_to_db", broken)
    with pytest.raises(OSError, match="disk full"):
        anki.write_deck(notes(), anki.GENES, "Genes", out)
    assert out.read_bytes() == before and list(tmp_path.iterdir()) == [out]


# ---------------------------------------------------------------- the command line


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    write_catalogue(folder)
    return folder


@pytest.fixture(scope="module")
def render_dir(data_dir, tmp_path_factory):
    """TP53 rendered twice (seeds 1 then 2) by the real procedural renderer; LAIR1 never."""
    out = tmp_path_factory.mktemp("render")
    for seed in ("1", "2"):
        assert cli.main(["render", "--genes", "TP53", "--seed", seed, "--data", str(data_dir), "--out", str(out)]) == 0
    return out


def anki_argv(data_dir, render_dir, out, *choice: str) -> list[str]:
    tables = ["--genes-table", str(data_dir / "genes.parquet"), "--traits", str(data_dir / "traits.parquet")]
    return ["anki", *choice, "--render-dir", str(render_dir), "--out", str(out), *tables]


def test_cli_deck_of_genes_uses_the_newest_blot_and_resolves_aliases(data_dir, render_dir, tmp_path, capsys):
    out = tmp_path / "deck.apkg"
    assert cli.main(anki_argv(data_dir, render_dir, out, "--genes", "p53,LAIR1,TP53")) == 0
    assert "wrote 2 note(s), 4 cards (1 without a blot: LAIR1)" in capsys.readouterr().out
    deck = open_apkg(out)
    assert [note.fields[0] for note in deck.notes] == ["TP53", "LAIR1"]
    newest = [entry for entry in batch.read_manifest(render_dir) if entry["symbol"] == "TP53"][-1]
    assert newest["seed"] == 2
    blot = (render_dir / newest["blot_path"]).read_bytes()
    tp53 = deck.note("TP53")
    [name] = deck.media
    assert deck.media[name] == blot and f'src="{name}"' in tp53.fields[2] and name.endswith(".webp")
    assert tp53.fields[1] == "tumor protein p53"
    assert tp53.fields[3].split("<br>")[1:3] == ["6.8 kg ← 6.8 kDa", "age 41 ← first described 1979 (PMID 2000)"]
    assert tp53.fields[4] == "This gene encodes a tumor suppressor."
    assert deck.note("LAIR1").fields[2] == ""
    assert tp53.guid == anki.note_guid("TP53", anki.GENES)


def test_cli_deck_of_a_cast_reports_names_that_are_no_gene(data_dir, render_dir, tmp_path, capsys):
    scenarios = tmp_path / "scenarios.json"
    sides = [{"name": "self-destruct first", "genes": ["TP53", "NOTAGENE"]}, {"name": "bystanders", "genes": ["CD305"]}]
    scenarios.write_text(
        json.dumps(
            {"scenarios": [{"id": "oncogene-induced-apoptosis", "title": "Oncogene <apoptosis>", "sides": sides}]}
        )
    )
    out = tmp_path / "cast.apkg"
    argv = anki_argv(data_dir, render_dir, out, "--cast", "oncogene-induced-apoptosis", "--casts-file", str(scenarios))
    assert cli.main(argv) == 0
    assert "'NOTAGENE' (self-destruct first) names no gene" in capsys.readouterr().err
    deck = open_apkg(out)
    assert [note.fields[0] for note in deck.notes] == ["TP53", "LAIR1"]
    kind = anki.cast_kind("oncogene-induced-apoptosis")
    assert deck.note("TP53").guid == anki.note_guid("TP53", kind) != anki.note_guid("TP53", anki.GENES)
    assert deck.decks[anki.stable_id("iconoplasm", "deck", kind)] == "Iconoplasm::Oncogene <apoptosis>"

    assert cli.main([*argv[:2], "no-such-cast", *argv[3:]]) == 2
    assert "unknown cast 'no-such-cast'; the casts are: oncogene-induced-apoptosis" in capsys.readouterr().err


def test_cli_unknown_genes_are_named_and_nothing_is_written(data_dir, render_dir, tmp_path, capsys):
    out = tmp_path / "deck.apkg"
    assert cli.main(anki_argv(data_dir, render_dir, out, "--genes", "TP53,NOTAGENE,ALSONOT")) == 2
    assert "unknown gene symbol(s): NOTAGENE, ALSONOT" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("damage", ["missing", "corrupt", "no columns"])
def test_cli_a_missing_or_corrupt_table_is_a_clear_error_without_output(data_dir, render_dir, tmp_path, capsys, damage):
    genes = tmp_path / "genes.parquet"
    if damage == "corrupt":
        genes.write_bytes((data_dir / "genes.parquet").read_bytes()[:500])
    elif damage == "no columns":
        pd.DataFrame({"symbol": ["TP53"]}).to_parquet(genes)
    out = tmp_path / "deck.apkg"
    argv = anki_argv(data_dir, render_dir, out, "--genes", "TP53")
    argv[argv.index("--genes-table") + 1] = str(genes)
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert str(genes) in err and "Traceback" not in err
    assert {"missing": "not found", "corrupt": "not a readable gene table", "no columns": "lacks the column"}[
        damage
    ] in err
    assert sorted(path.name for path in tmp_path.iterdir()) == ([] if damage == "missing" else ["genes.parquet"])


def test_cli_a_render_folder_without_a_manifest_is_a_clear_error(data_dir, tmp_path, capsys):
    out = tmp_path / "deck.apkg"
    assert cli.main(anki_argv(data_dir, tmp_path, out, "--genes", "TP53")) == 2
    assert "no render manifest" in capsys.readouterr().err and not out.exists()
