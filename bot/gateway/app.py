"""FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from bot import logsafe
from bot.gateway import applications, cards, health, uploads
from bot.secrets import rasa_auth_token
from bot.settings import get_settings
from integrations.rasa import RasaClient
from integrations.webchat import router as webchat


def create_app() -> FastAPI:
    logsafe.install()
    settings = get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.rasa = RasaClient(settings.rasa_url, rasa_auth_token())
        yield
        await app.state.rasa.close()

    app = FastAPI(title="kaika gateway", version="0.1.0", lifespan=lifespan, docs_url="/api/docs", redoc_url=None)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # 422 with a plain explanation; never echo the input back (it may hold personal data).
        fields = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) for e in exc.errors()})
        return JSONResponse({"error": "invalid_request", "fields": fields}, status_code=422)

    @app.middleware("http")
    async def _security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.include_router(health.router)
    app.include_router(applications.router)
    app.include_router(webchat.router)
    app.include_router(uploads.router)
    app.include_router(cards.router)
    return app
