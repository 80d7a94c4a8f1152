"""Benchmark: how often the extension's highlights are right, on abstracts people annotated and on ordinary prose.

Runs the extension's own matching (``extension/src/shared/matcher.js`` under node, one page
matcher per document, as a tab uses it) over:

- the gene-mention corpora in ``../shared/corpora/`` (PubTator: NLM-Gene and GNormPlus training
  splits), scored as their README says: a highlight is right when it overlaps a ``Gene`` or
  ``FamilyName`` mention; recall is over the ``Gene`` mentions with a human protein-coding id (an
  ``entrez_id`` of the gene table). Each document is a page of two texts, title and abstract.
- the prose fixtures in ``extension/test/fixtures/`` (technical prose with no genes in it):
  every highlight there is false; the target is at most 1 per 10,000 words.

Prints precision, recall and F1 per corpus, the false highlights and misses by category with
their commonest tokens, and the prose false highlights. Targets: precision >= 0.95 and recall
>= 0.75 on both corpora.

    python bench/highlight_quality.py [--corpora DIR] [--genes PATH] [--show N]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.corpora import (
    CORPORA,
    DEFAULT_CORPORA,
    Annotation,
    Document,
    learn_spellings,
    read_pubtator,
    symbols_by_entrez,
)
from pipeline.paths import REPO_ROOT, default_data_dir

PROSE = sorted((REPO_ROOT / "extension/test/fixtures").glob("prose*.txt"))
MATCH_SCRIPT = REPO_ROOT / "bench/highlight_quality.mjs"
RIGHT_TYPES = {"Gene", "FamilyName"}
DEFINED = re.compile(r"\(([^()]{2,12})\)")


def lexicon_genes(genes_path: Path) -> tuple[list[dict], dict[str, str]]:
    """The matcher's view of the gene table (symbol, name, aliases, previous, names) and entrez id → symbol."""
    table = pd.read_parquet(genes_path, columns=["symbol", "name", "aliases", "prev_symbols", "names", "entrez_id"])
    genes = [
        {
            "symbol": row.symbol,
            "name": row.name,
            "aliases": list(row.aliases),
            "previous": list(row.prev_symbols),
            "names": list(row.names),
        }
        for row in table.itertuples()
    ]
    return genes, symbols_by_entrez(table)


def run_matcher(
    genes: list[dict], pages: list[list[str]], learned: dict[str, str] | None = None
) -> list[list[list[tuple[int, int, str]]]]:
    """Mentions per page per text, from the extension's matcher under node (``learned`` replaces its learnt spellings)."""
    request = {"genes": genes, "pages": pages} | ({"learned": learned} if learned is not None else {})
    answer = subprocess.run(
        ["node", str(MATCH_SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(answer.stdout)


def document_highlights(document: Document, found: list[list[tuple[int, int, str]]]) -> list[tuple[int, int, str]]:
    """The highlights of a document's title and abstract, as offsets into ``title + " " + abstract``."""
    title, abstract = found
    shift = len(document.title) + 1
    return [tuple(m) for m in title] + [(start + shift, end + shift, symbol) for start, end, symbol in abstract]


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def false_category(document: Document, token: str) -> str:
    """Why a false highlight was probably taken for a gene, for the report only."""
    if any(short.strip() == token for short in DEFINED.findall(document.text)):
        return "abbreviation defined in the text"
    if token.isdigit():
        return "bare number"
    if (re.search(r"\d", token) and re.search(r"[-]", token)) or re.fullmatch(r"[A-Z]+\d{3,}", token):
        return "cell line or dashed code"
    if token.islower():
        return "lower-case word"
    return "other"


def miss_category(annotation: Annotation) -> str:
    """What kind of spelling a missed gene mention is, for the report only."""
    text = annotation.text
    if len(annotation.ids) > 1 or "/" in text:
        return "group or several genes"
    if re.search(r"[a-z]{3,}", text) and (" " in text or text.islower() or (text[:1].isupper() and text[1:].islower())):
        return "name in words"
    if re.search(r"[a-z]", text) and re.search(r"[A-Z0-9]", text):
        return "mixed-case spelling"
    return "other"


@dataclass
class Score:
    highlights: int = 0
    right: int = 0
    targets: int = 0
    recalled: int = 0
    false: Counter = field(default_factory=Counter)
    missed: Counter = field(default_factory=Counter)
    # (false or missed token) -> a few of the sentences it was in, for --context
    seen_in: dict = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.right / self.highlights if self.highlights else 0.0

    @property
    def recall(self) -> float:
        return self.recalled / self.targets if self.targets else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(documents: list[Document], found: list, human_ids: set[str]) -> Score:
    """Precision over highlights and recall over human protein-coding gene mentions (see the module doc)."""
    result = Score()
    for document, mentions in zip(documents, found, strict=True):
        highlights = document_highlights(document, mentions)
        right_spans = [(a.start, a.end) for a in document.annotations if a.kind in RIGHT_TYPES]
        for start, end, _symbol in highlights:
            result.highlights += 1
            if any(overlaps((start, end), span) for span in right_spans):
                result.right += 1
            else:
                token = document.text[start:end]
                result.false[(false_category(document, token), token)] += 1
                result.seen_in.setdefault(token, []).append(document.text[max(0, start - 70) : end + 50])
        for annotation in document.annotations:
            if annotation.kind != "Gene" or not human_ids.intersection(annotation.ids):
                continue
            result.targets += 1
            if any(overlaps((start, end), (annotation.start, annotation.end)) for start, end, _ in highlights):
                result.recalled += 1
            else:
                result.missed[(miss_category(annotation), annotation.text)] += 1
                around = document.text[max(0, annotation.start - 70) : annotation.end + 50]
                result.seen_in.setdefault(annotation.text, []).append(around)
    return result


def by_category(counts: Counter, show: int) -> list[str]:
    """Lines: each category's share and its commonest tokens."""
    total = sum(counts.values())
    categories: dict[str, Counter] = {}
    for (category, token), n in counts.items():
        categories.setdefault(category, Counter())[token] += n
    lines = []
    for category, tokens in sorted(categories.items(), key=lambda item: -sum(item[1].values())):
        n = sum(tokens.values())
        top = ", ".join(f"{token} ×{k}" for token, k in tokens.most_common(show))
        lines.append(f"    {category}: {n} ({n / total:.0%}): {top}")
    return lines


def table_row(label: str, documents: int, result: Score) -> str:
    return f"{label:<34} {documents:>9} {result.highlights:>10} {result.precision:>9.3f} {result.recall:>7.3f} {result.f1:>6.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument(
        "--genes", type=Path, default=default_data_dir() / "genes.parquet", help="gene table (iconoplasm data build)"
    )
    parser.add_argument("--show", type=int, default=8, help="tokens shown per error category")
    parser.add_argument("--context", action="append", default=[], help="print where this false or missed token was")
    args = parser.parse_args()
    if not args.genes.exists():
        raise SystemExit(f"{args.genes} not found: run `iconoplasm data build` first")
    genes, symbol_of_entrez = lexicon_genes(args.genes)
    human_ids = set(symbol_of_entrez)

    corpora = {name: read_pubtator(args.corpora / path) for name, path in CORPORA.items()}
    prose = {path.name: path.read_text(encoding="utf-8") for path in PROSE}
    pages = [[d.title, d.abstract] for documents in corpora.values() for d in documents]
    found = run_matcher(genes, pages + [[text] for text in prose.values()])

    print(f"{'corpus':<34} {'documents':>9} {'highlights':>10} {'precision':>9} {'recall':>7} {'F1':>6}")
    reports = []
    for name, documents in corpora.items():
        result = score(documents, found[: len(documents)], human_ids)
        found = found[len(documents) :]
        print(table_row(f"{name} (shipped spellings)", len(documents), result))
        reports.append((name, result))
    # The learnt spellings come from these very abstracts; learnt from the other corpus only,
    # the score says how the rules do on abstracts they never saw.
    for name, documents in corpora.items():
        others = [d for other, docs in corpora.items() if other != name for d in docs]
        learned = learn_spellings(others, symbol_of_entrez)
        held_out = run_matcher(genes, [[d.title, d.abstract] for d in documents], learned)
        print(table_row(f"{name} (learnt from the other only)", len(documents), score(documents, held_out, human_ids)))
    print("targets: precision >= 0.95 and recall >= 0.75 on both corpora")
    for name, result in reports:
        print(f"\n{name}: {sum(result.false.values())} false highlights")
        print("\n".join(by_category(result.false, args.show)))
        print(f"{name}: {sum(result.missed.values())} of {result.targets} human gene mentions missed")
        print("\n".join(by_category(result.missed, args.show)))
        for token in args.context:
            for around in result.seen_in.get(token, [])[:4]:
                print(f"      {token}: …{around}…")

    print("\nprose with no genes (target: at most 1 false highlight per 10,000 words)")
    total_words = sum(len(text.split()) for text in prose.values())
    total_false = sum(len(mentions[0]) for mentions in found)
    print(
        f"    all: {total_words} words, {total_false} false highlights ({total_false / total_words * 10_000:.1f} per 10,000 words)"
    )
    for (name, text), mentions in zip(prose.items(), found, strict=True):
        words = len(text.split())
        tokens = Counter(text[start:end] for start, end, _ in mentions[0])
        listed = ", ".join(f"{token} ×{n}" for token, n in tokens.most_common(args.show))
        print(
            f"    {name}: {words} words, {len(mentions[0])} false highlights ({len(mentions[0]) / words * 10_000:.1f} per 10,000 words){': ' + listed if listed else ''}"
        )


if __name__ == "__main__":
    main()
