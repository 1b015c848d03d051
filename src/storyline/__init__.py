"""Storyline: compare how news outlets report the same event, claim by claim, with evidence.

The library API lives in ``storyline.service``; the most used calls are also here:
``storyline.compare(["a.txt", "b.html"])`` and ``storyline.analyse("a.txt")``.
"""

__version__ = "0.1.0"


def __getattr__(name: str):
    # Lazy, so `import storyline` stays cheap (no models, no numpy) for the CLI's --help.
    import importlib

    if name in {"analyse", "ingest", "service"}:
        service = importlib.import_module("storyline.service")
        return service if name == "service" else getattr(service, name)
    if name == "compare":
        return importlib.import_module("storyline.compare")
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")
