"""The emulsion table (gene_data/emulsions.csv) and its loader."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from pipeline.emulsions import (
    COLUMNS,
    EMULSIONS_CSV,
    PALETTES,
    SAMPLERS,
    TEXTURES,
    UnknownEmulsionError,
    get_emulsion,
    load_emulsions,
)
from pipeline.sources.base import SourceError


@pytest.fixture(scope="module")
def emulsions():
    return load_emulsions()


def test_real_table_loads_with_at_least_100_rows(emulsions):
    assert len(emulsions) >= 100


def test_ids_are_unique_well_formed_and_numbered_from_one(emulsions):
    with EMULSIONS_CSV.open(encoding="utf-8") as fh:
        ids = [row["emulsion_id"] for row in csv.DictReader(fh)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"E\d{4}", i) for i in ids)
    # Numbered E0001, E0002, ... in file order: new rows are appended, never renumbered.
    assert ids == [f"E{n:04d}" for n in range(1, len(ids) + 1)]


def test_names_are_unique_and_non_empty(emulsions):
    names = [e.name.strip().lower() for e in emulsions.values()]
    assert all(names)
    assert len(names) == len(set(names))


def test_every_field_is_in_range(emulsions):
    for e in emulsions.values():
        assert e.sampler in SAMPLERS, e
        assert e.palette in PALETTES, e
        assert e.texture in TEXTURES, e
        assert 20 <= e.steps <= 40, e
        assert 4 <= e.guidance <= 9, e
        assert 0.5 <= e.line_weight <= 4, e
        assert (e.width, e.height) in {(768, 1024), (832, 1216)}, e
        assert e.width % 8 == 0 and e.height % 8 == 0, e
        assert e.style_words.strip() and e.negative_words.strip(), e
        assert all(w.strip() for w in e.style_words.split(",")), e


def test_table_uses_a_variety_of_settings(emulsions):
    values = list(emulsions.values())
    assert len({e.sampler for e in values}) >= 6
    assert {e.palette for e in values} == set(PALETTES)
    assert {e.texture for e in values} == set(TEXTURES)


def test_a_handful_of_rows_name_artists(emulsions):
    with_artists = [e for e in emulsions.values() if e.artists]
    assert 3 <= len(with_artists) <= 15
    # One artist appears in more than one row, so an opt-out has several rows to remove.
    names = [a.strip() for e in with_artists for a in e.artists.split(";")]
    assert len(names) > len(set(names))


def test_public_never_includes_artists(emulsions):
    for e in emulsions.values():
        public = e.public
        assert "artists" not in public
        assert set(public) == set(COLUMNS) - {"artists"}
        if e.artists:
            for artist in e.artists.split(";"):
                assert artist.strip() not in repr(public)


def test_get_emulsion_finds_a_row(emulsions):
    assert get_emulsion("E0001", emulsions).name == emulsions["E0001"].name
    assert get_emulsion("E0001").emulsion_id == "E0001"


def test_get_emulsion_unknown_id_has_a_helpful_message(emulsions):
    with pytest.raises(UnknownEmulsionError) as info:
        get_emulsion("E9999", emulsions)
    message = str(info.value)
    assert "E9999" in message and "emulsions.csv" in message


# --- the loader rejects broken tables, naming the file -------------------------

GOOD_ROW = {
    "emulsion_id": "E0001",
    "name": "Test Style",
    "style_words": "ink, paper",
    "negative_words": "blurry",
    "sampler": "euler",
    "steps": "25",
    "guidance": "7.0",
    "width": "768",
    "height": "1024",
    "line_weight": "1.5",
    "palette": "noir",
    "texture": "paper",
    "finish": "woodblock",
    "artists": "",
}


def _write(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_loader_reads_a_small_valid_table(tmp_path):
    table = load_emulsions(_write(tmp_path / "ok.csv", [GOOD_ROW, {**GOOD_ROW, "emulsion_id": "E0002"}]))
    assert list(table) == ["E0001", "E0002"]
    assert table["E0001"].steps == 25 and table["E0001"].guidance == 7.0


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([GOOD_ROW, {**GOOD_ROW, "name": "Other"}], "duplicate"),
        ([{**GOOD_ROW, "sampler": "warp_drive"}], "sampler"),
        ([{**GOOD_ROW, "emulsion_id": "E12"}], "E0042"),
        ([{**GOOD_ROW, "emulsion_id": "X0001"}], "E0042"),
        ([{**GOOD_ROW, "palette": "plaid"}], "palette"),
        ([{**GOOD_ROW, "texture": "velvet"}], "texture"),
        ([{**GOOD_ROW, "steps": "many"}], "E0001"),
    ],
    ids=["duplicate-id", "unknown-sampler", "short-id", "bad-prefix", "unknown-palette", "unknown-texture", "bad-int"],
)
def test_loader_rejects_a_broken_table_naming_the_file(tmp_path, rows, expected):
    path = _write(tmp_path / "broken_emulsions.csv", rows)
    with pytest.raises(SourceError) as info:
        load_emulsions(path)
    message = str(info.value)
    assert str(path) in message
    assert expected in message


def test_loader_rejects_a_table_without_required_columns(tmp_path):
    path = tmp_path / "no_sampler.csv"
    path.write_text("emulsion_id,name\nE0001,Plain\n", encoding="utf-8")
    with pytest.raises(SourceError, match=re.escape(str(path))):
        load_emulsions(path)


def test_artists_column_is_optional(tmp_path):
    path = tmp_path / "no_artists.csv"
    columns = [c for c in COLUMNS if c != "artists"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerow(GOOD_ROW)
    assert load_emulsions(path)["E0001"].artists == ""
