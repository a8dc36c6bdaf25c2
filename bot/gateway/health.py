"""GET /health: 200 only when Rasa (with a model), the action server and the database are ready."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bot.settings import get_settings
from bot.store.db import get_engine

router = APIRouter()


async def _actions() -> tuple[bool, str]:
    try:
        async with httpx.AsyncClient(timeout=3) as client:
            resp = await client.get(f"{get_settings().actions_url}/health")
        return resp.status_code == 200, f"HTTP {resp.status_code}"
    except httpx.HTTPError as exc:
        return False, type(exc).__name__


def _database() -> tuple[bool, str]:
    try:
        with get_engine().connect() as conn:
            conn.execute(sa.text("SELECT 1"))
            has_tables = sa.inspect(conn).has_table("applications")
        return has_tables, "ok" if has_tables else "not migrated (run: kaika db upgrade)"
    except sa.exc.SQLAlchemyError as exc:
        return False, type(exc).__name__


@router.get("/health")
async def health(request: Request) -> JSONResponse:
    rasa_ok, actions_ok, db_ok = await asyncio.gather(
        request.app.state.rasa.ready(), _actions(), asyncio.to_thread(_database)
    )
    components: dict[str, Any] = {
        name: {"ready": ok, "detail": detail}
        for name, (ok, detail) in (("rasa", rasa_ok), ("actions", actions_ok), ("database", db_ok))
    }
    ready = all(c["ready"] for c in components.values())
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", "components": components}, status_code=200 if ready else 503
    )
