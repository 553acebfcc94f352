"""The production HTTP server: granian (an HTTP server written in Rust) serving the WSGI app on its threads.

`serve` replaces the calling process (which checked the settings) with a lean one that imports only this module
and granian: `python -m bot.server TARGET --port N --threads N`. granian spawns one worker process, which builds
the app by calling the factory TARGET names ("module:function").
Why granian: its HTTP handling is Rust, so it does not take the GIL from the acks (figures: docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent.parent  # where `bot` and the targets' packages are


def serve(target: str, *, port: int, threads: int, address: str = "0.0.0.0") -> NoReturn:
    """Serve the WSGI app that calling `target` builds, with `threads` request threads (Slack calls made after an
    ack run on a pool of their own, so a slow one never holds a request thread), in place of this process: it keeps
    its pid and signals, and stops after SIGTERM or SIGINT once the requests in flight are answered and the Slack
    calls they queued are made."""
    logging.getLogger("prosjektbot").info("serving on port %s with %s threads", port, threads)
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    argv = [sys.executable, "-m", "bot.server", target, "--port", str(port), "--threads", str(threads),
            "--address", address]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, argv, {**os.environ, "PYTHONPATH": path})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="serve a WSGI app factory with granian")
    parser.add_argument("target", help="module:function that builds the WSGI app (in the worker)")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--address", default="0.0.0.0")
    args = parser.parse_args(argv)
    from granian.constants import Interfaces
    from granian.server import Server

    Server(
        args.target, address=args.address, port=args.port, interface=Interfaces.WSGI, factory=True, workers=1,
        blocking_threads=args.threads, backlog=1024, log_access=False, workers_kill_timeout=10,
    ).serve()


if __name__ == "__main__":
    main()
