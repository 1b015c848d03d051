"""Storyline: compare how news outlets report the same event, claim by claim, with evidence."""

__version__ = "0.1.0"
