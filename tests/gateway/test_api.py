"""The gateway's HTTP API without the other servers: owner-only rule, health, input limits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.core.test_store import APPLICANT


@pytest.fixture()
def client(store: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    # Nothing listens on these ports: Rasa and the action server are "down".
    monkeypatch.setenv("KAIKA_RASA_PORT", "9")
    monkeypatch.setenv("KAIKA_ACTIONS_PORT", "9")
    from tests.conftest import reset_caches

    reset_caches()
    from bot.gateway import create_app

    with TestClient(create_app()) as c:
        yield c


def submitted() -> tuple[str, str]:
    from bot.store import applications

    applications.open_draft("web:owner", "zh", "v1")
    sub = applications.submit("web:owner", APPLICANT, "zh")
    assert sub.owner_token
    return sub.reference, sub.owner_token


def test_owner_sees_their_application_masked(client: TestClient) -> None:
    ref, token = submitted()
    r = client.get(f"/api/applications/{ref}", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    body = r.json()
    assert body["reference"] == ref and body["status"] == "submitted"
    assert body["status_label"] == {"zh": "已提交，等待审批", "en": "submitted, awaiting a decision"}
    assert body["applicant"]["full_name"] == "张伟"
    assert "420106198008251161" not in r.text and "15012345678" not in r.text
    assert r.headers["cache-control"] == "no-store"


def test_no_token_is_401_and_wrong_token_or_reference_is_404(client: TestClient) -> None:
    ref, token = submitted()
    assert client.get(f"/api/applications/{ref}").status_code == 401
    assert client.get(f"/api/applications/{ref}", headers={"Authorization": "Basic abc"}).status_code == 401
    wrong = client.get(f"/api/applications/{ref}", headers={"Authorization": "Bearer " + "x" * 43})
    assert wrong.status_code == 404
    unknown = client.get("/api/applications/KK000000-AAAAAA", headers={"Authorization": f"Bearer {token}"})
    assert unknown.status_code == 404
    assert wrong.json() == unknown.json()  # indistinguishable


def test_health_reports_each_component(client: TestClient) -> None:
    r = client.get("/health")
    assert r.status_code == 503
    comps = r.json()["components"]
    assert comps["database"]["ready"] is True
    assert comps["rasa"]["ready"] is False and comps["actions"]["ready"] is False


def test_chat_when_rasa_is_down_is_a_clear_503(client: TestClient) -> None:
    session = client.post("/api/chat/sessions").json()["session"]
    r = client.post("/api/chat", json={"session": session, "text": "你好"})
    assert r.status_code == 503 and "retry" in r.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [{"session": "../../etc", "text": "hi"}, {"session": "short", "text": "hi"}, {"text": "hi"}, {"session": 5}],
)
def test_chat_rejects_bad_requests_without_echoing_them(client: TestClient, body: dict) -> None:
    r = client.post("/api/chat", json=body)
    assert r.status_code in (400, 422)
    assert "etc" not in r.text


def test_oversized_message_is_refused_politely(client: TestClient) -> None:
    session = client.post("/api/chat/sessions").json()["session"]
    r = client.post("/api/chat", json={"session": session, "text": "x" * 20_001})
    assert r.status_code == 422 and r.json()["fields"] == ["text"]


def test_pages_are_served(client: TestClient) -> None:
    assert "kaika" in client.get("/").text
    assert client.get("/static/webchat/chat.js").status_code == 200
    assert client.get("/static/webchat/..%2F..%2Frouter.py").status_code == 404
    assert "Bearer" in client.get("/applications/KK1").text
