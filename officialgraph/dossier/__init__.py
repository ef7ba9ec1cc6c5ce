"""A person's dossier: one self-contained HTML page (timeline, posts, co-attendance network,
evidence), built from the canned queries so it comes out the same from either store.

    from officialgraph.graph.stores import open_store
    from officialgraph.dossier import build_dossier, render_dossier
    html = render_dossier(build_dossier(open_store(graph="city.graph.json"), "张俊峰"))
"""
from officialgraph.dossier.build import DossierData, build_dossier
from officialgraph.dossier.render import ECHARTS_VERSION, render_dossier

__all__ = ["DossierData", "build_dossier", "render_dossier", "ECHARTS_VERSION"]
