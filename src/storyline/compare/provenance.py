"""Provenance: per outlet, the upstream sources it credits and the people it quotes."""

from __future__ import annotations

from storyline.compare.context import Context
from storyline.compare.credits import bare_description, valid_speaker
from storyline.model import Provenance, SourceCredit
from storyline.nlp.names import is_part_of, match_rule, without_titles


def _unique(credits: list[SourceCredit]) -> tuple[SourceCredit, ...]:
    """One credit per name: later spellings and short forms fold into the first full name."""
    kept: list[SourceCredit] = []
    for c in credits:
        name = without_titles(c.name)
        if any(match_rule(name, without_titles(k.name)) or is_part_of(name, without_titles(k.name))
               for k in kept):
            continue
        kept = [k for k in kept if not is_part_of(without_titles(k.name), name)] + [c]
    return tuple(kept)


def provenance(ctx: Context) -> tuple[Provenance, ...]:
    """The upstream sources and speakers each article relies on, each with its evidence."""
    out = []
    for i, a in enumerate(ctx.analyses):

        def credit(name: str, kind: str, cue: str, start: int, end: int, i: int = i):
            return SourceCredit(name, kind, cue, ctx.evidence(i, start, end))

        upstream = [
            credit(r.source, "upstream", r.cue, r.source_start, r.source_end)
            for r in a.attributions
            if ctx.is_medium(i, r.source)
            or (valid_speaker(ctx, r.source) and not bare_description(r.source))
        ]
        speakers = [
            credit(q.speaker, "speaker", q.cue, q.speaker_start, q.speaker_end)
            for q in a.quotes
            if q.speaker and valid_speaker(ctx, q.speaker) and not bare_description(q.speaker)
        ]
        out.append(Provenance(ctx.labels[i], a.article.id, _unique(upstream), _unique(speakers)))
    return tuple(out)
