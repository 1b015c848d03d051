"""Reading articles from files and the web; fetch.py is the only module using the network.

``read_path`` and ``read_url`` yield Articles and, for bad records inside a dump or feed,
``Skip``s; problems with a whole file or URL raise coded errors (storyline.errors).
"""

from storyline.ingest.fetch import FetchResult, HostThrottle, fetch
from storyline.ingest.readers import read_article, read_fetched, read_path, read_url
from storyline.ingest.skips import Skip
from storyline.ingest.sources import Source, expand_sources

__all__ = [
    "FetchResult",
    "HostThrottle",
    "Skip",
    "Source",
    "expand_sources",
    "fetch",
    "read_article",
    "read_fetched",
    "read_path",
    "read_url",
]
