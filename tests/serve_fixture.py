"""Stores and servers for the `storyline serve` tests: the demo corpus in a temporary store,
and the ASGI app on a real loopback port (uvicorn in a thread) for the browser tests."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from importlib import resources
from pathlib import Path


def demo_corpus() -> Path:
    return Path(str(resources.files("storyline").joinpath("data/demo/corpus.jsonl")))


def demo_settings(store: Path, **overrides) -> dict:
    """Settings for a store built from the bundled demo corpus (ingested once)."""
    from storyline import service
    from storyline.settings import load_settings

    settings = load_settings({"store": str(store), **overrides})
    if not store.exists():
        service.ingest([str(demo_corpus())], settings)
    return settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(settings: dict):
    """`storyline serve`'s app on 127.0.0.1 in a thread; yields its base URL."""
    import uvicorn

    from storyline.interfaces.api import create_app

    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                            log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
