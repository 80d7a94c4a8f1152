"""Deterministic character descriptions ("samples") and diffusion tags.

Every gene already has its traits (sex, weight, age, aesthetics, fantastic
feature, family, skin colour, faction, ...).  This module turns them into

* a *sample*: a 120–400-word character description (:func:`write_sample`),
  numbered per gene (:func:`sample_label`, e.g. ``COASY-2``), and
* *tags*: the sample condensed into comma-separated tags for a 77-token text
  encoder (:func:`tags_for`, :func:`tag_groups`).

Why deterministic: the default pipeline must run offline, for all 19k genes, in
seconds, and give the same text on every machine.  Every "random" choice is a
stable hash (``hashlib.blake2b``, never Python's salted ``hash()``) of

* the gene symbol plus the version number, for personal choices, and
* the family stem plus the version number, for family choices (hair, face,
  family motto, home), so relatives share a resemblance without being clones.

The signature prop and fighting style echo what the gene does: keywords in the
NCBI summary, the full name and the Pfam clan names select one of a handful of
function archetypes (kinase → a phosphate stamp, channel → gates, protease →
blades, ...), with a generic fallback.

All phrase banks are written for this project.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = [
    "COLOUR_WORDS",
    "MAX_TAG_WORDS",
    "MAX_WORDS",
    "MIN_WORDS",
    "TAG_CATEGORIES",
    "Plan",
    "function_archetype",
    "plan_for",
    "sample_label",
    "skin_tag",
    "strip_colour_words",
    "tag_groups",
    "tags_for",
    "word_count",
    "write_sample",
]

#: Tag categories, in the order they appear in :func:`tags_for`.
TAG_CATEGORIES: tuple[str, ...] = (
    "archetype",
    "body",
    "face",
    "hair",
    "outfit",
    "accessories",
    "fantastical",
    "pose",
    "background",
    "composition",
)

#: Upper bound on the number of words in :func:`tags_for` (≈ a 77-token CLIP prompt).
MAX_TAG_WORDS = 60

#: Words that name a colour.  Tags may use them only in the skin tag: the skin
#: colour is a trait (hue = first letter, saturation = tau, lightness = LOEUF),
#: and any other colour in the prompt would blur it.
COLOUR_WORDS: frozenset[str] = frozenset(
    """
    red reds reddish orange orangey yellow yellowish green greenish blue bluish
    purple purplish violet pink pinkish brown brownish black blackened white
    whitish grey gray greyish grayish gold golden silver silvery cyan magenta
    teal turquoise beige crimson scarlet maroon navy indigo lavender lilac amber
    ivory cream tan bronze copper ochre olive mint peach coral rose ruby emerald
    sapphire azure cobalt charcoal ebony khaki plum mauve fuchsia lime rust
    sepia vermilion cerulean chartreuse pastel pastels neon blonde blond auburn
    brunette ginger platinum jade onyx pearl slate burgundy cherry lemon
    aqua aquamarine periwinkle cyber-pink rainbow monochrome sable cinnamon
    chestnut mahogany sienna umber taupe ecru vanilla bubblegum candy-pink
    """.split()
)

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*")


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------


def _h(seed: str) -> int:
    """A stable 64-bit integer for ``seed`` (same on every run and machine)."""
    return int.from_bytes(hashlib.blake2b(seed.encode("utf-8"), digest_size=8).digest(), "big")


def _pick(seed: str, key: str, options: Sequence[Any]) -> Any:
    """Choose one of ``options`` from a stable hash of ``seed`` and ``key``."""
    return options[_h(f"{seed}\x1f{key}") % len(options)]


#: Slots of one 64-byte digest: one hash per seed feeds up to 16 independent choices.
_SLOTS = {
    k: i for i, k in enumerate("wadj stature temper pose comp title prop style open feat tm lead nosum faction".split())
}
_FSLOTS = {k: i for i, k in enumerate("hair face motto bg".split())}


@lru_cache(maxsize=65536)
def _digest(seed: str) -> bytes:
    """64 stable bytes for ``seed`` (blake2b); sliced into 4-byte choices by :func:`_choose`."""
    return hashlib.blake2b(seed.encode("utf-8"), digest_size=64).digest()


def _choose(seed: str, slot: int, options: Sequence[Any]) -> Any:
    """Choose one of ``options`` from 4 bytes (``slot``) of the digest of ``seed``."""
    d = _digest(seed)
    return options[int.from_bytes(d[4 * slot : 4 * slot + 4], "big") % len(options)]


def word_count(text: str) -> int:
    """Number of whitespace-separated words in ``text``."""
    return len(text.split())


@lru_cache(maxsize=8192)
def strip_colour_words(text: str) -> str:
    """Remove every word in :data:`COLOUR_WORDS` from ``text`` (case-insensitive)."""
    kept = [w for w in text.split() if w.lower().strip(".,;:!?()'\"") not in COLOUR_WORDS]
    return " ".join(kept)


def _get(traits: Mapping[str, Any] | Any, key: str, default: Any = None) -> Any:
    """Read ``key`` from a dict or a pandas row, treating NaN/None as ``default``."""
    try:
        value = traits[key]
    except (KeyError, IndexError, TypeError):
        return default
    if value is None:
        return default
    if isinstance(value, float) and value != value:  # NaN
        return default
    return value


def _as_list(value: Any) -> list[str]:
    """Lists, tuples, numpy arrays or a single string → list of non-empty strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    try:
        return [str(v) for v in list(value) if v is not None and str(v).strip()]
    except TypeError:
        return []


def _join(items: Sequence[str], conj: str = "and") -> str:
    """English list: 'a', 'a and b', 'a, b and c'."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _with_article(phrase: str) -> str:
    """'pig nose' → 'a pig nose'; plurals and pairs ('metal hands') stay bare."""
    p = phrase.strip()
    if not p:
        return p
    words = p.split()
    if " and " in p or (words[-1].endswith("s") and not words[-1].endswith("ss")):
        return p
    if words[0].lower() in {"a", "an", "the", "one", "two"}:
        return p
    return ("an " if p[0].lower() in "aeiou" else "a ") + p


def sample_label(symbol: str, version: int = 1) -> str:
    """The public name of one numbered sample of a gene: ``sample_label("COASY", 2) == "COASY-2"``."""
    return f"{symbol}-{int(version)}"


# --------------------------------------------------------------------------
# trait → words
# --------------------------------------------------------------------------

# (upper bound in kg, sample adjectives, tag phrase, two stature sentence fragments)
_WEIGHT_BANDS: tuple[tuple[float, tuple[str, ...], str, str, str], ...] = (
    (
        8,
        ("sprite-sized", "featherweight", "pocket-sized"),
        "tiny sprite build",
        "could perch on a teacup",
        "could ride a sparrow into battle",
    ),
    (
        20,
        ("elfin", "slight", "bird-boned"),
        "petite slight build",
        "slips through keyholes when nobody is looking",
        "is easily lifted by a gust of wind",
    ),
    (
        40,
        ("lithe", "wiry", "slender"),
        "slender wiry build",
        "moves like a drawn bowstring",
        "is all tendon and quick decisions",
    ),
    (
        70,
        ("well-proportioned", "athletic", "compact"),
        "athletic build",
        "carries an ordinary human heft with unusual poise",
        "is built for long days and short sprints",
    ),
    (
        110,
        ("sturdy", "broad-shouldered", "solid"),
        "sturdy broad build",
        "fills a doorway comfortably",
        "has the settled weight of a good oak table",
    ),
    (
        200,
        ("heavyset", "burly", "barrel-chested"),
        "burly heavy build",
        "makes floorboards reconsider their life choices",
        "has shoulders like a pair of anvils",
    ),
    (
        450,
        ("hulking", "ogre-sized", "towering"),
        "hulking giant build",
        "has to duck under bridges",
        "leaves footprints that fill with rain",
    ),
    (
        1000,
        ("colossal", "mountainous", "giant"),
        "colossal giant",
        "is mistaken for scenery from a distance",
        "uses a cart as a footstool",
    ),
    (
        float("inf"),
        ("titanic", "earth-shaking", "leviathan"),
        "titanic colossus",
        "makes the ground tremble with every step",
        "casts a shadow that has its own weather",
    ),
)


def _weight_band(kg: float) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    for bound, adjs, tag, *frags in _WEIGHT_BANDS:
        if kg < bound:
            return adjs, tag, tuple(frags)
    raise AssertionError("unreachable")


def _age_words(age: int) -> tuple[str, str, str]:
    """(sample phrase, tag phrase, face detail) for an age in years (may be negative)."""
    if age < 0:
        born = 2020 - age
        return (
            f"not yet born — a newcomer from the future, named in {born}, "
            f"{-age} year{'s' if age != -1 else ''} ahead of everyone else",
            "time traveller",
            "a faint shimmer as if not quite arrived yet",
        )
    if age == 0:
        return ("brand new, named in 2020 and still blinking at the world", "newborn youth", "wide wondering eyes")
    if age <= 8:
        return (f"a youngster of {age}", "young", "round youthful cheeks")
    if age <= 20:
        return (f"{age} years old and full of nerve", "young adult", "a fresh unlined face")
    if age <= 35:
        return (f"{age} years old and in full bloom", "adult", "a confident steady gaze")
    if age <= 50:
        return (f"a seasoned {age}-year-old", "middle-aged", "laugh lines and a knowing look")
    if age <= 70:
        return (f"an elder of {age}", "elderly", "deep wrinkles and a wise squint")
    return (f"an ancient of {age} years who remembers the first gels", "ancient elder", "a deeply weathered face")


def _skin_words(color_name: str, lightness: float, saturation: float) -> tuple[str, str]:
    """(sample phrase, tag phrase) describing skin from its named colour, lightness and vividness."""
    if lightness < 0.12:
        light = "near-black"
    elif lightness < 0.3:
        light = "deep dark"
    elif lightness < 0.45:
        light = "dusky"
    elif lightness < 0.6:
        light = "mid-toned"
    elif lightness < 0.75:
        light = "light"
    elif lightness < 0.9:
        light = "pale"
    else:
        light = "almost white"
    if lightness < 0.12 or lightness >= 0.9 or saturation < 0.15:
        vivid = "muted"
        vivid_text = "with barely a trace of hue"
    elif saturation < 0.4:
        vivid = "soft"
        vivid_text = "with a soft, understated tint"
    elif saturation < 0.7:
        vivid = "rich"
        vivid_text = "with a rich, warm saturation"
    else:
        vivid = "vivid"
        vivid_text = "so vivid it almost glows"
    name = color_name.strip() or "indeterminate"
    return f"{light} {name} {vivid_text}", f"{light} {vivid} {name} skin"


_FACTION_TEXT: dict[str, tuple[str, ...]] = {
    "pro-growth": (
        "{P} marches with the pro-growth faction: an oncogene at heart, forever urging cells to divide, "
        "and a little too fond of the word 'more'.",
        "Politically, {p} is pro-growth to the bone — an oncogene who believes every cell deserves to "
        "multiply, and who hands out proliferation pamphlets at every checkpoint.",
    ),
    "pro-control": (
        "{P} is a stalwart of the pro-control faction: a tumour suppressor who keeps the brakes on "
        "runaway cells and never skips a checkpoint.",
        "Politically, {p} sides with pro-control — a tumour suppressor, sworn to halt reckless division "
        "and guard the genome's old laws.",
    ),
    "turncoat": (
        "{P} is a notorious turncoat, fighting for pro-growth one day and pro-control the next: "
        "oncogene and tumour suppressor by turns, trusted by neither side.",
        "Politically, {p} is a turncoat — sometimes an oncogene, sometimes a tumour suppressor, "
        "a double agent in the long war between growth and control.",
    ),
    "none": (
        "{P} belongs to no faction and sits out the war between growth and control, with no known cancer role.",
        "In the war between the growth and control factions, {p} stays neutral, carrying no banner "
        "and no known cancer role.",
    ),
}

_FACTION_TAG = {
    "pro-growth": "rebel insignia",
    "pro-control": "guardian insignia",
    "turncoat": "double-agent insignia",
    "none": "",
}

_TEMPERAMENTS: tuple[tuple[str, str], ...] = (
    ("patient and watchful, speaking only when it matters", "calm watchful expression"),
    ("restless and curious, forever poking at things to see what they do", "curious expression"),
    ("warm-hearted but stubborn as a knot", "warm stubborn smile"),
    ("dry-witted, with a habit of understatement", "wry smirk"),
    ("fiercely loyal and quick to anger", "fierce glare"),
    ("dreamy, half-lost in private calculations", "dreamy distant gaze"),
    ("meticulous to a fault, counting everything twice", "focused serious expression"),
    ("cheerful and theatrical, never missing a chance to make an entrance", "broad theatrical grin"),
    ("shy in crowds but fearless alone", "shy sidelong glance"),
    ("proud, formal and old-fashioned in manners", "proud composed expression"),
    ("mischievous, with a trickster's sense of timing", "mischievous grin"),
    ("gentle and unhurried, a calming presence", "serene expression"),
)

# Family-level looks (seeded by family stem): relatives share them.
_FAMILY_HAIR: tuple[tuple[str, str], ...] = (
    ("a long braid wound around the head like a crown", "crown braid"),
    ("a sharp asymmetric undercut", "asymmetric undercut"),
    ("wild, wind-tossed curls", "wild curly hair"),
    ("a sleek high ponytail", "sleek high ponytail"),
    ("a shaved head with a single engraved line", "shaved head"),
    ("a heavy fringe cut dead straight", "blunt fringe bob"),
    ("loose waves down to the waist", "long wavy hair"),
    ("twin buns pinned with needles", "twin buns"),
    ("a tall spiked crest", "spiked mohawk"),
    ("tight locs tied back with cord", "tied-back locs"),
    ("a tousled shag with a mind of its own", "tousled shag haircut"),
    ("short slicked-back hair", "slicked-back hair"),
)

_FAMILY_FACE: tuple[tuple[str, str], ...] = (
    ("the family's high cheekbones", "high cheekbones"),
    ("the family's strong square jaw", "strong jaw"),
    ("the family's hooded, heavy-lidded eyes", "hooded eyes"),
    ("the family's freckled nose", "freckles"),
    ("the family's sharp widow's peak", "widow's peak"),
    ("the family's dimpled chin", "dimpled chin"),
    ("the family's long elegant neck", "long elegant neck"),
    ("the family's thick expressive brows", "thick brows"),
)

_FAMILY_MOTTO: tuple[str, ...] = (
    "The {F} motto, stitched inside every collar, reads: 'Fold first, ask later.'",
    "Among the {F} it is said that no one leaves a gathering without a task.",
    "The {F} keep a ledger of every favour owed, going back generations.",
    "Every {F} learns the same lullaby, hummed off-key at family reunions.",
    "The {F} greet one another by touching foreheads, an old habit from the cytoplasm.",
    "The {F} never throw anything away; their attics are legendary.",
    "Any {F} gathering is loud, crowded and always ends in an argument about precedence.",
    "The {F} share a single heirloom pocket watch, passed around by strict rota.",
)

_POSES: tuple[tuple[str, str], ...] = (
    ("mid-stride, as if late for an important appointment", "mid-stride walking pose"),
    ("arms folded, weight on one hip", "arms crossed pose"),
    ("crouched low, ready to spring", "crouching ready stance"),
    ("leaning on the prop like a walking stick", "leaning on prop"),
    ("one hand raised in a greeting that is also a warning", "hand raised pose"),
    ("seated on a crate, elbows on knees", "seated pose"),
    ("turning over one shoulder toward the viewer", "looking over shoulder"),
    ("standing tall in a heroic stance", "heroic standing pose"),
)

_COMPOSITIONS: tuple[str, ...] = (
    "portrait, centered, soft rim lighting",
    "three-quarter view, dramatic lighting",
    "character portrait, shallow depth of field",
    "full figure, cinematic lighting",
    "upper body portrait, painterly detail",
)


# --------------------------------------------------------------------------
# aesthetics → outfit motifs (keyword in the style name → garments)
# --------------------------------------------------------------------------

# keyword, sample phrase, tag phrase (tag phrases must not contain colour words)
_AESTHETIC_MOTIFS: tuple[tuple[str, str, str], ...] = (
    ("cyber", "reflective visors, tubing and glowing wires", "cyber visor and tubing"),
    ("academia", "a tweed blazer over a pressed collar, with ink-stained cuffs", "tweed blazer"),
    ("goth", "layered lace, a spiked choker and platform boots", "lace and choker"),
    ("punk", "a studded jacket held together with safety pins", "studded jacket"),
    ("wave", "a retro-futurist windbreaker printed with grid horizons", "retro windbreaker"),
    ("kei", "a riot of layered kawaii accessories and clips", "layered kawaii clips"),
    ("kawaii", "ribbons, plush charms and frilled socks", "ribbons and plush charms"),
    ("grunge", "a baggy flannel shirt and ripped knees", "flannel and ripped jeans"),
    ("preppy", "a cable-knit sweater draped over the shoulders", "cable-knit sweater"),
    ("y2k", "low-rise trousers, a tiny baguette bag and butterfly clips", "butterfly clips"),
    ("cottage", "a flowing prairie dress with a gathering basket", "prairie dress"),
    ("witch", "a wide-brimmed hat and a belt of herb pouches", "witch hat"),
    ("pirate", "a frock coat, sash and tall cuffed boots", "pirate frock coat"),
    ("military", "a cropped field jacket with too many pockets", "field jacket"),
    ("lolita", "a bell-shaped petticoat dress with a bonnet", "petticoat dress"),
    ("emo", "skinny jeans, a band tee and a sweeping side fringe", "band tee"),
    ("scene", "clip-in extensions and a studded belt", "studded belt"),
    ("steampunk", "brass goggles, a corset vest and gear-studded gloves", "goggles and corset vest"),
    ("diesel", "oil-stained overalls and a leather aviator cap", "aviator cap"),
    ("solar", "sun-bleached linen and a leaf-shaped breastplate", "linen and leaf armour"),
    ("baroque", "a brocade coat heavy with embroidery", "brocade coat"),
    ("rococo", "ruffles, bows and a powdered wig", "ruffles and bows"),
    ("victorian", "a high-collared frock and buttoned gloves", "high-collared frock"),
    ("regency", "an empire-waist gown or a tailcoat with a cravat", "regency tailcoat"),
    ("deco", "a beaded flapper shift and a feathered headband", "beaded flapper dress"),
    ("gopnik", "a three-stripe tracksuit and a flat cap, worn in a deep squat", "tracksuit and flat cap"),
    ("slav", "a tracksuit under an embroidered folk shawl", "tracksuit and folk shawl"),
    ("russian", "a tracksuit, fur hat and a plastic carrier bag", "tracksuit and fur hat"),
    ("2k17", "a tracksuit, fur hat and a plastic carrier bag", "tracksuit and fur hat"),
    ("tumblr", "layered thrift-store knits and a hand-drawn patch", "thrift knits"),
    ("royal", "a velvet mantle and a modest crown", "velvet mantle and crown"),
    ("nautical", "a striped sailor top and a rope belt", "sailor top"),
    ("western", "a fringed jacket, cowboy boots and a wide hat", "cowboy hat"),
    ("cowboy", "a fringed jacket, cowboy boots and a wide hat", "cowboy hat"),
    ("hip hop", "an oversized jersey and chunky sneakers", "oversized jersey"),
    ("skate", "a hoodie, cargo shorts and scuffed sneakers", "hoodie and cargo shorts"),
    ("tech", "waterproof techwear shells with taped seams", "techwear shell"),
    ("minimal", "clean-cut separates without a single logo", "minimalist tailoring"),
    ("boho", "fringed suede and stacked bangles", "bohemian fringe"),
    ("hippie", "a tie-dye tunic and a flower crown", "flower crown"),
    ("disco", "a sequinned jumpsuit with flared legs", "sequin jumpsuit"),
    ("glam", "a sequinned jumpsuit and platform heels", "glam platform heels"),
    ("rave", "reflective straps, fluffy leg warmers and glow bracelets", "rave leg warmers"),
    ("kitsch", "novelty prints and plastic jewellery", "novelty print"),
    ("angel", "a flowing robe and a halo on a wire", "flowing robe and halo"),
    ("fairy", "petal skirts and gauzy wings", "petal skirt"),
    ("medieval", "a tabard over chainmail", "tabard over chainmail"),
    ("knight", "polished plate armour", "plate armour"),
    ("ninja", "a hooded wrap and tabi boots", "hooded wrap"),
    ("samurai", "lacquered lamellar armour", "lamellar armour"),
    ("space", "a puffy spacesuit with mission patches", "spacesuit"),
    ("futur", "a sleek jumpsuit with chrome trim", "sleek jumpsuit"),
    ("vintage", "a thrifted cardigan and pleated trousers", "thrifted cardigan"),
    ("grandpa", "a thick cardigan and loafers", "grandpa cardigan"),
    ("rock", "a leather jacket and tour-shirt", "leather jacket"),
    ("metal", "a spiked leather vest and gauntlets", "spiked leather vest"),
    ("industrial", "a rubber apron and welding gloves", "rubber apron"),
    ("tropic", "a loud floral shirt and sandals", "floral shirt"),
    ("beach", "board shorts and a shell necklace", "shell necklace"),
    ("nerd", "suspenders, a pocket protector and taped glasses", "taped glasses"),
    ("clown", "a ruff collar and polka-dot pantaloons", "ruff collar"),
    ("circus", "a ringmaster's tailcoat", "ringmaster tailcoat"),
    ("sport", "a tracksuit with racing stripes", "athletic tracksuit"),
    ("athlet", "a tracksuit with racing stripes", "athletic tracksuit"),
    ("office", "a rumpled suit with a lanyard", "rumpled suit"),
    ("core", "a head-to-toe commitment to a single theme", "themed outfit"),
)

_GENERIC_GARMENTS: tuple[tuple[str, str], ...] = (
    ("a long tailored coat with deep pockets", "long tailored coat"),
    ("layered scarves and a wrap skirt", "layered scarves"),
    ("a cropped jacket over wide trousers", "cropped jacket"),
    ("an embroidered waistcoat", "embroidered waistcoat"),
    ("a hooded cloak with a clasp", "hooded cloak"),
    ("a patchwork tunic", "patchwork tunic"),
    ("a pleated skirt and knee boots", "pleated skirt"),
    ("a quilted vest with many buckles", "quilted vest"),
)


@lru_cache(maxsize=4096)
def _motif(aesthetic: str) -> tuple[str, str]:
    """Garments (sample phrase, tag phrase) for one aesthetic name."""
    low = aesthetic.lower()
    for key, text, tag in _AESTHETIC_MOTIFS:
        if key in low:
            return text, tag
    return _pick(aesthetic, "garment", _GENERIC_GARMENTS)


# --------------------------------------------------------------------------
# function archetypes: what the gene does → prop, fighting style, backdrop
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Archetype:
    name: str
    pattern: re.Pattern[str]
    title: tuple[str, ...]  # archetype nouns for tags/sample
    props: tuple[tuple[str, str], ...]  # (sample phrase, tag phrase)
    styles: tuple[str, ...]
    backgrounds: tuple[tuple[str, str], ...]


def _rx(*words: str) -> re.Pattern[str]:
    return re.compile("|".join(words))


_ARCHETYPES: tuple[_Archetype, ...] = (
    _Archetype(
        "scent",
        _rx(r"olfactory", r"odorant", r"taste receptor"),
        ("perfumer", "tracker"),
        (
            ("a bandolier of tiny stoppered scent vials", "scent vial bandolier"),
            ("a brass nose-trumpet that can smell a lie", "brass sniffing horn"),
        ),
        (
            "tracks a rival across a whole city by one stray molecule",
            "hunts by scent alone, eyes closed, never missing",
        ),
        (
            ("a perfumery lined with a thousand bottles", "perfumery shelves"),
            ("a misty forest trail", "misty forest trail"),
        ),
    ),
    _Archetype(
        "kinase",
        _rx(r"kinase", r"pkinase", r"phosphorylat"),
        ("clerk", "notary"),
        (
            ("a heavy brass stamp that marks everything it touches with phosphate", "heavy brass stamp"),
            ("a signet ring that brands phosphate seals onto rivals", "signet ring"),
            ("an inkpad holster and a rubber stamp quick-draw", "rubber stamp holster"),
        ),
        (
            "duels by quick-draw stamping, tagging opponents until they switch on or off",
            "relays signals in cascades, each blow triggering the next",
        ),
        (
            ("a cluttered office piled with stamped paperwork", "office with stamped papers"),
            ("a relay station of humming switchboards", "switchboard room"),
        ),
    ),
    _Archetype(
        "phosphatase",
        _rx(r"phosphatase"),
        ("eraser", "restorer"),
        (
            ("an enormous eraser that lifts phosphate marks clean off", "giant eraser"),
            ("a solvent sprayer that dissolves seals", "solvent sprayer"),
        ),
        (
            "undoes an opponent's every move, patiently wiping the slate",
            "counters rather than attacks, resetting the fight to zero",
        ),
        (("a quiet archive of cleaned ledgers", "quiet archive"),),
    ),
    _Archetype(
        "ubiquitin",
        _rx(r"ubiquitin", r"e3 ligase", r"proteasom", r"f-box", r"\bring\b"),
        ("undertaker", "bounty hunter"),
        (
            ("a roll of tags that mark condemned proteins for the shredder", "roll of condemned tags"),
            ("a chain of linked tokens swung like a flail", "token chain flail"),
        ),
        (
            "tags a target once, then lets the shredders do the rest",
            "binds enemies in chains of tokens until they are hauled away",
        ),
        (("a recycling yard with a vast shredder", "recycling yard"),),
    ),
    _Archetype(
        "protease",
        _rx(r"protease", r"peptidase", r"proteinase", r"caspase", r"cathepsin", r"metalloprot", r"cleav"),
        ("swordsman", "butcher"),
        (
            ("a pair of serrated blades that cut chains at exactly one spot", "twin serrated blades"),
            ("a scalpel-thin rapier", "thin rapier"),
            ("a cleaver with a notched edge", "notched cleaver"),
        ),
        (
            "fights with surgical precision, one cut per foe and always in the right place",
            "slices through bonds with a flurry of exact strokes",
        ),
        (("a butcher's hall hung with chains", "butcher hall"), ("a fencing salle", "fencing salle")),
    ),
    _Archetype(
        "channel",
        _rx(r"channel", r"\bpore", r"ion_channel"),
        ("gatekeeper", "sluice warden"),
        (
            ("a ring of keys to a thousand tiny gates", "ring of gate keys"),
            ("a folding lock-gate carried as a shield", "lock-gate shield"),
        ),
        (
            "opens and slams gates in a rhythm that floods opponents with charge",
            "controls the battlefield by choosing who passes and who waits",
        ),
        (("a canal lock at night", "canal lock"), ("a city wall with many gates", "gated city wall")),
    ),
    _Archetype(
        "transporter",
        _rx(
            r"transporter",
            r"carrier",
            r"solute",
            r"exchanger",
            r"\bpump",
            r"mfs",
            r"abc transport",
            r"abc_membrane",
            r"atp binding cassette",
            r"symport",
            r"antiport",
        ),
        ("ferryman", "smuggler"),
        (
            ("a ferry pole and a flat-bottomed boat", "ferry pole"),
            ("a bottomless satchel for carrying cargo across walls", "bottomless satchel"),
        ),
        (
            "ferries allies across impassable walls and maroons enemies on the wrong side",
            "wins by relocation, moving foes elsewhere rather than striking them",
        ),
        (("a misty river crossing", "misty river crossing"), ("a busy harbour", "busy harbour")),
    ),
    _Archetype(
        "repair",
        _rx(r"dna repair", r"mismatch", r"double-strand break", r"recombination", r"helicase", r"replication"),
        ("mender", "mechanic"),
        (
            ("a tailor's kit of needles that stitch broken strands", "sewing kit of needles"),
            ("a spool of thread and a thimble of armour", "spool and thimble"),
        ),
        (
            "patches every wound on allies mid-fight, faster than foes can inflict them",
            "unzips an enemy's defences strand by strand",
        ),
        (("a tailor's workshop", "tailor workshop"),),
    ),
    _Archetype(
        "chromatin",
        _rx(r"histone", r"chromatin", r"nucleosome", r"methyltransferase", r"acetyl"),
        ("librarian", "archivist"),
        (
            ("a ring of bookmarks that open and close chapters of the genome", "ring of bookmarks"),
            ("a spool on which scrolls are wound tight", "scroll spool"),
        ),
        (
            "locks away dangerous chapters and opens forbidden ones",
            "wins by silencing, wrapping enemies until they cannot speak",
        ),
        (("a vast spiral library", "spiral library"),),
    ),
    _Archetype(
        "transcription",
        _rx(
            r"transcription",
            r"dna-binding",
            r"dna binding",
            r"homeobox",
            r"c2h2",
            r"zinc finger",
            r"\bhth\b",
            r"bhlh",
            r"promoter",
            r"nuclear receptor",
        ),
        ("herald", "commander"),
        (
            ("a sheaf of sealed scrolls bearing commands", "sealed scrolls"),
            ("a speaking trumpet that reads out orders", "speaking trumpet"),
            ("a lectern carried on a strap", "portable lectern"),
        ),
        (
            "commands others rather than fighting, reading orders aloud that armies obey",
            "binds opponents with spoken words, each one a rule they must follow",
        ),
        (("a scriptorium full of scrolls", "scriptorium"), ("a war room with maps", "war room")),
    ),
    _Archetype(
        "rna",
        _rx(r"\brna\b", r"splic", r"rrm", r"ribosom", r"translation", r"mrna", r"trna"),
        ("scribe", "translator"),
        (
            ("a quill that rewrites messages in transit", "enchanted quill"),
            ("a pair of editing shears for snipping words from letters", "editing shears"),
        ),
        (
            "edits the enemy's orders mid-sentence, turning them into nonsense",
            "copies every technique once seen and reads it back",
        ),
        (("a printing press room", "printing press room"),),
    ),
    _Archetype(
        "receptor",
        _rx(r"receptor", r"gpcr"),
        ("sentinel", "listener"),
        (
            ("a crown of slender antennae", "antenna crown"),
            ("an ear-trumpet that hears messages across the city", "ear trumpet"),
        ),
        (
            "listens first and strikes only once the signal is clear",
            "feels every vibration and turns it into a warning for allies",
        ),
        (("a radio tower on a cliff", "radio tower"), ("a lookout post", "lookout post")),
    ),
    _Archetype(
        "immune",
        _rx(
            r"immun",
            r"antigen",
            r"interleukin",
            r"interferon",
            r"antibod",
            r"\bmhc\b",
            r"t-cell",
            r"t cell",
            r"b-cell",
            r"complement",
            r"chemokine",
            r"inflamm",
            r"toll-like",
            r"defen",
        ),
        ("guardian", "knight"),
        (
            ("a tower shield painted with warning sigils", "tower shield"),
            ("a signal horn that calls every defender", "signal horn"),
        ),
        (
            "raises walls of shields and rallies the defenders of the body",
            "hunts intruders by their badges and never forgets a face",
        ),
        (("a fortress gate", "fortress gate"), ("a watchtower", "watchtower")),
    ),
    _Archetype(
        "adhesion",
        _rx(r"adhesion", r"cadherin", r"integrin", r"junction", r"extracellular matrix"),
        ("climber", "grappler"),
        (
            ("a grappling hook and a coil of sticky rope", "grappling hook"),
            ("gloves with suction pads", "suction gloves"),
        ),
        ("grapples and holds, never letting go once a grip is made", "binds allies into an unbreakable line"),
        (("a rope bridge over a chasm", "rope bridge"),),
    ),
    _Archetype(
        "structural",
        _rx(
            r"actin",
            r"myosin",
            r"tubulin",
            r"keratin",
            r"collagen",
            r"cytoskelet",
            r"muscle",
            r"sarcomer",
            r"filament",
            r"structural",
            r"titin",
            r"spectrin",
        ),
        ("acrobat", "strongman"),
        (
            ("coils of rope and steel springs", "coiled ropes and springs"),
            ("a pair of hooked climbing ropes", "climbing ropes"),
            ("a spring-loaded staff", "spring-loaded staff"),
        ),
        (
            "moves like a trapeze artist, all tension, recoil and impossible leaps",
            "holds the line by sheer structure, bracing walls that would otherwise fall",
        ),
        (("a circus rigging loft", "circus rigging"), ("a scaffolded cathedral", "scaffolding")),
    ),
    _Archetype(
        "signal",
        _rx(r"hormone", r"growth factor", r"cytokine", r"signal", r"gtpase", r"\bras\b", r"ligand"),
        ("messenger", "courier"),
        (
            ("a satchel of sealed letters", "satchel of letters"),
            ("a signal lantern with shutters", "signal lantern"),
            ("a flare pistol", "flare pistol"),
        ),
        (
            "strikes from afar by sending messages that others carry out",
            "flashes coded signals that rearrange the whole battlefield",
        ),
        (("a post office at dawn", "post office"), ("a semaphore hill", "semaphore hill")),
    ),
    _Archetype(
        "enzyme",
        _rx(
            r"enzyme",
            r"catalys",
            r"oxidoreductase",
            r"dehydrogenase",
            r"transferase",
            r"synthase",
            r"synthetase",
            r"hydrolase",
            r"reductase",
            r"oxidase",
            r"isomerase",
            r"lyase",
            r"ligase",
            r"metabolis",
            r"biosynthe",
            r"ase\b",
        ),
        ("alchemist", "artificer"),
        (
            ("an alchemist's belt of flasks and a pocket crucible", "alchemist flasks"),
            ("a brass alembic worn on the back", "brass alembic"),
            ("a mortar and pestle heavy enough to be a mace", "mortar and pestle"),
        ),
        (
            "transmutes whatever is in reach, turning an enemy's weapon into harmless salt",
            "brews reactions on the spot, speeding them a million-fold",
        ),
        (("a smoky alchemy laboratory", "alchemy laboratory"), ("an apothecary with hanging herbs", "apothecary")),
    ),
)

_FALLBACK = _Archetype(
    "wanderer",
    re.compile(r"(?!x)x"),
    ("wanderer", "adventurer"),
    (
        ("a walking staff carved with unreadable notes", "carved walking staff"),
        ("a locked box whose contents nobody knows", "locked box"),
        ("a lantern that shows what might be", "lantern"),
    ),
    ("improvises in ways no one has catalogued yet", "keeps a mysterious technique in reserve, known only by rumour"),
    (("a foggy crossroads", "foggy crossroads"), ("an unmapped coast", "unmapped coast")),
)


def function_archetype(traits: Mapping[str, Any] | Any) -> str:
    """Name of the function archetype chosen for a gene (``"kinase"``, ..., ``"wanderer"``)."""
    return _archetype(traits).name


def _archetype(traits: Mapping[str, Any] | Any) -> _Archetype:
    """First archetype whose keywords occur in the name, then the clans, then the summary.

    The name and clan names are short and precise, so they win over the summary,
    which often mentions other proteins ("binds the receptor of ...").
    """
    return _archetype_of(
        str(_get(traits, "name", "") or ""),
        " ".join(_as_list(_get(traits, "clan_names"))),
        str(_get(traits, "summary", "") or "")[:600],
    )


@lru_cache(maxsize=32768)
def _archetype_of(name: str, clans: str, summary: str) -> _Archetype:
    """Cached core of :func:`_archetype` (the sample and its tags ask for the same gene)."""
    for text in (name.lower(), clans.lower(), summary.lower()):
        if not text:
            continue
        for arch in _ARCHETYPES:
            if arch.pattern.search(text):
                return arch
    return _FALLBACK


# --------------------------------------------------------------------------
# plan: every choice, shared by the sample and the tags
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """All choices for one sample of one gene; both the text and the tags read from it."""

    symbol: str
    version: int
    he: str
    his: str
    him: str
    weight_adj: str
    weight_tag: str
    stature: str
    age_text: str
    age_tag: str
    age_face: str
    skin_text: str
    skin_tag: str
    hair: tuple[str, str]
    face: tuple[str, str]
    motto: str
    temperament: tuple[str, str]
    pose: tuple[str, str]
    composition: str
    archetype: _Archetype
    title: str
    prop: tuple[str, str]
    style: str
    background: tuple[str, str]
    outfits: tuple[tuple[str, str, str], ...]  # (aesthetic name, sample phrase, tag phrase)
    feature: str
    family: str
    family_size: int
    faction: str


def plan_for(traits: Mapping[str, Any] | Any, version: int = 1) -> Plan:
    """Resolve every phrase choice for ``traits`` at ``version`` (deterministic)."""
    symbol = str(_get(traits, "symbol", "") or "?")
    version = int(version)
    seed = f"{symbol}#{version}"
    family = str(_get(traits, "family", "") or symbol)
    fseed = f"family:{family}#{version}"
    male = str(_get(traits, "sex", "female")).lower().startswith("m")
    he, his, him = ("he", "his", "him") if male else ("she", "her", "her")

    kg = float(_get(traits, "weight_kg", 60.0))
    adjs, weight_tag, frags = _weight_band(kg)
    age = int(_get(traits, "age", 20))
    age_text, age_tag, age_face = _age_words(age)
    skin_text, skin_tag_ = _skin_words(
        str(_get(traits, "color_name", "") or ""),
        float(_get(traits, "lightness", 0.5)),
        float(_get(traits, "saturation", 0.5)),
    )
    arch = _archetype(traits)
    aesthetics = _as_list(_get(traits, "aesthetics"))[:4] or ["Normcore"]
    outfits = tuple((a, *_motif(a)) for a in aesthetics)
    faction = str(_get(traits, "faction", "none") or "none")
    if faction not in _FACTION_TEXT:
        faction = "none"
    return Plan(
        symbol=symbol,
        version=version,
        he=he,
        his=his,
        him=him,
        weight_adj=_choose(seed, _SLOTS["wadj"], adjs),
        weight_tag=weight_tag,
        stature=_choose(seed, _SLOTS["stature"], frags),
        age_text=age_text,
        age_tag=age_tag,
        age_face=age_face,
        skin_text=skin_text,
        skin_tag=skin_tag_,
        hair=_choose(fseed, _FSLOTS["hair"], _FAMILY_HAIR),
        face=_choose(fseed, _FSLOTS["face"], _FAMILY_FACE),
        motto=_choose(fseed, _FSLOTS["motto"], _FAMILY_MOTTO),
        temperament=_choose(seed, _SLOTS["temper"], _TEMPERAMENTS),
        pose=_choose(seed, _SLOTS["pose"], _POSES),
        composition=_choose(seed, _SLOTS["comp"], _COMPOSITIONS),
        archetype=arch,
        title=_choose(seed, _SLOTS["title"], arch.title),
        prop=_choose(seed, _SLOTS["prop"], arch.props),
        style=_choose(seed, _SLOTS["style"], arch.styles),
        background=_choose(fseed, _FSLOTS["bg"], arch.backgrounds),
        outfits=outfits,
        feature=str(_get(traits, "feature", "") or "").strip(),
        family=family,
        family_size=int(_get(traits, "family_size", 1) or 1),
        faction=faction,
    )


# --------------------------------------------------------------------------
# the sample
# --------------------------------------------------------------------------

_OPENINGS: tuple[str, ...] = (
    "Meet {S}, the {W} {T} of the {F} line.",
    "They call {hm} {S}: {aW} {T} whom the {F} claim as one of their own.",
    "Here stands {S}, {aW} {T} of the house of {F}.",
    "Everyone in the cell knows {S}, the {W} {T} from the {F} clan.",
)

_FEATURE_LINES: tuple[str, ...] = (
    "Impossible to miss: {h} has {X}, a mark shared with the rest of the family.",
    "Most striking of all, {h} bears {X}, the fantastic inheritance of {hs} kin.",
    "Then there are the {x} — strange, proud, unmistakable.",
    "Strangers stare at {hs} {x}; {h} has long stopped noticing.",
)

_SUMMARY_LEADS: tuple[str, ...] = (
    "The archivists put {hs} trade plainly: {Q}",
    "In the old records {hs} work is written down as follows: {Q}",
    "Ask around the cell and you hear {hs} story told like this: {Q}",
)

_NO_SUMMARY: tuple[str, ...] = (
    "Little is written about {hs} work; the archives hold only {hs} name, {N}, and that is a mystery {h} enjoys.",
    "{Hs} true purpose is barely recorded — the archives list only the name {N} — so {h} keeps people guessing.",
)

_TM_LINES = (
    "{H} lives straddling the cell membrane, half inside and half out, a creature of thresholds.",
    "Like all of {hs} kind, {h} is anchored in the membrane wall, greeting the outside world with one hand and the inside with the other.",
)

_SOLUBLE_LINES = (
    "{H} roams freely through the watery interior rather than staying pinned to any wall.",
    "Unbound by membranes, {h} drifts wherever the current of the cell takes {hm}.",
)


_CITATION_RX = re.compile(r"\s*\[[^\]]*\]|\s*\([^()]*(?:et al\.|PubMed|\b(?:19|20)\d\d\b)[^()]*\)")
_EXPRESSION_RX = re.compile(r"\bExpression\s+(?:Ubiquitous|Biased|Broad|Restricted|Low|Enriched)")


def _summary_excerpt(summary: str, max_words: int = 45) -> str:
    """First sentence(s) of the NCBI summary, cut to ``max_words`` words, without citations."""
    text = _EXPRESSION_RX.split(summary, maxsplit=1)[0]
    text = _CITATION_RX.sub("", text)
    text = re.sub(r"\s+", " ", text).replace(" .", ".").replace(" ,", ",").strip()
    if not text:
        return ""
    parts = re.split(r"(?<=[.!?])\s+", text)
    out: list[str] = []
    n = 0
    for part in parts:
        w = part.split()
        if n and n + len(w) > max_words:
            break
        out.append(" ".join(w[: max_words - n]))
        n += min(len(w), max_words - n)
        if n >= max_words:
            break
    excerpt = " ".join(out).strip()
    if excerpt and excerpt[-1] not in ".!?":
        excerpt = excerpt.rstrip(",;:") + "…"
    return excerpt


def _fmt(template: str, plan: Plan, **extra: str) -> str:
    return template.format(
        h=plan.he,
        H=_cap(plan.he),
        hs=plan.his,
        Hs=_cap(plan.his),
        hm=plan.him,
        S=plan.symbol,
        **extra,
    )


#: Word range a sample must fall in.
MIN_WORDS, MAX_WORDS = 120, 400


def write_sample(traits: Mapping[str, Any] | Any, version: int = 1) -> str:
    """A vivid 120–400-word character description of one gene.

    Covers outfit (aesthetics), body (sex, weight, age), skin colour, fantastic
    feature, a signature prop and fighting style that echo the gene's function,
    faction and temperament, plus a short quote from the gene's summary.
    Deterministic: the same ``traits`` and ``version`` always give the same text;
    another ``version`` re-draws the personal phrase choices.
    """
    p = plan_for(traits, version)
    text = _compose(traits, p, excerpt_words=45, extras=True)
    if word_count(text) > MAX_WORDS:  # very long names / aesthetics / features
        text = _compose(traits, p, excerpt_words=15, extras=False)
    return text


def _compose(traits: Mapping[str, Any] | Any, p: Plan, excerpt_words: int, extras: bool) -> str:
    """Render the sample from its plan; ``extras=False`` drops optional sentences to save words."""
    seed = f"{p.symbol}#{p.version}"
    name = str(_get(traits, "name", "") or p.symbol).strip()
    clans = _as_list(_get(traits, "clan_names"))[:4]
    summary = str(_get(traits, "summary", "") or "")

    paras: list[str] = []

    # 1. who, body, age
    opening = _fmt(
        _choose(seed, _SLOTS["open"], _OPENINGS),
        p,
        W=p.weight_adj,
        aW=_with_article(p.weight_adj),
        T=p.title,
        F=p.family,
    )
    if p.family_size <= 1:
        kin = f"{_cap(p.he)} is the only {p.family} of {p.his} kind, with no siblings to share the name."
    else:
        kin = f"{_cap(p.he)} is one of {p.family_size} {p.family} relatives, and the family likeness is plain to see."
    sex_word = "man" if p.he == "he" else "woman"
    kg = float(_get(traits, "weight_kg", 60.0))
    body = (
        f"Known in full as the {name}, {p.he} is {_with_article(p.weight_adj)} {sex_word} of {kg:,.0f} kg who "
        f"{p.stature}, and {p.he} is {p.age_text}."
    )
    paras.append(" ".join([opening, body, kin]))

    # 2. looks: skin, face, hair, feature
    looks = [
        f"{_cap(p.his)} skin is {p.skin_text}.",
        f"{_cap(p.he)} has {p.face[0]}, {p.age_face}, and {p.hair[0]}.",
    ]
    if p.feature:
        tmpl = _choose(seed, _SLOTS["feat"], _FEATURE_LINES)
        looks.append(_fmt(tmpl, p, X=_with_article(p.feature), x=p.feature))
    else:
        looks.append(
            f"Unusually for this crowd, {p.he} has no fantastic feature at all, "
            f"which somehow makes {p.him} stranger still."
        )
    tm = bool(_get(traits, "transmembrane", False))
    looks.append(_fmt(_choose(seed, _SLOTS["tm"], _TM_LINES if tm else _SOLUBLE_LINES), p))
    paras.append(" ".join(looks))

    # 3. outfit
    names = [o[0] for o in p.outfits]
    garments = [o[1] for o in p.outfits]
    if len(names) == 1:
        outfit = f"{_cap(p.he)} dresses in pure {names[0]}: {garments[0]}."
    else:
        outfit = f"{_cap(p.his)} wardrobe mixes {_join(names)}: {'; '.join(garments[:-1])}; and {garments[-1]}."
    if clans and extras:
        outfit += (
            f" Each piece honours a school {p.he} trained in — "
            f"{_join(clans)} — and old hands can read {p.his} lineage in the cut."
        )
    paras.append(outfit)

    # 4. prop, fighting style, function
    fight = f"{_cap(p.his)} signature prop is {p.prop[0]}, and in a fight {p.he} {p.style}."
    excerpt = _summary_excerpt(summary, excerpt_words)
    if excerpt:
        fight += " " + _fmt(_choose(seed, _SLOTS["lead"], _SUMMARY_LEADS), p, Q=f"“{excerpt}”")
    else:
        fight += " " + _fmt(_choose(seed, _SLOTS["nosum"], _NO_SUMMARY), p, N=f"“{name}”")
    paras.append(fight)

    # 5. politics, temperament, family colour, pose
    tail = [
        _fmt(_choose(seed, _SLOTS["faction"], _FACTION_TEXT[p.faction]), p, P=_cap(p.he), p=p.he),
        f"By temperament {p.he} is {p.temperament[0]}.",
        p.motto.format(F=p.family) if extras else "",
        f"Picture {p.him} {p.pose[0]}, against {p.background[0]}.",
    ]
    paras.append(" ".join(t for t in tail if t))
    return "\n\n".join(paras)


# --------------------------------------------------------------------------
# tags
# --------------------------------------------------------------------------


def skin_tag(traits: Mapping[str, Any] | Any) -> str:
    """The one tag allowed to contain colour words, e.g. ``"pale soft slate grey skin"``."""
    return _skin_words(
        str(_get(traits, "color_name", "") or ""),
        float(_get(traits, "lightness", 0.5)),
        float(_get(traits, "saturation", 0.5)),
    )[1]


def _find_in(sample: str, options: Sequence[tuple[str, str]], default: tuple[str, str]) -> tuple[str, str]:
    """The option whose sample phrase occurs in ``sample`` (the sample wins), else ``default``."""
    if default[0] in sample:
        return default
    for opt in options:
        if opt[0] in sample:
            return opt
    return default


def tag_groups(traits: Mapping[str, Any] | Any, sample: str = "") -> dict[str, list[str]]:
    """Tags per category (keys in :data:`TAG_CATEGORIES` order), at most :data:`MAX_TAG_WORDS` words.

    The choices mirror the sample: for the prop, pose, face, hair, temperament and backdrop the
    phrase that actually occurs in ``sample`` wins (so tags of ``COASY-2`` match
    the text of ``COASY-2``); otherwise the version-1 choice is used.  Colour
    words appear only in the skin tag (first tag of ``body``).
    """
    p = plan_for(traits, 1)
    arch = p.archetype
    prop = _find_in(sample, arch.props, p.prop) if sample else p.prop
    pose = _find_in(sample, _POSES, p.pose) if sample else p.pose
    hair = _find_in(sample, _FAMILY_HAIR, p.hair) if sample else p.hair
    bg = _find_in(sample, arch.backgrounds, p.background) if sample else p.background
    temper = _find_in(sample, _TEMPERAMENTS, p.temperament) if sample else p.temperament
    face = _find_in(sample, _FAMILY_FACE, p.face) if sample else p.face

    title = next((t for t in arch.title if f" {t} " in sample), p.title) if sample else p.title
    sex = "man" if p.he == "he" else "woman"
    # Every bank phrase is written colour-free (a test checks the banks); only
    # the free-text feature needs stripping.
    feature = strip_colour_words(p.feature)
    groups: dict[str, list[str]] = {
        "archetype": [f"{p.age_tag} {sex} {title}"],
        "body": [p.skin_tag, p.weight_tag],
        "face": [temper[1], face[1]],
        "hair": [hair[1]],
        "outfit": list(dict.fromkeys(o[2] for o in p.outfits)),
        "accessories": [prop[1]] + ([_FACTION_TAG[p.faction]] if _FACTION_TAG[p.faction] else []),
        "fantastical": [feature] if feature else [],
        "pose": [pose[1]],
        "background": [bg[1]],
        "composition": [p.composition],
    }
    if not groups["outfit"]:
        groups["outfit"] = ["layered outfit"]
    # Trim to the word budget: drop trailing tags of the richest groups first,
    # never the skin tag and never a group's last tag.
    total = sum(word_count(t) for ts in groups.values() for t in ts)
    while total > MAX_TAG_WORDS:
        cat = max(
            (c for c in TAG_CATEGORIES if len(groups[c]) > (2 if c == "body" else 1)),
            key=lambda c: sum(word_count(t) for t in groups[c]),
            default=None,
        )
        if cat is None:
            # still too long: shorten the longest single tags
            cat = max(TAG_CATEGORIES, key=lambda c: max((word_count(t) for t in groups[c]), default=0))
            idx = max(range(len(groups[cat])), key=lambda i: word_count(groups[cat][i]))
            if cat == "body" and idx == 0:
                idx = 1
            words = groups[cat][idx].split()
            groups[cat][idx] = " ".join(words[:-1])
            total -= 1
            continue
        total -= word_count(groups[cat].pop())
    return groups


def tags_for(traits: Mapping[str, Any] | Any, sample: str = "") -> str:
    """The sample condensed into one comma-separated tag string for a diffusion prompt.

    Format: the tags of :func:`tag_groups`, flattened in category order
    (archetype, body, face, hair, outfit, accessories, fantastical, pose,
    background, composition) without category labels, so that all of the ≈77
    CLIP tokens carry content.  At most :data:`MAX_TAG_WORDS` words; colour
    words only in the skin tag.
    """
    groups = tag_groups(traits, sample)
    return ", ".join(t for c in TAG_CATEGORIES for t in groups[c] if t)
