"""Client for the Rasa server: the REST channel (messages) and the HTTP API (status)."""

from integrations.rasa.client import RasaClient, RasaUnavailable

__all__ = ["RasaClient", "RasaUnavailable"]
