"""Storyline: compare how news outlets report the same event, claim by claim, with evidence.

The library API lives in ``storyline.service``: ``service.compare(["a.txt", "b.html"])``,
``service.analyse("a.txt")``; ``storyline.analyse`` and ``storyline.ingest`` are here too.
(``storyline.compare`` is the comparison package, which never imports the service.)
"""

__version__ = "0.1.0"


def __getattr__(name: str):
    # Lazy, so `import storyline` stays cheap (no models, no numpy) for the CLI's --help.
    import importlib

    if name in {"analyse", "ingest", "service"}:
        service = importlib.import_module("storyline.service")
        return service if name == "service" else getattr(service, name)
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")
