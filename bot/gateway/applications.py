"""Owner-only access to an application: the bearer token handed out in the conversation.

No token → 401. A wrong token and an unknown reference both → 404 (nobody can learn which
references exist). Personal numbers are masked even for the owner: a leaked link exposes less.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Header, HTTPException
from fastapi.responses import HTMLResponse

from bot.dialogue import display_value
from bot.i18n import label
from bot.store import applications

router = APIRouter()
PAGE = Path(__file__).resolve().parent / "static" / "application.html"


def _bearer(authorization: str | None) -> str:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise HTTPException(status_code=401, detail="missing bearer token", headers={"WWW-Authenticate": "Bearer"})
    return authorization.split(" ", 1)[1].strip()


def _public(view: applications.ApplicationView) -> dict[str, Any]:
    lang = view.language
    applicant = view.applicant or {}
    shown = {
        name: display_value(name, applicant.get(name), lang)
        for name in ("full_name", "id_number", "phone", "monthly_income", "chosen_card")
        if applicant.get(name) is not None
    }
    return {
        "reference": view.reference,
        "status": view.status,
        "status_label": {lng: label(f"status.{view.status}", lng) for lng in ("zh", "en")},
        "product": view.product_code,
        "submitted_at": view.submitted_at,
        "history": view.history,
        "applicant": shown,
    }


@router.get("/api/applications/{reference}")
async def get_application(reference: str, authorization: str | None = Header(default=None)) -> dict[str, Any]:
    token = _bearer(authorization)
    view = await asyncio.to_thread(applications.get_for_owner, reference[:40], token[:200])
    if view is None:
        raise HTTPException(status_code=404, detail="not found")
    return _public(view)


@router.get("/applications/{reference}", response_class=HTMLResponse)
async def application_page(reference: str) -> HTMLResponse:
    # Static page; its script reads the token from the URL fragment and calls the API above.
    return HTMLResponse(PAGE.read_text(encoding="utf-8"))
