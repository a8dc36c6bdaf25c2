"""POST /api/chat/upload: a photo in the web chat (ID document or selfie).

The image is checked, read and stored by bot.uploads in a worker thread (OCR and face
detection take up to a couple of seconds), then the conversation continues with the payload
naming the stored result, exactly as if the applicant had typed an answer.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile

from bot import uploads
from integrations.kyc.images import MAX_BYTES
from integrations.rasa import RasaUnavailable
from integrations.webchat.router import SESSION, messages_from, sender_for

router = APIRouter()


@router.post("/api/chat/upload")
async def upload(request: Request, session: str = Form(...), file: UploadFile = File(...)) -> dict[str, Any]:
    if not SESSION.match(session):
        raise HTTPException(status_code=400, detail="invalid upload")
    data = await file.read(MAX_BYTES + 1)  # one byte more than allowed tells "too large" without reading it all
    sender = sender_for(session)
    try:
        asked = await request.app.state.rasa.requested_slot(sender)
    except RasaUnavailable as exc:
        raise HTTPException(status_code=503, detail="assistant unavailable, please retry shortly") from exc
    kind = "selfie" if asked == "liveness_check" else "document"
    payload = await asyncio.to_thread(uploads.receive, sender, kind, data)  # type: ignore[arg-type]
    try:
        replies = await request.app.state.rasa.send(sender, payload)
    except RasaUnavailable as exc:
        raise HTTPException(status_code=503, detail="assistant unavailable, please retry shortly") from exc
    return {"messages": messages_from(replies)}
