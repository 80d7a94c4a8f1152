"""A bounded schemathesis run over /api/schema/, in process (WSGI): anonymous and with a token.

"Anonymous" sends no valid credential (schemathesis itself makes up Authorization headers and
session cookies). Every operation gets a few generated cases (positive and negative) on a small
real catalogue, with path parameters and body fields drawn partly from the real genes, emulsions,
portraits and requests, so that valid paths reach real objects. Checks: no 5xx, documented status
codes, content types and response bodies that match the schema. Bounded (a few examples per
operation, derandomized, no example database) so the whole file runs in a few minutes on two cores.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings as hypothesis_settings, strategies as st
from rest_framework.authtoken.models import Token

from backend.genes.models import Gene
from backend.genes.services import load_genes
from backend.iconoplasm.wsgi import application
from backend.studio.keys import provider_key_set
from backend.studio.models import GenerationRequest

from .catalogue import write_catalogue
from .factories import make_emulsion, make_portrait, make_user

CHECKS = (
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
)

# Enough to cover each operation's parameters and bodies once or twice, few enough for a
# 2-core machine; derandomized so a failure reproduces on the next run.
FUZZ_SETTINGS = hypothesis_settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# What the fixture made, for the hooks below (filled per test, read while generating): path
# parameters by name, and body fields by name.
REAL: dict[str, list] = {"symbol": [], "id": [], "emulsion_id": [], "to": []}


def flatmap_path_parameters(context, path_parameters):
    """Often, a real gene symbol or a real portrait or request id in place of the generated one."""
    choices = {name: REAL.get(name) for name in path_parameters or () if REAL.get(name)}
    if not choices:
        return st.just(path_parameters)
    real = st.fixed_dictionaries({name: st.sampled_from(values) for name, values in choices.items()})
    return st.one_of(real.map(lambda values: {**path_parameters, **values}), st.just(path_parameters))


def flatmap_body(context, body):
    """Often, a real emulsion id (``emulsion_id``) or gene symbol (``to``) in a JSON or form body."""
    choices = {
        name: REAL[name] for name in ("emulsion_id", "to") if isinstance(body, dict) and name in body and REAL[name]
    }
    if not choices:
        return st.just(body)
    real = st.fixed_dictionaries({name: st.sampled_from(values) for name, values in choices.items()})
    return st.one_of(real.map(lambda values: {**body, **values}), st.just(body))


@pytest.fixture
def fuzz_site(db, settings, tmp_path):
    """Five real genes, two emulsions, candidates, a member with a token, a provider key and a request."""
    # The fuzzer posts far more than a person: limits far out of its reach (this test only).
    settings.ICONOPLASM_RATE_LIMITS = {
        name: (10**6, window) for name, (_, window) in settings.ICONOPLASM_RATE_LIMITS.items()
    }
    # Generation is queued and never reaches a provider here; should it try, it finds nothing on loopback.
    settings.ICONOPLASM_IMAGE_API_URL = "http://127.0.0.1:9/v1/images/generations"
    load_genes(*write_catalogue(tmp_path / "catalogue"))
    public = make_emulsion("E0001")
    make_emulsion("E0002", blocked=True)
    genes = list(Gene.objects.all())
    portraits = [make_portrait(gene, emulsion=public) for gene in genes[:2]] + [make_portrait(genes[0])]
    member = make_user("fuzzer")
    token, _ = Token.objects.get_or_create(user=member)
    provider_key_set(user=member, provider="openai", api_key="sk-fuzz-not-a-real-key")
    GenerationRequest.objects.create(user=member, gene=genes[0], emulsion=public)
    REAL["symbol"] = REAL["to"] = [gene.symbol for gene in genes] + [genes[0].symbol.lower()]
    REAL["emulsion_id"] = ["E0001", "E0002"]
    REAL["id"] = [portrait.pk for portrait in portraits] + list(GenerationRequest.objects.values_list("pk", flat=True))
    # Called in process, the app would close the test's database connection after each request
    # (and with it the test's transaction on PostgreSQL); Django's test client disconnects it too.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield token.key
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        REAL.update(symbol=[], id=[], emulsion_id=[], to=[])


# Loaded when the module is collected (the schema needs no database). Not through
# schemathesis.pytest.from_fixture: its lazy loader sets Function._nodeid, which pytest 9.2 no longer has.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.hook(flatmap_path_parameters)
schema.hook(flatmap_body)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_anonymous(case, fuzz_site):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_with_token(case, fuzz_site):
    case.call_and_validate(headers={"Authorization": f"Token {fuzz_site}"}, checks=CHECKS)


def test_field_errors_match_the_schema(fuzz_site):
    """DRF's field errors (a list of messages per field) are what the schema documents for a 400."""
    case = schema["/api/artist-optout/"]["POST"].Case(body={}, media_type="application/json")
    case.call_and_validate(checks=(schemathesis.checks.response_schema_conformance,))
