"""The baseline for `benchmarks/load.py`: a bare Bolt app that only acks `/prosjekt`.

It uses the same Bolt settings as `bot.app.create_app` (`process_before_response=True`,
`token_verification_enabled=False`, the signing secret, a WebClient pointed at `SLACK_API_URL`) and is
served exactly like the real app: `bot.web.make_wsgi` (so `/healthz` and `/slack/events` take the same
path) by `bot.server.serve` (granian, one worker, `WEB_THREADS` threads), except that it binds 127.0.0.1
only. No database, no handlers, no Slack calls: what is left is the cost of the server, Bolt's signature
check and payload parsing, which is the floor our app's latency is compared with.

    SLACK_SIGNING_SECRET=... SLACK_API_URL=http://127.0.0.1:PORT/api/ WEB_THREADS=8 \\
        python benchmarks/bare_app.py --port 3100
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for `bot`

from slack_bolt import Ack, App  # noqa: E402
from slack_sdk import WebClient  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402

from bot.server import serve  # noqa: E402
from bot.web import make_wsgi  # noqa: E402


def create_bare_app(signing_secret: str, api_url: str, token: str = "xoxb-bench") -> App:
    app = App(
        client=WebClient(token=token, base_url=api_url, timeout=10),
        signing_secret=signing_secret,
        process_before_response=True,
        token_verification_enabled=False,
        request_verification_enabled=False,  # bot.web checks the signature, as for the real app
        name="bare",
    )

    @app.command("/prosjekt")
    def prosjekt(ack: Ack, command: dict[str, Any]) -> None:
        ack(response_type="ephemeral", text="ok")  # a JSON body, like every answer of the real app

    return app


def wsgi_app() -> Any:
    """The factory the server's worker calls (see bot.server.serve)."""
    app = create_bare_app(os.environ["SLACK_SIGNING_SECRET"], os.environ["SLACK_API_URL"])
    return make_wsgi(app, create_engine("sqlite://"))  # the engine only for make_wsgi's /healthz ping


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    serve("benchmarks.bare_app:wsgi_app", port=args.port, threads=int(os.environ.get("WEB_THREADS", "8")),
          address="127.0.0.1")


if __name__ == "__main__":
    main()
