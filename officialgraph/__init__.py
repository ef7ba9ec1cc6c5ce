"""officialgraph: Chinese local-newspaper pages in, a knowledge graph of officials' appearances out.

The Python API is the set of functions the CLI calls:

    from officialgraph.loaders.extract import extract_paths
    from officialgraph.graph.memory import MemoryStore
    from officialgraph.queries import run_query
"""
from pathlib import Path as _Path

__version__ = "0.1.0"

# Installed, setuptools maps graph/, loaders/ and queries/ under this package. In a source
# checkout (python -m pytest from the root puts the root first on sys.path) this folder shadows
# the installed copy, so let the subpackages be found beside it as well.
_checkout = _Path(__file__).resolve().parent.parent
if (_checkout / "pyproject.toml").is_file() and (_checkout / "loaders").is_dir():
    __path__.append(str(_checkout))  # noqa: F821 - __path__ is defined for packages
