"""The gateway (FastAPI, port 8000): health, owner-only application API, web chat.

Channels that cross the boundary (the web chat now; Telegram and the partner widget later)
mount their routers here and talk to Rasa through integrations.rasa.RasaClient.
"""

from bot.gateway.app import create_app

__all__ = ["create_app"]
