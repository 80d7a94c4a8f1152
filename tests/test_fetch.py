"""Downloading the official releases (against a local server standing in for them)."""

import http.server
import threading
from functools import partial

import pytest

from pipeline import cli
from pipeline.genes import locate as locate_module
from pipeline.sources.base import SourceError


@pytest.fixture
def mirror(fixture_sources):
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(fixture_sources))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def no_local_sources(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("ICONOPLASM_HOME", str(home))
    monkeypatch.setattr(locate_module, "candidate_dirs", lambda: [tmp_path / "absent", home / "sources"])
    return home


def test_build_downloads_when_no_sources_are_found(mirror, no_local_sources, fixture_sources, tmp_path):
    # The fixture names follow the local layout; a mirror serves the download names.
    (fixture_sources / "hgnc/hgnc_complete_set_2024-10.txt.gz").rename(fixture_sources / "hgnc/hgnc_complete_set.txt")
    out = tmp_path / "out"
    assert cli.main(["data", "build", "--mirror", mirror, "--out", str(out)]) == 0
    assert (no_local_sources / "sources/hgnc/hgnc_complete_set.txt").exists()
    assert (out / "genes.parquet").exists()


def test_unreachable_releases_say_so(no_local_sources, tmp_path, capsys):
    assert cli.main(["data", "build", "--mirror", "http://127.0.0.1:9", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "not reachable" in err and "ICONOPLASM_SOURCES" in err
    assert not list((no_local_sources / "sources").rglob("*.part"))


def test_fetch_raises_for_required_file(tmp_path):
    with pytest.raises(SourceError, match="hgnc"):
        locate_module.fetch(tmp_path, mirror="http://127.0.0.1:9", timeout=2)
