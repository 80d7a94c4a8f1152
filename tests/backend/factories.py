"""Builders for the backend tests: one per record, each giving a row the site could really hold.

Every builder calls ``full_clean()`` before it saves, so a test can never build an impossible
row (a faction or a source outside the enums of :mod:`pipeline.records`, an empty required
field). The defaults are realistic; a test passes only what it is about. Ids that must be
unique (HGNC ids, emulsion ids ``E9001``…, usernames) come from a counter, so a test may call
a builder as often as it likes. No fixtures here: those are in ``conftest.py``.
"""

from __future__ import annotations

import io
import itertools
from types import SimpleNamespace

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from backend.accounts.services import record_discoveries, register_user
from backend.genes.models import Gene, GeneName
from backend.portraits import services as portrait_services
from backend.portraits.canonical import ensure_canonical
from backend.portraits.models import Emulsion, Portrait
from pipeline.records import DiscoveryYearSource, Faction, MassSource, Sex, TransmembraneSource

# The password make_user gives (long enough and uncommon enough for Django's validators).
PASSWORD = "a-long-passphrase-9"
# An artist name that must never appear in a public response (tests give it to emulsions they check).
SECRET_ARTIST = "Secretia Brushwright"
# Provider keys that must never appear in a page, a response, a log or the database in plain text.
PLAIN_KEY = "sk-test-0123456789abcdefSECRET"
API_KEY = "sk-test-Zq8v3LmN0pXr7TkW1a2b"

_serial = itertools.count(1)
_emulsion_serial = itertools.count(9001)


def _next() -> int:
    return next(_serial)


# ---------------------------------------------------------------- images


def png_bytes(colour=(200, 40, 40), size=(48, 64)) -> bytes:
    """A small real PNG of one colour."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


# ---------------------------------------------------------------- genes


def gene_values(symbol: str, **fields) -> dict:
    """The field values of a valid gene row (a p53-like soluble protein), with ``fields`` over them."""
    values = dict(
        symbol=symbol,
        name=f"{symbol} protein",
        hgnc_id=f"HGNC:{90000 + _next()}",
        length=393,
        mass_da=43653.0,
        mass_source=MassSource.UNIPROT_SEQUENCE.value,
        transmembrane=False,
        transmembrane_source=TransmembraneSource.TMHMM.value,
        discovery_year=1986,
        discovery_year_source=DiscoveryYearSource.HGNC_APPROVAL.value,
        sex=Sex.FEMALE.value,
        weight_kg=60.0,
        age=30,
        aesthetics=["Cottagecore"],
        aesthetic_fallback=True,  # Cottagecore: gene_data/mappings/aesthetics.csv, family "fallback"
        family="solo",
        family_size=1,
        hue=210.0,
        saturation=0.5,
        lightness=0.5,
        color_hex="#336699",
        text_color_hex="#ffffff",
        color_name="steel blue",
        faction=Faction.NONE.value,
        sample_label=f"{symbol}-1",
        sample="MEEPQSDPSV",
        tags="a stern guardian, silver armour",
    )
    values.update(fields)
    return values


def make_gene(symbol: str = "TP53", *, aliases=(), previous=(), **fields) -> Gene:
    """A gene, with its aliases and previous symbols both on the row and as GeneName rows (as load_genes makes them)."""
    fields.setdefault("aliases", list(aliases))
    fields.setdefault("prev_symbols", list(previous))
    gene = Gene(**gene_values(symbol, **fields))
    gene.full_clean()
    gene.save()
    for kind, names in ((GeneName.ALIAS, aliases), (GeneName.PREVIOUS, previous)):
        for name in names:
            other = GeneName(name=name, gene=gene, kind=kind)
            other.full_clean()
            other.save()
    return gene


# ---------------------------------------------------------------- emulsions


def make_emulsion(emulsion_id: str | None = None, *, artists: str = "", **fields) -> Emulsion:
    """An emulsion; ``emulsion_id`` defaults to the next of E9001, E9002, … (clear of gene_data/emulsions.csv)."""
    values = dict(
        emulsion_id=emulsion_id or f"E{next(_emulsion_serial)}",
        name="Risograph Field Guide",
        style_words="risograph print, two inks",
        sampler="euler",
        steps=20,
        guidance=7.0,
        width=768,
        height=1024,
        artists=artists,
    )
    values.update(fields)
    emulsion = Emulsion(**values)
    emulsion.full_clean()
    emulsion.save()
    return emulsion


# ---------------------------------------------------------------- portraits

# The keyword arguments register_candidate takes; other fields (hidden, …) are set on the row after.
_CANDIDATE_ARGS = {
    "renderer",
    "blot",
    "blot_suffix",
    "model",
    "seed",
    "prompt",
    "origin",
    "created_by",
    "transferred_from",
    "set_canonical",
}


def make_portrait(gene: Gene, emulsion: Emulsion | None = None, **fields) -> Portrait:
    """A candidate registered through the real ``register_candidate``, with a small real PNG, so its file exists.

    Each call draws a PNG of a new colour (a new sha256). ``set_canonical`` defaults to False: a
    test settles canonicals itself (``ensure_canonical``) when it is about them.
    """
    shade = _next()
    image = fields.pop("image", None) or png_bytes((shade % 256, (shade // 256) % 256, 77))
    arguments = {"renderer": "procedural", "set_canonical": False}
    arguments.update({name: fields.pop(name) for name in list(fields) if name in _CANDIDATE_ARGS})
    portrait, _ = portrait_services.register_candidate(gene, image, emulsion=emulsion, **arguments)
    for name, value in fields.items():
        setattr(portrait, name, value)
    portrait.full_clean()
    if fields:
        portrait.save()
    return portrait


# ---------------------------------------------------------------- users


def make_user(username: str | None = None, password: str | None = PASSWORD, **fields):
    """A user with a usable password (``PASSWORD`` unless given); username ``member1``, ``member2``, … unless given."""
    model = get_user_model()
    if "email" in fields:
        fields["email"] = model.objects.normalize_email(fields["email"])
    user = model(username=username or f"member{_next()}", **fields)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    return user


def make_users(count: int, prefix: str = "user") -> list:
    """``count`` users without a password (quick: no hashing), named ``{prefix}{n}``."""
    return [make_user(f"{prefix}{_next()}", password=None) for _ in range(count)]


def client_for(user, *, token: bool = False) -> APIClient:
    """An API client signed in as ``user``: force_authenticate, or a real ``Authorization: Token`` header."""
    client = APIClient()
    if token:
        key, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key.key}")
    else:
        client.force_authenticate(user)
    return client


def database_text() -> str:
    """Every row of every table as text (to look for a plain key)."""
    return "\n".join(repr(row) for model in apps.get_models() for row in model.objects.values())


# ---------------------------------------------------------------- the site


def build_site(genes_path, traits_path) -> SimpleNamespace:
    """Five real fixture genes, a public and a withdrawn emulsion, two TP53 candidates and a user with discoveries.

    For the page tests (``catalogue_files`` in conftest.py gives the two tables).
    """
    call_command("load_genes", genes=genes_path, traits=traits_path)
    public = make_emulsion("E0001", name="Risograph Field Guide", artists=SECRET_ARTIST)
    withdrawn = make_emulsion("E0002", name="Withdrawn Style", artists=SECRET_ARTIST, blocked=True)
    tp53 = Gene.objects.get(symbol="TP53")
    first, second = make_portrait(tp53, emulsion=public), make_portrait(tp53)
    ensure_canonical(tp53)
    user = register_user(username="ada", password=PASSWORD)  # starts with TP53, the one starter gene in the catalogue
    record_discoveries(user=user, names=["LAIR1"])
    return SimpleNamespace(tp53=tp53, emulsion=public, withdrawn=withdrawn, first=first, second=second, user=user)
