import gzip
import zipfile

import pytest

from pipeline.sources.base import MissingSourceError, SourceError, iter_fasta, read_table, split_multi


def test_reads_plain_gzip_and_zip_alike(tmp_path):
    text = "a\tb\n1\t2\n"
    (tmp_path / "plain.tsv").write_text(text)
    with gzip.open(tmp_path / "packed.tsv.gz", "wt") as fh:
        fh.write(text)
    with zipfile.ZipFile(tmp_path / "archive.zip", "w") as archive:
        archive.writestr("inner.tsv", text)
    for name in ("plain.tsv", "packed.tsv.gz", "archive.zip"):
        frame = read_table(tmp_path / name, ["a", "b"])
        assert frame.to_dict("list") == {"a": [1], "b": [2]}


def test_bad_gzip_names_the_file(tmp_path):
    broken = tmp_path / "broken.tsv.gz"
    broken.write_bytes(gzip.compress(b"a\tb\n1\t2\n" * 1000)[:40])
    with pytest.raises(SourceError, match=r"broken\.tsv\.gz"):
        read_table(broken)


def test_missing_columns_are_listed(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text("x\ty\n1\t2\n")
    with pytest.raises(SourceError, match=r"t\.tsv: wrong columns: missing \['a'\]"):
        read_table(path, ["a", "x"])


def test_missing_file_is_a_missing_source(tmp_path):
    with pytest.raises(MissingSourceError, match=r"nope\.tsv"):
        read_table(tmp_path / "nope.tsv")


def test_fasta_without_header_is_rejected(tmp_path):
    path = tmp_path / "x.fasta"
    path.write_text("MKV\n>sp|P1|X_HUMAN\nMK\n")
    with pytest.raises(SourceError, match="not a FASTA"):
        list(iter_fasta(path))


def test_fasta_records_join_wrapped_lines(tmp_path):
    path = tmp_path / "x.fasta"
    path.write_text(">one\nMK\nVL\n>two\nAG\n")
    assert list(iter_fasta(path)) == [("one", "MKVL"), ("two", "AG")]


def test_split_multi_handles_quotes_and_empties():
    assert split_multi('"A|B"', "|") == ["A", "B"]
    assert split_multi(float("nan"), "|") == []
    assert split_multi("A, ,B", ",") == ["A", "B"]
