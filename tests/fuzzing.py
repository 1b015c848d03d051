"""Fuzzing every reader and service ingest: Hypothesis strategies for hostile inputs, and the
targets they are fed to. Used by tests/unit/test_fuzz_readers.py (a short bounded run) and
benchmarks/fuzz_readers.py (the long one).

An outcome is fine when the target returns Articles and Skips, or raises a StorylineError
(a coded error). Anything else — any other exception, an Article with empty text or an id
that is not the hash of its identity (its text, with its title when thin) — is a crash. Inputs
are built from the shapes each reader expects (feeds, pages, dumps) filled with hostile
fragments, then mutated at the byte level, so the fuzzer reaches deep into the parsers instead
of failing at the first byte.
"""

from __future__ import annotations

import json
import tempfile
import time
import traceback
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from encodings.aliases import aliases
from pathlib import Path
from urllib.parse import urlsplit

from hypothesis import strategies as st

from storyline.errors import StorylineError
from storyline.ingest import FetchResult, Skip, read_fetched, read_path
from storyline.ingest.normalize import article_id
from storyline.ingest.opml import parse_opml
from storyline.ingest.sources import is_url
from storyline.ingest.wire import target as url_target
from storyline.ingest.wire import wire_url
from storyline.model import Article
from storyline.service.options import fetch_options, read_options
from storyline.settings import load_settings
from tests.conftest import Hang, time_bound

# Small caps so the size limits are reached by generated inputs, not only by huge files.
FUZZ_SETTINGS = {"max_bytes": 20_000, "max_chars": 2_000, "story_refine": False,
                 "languages": "en"}

# Fragments that broke, or could break, a parser: character references out of range or to
# surrogates, declarations, CDATA edges, encodings, URL oddities, dates, JSON escapes.
HOSTILE = [
    "&#1114112;", "&#x110000;", "&#0;", "&#xD800;", "&#99999999999999999999;", "&#x;",
    "&amp;", "&bogus;", "&lt;", "&", "<![CDATA[", "]]>", "<!-- ", " -->", "<!DOCTYPE x>",
    "<!ENTITY a 'b'>",
    "\x00", "\x1b[31m", "\ufeff", "\u2028", "\u200b", "\ud7ff", "\U0010ffff", "\u0301",
    "\r", "\r\n", "\t", "<script>alert(1)</script>", "<style>x{}</style>", "<br/>", "<p>",
    "</p>", "<div", ">", "<", "\"", "'", "[/]", "[bold]", "\\", "%", "%zz", "http://[::1/",
    "http://bücher.example/ü", "http://127.0.0.1:99999/", "javascript:alert(1)",
    "https://www.example.com/2020/02/30/x", "/20201310999999-x", "2021-13-45", "9999-12-31",
    "0000-00-00T00:00:00", "Mon, 32 Foo 2021 25:61:61 +9999", "-1e999", "1e309", "NaN",
    "Content retrieved from: http://example.com/2021/05/03/story.", "x" * 300,
    "The council voted on Monday to close the old bridge, the mayor said.",
]
XML_HEADS = [
    "", "<?xml version='1.0'?>", "<?xml version=\"1.0\" encoding=\"caf\xe9\"?>",
    "<?xml version='1.0' encoding='utf-16'?>", "<?xml version='1.0' encoding='utf-7'?>",
    "<?xml version='1.0' encoding='base64'?>", "<?xml version='1.0' encoding='x-unknown'?>",
    "<?xml version='1.0' encoding='shift_jis'?>", "<?xml version='1.0' encoding='cp037'?>",
]
HOSTILE += XML_HEADS[1:]
# Prose, so inputs often get past the "no main text" checks into the deeper code paths.
SENTENCES = [
    "The council voted on Monday to close the old bridge for repairs, the mayor said.",
    "Officials said 40 people were hurt when the ferry hit the pier on 3 May 2021.",
    '"We will rebuild," said the minister, according to Reuters.',
    "The company denied the report and said its profits rose 12 percent in March.",
]
TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(HOSTILE),
    st.lists(st.sampled_from(HOSTILE + SENTENCES) | st.text(max_size=10), max_size=6).map(
        " ".join
    ),
    st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4).map(" ".join),
)
# Every name Python resolves to a codec, text encodings or not (base64, rot13, idna...), and
# some it does not: what a page or feed declares is up to whoever wrote it.
CHARSETS = sorted(set(aliases) | set(aliases.values())) + ["bogus", "", "utf-8 ", "UTF8"]
# UTF-8 most of the time (most real input), every family an XML parser sniffs now and then.
ENCODINGS = ["utf-8"] * 8 + ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32-le",
                             "latin-1", "cp1252", "cp037", "shift_jis", "utf-7"]


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """The bytes with up to three edits: truncation, insertion, deletion, duplication, flips."""
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2, 3]))):  # often none: deep paths
        if not data:
            break
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["cut", "insert", "delete", "repeat", "flip"]))
        if op == "cut":
            data = data[:at]
        elif op == "insert":
            piece = draw(st.binary(max_size=8) | st.sampled_from(HOSTILE).map(str.encode))
            data = data[:at] + piece + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 16)):]
        elif op == "repeat":
            data = data[:at] + data[at:at + 32] * draw(st.integers(2, 50)) + data[at:]
        elif at < len(data):
            data = data[:at] + bytes([data[at] ^ (1 << draw(st.integers(0, 7)))]) + data[at + 1:]
    return data


def _encode(draw, text: str) -> bytes:
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


def _esc(draw, text: str) -> str:
    """XML-escaped most of the time; raw (hostile markup) sometimes."""
    if draw(st.sampled_from([True, True, True, False])):
        return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return text


@st.composite
def feeds(draw) -> bytes:
    """RSS 2.0, Atom or RDF bytes with hostile fields, declarations and encodings."""
    kind = draw(st.sampled_from(["rss", "atom", "rdf"]))
    items = []
    for _ in range(draw(st.integers(0, 4))):
        title, text, link, date = (_esc(draw, draw(TEXT)) for _ in range(4))
        if kind == "atom":
            items.append(f"<entry><title>{title}</title><link href=\"{link}\"/><id>{link}</id>"
                         f"<updated>{date}</updated><content type=\"html\">{text}</content>"
                         "</entry>")
        else:
            items.append(f"<item><title>{title}</title><link>{link}</link><pubDate>{date}"
                         f"</pubDate><description>{text}</description></item>")
    head = draw(st.sampled_from(XML_HEADS) | st.sampled_from(CHARSETS).map(
        lambda name: f"<?xml version=\"1.0\" encoding=\"{name}\"?>"))
    doctype = draw(st.sampled_from(["", "", "<!DOCTYPE rss PUBLIC \"-//Netscape//DTD\" \"x\">",
                                    "<!DOCTYPE rss [<!ENTITY e \"boom\">]>"]))
    body = "".join(items)
    if kind == "atom":
        doc = f"<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>{draw(TEXT)}</title>{body}</feed>"
    elif kind == "rdf":
        doc = ("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
               f"xmlns=\"http://purl.org/rss/1.0/\"><channel/>{body}</rdf:RDF>")
    else:
        doc = f"<rss version=\"2.0\"><channel><title>{draw(TEXT)}</title>{body}</channel></rss>"
    return draw(mutated(_encode(draw, head + doctype + doc)))


@st.composite
def pages(draw) -> bytes:
    """HTML pages: charset declarations, article bodies, scripts, broken markup."""
    name = draw(st.sampled_from(CHARSETS))
    charset = draw(st.sampled_from(["", f"<meta charset=\"{name}\">",
                                    "<meta http-equiv=\"Content-Type\" content=\"text/html; "
                                    f"charset={name}\">"]))
    paragraphs = "".join(f"<p>{draw(TEXT)}</p>" for _ in range(draw(st.integers(0, 5))))
    html = (f"<!DOCTYPE html><html><head>{charset}<title>{draw(TEXT)}</title>"
            f"<meta property=\"og:site_name\" content=\"{draw(TEXT)}\">"
            f"<meta name=\"date\" content=\"{draw(TEXT)}\"></head><body><article>"
            f"<h1>{draw(TEXT)}</h1>{paragraphs}</article></body></html>")
    return draw(mutated(_encode(draw, html)))


@st.composite
def opml(draw) -> bytes:
    outlines = "".join(
        f"<outline text=\"{_esc(draw, draw(TEXT))}\" xmlUrl=\"{_esc(draw, draw(TEXT))}\"/>"
        for _ in range(draw(st.integers(0, 4)))
    )
    head = draw(st.sampled_from(XML_HEADS))
    doc = f"{head}<opml version=\"2.0\"><body>{outlines}</body></opml>"
    return draw(mutated(_encode(draw, doc)))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(TEXT, children, max_size=3),
    max_leaves=8,
)
FIELDS = ["id", "title", "text", "url", "outlet", "published", "language", "story", "other"]


@st.composite
def records(draw) -> dict:
    return draw(st.dictionaries(st.sampled_from(FIELDS) | TEXT, JSON_VALUES | TEXT, max_size=8))


@st.composite
def jsonl(draw) -> bytes:
    """JSON Lines: records, non-objects, lone surrogate escapes, deep nesting, broken lines."""
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        choice = draw(st.integers(0, 5))
        if choice <= 2:
            lines.append(json.dumps(draw(records()), ensure_ascii=draw(st.booleans())))
        elif choice == 3:
            depth = draw(st.integers(1, 3000))
            lines.append("[" * depth + "]" * depth)
        elif choice == 4:
            lines.append('{"id": "s", "text": "\\ud800 lone \\udfff", "title": "\\u0000"}')
        else:
            lines.append(draw(TEXT))
    return draw(mutated("\n".join(lines).encode("utf-8", errors="replace")))


@st.composite
def csvs(draw) -> bytes:
    delimiter = draw(st.sampled_from(",;\t|"))
    header = draw(st.lists(st.sampled_from(FIELDS) | TEXT, min_size=1, max_size=6))
    if draw(st.booleans()):
        header.append("text")
    rows = [delimiter.join(header)]
    for _ in range(draw(st.integers(0, 5))):
        width = draw(st.sampled_from([len(header)] * 3 + [0, len(header) + 1]))
        cells = [draw(TEXT) for _ in range(width)]
        quoted = ['"' + c.replace('"', '""') + '"' if draw(st.booleans()) else c for c in cells]
        rows.append(delimiter.join(quoted))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return draw(mutated(newline.join(rows).encode("utf-8", errors="replace")))


@st.composite
def texts(draw) -> bytes:
    lines = [draw(TEXT) for _ in range(draw(st.integers(0, 6)))]
    if draw(st.booleans()):
        lines.append(f"Content retrieved from: {draw(TEXT)}.")
    return draw(mutated(_encode(draw, "\n".join(lines))))


ANY_BYTES = st.binary(max_size=512)

# Redirect targets that never leave this machine (relative, IP literals, malformed, other
# schemes): a host name would send the fuzz run to DNS.
LOCATIONS = ["/next", "next", "?q=1", "/caf\u00e9", "/%zz", "//127.0.0.1:1/x", "http://[::1/x",
             "http://127.0.0.1:99999/", "http://[::1]:0/", "file:///etc/passwd", "ftp://1.2.3.4/",
             "javascript:alert(1)", "http://0.0.0.0/", "http://169.254.169.254/", "", " ",
             "http://[fe80::1%25eth0]/", "http://127.0.0.1:port/", "http:///x"]


@st.composite
def responses(draw) -> bytes:
    """Raw HTTP responses: odd status lines, headers, Locations, chunking, gzip, bodies."""
    import gzip

    status = draw(st.sampled_from(["200 OK"] * 6 + ["301 Moved", "302 Found", "304 Not Modified",
                                   "404 Nope", "500 Oops", "999 What", "20 short", "abc def"]))
    version = draw(st.sampled_from(["HTTP/1.1"] * 6 + ["HTTP/1.0", "HTTP/2", "HTTP/1.1  ", "ICY"]))
    body = draw(feeds() | pages() | ANY_BYTES)
    headers = []
    if draw(st.booleans()):
        location = draw(st.sampled_from(LOCATIONS) | TEXT.map(lambda t: "/" + t.lstrip("/\\")))
        headers.append(b"Location: " + location.encode("utf-8", "replace"))
    encoding = draw(st.sampled_from(["", "", "gzip", "deflate", "br", "gzip, gzip"]))
    if encoding == "gzip":
        body = gzip.compress(body)
    if encoding:
        headers.append(b"Content-Encoding: " + encoding.encode())
    if draw(st.booleans()):
        chunks = [body[i:i + 97] for i in range(0, len(body), 97)]
        body = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
        headers.append(b"Transfer-Encoding: chunked")
    length = draw(st.sampled_from(["exact", "none", "short", "long", "junk", "negative"]))
    headers.append({"exact": b"Content-Length: %d" % len(body), "none": b"",
                    "short": b"Content-Length: %d" % max(0, len(body) - 5),
                    "long": b"Content-Length: %d" % (len(body) + 50),
                    "junk": b"Content-Length: 12abc", "negative": b"Content-Length: -1"}[length])
    for _ in range(draw(st.integers(0, 3))):
        headers.append(draw(st.sampled_from(HOSTILE)).encode("utf-8", "replace") + b": "
                       + draw(TEXT).encode("utf-8", "replace"))
    content_type = draw(st.sampled_from(["application/rss+xml", "text/html", "text/plain",
                                         "application/xml", ""]))
    if draw(st.booleans()):
        content_type += f"; charset={draw(st.sampled_from(CHARSETS))}"
    headers.append(b"Content-Type: " + content_type.encode())
    head = draw(mutated(f"{version} {status}".encode() + b"\r\n" + b"\r\n".join(headers)))
    return head + b"\r\n\r\n" + body


# An input still being read after this long is a hang: the biggest generated input is a few
# kB, read in milliseconds; 10 s leaves room for a loaded 2-core CI machine.
HANG_SECONDS = 10


@dataclass(frozen=True)
class Outcome:
    articles: int = 0
    skips: int = 0
    code: str = ""  # the coded error, when one was raised
    crash: str = ""  # the traceback of anything else
    hang: bool = False
    seconds: float = 0.0

    @property
    def crashed(self) -> bool:
        return bool(self.crash)


def _check(items) -> Outcome:
    articles = skips = 0
    for item in items:
        if isinstance(item, Skip):
            skips += 1
            continue
        if not isinstance(item, Article):
            raise AssertionError(f"a reader yielded {type(item).__name__}")
        if not item.text.strip():
            raise AssertionError(f"an Article with empty text: {item!r}"[:500])
        if item.id != article_id(item.identity):  # the text (with the title when it is thin)
            raise AssertionError(f"Article id {item.id} is not the hash of its identity")
        urlsplit(item.url)  # the store and the story engine split every article's URL
        for value in (item.text, item.title, item.url, item.outlet, item.author):
            value.encode("utf-8")  # storable: no lone surrogates
        articles += 1
    return Outcome(articles, skips)


def run(
    target: Callable[[bytes, dict, Path], object],
    data: bytes,
    settings: dict,
    hang_seconds: int = HANG_SECONDS,
) -> Outcome:
    """Feed one input to a target in a fresh temporary folder and classify what happened."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        try:
            with time_bound(hang_seconds):
                result = target(data, settings, Path(tmp))
                outcome = result if isinstance(result, Outcome) else _check(result)
        except StorylineError as exc:
            outcome = Outcome(code=exc.code)
        except Hang:
            outcome = Outcome(crash=traceback.format_exc(limit=-8), hang=True)
        except Exception:  # noqa: BLE001 - the crash being looked for
            outcome = Outcome(crash=traceback.format_exc(limit=-8))
    return Outcome(outcome.articles, outcome.skips, outcome.code, outcome.crash, outcome.hang,
                   time.perf_counter() - started)


def _file(name: str) -> Callable[[bytes, dict, Path], list]:
    def read(data: bytes, settings: dict, tmp: Path) -> list:
        path = tmp / name
        path.write_bytes(data)
        return list(read_path(path, read_options(settings)))

    read.__name__ = f"read_{name}"
    return read


def _fetched(content_type: str) -> Callable[[bytes, dict, Path], list]:
    def read(data: bytes, settings: dict, tmp: Path) -> list:
        result = FetchResult("http://example.com/f", "http://example.com/f", 200, content_type,
                             data, None, None, False)
        return list(read_fetched(result, read_options(settings)))

    return read


class _RawServer:
    """A loopback server answering every request with the bytes of the current input."""

    def __init__(self) -> None:
        import socket
        import threading

        self.response = b""
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/feed"
        threading.Thread(target=self._serve, daemon=True, name="fuzz-http").start()

    def _serve(self) -> None:
        while True:
            conn, _ = self.sock.accept()
            with conn:
                try:
                    conn.settimeout(2.0)
                    conn.recv(65_536)
                    conn.sendall(self.response)
                except OSError:
                    pass  # the client gave up: that is its right


_SERVER: list[_RawServer] = []


def _fetch(data: bytes, settings: dict, tmp: Path) -> list:
    """fetch (and read) a URL of a local server that answers with the input."""
    from storyline.ingest import fetch

    if not _SERVER:
        _SERVER.append(_RawServer())
    server = _SERVER[0]
    server.response = data
    local = {**settings, "allow_private_urls": True, "host_delay": 0.0, "fetch_timeout": 2.0}
    return list(read_fetched(fetch(server.url, fetch_options(local)), read_options(local)))


def _page_http(data: bytes, settings: dict, tmp: Path) -> list:
    """A fetched body under the charset its Content-Type names (the first bytes pick which)."""
    name = CHARSETS[zlib.crc32(data) % len(CHARSETS)]
    return _fetched(f"text/html; charset={name}")(data, settings, tmp)


def _opml(data: bytes, settings: dict, tmp: Path) -> Outcome:
    for url in parse_opml(data, source="fuzz.opml"):
        if not isinstance(url, str) or not url:
            raise AssertionError(f"parse_opml gave {url!r}")
    return Outcome()


def _offline(data: bytes) -> bool:
    """True unless the bytes are an OPML list naming a feed by host name: ingest would look
    that name up in DNS, and the fuzz run stays offline (fetch is fuzzed against a local
    server in tests/integration/test_fetch_hostile.py). IP literals are refused unresolved."""
    try:
        urls = parse_opml(data)
    except StorylineError:
        return True
    return all(_ip_literal(url) for url in urls)


def _ip_literal(url: str) -> bool:
    import ipaddress

    try:
        host = url_target(wire_url(url))[1]
        ipaddress.ip_address(host)
    except (StorylineError, ValueError):
        return not is_url(url)  # a malformed URL is refused before any lookup
    return True


def _ingest(data: bytes, settings: dict, tmp: Path) -> Outcome:
    """service.ingest of a folder holding the input as several kinds of file, into a store;
    then every stored article must have text and an id that hashes it."""
    from storyline import service
    from storyline.store import open_store

    folder = tmp / "in"
    folder.mkdir()
    names = ["a.txt", "b.html", "c.xml", "d.jsonl", "e.csv", "g.json", "h"]
    if _offline(data):
        names.append("f.opml")
    for name in names:
        (folder / name).write_bytes(data)
    store = str(tmp / "fuzz.db")
    report = service.ingest([str(folder)], {**settings, "store": store})
    if report.sources < len(names):
        raise AssertionError(f"ingest tried {report.sources} of {len(names)} files")
    with open_store(store) as opened:
        stored = _check(opened.articles(all_revisions=True))
    if stored.articles != report.added + report.revisions:
        raise AssertionError(f"{stored.articles} stored, report says {report.added} added")
    return Outcome(stored.articles, report.skipped)


# Each reader with the strategy that shapes its input (any reader also gets raw bytes).
TARGETS: dict[str, tuple[Callable, st.SearchStrategy[bytes]]] = {
    "text": (_file("a.txt"), texts() | ANY_BYTES),
    "html": (_file("a.html"), pages() | ANY_BYTES),
    "feed": (_file("a.xml"), feeds() | ANY_BYTES),
    "feed_http": (_fetched("application/rss+xml"), feeds() | pages() | ANY_BYTES),
    "page_http": (_page_http, pages() | feeds() | texts()),
    "opml": (_opml, opml() | ANY_BYTES),
    "fetch": (_fetch, responses() | ANY_BYTES),
    "jsonl": (_file("a.jsonl"), jsonl() | ANY_BYTES),
    "json": (_file("a.json"), jsonl() | ANY_BYTES),
    "csv": (_file("a.csv"), csvs() | ANY_BYTES),
    "sniffed": (_file("noext"), texts() | jsonl() | feeds() | pages() | opml()),
    "ingest": (_ingest, feeds() | pages() | jsonl() | csvs() | opml() | texts()),
}


def fuzz_settings() -> dict:
    return load_settings(FUZZ_SETTINGS)
