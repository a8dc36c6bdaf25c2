"""A small async client for the Rasa server, used by the gateway and its channels."""

from __future__ import annotations

from typing import Any

import httpx


class RasaUnavailable(Exception):
    """Rasa did not answer (starting, restarting, overloaded)."""


class RasaClient:
    def __init__(self, base_url: str, token: str, timeout: float = 30.0) -> None:
        self._base = base_url.rstrip("/")
        self._token = token
        self._http = httpx.AsyncClient(timeout=timeout)

    async def close(self) -> None:
        await self._http.aclose()

    async def send(self, sender: str, text: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """One applicant message through the REST channel; returns the assistant's messages."""
        body: dict[str, Any] = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        try:
            resp = await self._http.post(f"{self._base}/webhooks/rest/webhook", json=body)
        except httpx.HTTPError as exc:
            raise RasaUnavailable(str(exc)) from exc
        if resp.status_code != 200:
            raise RasaUnavailable(f"HTTP {resp.status_code}")
        data = resp.json()
        return data if isinstance(data, list) else []

    async def requested_slot(self, sender: str) -> str | None:
        """The question the conversation is waiting on (to know what an uploaded photo is for)."""
        try:
            resp = await self._http.get(
                f"{self._base}/conversations/{sender}/tracker", params={"token": self._token, "include_events": "NONE"}
            )
        except httpx.HTTPError as exc:
            raise RasaUnavailable(str(exc)) from exc
        if resp.status_code != 200:
            return None
        value = resp.json().get("slots", {}).get("requested_slot")
        return str(value) if value else None

    async def ready(self) -> tuple[bool, str]:
        """Ready means a model is loaded and the API answers."""
        try:
            resp = await self._http.get(f"{self._base}/status", params={"token": self._token}, timeout=3)
        except httpx.HTTPError as exc:
            return False, type(exc).__name__
        if resp.status_code != 200:
            return False, f"HTTP {resp.status_code}"
        info = resp.json()
        if not info.get("model_id") and not info.get("fingerprint"):
            return False, "no model loaded"
        return True, str(info.get("model_id") or "")
