"""Synthetic newspaper pages with known truth, for regression checks and benchmark load.

    from officialgraph.synth import generate_corpus
    summary = generate_corpus("out/synth", years=1, seed=1, pages_per_year=4000)

writes ``out/synth/pages/*.txt`` (pages named by date, e.g. ``2015-03-05_p03.txt``),
``out/synth/gold/*.json`` (one gold file per page, shaped like ../shared/eval/gold and following
its ANNOTATION.md), ``out/synth/truth/`` (the roster year by year, its changes, the journalists)
and ``out/synth/manifest.json``. CLI: ``officialgraph synth --years N --seed S -o DIR``.
"""
from officialgraph.synth.corpus import CorpusSummary, SynthError, generate_corpus, make_page
from officialgraph.synth.layout import join_lines

__all__ = ["CorpusSummary", "SynthError", "generate_corpus", "make_page", "join_lines"]
