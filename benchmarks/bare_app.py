"""The baseline for `benchmarks/load.py`: a bare Bolt app that only acks `/prosjekt`.

It uses the same Bolt settings as `bot.app.create_app` (`process_before_response=True`,
`token_verification_enabled=False`, the signing secret, a WebClient pointed at `SLACK_API_URL`) and is
served exactly like the real app: `bot.web.make_wsgi` (so `/healthz` and `/slack/events` take the same
path) under `bot.web.GunicornServer` (gunicorn gthread, one worker, `WEB_THREADS` threads), except that
it binds 127.0.0.1 only. No database, no handlers, no Slack calls: what is left is the cost of gunicorn,
Bolt's signature check and payload parsing, which is the floor our app's latency is compared with.

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

from bot.server import GunicornServer  # noqa: E402
from bot.web import make_wsgi  # noqa: E402


def create_bare_app(signing_secret: str, api_url: str, token: str = "xoxb-bench") -> App:
    app = App(
        client=WebClient(token=token, base_url=api_url, timeout=10),
        signing_secret=signing_secret,
        process_before_response=True,
        token_verification_enabled=False,
        name="bare",
    )

    @app.command("/prosjekt")
    def prosjekt(ack: Ack, command: dict[str, Any]) -> None:
        ack(response_type="ephemeral", text="ok")  # a JSON body, like every answer of the real app

    return app


class LoopbackServer(GunicornServer):
    """`bot.server.GunicornServer` with the same options, bound to 127.0.0.1 instead of 0.0.0.0."""

    def __init__(self, wsgi: Any, *, port: int, threads: int) -> None:
        self.port = port  # before super().__init__, which calls load_config
        super().__init__(wsgi, port=port, threads=threads)

    def load_config(self) -> None:
        super().load_config()
        self.cfg.set("bind", [f"127.0.0.1:{self.port}"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = create_bare_app(os.environ["SLACK_SIGNING_SECRET"], os.environ["SLACK_API_URL"])
    engine = create_engine("sqlite://")  # only for make_wsgi's /healthz ping
    threads = int(os.environ.get("WEB_THREADS", "8"))
    LoopbackServer(lambda: make_wsgi(app, engine), port=args.port, threads=threads).run()


if __name__ == "__main__":
    main()
