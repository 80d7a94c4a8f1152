"""The review API's contract (/api/review/summary/, next/, answers/), its errors, and a history that is never lost."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from django.db.models.deletion import ProtectedError
from django.test import Client
from rest_framework.test import APIClient

from backend.accounts.services import record_discoveries
from backend.learning import questions, services
from backend.learning.models import Kind, ReviewCard, ReviewLog
from backend.learning.questions import read_showing

from .factories import PASSWORD, client_for, make_gene, make_portrait, make_user

pytestmark = pytest.mark.django_db

SUMMARY, NEXT, ANSWERS = "/api/review/summary/", "/api/review/next/", "/api/review/answers/"
ALREADY = {"detail": "this question was already answered"}


@pytest.fixture
def reviewer(user):
    """Ada, who has met TP53 (portrayed: all six kinds) and three genes without portraits (four trait kinds each);
    eight more genes in the catalogue, three of them portrayed."""
    tp53 = make_gene("TP53", family="TP", weight_kg=43.7, mass_da=43653.0)
    make_portrait(tp53, set_canonical=True)
    for n, symbol in enumerate(["MDM2", "KRAS", "EGFR"]):
        make_gene(symbol, family=symbol, weight_kg=20.0 + 30 * n, age=10 + 5 * n, aesthetics=[f"Style {n}"])
    for n in range(8):
        other = make_gene(f"OTHER{n}", family=f"F{n}", weight_kg=12.0 * 1.4**n, age=5 + 4 * n, aesthetics=[f"Look {n}"])
        if n < 3:  # portraits to choose from for TP53's symbol → portrait question
            make_portrait(other, set_canonical=True)
    record_discoveries(user=user, names=["TP53", "MDM2", "KRAS", "EGFR"])
    return user


def next_items(client, **query) -> dict:
    response = client.get(NEXT, query)
    assert response.status_code == 200, response.content
    return response.json()


def answer(client, item, *, choice=None, grade=3, **extra):
    body = {"card": item["card"], "showing": item["showing"], "choice": choice or right_choice(item), "grade": grade}
    return client.post(ANSWERS, {**body, **extra}, format="json")


def payload(showing: str) -> dict:
    """A showing's signed payload, read as review.js reads it (URL-safe base64 JSON before the first colon)."""
    encoded = showing.split(":", 1)[0]
    return json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))


def right_choice(item) -> str:
    return payload(item["showing"])["answer"]


def wrong_choice(item) -> str:
    return next(choice["id"] for choice in item["choices"] if choice["id"] != right_choice(item))


def test_every_endpoint_wants_a_signed_in_user(api_client):
    assert api_client.get(SUMMARY).status_code == 401
    assert api_client.get(NEXT).status_code == 401
    assert api_client.post(ANSWERS, {}, format="json").status_code == 401
    assert api_client.post("/api/review/study/", {"genes": ["TP53"]}, format="json").status_code == 401


def test_the_summary_counts_the_discoveries_as_new_cards(reviewer):
    data = client_for(reviewer).get(SUMMARY).json()
    assert data == {"due": 6 + 3 * 4, "new": 6 + 3 * 4, "reviewed_today": 0, "streak_days": 0, "retention_30d": None}


def test_next_gives_questions_in_the_documented_shape(reviewer):
    client = client_for(reviewer, token=True)
    data = next_items(client)
    assert (data["due"], data["new"]) == (18, 18)
    assert len(data["items"]) == 10
    kinds = set()
    for item in data["items"]:
        assert set(item) == {"card", "kind", "question", "prompt", "choices", "showing"}
        assert set(item["prompt"]) == {"symbol", "image_url", "color_hex"}
        assert ReviewCard.objects.get(pk=item["card"]).user == reviewer
        assert len(item["choices"]) == 4
        for choice in item["choices"]:
            assert set(choice) == {"id", "label", "image_url"}
        kinds.add(item["kind"])
        if item["kind"] == Kind.PORTRAIT_TO_GENE:
            assert item["prompt"]["image_url"].startswith("http://testserver/media/portraits/")
    assert kinds <= set(Kind)
    assert len(next_items(client, limit=3)["items"]) == 3


@pytest.mark.parametrize("limit", ["0", "21", "ten", "-1"])
def test_a_limit_outside_1_to_20_is_a_400(reviewer, limit):
    response = client_for(reviewer).get(NEXT, {"limit": limit})
    assert response.status_code == 400
    assert "limit" in response.json()


def test_the_page_reads_the_right_choice_from_the_showing_as_the_server_does(reviewer):
    for item in next_items(client_for(reviewer))["items"]:
        assert payload(item["showing"]) == {
            "card": item["card"],
            "version": 0,
            "answer": read_showing(item["showing"]).answer,
        }


def test_a_right_answer_is_graded_as_given_and_scheduled(reviewer):
    client = client_for(reviewer)
    [item] = next_items(client, limit=1)["items"]
    response = answer(client, item, grade=3, elapsed_ms=2300)
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"correct", "answer", "fact", "grade", "next_due", "interval_days", "due"}
    card = ReviewCard.objects.select_related("gene").get(pk=item["card"])
    assert data["correct"] is True
    assert data["grade"] == 3
    assert data["answer"] == {"id": right_choice(item), "label": questions.answer_label(card)}
    assert data["fact"] == questions.fact(card)
    assert data["next_due"].endswith("Z")
    assert datetime.fromisoformat(data["next_due"]) == card.due.astimezone(UTC)
    assert data["interval_days"] == pytest.approx(10 / (24 * 60), rel=0.01)  # the second learning step
    assert data["due"] == 17
    log = ReviewLog.objects.get()
    assert (log.card_id, log.grade, log.correct, log.elapsed_ms, log.kind) == (card.pk, 3, True, 2300, card.kind)


def test_a_wrong_choice_is_recorded_as_again_whatever_the_grade(reviewer):
    client = client_for(reviewer)
    [item] = next_items(client, limit=1)["items"]
    data = answer(client, item, choice=wrong_choice(item), grade=4).json()
    assert (data["correct"], data["grade"]) == (False, 1)
    assert data["answer"]["id"] == right_choice(item)
    assert ReviewLog.objects.get().grade == 1


def test_the_weight_fact_names_the_mass(reviewer):
    client = client_for(reviewer)
    client.get(SUMMARY)
    card = ReviewCard.objects.get(user=reviewer, gene__symbol="TP53", kind=Kind.WEIGHT)
    question = questions.build_question(card)
    item = {"card": card.pk, "showing": question.showing}
    assert answer(client, item).json()["fact"] == "TP53 weight: 43.7 kg ← 43.7 kDa"


GRADES_ARE = "grade must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)"


@pytest.mark.parametrize(
    ("grade", "message"),
    [(0, GRADES_ARE), (5, GRADES_ARE), ("good", GRADES_ARE), (True, GRADES_ARE), (2.5, GRADES_ARE), (None, None)],
)
def test_an_invalid_grade_is_a_clear_400_and_records_nothing(reviewer, grade, message):
    client = client_for(reviewer)
    [item] = next_items(client, limit=1)["items"]
    response = answer(client, item, grade=grade)
    assert response.status_code == 400
    assert response.json() == {"grade": [message or "This field may not be null."]}
    assert not ReviewLog.objects.exists()
    assert ReviewCard.objects.get(pk=item["card"]).reps == 0


def test_an_unknown_card_or_another_users_card_is_a_400(reviewer):
    client = client_for(reviewer)
    [item] = next_items(client, limit=1)["items"]
    response = answer(client, {**item, "card": 999999})
    assert response.status_code == 400
    assert response.json() == {"detail": "no review card #999999 of yours"}

    intruder = make_user("mallory")
    response = answer(client_for(intruder), item)
    assert response.status_code == 400
    assert response.json() == {"detail": f"no review card #{item['card']} of yours"}
    assert not ReviewLog.objects.exists()


def forged(showing: str, **changes) -> str:
    """The showing with its payload changed and the signature kept (what a client cheating by hand would send)."""
    data = {**payload(showing), **changes}
    encoded = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")
    return f"{encoded}:{showing.split(':', 1)[1]}"


def test_a_changed_or_foreign_showing_is_a_400(reviewer):
    client = client_for(reviewer)
    first, second = next_items(client, limit=2)["items"]
    for showing in [forged(first["showing"], answer=wrong_choice(first)), first["showing"][:-2] + "xx", "nonsense"]:
        response = answer(client, {**first, "showing": showing}, choice=right_choice(first))
        assert response.status_code == 400
        assert response.json() == {"detail": "the showing token is not valid (changed, or not from this site)"}
    response = answer(client, {**first, "showing": second["showing"]}, choice=right_choice(first))
    assert response.status_code == 400
    assert response.json() == {"detail": f"this showing is of another card, not #{first['card']}"}
    assert not ReviewLog.objects.exists()


def test_an_expired_showing_is_a_400(reviewer, monkeypatch):
    client = client_for(reviewer)
    [item] = next_items(client, limit=1)["items"]
    monkeypatch.setattr(questions, "SHOWING_MAX_AGE", -1)
    response = answer(client, item)
    assert response.status_code == 400
    assert response.json() == {"detail": "this question has expired: fetch the next questions again"}


@pytest.mark.parametrize("body", ['{"card": 1, "showing": ', "{'card': 1}", "[1, 2]", '"grade"', ""])
def test_malformed_json_is_a_400(reviewer, body):
    response = client_for(reviewer).post(ANSWERS, body, content_type="application/json")
    assert response.status_code == 400
    assert isinstance(response.json(), dict)
    if body.startswith("{"):
        assert response.json()["detail"].startswith("JSON parse error")
    assert not ReviewLog.objects.exists()


def test_answering_a_showing_again_is_a_409_and_keeps_one_review(reviewer):
    client = client_for(reviewer)
    [item] = next_items(client, limit=1)["items"]
    assert answer(client, item, grade=3).status_code == 200
    again = answer(client, item, grade=1)
    assert again.status_code == 409
    assert again.json() == ALREADY
    assert ReviewLog.objects.count() == 1
    assert ReviewLog.objects.get().grade == 3


def test_the_next_showing_of_a_card_answers_its_new_version(reviewer):
    """After an answer the card shows a new version: the old token is refused, the new one accepted."""
    client = client_for(reviewer)
    [item] = next_items(client, limit=1)["items"]
    answer(client, item, grade=1)
    card = ReviewCard.objects.get(pk=item["card"])
    fresh = questions.build_question(ReviewCard.objects.select_related("gene").get(pk=card.pk))
    assert read_showing(fresh.showing).version == 1
    response = answer(client, {"card": card.pk, "showing": fresh.showing}, choice=fresh.answer_id)
    assert response.status_code == 200
    assert ReviewLog.objects.filter(card=card).count() == 2


def test_session_answers_need_the_csrf_token(reviewer):
    browser = Client(enforce_csrf_checks=True)
    assert browser.login(username=reviewer.username, password=PASSWORD)
    page = browser.get("/review/")
    token = page.cookies["csrftoken"].value
    item = browser.get(NEXT, {"limit": 1}).json()["items"][0]
    body = json.dumps({"card": item["card"], "showing": item["showing"], "choice": right_choice(item), "grade": 3})
    refused = browser.post(ANSWERS, body, content_type="application/json")
    assert refused.status_code == 403
    assert not ReviewLog.objects.exists()
    accepted = browser.post(ANSWERS, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200


def test_answers_are_rate_limited(reviewer, settings):
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "review": (2, 60)}
    client = client_for(reviewer)
    items = next_items(client, limit=3)["items"]
    assert [answer(client, item).status_code for item in items[:2]] == [200, 200]
    refused = answer(client, items[2])
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert ReviewLog.objects.count() == 2


def test_the_endpoints_are_in_the_schema():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path, method in [(SUMMARY, "get"), (NEXT, "get"), (ANSWERS, "post"), ("/api/review/study/", "post")]:
        assert method in paths[path]
    answers = paths[ANSWERS]["post"]["responses"]
    assert {"200", "400", "401", "409", "429"} <= set(answers)
    assert "limit" in [parameter["name"] for parameter in paths[NEXT]["get"]["parameters"]]
    item = schema["components"]["schemas"]["Question"]["properties"]
    assert set(item) == {"card", "kind", "question", "prompt", "choices", "showing"}


def test_history_outlives_its_card_and_guards_its_gene(reviewer):
    client = client_for(reviewer)
    [item] = next_items(client, limit=1)["items"]
    answer(client, item)
    card = ReviewCard.objects.select_related("gene").get(pk=item["card"])
    gene, kind = card.gene, card.kind
    card.delete()
    log = ReviewLog.objects.get()
    assert (log.card_id, log.user, log.gene, log.kind, log.grade) == (None, reviewer, gene, kind, 3)
    with pytest.raises(ProtectedError):
        gene.delete()
    # Studying the gene again gives it the card back, new; the history stays.
    services.enrol_genes(reviewer, [gene.pk])
    assert ReviewCard.objects.get(user=reviewer, gene=gene, kind=kind).reps == 0
    assert ReviewLog.objects.count() == 1
