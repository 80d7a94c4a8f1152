"""Write the matcher's test fixtures from the full lexicon (analysis time only, like derive_blocklist.py).

    python extension/tools/make_fixtures.py LEXICON.json

- test/fixtures/prose.txt: about 10,000 words of ordinary English (common words from Debian's
  wamerican-small, all-caps headings, acronyms, codes like COVID-19 and F-16), seeded, so the
  same text comes out every time. No gene is named in it; the matcher must find nothing.
- test/fixtures/lexicon_sample.json: the real lexicon rows of every gene that any token of the
  prose names (exactly, or upper-cased), plus the genes the unit tests name, so the prose test
  runs against the genes that could really collide, and the targets of publication_names.js.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "test" / "fixtures"
COMMON_WORDS = "/usr/share/dict/american-english-small"
WORDS_WANTED = 10_000

FUNCTION_WORDS = "the a an of to in on at by for with from and but or as that this these it we they you is was are were has had will can may".split()
ACRONYMS = """IT OK AI US USA UK EU UN TV PC CEO CFO HR PR FAQ PDF URL API CPU GPU USB HTML ID VIP DIY ASAP FYI
BBC CNN NASA FBI CIA NATO GDP IQ PM AM AD BC MD PhD MBA NY LA DC ICU GP BMI DJ CD DVD GPS SMS MAX MIN YES NO
MARCH MAY JUNE JULY AUGUST MON TUE WED THU FRI SAT SUN BEST SET CAT IMPACT NOTE WARNING FREE NEW SALE TOP
COVID-19 X-ray T-shirt e-mail Wi-Fi U-turn A-list K-12 F-16 B-52 G-20 MP3 4K 5G H1N1 V8 R2-D2 PS5 iPhone A4
M25 I-95 Mark-II 3D DNA RNA HIV LGBTQ ETA RSVP SUV ATM PIN ZIP LOL OMG BTW TBA""".split()
TEST_GENES = """TP53 BRCA1 PALB2 HLA-A HLA-B NKX2-1 C9orf72 IL6 TNF TGFB1 MTOR AKT1 MMP9 ERBB2 IL1B HIF1A IFNG MYC
CDKN1A CD274 PDCD1 CTLA4 CTNNB1 CDH1 BCL2 MAPK14 NFKBIA PRKCA SET CAT MAX IMPACT BEST1 KIT MET BSG""".split()


def prose(rng: random.Random, words: list[str]) -> str:
    paragraphs, count = [], 0
    while count < WORDS_WANTED:
        heading = " ".join(rng.choice(words).upper() for _ in range(rng.randint(2, 4)))
        sentences = []
        for _ in range(rng.randint(4, 8)):
            sentence = []
            for _ in range(rng.randint(7, 18)):
                roll = rng.random()
                sentence.append(
                    rng.choice(FUNCTION_WORDS)
                    if roll < 0.35
                    else rng.choice(ACRONYMS)
                    if roll < 0.43
                    else str(rng.randint(1, 2030))
                    if roll < 0.46
                    else rng.choice(words)
                )
            sentence[0] = sentence[0][:1].upper() + sentence[0][1:]
            if len(sentence) > 8:
                sentence[rng.randint(3, len(sentence) - 3)] += ","
            sentences.append(" ".join(sentence) + rng.choice([".", ".", ".", "?", "!"]))
            count += len(sentence)
        paragraphs.append(heading + "\n\n" + " ".join(sentences))
    return "\n\n".join(paragraphs) + "\n"


def main() -> None:
    rows = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))["genes"]
    lines = Path(COMMON_WORDS).read_text(encoding="utf-8").splitlines()
    words = sorted({w.strip() for w in lines if re.fullmatch(r"[a-z]{2,}", w.strip())})
    text = prose(random.Random(19290), words)
    tokens = set(re.findall(r"[^\W_]+(?:-[^\W_]+)*", text))
    tokens |= {part for token in tokens for part in token.split("-")}
    tokens |= {token.replace("-", "") for token in tokens}
    tokens |= {token.upper() for token in tokens}
    curated = Path(__file__).resolve().parent.parent / "src" / "shared" / "publication_names.js"
    wanted = set(TEST_GENES) | set(re.findall(r':\s*"([^"]+)"', curated.read_text(encoding="utf-8")))
    sample = [row for row in rows if row[0] in wanted or tokens & {row[0], *row[4], *row[5]}]
    FIXTURES.mkdir(parents=True, exist_ok=True)
    (FIXTURES / "prose.txt").write_text(text, encoding="utf-8")
    body = {
        "format": 2,
        "fields": ["symbol", "color_hex", "text_color_hex", "name", "aliases", "previous_symbols", "names"],
        "genes": sample,
    }
    (FIXTURES / "lexicon_sample.json").write_text(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(
        f"{len(text.split())} words of prose; {len(sample)} of {len(rows)} genes in the sample lexicon", file=sys.stderr
    )


if __name__ == "__main__":
    main()
