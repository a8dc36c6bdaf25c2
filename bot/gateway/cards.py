"""The one-time view of a new card's number, expiry and CVV (never shown in the chat, whose
transcript is stored; never stored themselves except the encrypted number)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

router = APIRouter()
PAGE = Path(__file__).resolve().parent / "static" / "card.html"


class RevealIn(BaseModel):
    token: str = Field(..., min_length=8, max_length=200)


@router.get("/cards/{card_id}", response_class=HTMLResponse, include_in_schema=False)
async def card_page(card_id: str) -> HTMLResponse:
    return HTMLResponse(PAGE.read_text(encoding="utf-8"))


@router.post("/api/cards/{card_id}/reveal")
async def reveal(card_id: str, body: RevealIn) -> dict[str, Any]:
    from integrations.issuing.service import reveal as reveal_card

    secret = await asyncio.to_thread(reveal_card, card_id[:64], body.token)
    if not secret.ok:
        # spent and expired links say so; anything else is indistinguishable from "not found"
        status = 410 if secret.code in ("reveal_spent", "reveal_expired") else 404
        raise HTTPException(status_code=status, detail=secret.code)
    return {"pan": secret.pan, "expiry": secret.expiry, "cvv": secret.cvv}
