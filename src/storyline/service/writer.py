"""A process of its own that stores a server's posted articles, so storing them never waits
for the GIL behind the pages, JSON and HTTP the server answers meanwhile.

Request threads put their posts (articles already read and checked) on a queue; the process
takes every post queued while it stored the last group, up to GROUP_ARTICLES articles, stores
them as one batch through ``posting.store_posts`` (its own Tracker: the engines stay loaded)
and answers each post after that batch is committed. An answer is what the server sends: a
2xx still means stored. A coded error comes back as the same coded error; a process that dies
fails the posts it held (the client posts them again: ingest is idempotent) and the next post
starts a new one, whose Tracker catches up whatever the dead one stored but did not track.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import queue
import signal
import threading
from concurrent.futures import Future

from storyline import errors
from storyline.errors import StoreError, StorylineError
from storyline.service.options import track_options
from storyline.service.posting import Post, store_posts

# Articles one group commit stores at most: ingest's batch (service.ingesting.INGEST_BATCH),
# where commits and the engine snapshot stopped dominating (530 vs 400 headlines/s at 500).
GROUP_ARTICLES = 1000
POLL_SECONDS = 0.5  # how often the answering thread checks that the process still runs
STOP_SECONDS = 60.0  # a group being committed when the server stops is let finish
PARENT_CHECK_SECONDS = 2.0  # how often an idle writer process checks the server still runs


class WriterProcess:
    """The process that stores posted articles, and the thread that hands back its answers."""

    def __init__(self, settings: dict):
        context = multiprocessing.get_context("spawn")  # never fork a process with threads
        self._jobs = context.Queue()
        self._answers = context.Queue()
        self._process = context.Process(target=serve_writes, name="storyline-writer",
                                        args=(settings, self._jobs, self._answers,
                                              os.getpid()), daemon=True)
        self._lock = threading.Lock()
        self._pending: dict[int, Future] = {}
        self._ids = itertools.count()
        self._stopped: str | None = None  # why posts are refused, once the process is gone
        self._process.start()
        self._thread = threading.Thread(target=self._answer, name="storyline-writer-answers",
                                        daemon=True)
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._stopped is None and self._process.is_alive()

    def store(self, post: Post) -> None:
        """Store one post; its rows get their statuses and stories, or its error is raised."""
        future: Future = Future()
        with self._lock:
            if self._stopped is not None:
                raise _stopped_error(self._stopped)
            job = next(self._ids)
            self._pending[job] = future
        self._jobs.put((job, post.rows, post.articles, post.skips))
        rows, error = future.result()
        if error is not None:
            raise error
        for mine, stored in zip(post.rows, rows, strict=True):
            mine.update(stored)

    def close(self) -> None:
        """Let the process store what it holds, then stop it."""
        self._jobs.put(None)
        self._process.join(STOP_SECONDS)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(5)
        self._jobs.cancel_join_thread()  # posts a dead process never read: none can now
        self._jobs.close()
        self._thread.join(POLL_SECONDS * 4)
        self._fail_pending("the server stopped")

    def _answer(self) -> None:
        while True:
            try:
                job, rows, error = self._answers.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if not self._process.is_alive():
                    self._fail_pending(f"exit code {self._process.exitcode}")
                    return
                continue
            except (EOFError, OSError):
                self._fail_pending("its queue broke")
                return
            if job is None:  # the process is done
                self._fail_pending("the server stopped")
                return
            with self._lock:
                future = self._pending.pop(job, None)
            if future is not None:
                future.set_result((rows, _error_from(error) if error else None))

    def _fail_pending(self, why: str) -> None:
        with self._lock:
            self._stopped = self._stopped or why
            pending, self._pending = self._pending, {}
        for future in pending.values():
            future.set_result((None, _stopped_error(why)))


def serve_writes(settings: dict, jobs, answers, parent: int) -> None:
    """The writer process: store each group of queued posts in one batch, answer each post,
    until told to stop (None) or until the server (process ``parent``) is gone."""
    from storyline.stories.tracker import Tracker

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    tracker: Tracker | None = None
    options = track_options(settings)
    try:  # the engines loaded before the first post (which hears it if this fails)
        tracker = Tracker(options)
    except Exception:  # retried, and then reported, with the first post
        tracker = None
    stop = False
    while not stop:
        first = _next_job(jobs, parent)
        if first is None:
            break
        group, size = [first], len(first[2])
        while size < GROUP_ARTICLES:
            try:
                job = jobs.get_nowait()
            except queue.Empty:
                break
            if job is None:
                stop = True
                break
            group.append(job)
            size += len(job[2])
        posts = [Post(rows, articles, skips) for _job, rows, articles, skips in group]
        try:
            if tracker is None:
                tracker = Tracker(options)
            store_posts(tracker, posts)
        except Exception as exc:  # every post of the group hears it; reload the engines
            if tracker is not None:
                tracker.close()
                tracker = None
            for job, *_ in group:
                answers.put((job, None, portable_error(exc)))
            continue
        for (job, *_), post in zip(group, posts, strict=True):
            answers.put((job, post.rows, None))
    if tracker is not None:
        tracker.close()
    answers.put((None, None, None))


def _next_job(jobs, parent: int):
    """The next post, or None once told to stop or once the server is gone (killed: nobody
    would read our answers, and an orphan must not linger)."""
    while True:
        try:
            return jobs.get(timeout=PARENT_CHECK_SECONDS)
        except queue.Empty:
            if os.getppid() != parent:
                return None


def portable_error(exc: Exception) -> tuple[str, str, str | None, str | None]:
    """A coded error as (class name, message, hint, path), to raise again in the server."""
    if isinstance(exc, StorylineError) and type(exc).__module__ == errors.__name__:
        return type(exc).__name__, exc.message, exc.hint, exc.path
    return "StoreError", f"the writer failed: {type(exc).__name__}: {exc}"[:500], None, None


def _error_from(parts: tuple[str, str, str | None, str | None]) -> StorylineError:
    name, message, hint, path = parts
    kind = getattr(errors, name, StoreError)
    if not (isinstance(kind, type) and issubclass(kind, StorylineError)):
        kind = StoreError
    return kind(message, hint=hint, path=path)


def _stopped_error(why: str) -> StoreError:
    return StoreError(f"the writer process stopped ({why}) before answering",
                      hint="post the articles again: posting is idempotent")
