"""Coded exceptions. Each carries a code, a message naming what failed, and a hint for the fix.

Interfaces catch ``StorylineError`` and print ``[E###] message (hint)`` without a traceback:
these are user mistakes or bad input, not bugs.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""

    code = "E000"
    hint = ""

    def __init__(self, message: str, hint: str | None = None, path: str | None = None):
        self.message = message
        self.path = path
        if hint is not None:
            self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        where = f"{self.path}: " if self.path else ""
        hint = f" Hint: {self.hint}" if self.hint else ""
        return f"[{self.code}] {where}{self.message}.{hint}"


class InputError(StorylineError):
    """Input could not be read as an article (missing, empty, binary, truncated...)."""

    code = "E100"
    hint = "pass a UTF-8 text, HTML, JSONL or CSV file with article text"


class EmptyInputError(InputError):
    code = "E101"
    hint = "the file holds no article text; check you passed the right file"


class BinaryInputError(InputError):
    code = "E102"
    hint = "binary files (images, PDFs, archives) are not articles; convert to text first"


class EncodingError(InputError):
    code = "E103"
    hint = "save the file as UTF-8 (or pass HTML, whose charset is detected)"


class TooLargeError(InputError):
    code = "E104"
    hint = "raise the cap with --max-bytes or the STORYLINE_MAX_BYTES setting"


class NoMainTextError(InputError):
    code = "E105"
    hint = "the page has no extractable article body (navigation or error page?)"


class FormatError(InputError):
    code = "E106"
    hint = "check the file's format (see the README for the JSONL/CSV schema)"


class NothingReadError(InputError):
    code = "E107"
    hint = "every source was refused or skipped: see the skips listed above"


class UnsupportedLanguageError(InputError):
    code = "E110"
    hint = "Storyline's analysis models cover English; pass English articles"


class CompareError(StorylineError):
    code = "E200"
    hint = "pass at least two articles to compare"


class PipelineError(StorylineError):
    """The pipeline was built with components in an order that breaks their requirements."""

    code = "E300"
    hint = "put the components that assign a layer before those that require it"


class ModelLoadError(StorylineError):
    code = "E310"
    hint = "reinstall the project (make install): the bundled model packages are missing"


class WorkerError(StorylineError):
    """A backfill's Ray workers stopped answering, and replacing them did not help."""

    code = "E320"
    hint = (
        "raise the backfill_chunk_timeout setting for very long articles or a slow cluster, "
        "or run the backfill with --engine local"
    )


class FetchError(StorylineError):
    """A URL could not or may not be fetched."""

    code = "E400"
    hint = "check the URL; only public http(s) addresses are fetched by default"


class UnsafeURLError(FetchError):
    code = "E401"
    hint = (
        "the URL points at a loopback, private, link-local or multicast address, or is not "
        "http(s); set STORYLINE_ALLOW_PRIVATE_URLS=1 only for trusted local sources"
    )


class StoreError(StorylineError):
    code = "E500"
    hint = "check the store path and that no other program holds it"


class StoreBusyError(StoreError):
    """Another process held the store's writer lease for longer than ``writer_timeout``."""

    code = "E501"
    hint = (
        "another storyline process (ingest, watch or refine) is writing to this store; wait for "
        "it to finish, or raise the writer_timeout setting (STORYLINE_WRITER_TIMEOUT)"
    )


class NotFoundError(StorylineError):
    code = "E404"
    hint = "list what exists with `storyline stories` or `storyline articles`"


class CorrectionError(StorylineError):
    """A correction of the stories that cannot be made as asked (it would change nothing, or
    names an article outside the story it names)."""

    code = "E700"
    hint = "`storyline story ID --json` lists a story's article ids"


class SettingError(StorylineError):
    code = "E600"
    hint = "see `storyline settings` for the names, defaults and meanings"
