"""Owner-only access to an application: the bearer token handed out in the conversation.

No token → 401. A wrong token and an unknown reference both → 404 (nobody can learn which
references exist). Personal numbers are masked even for the owner: a leaked link exposes less.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Header, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

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


@router.get("/api/applications/{reference}/agreement.pdf")
async def agreement(reference: str, authorization: str | None = Header(default=None)) -> Response:
    """The card agreement, to its owner only: the signed PDF once signed, a preview before."""
    token = _bearer(authorization)
    view = await asyncio.to_thread(applications.get_for_owner, reference[:40], token[:200])
    if view is None:
        raise HTTPException(status_code=404, detail="not found")
    pdf = await asyncio.to_thread(agreement_pdf, view)
    if pdf is None:
        raise HTTPException(status_code=404, detail="no agreement for this application")
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{view.reference}.pdf"'}
    )


def agreement_pdf(view: applications.ApplicationView) -> bytes | None:
    from integrations.issuing.credit import default_source
    from integrations.scoring.records import application_id_for
    from integrations.signing.agreement import AgreementData
    from integrations.signing.service import load_signed_agreement, prepare_agreement

    if view.reference is None:
        return None
    signed = load_signed_agreement(view.reference)
    if signed is not None:
        return signed
    app_id = application_id_for(view.reference)
    applicant = view.applicant or {}
    limit = default_source().approved_limit(app_id, str(view.product_code)) if app_id is not None else None
    if view.status != "approved" or not limit:
        return None
    data = AgreementData(
        reference=view.reference,
        applicant_name=str(applicant.get("full_name")),
        id_number=str(applicant.get("id_number")),
        product_code=str(view.product_code),
        credit_limit=int(limit),
        language=view.language,
    )
    return prepare_agreement(data).pdf


@router.post("/api/agreements/verify")
async def verify_agreement(request: Request) -> dict[str, Any]:
    """Validate a signed agreement (the PDF as the request body) against kaika's trust roots."""
    from integrations.signing.verify import verify_pdf

    body = await request.body()
    if not body or len(body) > 20 * 1024 * 1024:
        raise HTTPException(status_code=400, detail="send the PDF (at most 20 MB) as the request body")
    report = await asyncio.to_thread(verify_pdf, body)
    result: dict[str, Any] = report.to_dict()
    return result
