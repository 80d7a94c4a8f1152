from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.genes.build import build_gene_table
from pipeline.genes.locate import locate
from pipeline.paths import REPO_ROOT

from .fixture_sources import write_sources

REAL_SOURCES = REPO_ROOT.parent / "shared" / "gene_sources"

requires_real_sources = pytest.mark.skipif(
    not (REAL_SOURCES / "hgnc").is_dir(), reason=f"real upstream sources not found at {REAL_SOURCES}"
)


@pytest.fixture
def fixture_sources(tmp_path: Path) -> Path:
    return write_sources(tmp_path / "sources")


@pytest.fixture(scope="session")
def real_gene_table():
    """The gene table built once from ../shared/gene_sources."""
    if not (REAL_SOURCES / "hgnc").is_dir():
        pytest.skip(f"real upstream sources not found at {REAL_SOURCES}")
    return build_gene_table(locate(REAL_SOURCES))
