"""Entry point of every kaika server process: makes logs safe, then starts the server.

python -m bot.launch rasa <rasa run arguments>
python -m bot.launch actions
python -m bot.launch gateway
"""

from __future__ import annotations

import os
import sys

from bot import logsafe


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        raise SystemExit("usage: python -m bot.launch rasa|actions|gateway [args]")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logsafe.install()
    kind, rest = args[0], args[1:]
    from bot.settings import get_settings

    settings = get_settings()
    if kind == "rasa":
        from rasa.__main__ import main as rasa_main

        from bot import rasa_patches

        rasa_patches.apply()
        token = os.environ.get("RASA_AUTH_TOKEN", "")
        if token and "--auth-token" not in rest:  # passed here, not on the command line others can `ps`
            rest += ["--auth-token", token]
        sys.argv = ["rasa", *rest]
        rasa_main()
    elif kind == "actions":
        from rasa_sdk import endpoint

        os.environ.setdefault("SANIC_HOST", settings.host)
        endpoint.run("actions", port=settings.actions_port, cors_origins=[])
    elif kind == "gateway":
        import uvicorn

        uvicorn.run(
            "bot.gateway:create_app",
            factory=True,
            host=settings.host,
            port=settings.gateway_port,
            log_level=settings.log_level.lower(),
            access_log=True,
            ws="wsproto",  # uvicorn's default websockets backend needs websockets>=13; Rasa pins 10.4
        )
    else:
        raise SystemExit(f"unknown process kind {kind!r}")


if __name__ == "__main__":
    main()
