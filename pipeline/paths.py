"""Where the repository, its data and the local state live."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
GENE_DATA = REPO_ROOT / "gene_data"
SOURCE_MANIFEST = GENE_DATA / "sources.toml"


def iconoplasm_home() -> Path:
    """All local state (database, media, built tables): ``$ICONOPLASM_HOME`` or ``./var``."""
    return Path(os.environ.get("ICONOPLASM_HOME") or REPO_ROOT / "var")


def default_data_dir() -> Path:
    """Where ``iconoplasm data build`` writes genes.parquet by default."""
    return iconoplasm_home() / "data"
