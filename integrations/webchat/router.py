"""Web chat API: the browser never talks to Rasa directly (no token, no CORS on Rasa).

POST /api/chat/sessions → {"session": id}     a new conversation, id unguessable (128 bits)
POST /api/chat {"session": id, "text": "…"}  → {"messages": [{"text", "buttons"}…]}
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel, Field

from integrations.rasa import RasaUnavailable

router = APIRouter()
STATIC = Path(__file__).resolve().parent / "static"
MAX_TEXT = 20_000  # longer bodies are refused here; Rasa answers anything shorter politely
SESSION = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class ChatIn(BaseModel):
    session: str = Field(..., max_length=64)
    text: str = Field("", max_length=MAX_TEXT)


def sender_for(session: str) -> str:
    return f"web:{session}"


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def page() -> HTMLResponse:
    return HTMLResponse((STATIC / "index.html").read_text(encoding="utf-8"))


@router.get("/static/webchat/{name}", include_in_schema=False)
async def asset(name: str) -> FileResponse:
    path = (STATIC / name).resolve()
    if path.parent != STATIC or not path.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(path)


@router.post("/api/chat/sessions")
async def new_session() -> dict[str, str]:
    return {"session": secrets.token_urlsafe(16)}


@router.post("/api/chat")
async def chat(body: ChatIn, request: Request) -> dict[str, Any]:
    if not SESSION.match(body.session):
        raise HTTPException(status_code=400, detail="invalid session")
    try:
        replies = await request.app.state.rasa.send(sender_for(body.session), body.text)
    except RasaUnavailable as exc:
        raise HTTPException(status_code=503, detail="assistant unavailable, please retry shortly") from exc
    return {"messages": messages_from(replies)}


def messages_from(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rasa's replies as the web chat shows them: text and buttons only."""
    return [
        {
            "text": r.get("text") or "",
            "buttons": [
                {"title": b.get("title", ""), "payload": b.get("payload", "")} for b in (r.get("buttons") or [])
            ],
        }
        for r in replies
        if r.get("text") or r.get("buttons")
    ]
