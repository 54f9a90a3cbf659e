"""newsmeta: validate, list, search, edit and reformat news-article front matter.

The Python API (docs/python-api.md) is imported on first use, so that ``import newsmeta`` (which
every command does at start-up) stays cheap and does not load ruamel.yaml.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Article", "ArticleError", "WriteError", "__version__", "load", "loads"]

if TYPE_CHECKING:
    from newsmeta.api import Article, load, loads
    from newsmeta.errors import ArticleError, WriteError

# Each name of the API, and the module it comes from.
_LAZY = {
    "Article": "newsmeta.api",
    "load": "newsmeta.api",
    "loads": "newsmeta.api",
    "ArticleError": "newsmeta.errors",
    "WriteError": "newsmeta.errors",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newsmeta' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
