"""Where the tests find the real upstream files (the same folder `iconoplasm data build` reads by default)."""

from pipeline.paths import REPO_ROOT

REAL_SOURCES = REPO_ROOT.parent / "shared" / "gene_sources"


def real_sources_present() -> bool:
    return (REAL_SOURCES / "hgnc").is_dir()
