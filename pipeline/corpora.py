"""Gene-mention corpora (PubTator files of annotated abstracts): reading them, and learning from them
the spellings papers use for human genes.

The corpora live in ``../shared/corpora/`` (see its README) and are never copied into the
repository; what is learnt from them is a table of facts (spelling → approved symbol) that the
extension ships as ``extension/src/shared/learned_names.js``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .paths import REPO_ROOT

# Where the corpora lie: beside the repository, as ../shared/corpora/.
DEFAULT_CORPORA = REPO_ROOT.parent / "shared" / "corpora"
CORPORA = {
    "NLM-Gene": Path("nlm_gene/NLMgene_Train.PubTator"),
    "GNormPlus": Path("gnormplus/GNormPlus_Train.PubTator"),
}
SPECIES = re.compile(r"\(Tax:\d+\)")


@dataclass
class Annotation:
    start: int
    end: int
    text: str
    kind: str
    ids: list[str]


@dataclass
class Document:
    pmid: str
    title: str
    abstract: str
    annotations: list[Annotation] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The text the offsets point into: title, a space, abstract."""
        return f"{self.title} {self.abstract}"


def read_pubtator(path: Path) -> list[Document]:
    """The documents of a PubTator file with their annotations (ids split, species suffixes dropped).

    Raises ValueError naming the line when a block has no title or abstract line.
    """
    documents: list[Document] = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        lines = block.strip().splitlines()
        if len(lines) < 2 or "|t|" not in lines[0] or "|a|" not in lines[1]:
            raise ValueError(f"{path}: a block does not start with title and abstract lines: {lines[:1]}")
        pmid, _, title = lines[0].split("|", 2)
        document = Document(pmid, title, lines[1].split("|", 2)[2])
        for line in lines[2:]:
            parts = line.split("\t")
            if len(parts) < 5:
                continue
            ids = [SPECIES.sub("", i).strip() for i in re.split(r"[,;]", parts[5] if len(parts) > 5 else "")]
            document.annotations.append(
                Annotation(int(parts[1]), int(parts[2]), parts[3], parts[4], [i for i in ids if i])
            )
        documents.append(document)
    return documents


def symbols_by_entrez(genes: pd.DataFrame) -> dict[str, str]:
    """entrez id (as text, as the corpora write it) → approved symbol, for the genes of a gene table."""
    known = genes.dropna(subset=["entrez_id"])
    return {str(int(entrez)): symbol for symbol, entrez in zip(known["symbol"], known["entrez_id"], strict=True)}


def learn_spellings(
    documents: list[Document],
    symbol_of_entrez: dict[str, str],
    *,
    min_documents: int = 2,
    min_agreement: float = 0.9,
    min_annotated_share: float = 0.5,
) -> dict[str, str]:
    """Spellings annotators wrote for exactly one human gene, and that mean that gene when they appear.

    A spelling is kept when it was annotated as a ``Gene`` in at least ``min_documents``
    documents (one abstract's coinage is not how papers write the gene), at least
    ``min_agreement`` of those annotations name the same human gene, and at least
    ``min_annotated_share`` of its appearances as a whole word in the texts are annotated (a word
    that is usually something else would cost precision on every page). Single characters and
    numbers are never kept.
    """
    meanings: dict[str, Counter] = defaultdict(Counter)
    annotated_in: dict[str, set[str]] = defaultdict(set)
    annotated_at: set[tuple[str, int]] = set()
    for document in documents:
        for annotation in document.annotations:
            if annotation.kind not in ("Gene", "FamilyName"):
                continue
            annotated_at.add((document.pmid, annotation.start))
            symbols = {symbol_of_entrez[i] for i in annotation.ids if i in symbol_of_entrez}
            if annotation.kind == "Gene" and len(symbols) == 1:
                meanings[annotation.text][next(iter(symbols))] += 1
                annotated_in[annotation.text].add(document.pmid)
            else:
                meanings[annotation.text]["(other)"] += 1
    learnt: dict[str, str] = {}
    for spelling, counts in meanings.items():
        symbol, agreeing = counts.most_common(1)[0]
        if symbol == "(other)" or len(spelling) < 2 or spelling.isdigit():
            continue
        if len(annotated_in[spelling]) < min_documents or agreeing / sum(counts.values()) < min_agreement:
            continue
        appearances = _appearances(documents, spelling)
        annotated = sum(1 for where in appearances if where in annotated_at)
        if appearances and annotated / len(appearances) >= min_annotated_share:
            learnt[spelling] = symbol
    return dict(sorted(learnt.items()))


def _appearances(documents: list[Document], spelling: str) -> list[tuple[str, int]]:
    """Where ``spelling`` appears as a whole word (no letter or digit either side) in the texts."""
    pattern = re.compile(rf"(?<![\w]){re.escape(spelling)}(?![\w])")
    return [(d.pmid, match.start()) for d in documents if spelling in d.text for match in pattern.finditer(d.text)]
