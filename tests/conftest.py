"""Shared fixtures: where ../shared is, and one analysis pipeline per test session."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DATA = REPO / "tests" / "data"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


@pytest.fixture(scope="session")
def settings() -> dict:
    from storyline.settings import load_settings

    return load_settings()


@pytest.fixture(scope="session")
def compare_files(settings):
    """Compare files with the real pipeline (models load once per session) -> plain dict."""
    from storyline import service
    from storyline.model import to_dict

    def run(paths):
        return to_dict(service.compare([Path(p) for p in paths], settings))

    return run


def all_evidence(node):
    """Every evidence dict anywhere inside a comparison dict."""
    if isinstance(node, dict):
        if "article_id" in node and "sentence_start" in node:
            yield node
        for value in node.values():
            yield from all_evidence(value)
    elif isinstance(node, list):
        for value in node:
            yield from all_evidence(value)


def check_evidence(data: dict) -> int:
    """Assert every evidence span indexes its article's text exactly; return how many."""
    texts = {a["id"]: a["text"] for a in data["articles"]}
    n = 0
    for ev in all_evidence(data):
        text = texts[ev["article_id"]]
        assert text[ev["start"] : ev["end"]] == ev["text"], ev
        assert ev["sentence_start"] <= ev["start"] <= ev["end"] <= ev["sentence_end"], ev
        assert ev["end"] > ev["start"], ev
        n += 1
    return n


class Hang(BaseException):
    """Raised by ``time_bound``'s alarm; a BaseException, so no ``except Exception`` in the
    code under test hides it."""


@contextlib.contextmanager
def time_bound(seconds: int):
    """Raise ``Hang`` when the body runs longer than ``seconds``: tests must never hang."""

    def expire(*_args):
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def local_server(handler):
    """A threaded HTTP server on 127.0.0.1 with ``handler``; yields its base URL."""
    from http.server import ThreadingHTTPServer

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request, tmp_path):
    """Each store test once per backend (tests/store_backends.py); the PostgreSQL case is
    skipped, saying why, when STORYLINE_TEST_POSTGRES names no server."""
    yield from _backend(request.param, tmp_path)


@pytest.fixture
def pg(tmp_path):
    """The PostgreSQL backend alone, for cases only it has (skipped as ``backend``'s are)."""
    yield from _backend("postgres", tmp_path)


def _backend(name: str, tmp_path: Path):
    from tests.store_backends import Backend

    chosen = Backend(name, tmp_path)
    try:
        yield chosen
    finally:
        chosen.close()
